// libFuzzer entry point for the signer's request path without the network: the bytes a client
// sends go through the connection guard's framing checks (headerBlockEnd, checkRequestHead),
// the route and method choice of SignerServer, authentication (bearer tokens and HMAC) and the
// POST /sts body (SignerCore::resolve, prefix validation, grants). A violated invariant calls
// abort(), which libFuzzer reports as a crash with the input saved.
#include "httpframing.h"
#include "requestauth.h"
#include "signercore.h"

#include <QByteArrayList>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Signer;

namespace {

constexpr qint64 kMaxBody = 16 * 1024;
constexpr qint64 kNow = 1767225600; // a fixed clock: the HMAC window is reproducible
const QByteArray kAliceToken = "alice-fuzz-token-0123456789abcdef";
const QByteArray kBobSecret = "bob-fuzz-hmac-secret-0123456789";

// The line of the broken invariant goes to stderr, next to libFuzzer's report.
void check(bool condition, int line = __builtin_LINE())
{
    if (!condition) {
        std::fprintf(stderr, "fuzz_signerrequest: invariant at line %d broken\n", line);
        abort();
    }
}

struct Fixture
{
    SignerConfig config;
    RequestAuth auth;
    std::unique_ptr<SignerCore> core;

    Fixture()
    {
        config.backend = u"tencent"_s;
        config.appId = u"1250000000"_s;
        config.secretId = u"AKIDfuzzPermanentId"_s;
        config.secretKey = u"fuzz-PERMANENT-secret-key"_s;
        config.maxDurationSeconds = 3600;
        config.tokens = {u"alice:"_s + QString::fromLatin1(kAliceToken)};
        config.hmacKeys = {u"bob:"_s + QString::fromLatin1(kBobSecret)};
        Grant own;
        own.bucket = u"examplebucket-1250000000"_s;
        own.region = u"ap-guangzhou"_s;
        own.prefixTemplate = u"users/${uid}/"_s;
        QString error;
        check(parseActionList(u"upload,download,list"_s, &own.operations, &error));
        Grant pub = own;
        pub.prefixTemplate = u"public/"_s;
        check(parseActionList(u"download"_s, &pub.operations, &error));
        config.grants = {own, pub};
        check(config.validate(&error));
        check(auth.configure(config, &error));
        core = std::make_unique<SignerCore>(config, SignerCore::createBackend(config));
    }
};

bool printableAscii(QStringView s)
{
    for (QChar c : s) {
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            return false;
    }
    return true;
}

// What a granted prefix may look like for @p uid: under the caller's own folder or public/.
bool withinGrants(const QString &uid, const Scope &scope)
{
    const QString own = u"users/"_s + uid + u'/';
    return scope.prefix.startsWith(own) || scope.prefix.startsWith(u"public/"_s);
}

void checkResolved(const Fixture &f, const QString &uid, const QByteArray &body)
{
    IssueRequest issue;
    const SignerError e = f.core->resolve(uid, body, &issue);
    if (e) {
        check(e.status == 400 || e.status == 403 || e.status == 413);
        check(!e.code.isEmpty());
        check(e.message.size() <= 2000);
        check(!e.message.contains(f.config.secretKey));
        return;
    }
    check(issue.uid == uid);
    check(!issue.scopes.isEmpty());
    check(issue.durationSeconds >= f.config.minDurationSeconds);
    check(issue.durationSeconds <= f.config.maxDurationSeconds);
    for (const Scope &s : std::as_const(issue.scopes)) {
        check(withinGrants(uid, s));
        check(!s.prefix.contains(u"/../"_s) && !s.prefix.contains(u"//"_s));
        // Nothing invisible or ambiguous: controls, unpaired surrogates, bidi and zero-width.
        check(QStringView(s.prefix).isValidUtf16());
        for (QChar c : s.prefix) {
            const char16_t u = c.unicode();
            check(u >= 0x20 && u != 0x7f && !(u >= 0x80 && u < 0xa0));
            check(!(u >= 0x200b && u <= 0x200f) && !(u >= 0x202a && u <= 0x202e)
                  && !(u >= 0x2066 && u <= 0x2069) && u != 0xfeff);
        }
        check(!s.operations.isEmpty());
        QString error;
        check(!f.core->policyFor(issue, &error).isEmpty());
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Fixture f;
    const QByteArray input = QByteArray::fromRawData(reinterpret_cast<const char *>(data),
                                                     qsizetype(size));

    // The guard: where the header block ends, and whether its framing is acceptable.
    const qsizetype end = headerBlockEnd(input);
    check(end == -1 || (end >= 2 && end <= input.size()));
    if (end == -1)
        return 0;
    // The guard answers 431 to a longer block without looking into it.
    if (end > kMaxHeaderBlockBytes + 4)
        return 0;
    const QByteArray block = input.left(end);
    const HeadVerdict verdict = checkRequestHead(block, kMaxBody);
    const HeadVerdict again = checkRequestHead(block, kMaxBody);
    check(verdict.status == again.status && verdict.contentLength == again.contentLength);
    if (verdict.status != 0) {
        check(verdict.status == 400 || verdict.status == 411 || verdict.status == 413
              || verdict.status == 431);
        check(!verdict.code.isEmpty() && printableAscii(verdict.code));
        check(verdict.message.size() <= 1000);
        return 0;
    }
    check(verdict.contentLength >= 0 && verdict.contentLength <= kMaxBody);

    // The request line and the fields, as the server reads them once the guard let them in.
    QByteArrayList lines = block.split('\n');
    for (QByteArray &l : lines) {
        if (l.endsWith('\r'))
            l.chop(1);
    }
    const QByteArrayList requestLine = lines.value(0).split(' ');
    if (requestLine.size() != 3)
        return 0;
    const QByteArray method = requestLine[0];
    QByteArray path = requestLine[1];
    if (const qsizetype q = path.indexOf('?'); q >= 0)
        path.truncate(q);
    QByteArray authorization;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0 && lines[i].left(colon).compare("authorization", Qt::CaseInsensitive) == 0)
            authorization = lines[i].mid(colon + 1).trimmed();
    }
    const QByteArray body = input.mid(end, verdict.contentLength);

    // Routing: only these paths and methods reach authentication.
    const bool signingRoute = path == "/sts" || path == "/sign";
    if (!signingRoute || !(method == "GET" || (path == "/sts" && method == "POST")))
        return 0;

    QString uid;
    const SignerError authError = f.auth.authenticate(authorization, method, path, body, kNow, &uid);
    if (authError) {
        check(authError.status == 401);
        check(uid.isEmpty());
        check(!authError.message.contains(QString::fromLatin1(kAliceToken)));
        check(!authError.message.contains(QString::fromLatin1(kBobSecret)));
        // The body parser is reached by authenticated callers only; fuzz it all the same.
        uid = u"alice"_s;
    } else {
        check(uid == u"alice"_s || uid == u"bob"_s);
    }
    if (method == "POST")
        checkResolved(f, uid, body);
    return 0;
}
