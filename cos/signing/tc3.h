#pragma once

#include <QByteArray>
#include <QString>

namespace Cos {

/**
 * @brief Input of the Tencent Cloud API 3.0 signature TC3-HMAC-SHA256.
 *
 * The algorithm is defined byte for byte by tests/data/vectors/tc3.json. Only content-type and
 * host are signed; X-TC-Action, X-TC-Version, X-TC-Region and X-TC-Token are not.
 */
struct Tc3Input
{
    QString secretId;
    QString secretKey;
    QByteArray method; ///< "POST" or "GET"
    QString host; ///< no port
    QString service; ///< e.g. "sts"
    qint64 timestamp = 0; ///< Unix seconds, also sent as X-TC-Timestamp
    QByteArray contentType; ///< used verbatim
    QByteArray query; ///< GET: the exact query string sent; POST: empty
    QByteArray payload; ///< POST: the exact body; GET: empty
};

/** @brief Every intermediate of the TC3 signature and the Authorization value. */
struct Tc3Result
{
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature;
    QByteArray authorization;
};

/** @brief Computes TC3-HMAC-SHA256; the date is the UTC date of the timestamp. */
Tc3Result tc3Sign(const Tc3Input &input);

} // namespace Cos
