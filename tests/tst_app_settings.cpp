// Settings validation, environment precedence, bucket names and user-facing texts.
#include <appcontroller.h>
#include <appsettings.h>
#include <embeddedsigneroptions.h>
#include <signerconfig.h>
#include <pluraltranslator.h>
#include <presentation.h>
#include <secretstore.h>
#include <transferlistmodel.h>

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppSettings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void signingUrl_data();
    void signingUrl();
    void endpointUrl_data();
    void endpointUrl();
    void regionAndAppId_data();
    void regionAndAppId();
    void secrets();
    void environmentWins();
    void environmentKeysAndSave();
    void endpointOptions();
    void cosIgnoresTheS3Url();
    void badEnvironmentValuesIgnored();
    void embeddedSignerSettings();
    void bucketNames_data();
    void bucketNames();
    void folderNames();
    void errorTexts_data();
    void errorTexts();
    void errorCauses_data();
    void errorCauses();
    void plurals();
    void formatting();
    void restoreIgnoresGarbage();
    void transferViewOrderAndFilter();
    void transferRetryable();
    void secretStoreRoundTrip();
};

void TstAppSettings::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void TstAppSettings::signingUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected"); // a word of the message; empty: valid
    QTest::newRow("empty") << QString() << u"Enter the URL"_s;
    QTest::newRow("local http") << u"http://127.0.0.1:5000/sts"_s << QString();
    QTest::newRow("localhost") << u"http://localhost:3000/sts"_s << QString();
    QTest::newRow("emulator host") << u"http://10.0.2.2:3000/sts"_s << QString();
    QTest::newRow("https") << u"https://signer.example.com/sts"_s << QString();
    QTest::newRow("remote http") << u"http://signer.example.com/sts"_s << u"https://"_s;
    QTest::newRow("ftp") << u"ftp://example.com/sts"_s << u"http:// or https://"_s;
    QTest::newRow("no host") << u"http:///sts"_s << u"not a valid URL"_s;
    QTest::newRow("spaces") << u"not a url"_s << u"not a valid URL"_s;
}

void TstAppSettings::signingUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const QString error = AppSettings::validateSigningUrl(url);
    if (expected.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(expected), qPrintable(error));
}

void TstAppSettings::endpointUrl_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("expected");
    QTest::newRow("cos ignores") << u"cos"_s << QString() << QString();
    QTest::newRow("s3 empty") << u"s3"_s << QString() << u"Enter the S3 endpoint"_s;
    QTest::newRow("s3 ok") << u"s3"_s << u"http://127.0.0.1:7480"_s << QString();
    QTest::newRow("s3 slash") << u"s3"_s << u"https://s3.example.com/"_s << QString();
    QTest::newRow("s3 path") << u"s3"_s << u"https://s3.example.com/bucket"_s << u"/bucket"_s;
    QTest::newRow("s3 query") << u"s3"_s << u"https://s3.example.com?x=1"_s << u"query"_s;
    QTest::newRow("s3 scheme") << u"s3"_s << u"s3.example.com"_s << u"not a valid URL"_s;
}

void TstAppSettings::endpointUrl()
{
    QFETCH(QString, dialect);
    QFETCH(QString, url);
    QFETCH(QString, expected);
    const QString error = AppSettings::validateEndpointUrl(dialect, url);
    if (expected.isEmpty())
        QVERIFY2(error.isEmpty(), qPrintable(error));
    else
        QVERIFY2(error.contains(expected), qPrintable(error));
}

void TstAppSettings::regionAndAppId_data()
{
    QTest::addColumn<QString>("region");
    QTest::addColumn<bool>("regionOk");
    QTest::addColumn<QString>("appId");
    QTest::addColumn<bool>("appIdOk");
    QTest::newRow("typical") << u"ap-guangzhou"_s << true << u"1250000000"_s << true;
    QTest::newRow("numbered") << u"ap-beijing-1"_s << true << u"1"_s << true;
    QTest::newRow("upper") << u"AP-Guangzhou"_s << false << u"12a"_s << false;
    QTest::newRow("empty") << QString() << false << QString() << false;
    QTest::newRow("double dash") << u"ap--x"_s << false << u"-1"_s << false;
}

void TstAppSettings::regionAndAppId()
{
    QFETCH(QString, region);
    QFETCH(bool, regionOk);
    QFETCH(QString, appId);
    QFETCH(bool, appIdOk);
    QCOMPARE(AppSettings::validateRegion(region).isEmpty(), regionOk);
    QCOMPARE(AppSettings::validateAppId(u"cos"_s, appId).isEmpty(), appIdOk);
    // The APPID is optional for S3 endpoints, but still digits when given.
    QCOMPARE(AppSettings::validateAppId(u"s3"_s, appId).isEmpty(), appId.isEmpty() || appIdOk);
}

