// The Tencent STS API 3.0 back end against the fake STS, which verifies each TC3 signature.
#include <faketencentsts.h>
#include <policy.h>
#include <responses.h>
#include <stsbackend.h>

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Signer;

namespace {
const QString kId = u"AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE"_s;
const QString kKey = u"Gu5t9xGARNpq86cd98joQYCN3EXAMPLE"_s;

struct Outcome
{
    Cos::Error error;
    TempCredentials creds;
    bool done = false;
};

Outcome run(StsBackend &backend, const StsRequest &request)
{
    Outcome out;
    backend.fetch(request, [&](const Cos::Error &e, const TempCredentials &c) {
        out.error = e;
        out.creds = c;
        out.done = true;
    });
    (void)QTest::qWaitFor([&] { return out.done; }, 15000);
    return out;
}

StsRequest samplePolicy()
{
    QString error;
    const Scope s {{Operation::PutObject, Operation::GetObject},
                   u"examplebucket"_s,
                   u"ap-guangzhou"_s,
                   u"users/alice/"_s};
    StsRequest r;
    r.policy = buildPolicy(PolicyDialect::Cam, {s}, u"1250000000"_s, &error);
    r.durationSeconds = 900;
    r.sessionName = u"cos-signer-alice"_s;
    return r;
}
} // namespace

class TestSignerTencent : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void federationTokenSigned();
    void assumeRole();
    void apiErrors_data();
    void apiErrors();
    void wrongSecretKeyIsRejected();
    void unknownSecretId();
    void garbageAnswer();
    void slowUpstreamTimesOut();
    void upstreamDown();
    void parseOfficialSamples();

private:
    std::unique_ptr<FakeTencentSts> m_fake;
    std::unique_ptr<TencentStsBackend> backend(const QString &key = kKey, const QString &id = kId,
                                               const QString &roleArn = {});
};

void TestSignerTencent::init()
{
    m_fake = std::make_unique<FakeTencentSts>(kId, kKey);
    QVERIFY(m_fake->start());
}

std::unique_ptr<TencentStsBackend> TestSignerTencent::backend(const QString &key, const QString &id,
                                                              const QString &roleArn)
{
    TencentStsBackend::Options o;
    o.secretId = id;
    o.secretKey = key;
    o.endpoint = m_fake->url();
    o.region = u"ap-guangzhou"_s;
    o.roleArn = roleArn;
    auto b = std::make_unique<TencentStsBackend>(o);
    b->setTimeout(5000);
    return b;
}

void TestSignerTencent::federationTokenSigned()
{
    auto b = backend();
    const StsRequest request = samplePolicy();
    const Outcome out = run(*b, request);
    QVERIFY2(!out.error, qPrintable(out.error.toString()));
    QCOMPARE(m_fake->lastErrorCode(), QString());
    QCOMPARE(m_fake->lastAction(), u"GetFederationToken"_s);
    QCOMPARE(m_fake->lastParams().value("Name"_L1).toString(), u"cos-signer"_s);
    QCOMPARE(m_fake->lastParams().value("DurationSeconds"_L1).toInt(), 900);
    // The fake URL-decoded Policy: it must be exactly the policy we built.
    QCOMPARE(m_fake->lastParams().value("Policy"_L1).toString().toUtf8(), request.policy);
    QCOMPARE(out.creds.tmpSecretId, u"AKIDfakeTmp1"_s);
    QCOMPARE(out.creds.sessionToken, u"fake-session-token-1"_s);
    QVERIFY(out.creds.expiredTime > QDateTime::currentSecsSinceEpoch() + 800);
    QVERIFY(out.creds.expiration.endsWith(u'Z'));
    QVERIFY(!out.creds.requestId.isEmpty());
}

void TestSignerTencent::assumeRole()
{
    auto b = backend(kKey, kId, u"qcs::cam::uin/100000000001:roleName/cos-uploader"_s);
    StsRequest request = samplePolicy();
    request.sessionName = u"cos signer/ü"_s; // sanitised to the allowed alphabet
    const Outcome out = run(*b, request);
    QVERIFY2(!out.error, qPrintable(out.error.toString()));
    QCOMPARE(m_fake->lastAction(), u"AssumeRole"_s);
    QCOMPARE(m_fake->lastParams().value("RoleArn"_L1).toString(),
             u"qcs::cam::uin/100000000001:roleName/cos-uploader"_s);
    QCOMPARE(m_fake->lastParams().value("RoleSessionName"_L1).toString(), u"cos_signer__"_s);
}

void TestSignerTencent::apiErrors_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("InvalidParameter") << u"InvalidParameter"_s << false;
    QTest::newRow("InvalidParameter.GrantOtherResource")
            << u"InvalidParameter.GrantOtherResource"_s << false;
    QTest::newRow("AuthFailure.UnauthorizedOperation")
            << u"AuthFailure.UnauthorizedOperation"_s << false;
    QTest::newRow("RequestLimitExceeded") << u"RequestLimitExceeded"_s << true;
    QTest::newRow("InternalError") << u"InternalError"_s << true;
}

