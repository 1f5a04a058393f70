#pragma once

#include "cos/core/error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

/*
 * Parsers for the XML bodies of the COS XML API, S3 (Ceph RGW) and S3-style STS.
 *
 * Rules shared by every parser here:
 * - Elements are matched by their local name; the namespace is ignored. S3 sends
 *   xmlns="http://s3.amazonaws.com/doc/2006-03-01/", COS and RGW's STS send none, AWS STS its own.
 * - Unknown elements are skipped, so new fields on the server side do not break the client.
 * - An empty element counts as absent: "" for strings, 0 for numbers, false for booleans and an
 *   invalid QDateTime for times. RGW, for one, sends an empty <ETag></ETag> in the
 *   CompleteMultipartUpload result.
 * - ETags are returned WITHOUT their surrounding double quotes ("abc" -> abc), so a parsed ETag
 *   compares equal to the header value after the same stripping and to an MD5 in hex.
 * - Timestamps are ISO 8601 (fractions of a second up to nanoseconds are accepted and truncated to
 *   milliseconds; Z or +hh:mm; none means UTC) or RFC 1123; results are in UTC.
 * - Leading whitespace is skipped: COS sends spaces while it merges a multipart upload and only
 *   then the XML declaration.
 * - A result body whose root element is <Error> (or STS's <ErrorResponse>) gives a Kind::Service
 *   error with HTTP status 200, since such a body came with a 2xx status.
 * - Hostile input gives a Kind::Parse error, never a crash or unbounded memory: the input size,
 *   nesting depth and number of list items are capped (constants below), any DTD or entity
 *   declaration is rejected, and only UTF-8 documents are accepted.
 * - Error messages say what and where (line, column, element path) and never quote the text of
 *   credential fields.
 * On error the output structure may be partly filled; do not use it.
 */

