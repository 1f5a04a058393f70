// End to end against the sandbox's Ceph RGW: the signer (s3-sts back end, in process) hands out
// credentials whose inline policy RGW really enforces. S3 calls are plain QNAM + SigV4.
#include "cos/signing/percentencoding.h"
#include <sandboxenv.h>
#include <signercore.h>
#include <signerserver.h>
#include "cos/signing/sigv4.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Signer;

namespace {
const QString kAliceToken = u"alice-token-0123456789abcdef"_s;

struct S3Creds
{
    QString id;
    QString key;
    QString token;
    qint64 expiredTime = 0;
};

struct S3Reply
{
    int status = 0;
    QByteArray body;
};
} // namespace

class TestSignerSandbox : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void grantedPrefixOnly();
    void multipartStepsAllowed();
    void listOnlyUnderPrefix();
    void shortCredentialExpires();
    void cacheReuseAndRefresh();
    void uploadCannotPublish();

private:
    void startSigner(int duration, int margin, const QString &actions = u"upload,download,list"_s);
    S3Creds fetch(const QByteArray &body = {});
    S3Reply s3(const QByteArray &method, const QString &key, const S3Creds &creds,
               const QByteArray &body = {}, const Cos::StringPairs &query = {},
               const Cos::StringPairs &headers = {});
    int anonymousGet(const QString &key);

    std::optional<SandboxEnv> m_env;
    QString m_bucket;
    std::unique_ptr<SignerCore> m_core;
    std::unique_ptr<SignerServer> m_server;
    QNetworkAccessManager m_nam;
};

void TestSignerSandbox::initTestCase()
{
    COS_REQUIRE_SANDBOX(env);
    m_env = env;
    m_bucket = u"signer-e2e-%1"_s.arg(QRandomGenerator::global()->generate() % 1000000);
    const S3Creds admin {env.secretId, env.secretKey, {}, 0};
    const S3Reply created = s3("PUT", QString(), admin);
    QVERIFY2(created.status == 200, created.body.constData());
    // A neighbour's object, to prove the credentials cannot read it.
    QCOMPARE(s3("PUT", u"users/bob/secret.txt"_s, admin, "bob's").status, 200);
}

void TestSignerSandbox::cleanup()
{
    m_server.reset();
    m_core.reset();
}

void TestSignerSandbox::startSigner(int duration, int margin, const QString &actions)
{
    SignerConfig c;
    c.backend = u"s3-sts"_s;
    c.secretId = m_env->secretId;
    c.secretKey = m_env->secretKey;
    c.stsEndpoint = m_env->stsEndpoint;
    c.roleArn = m_env->roleArn;
    c.stsRegion = m_env->region;
    Operations ops;
    QString error;
    QVERIFY(parseActionList(actions, &ops, &error));
    c.grants = {{m_bucket, m_env->region, u"users/${uid}/"_s, ops}};
    c.durationSeconds = duration;
    c.maxDurationSeconds = 3600;
    c.cacheMarginSeconds = margin;
    c.tokens = {u"alice:"_s + kAliceToken};
    QVERIFY2(c.validate(&error), qPrintable(error));
    m_core = std::make_unique<SignerCore>(c, SignerCore::createBackend(c));
    m_server = std::make_unique<SignerServer>(m_core.get());
    QVERIFY2(m_server->start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
}

S3Creds TestSignerSandbox::fetch(const QByteArray &body)
{
    QNetworkRequest request(QUrl(u"http://127.0.0.1:%1/sts"_s.arg(m_server->port())));
    request.setRawHeader("Authorization", "Bearer " + kAliceToken.toUtf8());
    request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
    QNetworkReply *reply = body.isEmpty() ? m_nam.get(request) : m_nam.post(request, body);
    S3Creds out;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000)) {
        qWarning("signer did not answer");
        delete reply;
        return out;
    }
    const QByteArray data = reply->readAll();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    if (status != 200) {
        qWarning("signer answered %d: %s", status, data.constData());
        return out;
    }
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    const QJsonObject c = o.value("credentials"_L1).toObject();
    out.id = c.value("tmpSecretId"_L1).toString();
    out.key = c.value("tmpSecretKey"_L1).toString();
    out.token = c.value("sessionToken"_L1).toString();
    out.expiredTime = o.value("expiredTime"_L1).toInteger();
    return out;
}

