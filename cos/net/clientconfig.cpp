#include "cos/net/clientconfig.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/protocol/regions.h"

#include <QFileInfo>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

using Field = ClientConfig::Field;
using Problem = ClientConfig::Problem;

constexpr int kMaxDurationSeconds = 129600; // 36 h, the longest STS lifetime
const QString kDefaultS3Region = QStringLiteral("us-east-1");

struct Variable
{
    Field field;
    const char *name;
};

// The variable of each field that has one.
constexpr Variable kVariables[] = {
        {Field::Dialect, "COS_DIALECT"},
        {Field::EndpointUrl, "COS_ENDPOINT"},
        {Field::Region, "COS_REGION"},
        {Field::AppId, "COS_APPID"},
        {Field::PathStyle, "COS_PATH_STYLE"},
        {Field::Protocol, "COS_PROTOCOL"},
        {Field::Domain, "COS_DOMAIN"},
        {Field::ServiceDomain, "COS_SERVICE_DOMAIN"},
        {Field::Accelerate, "COS_ACCELERATE"},
        {Field::Internal, "COS_INTERNAL"},
        {Field::ConnectTo, "COS_CONNECT_TO"},
        {Field::BackupDomain, "COS_BACKUP_DOMAIN"},
        {Field::CaFile, "COS_CA_FILE"},
        {Field::SigningUrl, "COS_CREDENTIALS_URL"},
        {Field::BearerToken, "COS_CREDENTIALS_TOKEN"},
        {Field::SecretId, "COS_SECRET_ID"},
        {Field::SecretKey, "COS_SECRET_KEY"},
        {Field::SessionToken, "COS_SESSION_TOKEN"},
        {Field::EmbeddedSigner, "COS_EMBEDDED_SIGNER"},
        {Field::SignerSecretId, "COS_SIGNER_SECRET_ID"},
        {Field::SignerSecretKey, "COS_SIGNER_SECRET_KEY"},
        {Field::StsEndpoint, "COS_STS_ENDPOINT"},
        {Field::RoleArn, "COS_ROLE_ARN"},
        {Field::SignerBucket, "COS_SIGNER_BUCKET"},
        {Field::DefaultBucket, "COS_DEFAULT_BUCKET"},
};

// Settings without a variable (cosctl flags and app settings only) are named by their flag.
QString flagName(Field field)
{
    switch (field) {
    case Field::Backend:
        return u"--backend"_s;
    case Field::AllowPrefix:
        return u"--allow-prefix"_s;
    case Field::Actions:
        return u"--actions"_s;
    case Field::Duration:
        return u"--duration"_s;
    default:
        return {};
    }
}

// A value quoted in a message: short, and without control characters.
QString quoted(const QString &value)
{
    QString v = value.left(64);
    v.replace(QRegularExpression(u"[\\x00-\\x1f\\x7f]"_s), u"?"_s);
    return u'"' + v + (value.size() > 64 ? u"…\""_s : u"\""_s);
}

bool isHttpUrl(const QString &text, QUrl *out = nullptr)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty()
        || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1))
        return false;
    if (out)
        *out = url;
    return true;
}

// Tokens and keys travel in headers: printable ASCII without spaces.
bool isHeaderSafe(const QString &value)
{
    return std::all_of(value.cbegin(), value.cend(),
                       [](QChar c) { return c.unicode() > 0x20 && c.unicode() < 0x7f; });
}

// Adds @p problem unless its field already has one (the first one wins).
void add(QMap<Field, Problem> *problems, Field field, const QString &message,
         Error::Kind kind = Error::Kind::InvalidInput)
{
    if (!problems->contains(field))
        problems->insert(field, Problem {field, message, kind});
}

} // namespace

QString ClientConfig::variableName(Field field)
{
    for (const Variable &v : kVariables) {
        if (v.field == field)
            return QString::fromLatin1(v.name);
    }
    return {};
}

QString ClientConfig::label(Field field) const
{
    const auto it = labels.constFind(field);
    if (it != labels.constEnd())
        return *it;
    const QString variable = variableName(field);
    return variable.isEmpty() ? flagName(field) : variable;
}

bool ClientConfig::parseSwitch(const QString &value, bool *ok)
{
    const QString v = value.trimmed().toLower();
    *ok = true;
    if (v == "1"_L1 || v == "true"_L1 || v == "yes"_L1 || v == "on"_L1)
        return true;
    if (v == "0"_L1 || v == "false"_L1 || v == "no"_L1 || v == "off"_L1)
        return false;
    *ok = false;
    return false;
}

