// Credential providers and the cache: JSON shapes of signing URLs, single flight against a
// scripted signing server, refresh margin, fetch timeout, forced refresh; and the Clock.
#include "cos/net/clock.h"
#include "cos/net/credentialprovider.h"
#include "scriptedhttpserver.h"

#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

// Answers fetch() only when told to, so tests control timing.
class ManualProvider : public CredentialProvider
{
public:
    QString description() const override { return u"manual test provider"_s; }
    void fetch() override { ++fetches; }
    void cancel() override { ++cancels; }
    void answer(const Credentials &c, const Error &e = {}) { Q_EMIT fetched(c, e); }
    int fetches = 0;
    int cancels = 0;
};

Credentials keys(const QString &id, qint64 start, qint64 expire)
{
    Credentials c;
    c.secretId = id;
    c.secretKey = u"SECRETVALUE-"_s + id;
    c.sessionToken = u"token-"_s + id;
    c.startTime = start;
    c.expiredTime = expire;
    return c;
}

// The signing-URL fixture: answers every request with status and body (JSON), as they are
// when it arrives, and counts the requests.
struct SigningServer
{
    int calls = 0;
    QByteArray lastAuthorization;
    int status = 200;
    QByteArray body;
    ScriptedHttpServer server {[this](const ReceivedRequest &request) {
        ++calls;
        lastAuthorization = request.header("Authorization");
        return ScriptedResponse::http(status, {{"Content-Type", "application/json"}}, body);
    }};

    QUrl url(const QString &query = {}) const
    {
        QUrl u = server.url(u"/sts"_s);
        if (!query.isEmpty())
            u.setQuery(query);
        return u;
    }
};

QByteArray modernJson(qint64 start, qint64 expire)
{
    return QStringLiteral(
                   R"({"credentials":{"tmpSecretId":"AKIDmodern","tmpSecretKey":"SECRETmodern","sessionToken":"TOKENmodern"},"startTime":%1,"expiredTime":%2,"expiration":"x","requestId":"r"})")
            .arg(start)
            .arg(expire)
            .toUtf8();
}

} // namespace

class TstCredentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parse_data();
    void parse();
    void hostileFiles_data();
    void hostileFiles();
    void scope();
    void hostileScope_data();
    void hostileScope();
    void staticProvider();
    void singleFlight();
    void refreshMargin_data();
    void refreshMargin();
    void fetchTimeout();
    void fetchErrorReachesAllWaiters();
    void invalidateOnlyRejectedKeys();
    void destroyedContextIsSkipped();
    void urlProviderBearerAndErrors();
    void urlProviderHidesQuery();
    void startTimeFeedsClock();
    void clockAdjustments();
};