void TstAppSettings::secrets()
{
    QVERIFY(!AppSettings::validateSecretId(QString()).isEmpty());
    QVERIFY(AppSettings::validateSecretId(u"AKIDexample0123456789"_s).isEmpty());
    QVERIFY(!AppSettings::validateSecretId(u"AKID with space"_s).isEmpty());
    QVERIFY(!AppSettings::validateSecretKey(QString(), false).isEmpty());
    QVERIFY(AppSettings::validateSecretKey(QString(), true).isEmpty()); // keep the stored one
    QVERIFY(!AppSettings::validateSecretKey(u"short"_s, false).isEmpty());
    QVERIFY(AppSettings::validateBearerToken(QString()).isEmpty());
    QVERIFY(AppSettings::validateBearerToken(u"abc.DEF-123_x~+/="_s).isEmpty());
    QVERIFY(!AppSettings::validateBearerToken(u"two words"_s).isEmpty());
    QCOMPARE(AppSettings::maskSecret(u"AKIDabcdefghijkl1234"_s), u"AKID••••••••••••1234"_s);
    QCOMPARE(AppSettings::maskSecret(u"short"_s), u"•••••"_s);
    const QString validationOfKey = AppSettings::validateSecretKey(u"bad key with spaces"_s, false);
    QVERIFY(!validationOfKey.contains(u"bad key"_s)); // never echoes the secret
}

void TstAppSettings::environmentWins()
{
    AppSettings s;
    s.setSigningUrl(u"https://saved.example.com/sts"_s);
    s.applyEnvironment({u"COS_ENDPOINT=http://127.0.0.1:7480"_s, u"COS_REGION=us-east-1"_s,
                        u"COS_PATH_STYLE=1"_s, u"COS_CREDENTIALS_URL=http://127.0.0.1:5000/sts"_s,
                        u"COS_SECRET_ID=AKIDenvironment0001"_s,
                        u"COS_SECRET_KEY=environment-secret-key"_s, u"COS_DEFAULT_BUCKET=cosdemo"_s,
                        u"UNRELATED=1"_s});
    // No COS_DIALECT, but an endpoint: that is S3.
    QCOMPARE(s.dialect(), u"s3"_s);
    QVERIFY(s.pathStyle());
    QCOMPARE(s.defaultRegion(), u"us-east-1"_s);
    QCOMPARE(s.defaultBucket(), u"cosdemo"_s);
    // The signing URL wins over keys (scripts/demo.sh exports both).
    QCOMPARE(s.credentialSource(), AppSettings::SigningUrl);
    QCOMPARE(s.signingUrl(), u"http://127.0.0.1:5000/sts"_s);
    QVERIFY(!s.keysFromEnvironment());
    QVERIFY(s.environmentOverrides().contains(u"COS_CREDENTIALS_URL"_s));
    QVERIFY(s.isConfigured());
    Cos::Error error;
    const Cos::Endpoint ep = s.endpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.dialect, Cos::Dialect::S3);
    QCOMPARE(ep.port, 7480);
}

void TstAppSettings::environmentKeysAndSave()
{
    QSettings().clear();
    {
        AppSettings s;
        s.applyEnvironment({u"COS_DIALECT=cos"_s, u"COS_REGION=ap-beijing"_s,
                            u"COS_APPID=1250000000"_s, u"COS_SECRET_ID=AKIDenvironment0001"_s,
                            u"COS_SECRET_KEY=environment-secret-key"_s});
        QCOMPARE(s.credentialSource(), AppSettings::PermanentKeys);
        QVERIFY(s.keysFromEnvironment());
        QCOMPARE(s.environmentSecretKey(), u"environment-secret-key"_s);
        QCOMPARE(s.maskedSecretId(), u"AKID•••••••••••0001"_s);
        QVERIFY(s.isConfigured());
        s.setTheme(AppSettings::DarkTheme);
        s.save();
    }
    // Environment values stay out of the file; the user's own choices are saved.
    QSettings stored;
    QVERIFY(!stored.contains(u"endpoint/region"_s));
    QVERIFY(!stored.contains(u"endpoint/appId"_s));
    QVERIFY(!stored.contains(u"credentials/maskedSecretId"_s));
    QCOMPARE(stored.value(u"ui/theme"_s).toInt(), int(AppSettings::DarkTheme));
    const QString all = stored.allKeys().join(u' ');
    for (const QString &key : stored.allKeys())
        QVERIFY(!stored.value(key).toString().contains(u"environment-secret-key"_s));
    Q_UNUSED(all)
}

