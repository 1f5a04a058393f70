// Cos::ClientConfig: the COS_* variables, dialect inference, one error per bad field, the
// endpoint of both dialects and the credential provider of each source.
#include "cos/net/clientconfig.h"
#include "cos/net/credentialprovider.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

using Field = ClientConfig::Field;
using Source = ClientConfig::CredentialSource;

namespace {

QStringList fields(const QList<ClientConfig::Problem> &problems)
{
    QStringList out;
    for (const ClientConfig::Problem &p : problems)
        out.append(ClientConfig::variableName(p.field).isEmpty()
                           ? p.message.section(u':', 0, 0)
                           : ClientConfig::variableName(p.field));
    return out;
}

QString messageOf(const QList<ClientConfig::Problem> &problems, Field field)
{
    for (const ClientConfig::Problem &p : problems) {
        if (p.field == field)
            return p.message;
    }
    return {};
}

} // namespace

class TstClientConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fromEnvironment();
    void switches_data();
    void switches();
    void dialectInference_data();
    void dialectInference();
    void oneErrorPerField();
    void labelsNameTheFlag();
    void s3Endpoint();
    void cosEndpoint();
    void cosEndpointTakesNoUrl();
    void credentialSources();
    void providers();
    void embeddedSignerNeedsItsFactory();
    void embeddedSignerSettings();
    void secretsNeverInMessages();
    void caFile();
};

void TstClientConfig::fromEnvironment()
{
    const ClientConfig c = ClientConfig::fromEnvironment(
            {u"COS_DIALECT=s3"_s,
             u"COS_ENDPOINT= http://127.0.0.1:7480 "_s,
             u"COS_REGION=us-east-1"_s,
             u"COS_APPID=1250000000"_s,
             u"COS_PATH_STYLE=1"_s,
             u"COS_PROTOCOL=http"_s,
             u"COS_DOMAIN={Bucket}.example.com"_s,
             u"COS_SERVICE_DOMAIN=service.example.com"_s,
             u"COS_ACCELERATE=yes"_s,
             u"COS_INTERNAL=off"_s,
             u"COS_CONNECT_TO=[::1]:9000"_s,
             u"COS_BACKUP_DOMAIN=0"_s,
             u"COS_CA_FILE=/ca.pem"_s,
             u"COS_CREDENTIALS_URL=http://127.0.0.1:5000/sts"_s,
             u"COS_CREDENTIALS_TOKEN=tok"_s,
             u"COS_SECRET_ID=AKIDexample"_s,
             u"COS_SECRET_KEY=secret"_s,
             u"COS_SESSION_TOKEN=session"_s,
             u"COS_EMBEDDED_SIGNER=true"_s,
             u"COS_SIGNER_SECRET_ID=AKIDsigner"_s,
             u"COS_SIGNER_SECRET_KEY=signersecret"_s,
             u"COS_STS_ENDPOINT=http://sts.local"_s,
             u"COS_ROLE_ARN=arn:aws:iam:::role/r"_s,
             u"COS_SIGNER_BUCKET=b"_s,
             u"COS_DEFAULT_BUCKET=dflt"_s,
             u"COS_REGION_X=ignored"_s,
             u"HOME=/root"_s,
             u"COS_APPID_=x"_s,
             u"COS_PATH_STYLEX"_s});
    QCOMPARE(c.dialect, u"s3"_s);
    QCOMPARE(c.endpointUrl, u"http://127.0.0.1:7480"_s); // trimmed
    QCOMPARE(c.region, u"us-east-1"_s);
    QCOMPARE(c.appId, u"1250000000"_s);
    QVERIFY(c.pathStyle);
    QCOMPARE(c.endpointOptions.protocol, u"http"_s);
    QCOMPARE(c.endpointOptions.domain, u"{Bucket}.example.com"_s);
    QCOMPARE(c.endpointOptions.serviceDomain, u"service.example.com"_s);
    QVERIFY(c.endpointOptions.accelerate);
    QVERIFY(!c.endpointOptions.internal);
    QCOMPARE(c.endpointOptions.connectTo, u"[::1]:9000"_s);
    QVERIFY(!c.endpointOptions.backupDomain);
    QCOMPARE(c.caFile, u"/ca.pem"_s);
    QCOMPARE(c.signingUrl, u"http://127.0.0.1:5000/sts"_s);
    QCOMPARE(c.bearerToken, u"tok"_s);
    QCOMPARE(c.keys.secretId, u"AKIDexample"_s);
    QCOMPARE(c.keys.secretKey, u"secret"_s);
    QCOMPARE(c.keys.sessionToken, u"session"_s);
    QCOMPARE(c.keysOrigin, u"environment"_s);
    QVERIFY(c.embeddedSigner);
    QCOMPARE(c.signer.permanentKey.secretId, u"AKIDsigner"_s);
    QCOMPARE(c.signer.permanentKey.secretKey, u"signersecret"_s);
    QCOMPARE(c.signer.stsEndpoint, u"http://sts.local"_s);
    QCOMPARE(c.signer.roleArn, u"arn:aws:iam:::role/r"_s);
    QCOMPARE(c.signer.bucket, u"b"_s);
    QCOMPARE(c.defaultBucket, u"dflt"_s);
    QVERIFY(c.parseProblems.isEmpty());
    QCOMPARE(c.environmentNames.size(), 25);
    QVERIFY(c.environmentNames.contains(u"COS_CONNECT_TO"_s));
    QVERIFY(!c.environmentNames.contains(u"COS_REGION_X"_s));

    // Empty values count as unset; defaults stay.
    const ClientConfig d = ClientConfig::fromEnvironment(
            {u"COS_REGION="_s, u"COS_BACKUP_DOMAIN= "_s});
    QVERIFY(d.region.isEmpty());
    QVERIFY(d.endpointOptions.backupDomain);
    QVERIFY(d.environmentNames.isEmpty());
    QVERIFY(d.keysOrigin.isEmpty());
}

