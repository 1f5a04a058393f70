#pragma once

#include "cos/core/credentials.h"

#include <QCoreApplication>
#include <QString>
#include <QVariantMap>

namespace Signer {
struct SignerConfig;
class EmbeddedCredentialProvider;
} // namespace Signer

/**
 * @brief What the user chose for the embedded signer: the STS back end it asks and the grant
 * its temporary keys carry (one bucket, one prefix, some action sets).
 *
 * The app runs the signer core of cos-signer in process with a permanent key from the secret
 * store; requests are signed only with the temporary keys it issues. The option names follow
 * cos-signer and cosctl (--backend, --sts-endpoint, --role-arn, --bucket, --allow-prefix,
 * --actions, --duration).
 */
struct EmbeddedSignerOptions
{
    Q_DECLARE_TR_FUNCTIONS(EmbeddedSignerOptions)

public:
    /** @brief The grant's prefix when the user gives none: one folder per login name. */
    static QString defaultPrefix() { return QStringLiteral("users/${uid}/"); }
    static QString defaultActions() { return QStringLiteral("upload,download,list"); }

    QString backend; ///< "tencent", "s3-sts"; empty: s3-sts for the s3 dialect, else tencent
    QString stsEndpoint; ///< empty: Tencent's public STS (tencent); required for s3-sts
    QString roleArn; ///< required for s3-sts; tencent: AssumeRole instead of a federation token
    QString bucket; ///< empty: the default bucket of the settings
    QString prefix = defaultPrefix(); ///< "*" grants the whole bucket
    QString actions = defaultActions(); ///< comma-separated action sets or COS action names
    int durationSeconds = 1800;

    /** @brief The map the settings page passes (keys as the members, duration in seconds). */
    static EmbeddedSignerOptions fromMap(const QVariantMap &map);
    [[nodiscard]] QVariantMap toMap() const;

    /** @brief The back end these options use with @p dialect. */
    [[nodiscard]] QString effectiveBackend(const QString &dialect) const;

    /** @brief What ${uid} stands for in the prefix: the login name when valid, else "cosdemo". */
    static QString uid();

    /**
     * @brief The signer configuration for the permanent key @p key, the endpoint's @p dialect,
     * @p region and @p appId, granting @p defaultBucket when no bucket is set. Returns false
     * with @p error (one sentence for the settings page, never the key) when it cannot work.
     */
    bool toSignerConfig(const Cos::Credentials &key, const QString &dialect, const QString &region,
                        const QString &appId, const QString &defaultBucket,
                        Signer::SignerConfig *config, QString *error) const;

    /** @brief The options a settings page shows as fields of their own. */
    enum Field { Backend, StsEndpoint, RoleArn, Prefix, Actions, Duration };

    /**
     * @brief The first problem of the options alone ("" when none), for the settings page:
     * back end, STS endpoint, role, prefix, actions, duration.
     */
    [[nodiscard]] QString validate(const QString &dialect) const;
    /** @brief The problem of one field ("" when none), so each field can say its own. */
    [[nodiscard]] QString validateField(Field field, const QString &dialect) const;

    /**
     * @brief A provider that issues temporary keys for the grant; null with @p error set when
     * the options cannot work.
     */
    Signer::EmbeddedCredentialProvider *makeProvider(const Cos::Credentials &key,
                                                     const QString &dialect, const QString &region,
                                                     const QString &appId,
                                                     const QString &defaultBucket,
                                                     QString *error) const;

    bool operator==(const EmbeddedSignerOptions &o) const
    {
        return backend == o.backend && stsEndpoint == o.stsEndpoint && roleArn == o.roleArn
                && bucket == o.bucket && prefix == o.prefix && actions == o.actions
                && durationSeconds == o.durationSeconds;
    }
    bool operator!=(const EmbeddedSignerOptions &o) const { return !(*this == o); }
};
