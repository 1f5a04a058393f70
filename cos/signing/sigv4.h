#pragma once

#include "cos/signing/cossigner.h"

#include <QByteArray>
#include <QString>

QT_BEGIN_NAMESPACE
class QDateTime;
QT_END_NAMESPACE

namespace Cos {

/**
 * @brief Input of AWS Signature Version 4 (AWS4-HMAC-SHA256) for S3-compatible endpoints.
 *
 * The algorithm is defined byte for byte by tests/data/vectors/sigv4.json.
 */
struct SigV4Input
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken; ///< empty when none
    QString region;
    QString service; ///< "s3", "sts", "iam"
    QByteArray method;
    QString host; ///< with ":port" when the port is not the scheme's default
    QByteArray canonicalPath; ///< already encoded path, used as is
    StringPairs query; ///< raw pairs
    StringPairs headers; ///< the request's headers (host among them)
    QByteArray payloadHash; ///< hex SHA-256, or "UNSIGNED-PAYLOAD" (also used when empty)
    QByteArray amzDate; ///< "YYYYMMDDTHHMMSSZ"
};

/** @brief Result of header signing: what to add to the request and the Authorization value. */
struct SigV4Result
{
    /** x-amz-date, x-amz-security-token and x-amz-content-sha256, as far as they were added. */
    StringPairs addedHeaders;
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature;
    QByteArray authorization; ///< the Authorization header value
};

/**
 * @brief Signs a request with SigV4 in the Authorization header.
 *
 * Adds x-amz-date, x-amz-security-token (with a session token) and x-amz-content-sha256
 * (unless the headers carry it already); a given header named x-amz-date or
 * x-amz-security-token is replaced by the added one. Host is never added.
 */
SigV4Result sigV4SignHeaders(const SigV4Input &input);

/** @brief Result of SigV4 query-string signing. */
struct SigV4Presigned
{
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature;
    QByteArray url;
};

/**
 * @brief A SigV4 presigned URL: scheme://host/path?query&X-Amz-...&X-Amz-Signature=...
 *
 * No header is added. @p expiresSeconds is clamped to 1 .. 604800 (one week, the SigV4 limit).
 */
SigV4Presigned sigV4Presign(const SigV4Input &input, int expiresSeconds, const QString &scheme);

/** @brief Formats a time as the SigV4 "YYYYMMDDTHHMMSSZ" in UTC. */
QByteArray sigV4AmzDate(const QDateTime &utc);

} // namespace Cos