void TstClientConfig::switches_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("on");
    for (const char *v : {"1", "true", "TRUE", "yes", "on", " On "})
        QTest::newRow(v) << QString::fromLatin1(v) << true << true;
    for (const char *v : {"0", "false", "no", "off", "OFF"})
        QTest::newRow(v) << QString::fromLatin1(v) << true << false;
    for (const char *v : {"2", "maybe", "y", "enabled", "1.0"})
        QTest::newRow(v) << QString::fromLatin1(v) << false << false;
}

void TstClientConfig::switches()
{
    QFETCH(QString, value);
    QFETCH(bool, ok);
    QFETCH(bool, on);
    bool parsed = false;
    QCOMPARE(ClientConfig::parseSwitch(value, &parsed), on);
    QCOMPARE(parsed, ok);
    // A switch variable that is neither on nor off is a problem named by its variable, and the
    // default stays.
    const ClientConfig c = ClientConfig::fromEnvironment({u"COS_BACKUP_DOMAIN="_s + value});
    QCOMPARE(c.endpointOptions.backupDomain, ok ? on : true);
    QCOMPARE(c.parseProblems.isEmpty(), ok);
    if (!ok) {
        const QString m = messageOf(c.validate(), Field::BackupDomain);
        QVERIFY2(m.startsWith(u"COS_BACKUP_DOMAIN: \""_s) && m.contains(u"0, false, no or off"_s),
                 qPrintable(m));
    }
}

void TstClientConfig::dialectInference_data()
{
    QTest::addColumn<QString>("dialect");
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<bool>("s3");
    QTest::newRow("nothing: cos") << QString() << QString() << false;
    QTest::newRow("endpoint: s3") << QString() << u"http://127.0.0.1:7480"_s << true;
    QTest::newRow("explicit s3") << u"S3"_s << QString() << true;
    QTest::newRow("explicit cos wins") << u"cos"_s << u"http://127.0.0.1:7480"_s << false;
}

void TstClientConfig::dialectInference()
{
    QFETCH(QString, dialect);
    QFETCH(QString, endpoint);
    QFETCH(bool, s3);
    ClientConfig c;
    c.dialect = dialect;
    c.endpointUrl = endpoint;
    QCOMPARE(c.effectiveDialect(), s3 ? Dialect::S3 : Dialect::Cos);
    QCOMPARE(c.effectiveBackend(), s3 ? u"s3-sts"_s : u"tencent"_s);
    c.signer.backend = u"tencent"_s;
    QCOMPARE(c.effectiveBackend(), u"tencent"_s);
}