void TstAppSettings::embeddedSignerSettings()
{
    // COS_EMBEDDED_SIGNER=1 chooses the embedded signer (over keys and a signing URL), with the
    // permanent key from COS_SIGNER_SECRET_ID/KEY and the STS settings under cosctl's names.
    QSettings().clear();
    {
        AppSettings s;
        s.applyEnvironment({u"COS_ENDPOINT=http://127.0.0.1:7480"_s, u"COS_REGION=us-east-1"_s,
                            u"COS_PATH_STYLE=1"_s, u"COS_EMBEDDED_SIGNER=1"_s,
                            u"COS_SECRET_ID=AKIDother0000000002"_s,
                            u"COS_SECRET_KEY=other-secret-key"_s,
                            u"COS_CREDENTIALS_URL=http://127.0.0.1:5000/sts"_s,
                            u"COS_SIGNER_SECRET_ID=AKIDsigner000000001"_s,
                            u"COS_SIGNER_SECRET_KEY=signer-secret-key"_s,
                            u"COS_STS_ENDPOINT=http://127.0.0.1:7480"_s,
                            u"COS_ROLE_ARN=arn:aws:iam:::role/r"_s, u"COS_SIGNER_BUCKET=b"_s});
        QCOMPARE(s.credentialSource(), AppSettings::EmbeddedSigner);
        QCOMPARE(s.secretId(), u"AKIDsigner000000001"_s);
        QCOMPARE(s.environmentSecretKey(), u"signer-secret-key"_s);
        QVERIFY(s.isConfigured());
        const EmbeddedSignerOptions &o = s.embeddedSignerOptions();
        QCOMPARE(o.stsEndpoint, u"http://127.0.0.1:7480"_s);
        QCOMPARE(o.roleArn, u"arn:aws:iam:::role/r"_s);
        QCOMPARE(o.bucket, u"b"_s);
        QCOMPARE(o.prefix, EmbeddedSignerOptions::defaultPrefix());
        QCOMPARE(o.effectiveBackend(s.dialect()), u"s3-sts"_s);
        QCOMPARE(o.validate(s.dialect()), QString());
        QCOMPARE(o.effectiveBackend(u"cos"_s), u"tencent"_s);

        // The signer configuration: one grant on the bucket, the s3-sts back end.
        Signer::SignerConfig config;
        QString error;
        Cos::Credentials key;
        key.secretId = s.secretId();
        key.secretKey = s.environmentSecretKey();
        QVERIFY2(o.toSignerConfig(key, s.dialect(), s.defaultRegion(), {}, {}, &config, &error),
                 qPrintable(error));
        QCOMPARE(config.backend, u"s3-sts"_s);
        QCOMPARE(config.grants.size(), 1);
        QCOMPARE(config.grants.constFirst().bucket, u"b"_s);
        QCOMPARE(config.grants.constFirst().prefixTemplate, u"users/${uid}/"_s);
        // No permanent key, or no bucket: one sentence that says what to enter.
        QVERIFY(!o.toSignerConfig({}, s.dialect(), s.defaultRegion(), {}, {}, &config, &error));
        QVERIFY2(error.contains(u"permanent key"_s), qPrintable(error));
        EmbeddedSignerOptions noBucket = o;
        noBucket.bucket.clear();
        QVERIFY(!noBucket.toSignerConfig(key, s.dialect(), s.defaultRegion(), {}, {}, &config,
                                         &error));
        QVERIFY2(error.contains(u"bucket"_s), qPrintable(error));
        QVERIFY(noBucket.toSignerConfig(key, s.dialect(), s.defaultRegion(), {}, u"dflt"_s, &config,
                                        &error));
        QCOMPARE(config.grants.constFirst().bucket, u"dflt"_s);
        QVERIFY(!error.contains(u"signer-secret-key"_s));

        // The user's grant is saved; the environment's values are not.
        EmbeddedSignerOptions mine = o;
        mine.prefix = u"photos/"_s;
        mine.actions = u"upload,list"_s;
        mine.durationSeconds = 600;
        s.setEmbeddedSignerOptions(mine);
        s.save();
    }
    QSettings stored;
    QCOMPARE(stored.value(u"signer/prefix"_s).toString(), u"photos/"_s);
    QCOMPARE(stored.value(u"signer/actions"_s).toString(), u"upload,list"_s);
    QCOMPARE(stored.value(u"signer/duration"_s).toInt(), 600);
    QVERIFY(!stored.contains(u"signer/roleArn"_s));
    QVERIFY(!stored.contains(u"signer/bucket"_s));
    QVERIFY(!stored.contains(u"credentials/source"_s));
    for (const QString &key : stored.allKeys())
        QVERIFY(!stored.value(key).toString().contains(u"secret-key"_s));
    AppSettings reloaded;
    reloaded.load();
    QCOMPARE(reloaded.embeddedSignerOptions().prefix, u"photos/"_s);
    QCOMPARE(reloaded.embeddedSignerOptions().durationSeconds, 600);
    QSettings().clear();
}

