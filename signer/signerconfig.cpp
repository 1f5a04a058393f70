#include "signerconfig.h"

#include <QFile>
#include <QFileDevice>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <type_traits>

using namespace Qt::StringLiterals;

namespace Signer {

bool parseActionList(const QString &list, Operations *out, QString *error)
{
    return parseActions(list.split(u',', Qt::SkipEmptyParts), out, error);
}

namespace {

bool checkKeys(const QJsonObject &o, const QSet<QString> &known, const QString &where,
               QString *error)
{
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key())) {
            *error = u"unknown key '%1' in %2"_s.arg(it.key(), where);
            return false;
        }
    }
    return true;
}

QStringList stringList(const QJsonValue &v)
{
    QStringList out;
    if (v.isString())
        return {v.toString()};
    const QJsonArray a = v.toArray();
    for (const QJsonValue &x : a)
        out.append(x.toString());
    return out;
}

} // namespace

bool SignerConfig::loadFile(const QString &path, QString *error, QStringList *warnings)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot read config file %1: %2"_s.arg(path, f.errorString());
        return false;
    }
    if (f.size() > 1024 * 1024) {
        *error = u"config file %1 is larger than 1 MiB"_s.arg(path);
        return false;
    }
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &pe);
    if (!doc.isObject()) {
        *error = u"config file %1 is not a JSON object: %2 at offset %3"_s
                         .arg(path, pe.errorString(), QString::number(pe.offset));
        return false;
    }
    const QJsonObject o = doc.object();
    static const QSet<QString> top = {u"backend"_s,
                                      u"secretId"_s,
                                      u"secretKey"_s,
                                      u"stsEndpoint"_s,
                                      u"stsRegion"_s,
                                      u"roleArn"_s,
                                      u"appId"_s,
                                      u"federationName"_s,
                                      u"grants"_s,
                                      u"durationSeconds"_s,
                                      u"maxDurationSeconds"_s,
                                      u"minDurationSeconds"_s,
                                      u"cacheMarginSeconds"_s,
                                      u"cacheMaxEntries"_s,
                                      u"listen"_s,
                                      u"port"_s,
                                      u"tlsCert"_s,
                                      u"tlsKey"_s,
                                      u"corsOrigins"_s,
                                      u"auth"_s,
                                      u"limits"_s,
                                      u"trustedProxies"_s};
    if (!checkKeys(o, top, u"the config file"_s, error))
        return false;
    auto str = [&](const char *key, QString *target) {
        const QJsonValue v = o.value(QLatin1StringView(key));
        if (v.isString())
            *target = v.toString();
    };
    str("backend", &backend);
    str("secretId", &secretId);
    str("secretKey", &secretKey);
    str("stsEndpoint", &stsEndpoint);
    str("stsRegion", &stsRegion);
    str("roleArn", &roleArn);
    str("appId", &appId);
    str("federationName", &federationName);
    str("listen", &listen);
    str("tlsCert", &tlsCert);
    str("tlsKey", &tlsKey);
    if (o.contains("appId"_L1) && o.value("appId"_L1).isDouble())
        appId = QString::number(o.value("appId"_L1).toInteger());
    auto num = [&](const QJsonObject &from, const char *key, auto *target) {
        const QJsonValue v = from.value(QLatin1StringView(key));
        if (v.isDouble())
            *target = static_cast<std::remove_pointer_t<decltype(target)>>(v.toDouble());
    };
    num(o, "durationSeconds", &durationSeconds);
    num(o, "maxDurationSeconds", &maxDurationSeconds);
    num(o, "minDurationSeconds", &minDurationSeconds);
    num(o, "cacheMarginSeconds", &cacheMarginSeconds);
    num(o, "cacheMaxEntries", &cacheMaxEntries);
    num(o, "port", &port);
    if (o.contains("corsOrigins"_L1))
        corsOrigins = stringList(o.value("corsOrigins"_L1));
    if (o.contains("trustedProxies"_L1))
        trustedProxies = stringList(o.value("trustedProxies"_L1));
    if (o.contains("auth"_L1)) {
        const QJsonObject a = o.value("auth"_L1).toObject();
        if (!checkKeys(a, {u"tokensFile"_s, u"hmacKeysFile"_s, u"hmacWindowSeconds"_s},
                       u"\"auth\""_s, error))
            return false;
        tokensFile = a.value("tokensFile"_L1).toString(tokensFile);
        hmacKeysFile = a.value("hmacKeysFile"_L1).toString(hmacKeysFile);
        num(a, "hmacWindowSeconds", &hmacWindowSeconds);
    }
    if (o.contains("limits"_L1)) {
        const QJsonObject l = o.value("limits"_L1).toObject();
        if (!checkKeys(l,
                       {u"maxBodyBytes"_s, u"ratePerSecond"_s, u"rateBurst"_s,
                        u"anonRatePerSecond"_s, u"anonBurst"_s, u"upstreamTimeoutMs"_s,
                        u"headerTimeoutMs"_s, u"idleTimeoutMs"_s, u"maxConnections"_s,
                        u"maxConnectionsPerAddress"_s},
                       u"\"limits\""_s, error))
            return false;
        num(l, "maxBodyBytes", &maxBodyBytes);
        num(l, "ratePerSecond", &ratePerSecond);
        num(l, "rateBurst", &rateBurst);
        num(l, "upstreamTimeoutMs", &upstreamTimeoutMs);
        num(l, "anonRatePerSecond", &anonRatePerSecond);
        num(l, "anonBurst", &anonBurst);
        num(l, "headerTimeoutMs", &headerTimeoutMs);
        num(l, "idleTimeoutMs", &idleTimeoutMs);
        num(l, "maxConnections", &maxConnections);
        num(l, "maxConnectionsPerAddress", &maxConnectionsPerAddress);
    }
    if (o.contains("grants"_L1)) {
        grants.clear();
        const QJsonArray arr = o.value("grants"_L1).toArray();
        for (qsizetype i = 0; i < arr.size(); ++i) {
            const QJsonObject g = arr.at(i).toObject();
            const QString where = u"grants[%1]"_s.arg(i);
            if (!checkKeys(g, {u"bucket"_s, u"region"_s, u"prefix"_s, u"actions"_s}, where, error))
                return false;
            Grant grant;
            grant.bucket = g.value("bucket"_L1).toString();
            grant.region = g.value("region"_L1).toString();
            grant.prefixTemplate = g.value("prefix"_L1).toString();
            QString actionError;
            if (!parseActions(stringList(g.value("actions"_L1)), &grant.operations, &actionError)) {
                *error = where + u": "_s + actionError;
                return false;
            }
            grants.append(grant);
        }
    }
    if (warnings && (!secretKey.isEmpty())
        && (f.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)))
        warnings->append(u"config file %1 holds a secret key and is readable by group/others; "
                         "chmod 600 it"_s.arg(path));
    return true;
}

