// The cos-signer HTTP front end in process, against the fake Tencent STS: routes, shapes, CORS,
// auth, limits, the bad-input table, and that the server keeps serving after each bad request.
#include <faketencentsts.h>
#include <requestauth.h>
#include <signercore.h>
#include <signerserver.h>

#include "cos/net/credentialprovider.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Signer;

namespace {
const QString kId = u"AKIDpermanentExample"_s;
const QString kKey = u"PERMANENT-secret-key-example"_s;
const QString kToken = u"bearer-token-for-alice-0123456789"_s;
const QString kHmacSecret = u"hmac-secret-for-bob-0123456789"_s;

struct Reply
{
    int status = 0;
    QJsonObject json;
    QByteArray raw;
    QHash<QByteArray, QByteArray> headers; // lower-case names
};

QStringList g_log;
QStringList g_upstreamLog;
QtMessageHandler g_previous = nullptr;
void captureLog(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    if (ctx.category && QByteArrayView(ctx.category) == "cos.signer.access")
        g_log.append(msg);
    if (ctx.category && QByteArrayView(ctx.category) == "cos.signer.upstream")
        g_upstreamLog.append(msg);
    if (g_previous)
        g_previous(type, ctx, msg);
}
} // namespace

class TestSignerServer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();
    void modernShape();
    void legacyShape();
    void healthzAnd404();
    void methodNotAllowed();
    void cacheReuse();
    void cors();
    void badInput_data();
    void badInput();
    void upstreamDown();
    void oversizedDeclaredBodyRawSocket();
    void chunkedBodyRefused();
    void rateLimit();
    void clientGoneBeforeUpstreamAnswers();
    void bearerAuth();
    void hmacAuth_data();
    void hmacAuth();
    void openAuthOnlyOnLoopback();
    void logsOneLinePerRequestWithoutSecrets();
    void ambiguousFraming_data();
    void ambiguousFraming();
    void duplicateContentLengthDoesNotBuffer();
    void halfSentRequestTimesOut();
    void idleKeepAliveTimesOut();
    void anonymousRequestsDoNotExhaustCallers();
    void rateLimitPerCallerNotPerAddress();
    void trustedProxyForwardedFor();
    void perCallerCredentials();
    void upstreamDetailStaysInLog();
    void invisiblePrefixRefused_data();
    void invisiblePrefixRefused();
    void hmacTimestampExtremes();

private:
    SignerConfig config() const;
    void startServer(const SignerConfig &config);
    Reply send(const QByteArray &method, const QString &path, const QByteArray &body = {},
               const QList<std::pair<QByteArray, QByteArray>> &headers = {});
    std::unique_ptr<FakeTencentSts> m_fake;
    std::unique_ptr<SignerCore> m_core;
    std::unique_ptr<SignerServer> m_server;
    QNetworkAccessManager m_nam;
};

void TestSignerServer::initTestCase()
{
    g_previous = qInstallMessageHandler(captureLog);
}

void TestSignerServer::cleanupTestCase()
{
    qInstallMessageHandler(g_previous);
}

SignerConfig TestSignerServer::config() const
{
    SignerConfig c;
    c.backend = u"tencent"_s;
    c.secretId = kId;
    c.secretKey = kKey;
    c.appId = u"1250000000"_s;
    c.stsEndpoint = m_fake->url().toString();
    c.grants = {{u"examplebucket"_s, u"ap-guangzhou"_s, u"users/${uid}/"_s, {}}};
    QString error;
    parseActionList(u"upload,download,list"_s, &c.grants[0].operations, &error);
    c.corsOrigins = {u"https://app.example"_s};
    c.ratePerSecond = 1000;
    c.rateBurst = 1000;
    c.upstreamTimeoutMs = 800;
    return c;
}

void TestSignerServer::init()
{
    m_fake = std::make_unique<FakeTencentSts>(kId, kKey);
    QVERIFY(m_fake->start());
    startServer(config());
    g_log.clear();
    g_upstreamLog.clear();
}

void TestSignerServer::cleanup()
{
    m_server.reset();
    m_core.reset();
    m_fake.reset();
}

void TestSignerServer::startServer(const SignerConfig &c)
{
    m_server.reset();
    m_core.reset();
    QString error;
    QVERIFY2(c.validate(&error), qPrintable(error));
    m_core = std::make_unique<SignerCore>(c, SignerCore::createBackend(c));
    m_server = std::make_unique<SignerServer>(m_core.get());
    QVERIFY2(m_server->start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

Reply TestSignerServer::send(const QByteArray &method, const QString &path, const QByteArray &body,
                             const QList<std::pair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server->port()).arg(path)));
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    for (const auto &[k, v] : headers)
        request.setRawHeader(k, v);
    QNetworkReply *reply = m_nam.sendCustomRequest(request, method, body);
    Reply out;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000)) {
        reply->abort();
        delete reply;
        return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.raw = reply->readAll();
    out.json = QJsonDocument::fromJson(out.raw).object();
    for (const auto &[k, v] : reply->rawHeaderPairs())
        out.headers.insert(k.toLower(), v);
    delete reply;
    return out;
}

