// SettingsForm, the Settings page's form: per-field validation, messages only after an edit (or
// a refused save), the save/load round trip through QSettings and the secret store, the stored-key
// status lines, and test() against the sandbox (good keys, wrong key, signer down).
#include "tst_app_support.h"

#include <appcontroller.h>
#include <appsettings.h>
#include <secretstore.h>
#include <settingsform.h>
#include <storedsecrets.h>

#include <QPointer>
#include <QProcessEnvironment>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

class TstAppSettingsForm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void untouchedFormShowsNothing();
    void errorsAppearAfterAnEdit();
    void refusedSaveShowsEveryErrorAndWritesNothing();
    void signerFieldsHaveTheirOwnErrors();
    void saveLoadRoundTrip();
    void bearerTokenReplaceAndForget();
    void testGoodKeys();
    void testWrongKey();
    void testSignerDown();
    void saveKeepsTheOpenFolder();

private:
    /** A fresh controller over cleared settings and an empty memory secret store. */
    AppController *makeController();
    /** A valid S3 form with permanent keys typed in. */
    void fillS3(SettingsForm *form, const QString &endpoint, const QString &region);
    /** The sandbox's endpoint and keys (@p secretKey instead of its own when given). */
    void fillSandbox(SettingsForm *form, const QString &secretKey = {});

    std::optional<SandboxEnv> m_env;
    std::unique_ptr<AppController> m_controller;
};

void TstAppSettingsForm::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_env = SandboxEnv::fromEnvironment();
    // The form must show what was saved, not what this run's environment says.
    const QStringList names = QProcessEnvironment::systemEnvironment().keys();
    for (const QString &name : names) {
        if (name.startsWith(u"COS_"_s) && name != u"COS_SANDBOX_REQUIRED"_s)
            qunsetenv(qPrintable(name));
    }
}

void TstAppSettingsForm::init()
{
    QSettings().clear();
}

void TstAppSettingsForm::cleanup()
{
    AppController::setInstance(nullptr);
    m_controller.reset();
}

AppController *TstAppSettingsForm::makeController()
{
    m_controller = std::make_unique<AppController>(new MemorySecretStore);
    AppController::setInstance(m_controller.get());
    m_controller->settings()->load();
    return m_controller.get();
}

void TstAppSettingsForm::fillS3(SettingsForm *form, const QString &endpoint, const QString &region)
{
    form->setSource(AppSettings::PermanentKeys);
    form->setDialect(u"s3"_s);
    form->setEndpointUrl(endpoint);
    form->setPathStyle(true);
    form->setRegion(region);
    form->setSecretId(u"AKIDformtest0123456789"_s);
    form->setSecretKey(u"form-secret-key-0123456789"_s);
}

void TstAppSettingsForm::fillSandbox(SettingsForm *form, const QString &secretKey)
{
    fillS3(form, m_env->endpoint, m_env->region);
    form->setSecretId(m_env->secretId);
    form->setSecretKey(secretKey.isEmpty() ? m_env->secretKey : secretKey);
}

void TstAppSettingsForm::untouchedFormShowsNothing()
{
    SettingsForm form;
    form.setController(makeController());
    // A first run: no signing URL yet, so the form is not valid, but nothing is red.
    QCOMPARE(form.source(), AppSettings::SigningUrl);
    QVERIFY(!form.isValid());
    QVERIFY(!form.isDirty());
    for (const QString &error :
         {form.signingUrlError(), form.bearerTokenError(), form.secretIdError(),
          form.secretKeyError(), form.endpointUrlError(), form.regionError(), form.appIdError(),
          form.endpointOptionsError(), form.grantPrefixError(), form.keyLifetimeError()})
        QCOMPARE(error, QString());
    QCOMPARE(form.secretKeyStatus(), u"No key stored"_s);
    QCOMPARE(form.bearerTokenStatus(), u"No token stored"_s);
}

