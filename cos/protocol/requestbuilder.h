#pragma once

#include "cos/signing/cossigner.h"
#include "cos/protocol/endpoint.h"
#include "cos/core/error.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Cos {

/**
 * @brief One HTTP request as it will go on the wire, before signing.
 *
 * The path exists twice: decoded (what the COS signer signs) and exactly encoded (what is sent
 * and what SigV4 signs). The query is kept as raw pairs; on the wire each becomes
 * percentEncode(name)=percentEncode(value), or just the name when the value is empty
 * ("?uploads"). Both signers read the same pairs, so what is sent is what was signed.
 */
struct HttpRequest
{
    Dialect dialect = Dialect::Cos;
    QByteArray method; ///< upper case: GET, HEAD, PUT, POST, DELETE
    QString scheme;
    QString host; ///< lower case, no brackets, no port
    int port = -1; ///< -1 for the scheme's default
    QString connectHost; ///< connect here instead of host; Host header and signature keep host
    int connectPort = -1; ///< port for connectHost, -1 for port
    QString region; ///< S3: the SigV4 scope region
    QString path; ///< decoded, starts with '/', e.g. "/dir/a b.txt"
    QByteArray encodedPath; ///< exact wire form, e.g. "/dir/a%20b.txt"
    StringPairs query; ///< raw name/value pairs, in wire order
    StringPairs headers; ///< name/value pairs (Host is not among them; see hostHeader())
    QByteArray body; ///< a body the builder made (XML), empty otherwise
    QByteArray payloadHash; ///< S3: hex SHA-256 of the body, empty for UNSIGNED-PAYLOAD
    QString operation; ///< the API operation, e.g. "UploadPart"; empty for hand-made requests

    [[nodiscard]] bool isNull() const { return method.isEmpty(); }

    /** @brief The Host header: host (in brackets for IPv6) plus ":port" when not the default. */
    [[nodiscard]] QByteArray hostHeader() const;
    /** @brief The query as sent: "a=1&uploads&prefix=x%2By"; empty when there is none. */
    [[nodiscard]] QByteArray encodedQuery() const;
    /** @brief The whole URL as sent: scheme://authority encodedPath[?encodedQuery]. */
    [[nodiscard]] QByteArray encodedUrl() const;
    /** @brief encodedUrl() parsed with QUrl::StrictMode; invalid if that fails. */
    [[nodiscard]] QUrl url() const;
    /** @brief The URL to connect to: url() with connectHost[:connectPort] when set. */
    [[nodiscard]] QUrl networkUrl() const;

    /** @brief The first value of header @p name (any letter case), or a null string. */
    [[nodiscard]] QString header(QStringView name) const;
    /** @brief Replaces every header named @p name (any letter case) by one with @p value. */
    void setHeader(const QString &name, const QString &value);
};

/** @brief A built request, or the reason it could not be built. */
struct BuildResult
{
    HttpRequest request;
    Error error;

    [[nodiscard]] bool ok() const { return !error.isError(); }
};

/** @brief Parameters of list buckets (GET Service). */
struct ListBucketsParams
{
    QString region; ///< COS: only the buckets of this region (cos.<region>.myqcloud.com)
    QString marker;
    int maxKeys = 0; ///< 0: server default; at most 2000
};

/** @brief Parameters of list objects (COS: v1 only; S3: v1 or v2). */
struct ListObjectsParams
{
    QString prefix;
    QString delimiter;
    QString marker; ///< v1
    int maxKeys = 0; ///< 0: server default; at most 1000
    bool urlEncoding = false; ///< encoding-type=url: keys come back percent-encoded
    bool v2 = false; ///< S3 only: list-type=2
    QString continuationToken; ///< v2
    QString startAfter; ///< v2
};

/** @brief Conditions and overrides of HEAD and GET object. */
struct GetObjectParams
{
    qint64 rangeFirst = -1; ///< first byte of Range, -1 for no Range
    qint64 rangeLast = -1; ///< last byte (inclusive), -1 for "to the end"
    QString ifMatch; ///< ETag, with its quotes as the server sent it
    QString ifNoneMatch;
    /** response-<name> overrides (content-type, content-disposition, cache-control, ...) */
    StringPairs responseHeaders;
    QString versionId;
};

/** @brief Headers of PUT object and initiate multipart upload. */
struct PutObjectParams
{
    qint64 contentLength = -1; ///< required for PUT object (no chunked uploads)
    QString contentType; ///< default application/octet-stream
    QByteArray contentMd5; ///< base64 of the 16-byte MD5, optional
    QByteArray payloadHash; ///< S3: hex SHA-256 of the body; empty for UNSIGNED-PAYLOAD
    StringPairs metadata; ///< name without prefix -> x-cos-meta-<name> / x-amz-meta-<name>
    QString acl; ///< x-cos-acl / x-amz-acl, e.g. private, public-read
    QString storageClass; ///< e.g. STANDARD, STANDARD_IA
    QString contentDisposition;
    QString cacheControl;
};

