// The cos-signer HTTP front end in process, against the fake Tencent STS: routes, shapes, CORS,
// auth, limits, the bad-input table, and that the server keeps serving after each bad request.
#include <faketencentsts.h>
#include <requestauth.h>
#include <signercore.h>
#include <signerserver.h>

#include <QDateTime>
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
QtMessageHandler g_previous = nullptr;
void captureLog(QtMsgType type, const QMessageLogContext &ctx, const QString &msg)
{
    if (ctx.category && QByteArrayView(ctx.category) == "cos.signer.access")
        g_log.append(msg);
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
    QTest::newRow("upstream InvalidParameter") << QByteArray() << u"fail:InvalidParameter"_s << 502
                                               << u"UpstreamError"_s << u"InvalidParameter"_s;
    QTest::newRow("upstream AuthFailure")
            << QByteArray() << u"fail:AuthFailure.SignatureFailure"_s << 502 << u"UpstreamError"_s
            << u"AuthFailure.SignatureFailure"_s;
    QTest::newRow("upstream throttled") << QByteArray() << u"fail:RequestLimitExceeded"_s << 502
                                        << u"UpstreamError"_s << u"RequestLimitExceeded"_s;
    QTest::newRow("upstream slow") << QByteArray() << u"slow"_s << 504 << u"UpstreamTimeout"_s
                                   << u"did not answer within 800 ms"_s;
    QTest::newRow("upstream garbage")
            << QByteArray() << u"garbage"_s << 502 << u"UpstreamBadResponse"_s << u"Response"_s;
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
    QCOMPARE(r.json.value("error"_L1).toObject().value("code"_L1).toString(),
             u"UpstreamUnavailable"_s);
    QVERIFY(r.json.value("error"_L1)
                    .toObject()
                    .value("message"_L1)
                    .toString()
                    .contains(u"cannot reach STS"_s));
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

QTEST_GUILESS_MAIN(TestSignerServer)
#include "tst_signer_server.moc"