void TstAppSettingsForm::errorsAppearAfterAnEdit()
{
    SettingsForm form;
    form.setController(makeController());
    QSignalSpy changed(&form, &SettingsForm::fieldsChanged);
    form.setSigningUrl(u"ftp://example.com/sts"_s);
    QCOMPARE(changed.size(), 1);
    QVERIFY(form.isDirty());
    QVERIFY2(form.signingUrlError().contains(u"http://"_s), qPrintable(form.signingUrlError()));
    // The APPID is missing too (COS), but that field was not touched.
    QCOMPARE(form.appIdError(), QString());
    form.setSigningUrl(u"http://127.0.0.1:5000/sts"_s);
    QCOMPARE(form.signingUrlError(), QString());
    form.setRegion(u"Not A Region"_s);
    QVERIFY2(form.regionError().contains(u"not a region id"_s), qPrintable(form.regionError()));
    form.setRegion(u"ap-beijing"_s);
    QCOMPARE(form.regionError(), QString());
    form.setAppId(u"12ab"_s);
    QVERIFY2(form.appIdError().contains(u"digits"_s), qPrintable(form.appIdError()));
    form.setAppId(u"1250000000"_s);
    QCOMPARE(form.appIdError(), QString());
    QVERIFY(form.isValid());
    // Setting the same value again is not an edit.
    changed.clear();
    form.setAppId(u"1250000000"_s);
    QCOMPARE(changed.size(), 0);

    // The endpoint options are checked together, after any of them was edited.
    form.setDomain(u"{Bucket}.{Zone}.example.com"_s);
    QVERIFY2(form.endpointOptionsError().contains(u"unknown placeholder"_s),
             qPrintable(form.endpointOptionsError()));
    QVERIFY(!form.isValid());
    form.setDomain({});
    QVERIFY(form.isValid());

    // Keys: the fields count only for a source that uses them.
    form.setSecretKey(u"short"_s);
    QCOMPARE(form.secretKeyError(), QString());
    form.setSource(AppSettings::PermanentKeys);
    QVERIFY(form.secretKeyError().contains(u"8 to 256"_s));
    QVERIFY(!form.isValid());
}

void TstAppSettingsForm::refusedSaveShowsEveryErrorAndWritesNothing()
{
    SettingsForm form;
    AppController *controller = makeController();
    form.setController(controller);
    QSignalSpy saved(&form, &SettingsForm::saved);
    form.setRegion(u"ap-shanghai"_s);
    QVERIFY(!form.save());
    QCOMPARE(saved.size(), 0);
    // Every problem is shown now, edited or not.
    QVERIFY(form.signingUrlError().contains(u"Enter the URL"_s));
    QVERIFY(form.appIdError().contains(u"APPID"_s));
    QCOMPARE(form.regionError(), QString());
    QVERIFY(!QSettings().contains(u"endpoint/region"_s));
    QCOMPARE(controller->settings()->defaultRegion(), u"ap-guangzhou"_s);
    // load() forgets the edits and hides the messages again.
    form.load();
    QCOMPARE(form.region(), u"ap-guangzhou"_s);
    QCOMPARE(form.signingUrlError(), QString());
    QVERIFY(!form.isDirty());
}

void TstAppSettingsForm::signerFieldsHaveTheirOwnErrors()
{
    SettingsForm form;
    form.setController(makeController());
    fillS3(&form, u"http://127.0.0.1:7480"_s, u"us-east-1"_s);
    form.setSource(AppSettings::EmbeddedSigner);
    form.setDefaultBucket(u"photos"_s);
    // S3: the s3-sts back end needs an endpoint and a role; neither was edited yet.
    QVERIFY(!form.isValid());
    QCOMPARE(form.stsEndpointError(), QString());
    QCOMPARE(form.roleArnError(), QString());
    form.setStsEndpoint(u"not a url"_s);
    QVERIFY2(form.stsEndpointError().contains(u"STS endpoint"_s),
             qPrintable(form.stsEndpointError()));
    QCOMPARE(form.roleArnError(), QString()); // one message per field, not one for all
    form.setStsEndpoint(u"http://127.0.0.1:7480"_s);
    QCOMPARE(form.stsEndpointError(), QString());
    form.setRoleArn(u"arn:aws:iam:::role/cos-signer"_s);
    QVERIFY2(form.isValid(), qPrintable(form.roleArnError()));

    form.setGrantPrefix(u"../x/"_s);
    QVERIFY(form.grantPrefixError().contains(u"prefix"_s));
    form.setGrantPrefix(u"uploads/"_s);
    form.setKeyLifetime(u"5000.7"_s);
    QVERIFY(form.keyLifetimeError().contains(u"lifetime"_s));
    QCOMPARE(form.grantPrefixError(), QString());
    form.setKeyLifetime(u"900"_s);
    QVERIFY(form.hasGrantAction(u"list"_s));
    for (const QString &action : {u"upload"_s, u"download"_s, u"list"_s})
        form.setGrantAction(action, false);
    QCOMPARE(form.grantActions(), QString());
    QVERIFY(!form.grantActionsError().isEmpty());
    form.setGrantAction(u"delete"_s, true);
    form.setGrantAction(u"upload"_s, true);
    QCOMPARE(form.grantActions(), u"upload,delete"_s); // the page's order, not the clicks'
    QCOMPARE(form.grantActionsError(), QString());
    form.setSignerBackend(u"vault"_s);
    QVERIFY(form.signerBackendError().contains(u"vault"_s));
    form.setSignerBackend({});
    // Without a granted or default bucket the grant has no bucket.
    form.setDefaultBucket({});
    QVERIFY(form.grantBucketError().contains(u"bucket"_s));
    form.setGrantBucket(u"photos"_s);
    QCOMPARE(form.grantBucketError(), QString());
    QVERIFY(form.isValid());
}