void TstClientConfig::oneErrorPerField()
{
    // Everything wrong at once: each field is named once, with what is allowed.
    ClientConfig c;
    c.dialect = u"cos"_s;
    c.region = u"AP_Guangzhou"_s;
    c.appId = u"12a"_s;
    c.endpointOptions.protocol = u"ftp"_s;
    c.endpointOptions.domain = u"{Bucket}.{Nope}.example.com"_s;
    c.endpointOptions.serviceDomain = u"https://service.example.com/x"_s;
    c.endpointOptions.connectTo = u"127.0.0.1:port"_s;
    c.endpointOptions.accelerate = true;
    c.endpointOptions.internal = true;
    c.signingUrl = u"ftp://signer"_s;
    c.bearerToken = u"two words"_s;
    const QList<ClientConfig::Problem> problems = c.validate();
    QCOMPARE(fields(problems),
             QStringList({u"COS_REGION"_s, u"COS_APPID"_s, u"COS_PROTOCOL"_s, u"COS_DOMAIN"_s,
                          u"COS_SERVICE_DOMAIN"_s, u"COS_ACCELERATE"_s, u"COS_CONNECT_TO"_s,
                          u"COS_CREDENTIALS_URL"_s, u"COS_CREDENTIALS_TOKEN"_s}));
    QVERIFY(messageOf(problems, Field::Region).contains(u"e.g. ap-guangzhou"_s));
    QVERIFY(messageOf(problems, Field::AppId).contains(u"digits only"_s));
    QVERIFY(messageOf(problems, Field::Protocol).contains(u"neither http nor https"_s));
    QVERIFY(messageOf(problems, Field::Domain).contains(u"unknown placeholder"_s));
    QVERIFY(messageOf(problems, Field::ServiceDomain).contains(u"without scheme or path"_s));
    QVERIFY(messageOf(problems, Field::Accelerate)
                    .startsWith(u"Choose one of the acceleration domain (COS_ACCELERATE), the "
                                "private-network domain (COS_INTERNAL) and a domain template "
                                "(COS_DOMAIN)"_s));
    QVERIFY(messageOf(problems, Field::ConnectTo).contains(u"HOST[:PORT]"_s));
    QVERIFY(messageOf(problems, Field::SigningUrl).contains(u"http(s) URL"_s));
    for (const ClientConfig::Problem &p : problems) {
        if (p.field != Field::Accelerate)
            QVERIFY2(p.message.startsWith(ClientConfig::variableName(p.field) + u": "_s),
                     qPrintable(p.message));
    }

    ClientConfig bad;
    bad.dialect = u"ftp"_s;
    QCOMPARE(messageOf(bad.validateEndpoint(), Field::Dialect),
             u"COS_DIALECT: \"ftp\" is not a dialect: use cos (Tencent COS XML API) or s3"_s);
    Error error;
    (void)bad.makeEndpoint(&error);
    QCOMPARE(error.kind(), Error::Kind::InvalidInput);
    QVERIFY(error.message().startsWith(u"COS_DIALECT"_s));

    // A valid configuration has no problem at all.
    ClientConfig good;
    good.region = u"ap-beijing"_s;
    good.appId = u"1250000000"_s;
    good.keys.secretId = u"AKIDexample"_s;
    good.keys.secretKey = u"secret"_s;
    QVERIFY(good.validate().isEmpty());
}

void TstClientConfig::labelsNameTheFlag()
{
    ClientConfig c;
    c.region = u"Bad Region"_s;
    c.setLabel(Field::Region, u"--region"_s);
    QVERIFY(messageOf(c.validateEndpoint(), Field::Region).startsWith(u"--region: \"Bad Region\""_s));
    QCOMPARE(c.label(Field::AppId), u"COS_APPID"_s);
    QCOMPARE(c.label(Field::Duration), u"--duration"_s);
    QCOMPARE(ClientConfig::variableName(Field::Actions), QString());
    // Messages that mention other fields name them by their labels too.
    c.dialect = u"s3"_s;
    c.setLabel(Field::EndpointUrl, u"Endpoint URL"_s);
    QVERIFY(messageOf(c.validateEndpoint(), Field::EndpointUrl)
                    .startsWith(u"Endpoint URL: the s3 dialect needs the URL"_s));
    // An empty label: the message is a sentence of its own (a form shows it under the field).
    c.setLabel(Field::EndpointUrl, QString());
    QVERIFY(messageOf(c.validateEndpoint(), Field::EndpointUrl)
                    .startsWith(u"The s3 dialect needs the URL"_s));
}

