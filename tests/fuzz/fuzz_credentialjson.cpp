// libFuzzer entry point for parseCredentialsJson, which reads the JSON answer of a signing URL
// (cossign, an STS SDK server, our signer or a raw Tencent Cloud API 3.0 response). A violated
// invariant calls abort(), which libFuzzer reports as a crash with the input saved.
#include "cos/net/credentialprovider.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

void check(bool condition)
{
    if (!condition)
        abort();
}

bool isSecretField(const QString &name)
{
    return name.compare(u"tmpSecretKey"_s, Qt::CaseInsensitive) == 0
            || name.compare(u"sessionToken"_s, Qt::CaseInsensitive) == 0
            || name.compare(u"Token"_s, Qt::CaseInsensitive) == 0;
}

// The string values of secret fields, and every other string (keys included), up to a depth.
void collect(const QJsonValue &v, int depth, QStringList *secrets, QStringList *others)
{
    if (depth > 8)
        return;
    if (v.isArray()) {
        for (const QJsonValue &item : v.toArray())
            collect(item, depth + 1, secrets, others);
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            others->append(it.key());
            if (it.value().isString() && isSecretField(it.key()))
                secrets->append(it.value().toString());
            else
                collect(it.value(), depth + 1, secrets, others);
        }
    } else if (v.isString()) {
        others->append(v.toString());
    }
}

bool isTenDigitTime(qint64 t)
{
    return t >= 1000000000LL && t <= 9999999999LL;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView json(reinterpret_cast<const char *>(data), qsizetype(size));
    Credentials c;
    c.secretId = u"stale"_s; // must be cleared whatever happens
    const Error e = parseCredentialsJson(json, &c);

    if (e) {
        check(e.kind() == Error::Kind::Credentials);
        check(c.isEmpty() && c.secretKey.isEmpty() && c.sessionToken.isEmpty());
        check(e.message().size() <= 1000 && e.toString().size() <= 2000);
        check(e.code().size() <= 200);
        // No secret value in the message, unless the same text is also a non-secret string of
        // the answer (an error text the service chose to echo).
        QStringList secrets;
        QStringList others;
        collect(QJsonDocument::fromJson(json.toByteArray()).object(), 0, &secrets, &others);
        for (const QString &s : std::as_const(secrets)) {
            if (s.size() < 8)
                continue;
            const bool echoed = std::any_of(others.cbegin(), others.cend(),
                                            [&s](const QString &o) { return o.contains(s); });
            check(echoed || !e.toString().contains(s));
        }
        return 0;
    }
    check(!c.secretId.isEmpty() && !c.secretKey.isEmpty() && !c.sessionToken.isEmpty());
    check(c.isTemporary());
    check(isTenDigitTime(c.expiredTime));
    check(c.startTime == 0 || (isTenDigitTime(c.startTime) && c.startTime < c.expiredTime));
    return 0;
}
