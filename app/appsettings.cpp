#include "appsettings.h"

#include "cos/net/clientconfig.h"
#include "cos/protocol/regions.h"

#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {
using Field = Cos::ClientConfig::Field;
} // namespace

AppSettings::AppSettings(QObject *parent)
    : QObject(parent)
{ }

AppSettings::~AppSettings() = default;

void AppSettings::load()
{
    QSettings s;
    const auto read = [&](const QString &key, const QVariant &fallback) {
        return s.value(key, fallback);
    };
    m_source = CredentialSource(read(u"credentials/source"_s, int(SigningUrl)).toInt());
    m_signingUrl = read(u"credentials/signingUrl"_s, QString()).toString();
    m_maskedSecretId = read(u"credentials/maskedSecretId"_s, QString()).toString();
    m_dialect = read(u"endpoint/dialect"_s, u"cos"_s).toString();
    m_endpointUrl = read(u"endpoint/url"_s, QString()).toString();
    m_pathStyle = read(u"endpoint/pathStyle"_s, false).toBool();
    m_defaultRegion = read(u"endpoint/region"_s, u"ap-guangzhou"_s).toString();
    m_appId = read(u"endpoint/appId"_s, QString()).toString();
    m_options.protocol = read(u"endpoint/protocol"_s, QString()).toString();
    m_options.domain = read(u"endpoint/domain"_s, QString()).toString();
    m_options.serviceDomain = read(u"endpoint/serviceDomain"_s, QString()).toString();
    m_options.accelerate = read(u"endpoint/accelerate"_s, false).toBool();
    m_options.internal = read(u"endpoint/internal"_s, false).toBool();
    m_options.connectTo = read(u"endpoint/connectTo"_s, QString()).toString();
    m_options.backupDomain = read(u"endpoint/backupDomain"_s, true).toBool();
    m_defaultBucket = read(u"browse/defaultBucket"_s, QString()).toString();
    m_signer.backend = read(u"signer/backend"_s, QString()).toString();
    m_signer.stsEndpoint = read(u"signer/stsEndpoint"_s, QString()).toString();
    m_signer.roleArn = read(u"signer/roleArn"_s, QString()).toString();
    m_signer.bucket = read(u"signer/bucket"_s, QString()).toString();
    m_signer.prefix = read(u"signer/prefix"_s, EmbeddedSignerOptions::defaultPrefix()).toString();
    m_signer.actions = read(u"signer/actions"_s, EmbeddedSignerOptions::defaultActions()).toString();
    m_signer.durationSeconds = read(u"signer/duration"_s, 1800).toInt();
    m_theme = Theme(read(u"ui/theme"_s, int(SystemTheme)).toInt());
    if (m_source != SigningUrl && m_source != PermanentKeys && m_source != EmbeddedSigner)
        m_source = SigningUrl;
    if (m_dialect != "cos"_L1 && m_dialect != "s3"_L1)
        m_dialect = u"cos"_s;
    applyEnvironment(QProcessEnvironment::systemEnvironment().toStringList());
}