namespace Cos {

/** @brief Bodies larger than this are rejected before parsing. */
inline constexpr qsizetype MaxXmlInputSize = 16 * 1024 * 1024;
/** @brief Elements nested deeper than this are rejected (the root is depth 1). */
inline constexpr int MaxXmlDepth = 32;
/** @brief Lists with more entries than this (objects + prefixes, parts, uploads, buckets) are rejected. */
inline constexpr int MaxXmlItems = 100000;

/** @brief One bucket of GET Service. */
struct BucketInfo
{
    QString name;
    QString location; ///< region id, e.g. ap-guangzhou; empty on RGW
    QDateTime creationDate;
};

/** @brief GET Service (ListAllMyBucketsResult). */
struct ListBucketsResult
{
    QString ownerId;
    QString ownerName;
    QList<BucketInfo> buckets;
    bool isTruncated = false;
    QString nextMarker;
};

/** @brief One entry of <Contents>. */
struct ObjectInfo
{
    QString key;
    QDateTime lastModified;
    QString etag; ///< without quotes
    qint64 size = 0;
    QString storageClass;
};

/**
 * @brief GET Bucket, v1 and v2 (ListBucketResult).
 *
 * With EncodingType "url" the keys, prefixes, delimiter and markers are percent-decoded
 * (plain percent-decoding as COS's own SDKs do: '+' stays '+'). When a v1 listing is truncated
 * but carries no NextMarker (S3 omits it without a delimiter), nextMarker is set to the last key
 * or common prefix, whichever sorts last, so callers can always page with nextMarker.
 */
struct ListObjectsResult
{
    QString bucket;
    QString prefix;
    QString delimiter;
    QString marker;
    QString nextMarker;
    QString continuationToken;
    QString nextContinuationToken;
    int maxKeys = 0;
    bool isTruncated = false;
    QString encodingType;
    QList<ObjectInfo> objects;
    QStringList commonPrefixes;
};

/** @brief Initiate Multipart Upload (InitiateMultipartUploadResult); uploadId is never empty. */
struct InitiateMultipartResult
{
    QString bucket;
    QString key;
    QString uploadId;
};

/** @brief One part of List Parts, also the input of buildCompleteMultipartBody(). */
struct PartInfo
{
    int partNumber = 0;
    QString etag; ///< without quotes
    qint64 size = 0;
    QDateTime lastModified;
};

/** @brief List Parts (ListPartsResult). */
struct ListPartsResult
{
    QString bucket;
    QString key;
    QString uploadId;
    int nextPartNumberMarker = 0;
    bool isTruncated = false;
    QList<PartInfo> parts;
};

/** @brief One entry of <Upload>. */
struct MultipartUploadInfo
{
    QString key;
    QString uploadId;
    QDateTime initiated;
};

/** @brief List Multipart Uploads (ListMultipartUploadsResult). */
struct ListMultipartUploadsResult
{
    QString bucket;
    QString nextKeyMarker;
    QString nextUploadIdMarker;
    bool isTruncated = false;
    QList<MultipartUploadInfo> uploads;
};

/** @brief Complete Multipart Upload (CompleteMultipartUploadResult); etag may be empty (RGW). */
struct CompleteMultipartResult
{
    QString location;
    QString bucket;
    QString key;
    QString etag; ///< without quotes; empty on Ceph RGW (BZ 2266579): fall back to HEAD
};

/** @brief STS AssumeRole (AssumeRoleResponse/AssumeRoleResult). */
struct AssumeRoleResult
{
    QString accessKeyId;
    QString secretAccessKey;
    QString sessionToken;
    QDateTime expiration; ///< always valid on success
    QString assumedRoleArn;
    QString requestId;
};

/** @brief Parses GET Service. Returns Error() on success. */
Error parseListBuckets(QByteArrayView xml, ListBucketsResult *out);
/** @brief Parses GET Bucket v1 or v2; decodes keys and prefixes when EncodingType is url. */
Error parseListObjects(QByteArrayView xml, ListObjectsResult *out);
/** @brief Parses Initiate Multipart Upload; a missing UploadId is a Kind::Parse error. */
Error parseInitiateMultipart(QByteArrayView xml, InitiateMultipartResult *out);
/** @brief Parses List Parts; decodes the key when EncodingType is url. */
Error parseListParts(QByteArrayView xml, ListPartsResult *out);
/** @brief Parses List Multipart Uploads; decodes keys when EncodingType is url. */
Error parseListMultipartUploads(QByteArrayView xml, ListMultipartUploadsResult *out);

/**
 * @brief Parses the body of a 200 Complete Multipart Upload.
 *
 * COS answers 200 at once, sends whitespace while merging and then either the result or an
 * <Error>; the latter is returned as a Kind::Service error (HTTP status 200; InternalError and
 * ServiceUnavailable are retryable). An empty body is a Kind::Parse error.
 */
Error parseCompleteMultipart(QByteArrayView xml, CompleteMultipartResult *out);

/** @brief What a 200 PUT Object - Copy returns. */
struct CopyObjectResult
{
    QString etag; ///< without quotes
    QDateTime lastModified;
};

/**
 * @brief Parses the body of a 200 PUT Object - Copy.
 *
 * Both COS and S3 may answer 200 and still fail the copy: the body is then an <Error>, returned
 * as a Kind::Service error with HTTP status 200 (InternalError and ServiceUnavailable are
 * retryable; the copy is idempotent). An empty body is a Kind::Parse error.
 */
Error parseCopyObject(QByteArrayView xml, CopyObjectResult *out);

/**
 * @brief Parses an STS AssumeRole response.
 *
 * AccessKeyId, SecretAccessKey, SessionToken and a valid Expiration are required. An STS
 * <ErrorResponse><Error> or S3-style <Error> body gives a Kind::Service error (HTTP status 200:
 * for a non-2xx response use parseErrorResponse()). Error messages never contain credentials.
 */
Error parseAssumeRoleResponse(QByteArrayView xml, AssumeRoleResult *out);

/**
 * @brief Builds the Kind::Service error for a non-2xx response.
 *
 * Reads <Error><Code/><Message/><RequestId/><ServerTime/></Error> (also STS's
 * <ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>). The body's RequestId wins over
 * @p requestIdHeader. An empty body ("HTTP 404 (Not Found) with no error body") or a body that is
 * not an error document (an HTML page from a proxy, say: its first characters are quoted) still
 * gives a Kind::Service error with the status, so retryability follows the status. An empty
 * <Message> (RGW) leaves the message empty when a code is present. @p serverTime, when not null,
 * receives <ServerTime> (invalid when absent).
 */
Error parseErrorResponse(int httpStatus, QByteArrayView body, const QString &requestIdHeader = {},
                         QDateTime *serverTime = nullptr);

/** @brief What a server says it signed, from a SignatureDoesNotMatch error body. */
struct ServerSigningInputs
{
    QString stringToSign; ///< <StringToSign>; empty when the server sent none
    QString canonicalRequest; ///< <CanonicalRequest> (S3); empty when the server sent none
};

/**
 * @brief Reads <StringToSign> and <CanonicalRequest> of an error document (AWS S3 sends them
 * with SignatureDoesNotMatch), so that a client can show them next to its own. Empty fields for
 * any other body.
 */
ServerSigningInputs parseServerSigningInputs(QByteArrayView body);

/**
 * @brief The CompleteMultipartUpload request body: parts sorted by ascending part number (stable,
 * duplicates kept), each ETag written in double quotes (existing quotes are not doubled).
 */
QByteArray buildCompleteMultipartBody(const QList<PartInfo> &parts);

} // namespace Cos
