// cos-signer's command line: the options, and how they and the COS_SIGNER_* variables fill a
// SignerConfig.
#include "signerconfig.h"

#include <QCommandLineParser>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace Signer {

namespace {

QStringList splitList(const QString &value)
{
    QStringList out;
    const QStringList parts = value.split(QRegularExpression(u"[,\\n]"_s), Qt::SkipEmptyParts);
    for (const QString &p : parts) {
        if (!p.trimmed().isEmpty())
            out.append(p.trimmed());
    }
    return out;
}

// A numeric option's value into @p target, or false with @p error naming the option. Whole
// numbers take ASCII digits only (no sign, fraction, exponent or other digits) and must fit
// their type and @p max; floating-point values must be finite and not negative.
template<typename T>
bool numberValue(const QCommandLineParser &parser, const QString &option, T *target, QString *error,
                 qint64 max = -1)
{
    if (!parser.isSet(option))
        return true;
    const QString text = parser.value(option).trimmed();
    const QString name = u"--"_s + option;
    if constexpr (std::is_floating_point_v<T>) {
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v) || v < 0) {
            *error = u"%1: \"%2\" is not a number of 0 or more"_s.arg(name, text.left(32));
            return false;
        }
        *target = v;
    } else {
        const bool digits = !text.isEmpty() && text.size() <= 18
                && std::all_of(text.cbegin(), text.cend(),
                               [](QChar c) { return c >= u'0' && c <= u'9'; });
        const qint64 limit = max >= 0 ? max : qint64(std::numeric_limits<T>::max());
        const qint64 v = digits ? text.toLongLong() : -1;
        if (!digits || v > limit) {
            *error = u"%1: \"%2\" is not a whole number from 0 to %3"_s.arg(name, text.left(32),
                                                                            QString::number(limit));
            return false;
        }
        *target = T(v);
    }
    return true;
}

} // namespace