void TstAppSettingsForm::saveLoadRoundTrip()
{
    SettingsForm form;
    AppController *controller = makeController();
    form.setController(controller);
    fillS3(&form, u"http://127.0.0.1:9"_s, u"eu-west-1"_s);
    form.setDefaultBucket(u"photos"_s);
    form.setConnectTo(u"127.0.0.1:9"_s);
    QSignalSpy saved(&form, &SettingsForm::saved);
    QSignalSpy notified(controller, &AppController::notify);
    QVERIFY(form.save());
    QCOMPARE(saved.size(), 1);
    // The secrets left the form at once; they reach the store asynchronously.
    QCOMPARE(form.secretKey(), QString());
    QCOMPARE(form.secretId(), QString());
    QVERIFY(!form.isDirty());
    QTRY_VERIFY(form.hasStoredSecretKey());
    QTRY_VERIFY(notified.size() >= 1);
    QCOMPARE(notified.at(0).at(0).toString(), u"Settings saved"_s);
    QCOMPARE(controller->secrets()->secretKey(), u"form-secret-key-0123456789"_s);
    QVERIFY2(form.secretKeyStatus().contains(u"Key stored in the memory"_s)
                     && form.secretKeyStatus().contains(u"AKID"_s),
             qPrintable(form.secretKeyStatus()));
    QVERIFY(!form.secretKeyStatus().contains(u"AKIDformtest0123456789"_s)); // masked

    // QSettings has the plain values, never a secret.
    QSettings s;
    QCOMPARE(s.value(u"credentials/source"_s).toInt(), int(AppSettings::PermanentKeys));
    QCOMPARE(s.value(u"endpoint/dialect"_s).toString(), u"s3"_s);
    QCOMPARE(s.value(u"endpoint/url"_s).toString(), u"http://127.0.0.1:9"_s);
    QCOMPARE(s.value(u"endpoint/region"_s).toString(), u"eu-west-1"_s);
    QCOMPARE(s.value(u"endpoint/connectTo"_s).toString(), u"127.0.0.1:9"_s);
    QCOMPARE(s.value(u"browse/defaultBucket"_s).toString(), u"photos"_s);
    for (const QString &key : s.allKeys()) {
        const QString value = s.value(key).toString();
        QVERIFY2(!value.contains(u"form-secret-key"_s) && value != u"AKIDformtest0123456789"_s,
                 qPrintable(key));
    }

    // A new form (and new settings read from QSettings) shows the same.
    SettingsForm again;
    again.setController(controller);
    QCOMPARE(again.source(), AppSettings::PermanentKeys);
    QCOMPARE(again.dialect(), u"s3"_s);
    QCOMPARE(again.endpointUrl(), u"http://127.0.0.1:9"_s);
    QCOMPARE(again.region(), u"eu-west-1"_s);
    QCOMPARE(again.pathStyle(), true);
    QCOMPARE(again.connectTo(), u"127.0.0.1:9"_s);
    QVERIFY(again.hasEndpointOptions());
    QCOMPARE(again.defaultBucket(), u"photos"_s);
    QCOMPARE(again.secretKey(), QString());
    // With a key stored, the key fields may stay empty.
    QVERIFY2(again.isValid(), qPrintable(again.secretIdError() + again.secretKeyError()));
    AppSettings reread;
    reread.load();
    QCOMPARE(reread.endpointUrl(), u"http://127.0.0.1:9"_s);
    QCOMPARE(reread.maskedSecretId(), AppSettings::maskSecret(u"AKIDformtest0123456789"_s));

    // Forget: the store is empty, the status says so, and the form wants keys again.
    again.forgetStoredKeys();
    QTRY_VERIFY(!again.hasStoredSecretKey());
    QCOMPARE(again.secretKeyStatus(), u"No key stored"_s);
    QVERIFY(!again.isValid());
    QVERIFY(!again.save());
    QVERIFY(again.secretKeyError().contains(u"Enter the SecretKey"_s));
}