S3Reply TestSignerSandbox::s3(const QByteArray &method, const QString &key, const S3Creds &creds,
                              const QByteArray &body, const Cos::StringPairs &query,
                              const Cos::StringPairs &headers)
{
    const QUrl endpoint(m_env->endpoint);
    QString host = endpoint.host();
    if (endpoint.port() != -1)
        host += u':' + QString::number(endpoint.port());
    QByteArray path = "/" + Cos::percentEncode(m_bucket);
    if (!key.isEmpty())
        path += "/" + Cos::percentEncode(key, true);
    QByteArray queryString;
    for (const auto &[k, v] : query) {
        queryString += (queryString.isEmpty() ? "?" : "&") + Cos::percentEncode(k);
        if (!v.isNull())
            queryString += "=" + Cos::percentEncode(v);
    }
    Cos::SigV4Input in;
    in.accessKeyId = creds.id;
    in.secretAccessKey = creds.key;
    in.sessionToken = creds.token;
    in.region = m_env->region;
    in.service = u"s3"_s;
    in.method = method;
    in.host = host;
    in.canonicalPath = path;
    in.query = query;
    in.headers = {{u"host"_s, host}};
    in.headers += headers;
    in.payloadHash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
    in.amzDate = Cos::sigV4AmzDate(QDateTime::currentDateTimeUtc());
    const Cos::SigV4Result sig = Cos::sigV4SignHeaders(in);
    QNetworkRequest request(
            QUrl::fromEncoded(endpoint.toEncoded(QUrl::RemovePath) + path + queryString));
    for (const auto &[k, v] : sig.addedHeaders)
        request.setRawHeader(k.toUtf8(), v.toUtf8());
    request.setRawHeader("Authorization", sig.authorization);
    for (const auto &[k, v] : headers)
        request.setRawHeader(k.toUtf8(), v.toUtf8());
    // QNAM's custom-verb path waits for a body on HEAD; use its own head().
    QNetworkReply *reply = method == "HEAD" ? m_nam.head(request)
                                            : m_nam.sendCustomRequest(request, method, body);
    S3Reply out;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000)) {
        delete reply;
        return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.body = reply->readAll();
    delete reply;
    return out;
}

int TestSignerSandbox::anonymousGet(const QString &key)
{
    QNetworkRequest request(QUrl::fromEncoded(QUrl(m_env->endpoint).toEncoded(QUrl::RemovePath)
                                              + "/" + Cos::percentEncode(m_bucket) + "/"
                                              + Cos::percentEncode(key, true)));
    QNetworkReply *reply = m_nam.get(request);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000)) {
        delete reply;
        return 0;
    }
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    delete reply;
    return status;
}