bool SignerConfig::validate(QString *error, QStringList *warnings) const
{
    if (backend != "tencent"_L1 && backend != "s3-sts"_L1) {
        *error = u"unknown back end '%1' (use tencent or s3-sts)"_s.arg(backend);
        return false;
    }
    if (secretId.isEmpty() || secretKey.isEmpty()) {
        *error = u"no permanent key: set COS_SIGNER_SECRET_ID and COS_SIGNER_SECRET_KEY (or "
                 "--secret_id/--secret_key, or secretId/secretKey in the config file)"_s;
        return false;
    }
    if (backend == "s3-sts"_L1 && roleArn.isEmpty()) {
        *error = u"the s3-sts back end needs --role-arn"_s;
        return false;
    }
    if (backend == "s3-sts"_L1 && stsEndpoint.isEmpty()) {
        *error = u"the s3-sts back end needs --sts-endpoint"_s;
        return false;
    }
    if (backend == "tencent"_L1 && appId.isEmpty()) {
        *error = u"the tencent back end needs --appid (the APPID in bucket names such as "
                 "examplebucket-1250000000)"_s;
        return false;
    }
    if (grants.isEmpty()) {
        *error = u"nothing to grant: give --bucket and --region (and --allow-prefix), or "
                 "\"grants\" in the config file"_s;
        return false;
    }
    for (const Grant &g : grants) {
        if (g.bucket.isEmpty() || g.region.isEmpty()) {
            *error = u"every grant needs a bucket and a region"_s;
            return false;
        }
        if (g.operations.isEmpty()) {
            *error = u"grant for bucket %1 has no actions"_s.arg(g.bucket);
            return false;
        }
        if (g.prefixTemplate == "*"_L1)
            continue;
        if (g.prefixTemplate.isEmpty()) {
            *error = u"an empty prefix would grant the whole bucket %1; write '*' to allow "
                     "that explicitly"_s.arg(g.bucket);
            return false;
        }
        QString expanded;
        QString reason;
        if (!expandPrefixTemplate(g.prefixTemplate, u"uid"_s, &expanded, &reason)) {
            *error = u"prefix '%1': %2"_s.arg(g.prefixTemplate, reason);
            return false;
        }
        if (warnings && !g.prefixTemplate.endsWith(u'/'))
            warnings->append(u"prefix '%1' does not end with '/': it also covers keys that "
                             "merely start with it (e.g. '%1x/...')"_s.arg(g.prefixTemplate));
    }
    if (durationSeconds < 1 || durationSeconds > 129600) {
        *error = u"--duration must be 1..129600 seconds"_s;
        return false;
    }
    if (effectiveMaxDuration() < durationSeconds) {
        *error = u"maxDurationSeconds is below durationSeconds"_s;
        return false;
    }
    if (cacheMarginSeconds < 0 || maxBodyBytes < 0 || ratePerSecond < 0 || rateBurst < 0
        || upstreamTimeoutMs < 1 || port < 0 || port > 65535 || hmacWindowSeconds < 1
        || anonRatePerSecond < 0 || anonBurst < 0 || headerTimeoutMs < 1 || idleTimeoutMs < 1
        || maxConnections < 1 || maxConnectionsPerAddress < 1) {
        *error = u"a limit is negative or out of range"_s;
        return false;
    }
    for (const QString &cidr : trustedProxies) {
        if (QHostAddress::parseSubnet(cidr).first.isNull()) {
            *error = u"--trusted-proxy '%1' is not an address or CIDR (e.g. 127.0.0.1/32)"_s.arg(
                    cidr.left(64));
            return false;
        }
    }
    if (tlsCert.isEmpty() != tlsKey.isEmpty()) {
        *error = u"TLS needs both --tls-cert and --tls-key"_s;
        return false;
    }
    return true;
}

} // namespace Signer