void TestSignerTencent::apiErrors()
{
    QFETCH(QString, code);
    QFETCH(bool, retryable);
    m_fake->failWith(code, u"detail for "_s + code);
    auto b = backend();
    const Outcome out = run(*b, samplePolicy());
    QCOMPARE(out.error.kind(), Cos::Error::Kind::Service);
    QCOMPARE(out.error.code(), code);
    QCOMPARE(out.error.isRetryable(), retryable);
    QVERIFY(!out.error.requestId().isEmpty());
    const SignerError mapped = upstreamError(out.error);
    QCOMPARE(mapped.status, 502);
    QCOMPARE(mapped.code, u"UpstreamError"_s);
    QCOMPARE(mapped.upstreamCode, code);
    QVERIFY(mapped.message.contains(u"detail for "_s + code));
}

void TestSignerTencent::wrongSecretKeyIsRejected()
{
    auto b = backend(u"not-the-key"_s);
    const Outcome out = run(*b, samplePolicy());
    QCOMPARE(out.error.code(), u"AuthFailure.SignatureFailure"_s);
    QCOMPARE(m_fake->successes(), 0);
    QVERIFY(!out.error.toString().contains(u"not-the-key"_s));
}

void TestSignerTencent::unknownSecretId()
{
    auto b = backend(kKey, u"AKIDunknown"_s);
    const Outcome out = run(*b, samplePolicy());
    QCOMPARE(out.error.code(), u"AuthFailure.SecretIdNotFound"_s);
}

void TestSignerTencent::garbageAnswer()
{
    m_fake->setGarbage(true);
    auto b = backend();
    const Outcome out = run(*b, samplePolicy());
    QCOMPARE(out.error.kind(), Cos::Error::Kind::Parse);
    QCOMPARE(upstreamError(out.error).code, u"UpstreamBadResponse"_s);
}

void TestSignerTencent::slowUpstreamTimesOut()
{
    m_fake->setDelay(3000);
    auto b = backend();
    b->setTimeout(300);
    QElapsedTimer t;
    t.start();
    const Outcome out = run(*b, samplePolicy());
    QCOMPARE(out.error.kind(), Cos::Error::Kind::Timeout);
    QVERIFY(t.elapsed() < 2500);
    QCOMPARE(upstreamError(out.error).status, 504);
}

void TestSignerTencent::upstreamDown()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close(); // nothing listens there now
    TencentStsBackend::Options o;
    o.secretId = kId;
    o.secretKey = kKey;
    o.endpoint = QUrl(u"http://127.0.0.1:%1/"_s.arg(port));
    TencentStsBackend b(o);
    const Outcome out = run(b, samplePolicy());
    QCOMPARE(out.error.kind(), Cos::Error::Kind::Network);
    const SignerError mapped = upstreamError(out.error);
    QCOMPARE(mapped.status, 502);
    QCOMPARE(mapped.code, u"UpstreamUnavailable"_s);
}

void TestSignerTencent::parseOfficialSamples()
{
    // The documented GetFederationToken output (doc 1312/48195), trimmed.
    const QByteArray ok = R"({"Response":{"Credentials":{"Token":"kTRt...","TmpSecretId":"AKIDxx",
        "TmpSecretKey":"xx"},"ExpiredTime":1543914376,"Expiration":"2018-12-04T09:06:16Z",
        "RequestId":"4daec797-9cd2-4f09-9e7a-7d4c43b2a74c"}})"_ba;
    TempCredentials c;
    QVERIFY(!TencentStsBackend::parseResponse(200, ok, &c));
    QCOMPARE(c.expiredTime, 1543914376);
    QCOMPARE(c.sessionToken, u"kTRt..."_s);
    QCOMPARE(c.requestId, u"4daec797-9cd2-4f09-9e7a-7d4c43b2a74c"_s);

    const QByteArray err = R"({"Response":{"Error":{"Code":"AuthFailure.SignatureExpire",
        "Message":"Signature expired"},"RequestId":"r-1"}})"_ba;
    const Cos::Error e = TencentStsBackend::parseResponse(200, err, &c);
    QCOMPARE(e.code(), u"AuthFailure.SignatureExpire"_s);
    QCOMPARE(e.requestId(), u"r-1"_s);

    const QByteArray noToken = R"({"Response":{"Credentials":{"TmpSecretId":"a","TmpSecretKey":"b"},
        "ExpiredTime":1543914376,"RequestId":"r"}})"_ba;
    QCOMPARE(TencentStsBackend::parseResponse(200, noToken, &c).kind(), Cos::Error::Kind::Parse);
    const QByteArray shortTime = R"({"Response":{"Credentials":{"Token":"t","TmpSecretId":"a",
        "TmpSecretKey":"b"},"ExpiredTime":1543914376000,"RequestId":"r"}})"_ba;
    QCOMPARE(TencentStsBackend::parseResponse(200, shortTime, &c).kind(), Cos::Error::Kind::Parse);
    QCOMPARE(TencentStsBackend::parseResponse(502, "<html>", &c).kind(), Cos::Error::Kind::Parse);
}

QTEST_GUILESS_MAIN(TestSignerTencent)
#include "tst_signer_tencent.moc"