void TstCredentials::parse_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("errorContains");
    QTest::addColumn<QString>("id");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("expire");

    QTest::newRow("legacy cossign")
            << R"({"code":0,"message":"","codeDesc":"Success","data":{"credentials":{"sessionToken":"TOK","tmpSecretId":"AKIDlegacy","tmpSecretKey":"SECRETlegacy"},"expiredTime":1700001800}})"_ba
            << true << QString() << u"AKIDlegacy"_s << qint64(0) << qint64(1700001800);
    QTest::newRow("modern sts sdk") << modernJson(1700000000, 1700001800) << true << QString()
                                    << u"AKIDmodern"_s << qint64(1700000000) << qint64(1700001800);
    QTest::newRow("api 3.0 response")
            << R"({"Response":{"Credentials":{"Token":"TOK","TmpSecretId":"AKIDapi3","TmpSecretKey":"SECRETapi3"},"ExpiredTime":1700001800,"Expiration":"2023-11-14T22:43:20Z","RequestId":"abc"}})"_ba
            << true << QString() << u"AKIDapi3"_s << qint64(0) << qint64(1700001800);
    QTest::newRow("times as strings")
            << R"({"credentials":{"tmpSecretId":"AKIDs","tmpSecretKey":"S","sessionToken":"T"},"startTime":"1700000000","expiredTime":"1700001800"})"_ba
            << true << QString() << u"AKIDs"_s << qint64(1700000000) << qint64(1700001800);
    QTest::newRow("legacy code as string 0")
            << R"({"code":"0","data":{"credentials":{"sessionToken":"T","tmpSecretId":"AKIDc","tmpSecretKey":"S"},"expiredTime":1700001800}})"_ba
            << true << QString() << u"AKIDc"_s << qint64(0) << qint64(1700001800);

    QTest::newRow("13-digit expiredTime") << modernJson(1700000000, 1700001800000LL) << false
                                          << u"13 digits"_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("13-digit startTime")
            << modernJson(1700000000000LL, 1700001800) << false << u"\"startTime\" has 13 digits"_s
            << QString() << qint64(0) << qint64(0);
    QTest::newRow("9-digit expiredTime") << modernJson(0, 170000180) << false << u"9 digits"_s
                                         << QString() << qint64(0) << qint64(0);
    QTest::newRow("fractional time")
            << R"({"credentials":{"tmpSecretId":"A","tmpSecretKey":"S","sessionToken":"T"},"expiredTime":1700001800.5})"_ba
            << false << u"10-digit integer"_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("legacy code != 0")
            << R"({"code":4101,"message":"no permission","codeDesc":"UnauthorizedOperation","data":{}})"_ba
            << false << u"code 4101: no permission (UnauthorizedOperation)"_s << QString()
            << qint64(0) << qint64(0);
    QTest::newRow("api 3.0 error")
            << R"({"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"The SecretId is not found"},"RequestId":"x"}})"_ba
            << false << u"AuthFailure.SecretIdNotFound: The SecretId is not found"_s << QString()
            << qint64(0) << qint64(0);
    QTest::newRow("error object") << R"({"error":{"code":"Forbidden","message":"bucket not allowed"}})"_ba
                                  << false << u"Forbidden: bucket not allowed"_s << QString()
                                  << qint64(0) << qint64(0);
    QTest::newRow("missing tmpSecretKey")
            << R"({"credentials":{"tmpSecretId":"A","sessionToken":"T"},"expiredTime":1700001800})"_ba
            << false << u"\"tmpSecretKey\""_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("empty sessionToken")
            << R"({"credentials":{"tmpSecretId":"A","tmpSecretKey":"S","sessionToken":""},"expiredTime":1700001800})"_ba
            << false << u"\"sessionToken\""_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("missing expiredTime")
            << R"({"credentials":{"tmpSecretId":"A","tmpSecretKey":"S","sessionToken":"T"}})"_ba
            << false << u"no \"expiredTime\""_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("missing credentials")
            << R"({"expiredTime":1700001800})"_ba << false << u"no \"credentials\""_s << QString()
            << qint64(0) << qint64(0);
    QTest::newRow("start after expiry") << modernJson(1700001800, 1700000000) << false
                                        << u"not before"_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("not json") << "<html>502 Bad Gateway</html>"_ba << false << u"not JSON"_s
                              << QString() << qint64(0) << qint64(0);
    QTest::newRow("json array") << "[1,2]"_ba << false << u"not a JSON object"_s << QString()
                                << qint64(0) << qint64(0);
    QTest::newRow("empty") << ""_ba << false << u"not JSON"_s << QString() << qint64(0)
                           << qint64(0);
    // A leading zero would let a 9-digit (or shorter) time pass as ten digits.
    QTest::newRow("leading zero time")
            << R"({"credentials":{"tmpSecretId":"A","tmpSecretKey":"S","sessionToken":"T"},"expiredTime":"0170000180"})"_ba
            << false << u"\"expiredTime\" must be Unix seconds as a 10-digit integer"_s << QString()
            << qint64(0) << qint64(0);
    // Digits of other scripts are not ASCII digits (toLongLong() would make them 0: no expiry).
    QTest::newRow("arabic-indic digits")
            << u"{\"credentials\":{\"tmpSecretId\":\"A\",\"tmpSecretKey\":\"S\",\"sessionToken\":\"T\"},\"expiredTime\":\"\u0661\u0667\u0660\u0660\u0660\u0660\u0661\u0668\u0660\u0660\"}"_s
                       .toUtf8()
            << false << u"10-digit integer"_s << QString() << qint64(0) << qint64(0);
    // What a service says is quoted, but not without bound.
    QTest::newRow("long service error")
            << R"({"error":{"code":")" + QByteArray(3000, 'C') + R"(","message":")"
                    + QByteArray(5000, 'm') + R"("}})"
            << false << u"reported an error CCCC"_s << QString() << qint64(0) << qint64(0);
    QTest::newRow("long legacy error")
            << R"({"code":")" + QByteArray(3000, '7') + R"(","message":")" + QByteArray(5000, 'm')
                    + R"(","codeDesc":")" + QByteArray(3000, 'd') + R"("})"
            << false << u"returned code 7777"_s << QString() << qint64(0) << qint64(0);
}

