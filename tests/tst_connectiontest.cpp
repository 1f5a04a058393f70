// Cos::ConnectionTestJob against the sandbox: good keys, a wrong key, a signer that is down,
// keys that may not list buckets (with and without a scope), and abort.
#include "cos/net/client.h"
#include "cos/net/connectiontestjob.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/operations.h"
#include "runjob.h"
#include "sandboxenv.h"
#include "sandboxpurge.h"
#include "sandboxsts.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

using Step = ConnectionTestJob::Step;

std::unique_ptr<Client> makeClient(const SandboxEnv &env, CredentialProvider *provider)
{
    auto client = std::make_unique<Client>(Endpoint::s3(QUrl(env.endpoint), env.region,
                                                        env.pathStyle),
                                           provider);
    client->setMaxAttempts(1);
    client->setTransferTimeout(15000);
    return client;
}

std::unique_ptr<Client> makeClient(const SandboxEnv &env, const Credentials &keys)
{
    return makeClient(env, new StaticCredentialProvider(keys, u"test"_s));
}

Credentials adminKeys(const SandboxEnv &env)
{
    Credentials c;
    c.secretId = env.secretId;
    c.secretKey = env.secretKey;
    return c;
}

QString stepsText(const ConnectionTestJob &job)
{
    QStringList lines;
    for (const ConnectionTestJob::StepResult &s : job.steps())
        lines.append(u"%1: %2"_s.arg(int(s.step)).arg(s.error ? s.error.toString() : u"ok"_s));
    return lines.join(u"; "_s);
}

} // namespace

class TstConnectionTest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void goodKeys();
    void wrongKey();
    void signerDown();
    void deniedServiceFallsBackToTheBucket();
    void deniedServiceWithoutFallback();
    void scopeIsTestedInsteadOfService();
    void scopeOutsideThePolicy();
    void abortFinishesOnce();

private:
    /** @brief Keys from the sandbox STS that may list and read m_bucket only. */
    std::optional<Credentials> bucketKeys();

    std::optional<SandboxEnv> m_env;
    std::unique_ptr<Client> m_admin;
    QString m_bucket;
    QString m_other;
};

void TstConnectionTest::initTestCase()
{
    COS_REQUIRE_SANDBOX(env);
    m_env = env;
    m_admin = makeClient(env, adminKeys(env));
    m_admin->setMaxAttempts(3);
    const QString stamp = u"%1-%2"_s.arg(QDateTime::currentSecsSinceEpoch())
                                  .arg(QRandomGenerator::global()->bounded(100000));
    m_bucket = u"conntest-"_s + stamp;
    m_other = u"conntest-other-"_s + stamp;
    for (const QString &bucket : {m_bucket, m_other}) {
        RequestJob *create = m_admin->createBucket(bucket);
        QVERIFY(runJob(create));
        QVERIFY2(!create->error(), qPrintable(create->error().toString()));
    }
    PutObjectParams params;
    params.contentLength = 5;
    RequestJob *put = m_admin->newRequestJob(
            m_admin->builder().putObject(m_bucket, u"granted/a.txt"_s, params));
    put->setBody("hello"_ba);
    QVERIFY(runJob(put));
    QVERIFY2(!put->error(), qPrintable(put->error().toString()));
}

void TstConnectionTest::cleanupTestCase()
{
    if (!m_admin)
        return;
    for (const QString &bucket : {m_bucket, m_other})
        purgeSandboxBucket(m_admin.get(), bucket);
}

std::optional<Credentials> TstConnectionTest::bucketKeys()
{
    if (m_env->stsEndpoint.isEmpty() || m_env->roleArn.isEmpty())
        return std::nullopt;
    const QString resource = u"arn:aws:s3:::"_s + m_bucket;
    const QString policy = u"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                           "\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":[\""_s
            + resource + u"\",\""_s + resource + u"/*\"]}]}"_s;
    QString error;
    std::optional<Credentials> keys = sandboxAssumeRole(*m_env, policy, 900, &error);
    if (!keys)
        qWarning("AssumeRole failed: %s", qPrintable(error));
    return keys;
}