void TstAppSettingsForm::bearerTokenReplaceAndForget()
{
    SettingsForm form;
    AppController *controller = makeController();
    form.setController(controller);
    form.setSigningUrl(u"http://127.0.0.1:9/sts"_s);
    form.setAppId(u"1250000000"_s);
    form.setBearerToken(u"two words"_s);
    QVERIFY(form.bearerTokenError().contains(u"no spaces"_s));
    form.setBearerToken(u"token-one"_s);
    QVERIFY(form.save());
    QTRY_VERIFY(form.hasStoredBearerToken());
    QCOMPARE(controller->secrets()->bearerToken(), u"token-one"_s);
    QVERIFY(form.bearerTokenStatus().startsWith(u"Token stored"_s));
    QCOMPARE(form.bearerToken(), QString());

    // Replace: a new value, saved.
    form.setBearerToken(u"token-two"_s);
    QVERIFY(form.save());
    QTRY_COMPARE(controller->secrets()->bearerToken(), u"token-two"_s);

    // Forget: marked first (and undone), removed on Save.
    form.setRemoveBearerToken(true);
    QVERIFY(form.bearerTokenStatus().contains(u"removed on Save"_s));
    QVERIFY(form.isDirty());
    form.setRemoveBearerToken(false);
    QVERIFY(form.bearerTokenStatus().startsWith(u"Token stored"_s));
    form.setRemoveBearerToken(true);
    QVERIFY(form.save());
    QTRY_VERIFY(!form.hasStoredBearerToken());
    QCOMPARE(form.bearerTokenStatus(), u"No token stored"_s);
    QCOMPARE(form.removeBearerToken(), false);
}

void TstAppSettingsForm::testGoodKeys()
{
    if (!m_env)
        QSKIP("no sandbox (COS_ENDPOINT, COS_SECRET_ID, COS_SECRET_KEY)");
    SettingsForm form;
    form.setController(makeController());
    fillSandbox(&form);
    QSignalSpy finished(&form, &SettingsForm::testFinished);
    form.test();
    QVERIFY(form.isTesting());
    QVERIFY(finished.wait(30000));
    QVERIFY(!form.isTesting());
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QVERIFY(form.testPassed());
    QVERIFY2(form.testResult().contains(u"Connected in"_s), qPrintable(form.testResult()));
    const QVariantList steps = form.testSteps();
    QCOMPARE(steps.size(), 2);
    QCOMPARE(steps.at(0).toMap().value(u"name"_s).toString(), u"Keys"_s);
    QVERIFY(steps.at(0).toMap().value(u"ok"_s).toBool());
    QVERIFY(steps.at(0).toMap().value(u"text"_s).toString().contains(u"permanent"_s));
    QCOMPARE(steps.at(1).toMap().value(u"name"_s).toString(), u"List buckets"_s);
    QVERIFY(steps.at(1).toMap().value(u"ok"_s).toBool());
    // Testing writes nothing.
    QVERIFY(!QSettings().contains(u"endpoint/url"_s));
    QVERIFY(!form.hasStoredSecretKey());
}

