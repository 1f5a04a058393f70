#include "cos/protocol/requestbuilder.h"

#include "cos/signing/percentencoding.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QXmlStreamWriter>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr qsizetype kMaxMetadataBytes = 2048; // S3 and COS limit for all user metadata
constexpr int kMaxListKeys = 1000;
constexpr int kMaxListBuckets = 2000;

Error invalid(const QString &message)
{
    return Error(Error::Kind::InvalidInput, message);
}

BuildResult failed(const QString &message)
{
    return {{}, invalid(message)};
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

const QByteArray &emptySha256()
{
    static const QByteArray hash = sha256Hex({});
    return hash;
}

// Header values go on the wire as they are: printable ASCII and tabs only, so that nothing can
// inject a line break or be re-encoded by the HTTP stack.
bool isPlainHeaderValue(const QString &value)
{
    return std::all_of(value.begin(), value.end(), [](QChar c) {
        return (c.unicode() >= 0x20 && c.unicode() < 0x7f) || c == u'\t';
    });
}

bool isBase64Md5(const QByteArray &value)
{
    const auto decoded = QByteArray::fromBase64Encoding(value,
                                                        QByteArray::AbortOnBase64DecodingErrors);
    return decoded && decoded.decoded.size() == 16 && value.size() == 24;
}

bool isValidPayloadHash(const QByteArray &hash)
{
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    return hash.isEmpty() || hash == "UNSIGNED-PAYLOAD"_ba
            || hex.match(QString::fromLatin1(hash)).hasMatch();
}

Error checkToken(const QString &what, const QString &value)
{
    static const QRegularExpression re(u"^[A-Za-z0-9_-]{1,64}$"_s);
    if (!value.isEmpty() && !re.match(value).hasMatch())
        return invalid(
                u"%1 \"%2\" is invalid: expected letters, digits, '-' or '_'"_s.arg(what, value));
    return {};
}

Error checkUploadId(const QString &uploadId)
{
    if (uploadId.isEmpty())
        return invalid(u"Upload id is empty"_s);
    if (uploadId.size() > 1024 || !isPlainHeaderValue(uploadId))
        return invalid(u"Upload id is not printable ASCII of at most 1024 characters"_s);
    return {};
}

Error checkCount(const QString &what, int value, int max)
{
    if (value < 0 || value > max)
        return invalid(
                u"%1 %2 is out of range 0..%3 (0 for the server default)"_s.arg(what).arg(value).arg(
                        max));
    return {};
}

void addIf(StringPairs &query, const QString &name, const QString &value)
{
    if (!value.isEmpty())
        query.append({name, value});
}

void addIf(StringPairs &query, const QString &name, int value)
{
    if (value > 0)
        query.append({name, QString::number(value)});
}

void setContentLength(HttpRequest &request, qint64 length)
{
    request.setHeader(u"Content-Length"_s, QString::number(length));
}

void setXmlBody(HttpRequest &request, const QByteArray &xml)
{
    request.body = xml;
    request.setHeader(u"Content-Type"_s, u"application/xml"_s);
    request.setHeader(u"Content-MD5"_s,
                      QString::fromLatin1(
                              QCryptographicHash::hash(xml, QCryptographicHash::Md5).toBase64()));
    setContentLength(request, xml.size());
    if (request.dialect == Dialect::S3)
        request.payloadHash = sha256Hex(xml);
}

} // namespace

// --- HttpRequest ----------------------------------------------------------------------------

QByteArray HttpRequest::hostHeader() const
{
    QByteArray h = host.toLatin1();
    if (host.contains(u':'))
        h = '[' + h + ']';
    if (port != -1)
        h += ':' + QByteArray::number(port);
    return h;
}

QByteArray HttpRequest::encodedQuery() const
{
    QByteArray out;
    for (const auto &[name, value] : query) {
        if (!out.isEmpty())
            out.append('&');
        out += percentEncode(name);
        // "?uploads" rather than "?uploads=": the form every SDK sends; both signers treat a
        // missing value as an empty one.
        if (!value.isEmpty())
            out += '=' + percentEncode(value);
    }
    return out;
}

QByteArray HttpRequest::encodedUrl() const
{
    QByteArray url = scheme.toLatin1() + "://"_ba + hostHeader() + encodedPath;
    const QByteArray q = encodedQuery();
    if (!q.isEmpty())
        url += '?' + q;
    return url;
}

