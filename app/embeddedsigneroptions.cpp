#include "embeddedsigneroptions.h"

#include "embeddedsigner.h"
#include "policy.h"
#include "signerconfig.h"

#include <QUrl>

using namespace Qt::StringLiterals;

EmbeddedSignerOptions EmbeddedSignerOptions::fromMap(const QVariantMap &map)
{
    EmbeddedSignerOptions o;
    o.backend = map.value(u"backend"_s).toString().trimmed();
    o.stsEndpoint = map.value(u"stsEndpoint"_s).toString().trimmed();
    o.roleArn = map.value(u"roleArn"_s).toString().trimmed();
    o.bucket = map.value(u"bucket"_s).toString().trimmed();
    o.prefix = map.value(u"prefix"_s, defaultPrefix()).toString().trimmed();
    o.actions = map.value(u"actions"_s, defaultActions()).toString().trimmed();
    bool ok = false;
    const int seconds = map.value(u"durationSeconds"_s, 1800).toString().trimmed().toInt(&ok);
    o.durationSeconds = ok ? seconds : -1; // validate() explains
    return o;
}

QVariantMap EmbeddedSignerOptions::toMap() const
{
    return {{u"backend"_s, backend},
            {u"stsEndpoint"_s, stsEndpoint},
            {u"roleArn"_s, roleArn},
            {u"bucket"_s, bucket},
            {u"prefix"_s, prefix},
            {u"actions"_s, actions},
            {u"durationSeconds"_s, durationSeconds}};
}

QString EmbeddedSignerOptions::effectiveBackend(const QString &dialect) const
{
    if (!backend.isEmpty())
        return backend;
    return dialect == "s3"_L1 ? u"s3-sts"_s : u"tencent"_s;
}

QString EmbeddedSignerOptions::uid()
{
    const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    return !user.isEmpty() && Signer::validateUid(user).isEmpty() ? user : u"cosdemo"_s;
}

QString EmbeddedSignerOptions::validate(const QString &dialect) const
{
    for (const Field field : {Backend, StsEndpoint, RoleArn, Prefix, Actions, Duration}) {
        const QString problem = validateField(field, dialect);
        if (!problem.isEmpty())
            return problem;
    }
    return {};
}

QString EmbeddedSignerOptions::validateField(Field field, const QString &dialect) const
{
    const QString b = effectiveBackend(dialect);
    const bool knownBackend = b == "tencent"_L1 || b == "s3-sts"_L1;
    switch (field) {
    case Backend:
        return knownBackend
                ? QString()
                : tr("Unknown STS back end \"%1\": use tencent or s3-sts.").arg(b.left(32));
    case StsEndpoint:
        if (!stsEndpoint.isEmpty()) {
            const QUrl url(stsEndpoint, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty()
                || (url.scheme() != "http"_L1 && url.scheme() != "https"_L1))
                return tr("The STS endpoint is a URL such as https://sts.tencentcloudapi.com/ or "
                          "http://127.0.0.1:7480.");
        } else if (b == "s3-sts"_L1) {
            return tr("The s3-sts back end needs the STS endpoint (e.g. the S3 endpoint of Ceph "
                      "RGW, http://127.0.0.1:7480).");
        }
        return {};
    case RoleArn:
        if (b == "s3-sts"_L1 && roleArn.isEmpty())
            return tr("The s3-sts back end needs the ARN of the role to assume, e.g. "
                      "arn:aws:iam:::role/cos-signer.");
        return {};
    case Prefix:
        if (prefix.isEmpty())
            return tr("Enter the prefix the keys may use, e.g. uploads/ (or * for the whole "
                      "bucket).");
        if (prefix != "*"_L1) {
            QString expanded;
            QString reason;
            if (!Signer::expandPrefixTemplate(prefix, uid(), &expanded, &reason))
                return tr("The prefix cannot be granted: %1.").arg(reason);
        }
        return {};
    case Actions: {
        Signer::Operations operations;
        QString reason;
        if (!Signer::parseActionList(actions, &operations, &reason) || operations.isEmpty())
            return reason.isEmpty() ? tr("Choose at least one action.")
                                    : tr("Actions: %1.").arg(reason);
        return {};
    }
    case Duration:
        if (durationSeconds < 1 || durationSeconds > 129600)
            return tr("The key lifetime is 1 to 129600 seconds.");
        return {};
    }
    return {};
}

bool EmbeddedSignerOptions::toSignerConfig(const Cos::Credentials &key, const QString &dialect,
                                           const QString &region, const QString &appId,
                                           const QString &defaultBucket,
                                           Signer::SignerConfig *config, QString *error) const
{
    *error = validate(dialect);
    if (!error->isEmpty())
        return false;
    if (key.secretId.isEmpty() || key.secretKey.isEmpty()) {
        *error = tr("The embedded signer needs a permanent key: enter the SecretId and "
                    "SecretKey in Settings.");
        return false;
    }
    const QString grantBucket = bucket.isEmpty() ? defaultBucket.trimmed() : bucket;
    if (grantBucket.isEmpty()) {
        *error = tr("Choose the bucket the embedded signer grants (or a default bucket).");
        return false;
    }
    if (region.isEmpty()) {
        *error = tr("The grant needs a region: choose one in Settings.");
        return false;
    }
    // The same signer configuration as cosctl's --embedded-signer, from the same settings.
    Cos::ClientConfig settings;
    settings.dialect = dialect;
    settings.region = region;
    settings.appId = appId;
    settings.defaultBucket = defaultBucket;
    settings.embeddedSigner = true;
    settings.signer.permanentKey = key;
    settings.signer.backend = effectiveBackend(dialect);
    settings.signer.stsEndpoint = stsEndpoint;
    settings.signer.roleArn = roleArn;
    settings.signer.bucket = grantBucket;
    settings.signer.prefixes = {prefix};
    settings.signer.actions = actions;
    settings.signer.durationSeconds = durationSeconds;
    Signer::SignerConfig c;
    QString reason;
    if (!Signer::signerConfigFor(settings, u"cosdemo"_s, &c, &reason)) {
        // The signer words its problems for cos-signer's flags; the settings page has fields.
        *error = tr("The embedded signer cannot work with these settings: %1.").arg(reason);
        return false;
    }
    *config = c;
    return true;
}

Signer::EmbeddedCredentialProvider *EmbeddedSignerOptions::makeProvider(
        const Cos::Credentials &key, const QString &dialect, const QString &region,
        const QString &appId, const QString &defaultBucket, QString *error) const
{
    Signer::SignerConfig config;
    if (!toSignerConfig(key, dialect, region, appId, defaultBucket, &config, error))
        return nullptr;
    auto *provider = new Signer::EmbeddedCredentialProvider(config, uid());
    if (provider->grantDescription(error).isEmpty()) {
        delete provider;
        return nullptr;
    }
    return provider;
}