void TstConnectionTest::goodKeys()
{
    auto client = makeClient(*m_env, adminKeys(*m_env));
    ConnectionTestJob job(client.get());
    QSignalSpy steps(&job, &ConnectionTestJob::stepFinished);
    QVERIFY(runJob(&job));
    QVERIFY2(!job.error(), qPrintable(job.error().toString()));
    QCOMPARE(job.steps().size(), 2);
    QCOMPARE(steps.size(), 2);
    QCOMPARE(job.steps().at(0).step, Step::Credentials);
    QVERIFY(!job.steps().at(0).error);
    QCOMPARE(job.steps().at(1).step, Step::ListBuckets);
    QVERIFY(!job.steps().at(1).error);
    QVERIFY2(job.bucketCount() >= 2, qPrintable(QString::number(job.bucketCount())));
    QCOMPARE(job.steps().at(1).count, job.bucketCount());
    // Permanent keys: no expiry; the id is only shown masked.
    QCOMPARE(job.temporaryKeys(), false);
    QCOMPARE(job.secondsLeft(), -1);
    QCOMPARE(job.maskedKeyId(), maskKeyId(m_env->secretId));
    QVERIFY(!job.serviceDenied());
}

void TstConnectionTest::wrongKey()
{
    Credentials keys = adminKeys(*m_env);
    keys.secretKey = u"wrong-"_s + keys.secretKey;
    auto client = makeClient(*m_env, keys);
    ConnectionTestJob job(client.get());
    job.setFallbackBucket(m_bucket);
    QVERIFY(runJob(&job));
    // RGW answers GET Service with AccessDenied for a bad signature, so the fallback bucket is
    // tried too; its listing names the real problem.
    QVERIFY(job.error());
    QCOMPARE(job.error().httpStatus(), 403);
    QVERIFY2(job.steps().size() == 2 || job.steps().size() == 3, qPrintable(stepsText(job)));
    QVERIFY(!job.steps().at(0).error); // the keys were there; the server refused them
    QCOMPARE(job.steps().at(1).step, Step::ListBuckets);
    for (qsizetype i = 1; i < job.steps().size(); ++i)
        QVERIFY(job.steps().at(i).error);
    QCOMPARE(job.error().code(), job.steps().constLast().error.code());
    QVERIFY(!job.serviceDenied());
    QVERIFY(!job.error().toString().contains(keys.secretKey));
}

void TstConnectionTest::signerDown()
{
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    QNetworkAccessManager network;
    auto *provider = new UrlCredentialProvider(&network,
                                               QUrl(u"http://127.0.0.1:%1/sts"_s.arg(port)),
                                               "secret-bearer"_ba);
    auto client = makeClient(*m_env, provider);
    ConnectionTestJob job(client.get());
    QVERIFY(runJob(&job));
    QVERIFY(job.error());
    QCOMPARE(job.steps().size(), 1);
    QCOMPARE(job.steps().at(0).step, Step::Credentials);
    QVERIFY(job.steps().at(0).error);
    QCOMPARE(job.error().kind(), job.steps().at(0).error.kind());
    QVERIFY2(job.error().kind() == Error::Kind::Network
                     || job.error().kind() == Error::Kind::Credentials,
             qPrintable(job.error().toString()));
    QVERIFY(!job.error().toString().contains(u"secret-bearer"_s));
    QVERIFY(job.maskedKeyId().isEmpty());
}

void TstConnectionTest::deniedServiceFallsBackToTheBucket()
{
    const std::optional<Credentials> keys = bucketKeys();
    if (!keys)
        QSKIP("the sandbox has no STS");
    auto client = makeClient(*m_env, *keys);
    ConnectionTestJob job(client.get());
    job.setFallbackBucket(m_bucket, u"granted/"_s);
    QVERIFY(runJob(&job));
    QVERIFY2(!job.error(), qPrintable(stepsText(job)));
    QCOMPARE(job.steps().size(), 3);
    QCOMPARE(job.steps().at(1).step, Step::ListBuckets);
    QCOMPARE(job.steps().at(1).error.httpStatus(), 403);
    QCOMPARE(job.steps().at(1).error.code(), u"AccessDenied"_s);
    QCOMPARE(job.steps().at(2).step, Step::ListBucket);
    QVERIFY(!job.steps().at(2).error);
    QCOMPARE(job.steps().at(2).bucket, m_bucket);
    QCOMPARE(job.steps().at(2).prefix, u"granted/"_s);
    QCOMPARE(job.steps().at(2).count, 1);
    QVERIFY(job.serviceDenied());
    QCOMPARE(job.temporaryKeys(), true);
    QVERIFY(job.secondsLeft() > 0 && job.secondsLeft() <= 900);
}