void TstCredentials::parse()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, ok);
    QFETCH(QString, errorContains);
    QFETCH(QString, id);
    QFETCH(qint64, start);
    QFETCH(qint64, expire);

    Credentials c;
    const Error e = parseCredentialsJson(json, &c);
    if (!ok) {
        QVERIFY(e);
        QCOMPARE(e.kind(), Error::Kind::Credentials);
        QVERIFY2(e.message().contains(errorContains), qPrintable(e.message()));
        QVERIFY2(e.message().size() <= 600, qPrintable(QString::number(e.message().size())));
        QVERIFY(e.code().size() <= 200);
        QVERIFY(c.isEmpty());
        // Messages name fields, never values.
        QVERIFY(!e.message().contains(u"SECRET"_s));
        return;
    }
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(c.secretId, id);
    QVERIFY(!c.secretKey.isEmpty());
    QVERIFY(c.isTemporary());
    QCOMPARE(c.startTime, start);
    QCOMPARE(c.expiredTime, expire);
}

// A modern answer with @p scope (JSON text) as its "scope" field.
static QByteArray withScope(const QByteArray &scope)
{
    return R"({"credentials":{"tmpSecretId":"AKIDscope","tmpSecretKey":"SECRETscope","sessionToken":"T"},"startTime":1700000000,"expiredTime":1700001800,"scope":)"_ba
            + scope + "}";
}

void TstCredentials::scope()
{
    // cos-signer's "scope": buckets with regions, prefixes, action sets.
    Credentials c;
    Error e = parseCredentialsJson(
            withScope(
                    R"([{"bucket":"photos-1250000000","region":"ap-beijing","prefix":"users/alice/","actions":["upload","list"]},{"bucket":"shared","prefix":"","actions":["download","name/cos:DeleteObject"]}])"),
            &c);
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(c.scope.grants.size(), 2);
    QCOMPARE(c.scope.buckets(), QStringList({u"photos-1250000000"_s, u"shared"_s}));
    const CredentialScope::Grant *g = c.scope.grantFor(u"photos-1250000000"_s);
    QVERIFY(g);
    QCOMPARE(g->region, u"ap-beijing"_s);
    QCOMPARE(g->prefix, u"users/alice/"_s);
    QCOMPARE(g->actions, QStringList({u"upload"_s, u"list"_s}));
    QVERIFY(c.scope.grantFor(u"shared"_s)->region.isEmpty());
    QVERIFY(!c.scope.grantFor(u"other"_s));
    QCOMPARE(c.scope.describe(),
             u"photos-1250000000/users/alice/* [upload,list]; shared/* [download,name/cos:DeleteObject]"_s);
    // toJson() and fromJson() round-trip.
    CredentialScope back;
    QCOMPARE(CredentialScope::fromJson(c.scope.toJson(), &back), QString());
    QCOMPARE(back, c.scope);
    // Without the field (every other signer): no scope. null and [] are the same.
    QVERIFY(!parseCredentialsJson(modernJson(1700000000, 1700001800), &c));
    QVERIFY(c.scope.isEmpty());
    QVERIFY(!parseCredentialsJson(withScope("null"), &c));
    QVERIFY(c.scope.isEmpty());
    QVERIFY(!parseCredentialsJson(withScope("[]"), &c));
    QVERIFY(c.scope.isEmpty());
    // The legacy shape carries it at the top level too; unicode prefixes are fine.
    e = parseCredentialsJson(
            R"({"code":0,"data":{"credentials":{"sessionToken":"T","tmpSecretId":"AKIDl","tmpSecretKey":"S"},"expiredTime":1700001800},"scope":[{"bucket":"b","prefix":"照片/🌸/","actions":["download"]}]})"_ba,
            &c);
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(c.scope.grants.constFirst().prefix, u"照片/🌸/"_s);
}

