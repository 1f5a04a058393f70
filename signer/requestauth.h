#pragma once

#include "responses.h"
#include "signerconfig.h"

#include <QByteArray>
#include <QHash>
#include <QString>

namespace Signer {

/**
 * @brief App authentication for the signer's routes.
 *
 * - Bearer: "Authorization: Bearer <token>"; tokens from a file or COS_SIGNER_TOKENS, each
 *   "uid:token"; the uid is the caller's identity.
 * - HMAC: "Authorization: CosSigner-HMAC-SHA256 Credential=<uid>, Timestamp=<unix>,
 *   Signature=<hex>", Signature = hex(HMAC-SHA256(secret, stringToSign)) with stringToSign =
 *   "CosSigner-HMAC-SHA256\n<timestamp>\n<METHOD>\n<path>\n<hex sha256(body)>"; the timestamp
 *   must be within the window of the server's clock.
 * - None: only when nothing is configured; the server refuses that unless it is bound to
 *   loopback. The identity is then "anonymous".
 */
class RequestAuth
{
public:
    /** @brief Loads tokens and HMAC keys; false + @p error on an unreadable or bad file. */
    bool configure(const SignerConfig &config, QString *error);

    [[nodiscard]] bool isOpen() const { return m_tokens.isEmpty() && m_hmacKeys.isEmpty(); }
    [[nodiscard]] int tokenCount() const { return int(m_tokens.size()); }
    [[nodiscard]] int hmacKeyCount() const { return int(m_hmacKeys.size()); }

    /** @brief The caller's identity, or a 401 error. */
    SignerError authenticate(const QByteArray &authorization, const QByteArray &method,
                             const QByteArray &path, const QByteArray &body, qint64 now,
                             QString *uid) const;

    /** @brief The HMAC scheme's signature (for clients and tests). */
    static QByteArray hmacSignature(const QByteArray &secret, qint64 timestamp,
                                    const QByteArray &method, const QByteArray &path,
                                    const QByteArray &body);
    /** @brief A complete HMAC Authorization header value. */
    static QByteArray hmacAuthorization(const QString &uid, const QByteArray &secret,
                                        qint64 timestamp, const QByteArray &method,
                                        const QByteArray &path, const QByteArray &body);

private:
    QHash<QByteArray, QString> m_tokens; ///< sha256(token) -> uid
    QHash<QString, QByteArray> m_hmacKeys; ///< uid -> secret
    int m_window = 300;
};

} // namespace Signer
