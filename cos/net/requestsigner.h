#pragma once

#include "cos/core/credentials.h"
#include "cos/core/error.h"
#include "cos/protocol/requestbuilder.h"

#include <QByteArray>
#include <QNetworkRequest>
#include <QString>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QDateTime;
class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;
QT_END_NAMESPACE

namespace Cos {

/**
 * @brief What a signature was computed over. The texts hold the signed header values, a session
 * token among them: pass them through a SecretRedactor before showing them anywhere.
 */
struct SigningTrace
{
    QByteArray canonicalRequest; ///< SigV4 canonical request; COS: the HttpString (FormatString)
    QByteArray stringToSign;
};

/** @brief A signed request ready for QNetworkAccessManager, or why it could not be signed. */
struct SignedRequest
{
    QNetworkRequest request; ///< URL, Host, Authorization and every signed header set
    QByteArray method; ///< the HTTP verb to send it with
    QByteArray body; ///< the builder's body (XML), empty when the caller streams its own
    SigningTrace trace;
    Error error;

    [[nodiscard]] bool ok() const { return !error.isError(); }
};

/** @brief A presigned URL, or why it could not be made. */
struct PresignedUrl
{
    QUrl url;
    Error error;

    [[nodiscard]] bool ok() const { return !error.isError(); }
};

/**
 * @brief Signs HttpRequests for their dialect; pure: the time is passed in, no clock inside.
 *
 * COS: q-sign-algorithm=sha1 in the Authorization header. The key time is the credential's
 * [startTime, expiredTime] for temporary keys that carry both (the issuing server's clock, so
 * device skew does not matter), otherwise [now, now + validity]. Temporary keys add a signed
 * x-cos-security-token header.
 *
 * S3: AWS4-HMAC-SHA256 with x-amz-date, x-amz-content-sha256 (the request's payload hash, or
 * UNSIGNED-PAYLOAD) and x-amz-security-token for temporary keys.
 *
 * The QUrl is parsed from the exact encoded path and query (QUrl::StrictMode), and the Host
 * header is the one that was signed, so what is sent is what was signed. Every request asks for
 * "Accept-Encoding: identity" (unsigned): an object stored with a Content-Encoding comes back
 * as the stored bytes, which the size, ETag and CRC64 checks expect. Redirects are not
 * followed (a signed request must not be replayed elsewhere). Nothing here logs; secrets and
 * tokens never appear in error messages.
 */
class RequestSigner
{
public:
    static constexpr int DefaultValiditySeconds = 900;
    static constexpr int MaxPresignSeconds = 604800; ///< one week, the SigV4 limit

    /** @brief Signs @p request at Unix time @p nowSeconds. */
    [[nodiscard]] static SignedRequest sign(const HttpRequest &request,
                                            const Credentials &credentials, qint64 nowSeconds,
                                            int validitySeconds = DefaultValiditySeconds);
    /** @brief Overload taking the time as a QDateTime. */
    [[nodiscard]] static SignedRequest sign(const HttpRequest &request,
                                            const Credentials &credentials, const QDateTime &now,
                                            int validitySeconds = DefaultValiditySeconds);

    /**
     * @brief A presigned URL valid for @p expiresSeconds (1 .. MaxPresignSeconds) from
     * @p nowSeconds. Only the Host header is signed; a COS URL of temporary keys ends at the
     * credential's expiry at the latest.
     */
    [[nodiscard]] static PresignedUrl presign(const HttpRequest &request,
                                              const Credentials &credentials, qint64 nowSeconds,
                                              int expiresSeconds);

    /** @brief The COS key time "<start>;<end>" that sign() uses. */
    [[nodiscard]] static QString cosKeyTime(const Credentials &credentials, qint64 nowSeconds,
                                            int validitySeconds = DefaultValiditySeconds);
};

/**
 * @brief Sends @p signedRequest with its verb: get, head, deleteResource, put or post.
 *
 * The body is @p body when given (the caller keeps it alive until the reply finishes),
 * otherwise signedRequest.body.
 */
QNetworkReply *sendSigned(QNetworkAccessManager *manager, const SignedRequest &signedRequest,
                          QIODevice *body = nullptr);

} // namespace Cos