void TstConnectionTest::deniedServiceWithoutFallback()
{
    const std::optional<Credentials> keys = bucketKeys();
    if (!keys)
        QSKIP("the sandbox has no STS");
    auto client = makeClient(*m_env, *keys);
    ConnectionTestJob job(client.get());
    QVERIFY(runJob(&job));
    QVERIFY(job.error());
    QCOMPARE(job.error().code(), u"AccessDenied"_s);
    QCOMPARE(job.steps().size(), 2);
    QVERIFY(!job.serviceDenied());
}

void TstConnectionTest::scopeIsTestedInsteadOfService()
{
    std::optional<Credentials> keys = bucketKeys();
    if (!keys)
        QSKIP("the sandbox has no STS");
    // What cos-signer says the keys allow: the listing goes there, GET Service is not asked.
    keys->scope.grants.append({m_bucket, m_env->region, u"granted/"_s, {u"list"_s}});
    auto client = makeClient(*m_env, *keys);
    ConnectionTestJob job(client.get());
    job.setFallbackBucket(m_other); // the scope wins over the fallback
    QVERIFY(runJob(&job));
    QVERIFY2(!job.error(), qPrintable(stepsText(job)));
    QCOMPARE(job.steps().size(), 2);
    QCOMPARE(job.steps().at(1).step, Step::ListBucket);
    QCOMPARE(job.steps().at(1).bucket, m_bucket);
    QCOMPARE(job.steps().at(1).prefix, u"granted/"_s);
    QCOMPARE(job.scope(), keys->scope);
    QVERIFY(!job.serviceDenied());
}

void TstConnectionTest::scopeOutsideThePolicy()
{
    std::optional<Credentials> keys = bucketKeys();
    if (!keys)
        QSKIP("the sandbox has no STS");
    // A scope that claims more than the keys may do: the listing says so, with the bucket.
    keys->scope.grants.append({m_other, m_env->region, QString(), {u"list"_s}});
    auto client = makeClient(*m_env, *keys);
    ConnectionTestJob job(client.get());
    QVERIFY(runJob(&job));
    QVERIFY(job.error());
    QCOMPARE(job.error().code(), u"AccessDenied"_s);
    QCOMPARE(job.steps().size(), 2);
    QCOMPARE(job.steps().at(1).step, Step::ListBucket);
    QCOMPARE(job.steps().at(1).bucket, m_other);
}

void TstConnectionTest::abortFinishesOnce()
{
    auto client = makeClient(*m_env, adminKeys(*m_env));
    ConnectionTestJob job(client.get());
    QSignalSpy finished(&job, &Job::finished);
    job.start();
    job.abort();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(job.error().kind(), Error::Kind::Canceled);
    QTest::qWait(200);
    QCOMPARE(finished.size(), 1);

    // And in the middle of a step.
    ConnectionTestJob running(client.get());
    QSignalSpy done(&running, &Job::finished);
    connect(&running, &ConnectionTestJob::stepFinished, &running,
            [&running](const ConnectionTestJob::StepResult &r) {
                if (r.step == Step::Credentials)
                    QMetaObject::invokeMethod(
                            &running, [&running] { running.abort(); }, Qt::QueuedConnection);
            });
    running.start();
    QVERIFY(done.wait(20000));
    QCOMPARE(running.error().kind(), Error::Kind::Canceled);
    QTest::qWait(200);
    QCOMPARE(done.size(), 1);
}

QTEST_GUILESS_MAIN(TstConnectionTest)
#include "tst_connectiontest.moc"