void TstAppSettings::endpointOptions()
{
    // The COS endpoint options under cosctl's variable names, saved like the other settings.
    QSettings().clear();
    {
        AppSettings s;
        s.applyEnvironment({u"COS_DIALECT=cos"_s, u"COS_REGION=ap-beijing"_s,
                            u"COS_APPID=1250000000"_s, u"COS_PROTOCOL=http"_s,
                            u"COS_DOMAIN={Bucket}.cos.{Region}.tencentcos.cn"_s,
                            u"COS_SERVICE_DOMAIN=service.example.com"_s,
                            u"COS_CONNECT_TO=127.0.0.1:8080"_s, u"COS_BACKUP_DOMAIN=0"_s});
        QCOMPARE(s.domain(), u"{Bucket}.cos.{Region}.tencentcos.cn"_s);
        QVERIFY(!s.backupDomain());
        QVERIFY(s.environmentOverrides().contains(u"COS_CONNECT_TO"_s));
        Cos::Error error;
        const Cos::Endpoint ep = s.endpoint(&error);
        QVERIFY2(!error, qPrintable(error.toString()));
        QCOMPARE(ep.scheme, u"http"_s);
        QCOMPARE(ep.bucketHost(u"b-1250000000"_s), u"b-1250000000.cos.ap-beijing.tencentcos.cn"_s);
        QCOMPARE(ep.serviceHost(), u"service.example.com"_s);
        QCOMPARE(ep.connectHost, u"127.0.0.1"_s);
        QCOMPARE(ep.connectPort, 8080);
        QVERIFY(!ep.backupDomain);
        // The user's own choice is saved; the environment's values are not.
        s.setAccelerate(false);
        s.setInternal(true);
        s.setDomain(QString());
        s.save();
    }
    // load() applies the process environment on top (the sandbox's COS_* in CI): leave it out
    // for this part and put it back afterwards.
    QList<QPair<QByteArray, QByteArray>> saved;
    for (const QString &entry : QProcessEnvironment::systemEnvironment().toStringList()) {
        if (!entry.startsWith("COS_"_L1))
            continue;
        const QByteArray name = entry.section(u'=', 0, 0).toLocal8Bit();
        saved.append({name, qgetenv(name.constData())});
        qunsetenv(name.constData());
    }
    const auto restore = qScopeGuard([&saved] {
        for (const auto &[name, value] : std::as_const(saved))
            qputenv(name.constData(), value);
    });
    QSettings stored;
    QVERIFY(!stored.contains(u"endpoint/connectTo"_s));
    QVERIFY(!stored.contains(u"endpoint/serviceDomain"_s));
    QCOMPARE(stored.value(u"endpoint/internal"_s).toBool(), true);
    {
        AppSettings s;
        s.load();
        QVERIFY(s.internal());
        Cos::Error error;
        const Cos::Endpoint ep = s.endpoint(&error);
        QVERIFY2(!error, qPrintable(error.toString()));
        QVERIFY(ep.bucketHost(u"b-1"_s).contains(u".cos-internal."_s));
        // Invalid combinations and values are explained, as in cosctl.
        s.setAccelerate(true);
        (void)s.endpoint(&error);
        QVERIFY(error.message().contains(u"Choose one"_s));
        s.setAccelerate(false);
        s.setConnectTo(u"127.0.0.1:port"_s);
        (void)s.endpoint(&error);
        QVERIFY(error.message().contains(u"HOST[:PORT]"_s));
        QVERIFY(!s.isConfigured());
        // S3 keeps its URL and takes only the connect-to address of these options.
        s.setConnectTo(u"10.0.0.2:9000"_s);
        const Cos::Endpoint s3 = AppSettings::makeEndpoint(u"s3"_s, u"http://minio.local:9000"_s,
                                                           true, u"us-east-1"_s, QString(),
                                                           s.endpointOptions(), &error);
        QVERIFY2(!error, qPrintable(error.toString()));
        QCOMPARE(s3.host, u"minio.local"_s);
        QCOMPARE(s3.connectHost, u"10.0.0.2"_s);
        QVERIFY(!s3.internal);
    }
    QSettings().clear();
}

void TstAppSettings::cosIgnoresTheS3Url()
{
    // The endpoint URL is the S3 server's. Switching to COS hides its field; the URL saved for
    // S3 must not change COS requests (it used to give them its scheme: plain http to COS).
    AppSettings s;
    s.setDialect(u"s3"_s);
    s.setEndpointUrl(u"http://127.0.0.1:7480"_s);
    s.setDialect(u"cos"_s);
    s.setDefaultRegion(u"ap-guangzhou"_s);
    s.setAppId(u"1250000000"_s);
    Cos::Error error;
    Cos::Endpoint ep = s.endpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.dialect, Cos::Dialect::Cos);
    QCOMPARE(ep.scheme, u"https"_s);
    QCOMPARE(ep.port, -1);
    QCOMPARE(ep.bucketHost(u"b-1250000000"_s), u"b-1250000000.cos.ap-guangzhou.myqcloud.com"_s);
    // The scheme of COS comes from its protocol option, as in cosctl.
    s.setProtocol(u"http"_s);
    QCOMPARE(s.endpoint(&error).scheme, u"http"_s);
    // Back to S3: the URL is still there.
    s.setDialect(u"s3"_s);
    s.setPathStyle(true);
    ep = s.endpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.host, u"127.0.0.1"_s);
    QCOMPARE(ep.port, 7480);
}

