// The app's controller in embedded signer mode against the sandbox's RGW and its STS: the
// permanent key comes from the app's secret store, requests are signed with the temporary
// keys the in-process signer issues for the grant chosen in the settings.
#include "tst_app_support.h"

#include "faultproxy.h"

#include <appcontroller.h>
#include <settingsform.h>
#include <appsettings.h>
#include <objectlistmodel.h>
#include <presentation.h>
#include <secretstore.h>
#include <transferlistmodel.h>

#include "cos/net/credentialprovider.h"

#include <QDir>
#include <QElapsedTimer>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppEmbedded : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();
    void temporaryKeysForTheGrant();
    void uploadInsideAndOutsideTheGrant();
    void shortLivedKeysAcrossLargeUpload();
    void unusableSettingsExplained();

private:
    /**
     * The settings as the Settings page saves them: embedded signer, permanent key in the
     * secret store (not in the environment), grant on granted/ of the test bucket.
     */
    AppController *makeController(int durationSeconds, const QString &connectTo = {},
                                  const QString &permanentKey = {});
    bool waitForUploads(AppController *controller, int *failed, QString *firstFailure,
                        int timeoutMs);

    std::optional<SandboxEnv> m_env;
    Cos::Client *m_admin = nullptr;
    QString m_bucket;
    QTemporaryDir m_dir;
    AppController *m_controller = nullptr;
};

void TstAppEmbedded::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    COS_REQUIRE_SANDBOX(env);
    if (env.stsEndpoint.isEmpty() || env.roleArn.isEmpty())
        QSKIP("the sandbox has no STS (COS_STS_ENDPOINT, COS_ROLE_ARN)");
    m_env = env;
    QVERIFY(m_dir.isValid());
    // The app must find its permanent key in its own store: no keys in the environment.
    for (const char *name : {"COS_SECRET_ID", "COS_SECRET_KEY", "COS_SESSION_TOKEN",
                             "COS_CREDENTIALS_URL", "COS_CREDENTIALS_TOKEN", "COS_EMBEDDED_SIGNER",
                             "COS_SIGNER_SECRET_ID", "COS_SIGNER_SECRET_KEY", "COS_CONNECT_TO"})
        qunsetenv(name);
    m_admin = AppTest::sandboxClient(env, this);
    m_bucket = AppTest::uniqueBucket(u"app-embedded"_s);
    QVERIFY(AppTest::run(m_admin->createBucket(m_bucket)));
    QVERIFY(AppTest::putObject(m_admin, m_bucket, u"granted/hello.txt"_s, "hello\n"));
    QVERIFY(AppTest::putObject(m_admin, m_bucket, u"other/secret.txt"_s, "secret\n"));
}

void TstAppEmbedded::cleanupTestCase()
{
    if (m_admin && !m_bucket.isEmpty())
        AppTest::purgeBucket(m_admin, m_bucket);
}

void TstAppEmbedded::cleanup()
{
    AppController::setInstance(nullptr);
    delete m_controller;
    m_controller = nullptr;
    Presentation::setGrantedScope({});
}

AppController *TstAppEmbedded::makeController(int durationSeconds, const QString &connectTo,
                                              const QString &permanentKey)
{
    QSettings().clear();
    const QString dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QFile::remove(dataDir + u"/transfers.json"_s);
    auto *secrets = new MemorySecretStore;
    secrets->write(u"secretId"_s, m_env->secretId, secrets, [](const QString &) {});
    secrets->write(u"secretKey"_s, permanentKey.isEmpty() ? m_env->secretKey : permanentKey,
                   secrets, [](const QString &) {});
    {
        AppSettings settings;
        settings.load(); // the sandbox's endpoint from the environment
        settings.setCredentialSource(AppSettings::EmbeddedSigner);
        settings.setSecretId(m_env->secretId); // keeps only the masked id in QSettings
        settings.setConnectTo(connectTo);
        EmbeddedSignerOptions signer;
        signer.stsEndpoint = m_env->stsEndpoint;
        signer.roleArn = m_env->roleArn;
        signer.bucket = m_bucket;
        signer.prefix = u"granted/"_s;
        signer.durationSeconds = durationSeconds;
        settings.setEmbeddedSignerOptions(signer);
        settings.save();
    }
    m_controller = new AppController(secrets);
    AppController::setInstance(m_controller);
    return m_controller;
}

bool TstAppEmbedded::waitForUploads(AppController *controller, int *failed, QString *firstFailure,
                                    int timeoutMs)
{
    QSignalSpy batch(controller->transfers(), &TransferListModel::batchFinished);
    if (!batch.wait(timeoutMs))
        return false;
    *failed = batch.at(0).at(1).toInt();
    *firstFailure = batch.at(0).at(2).toString();
    return true;
}