void TestSignerSandbox::uploadCannotPublish()
{
    startSigner(900, 60);
    const S3Creds c = fetch();
    QVERIFY(!c.token.isEmpty());
    const S3Reply published = s3("PUT", u"users/alice/public.txt"_s, c, "for everybody", {},
                                 {{u"x-amz-acl"_s, u"public-read"_s}});
    QCOMPARE(published.status, 403);
    QVERIFY(anonymousGet(u"users/alice/public.txt"_s) != 200);
    const S3Reply granted = s3("PUT", u"users/alice/granted.txt"_s, c, "x", {},
                               {{u"x-amz-grant-read"_s,
                                 u"uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""_s}});
    QCOMPARE(granted.status, 403);
    QVERIFY(anonymousGet(u"users/alice/granted.txt"_s) != 200);
    // Private uploads, with or without the header, still work; the ACL cannot be changed later.
    QCOMPARE(s3("PUT", u"users/alice/private.txt"_s, c, "mine", {}, {{u"x-amz-acl"_s, u"private"_s}})
                     .status,
             200);
    QCOMPARE(s3("PUT", u"users/alice/plain.txt"_s, c, "mine").status, 200);
    QVERIFY(anonymousGet(u"users/alice/plain.txt"_s) != 200);
    QCOMPARE(s3("PUT", u"users/alice/plain.txt"_s, c, {}, {{u"acl"_s, QString()}},
                {{u"x-amz-acl"_s, u"public-read"_s}})
                     .status,
             403);
    QVERIFY(anonymousGet(u"users/alice/plain.txt"_s) != 200);
    // Multipart uploads go through the same statement, and AWS evaluates it for
    // CreateMultipartUpload; Ceph RGW 16 does not put the ACL header into that request's
    // policy context, so there the canned ACL of a multipart upload is not refused.
    QEXPECT_FAIL("", "RGW 16 evaluates no s3:x-amz-acl condition for CreateMultipartUpload",
                 Continue);
    QCOMPARE(s3("POST", u"users/alice/big-public.bin"_s, c, {}, {{u"uploads"_s, QString()}},
                {{u"x-amz-acl"_s, u"public-read"_s}})
                     .status,
             403);

    // A grant that names PutObjectAcl opts in to publishing.
    m_server.reset();
    m_core.reset();
    startSigner(900, 60, u"upload,download,PutObjectACL"_s);
    const S3Creds publisher = fetch();
    QCOMPARE(s3("PUT", u"users/alice/published.txt"_s, publisher, "for everybody", {},
                {{u"x-amz-acl"_s, u"public-read"_s}})
                     .status,
             200);
    QCOMPARE(anonymousGet(u"users/alice/published.txt"_s), 200);
}

void TestSignerSandbox::grantedPrefixOnly()
{
    startSigner(900, 60);
    const S3Creds c = fetch();
    QVERIFY(!c.token.isEmpty());
    QCOMPARE(s3("PUT", u"users/alice/hello.txt"_s, c, "hello").status, 200);
    const S3Reply got = s3("GET", u"users/alice/hello.txt"_s, c);
    QCOMPARE(got.status, 200);
    QCOMPARE(got.body, "hello"_ba);
    QCOMPARE(s3("HEAD", u"users/alice/hello.txt"_s, c).status, 200);
    // Outside the prefix, and an action not granted.
    QCOMPARE(s3("PUT", u"users/bob/evil.txt"_s, c, "x").status, 403);
    QCOMPARE(s3("GET", u"users/bob/secret.txt"_s, c).status, 403);
    QCOMPARE(s3("PUT", u"users/alice2/x.txt"_s, c, "x").status, 403);
    QCOMPARE(s3("PUT", u"root.txt"_s, c, "x").status, 403);
    QCOMPARE(s3("DELETE", u"users/alice/hello.txt"_s, c).status, 403);

    // A narrower POST scope (download only, a sub-prefix) really is narrower.
    const S3Creds ro = fetch(R"({"scope":{"action":"download","prefix":"users/alice/"}})");
    QVERIFY(!ro.token.isEmpty());
    QCOMPARE(s3("GET", u"users/alice/hello.txt"_s, ro).status, 200);
    QCOMPARE(s3("PUT", u"users/alice/new.txt"_s, ro, "x").status, 403);
}

void TestSignerSandbox::multipartStepsAllowed()
{
    startSigner(900, 60);
    const S3Creds c = fetch();
    const S3Reply init = s3("POST", u"users/alice/big.bin"_s, c, {}, {{u"uploads"_s, QString()}});
    QVERIFY2(init.status == 200, init.body.constData());
    const QString uploadId = QRegularExpression(u"<UploadId>([^<]+)</UploadId>"_s)
                                     .match(QString::fromUtf8(init.body))
                                     .captured(1);
    QVERIFY(!uploadId.isEmpty());
    const QByteArray part(64 * 1024, 'p');
    QCOMPARE(s3("PUT", u"users/alice/big.bin"_s, c, part,
                {{u"partNumber"_s, u"1"_s}, {u"uploadId"_s, uploadId}})
                     .status,
             200);
    QCOMPARE(s3("GET", u"users/alice/big.bin"_s, c, {}, {{u"uploadId"_s, uploadId}}).status, 200);
    QCOMPARE(s3("DELETE", u"users/alice/big.bin"_s, c, {}, {{u"uploadId"_s, uploadId}}).status, 204);
    // Initiating outside the prefix is refused.
    QCOMPARE(s3("POST", u"users/bob/big.bin"_s, c, {}, {{u"uploads"_s, QString()}}).status, 403);
}

void TestSignerSandbox::listOnlyUnderPrefix()
{
    startSigner(900, 60);
    const S3Creds c = fetch();
    QCOMPARE(s3("GET", QString(), c, {},
                {{u"list-type"_s, u"2"_s}, {u"prefix"_s, u"users/alice/"_s}})
                     .status,
             200);
    QCOMPARE(s3("GET", QString(), c, {}, {{u"list-type"_s, u"2"_s}, {u"prefix"_s, u"users/bob/"_s}})
                     .status,
             403);
    QCOMPARE(s3("GET", QString(), c, {}, {{u"list-type"_s, u"2"_s}}).status, 403);
}

void TestSignerSandbox::shortCredentialExpires()
{
    startSigner(900, 60);
    const S3Creds c = fetch(R"({"durationSeconds":3})");
    QVERIFY(!c.token.isEmpty());
    QVERIFY(c.expiredTime - QDateTime::currentSecsSinceEpoch() <= 4);
    QCOMPARE(s3("PUT", u"users/alice/short.txt"_s, c, "x").status, 200);
    QTest::qWait(int((c.expiredTime - QDateTime::currentSecsSinceEpoch()) * 1000) + 2000);
    QCOMPARE(s3("PUT", u"users/alice/short.txt"_s, c, "y").status, 403);
}

void TestSignerSandbox::cacheReuseAndRefresh()
{
    startSigner(8, 5); // reusable for ~3 s, then refreshed
    const S3Creds first = fetch();
    const S3Creds second = fetch();
    QVERIFY(!first.id.isEmpty());
    QCOMPARE(second.id, first.id);
    QCOMPARE(m_core->cache().upstreamCalls(), 1u);
    QTest::qWait(int((first.expiredTime - 5 - QDateTime::currentSecsSinceEpoch()) * 1000) + 1200);
    const S3Creds third = fetch();
    QVERIFY(!third.id.isEmpty());
    QVERIFY(third.id != first.id);
    QCOMPARE(m_core->cache().upstreamCalls(), 2u);
    QCOMPARE(s3("PUT", u"users/alice/refreshed.txt"_s, third, "z").status, 200);
}

QTEST_GUILESS_MAIN(TestSignerSandbox)
#include "tst_signer_sandbox.moc"