void AppSettings::applyEnvironment(const QStringList &env)
{
    // The variables are cosctl's, read by the engine's one parser; this maps them onto the
    // settings of this run.
    const Cos::ClientConfig c = Cos::ClientConfig::fromEnvironment(env);
    for (const Cos::ClientConfig::Problem &p : c.parseProblems)
        qWarning("%s (ignored)", qPrintable(p.message));
    const auto take = [&](Field field, const QString &key, auto apply) {
        const QString name = Cos::ClientConfig::variableName(field);
        if (!c.environmentNames.contains(name))
            return;
        for (const Cos::ClientConfig::Problem &p : c.parseProblems) {
            if (p.field == field)
                return;
        }
        const QVariant value = apply();
        if (!value.isValid())
            return; // not used (said on stderr)
        if (!key.isEmpty())
            m_fromEnv.insert(key, value);
        if (!m_envOverrides.contains(name))
            m_envOverrides.append(name);
    };
    take(Field::Dialect, u"endpoint/dialect"_s, [&] {
        const QString d = c.dialect.toLower();
        if (d == "s3"_L1 || d == "cos"_L1)
            return QVariant(m_dialect = d);
        for (const Cos::ClientConfig::Problem &p : c.validateEndpoint()) {
            if (p.field == Field::Dialect)
                qWarning("%s (ignored)", qPrintable(p.message));
        }
        return QVariant();
    });
    take(Field::EndpointUrl, u"endpoint/url"_s,
         [&] { return QVariant(m_endpointUrl = c.endpointUrl); });
    take(Field::Region, u"endpoint/region"_s, [&] { return QVariant(m_defaultRegion = c.region); });
    take(Field::AppId, u"endpoint/appId"_s, [&] { return QVariant(m_appId = c.appId); });
    take(Field::PathStyle, u"endpoint/pathStyle"_s,
         [&] { return QVariant(m_pathStyle = c.pathStyle); });
    const Cos::EndpointOptions &o = c.endpointOptions;
    take(Field::Protocol, u"endpoint/protocol"_s,
         [&] { return QVariant(m_options.protocol = o.protocol); });
    take(Field::Domain, u"endpoint/domain"_s, [&] { return QVariant(m_options.domain = o.domain); });
    take(Field::ServiceDomain, u"endpoint/serviceDomain"_s,
         [&] { return QVariant(m_options.serviceDomain = o.serviceDomain); });
    take(Field::Accelerate, u"endpoint/accelerate"_s,
         [&] { return QVariant(m_options.accelerate = o.accelerate); });
    take(Field::Internal, u"endpoint/internal"_s,
         [&] { return QVariant(m_options.internal = o.internal); });
    take(Field::ConnectTo, u"endpoint/connectTo"_s,
         [&] { return QVariant(m_options.connectTo = o.connectTo); });
    take(Field::BackupDomain, u"endpoint/backupDomain"_s,
         [&] { return QVariant(m_options.backupDomain = o.backupDomain); });
    take(Field::DefaultBucket, u"browse/defaultBucket"_s,
         [&] { return QVariant(m_defaultBucket = c.defaultBucket); });
    take(Field::BearerToken, QString(), [&] { return QVariant(m_envBearerToken = c.bearerToken); });
    // The embedded signer's settings under cosctl's names.
    take(Field::StsEndpoint, u"signer/stsEndpoint"_s,
         [&] { return QVariant(m_signer.stsEndpoint = c.signer.stsEndpoint); });
    take(Field::RoleArn, u"signer/roleArn"_s,
         [&] { return QVariant(m_signer.roleArn = c.signer.roleArn); });
    take(Field::SignerBucket, u"signer/bucket"_s,
         [&] { return QVariant(m_signer.bucket = c.signer.bucket); });

    // The embedded signer is an explicit choice (as in cosctl) and takes its permanent key from
    // COS_SIGNER_SECRET_ID/KEY, or else from the secret store. Otherwise a signing URL wins
    // over keys: scripts/demo.sh exports both (the sandbox's admin keys and the signer's URL),
    // and the demo is meant to run on temporary keys.
    switch (c.credentialSource()) {
    case Cos::ClientConfig::CredentialSource::EmbeddedSigner: {
        m_source = EmbeddedSigner;
        m_fromEnv.insert(u"credentials/source"_s, int(EmbeddedSigner));
        m_envOverrides.append(u"COS_EMBEDDED_SIGNER"_s);
        const Cos::Credentials &key = c.signer.permanentKey;
        if (!key.secretId.isEmpty() && !key.secretKey.isEmpty()) {
            m_secretId = key.secretId;
            m_maskedSecretId = maskSecret(key.secretId);
            m_envSecretKey = key.secretKey;
            m_envSessionToken.clear();
            m_fromEnv.insert(u"credentials/maskedSecretId"_s, m_maskedSecretId);
            m_envOverrides.append(u"COS_SIGNER_SECRET_ID"_s);
            m_envOverrides.append(u"COS_SIGNER_SECRET_KEY"_s);
        }
        break;
    }
    case Cos::ClientConfig::CredentialSource::SigningUrl:
        m_source = SigningUrl;
        m_signingUrl = c.signingUrl;
        m_fromEnv.insert(u"credentials/source"_s, int(SigningUrl));
        m_fromEnv.insert(u"credentials/signingUrl"_s, c.signingUrl);
        m_envOverrides.append(u"COS_CREDENTIALS_URL"_s);
        break;
    case Cos::ClientConfig::CredentialSource::StaticKeys:
        if (c.keys.isEmpty()) {
            // Half a key pair: said on the terminal, the saved source stays.
            for (const Cos::ClientConfig::Problem &p : c.validateCredentials()) {
                if (p.field == Field::SecretId || p.field == Field::SecretKey)
                    qWarning("%s (ignored)", qPrintable(p.message));
            }
            break;
        }
        m_source = PermanentKeys;
        m_secretId = c.keys.secretId;
        m_maskedSecretId = maskSecret(c.keys.secretId);
        m_envSecretKey = c.keys.secretKey;
        m_envSessionToken = c.keys.sessionToken;
        m_fromEnv.insert(u"credentials/source"_s, int(PermanentKeys));
        m_fromEnv.insert(u"credentials/maskedSecretId"_s, m_maskedSecretId);
        m_envOverrides.append(u"COS_SECRET_ID"_s);
        m_envOverrides.append(u"COS_SECRET_KEY"_s);
        break;
    case Cos::ClientConfig::CredentialSource::None:
        break;
    }
    // An S3 endpoint given without a dialect is still S3 (the engine's inference).
    if (c.environmentNames.contains(u"COS_ENDPOINT"_s)
        && !c.environmentNames.contains(u"COS_DIALECT"_s))
        m_dialect = c.effectiveDialect() == Cos::Dialect::S3 ? u"s3"_s : u"cos"_s;
    Q_EMIT changed();
}

