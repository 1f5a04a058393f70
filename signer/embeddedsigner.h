#pragma once

#include "signercore.h"

#include "cos/core/credentials.h"

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

} // namespace Signer