QList<QCommandLineOption> SignerConfig::commandLineOptions()
{
    return {
            {u"config"_s, u"JSON config file."_s, u"file"_s},
            {{u"secret_id"_s, u"secret-id"_s},
             u"Permanent SecretId (prefer COS_SIGNER_SECRET_ID)."_s,
             u"id"_s},
            {{u"secret_key"_s, u"secret-key"_s},
             u"Permanent SecretKey (prefer COS_SIGNER_SECRET_KEY; a warning is printed when "
             "given here)."_s,
             u"key"_s},
            {u"port"_s, u"TCP port (default 5000; 0 = any free)."_s, u"port"_s},
            {u"duration"_s, u"Credential lifetime in seconds (default 1800)."_s, u"seconds"_s},
            {u"max-duration"_s, u"Longest lifetime a POST /sts may ask for."_s, u"seconds"_s},
            {u"backend"_s, u"tencent (default) or s3-sts."_s, u"name"_s},
            {u"sts-endpoint"_s, u"STS URL (default https://sts.tencentcloudapi.com/)."_s, u"url"_s},
            {u"sts-region"_s, u"Region sent to STS (default: --region)."_s, u"region"_s},
            {u"role-arn"_s,
             u"Role to assume (tencent: AssumeRole instead of GetFederationToken; s3-sts: "
             "required)."_s,
             u"arn"_s},
            {u"appid"_s, u"Tencent APPID (tencent back end)."_s, u"appid"_s},
            {u"region"_s, u"Bucket region."_s, u"region"_s},
            {u"bucket"_s, u"Bucket to grant."_s, u"bucket"_s},
            {u"allow-prefix"_s,
             u"Key prefix template to grant, repeatable (default users/${uid}/; '*' = whole "
             "bucket)."_s,
             u"prefix"_s},
            {u"actions"_s,
             u"Action sets to grant: upload,download,list,delete (default "
             "upload,download,list)."_s,
             u"list"_s},
            {u"listen"_s, u"Address to bind (default 127.0.0.1)."_s, u"address"_s},
            {u"tls-cert"_s, u"PEM certificate (chain) for HTTPS."_s, u"file"_s},
            {u"tls-key"_s, u"PEM private key for HTTPS."_s, u"file"_s},
            {u"cors-origin"_s, u"Allowed CORS origin, repeatable."_s, u"origin"_s},
            {u"tokens-file"_s, u"Bearer tokens, one 'uid:token' per line."_s, u"file"_s},
            {u"hmac-keys-file"_s, u"HMAC client keys, one 'uid:secret' per line."_s, u"file"_s},
            {u"max-body"_s, u"Request body limit in bytes."_s, u"bytes"_s},
            {u"rate"_s, u"Requests per second per client (0 = off)."_s, u"n"_s},
            {u"burst"_s, u"Rate-limit burst per client."_s, u"n"_s},
            {u"upstream-timeout"_s, u"STS timeout in milliseconds."_s, u"ms"_s},
            {u"cache-margin"_s,
             u"Reuse cached credentials while more than this many seconds remain (default "
             "300)."_s,
             u"seconds"_s},
            {u"print-policy"_s,
             u"Print the least-privilege policy sent to STS for a caller, then exit."_s},
            {u"uid"_s, u"Caller identity for --print-policy."_s, u"uid"_s, u"example-user"_s},
            {u"anon-rate"_s,
             u"Requests per second per address that fail to authenticate (default 1)."_s, u"n"_s},
            {u"anon-burst"_s, u"Burst for --anon-rate (default 10)."_s, u"n"_s},
            {u"header-timeout"_s,
             u"Milliseconds a client has to send a whole request (default 10000)."_s, u"ms"_s},
            {u"idle-timeout"_s,
             u"Milliseconds a keep-alive connection may wait for its next request (default "
             "30000)."_s,
             u"ms"_s},
            {u"max-connections"_s,
             u"Open connections at most (default 1024; lowered to fit the file-descriptor "
             "limit)."_s,
             u"n"_s},
            {u"max-connections-per-address"_s,
             u"Open connections per client address (default 32; trusted proxies exempt)."_s, u"n"_s},
            {u"trusted-proxy"_s,
             u"Address or CIDR of a reverse proxy whose X-Forwarded-For names the client, "
             "repeatable."_s,
             u"cidr"_s},
            {u"debug-http"_s,
             u"Let Qt's qt.httpserver* debug logging through (Authorization redacted)."_s},
    };
}