void TstAppSettings::badEnvironmentValuesIgnored()
{
    // Values the engine cannot use are named on stderr and leave the saved ones in place.
    AppSettings s;
    s.setPathStyle(true);
    QTest::ignoreMessage(QtWarningMsg,
                         "COS_PATH_STYLE: \"maybe\" is not a switch: use 1, true, yes or on, or 0, "
                         "false, no or off (ignored)");
    QTest::ignoreMessage(QtWarningMsg,
                         "COS_DIALECT: \"ftp\" is not a dialect: use cos (Tencent COS XML API) or "
                         "s3 (ignored)");
    s.applyEnvironment({u"COS_PATH_STYLE=maybe"_s, u"COS_DIALECT=ftp"_s, u"COS_INTERNAL=on"_s});
    QVERIFY(s.pathStyle());
    QCOMPARE(s.dialect(), u"cos"_s);
    QVERIFY(s.internal());
    QVERIFY(!s.environmentOverrides().contains(u"COS_PATH_STYLE"_s));
    QVERIFY(s.environmentOverrides().contains(u"COS_INTERNAL"_s));
}

void TstAppSettings::bucketNames_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("appId");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected"); // part of the message; empty: valid
    QTest::addColumn<QString>("full");
    QTest::newRow("plain") << u"cos"_s << u"1250000000"_s << u"photos"_s << QString()
                           << u"photos-1250000000"_s;
    QTest::newRow("suffix given") << u"cos"_s << u"1250000000"_s << u"photos-1250000000"_s
                                  << QString() << u"photos-1250000000"_s;
    QTest::newRow("upper") << u"cos"_s << u"1250000000"_s << u"Photos"_s << u"lower-case"_s
                           << QString();
    QTest::newRow("underscore") << u"cos"_s << u"1250000000"_s << u"my_bucket"_s << u"\"_\""_s
                                << QString();
    QTest::newRow("dash start") << u"cos"_s << u"1250000000"_s << u"-x"_s << u"start or end"_s
                                << QString();
    QTest::newRow("too long") << u"cos"_s << u"1250000000"_s << QString(40, u'a') << u"at most 50"_s
                              << QString();
    QTest::newRow("longest") << u"cos"_s << u"1250000000"_s << QString(39, u'a') << QString()
                             << QString(39, u'a') + u"-1250000000"_s;
    QTest::newRow("no appid") << u"cos"_s << QString() << u"photos"_s << u"APPID"_s << QString();
    QTest::newRow("empty") << u"cos"_s << u"1250000000"_s << QString() << u"Enter"_s << QString();
    QTest::newRow("s3 ok") << u"s3"_s << QString() << u"my.bucket-1"_s << QString()
                           << u"my.bucket-1"_s;
    QTest::newRow("s3 short") << u"s3"_s << QString() << u"ab"_s << u"3 to 63"_s << QString();
}

void TstAppSettings::bucketNames()
{
    QFETCH(QString, dialect);
    QFETCH(QString, appId);
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QFETCH(QString, full);
    AppController controller(new MemorySecretStore);
    AppSettings *s = controller.settings();
    s->setDialect(dialect);
    s->setEndpointUrl(u"http://127.0.0.1:7480"_s);
    s->setDefaultRegion(dialect == "s3"_L1 ? u"us-east-1"_s : u"ap-guangzhou"_s);
    s->setAppId(appId);
    const QString error = controller.validateBucketName(name);
    if (expected.isEmpty()) {
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(controller.fullBucketName(name), full);
    } else {
        QVERIFY2(error.contains(expected), qPrintable(error));
    }
}