ClientConfig ClientConfig::fromEnvironment()
{
    return fromEnvironment(QProcessEnvironment::systemEnvironment().toStringList());
}

ClientConfig ClientConfig::fromEnvironment(const QStringList &environment)
{
    QMap<QString, QString> values;
    for (const QString &entry : environment) {
        const qsizetype eq = entry.indexOf(u'=');
        if (eq > 0 && entry.startsWith("COS_"_L1))
            values.insert(entry.left(eq), entry.mid(eq + 1).trimmed());
    }
    ClientConfig c;
    const auto take = [&](Field field, QString *target) {
        const QString name = variableName(field);
        const QString value = values.value(name);
        if (value.isEmpty())
            return false;
        *target = value;
        c.environmentNames.append(name);
        return true;
    };
    const auto takeSwitch = [&](Field field, bool *target) {
        QString text;
        if (!take(field, &text))
            return;
        bool ok = false;
        const bool on = parseSwitch(text, &ok);
        if (ok)
            *target = on;
        else
            c.parseProblems.append({field,
                                    u"%1: %2 is not a switch: use 1, true, yes or on, or 0, "
                                    "false, no or off"_s.arg(variableName(field), quoted(text)),
                                    Error::Kind::InvalidInput});
    };
    take(Field::Dialect, &c.dialect);
    take(Field::EndpointUrl, &c.endpointUrl);
    take(Field::Region, &c.region);
    take(Field::AppId, &c.appId);
    takeSwitch(Field::PathStyle, &c.pathStyle);
    take(Field::Protocol, &c.endpointOptions.protocol);
    take(Field::Domain, &c.endpointOptions.domain);
    take(Field::ServiceDomain, &c.endpointOptions.serviceDomain);
    takeSwitch(Field::Accelerate, &c.endpointOptions.accelerate);
    takeSwitch(Field::Internal, &c.endpointOptions.internal);
    take(Field::ConnectTo, &c.endpointOptions.connectTo);
    takeSwitch(Field::BackupDomain, &c.endpointOptions.backupDomain);
    take(Field::CaFile, &c.caFile);
    take(Field::SigningUrl, &c.signingUrl);
    take(Field::BearerToken, &c.bearerToken);
    take(Field::SecretId, &c.keys.secretId);
    take(Field::SecretKey, &c.keys.secretKey);
    take(Field::SessionToken, &c.keys.sessionToken);
    if (!c.keys.secretId.isEmpty() || !c.keys.secretKey.isEmpty())
        c.keysOrigin = u"environment"_s;
    takeSwitch(Field::EmbeddedSigner, &c.embeddedSigner);
    take(Field::SignerSecretId, &c.signer.permanentKey.secretId);
    take(Field::SignerSecretKey, &c.signer.permanentKey.secretKey);
    take(Field::StsEndpoint, &c.signer.stsEndpoint);
    take(Field::RoleArn, &c.signer.roleArn);
    take(Field::SignerBucket, &c.signer.bucket);
    take(Field::DefaultBucket, &c.defaultBucket);
    return c;
}

Dialect ClientConfig::effectiveDialect() const
{
    const QString d = dialect.trimmed().toLower();
    if (d == "s3"_L1)
        return Dialect::S3;
    if (d.isEmpty() && !endpointUrl.trimmed().isEmpty())
        return Dialect::S3;
    return Dialect::Cos;
}

ClientConfig::CredentialSource ClientConfig::credentialSource() const
{
    if (embeddedSigner)
        return CredentialSource::EmbeddedSigner;
    if (!signingUrl.trimmed().isEmpty())
        return CredentialSource::SigningUrl;
    if (!keys.secretId.isEmpty() || !keys.secretKey.isEmpty())
        return CredentialSource::StaticKeys;
    return CredentialSource::None;
}

QString ClientConfig::effectiveBackend() const
{
    const QString b = signer.backend.trimmed();
    if (!b.isEmpty())
        return b;
    return effectiveDialect() == Dialect::S3 ? u"s3-sts"_s : u"tencent"_s;
}

