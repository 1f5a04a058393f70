#pragma once

#include "policy.h"

#include <QCommandLineOption>
#include <QList>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QCommandLineParser;
class QProcessEnvironment;
QT_END_NAMESPACE

namespace Signer {

/** @brief What callers may ask for: operations on one bucket under one prefix template. */
struct Grant
{
    QString bucket;
    QString region;
    QString prefixTemplate; ///< e.g. "users/${uid}/"; "*" = the whole bucket (explicit opt-in)
    Operations operations;
};

/**
 * @brief Everything the signer needs; filled from a config file, then flags, then environment.
 *
 * Defaults are the safe ones: loopback, 1800 s credentials, 5 min cache margin, 16 KiB bodies,
 * 10 requests/s per caller with a burst of 20, 1 request/s (burst 10) per address for
 * unauthenticated requests, 10 s upstream timeout, 10 s to send a request, 30 s keep-alive
 * idle time, 1024 connections (32 per address) but always fewer than the file-descriptor limit.
 */
struct SignerConfig
{
    QString backend = QStringLiteral("tencent"); ///< "tencent" or "s3-sts"
    QString secretId;
    QString secretKey;
    QString stsEndpoint; ///< empty: https://sts.tencentcloudapi.com/ for tencent
    QString stsRegion; ///< X-TC-Region / SigV4 region; empty: the first grant's region
    QString roleArn; ///< tencent: AssumeRole instead of GetFederationToken; s3-sts: required
    QString appId; ///< tencent: required (CAM resources name it)
    QString federationName = QStringLiteral("cos-signer");

    QList<Grant> grants;
    int durationSeconds = 1800;
    int maxDurationSeconds = 0; ///< 0: same as durationSeconds
    int minDurationSeconds = 1; ///< a POST may ask for less, not for less than this
    int cacheMarginSeconds = 300;
    int cacheMaxEntries = 4096;

    QString listen = QStringLiteral("127.0.0.1");
    int port = 5000;
    QString tlsCert;
    QString tlsKey;
    QStringList corsOrigins;

    QString tokensFile; ///< lines "uid:token"
    QString hmacKeysFile; ///< lines "uid:secret"
    QStringList tokens; ///< "uid:token", e.g. from COS_SIGNER_TOKENS
    QStringList hmacKeys; ///< "uid:secret", e.g. from COS_SIGNER_HMAC_KEYS
    int hmacWindowSeconds = 300;

    qint64 maxBodyBytes = 16 * 1024;
    double ratePerSecond = 10; ///< per authenticated caller (uid)
    int rateBurst = 20;
    double anonRatePerSecond = 1; ///< per client address, for requests that fail to authenticate
    int anonBurst = 10;
    int upstreamTimeoutMs = 10000;
    int headerTimeoutMs = 10000; ///< a request (header block and body) must arrive within this
    int idleTimeoutMs = 30000; ///< a keep-alive connection without a request is closed after this
    int maxConnections = 1024; ///< lowered to fit under RLIMIT_NOFILE at start
    int maxConnectionsPerAddress = 32; ///< trusted proxies are exempt
    QStringList trustedProxies; ///< CIDRs whose X-Forwarded-For names the client
    bool debugHttp = false; ///< keep Qt's qt.httpserver* logging (Authorization redacted)

    [[nodiscard]] PolicyDialect dialect() const
    {
        return backend == QLatin1StringView("s3-sts") ? PolicyDialect::Iam : PolicyDialect::Cam;
    }
    [[nodiscard]] int effectiveMaxDuration() const
    {
        return maxDurationSeconds > 0 ? maxDurationSeconds : durationSeconds;
    }

    /** @brief Merges a JSON config file (format in docs/signer.md); false + @p error on failure. */
    bool loadFile(const QString &path, QString *error, QStringList *warnings = nullptr);

    /**
     * @brief Checks consistency: back end, keys, grants (prefix templates valid, "*" only as
     * the explicit whole-bucket grant), durations, limits.
     */
    bool validate(QString *error, QStringList *warnings = nullptr) const;
    /**
     * @brief cos-signer's command-line options, declared once for cos-signer and its tests
     * (--help, --version and the secret flags' argv scrubbing stay with main()).
     */
    static QList<QCommandLineOption> commandLineOptions();

    /**
     * @brief Applies a parsed cos-signer command line (a parser that has commandLineOptions())
     * on top of this config, in cos-signer's order: the config file (--config or
     * COS_SIGNER_CONFIG), the COS_SIGNER_* variables of @p environment, then the flags; then
     * validate().
     *
     * Numbers are parsed strictly: whole-number options take ASCII digits only and must fit
     * their range ("--port 5000.7" is refused, not truncated); rates may be fractional but
     * finite and not negative. False with @p error naming the option and the allowed values
     * (never a secret); @p warnings gets what the operator should see (e.g. a secret key given
     * as a flag).
     */
    bool applyArguments(const QCommandLineParser &parser, const QProcessEnvironment &environment,
                        QString *error, QStringList *warnings = nullptr);
};

/** @brief Parses "upload,download" style lists. */
bool parseActionList(const QString &list, Operations *out, QString *error);

} // namespace Signer
