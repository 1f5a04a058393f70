#include "appsettings.h"

#include "cos/protocol/regions.h"

#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QSettings>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

QString envValue(const QStringList &env, QLatin1StringView name)
{
    const QString prefix = QString(name) + u'=';
    for (const QString &entry : env) {
        if (entry.startsWith(prefix))
            return entry.mid(prefix.size()).trimmed();
    }
    return {};
}

bool isTrue(const QString &value)
{
    return value == "1"_L1 || value.compare("true"_L1, Qt::CaseInsensitive) == 0
            || value.compare("yes"_L1, Qt::CaseInsensitive) == 0;
}

bool isFalse(const QString &value)
{
    return value == "0"_L1 || value.compare("false"_L1, Qt::CaseInsensitive) == 0
            || value.compare("no"_L1, Qt::CaseInsensitive) == 0
            || value.compare("off"_L1, Qt::CaseInsensitive) == 0;
}

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
    const auto take = [&](QLatin1StringView name, const QString &key, auto apply) {
        const QString v = envValue(env, name);
        if (v.isEmpty())
            return;
        apply(v);
        m_fromEnv.insert(key, v);
        if (!m_envOverrides.contains(QString(name)))
            m_envOverrides.append(QString(name));
    };
    take("COS_DIALECT"_L1, u"endpoint/dialect"_s,
         [this](const QString &v) { m_dialect = v.toLower() == "s3"_L1 ? u"s3"_s : u"cos"_s; });
    take("COS_ENDPOINT"_L1, u"endpoint/url"_s, [this](const QString &v) { m_endpointUrl = v; });
    take("COS_REGION"_L1, u"endpoint/region"_s, [this](const QString &v) { m_defaultRegion = v; });
    take("COS_APPID"_L1, u"endpoint/appId"_s, [this](const QString &v) { m_appId = v; });
    take("COS_PATH_STYLE"_L1, u"endpoint/pathStyle"_s,
         [this](const QString &v) { m_pathStyle = isTrue(v); });
    take("COS_PROTOCOL"_L1, u"endpoint/protocol"_s,
         [this](const QString &v) { m_options.protocol = v; });
    take("COS_DOMAIN"_L1, u"endpoint/domain"_s, [this](const QString &v) { m_options.domain = v; });
    take("COS_SERVICE_DOMAIN"_L1, u"endpoint/serviceDomain"_s,
         [this](const QString &v) { m_options.serviceDomain = v; });
    take("COS_ACCELERATE"_L1, u"endpoint/accelerate"_s,
         [this](const QString &v) { m_options.accelerate = isTrue(v); });
    take("COS_INTERNAL"_L1, u"endpoint/internal"_s,
         [this](const QString &v) { m_options.internal = isTrue(v); });
    take("COS_CONNECT_TO"_L1, u"endpoint/connectTo"_s,
         [this](const QString &v) { m_options.connectTo = v; });
    take("COS_BACKUP_DOMAIN"_L1, u"endpoint/backupDomain"_s,
         [this](const QString &v) { m_options.backupDomain = !isFalse(v); });
    take("COS_DEFAULT_BUCKET"_L1, u"browse/defaultBucket"_s,
         [this](const QString &v) { m_defaultBucket = v; });
    take("COS_CREDENTIALS_TOKEN"_L1, QString(), [this](const QString &v) { m_envBearerToken = v; });
    // The embedded signer's settings under cosctl's names.
    take("COS_STS_ENDPOINT"_L1, u"signer/stsEndpoint"_s,
         [this](const QString &v) { m_signer.stsEndpoint = v; });
    take("COS_ROLE_ARN"_L1, u"signer/roleArn"_s, [this](const QString &v) { m_signer.roleArn = v; });
    take("COS_SIGNER_BUCKET"_L1, u"signer/bucket"_s,
         [this](const QString &v) { m_signer.bucket = v; });

    const QString url = envValue(env, "COS_CREDENTIALS_URL"_L1);
    const QString id = envValue(env, "COS_SECRET_ID"_L1);
    const QString key = envValue(env, "COS_SECRET_KEY"_L1);
    // The embedded signer is an explicit choice (as in cosctl) and takes its permanent key from
    // COS_SIGNER_SECRET_ID/KEY, or else from the secret store. Otherwise a signing URL wins
    // over keys: scripts/demo.sh exports both (the sandbox's admin keys and the signer's URL),
    // and the demo is meant to run on temporary keys.
    if (isTrue(envValue(env, "COS_EMBEDDED_SIGNER"_L1))) {
        m_source = EmbeddedSigner;
        m_fromEnv.insert(u"credentials/source"_s, int(EmbeddedSigner));
        m_envOverrides.append(u"COS_EMBEDDED_SIGNER"_s);
        const QString signerId = envValue(env, "COS_SIGNER_SECRET_ID"_L1);
        const QString signerKey = envValue(env, "COS_SIGNER_SECRET_KEY"_L1);
        if (!signerId.isEmpty() && !signerKey.isEmpty()) {
            m_secretId = signerId;
            m_maskedSecretId = maskSecret(signerId);
            m_envSecretKey = signerKey;
            m_envSessionToken.clear();
            m_fromEnv.insert(u"credentials/maskedSecretId"_s, m_maskedSecretId);
            m_envOverrides.append(u"COS_SIGNER_SECRET_ID"_s);
            m_envOverrides.append(u"COS_SIGNER_SECRET_KEY"_s);
        }
    } else if (!url.isEmpty()) {
        m_source = SigningUrl;
        m_signingUrl = url;
        m_fromEnv.insert(u"credentials/source"_s, int(SigningUrl));
        m_fromEnv.insert(u"credentials/signingUrl"_s, url);
        m_envOverrides.append(u"COS_CREDENTIALS_URL"_s);
    } else if (!id.isEmpty() && !key.isEmpty()) {
        m_source = PermanentKeys;
        m_secretId = id;
        m_maskedSecretId = maskSecret(id);
        m_envSecretKey = key;
        m_envSessionToken = envValue(env, "COS_SESSION_TOKEN"_L1);
        m_fromEnv.insert(u"credentials/source"_s, int(PermanentKeys));
        m_fromEnv.insert(u"credentials/maskedSecretId"_s, m_maskedSecretId);
        m_envOverrides.append(u"COS_SECRET_ID"_s);
        m_envOverrides.append(u"COS_SECRET_KEY"_s);
    }
    // An S3 endpoint given without a dialect is still S3: COS endpoints are derived, not given.
    if (!m_endpointUrl.isEmpty() && envValue(env, "COS_DIALECT"_L1).isEmpty()
        && !envValue(env, "COS_ENDPOINT"_L1).isEmpty())
        m_dialect = u"s3"_s;
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
    Cos::Endpoint ep;
    Cos::Error e;
    Cos::EndpointOptions applied = options;
    if (dialect == "s3"_L1) {
        ep = Cos::Endpoint::s3(QUrl(endpointUrl.trimmed()), region.trimmed(), pathStyle, &e);
        // Saved COS options stay for a switch back to COS; S3 takes only the connect-to address.
        applied = Cos::EndpointOptions();
        applied.connectTo = options.connectTo;
    } else {
        ep = Cos::Endpoint::cos(region.trimmed(), appId.trimmed());
        // A COS endpoint URL, when given, only gives the scheme (as in cosctl); the hosts come
        // from the endpoint options.
        const QUrl url(endpointUrl.trimmed());
        if (url.scheme() == "http"_L1 || url.scheme() == "https"_L1)
            ep.scheme = url.scheme();
    }
    if (!e)
        e = applied.applyTo(&ep);
    if (!e)
        e = ep.validate();
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