void TstAppSettingsForm::testWrongKey()
{
    if (!m_env)
        QSKIP("no sandbox (COS_ENDPOINT, COS_SECRET_ID, COS_SECRET_KEY)");
    SettingsForm form;
    form.setController(makeController());
    const QString wrong = u"wrong-"_s + m_env->secretKey;
    fillSandbox(&form, wrong);
    QSignalSpy finished(&form, &SettingsForm::testFinished);
    form.test();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    const QString message = finished.at(0).at(1).toString();
    // RGW answers a bad signature on GET Service with AccessDenied (403).
    QVERIFY2(message.contains(u"403"_s) || message.contains(u"Access denied"_s)
                     || message.contains(u"signature"_s, Qt::CaseInsensitive),
             qPrintable(message));
    QVERIFY(!message.contains(wrong) && !message.contains(m_env->secretKey));
    const QVariantList steps = form.testSteps();
    QCOMPARE(steps.size(), 2);
    QVERIFY(steps.at(0).toMap().value(u"ok"_s).toBool()); // keys were there
    QVERIFY(!steps.at(1).toMap().value(u"ok"_s).toBool()); // the server refused them
}

void TstAppSettingsForm::testSignerDown()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    SettingsForm form;
    form.setController(makeController());
    form.setSigningUrl(u"http://127.0.0.1:%1/sts"_s.arg(port));
    form.setDialect(u"s3"_s);
    form.setEndpointUrl(u"http://127.0.0.1:9"_s);
    form.setRegion(u"us-east-1"_s);
    form.setBearerToken(u"bearer-secret"_s);
    // An IP address needs path style: said under the endpoint, before anything is tried.
    QVERIFY(!form.isValid());
    QVERIFY2(form.endpointUrlError().contains(u"path style"_s), qPrintable(form.endpointUrlError()));
    form.setPathStyle(true);
    QCOMPARE(form.endpointUrlError(), QString());
    QVERIFY(form.isValid());
    QSignalSpy finished(&form, &SettingsForm::testFinished);
    form.test();
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    const QString message = finished.at(0).at(1).toString();
    QVERIFY2(message.startsWith(u"The signing URL did not give keys"_s), qPrintable(message));
    QVERIFY(!message.contains(u"bearer-secret"_s));
    QCOMPARE(form.testSteps().size(), 1);
    QCOMPARE(form.testSteps().at(0).toMap().value(u"ok"_s).toBool(), false);

    // An invalid form is not tested: every message shows, and the result says why.
    form.setRegion(u"Bad Region"_s);
    form.test();
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.at(1).at(1).toString(), u"Fix the marked fields first."_s);
    QVERIFY(!form.regionError().isEmpty());
}

void TstAppSettingsForm::saveKeepsTheOpenFolder()
{
    if (!m_env)
        QSKIP("no sandbox (COS_ENDPOINT, COS_SECRET_ID, COS_SECRET_KEY)");
    std::unique_ptr<Cos::Client> admin(AppTest::sandboxClient(*m_env));
    const QString bucket = AppTest::uniqueBucket(u"form-keep"_s);
    QVERIFY(AppTest::run(admin->createBucket(bucket)));
    QVERIFY(AppTest::putObject(admin.get(), bucket, u"a/b/c.txt"_s, "c"));

    SettingsForm form;
    AppController *controller = makeController();
    form.setController(controller);
    fillSandbox(&form);
    QVERIFY(form.save());
    QTRY_VERIFY_WITH_TIMEOUT(controller->isConnected(), 20000);
    controller->openBucket(bucket, m_env->region);
    controller->objects()->openFolder(u"a/b/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(controller->objects()->isLoaded(), 20000);

    // Another save (a new default bucket): the clients are new, the open folder stays.
    const QPointer<Cos::Client> before = controller->client();
    form.setDefaultBucket(u"elsewhere"_s);
    QVERIFY(form.save());
    QTRY_VERIFY_WITH_TIMEOUT(before.isNull() && controller->isConnected(), 20000);
    QCOMPARE(controller->objects()->bucket(), bucket);
    QCOMPARE(controller->objects()->prefix(), u"a/b/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(controller->objects()->isLoaded(), 20000);
    QCOMPARE(controller->objects()->rowCount(), 1);
    AppTest::purgeBucket(admin.get(), bucket);
}

QTEST_MAIN(TstAppSettingsForm)
#include "tst_app_settingsform.moc"