void AppSettings::save()
{
    QSettings s;
    const auto write = [&](const QString &key, const QVariant &value) {
        // A value that is still the environment's stays out of the file: the saved one is kept.
        if (m_fromEnv.contains(key) && m_fromEnv.value(key).toString() == value.toString())
            return;
        s.setValue(key, value);
    };
    write(u"credentials/source"_s, int(m_source));
    write(u"credentials/signingUrl"_s, m_signingUrl);
    write(u"credentials/maskedSecretId"_s, m_maskedSecretId);
    write(u"endpoint/dialect"_s, m_dialect);
    write(u"endpoint/url"_s, m_endpointUrl);
    write(u"endpoint/pathStyle"_s, m_pathStyle);
    write(u"endpoint/region"_s, m_defaultRegion);
    write(u"endpoint/appId"_s, m_appId);
    write(u"endpoint/protocol"_s, m_options.protocol);
    write(u"endpoint/domain"_s, m_options.domain);
    write(u"endpoint/serviceDomain"_s, m_options.serviceDomain);
    write(u"endpoint/accelerate"_s, m_options.accelerate);
    write(u"endpoint/internal"_s, m_options.internal);
    write(u"endpoint/connectTo"_s, m_options.connectTo);
    write(u"endpoint/backupDomain"_s, m_options.backupDomain);
    write(u"browse/defaultBucket"_s, m_defaultBucket);
    write(u"signer/backend"_s, m_signer.backend);
    write(u"signer/stsEndpoint"_s, m_signer.stsEndpoint);
    write(u"signer/roleArn"_s, m_signer.roleArn);
    write(u"signer/bucket"_s, m_signer.bucket);
    write(u"signer/prefix"_s, m_signer.prefix);
    write(u"signer/actions"_s, m_signer.actions);
    write(u"signer/duration"_s, m_signer.durationSeconds);
    s.setValue(u"ui/theme"_s, int(m_theme));
    s.setValue(u"firstRunDone"_s, true);
    s.sync();
}

#define COS_SETTER(setter, member, type) \
    void AppSettings::setter(type value) \
    { \
        if (member == value) \
            return; \
        member = value; \
        Q_EMIT changed(); \
    }

COS_SETTER(setCredentialSource, m_source, CredentialSource)
COS_SETTER(setSigningUrl, m_signingUrl, const QString &)
COS_SETTER(setEndpointUrl, m_endpointUrl, const QString &)
COS_SETTER(setPathStyle, m_pathStyle, bool)
COS_SETTER(setDefaultRegion, m_defaultRegion, const QString &)
COS_SETTER(setAppId, m_appId, const QString &)
COS_SETTER(setDefaultBucket, m_defaultBucket, const QString &)
COS_SETTER(setProtocol, m_options.protocol, const QString &)
COS_SETTER(setDomain, m_options.domain, const QString &)
COS_SETTER(setServiceDomain, m_options.serviceDomain, const QString &)
COS_SETTER(setAccelerate, m_options.accelerate, bool)
COS_SETTER(setInternal, m_options.internal, bool)
COS_SETTER(setConnectTo, m_options.connectTo, const QString &)
COS_SETTER(setBackupDomain, m_options.backupDomain, bool)
COS_SETTER(setTheme, m_theme, Theme)
#undef COS_SETTER

