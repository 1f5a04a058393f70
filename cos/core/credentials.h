#pragma once

#include "cos/core/credentialscope.h"

#include <QString>

#include <limits>

namespace Cos {

/**
 * @brief A key pair with an optional session token and validity window.
 *
 * Permanent keys have no token and no expiry (expiredTime == 0). Temporary keys from STS carry
 * a token and their window in Unix seconds; startTime is the issuing server's clock, which the
 * COS signer uses as the start of q-key-time so that a skewed device clock does not matter.
 */
struct Credentials
{
    QString secretId;
    QString secretKey;
    QString sessionToken;
    qint64 startTime = 0; ///< Unix seconds, 0 when unknown
    qint64 expiredTime = 0; ///< Unix seconds, 0 for permanent keys
    CredentialScope scope; ///< what the issuer says the keys allow; empty when it does not say

    [[nodiscard]] bool isEmpty() const { return secretId.isEmpty() || secretKey.isEmpty(); }
    [[nodiscard]] bool isTemporary() const { return !sessionToken.isEmpty(); }
    /** @brief Seconds of validity left at @p now; a large number for permanent keys. */
    [[nodiscard]] qint64 secondsLeft(qint64 now) const
    {
        return expiredTime == 0 ? std::numeric_limits<qint64>::max() : expiredTime - now;
    }
};

/**
 * @brief A key id shown without revealing it: the first and last four characters of ids of 12
 * or more characters ("AKID****3f2a"), only the first two of shorter ones.
 */
inline QString maskKeyId(const QString &id)
{
    if (id.size() >= 12)
        return id.left(4) + QStringLiteral("****") + id.right(4);
    return id.left(2) + QStringLiteral("****");
}

} // namespace Cos
