#pragma once

#include "signercore.h"

#include "cos/core/credentials.h"
#include "cos/net/clientconfig.h"
#include "cos/net/credentialprovider.h"

#include <QObject>

#include <functional>

namespace Signer {

/**
 * @brief The signer in process: the app or cosctl gets scoped temporary credentials without a
 * cos-signer server, with the same grants, policy builder, cache and back ends.
 *
 * The permanent key stays inside this object (load it with PermanentKeyStore); callers only see
 * temporary credentials limited to the grants.
 */
class EmbeddedSigner : public QObject
{
    Q_OBJECT
public:
    using Callback = std::function<void(const SignerError &, const Cos::Credentials &)>;

    /** @brief @p config must validate(); the back end is created from it. */
    explicit EmbeddedSigner(const SignerConfig &config, QObject *parent = nullptr);
    /** @brief Uses @p backend (taken over) instead of the one the config names; for tests. */
    EmbeddedSigner(const SignerConfig &config, StsBackend *backend, QObject *parent = nullptr);

    /**
     * @brief Temporary credentials for @p uid. @p scopeJson is a POST /sts body (empty: all the
     * grants allow). @p done may run before this returns (cache hit); startTime is local now.
     */
    void credentials(const QString &uid, const QByteArray &scopeJson, Callback done);

    /** @brief The policy that credentials() would send for @p uid (for --print-policy style UIs). */
    QByteArray policy(const QString &uid, const QByteArray &scopeJson, SignerError *error) const;

    [[nodiscard]] SignerCore *core() const { return m_core; }

private:
    SignerCore *m_core;
};

/**
 * @brief The embedded signer as the engine's credential provider: every fetch() asks the signer
 * core for temporary keys for one caller, so the client signs with those keys only and the
 * engine's CredentialCache refreshes them (before expiry, and on expiry errors).
 *
 * The permanent key never leaves the signer; description() and errors never name it.
 */
class EmbeddedCredentialProvider : public Cos::EmbeddedSignerProvider
{
    Q_OBJECT
public:
    /** @brief @p config must validate(); @p uid fills ${uid} in the grants' prefixes. */
    EmbeddedCredentialProvider(const SignerConfig &config, QString uid, QObject *parent = nullptr);
    /** @brief Uses @p backend (taken over) instead of the one the config names; for tests. */
    EmbeddedCredentialProvider(const SignerConfig &config, StsBackend *backend, QString uid,
                               QObject *parent = nullptr);

    [[nodiscard]] QString description() const override;
    void fetch() override;
    void cancel() override;

    /**
     * @brief What the keys allow, "bucket/prefix* [actions]" per grant; empty with @p error
     * set when the grants cannot be expanded for the caller.
     */
    [[nodiscard]] QString grantDescription(QString *error = nullptr) const;

    [[nodiscard]] EmbeddedSigner *signer() const { return m_signer; }
    [[nodiscard]] const QString &uid() const { return m_uid; }

private:
    EmbeddedSigner *m_signer;
    QString m_uid;
    quint64 m_generation = 0; ///< bumped by fetch() and cancel(); stale answers are dropped
};

/**
 * @brief The signer configuration of @p config's embedded mode, as cos-signer would have it
 * from the same options: the permanent key, back end, STS endpoint and role, and one grant per
 * prefix (default users/${uid}/) on the bucket (signer.bucket, else the default bucket) in the
 * config's region, with its actions (default upload,download,list).
 *
 * False with @p error (one sentence naming the setting, never the key) when it cannot work;
 * @p warnings gets what cos-signer would warn about.
 */
bool signerConfigFor(const Cos::ClientConfig &config, const QString &federationName,
                     SignerConfig *out, QString *error, QStringList *warnings = nullptr);

/**
 * @brief The embedded signer's provider for @p config (see signerConfigFor()), issuing keys
 * for the caller @p uid; null with @p error (kind Credentials) when the settings cannot work
 * or the grant cannot be expanded for @p uid. This is the Cos::ClientConfig::makeProvider()
 * hook of the programs that link the signer.
 */
EmbeddedCredentialProvider *makeEmbeddedProvider(const Cos::ClientConfig &config,
                                                 const QString &uid, const QString &federationName,
                                                 Cos::Error *error,
                                                 QStringList *warnings = nullptr);

} // namespace Signer