void TstClientConfig::s3Endpoint()
{
    ClientConfig c;
    c.endpointUrl = u"http://127.0.0.1:7480/"_s;
    c.pathStyle = true;
    // Region COS options stay unused with S3; the connect-to address applies.
    c.endpointOptions.protocol = u"https"_s;
    c.endpointOptions.internal = true;
    c.endpointOptions.connectTo = u"10.0.0.2:9000"_s;
    Error error;
    Endpoint ep = c.makeEndpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.dialect, Dialect::S3);
    QCOMPARE(ep.scheme, u"http"_s);
    QCOMPARE(ep.host, u"127.0.0.1"_s);
    QCOMPARE(ep.port, 7480);
    QCOMPARE(ep.region, u"us-east-1"_s); // no region: SigV4's default
    QVERIFY(ep.pathStyle);
    QVERIFY(!ep.internal);
    QCOMPARE(ep.connectHost, u"10.0.0.2"_s);
    QCOMPARE(ep.connectPort, 9000);

    c.region = u"eu-west-1"_s;
    QCOMPARE(c.makeEndpoint(&error).region, u"eu-west-1"_s);

    // Virtual-host style on an IP address is a path-style problem. The endpoint is still built
    // as far as it goes (callers check bucket names by its dialect while they report this).
    c.pathStyle = false;
    ep = c.makeEndpoint(&error);
    QVERIFY(error.message().startsWith(u"COS_PATH_STYLE: Virtual-host style"_s));
    QCOMPARE(ep.dialect, Dialect::S3);

    const QList<std::pair<QString, QString>> bad = {
            {QString(), u"needs the URL of the server"_s},
            {u"s3.example.com"_s, u"not a URL with a host"_s},
            {u"http://s3.example.com/bucket"_s, u"must not have a path"_s},
            {u"http://user:pw@s3.example.com"_s, u"must not contain user info"_s},
            {u"https://s3.example.com:99999"_s, u"not a URL with a host"_s},
    };
    c.dialect = u"s3"_s;
    c.pathStyle = true;
    for (const auto &[url, expected] : bad) {
        c.endpointUrl = url;
        (void)c.makeEndpoint(&error);
        QVERIFY2(error.message().startsWith(u"COS_ENDPOINT: "_s)
                         && error.message().contains(expected),
                 qPrintable(url + u" -> "_s + error.message()));
        QVERIFY(!error.message().contains(u"pw@"_s));
    }
}

void TstClientConfig::cosEndpoint()
{
    ClientConfig c;
    c.region = u" ap-beijing "_s;
    c.appId = u"1250000000"_s;
    Error error;
    Endpoint ep = c.makeEndpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.dialect, Dialect::Cos);
    QCOMPARE(ep.scheme, u"https"_s);
    QCOMPARE(ep.region, u"ap-beijing"_s);
    QCOMPARE(ep.bucketHost(ep.fullBucketName(u"photos"_s)),
             u"photos-1250000000.cos.ap-beijing.myqcloud.com"_s);
    QVERIFY(ep.backupDomain);

    // The scheme comes from the protocol option or a scheme on the domain template.
    c.endpointOptions.protocol = u"http:"_s;
    QCOMPARE(c.makeEndpoint(&error).scheme, u"http"_s);
    c.endpointOptions.protocol.clear();
    c.endpointOptions.domain = u"http://{Bucket}.cos.{Region}.tencentcos.cn"_s;
    ep = c.makeEndpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.scheme, u"http"_s);
    QCOMPARE(ep.bucketHost(u"b-1250000000"_s), u"b-1250000000.cos.ap-beijing.tencentcos.cn"_s);

    // Without a region: all buckets can still be listed.
    ClientConfig noRegion;
    ep = noRegion.makeEndpoint(&error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(ep.serviceHost(), u"service.cos.myqcloud.com"_s);
}