void TstAppEmbedded::temporaryKeysForTheGrant()
{
    AppController *controller = makeController(900);
    controller->start();
    QTRY_VERIFY_WITH_TIMEOUT(controller->isConnected(), 20000);
    QVERIFY2(controller->connectionSummary().contains(u"embedded signer"_s),
             qPrintable(controller->connectionSummary()));

    // The app opens the granted folder (the keys may not list buckets) and lists it.
    ObjectListModel *objects = controller->objects();
    QCOMPARE(objects->bucket(), m_bucket);
    QCOMPARE(objects->prefix(), u"granted/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 30000);
    QVERIFY2(objects->errorMessage().isEmpty(), qPrintable(objects->errorMessage()));
    QCOMPARE(objects->rowCount(), 1);

    // Temporary keys from RGW's STS, not the permanent key.
    const std::optional<Cos::Credentials> keys = controller->client()->credentials()->cached();
    QVERIFY(keys);
    QVERIFY(!keys->secretId.isEmpty());
    QVERIFY(keys->secretId != m_env->secretId);
    QVERIFY(keys->secretKey != m_env->secretKey);
    QVERIFY(!keys->sessionToken.isEmpty());
    QVERIFY(keys->expiredTime > 0);

    // Settings → Credentials: source, masked temporary key id, expiry, the grant.
    const QVariantMap info = controller->credentialInfo();
    QVERIFY2(info.value(u"source"_s).toString().startsWith(u"embedded signer"_s),
             qPrintable(info.value(u"source"_s).toString()));
    QCOMPARE(info.value(u"keyId"_s).toString(), Cos::maskKeyId(keys->secretId));
    QVERIFY(info.value(u"keyId"_s).toString() != Cos::maskKeyId(m_env->secretId));
    QCOMPARE(info.value(u"temporary"_s).toBool(), true);
    QVERIFY(!info.value(u"expires"_s).toString().isEmpty());
    QCOMPARE(info.value(u"granted"_s).toString(), m_bucket + u"/granted/* [upload,download,list]"_s);
    for (const QVariant &v : info)
        QVERIFY(!v.toString().contains(m_env->secretId) && !v.toString().contains(m_env->secretKey));

    // Test connection with the saved settings: temporary keys, the granted folder lists.
    SettingsForm form;
    form.setController(controller);
    QCOMPARE(form.source(), AppSettings::EmbeddedSigner);
    QSignalSpy tested(&form, &SettingsForm::testFinished);
    form.test();
    QVERIFY(tested.wait(30000));
    QVERIFY2(tested.at(0).at(0).toBool(), qPrintable(tested.at(0).at(1).toString()));
    const QString message = tested.at(0).at(1).toString();
    QVERIFY2(message.contains(u"embedded signer issued temporary keys"_s)
                     && message.contains(m_bucket + u"/granted/"_s),
             qPrintable(message));
    QVERIFY(!message.contains(m_env->secretId));
    // The keys carried their scope: the granted folder was listed instead of GET Service.
    const QVariantList steps = form.testSteps();
    QCOMPARE(steps.size(), 2);
    QVERIFY2(steps.at(1).toMap().value(u"name"_s).toString().contains(m_bucket + u"/granted/"_s),
             qPrintable(steps.at(1).toMap().value(u"name"_s).toString()));
}

void TstAppEmbedded::uploadInsideAndOutsideTheGrant()
{
    AppController *controller = makeController(900);
    controller->start();
    QTRY_VERIFY_WITH_TIMEOUT(controller->isConnected(), 20000);
    ObjectListModel *objects = controller->objects();
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 30000);

    const QString file = m_dir.filePath(u"inside.txt"_s);
    QVERIFY(AppTest::writeFile(file, 100000));
    int failed = -1;
    QString firstFailure;
    controller->upload({QUrl::fromLocalFile(file)});
    QVERIFY(waitForUploads(controller, &failed, &firstFailure, 60000));
    QCOMPARE(failed, 0);
    Cos::HeadObjectJob *head = m_admin->headObject(m_bucket, u"granted/inside.txt"_s);
    QVERIFY(AppTest::run(head));
    QCOMPARE(head->metadata().size, 100000);

    // Outside the grant: the bucket's root. Listing and uploading are refused with a message
    // that says 403 and names the grant.
    // (Opening the bucket opens the granted folder; the breadcrumb's first level is the root.)
    controller->openBucket(m_bucket, m_env->region);
    QCOMPARE(objects->prefix(), u"granted/"_s);
    objects->openLevel(0);
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded() && objects->prefix().isEmpty(), 30000);
    QVERIFY(!objects->errorMessage().isEmpty());
    QSignalSpy refused(controller, &AppController::operationFailed);
    controller->upload({QUrl::fromLocalFile(file)});
    QVERIFY(waitForUploads(controller, &failed, &firstFailure, 60000));
    QCOMPARE(failed, 1);
    QCOMPARE(refused.count(), 1);
    const QString message = refused.at(0).at(0).toString();
    QVERIFY2(message.contains(u"Access denied"_s) && message.contains(u"403"_s)
                     && message.contains(m_bucket + u"/granted/*"_s),
             qPrintable(message));
    QVERIFY(!AppTest::run(m_admin->headObject(m_bucket, u"inside.txt"_s)));
}