void TstAppSettings::errorTexts_data()
{
    using Op = Presentation::Operation;
    QTest::addColumn<int>("operation");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("403 list buckets")
            << int(Op::ListBuckets) << 403 << u"AccessDenied"_s
            << QStringList {u"cos:GetService"_s, u"s3:ListAllMyBuckets"_s, u"default bucket"_s};
    QTest::newRow("403 list objects") << int(Op::ListObjects) << 403 << u"AccessDenied"_s
                                      << QStringList {u"cos:GetBucket"_s, u"s3:ListBucket"_s};
    QTest::newRow("403 upload") << int(Op::Upload) << 403 << u"AccessDenied"_s
                                << QStringList {u"cos:PutObject"_s};
    QTest::newRow("403 download") << int(Op::Download) << 403 << u"AccessDenied"_s
                                  << QStringList {u"cos:GetObject"_s};
    QTest::newRow("403 delete") << int(Op::Delete) << 403 << u"AccessDenied"_s
                                << QStringList {u"cos:DeleteObject"_s};
    QTest::newRow("403 create") << int(Op::CreateBucket) << 403 << u"AccessDenied"_s
                                << QStringList {u"cos:PutBucket"_s};
    QTest::newRow("bad keys") << int(Op::ListObjects) << 403 << u"SignatureDoesNotMatch"_s
                              << QStringList {u"rejected the credentials"_s, u"Settings"_s};
    QTest::newRow("expired") << int(Op::ListObjects) << 400 << u"ExpiredToken"_s
                             << QStringList {u"expired"_s};
    QTest::newRow("skew") << int(Op::ListObjects) << 403 << u"RequestTimeTooSkewed"_s
                          << QStringList {u"clock"_s};
    QTest::newRow("no bucket") << int(Op::ListObjects) << 404 << u"NoSuchBucket"_s
                               << QStringList {u"does not exist"_s, u"-APPID"_s};
    QTest::newRow("taken") << int(Op::CreateBucket) << 409 << u"BucketAlreadyExists"_s
                           << QStringList {u"another account"_s};
    QTest::newRow("path style") << int(Op::ListObjects) << 403 << u"PathStyleDomainForbidden"_s
                                << QStringList {u"Path-style"_s};
    QTest::newRow("5xx") << int(Op::ListObjects) << 503 << u"SlowDown"_s
                         << QStringList {u"Try again later"_s};
}

void TstAppSettings::errorTexts()
{
    QFETCH(int, operation);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QStringList, expected);
    const Cos::Error error = Cos::Error::service(status, code, u"server message"_s, u"req-1"_s);
    const QString text = Presentation::errorText(error, Presentation::Operation(operation),
                                                 u"bucket-1250000000"_s);
    for (const QString &part : expected)
        QVERIFY2(text.contains(part), qPrintable(text));

    // Transport errors name the cause and where to look.
    const QString net = Presentation::errorText(Cos::Error(Cos::Error::Kind::Network,
                                                           u"Connection refused"_s),
                                                Presentation::Operation::ListObjects);
    QVERIFY(net.contains(u"Connection refused"_s) && net.contains(u"endpoint"_s));
}

void TstAppSettings::errorCauses_data()
{
    using Kind = Cos::Error::Kind;
    QTest::addColumn<Cos::Error>("error");
    QTest::addColumn<QString>("cause");
    QTest::addColumn<bool>("blocks");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("signer down") << Cos::Error(
            Kind::Network,
            u"Cannot reach the signing URL http://127.0.0.1:9/sts: "
            "Connection refused"_s)
                                 << u"signer-unreachable"_s << true
                                 << u"Start the signing service"_s;
    QTest::newRow("signer slow") << Cos::Error(
            Kind::Timeout, u"The signing URL http://h/sts did not answer within 15 s"_s)
                                 << u"signer-unreachable"_s << true << u"signing URL"_s;
    QTest::newRow("signer 401") << Cos::Error(Kind::Credentials,
                                              u"The signing URL http://h/sts answered HTTP 401"_s)
                                           .setHttpStatus(401)
                                << u"signer-refused"_s << true << u"bearer token"_s;
    QTest::newRow("signer bad JSON")
            << Cos::Error(Kind::Credentials,
                          u"The signing response is not JSON (from the signing URL http://h)"_s)
            << u"signer-refused"_s << true << u"signing"_s;
    QTest::newRow("expired keys") << Cos::Error::service(400, u"ExpiredToken"_s, u"expired"_s)
                                  << u"credentials-rejected"_s << true << u"expired"_s;
    QTest::newRow("denied") << Cos::Error::service(403, u"AccessDenied"_s, u"no"_s)
                            << u"access-denied"_s << false << u"cos:GetBucket"_s;
    QTest::newRow("endpoint down") << Cos::Error(Kind::Network, u"Connection refused"_s)
                                   << u"endpoint-unreachable"_s << true << u"Check the endpoint"_s;
    QTest::newRow("missing") << Cos::Error::service(404, u"NoSuchBucket"_s, u"no"_s)
                             << u"not-found"_s << false << u"does not exist"_s;
}

void TstAppSettings::errorCauses()
{
    QFETCH(Cos::Error, error);
    QFETCH(QString, cause);
    QFETCH(bool, blocks);
    QFETCH(QString, mentions);
    const Presentation::Cause c = Presentation::causeOf(error);
    QCOMPARE(Presentation::causeName(c), cause);
    QCOMPARE(Presentation::blocksEverything(c), blocks);
    QVERIFY(!Presentation::causeTitle(c, error).isEmpty());
    const QString text = Presentation::errorText(error, Presentation::Operation::ListObjects,
                                                 u"b"_s);
    QVERIFY2(text.contains(mentions), qPrintable(text));
    if (cause.startsWith(u"signer"_s))
        QVERIFY2(!text.contains(u"Check the endpoint"_s), qPrintable(text));
}