void TstCredentials::hostileScope_data()
{
    QTest::addColumn<QByteArray>("scope");
    QTest::addColumn<QString>("errorContains");
    const QByteArray grant = R"({"bucket":"b","prefix":"p/","actions":["upload"]})";
    QTest::newRow("object") << QByteArray(R"({"bucket":"b"})") << u"not an array"_s;
    QTest::newRow("string") << QByteArray(R"("b/*")") << u"not an array"_s;
    QTest::newRow("grant not object") << QByteArray(R"([1])") << u"grant 1 is not an object"_s;
    QByteArray many = "[";
    for (int i = 0; i <= CredentialScope::MaxGrants; ++i)
        many += (i ? "," : "") + grant;
    QTest::newRow("too many grants") << many + "]" << u"more than 64 grants"_s;
    QTest::newRow("unknown field")
            << QByteArray(R"([{"bucket":"b","actions":["upload"],"policy":"*"}])")
            << u"unknown field"_s;
    QTest::newRow("no bucket") << QByteArray(R"([{"actions":["upload"]}])") << u"\"bucket\""_s;
    QTest::newRow("bucket with slash")
            << QByteArray(R"([{"bucket":"a/../b","actions":["upload"]}])") << u"\"bucket\""_s;
    QTest::newRow("bucket number")
            << QByteArray(R"([{"bucket":7,"actions":["upload"]}])") << u"\"bucket\""_s;
    QTest::newRow("long bucket") << "[{\"bucket\":\"" + QByteArray(256, 'b')
                    + "\",\"actions\":[\"upload\"]}]"
                                 << u"\"bucket\""_s;
    QTest::newRow("region upper case")
            << QByteArray(R"([{"bucket":"b","region":"AP-X","actions":["upload"]}])")
            << u"\"region\""_s;
    QTest::newRow("prefix control")
            << QByteArray(R"([{"bucket":"b","prefix":"a\u0000b","actions":["upload"]}])")
            << u"\"prefix\""_s;
    QTest::newRow("prefix bidi") << QByteArray(
            R"([{"bucket":"b","prefix":"a\u202eb","actions":["upload"]}])")
                                 << u"\"prefix\""_s;
    QTest::newRow("prefix lone surrogate")
            << QByteArray(R"([{"bucket":"b","prefix":"a\ud800b","actions":["upload"]}])")
            << u"\"prefix\""_s;
    QTest::newRow("prefix too long") << "[{\"bucket\":\"b\",\"prefix\":\"" + QByteArray(1025, 'p')
                    + "\",\"actions\":[\"upload\"]}]"
                                     << u"\"prefix\""_s;
    QTest::newRow("prefix array") << QByteArray(
            R"([{"bucket":"b","prefix":["a"],"actions":["upload"]}])")
                                  << u"\"prefix\""_s;
    QTest::newRow("no actions") << QByteArray(R"([{"bucket":"b"}])") << u"\"actions\""_s;
    QTest::newRow("empty actions")
            << QByteArray(R"([{"bucket":"b","actions":[]}])") << u"\"actions\""_s;
    QTest::newRow("action with space")
            << QByteArray(R"([{"bucket":"b","actions":["upload all"]}])") << u"action"_s;
    QTest::newRow("action number")
            << QByteArray(R"([{"bucket":"b","actions":[1]}])") << u"action"_s;
    QByteArray actions = "[";
    for (int i = 0; i <= CredentialScope::MaxActions; ++i)
        actions += i ? ",\"list\"" : "\"list\"";
    QTest::newRow("too many actions")
            << "[{\"bucket\":\"b\",\"actions\":" + actions + "]}]" << u"\"actions\""_s;
    QTest::newRow("second grant bad")
            << "[" + grant + R"(,{"bucket":"b","actions":"upload"}])" << u"grant 2"_s;
}

void TstCredentials::hostileScope()
{
    // A malformed scope rejects the whole answer, with a message that names the field only.
    QFETCH(QByteArray, scope);
    QFETCH(QString, errorContains);
    Credentials c;
    const Error e = parseCredentialsJson(withScope(scope), &c);
    QVERIFY(e);
    QCOMPARE(e.kind(), Error::Kind::Credentials);
    QVERIFY2(e.message().contains(u"scope"_s) && e.message().contains(errorContains),
             qPrintable(e.message()));
    QVERIFY(e.message().size() <= 300);
    QVERIFY(!e.message().contains(u"SECRETscope"_s));
    QVERIFY(c.isEmpty());
    QVERIFY(c.scope.isEmpty());
}

void TstCredentials::hostileFiles_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(COS_TEST_DATA_DIR "/hostile"));
    const QStringList files = dir.entryList({u"credentials-*"_s}, QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TstCredentials::hostileFiles()
{
    // Answers the fuzzer found (tests/data/hostile/credentials-*): each is refused.
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    Credentials c;
    const Error e = parseCredentialsJson(f.readAll(), &c);
    QCOMPARE(e.kind(), Error::Kind::Credentials);
    QVERIFY(c.isEmpty());
    QVERIFY(e.message().size() <= 600);
}

void TstCredentials::staticProvider()
{
    StaticCredentialProvider provider(keys(u"AKIDstatic"_s, 0, 0), u"environment"_s);
    QVERIFY(!provider.canRefresh());
    QVERIFY(provider.description().contains(u"environment"_s));
    QVERIFY(!provider.description().contains(u"SECRET"_s));
    QSignalSpy spy(&provider, &CredentialProvider::fetched);
    provider.fetch();
    QCOMPARE(spy.size(), 0); // never synchronously
    QVERIFY(spy.wait(1000));
    QCOMPARE(spy.at(0).at(0).value<Credentials>().secretId, u"AKIDstatic"_s);

    StaticCredentialProvider empty(Credentials {});
    QSignalSpy spy2(&empty, &CredentialProvider::fetched);
    empty.fetch();
    QVERIFY(spy2.wait(1000));
    QCOMPARE(spy2.at(0).at(1).value<Error>().kind(), Error::Kind::Credentials);
}

void TstCredentials::singleFlight()
{
    SigningServer fixture;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    fixture.body = modernJson(now, now + 3600);
    QNetworkAccessManager nam;
    Clock clock;
    UrlCredentialProvider provider(&nam, fixture.url());
    provider.setClock(&clock);
    CredentialCache cache(&provider, &clock);

    constexpr int N = 25;
    int answered = 0;
    QObject context;
    for (int i = 0; i < N; ++i) {
        cache.request(&context, [&answered](const Credentials &c, const Error &e) {
            QVERIFY2(!e, qPrintable(e.toString()));
            QCOMPARE(c.secretId, u"AKIDmodern"_s);
            ++answered;
        });
    }
    QCOMPARE(answered, 0);
    QVERIFY(cache.isFetching());
    QTRY_COMPARE_WITH_TIMEOUT(answered, N, 5000);
    QCOMPARE(fixture.calls, 1);
    QCOMPARE(cache.fetchCount(), 1);

    // Valid keys are handed out synchronously, without another fetch.
    bool sync = false;
    cache.request(&context, [&sync](const Credentials &, const Error &) { sync = true; });
    QVERIFY(sync);
    QCOMPARE(fixture.calls, 1);

    // A forced refresh fetches once more, again for every waiter at the same time.
    cache.invalidate();
    for (int i = 0; i < N; ++i)
        cache.request(&context, [&answered](const Credentials &, const Error &) { ++answered; });
    QTRY_COMPARE_WITH_TIMEOUT(answered, 2 * N, 5000);
    QCOMPARE(fixture.calls, 2);
}

void TstCredentials::refreshMargin_data()
{
    QTest::addColumn<qint64>("startOffset"); // relative to now
    QTest::addColumn<qint64>("expireOffset");
    QTest::addColumn<bool>("reused");
    QTest::newRow("30 s left of an hour") << qint64(-3570) << qint64(30) << false;
    QTest::newRow("59 s left of an hour") << qint64(-3541) << qint64(59) << false;
    QTest::newRow("120 s left of an hour") << qint64(-3480) << qint64(120) << true;
    QTest::newRow("fresh 3 s keys") << qint64(0) << qint64(3) << true; // margin: half the lifetime
    QTest::newRow("expired") << qint64(-3600) << qint64(-5) << false;
    QTest::newRow("permanent") << qint64(0) << qint64(0) << true;
}

void TstCredentials::refreshMargin()
{
    QFETCH(qint64, startOffset);
    QFETCH(qint64, expireOffset);
    QFETCH(bool, reused);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    Clock clock;
    ManualProvider provider;
    CredentialCache cache(&provider, &clock);
    QObject context;
    Credentials c = keys(u"AKIDmargin"_s, expireOffset == 0 ? 0 : now + startOffset,
                         expireOffset == 0 ? 0 : now + expireOffset);
    if (expireOffset == 0)
        c.sessionToken.clear();
    int answered = 0;
    cache.request(&context, [&](const Credentials &got, const Error &e) {
        // The fetched keys go to the waiter even when they are close to expiry.
        QVERIFY(!e);
        QCOMPARE(got.secretId, u"AKIDmargin"_s);
        ++answered;
    });
    QCOMPARE(provider.fetches, 1);
    provider.answer(c);
    QCOMPARE(answered, 1);
    QCOMPARE(cache.current().has_value(), reused);
    cache.request(&context, [&](const Credentials &, const Error &) { ++answered; });
    QCOMPARE(provider.fetches, reused ? 1 : 2);
    QCOMPARE(answered, reused ? 2 : 1);
}

void TstCredentials::fetchTimeout()
{
    Clock clock;
    ManualProvider provider;
    CredentialCache cache(&provider, &clock);
    cache.setFetchTimeout(200);
    QObject context;
    QList<Error> errors;
    for (int i = 0; i < 3; ++i)
        cache.request(&context,
                      [&errors](const Credentials &, const Error &e) { errors.append(e); });
    QCOMPARE(provider.fetches, 1);
    QTRY_COMPARE_WITH_TIMEOUT(errors.size(), 3, 3000);
    for (const Error &e : std::as_const(errors)) {
        QCOMPARE(e.kind(), Error::Kind::Timeout);
        QVERIFY(e.message().contains(u"manual test provider"_s));
    }
    QCOMPARE(provider.cancels, 1);
    QVERIFY(!cache.isFetching());

    // A late answer is ignored; the next request fetches again.
    provider.answer(keys(u"AKIDlate"_s, 0, 0));
    QVERIFY(!cache.current());
    bool got = false;
    cache.request(&context, [&got](const Credentials &c, const Error &e) {
        got = !e && c.secretId == u"AKIDnext"_s;
    });
    QCOMPARE(provider.fetches, 2);
    provider.answer(keys(u"AKIDnext"_s, 0, 0));
    QVERIFY(got);
}

void TstCredentials::fetchErrorReachesAllWaiters()
{
    Clock clock;
    ManualProvider provider;
    CredentialCache cache(&provider, &clock);
    QSignalSpy failed(&cache, &CredentialCache::fetchFailed);
    QObject context;
    int errors = 0;
    for (int i = 0; i < 4; ++i)
        cache.request(&context, [&errors](const Credentials &, const Error &e) {
            errors += e.kind() == Error::Kind::Credentials;
        });
    provider.answer({}, Error(Error::Kind::Credentials, u"denied"_s));
    QCOMPARE(errors, 4);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(provider.fetches, 1);
}

void TstCredentials::invalidateOnlyRejectedKeys()
{
    Clock clock;
    ManualProvider provider;
    CredentialCache cache(&provider, &clock);
    QObject context;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const Credentials first = keys(u"AKIDone"_s, now, now + 3600);
    cache.request(&context, [](const Credentials &, const Error &) {});
    provider.answer(first);
    QVERIFY(cache.current());

    QVERIFY(cache.invalidate(first));
    QVERIFY(!cache.invalidate(first)); // a second job rejected the same keys: nothing to do
    cache.request(&context, [](const Credentials &, const Error &) {});
    cache.request(&context, [](const Credentials &, const Error &) {});
    QCOMPARE(provider.fetches, 2);
    provider.answer(keys(u"AKIDtwo"_s, now, now + 3600));
    QVERIFY(!cache.invalidate(first)); // stale rejection must not drop the new keys
    QCOMPARE(cache.current()->secretId, u"AKIDtwo"_s);
}

void TstCredentials::destroyedContextIsSkipped()
{
    Clock clock;
    ManualProvider provider;
    CredentialCache cache(&provider, &clock);
    auto context = std::make_unique<QObject>();
    bool called = false;
    cache.request(context.get(), [&called](const Credentials &, const Error &) { called = true; });
    context.reset();
    provider.answer(keys(u"AKID"_s, 0, 0));
    QVERIFY(!called);
}

void TstCredentials::urlProviderBearerAndErrors()
{
    SigningServer fixture;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QNetworkAccessManager nam;
    UrlCredentialProvider provider(&nam, fixture.url(), "bearer-123"_ba);
    QSignalSpy spy(&provider, &CredentialProvider::fetched);

    fixture.body = modernJson(now, now + 900);
    provider.fetch();
    QVERIFY(spy.wait(5000));
    QCOMPARE(fixture.lastAuthorization, "Bearer bearer-123"_ba);
    QVERIFY(!spy.at(0).at(1).value<Error>());

    fixture.status = 403;
    fixture.body = R"({"error":"token not accepted"})"_ba;
    provider.fetch();
    QVERIFY(spy.wait(5000));
    Error e = spy.at(1).at(1).value<Error>();
    QCOMPARE(e.kind(), Error::Kind::Credentials);
    QCOMPARE(e.httpStatus(), 403);
    QVERIFY2(e.message().contains(u"HTTP 403: token not accepted"_s), qPrintable(e.message()));

    fixture.status = 200;
    fixture.body = R"({"code":-1,"message":"sts failed","codeDesc":"InternalError"})"_ba;
    provider.fetch();
    QVERIFY(spy.wait(5000));
    e = spy.at(2).at(1).value<Error>();
    QVERIFY2(e.message().contains(u"code -1: sts failed"_s), qPrintable(e.message()));

    fixture.body = modernJson(now, now * 1000);
    provider.fetch();
    QVERIFY(spy.wait(5000));
    e = spy.at(3).at(1).value<Error>();
    QVERIFY2(e.message().contains(u"milliseconds"_s), qPrintable(e.message()));

    // Nothing listens on the next port: a network error, not a hang.
    QTcpServer closed;
    closed.listen(QHostAddress::LocalHost, 0);
    const quint16 deadPort = closed.serverPort();
    closed.close();
    UrlCredentialProvider dead(&nam, QUrl(u"http://127.0.0.1:%1/sts"_s.arg(deadPort)));
    QSignalSpy deadSpy(&dead, &CredentialProvider::fetched);
    dead.fetch();
    QVERIFY(deadSpy.wait(5000));
    QCOMPARE(deadSpy.at(0).at(1).value<Error>().kind(), Error::Kind::Network);
}

void TstCredentials::urlProviderHidesQuery()
{
    QNetworkAccessManager nam;
    UrlCredentialProvider provider(&nam, QUrl(u"https://user:pw@signer.example/sts?token=abc"_s));
    QCOMPARE(provider.description(), u"signing URL https://signer.example/sts"_s);
}

void TstCredentials::startTimeFeedsClock()
{
    SigningServer fixture;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    fixture.body = modernJson(now, now + 900);
    QNetworkAccessManager nam;

    // The device is 20 minutes behind: a fresh startTime proves it.
    Clock behind;
    behind.setSkewForTesting(-1200);
    UrlCredentialProvider p1(&nam, fixture.url());
    p1.setClock(&behind);
    QSignalSpy s1(&p1, &CredentialProvider::fetched);
    p1.fetch();
    QVERIFY(s1.wait(5000));
    QVERIFY(qAbs(behind.offsetMSecs() - 1200000) < 3000);
    QVERIFY(qAbs(behind.nowSeconds() - now) < 5);

    // The device is ahead: a start time in the past proves nothing (keys may be cached).
    Clock ahead;
    ahead.setSkewForTesting(1200);
    UrlCredentialProvider p2(&nam, fixture.url());
    p2.setClock(&ahead);
    QSignalSpy s2(&p2, &CredentialProvider::fetched);
    p2.fetch();
    QVERIFY(s2.wait(5000));
    QCOMPARE(ahead.offsetMSecs(), 0);
}

void TstCredentials::clockAdjustments()
{
    Clock clock;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(qAbs(clock.nowMSecs() - now.toMSecsSinceEpoch()) < 1000);

    clock.setSkewForTesting(1200);
    QCOMPARE(clock.skewForTesting(), 1200);
    QVERIFY(qAbs(clock.nowSeconds() - now.toSecsSinceEpoch() - 1200) <= 1);

    // Small differences are ignored passively but count on a skew error.
    QVERIFY(!clock.adjustToServerTime(now.addSecs(1200 - 10)));
    QVERIFY(clock.adjustToServerTime(now.addSecs(1200 - 10), Clock::SkewErrorThresholdSeconds));
    QVERIFY(qAbs(clock.offsetMSecs() + 10000) < 1500);

    // An RFC 1123 Date header.
    const QByteArray date =
            QLocale::c().toString(now, u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
    QVERIFY(clock.adjustToDateHeader(date));
    QVERIFY(qAbs(clock.nowSeconds() - now.toSecsSinceEpoch()) <= 2);
    QVERIFY(!clock.adjustToDateHeader("not a date"_ba, 0));
    QVERIFY(!clock.adjustToDateHeader({}, 0));
    QVERIFY(!clock.adjustToServerTime(QDateTime(), 0));
}

QTEST_GUILESS_MAIN(TstCredentials)
#include "tst_credentials.moc"