void TstClientConfig::cosEndpointTakesNoUrl()
{
    // An endpoint URL with the cos dialect used to give the scheme only (its host and port were
    // dropped silently): refused, with where COS hosts and the scheme come from instead.
    ClientConfig c;
    c.dialect = u"cos"_s;
    c.region = u"ap-guangzhou"_s;
    c.endpointUrl = u"http://127.0.0.1:7480"_s;
    Error error;
    (void)c.makeEndpoint(&error);
    QCOMPARE(error.kind(), Error::Kind::InvalidInput);
    QVERIFY2(error.message().startsWith(u"COS_ENDPOINT: the cos dialect takes no endpoint URL"_s),
             qPrintable(error.message()));
    QVERIFY(error.message().contains(u"COS_PROTOCOL"_s));
    QVERIFY(error.message().contains(u"COS_DOMAIN"_s));
    // Not silently turned into plain http for real COS hosts.
    c.endpointUrl.clear();
    QCOMPARE(c.makeEndpoint(&error).scheme, u"https"_s);
    QVERIFY(!error);
}

void TstClientConfig::credentialSources()
{
    ClientConfig c;
    QCOMPARE(c.credentialSource(), Source::None);
    QList<ClientConfig::Problem> p = c.validateCredentials();
    QCOMPARE(p.size(), 1);
    QCOMPARE(p.constFirst().kind, Error::Kind::Credentials);
    QCOMPARE(p.constFirst().message,
             u"no credentials: set COS_SECRET_ID and COS_SECRET_KEY, or COS_CREDENTIALS_URL"_s);

    c.keys.secretId = u"AKIDexample"_s;
    QCOMPARE(c.credentialSource(), Source::StaticKeys);
    QVERIFY(messageOf(c.validateCredentials(), Field::SecretKey)
                    .startsWith(u"COS_SECRET_KEY: missing: COS_SECRET_ID is set"_s));
    c.keys.secretKey = u"secret"_s;
    QVERIFY(c.validateCredentials().isEmpty());

    // A signing URL wins over keys (the demo exports both), the embedded signer over both.
    c.signingUrl = u"http://127.0.0.1:5000/sts"_s;
    QCOMPARE(c.credentialSource(), Source::SigningUrl);
    c.embeddedSigner = true;
    QCOMPARE(c.credentialSource(), Source::EmbeddedSigner);
}

void TstClientConfig::providers()
{
    QNetworkAccessManager network;
    ClientConfig c;
    c.keys.secretId = u"AKIDexample"_s;
    c.keys.secretKey = u"secret"_s;
    c.keysOrigin = u"command line"_s;
    Error error;
    std::unique_ptr<CredentialProvider> p(c.makeProvider(&network, &error));
    QVERIFY2(p, qPrintable(error.toString()));
    QVERIFY(qobject_cast<StaticCredentialProvider *>(p.get()));
    QCOMPARE(p->description(), u"static keys (command line)"_s);
    c.keys.sessionToken = u"token"_s;
    p.reset(c.makeProvider(&network, &error));
    QCOMPARE(p->description(), u"temporary keys (command line)"_s);

    c.signingUrl = u"http://127.0.0.1:5000/sts?token=hidden"_s;
    c.bearerToken = u"abc"_s;
    p.reset(c.makeProvider(&network, &error));
    auto *url = qobject_cast<UrlCredentialProvider *>(p.get());
    QVERIFY(url);
    QCOMPARE(url->url(), QUrl(u"http://127.0.0.1:5000/sts?token=hidden"_s));
    QCOMPARE(p->description(), u"signing URL http://127.0.0.1:5000/sts"_s);

    c.signingUrl = u"not a url"_s;
    p.reset(c.makeProvider(&network, &error));
    QVERIFY(!p);
    QCOMPARE(error.kind(), Error::Kind::InvalidInput);
    QVERIFY(error.message().startsWith(u"COS_CREDENTIALS_URL: not an http(s) URL"_s));

    ClientConfig none;
    p.reset(none.makeProvider(&network, &error));
    QVERIFY(!p);
    QCOMPARE(error.kind(), Error::Kind::Credentials);
    QVERIFY(error.message().startsWith(u"no credentials"_s));
}