void TstAppSettings::plurals()
{
    QCOMPARE(PluralTranslator::pluralize(u"%n item(s)"_s, 1), u"%n item"_s);
    QCOMPARE(PluralTranslator::pluralize(u"%n item(s)"_s, 0), u"%n items"_s);
    QCOMPARE(PluralTranslator::pluralize(u"%n transfer(s), %n left"_s, 3),
             u"%n transfers, %n left"_s);
    PluralTranslator translator;
    QCoreApplication::installTranslator(&translator);
    QCOMPARE(QCoreApplication::translate("ctx", "%n upload(s) started", nullptr, 1),
             u"1 upload started"_s);
    QCOMPARE(QCoreApplication::translate("ctx", "%n upload(s) started", nullptr, 4),
             u"4 uploads started"_s);
    // Texts without a count or without "(s)" are left to other translators.
    QCOMPARE(QCoreApplication::translate("ctx", "Settings"), u"Settings"_s);
    QCoreApplication::removeTranslator(&translator);
}

void TstAppSettings::formatting()
{
    QCOMPARE(Presentation::formatSize(0), u"0 B"_s);
    QCOMPARE(Presentation::formatSize(1023), u"1023 B"_s);
    QCOMPARE(Presentation::formatSize(1536), u"1.5 KiB"_s);
    QCOMPARE(Presentation::formatSize(3 * 1024 * 1024), u"3.0 MiB"_s);
    QCOMPARE(Presentation::formatSize(250LL * 1024 * 1024 * 1024), u"250 GiB"_s);
    QCOMPARE(Presentation::formatDuration(42), u"42 s"_s);
    QCOMPARE(Presentation::formatDuration(185), u"3 min 5 s"_s);
    QCOMPARE(Presentation::formatDuration(3720), u"1 h 2 min"_s);
    QCOMPARE(Presentation::formatDuration(-1), QString());
    QCOMPARE(Presentation::formatSpeed(2.5 * 1024 * 1024), u"2.5 MiB/s"_s);
    QCOMPARE(Presentation::typeName(u"a/b/photo.PNG"_s, false), u"PNG image"_s);
    QCOMPARE(Presentation::typeName(u"docs/"_s, true), u"Folder"_s);
    QCOMPARE(Presentation::typeName(u"x.weird"_s, false), u"WEIRD file"_s);
    QCOMPARE(Presentation::typeName(u"Makefile"_s, false), u"File"_s);
    QCOMPARE(Presentation::iconName(u"clip.mp4"_s, false), u"video"_s);
}

void TstAppSettings::restoreIgnoresGarbage()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"transfers.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"version":1,"transfers":[
        {"direction":"upload","bucket":"b","region":"r","key":"k","localPath":"/tmp/x"},
        {"direction":"download","bucket":"","key":"k","localPath":"/tmp/y"},
        "not an object",
        {"direction":"download","bucket":"b","key":"k2","localPath":"/tmp/z"}]})");
    f.close();
    TransferListModel model;
    model.setStateFile(path);
    QCOMPARE(model.restore(), 2);
    QCOMPARE(model.stateAt(0), u"paused"_s);
    QCOMPARE(model.index(1).data(TransferListModel::DirectionRole).toString(), u"download"_s);
    // Without a client (no factory) a resume fails with a message, not a crash.
    model.resume(0);
    QCOMPARE(model.stateAt(0), u"failed"_s);
    QVERIFY(!model.index(0).data(TransferListModel::ErrorRole).toString().isEmpty());
    QVERIFY(model.index(0).data(TransferListModel::CanRetryRole).toBool());
    // Without a task to clean up with, a cancel just ends the row.
    model.cancel(1);
    QCOMPARE(model.stateAt(1), u"canceled"_s);
    QCOMPARE(model.activeCount(), 0);

    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{ this is not json");
    f.close();
    TransferListModel broken;
    broken.setStateFile(path);
    QCOMPARE(broken.restore(), 0);
}

void TstAppSettings::folderNames()
{
    AppController controller(new MemorySecretStore);
    QCOMPARE(controller.validateFolderName(u"reports 2026"_s), QString());
    QCOMPARE(controller.validateFolderName(u"年度报告"_s), QString());
    QVERIFY(!controller.validateFolderName(QString()).isEmpty());
    QVERIFY(controller.validateFolderName(u"a/b"_s).contains(u"/"_s));
    QVERIFY(!controller.validateFolderName(u".."_s).isEmpty());
    QVERIFY(!controller.validateFolderName(u"tab\there"_s).isEmpty());
    // 100 three-byte characters: 300 bytes; the message says how many.
    QVERIFY(controller.validateFolderName(QString(100, QChar(0x62a5))).contains(u"300"_s));
}