void AppSettings::setSecretId(const QString &secretId)
{
    if (m_secretId == secretId)
        return;
    m_secretId = secretId;
    m_maskedSecretId = maskSecret(secretId);
    Q_EMIT changed();
}

void AppSettings::setEmbeddedSignerOptions(const EmbeddedSignerOptions &options)
{
    if (m_signer == options)
        return;
    m_signer = options;
    Q_EMIT changed();
}

QString AppSettings::validateEmbeddedSigner(const QString &dialect, const QVariantMap &options)
{
    return EmbeddedSignerOptions::fromMap(options).validate(dialect);
}

void AppSettings::setDialect(const QString &dialect)
{
    const QString d = dialect == "s3"_L1 ? u"s3"_s : u"cos"_s;
    if (m_dialect == d)
        return;
    m_dialect = d;
    Q_EMIT changed();
}

bool AppSettings::isConfigured() const
{
    Cos::Error error;
    (void)endpoint(&error);
    if (error)
        return false;
    if (m_source == SigningUrl)
        return validateSigningUrl(m_signingUrl).isEmpty();
    return !m_maskedSecretId.isEmpty();
}

Cos::Endpoint AppSettings::endpoint(Cos::Error *error) const
{
    return makeEndpoint(m_dialect, m_endpointUrl, m_pathStyle, m_defaultRegion, m_appId, m_options,
                        error);
}

Cos::Endpoint AppSettings::makeEndpoint(const QString &dialect, const QString &endpointUrl,
                                        bool pathStyle, const QString &region, const QString &appId,
                                        const Cos::EndpointOptions &options, Cos::Error *error)
{
    Cos::ClientConfig c;
    c.dialect = dialect == "s3"_L1 ? u"s3"_s : u"cos"_s;
    // The endpoint URL is the S3 server. The field is hidden with COS, and a URL saved for S3
    // must not change COS requests (it used to switch them to its scheme, e.g. plain http).
    if (c.dialect == "s3"_L1)
        c.endpointUrl = endpointUrl;
    c.pathStyle = pathStyle;
    c.region = region;
    c.appId = appId;
    c.endpointOptions = options;
    // The Settings page shows each message under its field: no variable names in them.
    for (Field field : {Field::Dialect, Field::EndpointUrl, Field::Region, Field::AppId,
                        Field::PathStyle, Field::Protocol, Field::Domain, Field::ServiceDomain,
                        Field::Accelerate, Field::Internal, Field::ConnectTo, Field::BackupDomain})
        c.setLabel(field, QString());
    Cos::Error e;
    const Cos::Endpoint ep = c.makeEndpoint(&e);
    // The app always works in a region (list buckets of all regions included).
    if (!e && region.trimmed().isEmpty())
        e = Cos::Error(Cos::Error::Kind::InvalidInput, validateRegion(region));
    if (error)
        *error = e;
    return ep;
}