QUrl HttpRequest::url() const
{
    return QUrl::fromEncoded(encodedUrl(), QUrl::StrictMode);
}

QUrl HttpRequest::networkUrl() const
{
    QUrl u = url();
    if (connectHost.isEmpty() || !u.isValid())
        return u;
    u.setHost(connectHost);
    if (connectPort != -1)
        u.setPort(connectPort);
    return u;
}

QString HttpRequest::header(QStringView name) const
{
    for (const auto &[n, v] : headers) {
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

void HttpRequest::setHeader(const QString &name, const QString &value)
{
    headers.removeIf(
            [&name](const auto &h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
    headers.append({name, value});
}

// --- RequestBuilder -------------------------------------------------------------------------

RequestBuilder::RequestBuilder(Endpoint endpoint)
    : m_endpoint(std::move(endpoint))
{ }

QString RequestBuilder::headerPrefix() const
{
    return m_endpoint.dialect == Dialect::Cos ? u"x-cos-"_s : u"x-amz-"_s;
}

namespace {

// The operation's name as the API reference spells it, for logs and the request journal.
BuildResult named(BuildResult b, QLatin1StringView operation)
{
    if (b.ok())
        b.request.operation = operation;
    return b;
}

} // namespace

BuildResult RequestBuilder::base(const QByteArray &method, const QString &bucket,
                                 const QString *objectKey) const
{
    if (Error e = m_endpoint.validate())
        return {{}, e};
    if (Error e = m_endpoint.validateBucket(bucket))
        return {{}, e};
    const QString key = objectKey ? *objectKey : QString();
    if (objectKey) {
        if (Error e = Endpoint::validateKey(key))
            return {{}, e};
    }

    HttpRequest r;
    r.dialect = m_endpoint.dialect;
    r.method = method;
    r.scheme = m_endpoint.scheme;
    r.port = m_endpoint.effectivePort();
    r.connectHost = m_endpoint.connectHost;
    r.connectPort = m_endpoint.connectPort;
    r.region = m_endpoint.region;
    const QString full = m_endpoint.fullBucketName(bucket);
    QString path = u"/"_s + key;
    if (m_endpoint.dialect == Dialect::Cos) {
        r.host = m_endpoint.bucketHost(full);
    } else if (m_endpoint.pathStyle) {
        r.host = m_endpoint.host.toLower();
        path = u'/' + full + (key.isEmpty() ? QString() : u'/' + key);
    } else {
        r.host = full + u'.' + m_endpoint.host.toLower();
    }
    r.path = path;
    r.encodedPath = percentEncode(path, true);
    if (r.dialect == Dialect::S3)
        r.payloadHash = emptySha256();
    if (method == "PUT" || method == "POST" || method == "DELETE")
        setContentLength(r, 0);
    return {r, {}};
}

BuildResult RequestBuilder::listBuckets(const ListBucketsParams &params) const
{
    // GET Service needs no configured region in the COS dialect: check the rest only.
    Endpoint check = m_endpoint;
    if (check.dialect == Dialect::Cos && check.region.isEmpty())
        check.region = u"ap-guangzhou"_s;
    if (Error e = check.validate())
        return {{}, e};
    if (Error e = checkCount(u"max-keys"_s, params.maxKeys, kMaxListBuckets))
        return {{}, e};
    HttpRequest r;
    r.dialect = m_endpoint.dialect;
    r.method = "GET"_ba;
    r.scheme = m_endpoint.scheme;
    r.port = m_endpoint.effectivePort();
    r.connectHost = m_endpoint.connectHost;
    r.connectPort = m_endpoint.connectPort;
    r.region = m_endpoint.region;
    r.path = u"/"_s;
    r.encodedPath = "/"_ba;
    if (m_endpoint.dialect == Dialect::Cos) {
        if (!params.region.isEmpty() && !Endpoint::isValidCosRegion(params.region))
            return failed(u"COS region \"%1\" is invalid: expected an id such as ap-guangzhou"_s.arg(
                    params.region));
        r.host = m_endpoint.serviceHost(params.region);
        if (r.host.isEmpty())
            return failed(u"Service domain \"%1\" gives no valid host for region \"%2\""_s
                                  .arg(m_endpoint.serviceDomain, params.region));
        addIf(r.query, u"marker"_s, params.marker);
        addIf(r.query, u"max-keys"_s, params.maxKeys);
    } else {
        if (!params.region.isEmpty() || !params.marker.isEmpty() || params.maxKeys > 0)
            return failed(u"The S3 dialect lists buckets without region, marker or max-keys"_s);
        r.host = m_endpoint.host.toLower();
        r.payloadHash = emptySha256();
    }
    return named(BuildResult {r, {}}, "ListBuckets"_L1);
}

BuildResult RequestBuilder::putBucket(const QString &bucket, const QString &acl) const
{
    BuildResult b = base("PUT"_ba, bucket, nullptr);
    if (!b.ok())
        return b;
    if (Error e = checkToken(u"ACL"_s, acl))
        return {{}, e};
    if (!acl.isEmpty())
        b.request.setHeader(headerPrefix() + "acl"_L1, acl);
    return named(std::move(b), "PutBucket"_L1);
}

BuildResult RequestBuilder::headBucket(const QString &bucket) const
{
    return named(base("HEAD"_ba, bucket, nullptr), "HeadBucket"_L1);
}

BuildResult RequestBuilder::deleteBucket(const QString &bucket) const
{
    return named(base("DELETE"_ba, bucket, nullptr), "DeleteBucket"_L1);
}

BuildResult RequestBuilder::listObjects(const QString &bucket, const ListObjectsParams &params) const
{
    BuildResult b = base("GET"_ba, bucket, nullptr);
    if (!b.ok())
        return b;
    if (Error e = checkCount(u"max-keys"_s, params.maxKeys, kMaxListKeys))
        return {{}, e};
    StringPairs &q = b.request.query;
    if (params.v2) {
        if (m_endpoint.dialect == Dialect::Cos)
            return failed(u"The COS dialect lists objects with version 1 (marker) only"_s);
        if (!params.marker.isEmpty())
            return failed(u"marker is a list-objects v1 parameter; v2 uses a continuation "
                          "token"_s);
        q.append({u"list-type"_s, u"2"_s});
    } else if (!params.continuationToken.isEmpty() || !params.startAfter.isEmpty()) {
        return failed(u"continuation-token and start-after are list-objects v2 parameters"_s);
    }
    addIf(q, u"prefix"_s, params.prefix);
    addIf(q, u"delimiter"_s, params.delimiter);
    addIf(q, u"marker"_s, params.marker);
    addIf(q, u"continuation-token"_s, params.continuationToken);
    addIf(q, u"start-after"_s, params.startAfter);
    addIf(q, u"max-keys"_s, params.maxKeys);
    if (params.urlEncoding)
        q.append({u"encoding-type"_s, u"url"_s});
    return named(std::move(b), "ListObjects"_L1);
}

namespace {

Error applyGetParams(HttpRequest &r, const GetObjectParams &p)
{
    if (p.rangeFirst >= 0) {
        if (p.rangeLast >= 0 && p.rangeLast < p.rangeFirst)
            return invalid(
                    u"Range %1-%2 ends before it starts"_s.arg(p.rangeFirst).arg(p.rangeLast));
        r.setHeader(u"Range"_s,
                    "bytes="_L1 + QString::number(p.rangeFirst) + u'-'
                            + (p.rangeLast >= 0 ? QString::number(p.rangeLast) : QString()));
    } else if (p.rangeLast >= 0) {
        return invalid(u"Range has a last byte but no first byte"_s);
    }
    if (!isPlainHeaderValue(p.ifMatch) || !isPlainHeaderValue(p.ifNoneMatch))
        return invalid(u"If-Match / If-None-Match must be printable ASCII"_s);
    if (!p.ifMatch.isEmpty())
        r.setHeader(u"If-Match"_s, p.ifMatch);
    if (!p.ifNoneMatch.isEmpty())
        r.setHeader(u"If-None-Match"_s, p.ifNoneMatch);

    static const QStringList overridable = {u"cache-control"_s,    u"content-disposition"_s,
                                            u"content-encoding"_s, u"content-language"_s,
                                            u"content-type"_s,     u"expires"_s};
    for (const auto &[name, value] : p.responseHeaders) {
        QString n = name.toLower();
        if (n.startsWith("response-"_L1))
            n = n.mid(9);
        if (!overridable.contains(n))
            return invalid(u"\"%1\" cannot be overridden in a GET response; allowed: %2"_s
                                   .arg(name, overridable.join(", "_L1)));
        r.query.append({"response-"_L1 + n, value});
    }
    addIf(r.query, u"versionId"_s, p.versionId);
    return {};
}

// HEAD and GET Object take the same parameters.
BuildResult withGetParams(BuildResult b, const GetObjectParams &params)
{
    if (!b.ok())
        return b;
    if (Error e = applyGetParams(b.request, params))
        return {{}, e};
    return b;
}

} // namespace

BuildResult RequestBuilder::headObject(const QString &bucket, const QString &key,
                                       const GetObjectParams &params) const
{
    return named(withGetParams(base("HEAD"_ba, bucket, &key), params), "HeadObject"_L1);
}

BuildResult RequestBuilder::getObject(const QString &bucket, const QString &key,
                                      const GetObjectParams &params) const
{
    return named(withGetParams(base("GET"_ba, bucket, &key), params), "GetObject"_L1);
}

namespace {

Error applyObjectHeaders(HttpRequest &r, const QString &prefix, const PutObjectParams &p)
{
    r.setHeader(u"Content-Type"_s,
                p.contentType.isEmpty() ? u"application/octet-stream"_s : p.contentType);
    if (!isPlainHeaderValue(p.contentType) || !isPlainHeaderValue(p.contentDisposition)
        || !isPlainHeaderValue(p.cacheControl))
        return invalid(u"Content-Type, Content-Disposition and Cache-Control must be printable "
                       "ASCII (encode file names as filename*=UTF-8''...)"_s);
    if (!p.contentDisposition.isEmpty())
        r.setHeader(u"Content-Disposition"_s, p.contentDisposition);
    if (!p.cacheControl.isEmpty())
        r.setHeader(u"Cache-Control"_s, p.cacheControl);
    if (Error e = checkToken(u"ACL"_s, p.acl))
        return e;
    if (!p.acl.isEmpty())
        r.setHeader(prefix + "acl"_L1, p.acl);
    if (Error e = checkToken(u"Storage class"_s, p.storageClass))
        return e;
    if (!p.storageClass.isEmpty())
        r.setHeader(prefix + "storage-class"_L1, p.storageClass);

    static const QRegularExpression metaName(u"^[A-Za-z0-9_.-]+$"_s);
    qsizetype metaBytes = 0;
    for (const auto &[name, value] : p.metadata) {
        if (!metaName.match(name).hasMatch())
            return invalid(u"Metadata name \"%1\" is invalid: use letters, digits, '-', '_' "
                           "and '.'"_s.arg(name));
        if (!isPlainHeaderValue(value))
            return invalid(u"Metadata value of \"%1\" must be printable ASCII"_s.arg(name));
        metaBytes += name.size() + value.size();
        if (metaBytes > kMaxMetadataBytes)
            return invalid(u"User metadata is larger than %1 bytes"_s.arg(kMaxMetadataBytes));
        r.setHeader(prefix + "meta-"_L1 + name.toLower(), value);
    }
    return {};
}

} // namespace

BuildResult RequestBuilder::putObject(const QString &bucket, const QString &key,
                                      const PutObjectParams &params) const
{
    BuildResult b = base("PUT"_ba, bucket, &key);
    if (!b.ok())
        return b;
    if (params.contentLength < 0)
        return failed(u"PUT Object needs the content length (chunked uploads are not "
                      "accepted)"_s);
    if (params.contentLength > MaxSinglePutBytes)
        return failed(u"PUT Object takes at most 5 GiB; use a multipart upload for %1 bytes"_s.arg(
                params.contentLength));
    if (!params.contentMd5.isEmpty() && !isBase64Md5(params.contentMd5))
        return failed(u"Content-MD5 must be the base64 form of a 16-byte MD5"_s);
    if (!isValidPayloadHash(params.payloadHash))
        return failed(u"Payload hash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD"_s);
    HttpRequest &r = b.request;
    setContentLength(r, params.contentLength);
    if (Error e = applyObjectHeaders(r, headerPrefix(), params))
        return {{}, e};
    if (!params.contentMd5.isEmpty())
        r.setHeader(u"Content-MD5"_s, QString::fromLatin1(params.contentMd5));
    if (r.dialect == Dialect::S3)
        r.payloadHash = params.payloadHash;
    return named(std::move(b), "PutObject"_L1);
}

BuildResult RequestBuilder::copyObject(const QString &bucket, const QString &key,
                                       const QString &sourceBucket, const QString &sourceKey) const
{
    BuildResult b = base("PUT"_ba, bucket, &key);
    if (!b.ok())
        return b;
    if (Error e = m_endpoint.validateBucket(sourceBucket))
        return {{}, e};
    if (Error e = Endpoint::validateKey(sourceKey))
        return {{}, e};
    const QString fullSource = m_endpoint.fullBucketName(sourceBucket);
    const QString encodedKey = QString::fromLatin1(percentEncode(sourceKey, true));
    const QString source = (b.request.dialect == Dialect::Cos ? m_endpoint.bucketHost(fullSource)
                                                              : u'/' + fullSource)
            + u'/' + encodedKey;
    b.request.setHeader(headerPrefix() + "copy-source"_L1, source);
    return named(std::move(b), "PutObjectCopy"_L1);
}

BuildResult RequestBuilder::deleteObject(const QString &bucket, const QString &key,
                                         const QString &versionId) const
{
    BuildResult b = base("DELETE"_ba, bucket, &key);
    if (b.ok())
        addIf(b.request.query, u"versionId"_s, versionId);
    return named(std::move(b), "DeleteObject"_L1);
}

BuildResult RequestBuilder::deleteObjects(const QString &bucket, const QStringList &keys,
                                          bool quiet) const
{
    BuildResult b = base("POST"_ba, bucket, nullptr);
    if (!b.ok())
        return b;
    if (keys.isEmpty())
        return failed(u"Delete multiple objects needs at least one key"_s);
    if (keys.size() > MaxDeleteKeys)
        return failed(u"Delete multiple objects takes at most %1 keys, not %2"_s.arg(MaxDeleteKeys)
                              .arg(keys.size()));
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.writeStartDocument();
    w.writeStartElement(u"Delete"_s);
    w.writeTextElement(u"Quiet"_s, quiet ? u"true"_s : u"false"_s);
    for (const QString &key : keys) {
        if (Error e = Endpoint::validateKey(key, false))
            return {{}, e};
        w.writeStartElement(u"Object"_s);
        w.writeTextElement(u"Key"_s, key);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    b.request.query.append({u"delete"_s, QString()});
    setXmlBody(b.request, xml);
    return named(std::move(b), "DeleteObjects"_L1);
}

BuildResult RequestBuilder::initiateMultipartUpload(const QString &bucket, const QString &key,
                                                    const PutObjectParams &params) const
{
    BuildResult b = base("POST"_ba, bucket, &key);
    if (!b.ok())
        return b;
    b.request.query.append({u"uploads"_s, QString()});
    // Without a Content-Type Qt would send application/x-www-form-urlencoded on this POST, and
    // the server would store that as the object's type.
    if (Error e = applyObjectHeaders(b.request, headerPrefix(), params))
        return {{}, e};
    return named(std::move(b), "InitiateMultipartUpload"_L1);
}

BuildResult RequestBuilder::uploadPart(const QString &bucket, const QString &key,
                                       const QString &uploadId, int partNumber,
                                       qint64 contentLength, const QByteArray &contentMd5,
                                       const QByteArray &payloadHash) const
{
    BuildResult b = base("PUT"_ba, bucket, &key);
    if (!b.ok())
        return b;
    if (Error e = checkUploadId(uploadId))
        return {{}, e};
    if (partNumber < 1 || partNumber > MaxPartNumber)
        return failed(u"Part number %1 is out of range 1..%2"_s.arg(partNumber).arg(MaxPartNumber));
    if (contentLength < 0 || contentLength > MaxSinglePutBytes)
        return failed(u"Part size %1 is out of range 0..5 GiB"_s.arg(contentLength));
    if (!contentMd5.isEmpty() && !isBase64Md5(contentMd5))
        return failed(u"Content-MD5 must be the base64 form of a 16-byte MD5"_s);
    if (!isValidPayloadHash(payloadHash))
        return failed(u"Payload hash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD"_s);
    HttpRequest &r = b.request;
    r.query.append({u"partNumber"_s, QString::number(partNumber)});
    r.query.append({u"uploadId"_s, uploadId});
    setContentLength(r, contentLength);
    if (!contentMd5.isEmpty())
        r.setHeader(u"Content-MD5"_s, QString::fromLatin1(contentMd5));
    if (r.dialect == Dialect::S3)
        r.payloadHash = payloadHash;
    return named(std::move(b), "UploadPart"_L1);
}

BuildResult RequestBuilder::listParts(const QString &bucket, const QString &key,
                                      const QString &uploadId, const ListPartsParams &params) const
{
    BuildResult b = base("GET"_ba, bucket, &key);
    if (!b.ok())
        return b;
    if (Error e = checkUploadId(uploadId))
        return {{}, e};
    if (Error e = checkCount(u"max-parts"_s, params.maxParts, kMaxListKeys))
        return {{}, e};
    if (Error e = checkCount(u"part-number-marker"_s, params.partNumberMarker, MaxPartNumber))
        return {{}, e};
    StringPairs &q = b.request.query;
    q.append({u"uploadId"_s, uploadId});
    addIf(q, u"max-parts"_s, params.maxParts);
    addIf(q, u"part-number-marker"_s, params.partNumberMarker);
    if (params.urlEncoding)
        q.append({u"encoding-type"_s, u"url"_s});
    return named(std::move(b), "ListParts"_L1);
}

BuildResult RequestBuilder::completeMultipartUpload(const QString &bucket, const QString &key,
                                                    const QString &uploadId,
                                                    QList<CompletedPart> parts) const
{
    BuildResult b = base("POST"_ba, bucket, &key);
    if (!b.ok())
        return b;
    if (Error e = checkUploadId(uploadId))
        return {{}, e};
    if (parts.isEmpty())
        return failed(u"Complete multipart upload needs at least one part"_s);
    if (parts.size() > MaxPartNumber)
        return failed(u"A multipart upload has at most %1 parts"_s.arg(MaxPartNumber));
    std::stable_sort(parts.begin(), parts.end(),
                     [](const auto &a, const auto &b) { return a.partNumber < b.partNumber; });
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.writeStartDocument();
    w.writeStartElement(u"CompleteMultipartUpload"_s);
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const CompletedPart &p = parts.at(i);
        if (p.partNumber < 1 || p.partNumber > MaxPartNumber)
            return failed(
                    u"Part number %1 is out of range 1..%2"_s.arg(p.partNumber).arg(MaxPartNumber));
        if (i > 0 && parts.at(i - 1).partNumber == p.partNumber)
            return failed(u"Part number %1 is listed twice"_s.arg(p.partNumber));
        if (p.etag.isEmpty() || !isPlainHeaderValue(p.etag))
            return failed(u"Part %1 has no valid ETag"_s.arg(p.partNumber));
        w.writeStartElement(u"Part"_s);
        w.writeTextElement(u"PartNumber"_s, QString::number(p.partNumber));
        w.writeTextElement(u"ETag"_s, p.etag);
        w.writeEndElement();
    }
    w.writeEndElement();
    w.writeEndDocument();
    b.request.query.append({u"uploadId"_s, uploadId});
    setXmlBody(b.request, xml);
    return named(std::move(b), "CompleteMultipartUpload"_L1);
}

BuildResult RequestBuilder::abortMultipartUpload(const QString &bucket, const QString &key,
                                                 const QString &uploadId) const
{
    BuildResult b = base("DELETE"_ba, bucket, &key);
    if (!b.ok())
        return b;
    if (Error e = checkUploadId(uploadId))
        return {{}, e};
    b.request.query.append({u"uploadId"_s, uploadId});
    return named(std::move(b), "AbortMultipartUpload"_L1);
}

BuildResult RequestBuilder::listMultipartUploads(const QString &bucket,
                                                 const ListUploadsParams &params) const
{
    BuildResult b = base("GET"_ba, bucket, nullptr);
    if (!b.ok())
        return b;
    if (Error e = checkCount(u"max-uploads"_s, params.maxUploads, kMaxListKeys))
        return {{}, e};
    StringPairs &q = b.request.query;
    q.append({u"uploads"_s, QString()});
    addIf(q, u"prefix"_s, params.prefix);
    addIf(q, u"delimiter"_s, params.delimiter);
    addIf(q, u"key-marker"_s, params.keyMarker);
    addIf(q, u"upload-id-marker"_s, params.uploadIdMarker);
    addIf(q, u"max-uploads"_s, params.maxUploads);
    if (params.urlEncoding)
        q.append({u"encoding-type"_s, u"url"_s});
    return named(std::move(b), "ListMultipartUploads"_L1);
}

} // namespace Cos