void TstAppSettings::transferViewOrderAndFilter()
{
    // Four saved rows: they come back paused.
    QJsonArray rows;
    for (int i = 0; i < 4; ++i) {
        rows.append(QJsonObject {{u"direction"_s, i < 2 ? u"upload"_s : u"download"_s},
                                 {u"bucket"_s, u"b"_s},
                                 {u"region"_s, u"r"_s},
                                 {u"key"_s, u"k%1"_s.arg(i)},
                                 {u"localPath"_s, u"/tmp/x%1"_s.arg(i)}});
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(u"transfers.json"_s);
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(QJsonObject {{u"version"_s, 1}, {u"transfers"_s, rows}}).toJson());
    f.close();
    TransferListModel model;
    model.setStateFile(path);
    QCOMPARE(model.restore(), 4);
    QCOMPARE(model.pausedCount(), 4);
    TransferFilterModel view;
    QAbstractItemModelTester tester(&view, QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setSource(&model);
    QCOMPARE(view.count(), 4);
    QSignalSpy batch(&model, &TransferListModel::batchFinished);
    model.resume(0); // no client: fails at once
    model.cancel(1);
    QCOMPARE(model.stateAt(0), u"failed"_s);
    QCOMPARE(model.stateAt(1), u"canceled"_s);
    // A failure without a task is not a finished transfer: no summary for it.
    QCOMPARE(batch.count(), 0);
    QCOMPARE(model.pausedCount(), 2);
    QCOMPARE(model.failedCount(), 1);
    QCOMPARE(model.finishedCount(), 1);
    QCOMPARE(model.runningCount(), 0);

    // Unfinished first in queue order, then failed, then finished.
    const auto order = [&view] {
        QList<int> rows;
        for (int i = 0; i < view.count(); ++i)
            rows.append(view.sourceRow(i));
        return rows;
    };
    QCOMPARE(order(), (QList<int> {2, 3, 0, 1}));
    QCOMPARE(view.index(0, 0).data(TransferListModel::SourceRowRole).toInt(), 2);
    QCOMPARE(view.viewRow(0), 2);
    view.setFilter(u"active"_s);
    QCOMPARE(order(), (QList<int> {2, 3}));
    QCOMPARE(view.viewRow(0), -1);
    view.setFilter(u"failed"_s);
    QCOMPARE(order(), (QList<int> {0}));
    view.setFilter(u"finished"_s);
    QCOMPARE(order(), (QList<int> {1}));
    view.setFilter(u"all"_s);
    model.clearFinished();
    QCOMPARE(order(), (QList<int> {0, 1}));
    QCOMPARE(model.failedCount() + model.finishedCount(), 0);
    QCOMPARE(model.pausedCount(), 2);
}

void TstAppSettings::transferRetryable()
{
    using Kind = Cos::Error::Kind;
    QVERIFY(!TransferListModel::isRetryable(Cos::Error::service(404, u"NoSuchKey"_s, u"x"_s)));
    QVERIFY(!TransferListModel::isRetryable(Cos::Error::service(403, u"AccessDenied"_s, u"x"_s)));
    QVERIFY(TransferListModel::isRetryable(Cos::Error::service(503, u"SlowDown"_s, u"x"_s)));
    QVERIFY(TransferListModel::isRetryable(Cos::Error::service(400, u"ExpiredToken"_s, u"x"_s)));
    QVERIFY(TransferListModel::isRetryable(Cos::Error(Kind::Network, u"refused"_s)));
    QVERIFY(TransferListModel::isRetryable(Cos::Error(Kind::Timeout, u"slow"_s)));
    QVERIFY(TransferListModel::isRetryable(Cos::Error(Kind::Io, u"disk full"_s)));
    QVERIFY(!TransferListModel::isRetryable(Cos::Error(Kind::InvalidInput, u"bad"_s)));
    QVERIFY(!TransferListModel::isRetryable(Cos::Error(Kind::Canceled, u"stop"_s)));
}

void TstAppSettings::secretStoreRoundTrip()
{
    MemorySecretStore store;
    QString value = u"unset"_s;
    QString error = u"unset"_s;
    store.write(u"k"_s, u"v"_s, this, [&](const QString &e) { error = e; });
    QTRY_COMPARE(error, QString());
    store.read(u"k"_s, this, [&](const QString &v, const QString &) { value = v; });
    QTRY_COMPARE(value, u"v"_s);
    store.remove(u"k"_s, this, [](const QString &) {});
    store.read(u"k"_s, this, [&](const QString &v, const QString &) { value = v; });
    QTRY_COMPARE(value, QString());
}

QTEST_MAIN(TstAppSettings)
#include "tst_app_settings.moc"