bool SignerConfig::applyArguments(const QCommandLineParser &parser,
                                  const QProcessEnvironment &environment, QString *error,
                                  QStringList *warnings)
{
    QStringList ownWarnings;
    QStringList *w = warnings ? warnings : &ownWarnings;
    const auto env = [&environment](const char *name) {
        return environment.value(QString::fromLatin1(name));
    };
    const auto envSet = [&environment](const char *name) {
        return environment.contains(QString::fromLatin1(name));
    };

    const QString configFile = parser.isSet(u"config"_s) ? parser.value(u"config"_s)
                                                         : env("COS_SIGNER_CONFIG");
    if (!configFile.isEmpty() && !loadFile(configFile, error, w))
        return false;
    // So that the bare cossign command line works unchanged once these are exported.
    if (envSet("COS_SIGNER_APPID"))
        appId = env("COS_SIGNER_APPID");

    // Secrets: environment first (preferred), then argv with a warning.
    if (envSet("COS_SIGNER_SECRET_ID"))
        secretId = env("COS_SIGNER_SECRET_ID");
    if (envSet("COS_SIGNER_SECRET_KEY"))
        secretKey = env("COS_SIGNER_SECRET_KEY");
    if (parser.isSet(u"secret-id"_s))
        secretId = parser.value(u"secret-id"_s);
    if (parser.isSet(u"secret-key"_s)) {
        secretKey = parser.value(u"secret-key"_s);
        w->append(u"the secret key was given on the command line, where other users and shell "
                  "history can see it; use COS_SIGNER_SECRET_KEY instead"_s);
    }
    if (envSet("COS_SIGNER_TOKENS"))
        tokens = splitList(env("COS_SIGNER_TOKENS"));
    if (envSet("COS_SIGNER_HMAC_KEYS"))
        hmacKeys = splitList(env("COS_SIGNER_HMAC_KEYS"));

    const auto text = [&parser](const QString &option, QString *target) {
        if (parser.isSet(option))
            *target = parser.value(option);
    };
    text(u"backend"_s, &backend);
    text(u"sts-endpoint"_s, &stsEndpoint);
    text(u"sts-region"_s, &stsRegion);
    text(u"role-arn"_s, &roleArn);
    text(u"appid"_s, &appId);
    text(u"listen"_s, &listen);
    text(u"tls-cert"_s, &tlsCert);
    text(u"tls-key"_s, &tlsKey);
    text(u"tokens-file"_s, &tokensFile);
    text(u"hmac-keys-file"_s, &hmacKeysFile);
    if (parser.isSet(u"cors-origin"_s))
        corsOrigins = parser.values(u"cors-origin"_s);
    if (parser.isSet(u"trusted-proxy"_s))
        trustedProxies = parser.values(u"trusted-proxy"_s);
    if (parser.isSet(u"debug-http"_s))
        debugHttp = true;
    if (!numberValue(parser, u"port"_s, &port, error, 65535)
        || !numberValue(parser, u"duration"_s, &durationSeconds, error)
        || !numberValue(parser, u"max-duration"_s, &maxDurationSeconds, error)
        || !numberValue(parser, u"max-body"_s, &maxBodyBytes, error)
        || !numberValue(parser, u"rate"_s, &ratePerSecond, error)
        || !numberValue(parser, u"burst"_s, &rateBurst, error)
        || !numberValue(parser, u"upstream-timeout"_s, &upstreamTimeoutMs, error)
        || !numberValue(parser, u"cache-margin"_s, &cacheMarginSeconds, error)
        || !numberValue(parser, u"anon-rate"_s, &anonRatePerSecond, error)
        || !numberValue(parser, u"anon-burst"_s, &anonBurst, error)
        || !numberValue(parser, u"header-timeout"_s, &headerTimeoutMs, error)
        || !numberValue(parser, u"idle-timeout"_s, &idleTimeoutMs, error)
        || !numberValue(parser, u"max-connections"_s, &maxConnections, error)
        || !numberValue(parser, u"max-connections-per-address"_s, &maxConnectionsPerAddress, error))
        return false;

    const QString bucket = parser.isSet(u"bucket"_s) ? parser.value(u"bucket"_s)
                                                     : env("COS_SIGNER_BUCKET");
    const QString region = parser.isSet(u"region"_s) ? parser.value(u"region"_s)
                                                     : env("COS_SIGNER_REGION");
    if (!bucket.isEmpty() || !region.isEmpty()) {
        if (bucket.isEmpty() || region.isEmpty()) {
            *error = u"--bucket and --region go together (or COS_SIGNER_BUCKET and "
                     "COS_SIGNER_REGION)"_s;
            return false;
        }
        Operations ops;
        const QString actions = parser.isSet(u"actions"_s) ? parser.value(u"actions"_s)
                                                           : u"upload,download,list"_s;
        QString reason;
        if (!parseActionList(actions, &ops, &reason)) {
            *error = u"--actions: "_s + reason;
            return false;
        }
        QStringList prefixes = parser.values(u"allow-prefix"_s);
        if (prefixes.isEmpty())
            prefixes = {u"users/${uid}/"_s};
        grants.clear();
        for (const QString &p : std::as_const(prefixes))
            grants.append({bucket, region, p, ops});
    } else if (parser.isSet(u"allow-prefix"_s) || parser.isSet(u"actions"_s)) {
        *error = u"--allow-prefix and --actions need --bucket and --region"_s;
        return false;
    }

    if (parser.isSet(u"print-policy"_s)) {
        // No secrets needed to show what would be sent.
        if (secretId.isEmpty())
            secretId = u"(none)"_s;
        if (secretKey.isEmpty())
            secretKey = u"(none)"_s;
    }
    return validate(error, w);
}

} // namespace Signer