void TstAppEmbedded::shortLivedKeysAcrossLargeUpload()
{
    // 3-second keys, and a proxy that passes 6 MiB/s towards RGW: the 40 MiB upload lasts
    // about 7 s, so the engine must get new keys from the embedded signer while it runs.
    const QUrl endpoint(m_env->endpoint);
    FaultProxy proxy;
    QVERIFY(proxy.start(QHostAddress(endpoint.host()), quint16(endpoint.port(80))));
    proxy.setRateLimit(6 * 1024 * 1024);
    AppController *controller = makeController(3, u"127.0.0.1:%1"_s.arg(proxy.port()));
    controller->start();
    QTRY_VERIFY_WITH_TIMEOUT(controller->isConnected(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(controller->objects()->isLoaded(), 30000);

    QSet<QString> keyIds {controller->credentialInfo().value(u"keyId"_s).toString()};
    connect(controller, &AppController::credentialInfoChanged, this,
            [&] { keyIds.insert(controller->credentialInfo().value(u"keyId"_s).toString()); });
    const QString file = m_dir.filePath(u"big.bin"_s);
    QVERIFY(AppTest::writeFile(file, 40 * 1024 * 1024));
    QElapsedTimer timer;
    timer.start();
    int failed = -1;
    QString firstFailure;
    controller->upload({QUrl::fromLocalFile(file)});
    QVERIFY(waitForUploads(controller, &failed, &firstFailure, 180000));
    QVERIFY2(failed == 0, qPrintable(firstFailure));
    qInfo("the upload took %lld ms; %lld distinct temporary keys", timer.elapsed(),
          qint64(keyIds.size()));
    QVERIFY2(timer.elapsed() >= 4000, "the upload did not outlive the 3 s keys");
    QVERIFY2(keyIds.size() >= 2, "no new keys were issued during the upload");
    QVERIFY(proxy.bytesUp() >= 40 * 1024 * 1024);
    Cos::HeadObjectJob *head = m_admin->headObject(m_bucket, u"granted/big.bin"_s);
    QVERIFY(AppTest::run(head));
    QCOMPARE(head->metadata().size, qint64(40 * 1024 * 1024));
}

void TstAppEmbedded::unusableSettingsExplained()
{
    // A wrong permanent key: RGW's STS refuses it; the message says so without the key.
    const QString wrongKey = u"wrong-"_s + m_env->secretKey;
    AppController *controller = makeController(900, {}, wrongKey);
    controller->start();
    QTRY_VERIFY_WITH_TIMEOUT(controller->isConnected(), 20000);
    ObjectListModel *objects = controller->objects();
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 30000);
    const QString message = objects->errorMessage();
    QVERIFY2(message.contains(u"embedded signer"_s), qPrintable(message));
    QVERIFY(!message.contains(m_env->secretId) && !message.contains(m_env->secretKey));
    QVERIFY(!controller->problem().isEmpty());
    QVERIFY(!controller->canModify());

    // Options that cannot work never reach the STS: the settings page names the field.
    EmbeddedSignerOptions bad;
    bad.backend = u"s3-sts"_s;
    QVERIFY(bad.validate(u"s3"_s).contains(u"STS endpoint"_s));
    bad.stsEndpoint = m_env->stsEndpoint;
    QVERIFY(bad.validate(u"s3"_s).contains(u"ARN"_s));
    bad.roleArn = m_env->roleArn;
    bad.prefix = u"../up/"_s;
    QVERIFY(bad.validate(u"s3"_s).contains(u"prefix"_s));
    bad.prefix = u"granted/"_s;
    bad.actions = u"upload,fly"_s;
    QVERIFY(bad.validate(u"s3"_s).contains(u"fly"_s));
    bad.actions = u"upload"_s;
    bad.durationSeconds = 0;
    QVERIFY(bad.validate(u"s3"_s).contains(u"lifetime"_s));
    bad.durationSeconds = 60;
    QCOMPARE(bad.validate(u"s3"_s), QString());
    const QString fractional =
            AppSettings::validateEmbeddedSigner(u"s3"_s,
                                                {{u"stsEndpoint"_s, m_env->stsEndpoint},
                                                 {u"roleArn"_s, m_env->roleArn},
                                                 {u"durationSeconds"_s, u"5000.7"_s}});
    QVERIFY2(fractional.contains(u"lifetime"_s), qPrintable(fractional));
}

QTEST_MAIN(TstAppEmbedded)
#include "tst_app_embedded.moc"