QString ClientConfig::named(Field field, const QString &message) const
{
    const QString name = label(field);
    if (!name.isEmpty())
        return name + u": "_s + message;
    // Unnamed (a form shows the message under its field): a sentence of its own.
    return message.left(1).toUpper() + message.mid(1);
}

QList<ClientConfig::Problem> ClientConfig::validateEndpoint() const
{
    QMap<Field, Problem> problems;
    const auto problem = [&](Field field, const QString &message,
                             Error::Kind kind = Error::Kind::InvalidInput) {
        add(&problems, field, named(field, message), kind);
    };
    for (const Problem &p : parseProblems) {
        if (p.field <= Field::BackupDomain)
            add(&problems, p.field, p.message, p.kind);
    }
    const QString d = dialect.trimmed().toLower();
    if (!d.isEmpty() && d != "cos"_L1 && d != "s3"_L1)
        problem(Field::Dialect,
                u"%1 is not a dialect: use cos (Tencent COS XML API) or s3"_s.arg(quoted(dialect)));
    const bool s3 = effectiveDialect() == Dialect::S3;

    const QString r = region.trimmed();
    const bool regionOk = r.isEmpty() || isValidRegionId(r);
    if (!regionOk)
        problem(Field::Region,
                u"%1 is not a region id: lower-case letters, digits and '-', starting with a "
                "letter, e.g. %2"_s.arg(quoted(region), s3 ? u"us-east-1"_s : u"ap-guangzhou"_s));
    const QString a = appId.trimmed();
    const bool appIdOk = a.isEmpty()
            || (a.size() <= 20 && std::all_of(a.cbegin(), a.cend(), [](QChar c) {
                             return c >= u'0' && c <= u'9';
                         }));
    if (!appIdOk)
        problem(Field::AppId,
                u"%1 is not an APPID: it has digits only, e.g. 1250000000"_s.arg(quoted(appId)));

    const QString url = endpointUrl.trimmed();
    if (s3) {
        if (url.isEmpty()) {
            problem(Field::EndpointUrl,
                    u"the s3 dialect needs the URL of the server, e.g. http://127.0.0.1:7480"_s);
        } else {
            Error e;
            (void)Endpoint::s3(QUrl(url, QUrl::StrictMode),
                               regionOk && !r.isEmpty() ? r : kDefaultS3Region, pathStyle, &e);
            if (e && e.message().startsWith("Virtual-host"_L1))
                problem(Field::PathStyle, e.message());
            else if (e)
                problem(Field::EndpointUrl, e.message());
        }
    } else if (!url.isEmpty()) {
        problem(Field::EndpointUrl,
                u"the cos dialect takes no endpoint URL: its hosts follow from the region and "
                "the APPID (%1, %2), other hosts from a domain (%3) and the scheme from the "
                "protocol (%4); for an S3 server choose the s3 dialect"_s
                        .arg(variableName(Field::Region), variableName(Field::AppId),
                             variableName(Field::Domain), variableName(Field::Protocol)));
    }

    const EndpointOptions &o = endpointOptions;
    // A probe endpoint with valid region and APPID, so that each option is judged alone.
    const auto probe = [&](const EndpointOptions &options) {
        Endpoint ep = s3 ? Endpoint::s3(QUrl(u"http://s3.example.com"_s), kDefaultS3Region, true)
                         : Endpoint::cos(u"ap-guangzhou"_s, appIdOk ? a : QString());
        Error e = options.applyTo(&ep);
        if (!e)
            e = ep.validate();
        return e;
    };
    if (!s3) {
        if (!o.protocol.trimmed().isEmpty()) {
            EndpointOptions only;
            only.protocol = o.protocol;
            if (probe(only))
                problem(Field::Protocol, u"%1 is neither http nor https"_s.arg(quoted(o.protocol)));
        }
        if (!o.domain.trimmed().isEmpty()) {
            EndpointOptions only;
            only.domain = o.domain;
            if (const Error e = probe(only))
                problem(Field::Domain, e.message());
        }
        if (!o.serviceDomain.trimmed().isEmpty()) {
            EndpointOptions only;
            only.serviceDomain = o.serviceDomain;
            if (const Error e = probe(only))
                problem(Field::ServiceDomain, e.message());
        }
        if (int(o.accelerate) + int(o.internal) + int(!o.domain.trimmed().isEmpty()) > 1) {
            // Names all three: any of them may be the one to drop.
            const Field field = o.accelerate ? Field::Accelerate : Field::Internal;
            add(&problems, field,
                u"Choose one of the acceleration domain (%1), the private-network domain (%2) "
                "and a domain template (%3)"_s.arg(variableName(Field::Accelerate),
                                                   variableName(Field::Internal),
                                                   variableName(Field::Domain)),
                Error::Kind::InvalidInput);
        }
    }
    if (!o.connectTo.trimmed().isEmpty()) {
        EndpointOptions only;
        only.connectTo = o.connectTo;
        if (const Error e = probe(only))
            problem(Field::ConnectTo, e.message());
    }
    return problems.values();
}