void TstClientConfig::embeddedSignerNeedsItsFactory()
{
    QNetworkAccessManager network;
    ClientConfig c;
    c.embeddedSigner = true;
    c.region = u"us-east-1"_s;
    c.endpointUrl = u"http://127.0.0.1:7480"_s;
    c.signer.permanentKey.secretId = u"AKIDsigner"_s;
    c.signer.permanentKey.secretKey = u"signersecret"_s;
    c.signer.stsEndpoint = u"http://127.0.0.1:7480"_s;
    c.signer.roleArn = u"arn:aws:iam:::role/r"_s;
    c.signer.bucket = u"b"_s;
    Error error;
    QVERIFY(!c.makeProvider(&network, &error));
    QVERIFY2(error.message().contains(u"does not include the embedded signer"_s),
             qPrintable(error.message()));

    // The factory gets the whole configuration.
    QString seenBucket;
    std::unique_ptr<CredentialProvider> p(
            c.makeProvider(&network, &error, [&seenBucket](const ClientConfig &config, Error *) {
                seenBucket = config.signer.bucket;
                return new StaticCredentialProvider(config.signer.permanentKey, u"test"_s);
            }));
    QVERIFY(p);
    QCOMPARE(seenBucket, u"b"_s);
    // A configuration that cannot work never reaches the factory.
    c.signer.roleArn.clear();
    bool called = false;
    QVERIFY(!c.makeProvider(&network, &error, [&called](const ClientConfig &, Error *) {
        called = true;
        return nullptr;
    }));
    QVERIFY(!called);
    QVERIFY(error.message().startsWith(u"COS_ROLE_ARN: the s3-sts back end needs the role"_s));
}

void TstClientConfig::embeddedSignerSettings()
{
    ClientConfig c = ClientConfig::fromEnvironment({u"COS_EMBEDDED_SIGNER=1"_s});
    QCOMPARE(c.credentialSource(), Source::EmbeddedSigner);
    c.signer.backend = u"aws"_s;
    c.signer.durationSeconds = 0;
    c.signer.stsEndpoint = u"sts.example.com"_s;
    const QList<ClientConfig::Problem> problems = c.validateCredentials();
    QCOMPARE(fields(problems),
             QStringList({u"COS_REGION"_s, u"COS_SIGNER_SECRET_ID"_s, u"--backend"_s,
                          u"COS_STS_ENDPOINT"_s, u"COS_SIGNER_BUCKET"_s, u"--duration"_s}));
    QVERIFY(messageOf(problems, Field::SignerSecretId)
                    .contains(u"set COS_SIGNER_SECRET_ID and COS_SIGNER_SECRET_KEY"_s));
    QVERIFY(messageOf(problems, Field::Backend).contains(u"use tencent or s3-sts"_s));
    QVERIFY(messageOf(problems, Field::Duration).contains(u"1 to 129600 seconds, not 0"_s));
    // The default bucket is granted when no bucket is named.
    c.defaultBucket = u"dflt"_s;
    QVERIFY(messageOf(c.validateCredentials(), Field::SignerBucket).isEmpty());
}

void TstClientConfig::secretsNeverInMessages()
{
    ClientConfig c;
    c.keys.secretId = u"AKID with space"_s;
    c.keys.secretKey = u"secret with space"_s;
    c.keys.sessionToken = u"token\nvalue"_s;
    const QList<ClientConfig::Problem> problems = c.validate();
    QCOMPARE(fields(problems),
             QStringList({u"COS_SECRET_ID"_s, u"COS_SECRET_KEY"_s, u"COS_SESSION_TOKEN"_s}));
    for (const ClientConfig::Problem &p : problems) {
        for (const QString &secret : {u"AKID with"_s, u"secret with"_s, u"value"_s})
            QVERIFY2(!p.message.contains(secret), qPrintable(p.message));
    }
    ClientConfig url;
    url.signingUrl = u"http://127.0.0.1:5000/sts"_s;
    url.bearerToken = u"bearer secret"_s;
    const QString m = messageOf(url.validate(), Field::BearerToken);
    QVERIFY(!m.isEmpty());
    QVERIFY(!m.contains(u"bearer secret"_s));
}

void TstClientConfig::caFile()
{
    QTemporaryDir dir;
    ClientConfig c;
    QVERIFY(!c.installCaFile()); // nothing to do
    c.caFile = dir.filePath(u"missing.pem"_s);
    QVERIFY(messageOf(c.validate(), Field::CaFile).startsWith(u"COS_CA_FILE: cannot read"_s));
    c.setLabel(Field::CaFile, u"--ca-file"_s);
    const Error e = c.installCaFile();
    QCOMPARE(e.kind(), Error::Kind::InvalidInput);
    QVERIFY2(e.message().startsWith(u"--ca-file: cannot read the CA file"_s),
             qPrintable(e.message()));
}

QTEST_GUILESS_MAIN(TstClientConfig)
#include "tst_clientconfig.moc"