QString AppSettings::validateSigningUrl(const QString &text)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return tr("Enter the URL of your signing service, e.g. http://127.0.0.1:5000/sts.");
    const QUrl url(t, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return tr("This is not a valid URL; expected e.g. https://signer.example.com/sts.");
    if (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
        return tr("The signing URL must start with http:// or https://.");
    const QString host = url.host();
    const bool local = host == "localhost"_L1 || host.startsWith("127."_L1) || host == "::1"_L1
            || host == "10.0.2.2"_L1;
    if (url.scheme() == "http"_L1 && !local)
        return tr("Use https:// for a signing service that is not on this machine: temporary "
                  "keys must not travel in clear text.");
    return {};
}

QString AppSettings::validateEndpointUrl(const QString &dialect, const QString &text)
{
    if (dialect != "s3"_L1)
        return {};
    const QString t = text.trimmed();
    if (t.isEmpty())
        return tr("Enter the S3 endpoint, e.g. http://127.0.0.1:7480 or https://s3.example.com.");
    const QUrl url(t, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return tr("This is not a valid URL; expected e.g. https://s3.example.com.");
    if (url.scheme() != "http"_L1 && url.scheme() != "https"_L1)
        return tr("The endpoint must start with http:// or https://.");
    if (!url.path().isEmpty() && url.path() != "/"_L1)
        return tr("The endpoint is a server address without a path (remove \"%1\").").arg(url.path());
    if (url.hasQuery() || !url.userInfo().isEmpty())
        return tr("The endpoint must not contain a query or user name.");
    return {};
}

Cos::EndpointOptions AppSettings::endpointOptionsFromMap(const QVariantMap &options)
{
    Cos::EndpointOptions o;
    o.protocol = options.value(u"protocol"_s).toString().trimmed();
    o.domain = options.value(u"domain"_s).toString().trimmed();
    o.serviceDomain = options.value(u"serviceDomain"_s).toString().trimmed();
    o.accelerate = options.value(u"accelerate"_s).toBool();
    o.internal = options.value(u"internal"_s).toBool();
    o.connectTo = options.value(u"connectTo"_s).toString().trimmed();
    o.backupDomain = options.value(u"backupDomain"_s, true).toBool();
    return o;
}

QString AppSettings::validateEndpointOptions(const QString &dialect, const QString &region,
                                             const QString &appId, const QVariantMap &options)
{
    if (!validateRegion(region).isEmpty() || !validateAppId(dialect, appId).isEmpty())
        return {};
    // The S3 URL has its own field and check; here only the options count.
    Cos::Error error;
    (void)makeEndpoint(dialect, u"http://s3.example.com"_s, true, region, appId,
                       endpointOptionsFromMap(options), &error);
    return error.message();
}

QString AppSettings::validateRegion(const QString &region)
{
    const QString r = region.trimmed();
    if (r.isEmpty())
        return tr("Choose a region, e.g. ap-guangzhou (S3 endpoints: e.g. us-east-1).");
    if (!Cos::isValidRegionId(r))
        return tr("\"%1\" is not a region id: use lower-case letters, digits and '-', "
                  "e.g. ap-beijing.")
                .arg(r);
    return {};
}

QString AppSettings::validateAppId(const QString &dialect, const QString &appId)
{
    const QString a = appId.trimmed();
    if (a.isEmpty())
        return dialect == "s3"_L1
                ? QString()
                : tr("Enter your APPID (digits, e.g. 1250000000); it is the suffix of every "
                     "bucket name. You find it in the COS console under Account Info.");
    static const QRegularExpression digits(u"^[0-9]{1,20}$"_s);
    if (!digits.match(a).hasMatch())
        return tr("The APPID has digits only, e.g. 1250000000.");
    return {};
}

QString AppSettings::validateSecretId(const QString &secretId)
{
    const QString s = secretId.trimmed();
    if (s.isEmpty())
        return tr("Enter the SecretId (for Tencent Cloud it starts with AKID).");
    static const QRegularExpression printable(u"^[\\x21-\\x7e]{3,128}$"_s);
    if (!printable.match(s).hasMatch())
        return tr("A SecretId has 3 to 128 printable characters and no spaces.");
    return {};
}

QString AppSettings::validateSecretKey(const QString &secretKey, bool alreadyStored)
{
    if (secretKey.isEmpty())
        return alreadyStored ? QString() : tr("Enter the SecretKey.");
    static const QRegularExpression printable(u"^[\\x21-\\x7e]{8,256}$"_s);
    if (!printable.match(secretKey).hasMatch())
        return tr("A SecretKey has 8 to 256 printable characters and no spaces.");
    return {};
}

QString AppSettings::validateBearerToken(const QString &token)
{
    if (token.isEmpty())
        return {};
    static const QRegularExpression b68(u"^[A-Za-z0-9\\-._~+/]+=*$"_s);
    if (!b68.match(token).hasMatch())
        return tr("A bearer token has no spaces or quotes (letters, digits and -._~+/= only).");
    return {};
}

QString AppSettings::maskSecret(const QString &secret)
{
    if (secret.isEmpty())
        return {};
    if (secret.size() <= 8)
        return QString(secret.size(), u'•');
    return secret.left(4) + QString(secret.size() - 8, u'•') + secret.right(4);
}