QList<ClientConfig::Problem> ClientConfig::validateCredentials() const
{
    QMap<Field, Problem> problems;
    const auto problem = [&](Field field, const QString &message,
                             Error::Kind kind = Error::Kind::InvalidInput) {
        add(&problems, field, named(field, message), kind);
    };
    const auto missing = [&](Field field, const QString &message) {
        problem(field, message, Error::Kind::Credentials);
    };
    for (const Problem &p : parseProblems) {
        if (p.field > Field::BackupDomain)
            add(&problems, p.field, p.message, p.kind);
    }
    if (!caFile.isEmpty() && !QFileInfo(caFile).isReadable())
        problem(Field::CaFile, u"cannot read the CA file %1"_s.arg(caFile));

    switch (credentialSource()) {
    case CredentialSource::None:
        add(&problems, Field::SecretId,
            u"no credentials: set %1 and %2, or %3"_s.arg(label(Field::SecretId),
                                                          label(Field::SecretKey),
                                                          label(Field::SigningUrl)),
            Error::Kind::Credentials);
        break;
    case CredentialSource::StaticKeys:
        if (keys.secretId.isEmpty())
            missing(Field::SecretId,
                    u"missing: %1 is set, the key id that goes with it is not"_s.arg(
                            label(Field::SecretKey)));
        else if (!isHeaderSafe(keys.secretId) || keys.secretId.size() > 256)
            problem(Field::SecretId,
                    u"a key id has up to 256 printable ASCII characters without spaces"_s);
        if (keys.secretKey.isEmpty())
            missing(Field::SecretKey,
                    u"missing: %1 is set, the secret key that goes with it is not"_s.arg(
                            label(Field::SecretId)));
        else if (!isHeaderSafe(keys.secretKey))
            problem(Field::SecretKey,
                    u"a secret key has printable ASCII characters only, without spaces"_s);
        if (!keys.sessionToken.isEmpty() && !isHeaderSafe(keys.sessionToken))
            problem(Field::SessionToken,
                    u"a session token has printable ASCII characters only, without spaces"_s);
        break;
    case CredentialSource::SigningUrl:
        if (!isHttpUrl(signingUrl.trimmed()))
            problem(Field::SigningUrl,
                    u"not an http(s) URL with a host, e.g. http://127.0.0.1:5000/sts"_s);
        if (!bearerToken.isEmpty() && !isHeaderSafe(bearerToken))
            problem(Field::BearerToken,
                    u"a bearer token has printable ASCII characters only, without spaces"_s);
        break;
    case CredentialSource::EmbeddedSigner: {
        if (signer.permanentKey.secretId.isEmpty() || signer.permanentKey.secretKey.isEmpty()) {
            const Field field = signer.permanentKey.secretId.isEmpty() ? Field::SignerSecretId
                                                                       : Field::SignerSecretKey;
            add(&problems, field,
                u"no permanent key: set %1 and %2"_s.arg(label(Field::SignerSecretId),
                                                         label(Field::SignerSecretKey)),
                Error::Kind::Credentials);
        }
        const QString backend = effectiveBackend();
        if (backend != "tencent"_L1 && backend != "s3-sts"_L1)
            problem(Field::Backend,
                    u"%1 is not an STS back end: use tencent or s3-sts"_s.arg(quoted(backend)));
        const QString sts = signer.stsEndpoint.trimmed();
        if (!sts.isEmpty() && !isHttpUrl(sts))
            problem(Field::StsEndpoint,
                    u"not an http(s) URL with a host, e.g. https://sts.tencentcloudapi.com/"_s);
        if (backend == "s3-sts"_L1 && sts.isEmpty())
            missing(Field::StsEndpoint,
                    u"the s3-sts back end needs the STS URL (e.g. the S3 endpoint of Ceph RGW)"_s);
        if (backend == "s3-sts"_L1 && signer.roleArn.trimmed().isEmpty())
            missing(Field::RoleArn,
                    u"the s3-sts back end needs the role to assume, e.g. "
                    "arn:aws:iam:::role/cos-signer"_s);
        if (signer.bucket.trimmed().isEmpty() && defaultBucket.trimmed().isEmpty())
            missing(Field::SignerBucket,
                    u"no bucket to grant: the embedded signer's keys are for one bucket"_s);
        if (region.trimmed().isEmpty())
            missing(Field::Region, u"the embedded signer's grant needs the bucket's region"_s);
        if (signer.durationSeconds < 1 || signer.durationSeconds > kMaxDurationSeconds)
            problem(Field::Duration,
                    u"the key lifetime is 1 to %1 seconds, not %2"_s.arg(kMaxDurationSeconds)
                            .arg(signer.durationSeconds));
        break;
    }
    }
    return problems.values();
}