void TestSignerServer::modernShape()
{
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    const Reply r = send("GET", u"/sts"_s);
    QCOMPARE(r.status, 200);
    const QJsonObject creds = r.json.value("credentials"_L1).toObject();
    QCOMPARE(creds.value("tmpSecretId"_L1).toString(), u"AKIDfakeTmp1"_s);
    QCOMPARE(creds.value("tmpSecretKey"_L1).toString(), u"fakeTmpSecretKey1"_s);
    QCOMPARE(creds.value("sessionToken"_L1).toString(), u"fake-session-token-1"_s);
    const qint64 start = r.json.value("startTime"_L1).toInteger();
    const qint64 expired = r.json.value("expiredTime"_L1).toInteger();
    QVERIFY(start >= before && start <= QDateTime::currentSecsSinceEpoch());
    QCOMPARE(QString::number(expired).size(), 10);
    QVERIFY(expired - start > 1700);
    QVERIFY(r.json.value("expiration"_L1).toString().endsWith(u'Z'));
    QVERIFY(!r.json.value("requestId"_L1).toString().isEmpty());
    QVERIFY(r.headers.contains("date"));
    QCOMPARE(r.headers.value("cache-control"), "no-store"_ba);
    QVERIFY(r.headers.value("content-type").startsWith("application/json"));
    // The policy the fake received: least privilege for the anonymous loopback caller.
    const QString policy = m_fake->lastParams().value("Policy"_L1).toString();
    QVERIFY2(policy.contains(
                     u"qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/users/anonymous/*"_s),
             qPrintable(policy));
    QVERIFY(!policy.contains(u"name/cos:DeleteObject"_s));
    // "scope": what the keys allow, in the terms of the policy (full bucket name, the caller's
    // prefix, action sets), and what the engine's parser reads back.
    const QJsonArray scope = r.json.value("scope"_L1).toArray();
    QCOMPARE(scope.size(), 1);
    const QJsonObject grant = scope.at(0).toObject();
    QCOMPARE(grant.value("bucket"_L1).toString(), u"examplebucket-1250000000"_s);
    QCOMPARE(grant.value("region"_L1).toString(), u"ap-guangzhou"_s);
    QCOMPARE(grant.value("prefix"_L1).toString(), u"users/anonymous/"_s);
    QCOMPARE(grant.value("actions"_L1).toArray(),
             QJsonArray({u"upload"_s, u"download"_s, u"list"_s}));
    Cos::Credentials parsed;
    const Cos::Error e = Cos::parseCredentialsJson(r.raw, &parsed);
    QVERIFY2(!e, qPrintable(e.toString()));
    QCOMPARE(parsed.scope.describe(),
             u"examplebucket-1250000000/users/anonymous/* [upload,download,list]"_s);
    // A POST that asks for less is answered with the smaller scope.
    const Reply narrow = send(
            "POST", u"/sts"_s,
            R"({"scope":[{"action":["download"],"bucket":"examplebucket-1250000000","region":"ap-guangzhou","prefix":"users/anonymous/photos/"}]})");
    QCOMPARE(narrow.status, 200);
    QCOMPARE(narrow.json.value("scope"_L1).toArray().at(0).toObject().value("prefix"_L1).toString(),
             u"users/anonymous/photos/"_s);
    QCOMPARE(narrow.json.value("scope"_L1).toArray().at(0).toObject().value("actions"_L1).toArray(),
             QJsonArray({u"download"_s}));
}

void TestSignerServer::legacyShape()
{
    const Reply r = send("GET", u"/sign"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("code"_L1).toInt(-1), 0);
    QCOMPARE(r.json.value("codeDesc"_L1).toString(), u"Success"_s);
    const QJsonObject data = r.json.value("data"_L1).toObject();
    QCOMPARE(data.value("credentials"_L1).toObject().value("sessionToken"_L1).toString(),
             u"fake-session-token-1"_s);
    QCOMPARE(QString::number(data.value("expiredTime"_L1).toInteger()).size(), 10);
    // The legacy answer carries the scope at the top level as well.
    QCOMPARE(r.json.value("scope"_L1).toArray().at(0).toObject().value("prefix"_L1).toString(),
             u"users/anonymous/"_s);
}

void TestSignerServer::healthzAnd404()
{
    Reply r = send("GET", u"/healthz"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json.value("status"_L1).toString(), u"ok"_s);
    QCOMPARE(r.json.value("backend"_L1).toString(), u"tencent"_s);
    r = send("GET", u"/admin/keys"_s);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json.value("codeDesc"_L1).toString(), u"PageNotFound"_s);
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(), u"NotFound"_s);
    QCOMPARE(m_fake->calls(), 0);
}

void TestSignerServer::methodNotAllowed()
{
    const Reply r = send("DELETE", u"/sts"_s);
    QCOMPARE(r.status, 405);
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(), u"MethodNotAllowed"_s);
    QCOMPARE(r.headers.value("allow"), "GET, POST, OPTIONS"_ba);
    QCOMPARE(send("POST", u"/sign"_s, "{}").status, 405);
}