/** @brief One part of a completed multipart upload. */
struct CompletedPart
{
    int partNumber = 0;
    QString etag; ///< as the server returned it (quotes included)
};

/** @brief Parameters of list parts. */
struct ListPartsParams
{
    int maxParts = 0; ///< 0: server default; at most 1000
    int partNumberMarker = 0;
    bool urlEncoding = false;
};

/** @brief Parameters of list multipart uploads. */
struct ListUploadsParams
{
    QString prefix;
    QString delimiter;
    QString keyMarker;
    QString uploadIdMarker;
    int maxUploads = 0; ///< 0: server default; at most 1000
    bool urlEncoding = false;
};

/**
 * @brief Turns bucket and object operations into HttpRequests for either dialect.
 *
 * Every input is validated first; a failure comes back as an Error of kind InvalidInput and a
 * null request. Requests carry no credentials: RequestSigner adds the Authorization and the
 * security-token header. Bodyless PUT, POST and DELETE carry Content-Length: 0.
 */
class RequestBuilder
{
public:
    static constexpr qint64 MaxSinglePutBytes = 5LL * 1024 * 1024 * 1024; ///< 5 GiB
    static constexpr int MaxPartNumber = 10000;
    static constexpr int MaxDeleteKeys = 1000;

    explicit RequestBuilder(Endpoint endpoint);

    [[nodiscard]] const Endpoint &endpoint() const { return m_endpoint; }

    /** @brief GET Service: COS service host, a region host, or GET / on the S3 endpoint. */
    [[nodiscard]] BuildResult listBuckets(const ListBucketsParams &params = {}) const;
    [[nodiscard]] BuildResult putBucket(const QString &bucket, const QString &acl = {}) const;
    [[nodiscard]] BuildResult headBucket(const QString &bucket) const;
    [[nodiscard]] BuildResult deleteBucket(const QString &bucket) const;
    [[nodiscard]] BuildResult listObjects(const QString &bucket,
                                          const ListObjectsParams &params = {}) const;

    [[nodiscard]] BuildResult headObject(const QString &bucket, const QString &key,
                                         const GetObjectParams &params = {}) const;
    [[nodiscard]] BuildResult getObject(const QString &bucket, const QString &key,
                                        const GetObjectParams &params = {}) const;
    [[nodiscard]] BuildResult putObject(const QString &bucket, const QString &key,
                                        const PutObjectParams &params) const;
    /**
     * @brief PUT Object - Copy: @p key becomes a server-side copy of @p sourceKey in
     * @p sourceBucket (same endpoint and region), metadata included. The source goes in
     * x-cos-copy-source ("<bucket-appid>.cos.<region>.myqcloud.com/<key>", the bucket's host) or
     * x-amz-copy-source ("/<bucket>/<key>"), the key percent-encoded with "/" kept. One request
     * copies at most 5 GiB.
     */
    [[nodiscard]] BuildResult copyObject(const QString &bucket, const QString &key,
                                         const QString &sourceBucket,
                                         const QString &sourceKey) const;
    [[nodiscard]] BuildResult deleteObject(const QString &bucket, const QString &key,
                                           const QString &versionId = {}) const;
    /** @brief POST ?delete with the XML body, its Content-MD5 and (S3) its SHA-256. */
    [[nodiscard]] BuildResult deleteObjects(const QString &bucket, const QStringList &keys,
                                            bool quiet = true) const;

    /** @brief POST ?uploads; contentLength of @p params is ignored (the body is empty). */
    [[nodiscard]] BuildResult initiateMultipartUpload(const QString &bucket, const QString &key,
                                                      const PutObjectParams &params = {}) const;
    /** @brief PUT ?partNumber=N&uploadId=ID with @p contentLength bytes. */
    [[nodiscard]] BuildResult uploadPart(const QString &bucket, const QString &key,
                                         const QString &uploadId, int partNumber,
                                         qint64 contentLength, const QByteArray &contentMd5 = {},
                                         const QByteArray &payloadHash = {}) const;
    [[nodiscard]] BuildResult listParts(const QString &bucket, const QString &key,
                                        const QString &uploadId,
                                        const ListPartsParams &params = {}) const;
    /** @brief POST ?uploadId=ID with the parts (sorted by number) as the XML body. */
    [[nodiscard]] BuildResult completeMultipartUpload(const QString &bucket, const QString &key,
                                                      const QString &uploadId,
                                                      QList<CompletedPart> parts) const;
    [[nodiscard]] BuildResult abortMultipartUpload(const QString &bucket, const QString &key,
                                                   const QString &uploadId) const;
    [[nodiscard]] BuildResult listMultipartUploads(const QString &bucket,
                                                   const ListUploadsParams &params = {}) const;

private:
    QString headerPrefix() const; // "x-cos-" or "x-amz-"
    // objectKey is null for bucket-level requests.
    BuildResult base(const QByteArray &method, const QString &bucket,
                     const QString *objectKey) const;

    Endpoint m_endpoint;
};

} // namespace Cos