QList<ClientConfig::Problem> ClientConfig::validate() const
{
    QMap<Field, Problem> all;
    for (const QList<Problem> &part : {validateEndpoint(), validateCredentials()}) {
        for (const Problem &p : part)
            add(&all, p.field, p.message, p.kind);
    }
    return all.values();
}

Endpoint ClientConfig::makeEndpoint(Error *error) const
{
    // Built as far as the settings allow even when they are wrong: callers still look at the
    // dialect (e.g. to check a bucket name by its rules) while they report the error.
    Error e;
    Endpoint ep;
    if (effectiveDialect() == Dialect::S3) {
        const QString r = region.trimmed();
        ep = Endpoint::s3(QUrl(endpointUrl.trimmed(), QUrl::StrictMode),
                          r.isEmpty() ? kDefaultS3Region : r, pathStyle, &e);
        // The COS host options stay unused; the connect-to address applies to both dialects.
        EndpointOptions s3Options;
        s3Options.connectTo = endpointOptions.connectTo;
        const Error optionError = s3Options.applyTo(&ep);
        if (!e)
            e = optionError;
    } else {
        ep = Endpoint::cos(region.trimmed(), appId.trimmed());
        e = endpointOptions.applyTo(&ep);
    }
    const QList<Problem> problems = validateEndpoint();
    if (!problems.isEmpty()) {
        e = Error(problems.constFirst().kind, problems.constFirst().message);
    } else if (!e) {
        // Without a COS region only all buckets can be listed; requests that need one say so.
        Endpoint check = ep;
        if (check.dialect == Dialect::Cos && check.region.isEmpty())
            check.region = u"ap-guangzhou"_s;
        e = check.validate();
    }
    if (error)
        *error = e;
    return ep;
}

CredentialProvider *ClientConfig::makeProvider(QNetworkAccessManager *network, Error *error,
                                               const EmbeddedProviderFactory &embedded) const
{
    const QList<Problem> problems = validateCredentials();
    const auto fail = [error](const Error &e) -> CredentialProvider * {
        if (error)
            *error = e;
        return nullptr;
    };
    for (const Problem &p : problems) {
        // The CA file is installed on its own (installCaFile()); it does not stop a provider.
        if (p.field != Field::CaFile)
            return fail(Error(p.kind, p.message));
    }
    if (error)
        *error = {};
    switch (credentialSource()) {
    case CredentialSource::EmbeddedSigner:
        if (!embedded)
            return fail(Error(Error::Kind::Credentials,
                              named(Field::EmbeddedSigner,
                                    u"this program does not include the embedded signer"_s)));
        return embedded(*this, error);
    case CredentialSource::SigningUrl: {
        QUrl url;
        isHttpUrl(signingUrl.trimmed(), &url);
        return new UrlCredentialProvider(network, url, bearerToken.toUtf8());
    }
    case CredentialSource::StaticKeys:
        return new StaticCredentialProvider(keys, keysOrigin);
    case CredentialSource::None:
        break;
    }
    return fail(Error(Error::Kind::Credentials, u"no credentials"_s)); // not reached: validated
}

Error ClientConfig::installCaFile() const
{
    if (caFile.isEmpty())
        return {};
    QString message;
    if (!Client::addTrustedCaFile(caFile, &message))
        return Error(Error::Kind::InvalidInput, named(Field::CaFile, message));
    return {};
}

} // namespace Cos