void TestSignerServer::cacheReuse()
{
    QCOMPARE(send("GET", u"/sts"_s).status, 200);
    const Reply second = send("GET", u"/sts"_s);
    QCOMPARE(second.status, 200);
    QCOMPARE(m_fake->successes(), 1);
    QCOMPARE(second.json.value("credentials"_L1).toObject().value("tmpSecretId"_L1).toString(),
             u"AKIDfakeTmp1"_s);
    // /sign and /sts share the cache for the same scope.
    QCOMPARE(send("GET", u"/sign"_s).status, 200);
    QCOMPARE(m_fake->successes(), 1);
    // A narrower scope is another policy: another upstream call.
    QCOMPARE(send("POST", u"/sts"_s, R"({"scope":{"action":"download"}})").status, 200);
    QCOMPARE(m_fake->successes(), 2);
}

void TestSignerServer::cors()
{
    Reply r = send("GET", u"/sts"_s, {}, {{"Origin", "https://app.example"}});
    QCOMPARE(r.status, 200);
    QCOMPARE(r.headers.value("access-control-allow-origin"), "https://app.example"_ba);
    QCOMPARE(r.headers.value("access-control-expose-headers"), "Date"_ba);
    r = send("GET", u"/sts"_s, {}, {{"Origin", "https://evil.example"}});
    QVERIFY(!r.headers.contains("access-control-allow-origin"));
    r = send("OPTIONS", u"/sts"_s, {},
             {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
    QCOMPARE(r.status, 200);
    QVERIFY(r.headers.value("access-control-allow-methods").contains("POST"));
    QVERIFY(r.headers.value("access-control-allow-headers").contains("Authorization"));
    r = send("OPTIONS", u"/sts"_s, {}, {{"Origin", "https://evil.example"}});
    QCOMPARE(r.status, 403);
}

void TestSignerServer::badInput_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("upstream"); // "", "fail:CODE", "slow", "garbage"
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("messagePart");
    QTest::newRow("malformed json")
            << "{\"scope\": ["_ba << QString() << 400 << u"MalformedJson"_s << u"not valid JSON"_s;
    QTest::newRow("json not an object")
            << "42"_ba << QString() << 400 << u"MalformedJson"_s << u"JSON"_s;
    QTest::newRow("oversized body") << QByteArray(100 * 1024, ' ') << QString() << 413
                                    << u"PayloadTooLarge"_s << u"exceeds the limit"_s;
    QTest::newRow("unknown field")
            << R"({"grant":"all"})"_ba << QString() << 400 << u"UnknownField"_s << u"'grant'"_s;
    QTest::newRow("unknown action")
            << R"({"scope":{"action":"name/cos:PutBucketPolicy"}})"_ba << QString() << 400
            << u"UnknownAction"_s << u"PutBucketPolicy"_s;
    QTest::newRow("escape with ..") << R"({"scope":{"prefix":"users/anonymous/../admin/"}})"_ba
                                    << QString() << 400 << u"InvalidPrefix"_s << u"'..'"_s;
    QTest::newRow("absolute prefix") << R"({"scope":{"prefix":"/users/anonymous/"}})"_ba
                                     << QString() << 400 << u"InvalidPrefix"_s << u"relative"_s;
    QTest::newRow("wildcard prefix") << R"({"scope":{"prefix":"users/*"}})"_ba << QString() << 400
                                     << u"InvalidPrefix"_s << u"wildcard"_s;
    QTest::newRow("other prefix") << R"({"scope":{"prefix":"users/alice/"}})"_ba << QString() << 403
                                  << u"ScopeNotAllowed"_s << u"outside"_s;
    QTest::newRow("whole bucket") << R"({"scope":{"prefix":"*"}})"_ba << QString() << 403
                                  << u"ScopeNotAllowed"_s << u"outside"_s;
    QTest::newRow("action not granted") << R"({"scope":{"action":"delete"}})"_ba << QString() << 403
                                        << u"ScopeNotAllowed"_s << u"DeleteObject"_s;
    QTest::newRow("other bucket") << R"({"scope":{"bucket":"payroll"}})"_ba << QString() << 403
                                  << u"ScopeNotAllowed"_s << u"payroll"_s;
    // Upstream failures reach clients as one generic error with the signer's request id; the
    // detail is in the log (upstreamDetailStaysInLog).
    QTest::newRow("upstream InvalidParameter") << QByteArray() << u"fail:InvalidParameter"_s << 502
                                               << u"UpstreamError"_s << u"request id"_s;
    QTest::newRow("upstream AuthFailure") << QByteArray() << u"fail:AuthFailure.SignatureFailure"_s
                                          << 502 << u"UpstreamError"_s << u"request id"_s;
    QTest::newRow("upstream throttled") << QByteArray() << u"fail:RequestLimitExceeded"_s << 502
                                        << u"UpstreamError"_s << u"request id"_s;
    QTest::newRow("upstream slow")
            << QByteArray() << u"slow"_s << 504 << u"UpstreamError"_s << u"request id"_s;
    QTest::newRow("upstream garbage")
            << QByteArray() << u"garbage"_s << 502 << u"UpstreamError"_s << u"request id"_s;
}

void TestSignerServer::badInput()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, upstream);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, messagePart);
    if (upstream.startsWith("fail:"_L1))
        m_fake->failWith(upstream.mid(5));
    else if (upstream == "slow"_L1)
        m_fake->setDelay(3000);
    else if (upstream == "garbage"_L1)
        m_fake->setGarbage(true);
    const Reply r = send("POST", u"/sts"_s, body);
    QCOMPARE(r.status, status);
    const QJsonObject error = r.json.value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), code);
    QVERIFY2(error.value("message"_L1).toString().contains(messagePart),
             qPrintable(error.value("message"_L1).toString()));
    // The same failure in the legacy shape on /sign (for the upstream rows).
    if (!upstream.isEmpty()) {
        const Reply legacy = send("GET", u"/sign"_s);
        QCOMPARE(legacy.status, status);
        QCOMPARE(legacy.json.value("code"_L1).toInt(), status);
        QCOMPARE(legacy.json.value("codeDesc"_L1).toString(), code);
    }
    // The server keeps serving, and a good request still works once upstream recovers.
    m_fake->failWith({});
    m_fake->setDelay(0);
    m_fake->setGarbage(false);
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
    QCOMPARE(send("GET", u"/sts"_s).status, 200);
}

void TestSignerServer::upstreamDown()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    SignerConfig c = config();
    c.stsEndpoint = u"http://127.0.0.1:%1/"_s.arg(probe.serverPort());
    probe.close();
    startServer(c);
    const Reply r = send("GET", u"/sts"_s);
    QCOMPARE(r.status, 502);
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(), u"UpstreamError"_s);
    QVERIFY(!r.raw.contains("127.0.0.1"));
    QVERIFY(std::any_of(g_upstreamLog.cbegin(), g_upstreamLog.cend(), [](const QString &l) {
        return l.contains(u"UpstreamUnavailable"_s) && l.contains(u"cannot reach STS"_s);
    }));
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
}

void TestSignerServer::oversizedDeclaredBodyRawSocket()
{
    // The guard answers from the header alone: the 10 MB body is never sent nor buffered.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /sts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: 10000000\r\n\r\n{");
    QByteArray answer;
    QVERIFY(QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return answer.contains("}");
            },
            5000));
    QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.constData());
    QVERIFY(answer.contains("PayloadTooLarge"));
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
}

void TestSignerServer::chunkedBodyRefused()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write(
            "POST /sts HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{}{}{\r\n");
    QByteArray answer;
    QVERIFY(QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return answer.contains("}");
            },
            5000));
    QVERIFY2(answer.startsWith("HTTP/1.1 411"), answer.constData());
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
}

void TestSignerServer::rateLimit()
{
    SignerConfig c = config();
    c.ratePerSecond = 0.5;
    c.rateBurst = 2;
    startServer(c);
    QCOMPARE(send("GET", u"/sts"_s).status, 200);
    QCOMPARE(send("GET", u"/sts"_s).status, 200);
    const Reply r = send("GET", u"/sts"_s);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(), u"TooManyRequests"_s);
    QVERIFY(r.headers.value("retry-after").toInt() >= 1);
    QCOMPARE(send("GET", u"/healthz"_s).status, 200); // health is not rate-limited
}

void TestSignerServer::clientGoneBeforeUpstreamAnswers()
{
    m_fake->setDelay(500);
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/sts"_s.arg(m_server->port())));
    QNetworkReply *reply = m_nam.get(request);
    QTest::qWait(150);
    reply->abort();
    delete reply;
    QTest::qWait(900); // the STS answer arrives after the client left: dropped, cached
    QCOMPARE(m_fake->successes(), 1);
    m_fake->setDelay(0);
    const Reply r = send("GET", u"/sts"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(m_fake->calls(), 1); // answered from the cache filled by the abandoned request
    QVERIFY(std::any_of(g_log.cbegin(), g_log.cend(),
                        [](const QString &l) { return l.startsWith(u"status=499"_s); }));
}

void TestSignerServer::bearerAuth()
{
    SignerConfig c = config();
    c.tokens = {u"alice:"_s + kToken};
    startServer(c);
    Reply r = send("GET", u"/sts"_s);
    QCOMPARE(r.status, 401);
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(), u"Unauthorized"_s);
    QVERIFY(r.headers.value("www-authenticate").startsWith("Bearer"));
    r = send("GET", u"/sts"_s, {}, {{"Authorization", "Bearer wrong-token-000000000"}});
    QCOMPARE(r.status, 401);
    QVERIFY(r.json.value("error"_L1)
                    .toObject()
                    .value("message"_L1)
                    .toString()
                    .contains(u"invalid bearer token"_s));
    r = send("GET", u"/sts"_s, {}, {{"Authorization", "Basic YWxpY2U6eA=="}});
    QCOMPARE(r.status, 401);
    r = send("GET", u"/sts"_s, {}, {{"Authorization", "Bearer " + kToken.toUtf8()}});
    QCOMPARE(r.status, 200);
    QVERIFY(m_fake->lastParams().value("Policy"_L1).toString().contains(u"/users/alice/*"_s));
    // The identity bounds a POST too: alice cannot ask for bob's prefix.
    r = send("POST", u"/sts"_s, R"({"scope":{"prefix":"users/bob/"}})",
             {{"Authorization", "Bearer " + kToken.toUtf8()}});
    QCOMPARE(r.status, 403);
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
}

void TestSignerServer::hmacAuth_data()
{
    QTest::addColumn<qint64>("skew");
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<QString>("uid");
    QTest::addColumn<bool>("tamperBody");
    QTest::addColumn<int>("status");
    QTest::newRow("valid") << qint64(0) << kHmacSecret.toUtf8() << u"bob"_s << false << 200;
    QTest::newRow("within window")
            << qint64(-200) << kHmacSecret.toUtf8() << u"bob"_s << false << 200;
    QTest::newRow("stale timestamp")
            << qint64(-400) << kHmacSecret.toUtf8() << u"bob"_s << false << 401;
    QTest::newRow("future timestamp")
            << qint64(400) << kHmacSecret.toUtf8() << u"bob"_s << false << 401;
    QTest::newRow("wrong secret") << qint64(0) << "not-bobs-secret-000000"_ba << u"bob"_s << false
                                  << 401;
    QTest::newRow("unknown uid") << qint64(0) << kHmacSecret.toUtf8() << u"mallory"_s << false
                                 << 401;
    QTest::newRow("body changed") << qint64(0) << kHmacSecret.toUtf8() << u"bob"_s << true << 401;
}

void TestSignerServer::hmacAuth()
{
    QFETCH(qint64, skew);
    QFETCH(QByteArray, secret);
    QFETCH(QString, uid);
    QFETCH(bool, tamperBody);
    QFETCH(int, status);
    SignerConfig c = config();
    c.hmacKeys = {u"bob:"_s + kHmacSecret};
    startServer(c);
    const QByteArray body = R"({"scope":{"action":"download","prefix":"users/bob/in/"}})";
    const QByteArray auth = RequestAuth::hmacAuthorization(uid, secret,
                                                           QDateTime::currentSecsSinceEpoch() + skew,
                                                           "POST", "/sts", body);
    const QByteArray sent = tamperBody ? QByteArray(body).replace("in/", "xx/") : body;
    const Reply r = send("POST", u"/sts"_s, sent, {{"Authorization", auth}});
    QCOMPARE(r.status, status);
    if (status == 200)
        QVERIFY(m_fake->lastParams().value("Policy"_L1).toString().contains(u"/users/bob/in/*"_s));
    else
        QCOMPARE(m_fake->calls(), 0);
}

void TestSignerServer::openAuthOnlyOnLoopback()
{
    SignerCore core(config(), SignerCore::createBackend(config()));
    SignerServer server(&core);
    QString error;
    QVERIFY(!server.start(QHostAddress::AnyIPv4, 0, &error));
    QVERIFY2(error.contains(u"without authentication"_s), qPrintable(error));
    SignerConfig withTokens = config();
    withTokens.tokens = {u"alice:"_s + kToken};
    SignerCore core2(withTokens, SignerCore::createBackend(withTokens));
    SignerServer server2(&core2);
    QVERIFY2(server2.start(QHostAddress::AnyIPv4, 0, &error), qPrintable(error));
}

void TestSignerServer::logsOneLinePerRequestWithoutSecrets()
{
    SignerConfig c = config();
    c.tokens = {u"alice:"_s + kToken};
    startServer(c);
    g_log.clear();
    const Reply ok = send("GET", u"/sts"_s, {}, {{"Authorization", "Bearer " + kToken.toUtf8()}});
    QCOMPARE(ok.status, 200);
    send("GET", u"/sts"_s, {}, {{"Authorization", "Bearer " + kToken.toUtf8()}});
    send("GET", u"/sts"_s, {}, {{"Authorization", "Bearer nope-nope-nope-nope"}});
    send("GET", u"/nothing"_s);
    QCOMPARE(g_log.size(), 4);
    QVERIFY2(g_log[0].startsWith(u"status=200 method=GET path=/sts"_s), qPrintable(g_log[0]));
    QVERIFY(g_log[0].contains(u"caller=alice"_s));
    QVERIFY(g_log[0].contains(u"cache=miss"_s));
    QVERIFY(g_log[1].contains(u"cache=hit"_s));
    QVERIFY(g_log[0].contains(u"users/alice/*"_s));
    QVERIFY(g_log[2].startsWith(u"status=401"_s));
    QVERIFY(g_log[3].startsWith(u"status=404"_s));
    const QStringList secrets = {kKey, kToken, u"fakeTmpSecretKey1"_s, u"fake-session-token-1"_s,
                                 u"nope-nope"_s};
    for (const QString &line : std::as_const(g_log)) {
        for (const QString &s : secrets)
            QVERIFY2(!line.contains(s), qPrintable(line));
    }
}

namespace {
// What a raw client gets before the server closes or @p ms pass.
QByteArray rawExchange(quint16 port, const QByteArray &request, int ms = 5000,
                       bool *closed = nullptr)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return "no connection";
    socket.write(request);
    QByteArray answer;
    QElapsedTimer t;
    t.start();
    (void)QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return socket.state() != QAbstractSocket::ConnectedState;
            },
            ms);
    answer += socket.readAll();
    if (closed)
        *closed = socket.state() != QAbstractSocket::ConnectedState;
    return answer;
}

qint64 residentKiB()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}
} // namespace

void TestSignerServer::ambiguousFraming_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    const QByteArray post = "POST /sts HTTP/1.1\r\nHost: x\r\n";
    QTest::newRow("two Content-Length")
            << post + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" << 400;
    QTest::newRow("Content-Length and Transfer-Encoding")
            << post + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}" << 400;
    QTest::newRow("Transfer-Encoding identity")
            << post + "Transfer-Encoding: identity\r\n\r\n{}" << 411;
    QTest::newRow("signed Content-Length") << post + "Content-Length: +2\r\n\r\n{}" << 400;
    QTest::newRow("list Content-Length") << post + "Content-Length: 2, 2\r\n\r\n{}" << 400;
    QTest::newRow("space before colon") << post + "Content-Length : 2\r\n\r\n{}" << 400;
    QTest::newRow("folded header") << post + "X-A: 1\r\n Content-Length: 2\r\n\r\n{}" << 400;
    QTest::newRow("huge Content-Length")
            << post + "Content-Length: 99999999999999999999\r\n\r\n{}" << 400;
    QTest::newRow("bare LF, over the limit")
            << "POST /sts HTTP/1.1\nHost: x\nContent-Length: 300000000\n\n{"_ba << 413;
}

void TestSignerServer::ambiguousFraming()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    bool closed = false;
    const QByteArray answer = rawExchange(m_server->port(), request, 5000, &closed);
    QVERIFY2(answer.startsWith(QByteArray("HTTP/1.1 " + QByteArray::number(status))),
             answer.constData());
    QVERIFY(answer.contains("Connection: close"));
    QVERIFY(closed);
    QCOMPARE(m_fake->calls(), 0);
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
}

void TestSignerServer::duplicateContentLengthDoesNotBuffer()
{
    // QHttpServer takes the first Content-Length, a lenient guard the last: a body made of
    // things that look like header blocks would then be buffered whole by QHttpServer.
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    const qint64 before = residentKiB();
    socket.write("POST /sts HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n"
                 "Content-Length: 10\r\n\r\n0123456789");
    QByteArray piece;
    while (piece.size() < 8192 - 32)
        piece += "X-Padding: 0123456789abcdef\r\n";
    piece += "\r\n";
    piece = "GET /healthz HTTP/1.1\r\n" + piece.left(8192 - 23 - 2) + "\r\n\r\n";
    qint64 sent = 0;
    const qint64 total = 96ll * 1024 * 1024;
    QByteArray answer;
    QElapsedTimer timer;
    timer.start();
    while (sent < total && socket.state() == QAbstractSocket::ConnectedState
           && timer.elapsed() < 120000) {
        if (socket.bytesToWrite() < 256 * 1024) {
            socket.write(piece);
            sent += piece.size();
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        answer += socket.readAll();
        if (!answer.isEmpty() && sent > 4 * 1024 * 1024)
            break; // answered; keep sending a little to be sure nothing is buffered
    }
    (void)QTest::qWaitFor([&] {
        answer += socket.readAll();
        return socket.state() != QAbstractSocket::ConnectedState || !answer.isEmpty();
    });
    const qint64 grownKiB = residentKiB() - before;
    qInfo("sent %lld MiB, RSS grew %lld KiB", sent >> 20, grownKiB);
    QVERIFY2(grownKiB < 32 * 1024, qPrintable(QString::number(grownKiB)));
    QVERIFY2(answer.isEmpty() || answer.startsWith("HTTP/1.1 4"), answer.left(200).constData());
    QVERIFY(!answer.contains("200 OK"));
    QCOMPARE(send("GET", u"/healthz"_s).status, 200);
}

void TestSignerServer::halfSentRequestTimesOut()
{
    SignerConfig c = config();
    c.headerTimeoutMs = 500;
    startServer(c);
    QElapsedTimer t;
    t.start();
    bool closed = false;
    rawExchange(m_server->port(), "GET /healthz HTTP/1.1\r\nHost: x", 5000, &closed);
    QVERIFY(closed);
    QVERIFY2(t.elapsed() < 2500, qPrintable(QString::number(t.elapsed())));
    // A body that stops short is held to the same deadline.
    t.restart();
    rawExchange(m_server->port(), "POST /sts HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{",
                5000, &closed);
    QVERIFY(closed);
    QVERIFY(t.elapsed() < 2500);
    QVERIFY(std::any_of(g_log.cbegin(), g_log.cend(), [](const QString &l) {
        return l.contains(u"not received within 500 ms"_s);
    }));
}

void TestSignerServer::idleKeepAliveTimesOut()
{
    SignerConfig c = config();
    c.idleTimeoutMs = 600;
    startServer(c);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_server->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QByteArray answer;
    QVERIFY(QTest::qWaitFor(
            [&] {
                answer += socket.readAll();
                return answer.contains("\"ok\"");
            },
            5000));
    // Still open well within the idle time: keep-alive works.
    QTest::qWait(200);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QElapsedTimer t;
    t.start();
    QVERIFY(QTest::qWaitFor([&] { return socket.state() != QAbstractSocket::ConnectedState; },
                            5000));
    QVERIFY(t.elapsed() < 2000);
}

void TestSignerServer::anonymousRequestsDoNotExhaustCallers()
{
    SignerConfig c = config();
    c.tokens = {u"alice:"_s + kToken};
    c.ratePerSecond = 10;
    c.rateBurst = 20;
    startServer(c);
    int refused = 0;
    for (int i = 0; i < 60; ++i) {
        const int status = send("GET", u"/sts"_s).status;
        QVERIFY(status == 401 || status == 429);
        refused += status == 429;
    }
    QVERIFY(refused > 0); // anonymous requests have their own, smaller budget
    const Reply r = send("GET", u"/sts"_s, {}, {{"Authorization", "Bearer " + kToken.toUtf8()}});
    QCOMPARE(r.status, 200);
}

void TestSignerServer::rateLimitPerCallerNotPerAddress()
{
    // Behind a reverse proxy every caller has the same address: one caller spending their
    // budget must not cost another theirs.
    SignerConfig c = config();
    c.tokens = {u"alice:"_s + kToken, u"bob:"_s + kToken + u"-bob"_s};
    c.ratePerSecond = 0.1;
    c.rateBurst = 2;
    startServer(c);
    const QList<std::pair<QByteArray, QByteArray>> alice = {
            {"Authorization", "Bearer " + kToken.toUtf8()}};
    const QList<std::pair<QByteArray, QByteArray>> bob = {
            {"Authorization", "Bearer " + kToken.toUtf8() + "-bob"}};
    QCOMPARE(send("GET", u"/sts"_s, {}, alice).status, 200);
    QCOMPARE(send("GET", u"/sts"_s, {}, alice).status, 200);
    QCOMPARE(send("GET", u"/sts"_s, {}, alice).status, 429);
    QCOMPARE(send("GET", u"/sts"_s, {}, bob).status, 200);
    QCOMPARE(send("GET", u"/sts"_s, {}, bob).status, 200);
    QCOMPARE(send("GET", u"/sts"_s, {}, bob).status, 429);
}

void TestSignerServer::trustedProxyForwardedFor()
{
    const QList<std::pair<QHostAddress, int>> proxies = {{QHostAddress(u"127.0.0.1"_s), 32},
                                                         {QHostAddress(u"10.0.0.0"_s), 8}};
    auto client = [&](const char *peer, const QByteArray &xff) {
        return SignerServer::clientAddress(QHostAddress(QString::fromLatin1(peer)), xff, proxies)
                .toString();
    };
    QCOMPARE(client("127.0.0.1", "203.0.113.7"), u"203.0.113.7"_s);
    // A client-supplied first entry is not believed: the right-most untrusted hop is.
    QCOMPARE(client("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.1.2.3"), u"203.0.113.7"_s);
    // From an untrusted peer the header is ignored.
    QCOMPARE(client("198.51.100.9", "203.0.113.7"), u"198.51.100.9"_s);
    QCOMPARE(client("127.0.0.1", "garbage"), u"127.0.0.1"_s);
    QCOMPARE(client("::ffff:127.0.0.1", "203.0.113.8"), u"203.0.113.8"_s);
    QCOMPARE(client("127.0.0.1", ""), u"127.0.0.1"_s);

    // End to end: behind a trusted proxy each forwarded client has its own address budget.
    SignerConfig c = config();
    c.tokens = {u"alice:"_s + kToken};
    c.trustedProxies = {u"127.0.0.1/32"_s};
    c.anonRatePerSecond = 0.1;
    c.anonBurst = 2;
    startServer(c);
    for (int i = 0; i < 2; ++i)
        QCOMPARE(send("GET", u"/sts"_s, {}, {{"X-Forwarded-For", "203.0.113.1"}}).status, 401);
    QCOMPARE(send("GET", u"/sts"_s, {}, {{"X-Forwarded-For", "203.0.113.1"}}).status, 429);
    QCOMPARE(send("GET", u"/sts"_s, {}, {{"X-Forwarded-For", "203.0.113.2"}}).status, 401);
    QVERIFY(std::any_of(g_log.cbegin(), g_log.cend(),
                        [](const QString &l) { return l.contains(u"client=203.0.113.2"_s); }));
}

void TestSignerServer::perCallerCredentials()
{
    SignerConfig c = config();
    c.tokens = {u"alice:"_s + kToken, u"bob:"_s + kToken + u"-bob"_s};
    Grant pub = c.grants[0];
    pub.prefixTemplate = u"public/"_s;
    QString error;
    QVERIFY(parseActionList(u"download"_s, &pub.operations, &error));
    c.grants.append(pub);
    startServer(c);
    const QByteArray scope = R"({"scope":{"prefix":"public/","action":"download"}})";
    const Reply a = send("POST", u"/sts"_s, scope, {{"Authorization", "Bearer " + kToken.toUtf8()}});
    QCOMPARE(a.status, 200);
    const Reply b = send("POST", u"/sts"_s, scope,
                         {{"Authorization", "Bearer " + kToken.toUtf8() + "-bob"}});
    QCOMPARE(b.status, 200);
    const QString aliceId =
            a.json.value("credentials"_L1).toObject().value("tmpSecretId"_L1).toString();
    const QString bobId =
            b.json.value("credentials"_L1).toObject().value("tmpSecretId"_L1).toString();
    QVERIFY(!aliceId.isEmpty());
    QVERIFY2(aliceId != bobId, qPrintable(bobId));
    QCOMPARE(m_fake->successes(), 2);
    // Each caller's own entry is still reused.
    const Reply again = send("POST", u"/sts"_s, scope,
                             {{"Authorization", "Bearer " + kToken.toUtf8() + "-bob"}});
    QCOMPARE(again.json.value("credentials"_L1).toObject().value("tmpSecretId"_L1).toString(),
             bobId);
    QCOMPARE(m_fake->successes(), 2);
}

void TestSignerServer::upstreamDetailStaysInLog()
{
    m_fake->failWith(u"InvalidParameter"_s);
    const Reply r = send("GET", u"/sts"_s);
    QCOMPARE(r.status, 502);
    const QJsonObject error = r.json.value("error"_L1).toObject();
    QCOMPARE(error.value("code"_L1).toString(), u"UpstreamError"_s);
    QVERIFY(!error.contains("upstreamCode"_L1));
    QVERIFY(!r.raw.contains("InvalidParameter"));
    QVERIFY(!r.raw.contains(kId.toUtf8()));
    const QString id = r.json.value("requestId"_L1).toString();
    QCOMPARE(id.size(), 32);
    QVERIFY(error.value("message"_L1).toString().contains(id));
    QCOMPARE(g_upstreamLog.size(), 1);
    QVERIFY2(g_upstreamLog[0].contains(id) && g_upstreamLog[0].contains(u"InvalidParameter"_s),
             qPrintable(g_upstreamLog[0]));
    QVERIFY(!g_upstreamLog[0].contains(kKey));
    QVERIFY(std::any_of(g_log.cbegin(), g_log.cend(),
                        [&](const QString &l) { return l.contains(u"id="_s + id); }));
    // The legacy shape carries the same id.
    const Reply legacy = send("GET", u"/sign"_s);
    QCOMPARE(legacy.json.value("codeDesc"_L1).toString(), u"UpstreamError"_s);
    QCOMPARE(legacy.json.value("requestId"_L1).toString().size(), 32);
}

void TestSignerServer::invisiblePrefixRefused_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::newRow("unpaired high surrogate") << u"users/anonymous/"_s + QChar(0xd800) + u"x/"_s;
    QTest::newRow("unpaired low surrogate") << u"users/anonymous/"_s + QChar(0xdc00) + u"x/"_s;
    QTest::newRow("right-to-left override") << u"users/anonymous/\u202Egpj.exe/"_s;
    QTest::newRow("zero-width space") << u"users/anonymous/a\u200Bb/"_s;
    QTest::newRow("zero-width joiner") << u"users/anonymous/a\u200Db/"_s;
    QTest::newRow("byte order mark") << u"users/anonymous/\uFEFFx/"_s;
    QTest::newRow("C1 control") << u"users/anonymous/a\u0085b/"_s;
    QTest::newRow("bidi isolate") << u"users/anonymous/\u2066x/"_s;
}

void TestSignerServer::invisiblePrefixRefused()
{
    QFETCH(QString, prefix);
    // JSON escapes, so that the unpaired surrogates reach the parser as such.
    QString escaped;
    for (QChar ch : prefix)
        escaped += ch.unicode() < 0x80 ? QString(ch)
                                       : u"\\u%1"_s.arg(ch.unicode(), 4, 16, QChar(u'0'));
    const QByteArray body = R"({"scope":{"prefix":")" + escaped.toUtf8() + R"("}})";
    const Reply r = send("POST", u"/sts"_s, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(), u"InvalidPrefix"_s);
    QCOMPARE(m_fake->calls(), 0);
    // Nothing invisible reaches the access log either.
    for (const QString &line : std::as_const(g_log)) {
        for (QChar ch : line)
            QVERIFY2(ch.unicode() >= 0x20 && ch.unicode() < 0x7f, qPrintable(line));
    }
}

void TestSignerServer::hmacTimestampExtremes()
{
    SignerConfig c = config();
    c.hmacKeys = {u"bob:"_s + kHmacSecret};
    startServer(c);
    for (const QByteArray &ts : {"-9223372036854775808"_ba, "9223372036854775807"_ba}) {
        const QByteArray auth = "CosSigner-HMAC-SHA256 Credential=bob, Timestamp=" + ts
                + ", Signature=00";
        const Reply r = send("GET", u"/sts"_s, {}, {{"Authorization", auth}});
        QCOMPARE(r.status, 401);
        QVERIFY(r.json.value("error"_L1)
                        .toObject()
                        .value("message"_L1)
                        .toString()
                        .contains(u"outside the window"_s));
    }
}

QTEST_GUILESS_MAIN(TestSignerServer)
#include "tst_signer_server.moc"
