#include "cos/protocol/xmlparsers.h"

#include "cos/protocol/etag.h"
#include "cos/protocol/httpdate.h"
#include "cos/signing/percentencoding.h"

#include <QStringDecoder>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

// QXmlStreamReader before Qt 6.5.3 mis-handles names longer than its 4096-character scan buffer
// (CVE-2023-37369: QXmlStreamReader::name() then has a negative size). No S3 body has a name or
// token that long, so runs of name characters above this limit are refused before parsing.
constexpr qsizetype MaxNameRun = 4000;
// How much of a value or a foreign body an error message quotes.
constexpr qsizetype MaxQuoted = 40;
constexpr qsizetype MaxQuotedBody = 200;

bool isNameByte(char c)
{
    const auto u = static_cast<uchar>(c);
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_'
            || u == ':' || u == '.' || u == '-' || u >= 0x80;
}

bool isXmlSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// For error messages: a short, printable excerpt in quotes.
QString quoted(QStringView value, qsizetype max = MaxQuoted)
{
    QString s = value.left(max).toString();
    for (QChar &c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    }
    if (value.size() > max)
        s += u"..."_s;
    return u'\'' + s + u'\'';
}

// An element name for a message, cut to MaxQuoted characters.
QString shortName(const QString &name)
{
    return name.size() > MaxQuoted ? name.left(MaxQuoted) + u"..."_s : name;
}

// Strict percent-decoding into UTF-8; '+' stays '+' (COS's SDKs use plain unquote()).
bool percentDecode(const QString &in, QString *out)
{
    const QByteArray utf8 = in.toUtf8();
    QByteArray bytes;
    bytes.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        if (utf8.at(i) != '%') {
            bytes.append(utf8.at(i));
            continue;
        }
        if (i + 2 >= utf8.size())
            return false;
        const int hi = hexDigitValue(utf8.at(i + 1));
        const int lo = hexDigitValue(utf8.at(i + 2));
        if (hi < 0 || lo < 0)
            return false;
        bytes.append(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *out = decoder.decode(bytes);
    return !decoder.hasError();
}

/*
 * A bounded cursor over QXmlStreamReader. It tracks the element path itself so that depth is
 * capped and every error message can say where it happened. Usage:
 *     const int d = c.depth();
 *     while (c.nextChild(d)) { if (c.is("Key"_L1)) key = c.text(); else c.skip(); }
 *     if (c.failed()) return c.error();
 * nextChild() skips whatever the caller did not consume of the previous child.
 */
class Cursor
{
public:
    Cursor(QLatin1StringView what, QByteArrayView xml, bool sensitive = false)
        : m_what(what)
        , m_raw(xml)
        , m_sensitive(sensitive)
    { }

    Q_DISABLE_COPY_MOVE(Cursor)

    // Checks the raw bytes, then reads up to the root element.
    bool open();
    [[nodiscard]] bool is(QLatin1StringView name) const
    {
        return !m_path.isEmpty() && m_path.constLast() == name;
    }
    [[nodiscard]] QString name() const { return m_path.isEmpty() ? QString() : m_path.constLast(); }
    [[nodiscard]] int depth() const { return int(m_path.size()); }
    bool nextChild(int parentDepth);
    QString text();
    void skip()
    {
        const int d = depth();
        while (nextChild(d)) { }
    }
    [[nodiscard]] bool failed() const { return m_error.isError(); }
    [[nodiscard]] const Error &error() const { return m_error; }
    void fail(const QString &message);
    // Counts one list entry against MaxXmlItems.
    bool countItem();

    // Typed leaf readers; each reads the current element's text.
    bool readBool(bool *out);
    bool readInt64(qint64 *out);
    bool readInt(int *out);
    bool readTime(QDateTime *out);
    QString readEtag() { return Etag::unquoted(text()); }

private:
    bool readToken();

    QLatin1StringView m_what;
    QByteArrayView m_raw;
    bool m_sensitive;
    QByteArray m_data;
    QXmlStreamReader m_reader;
    QStringList m_path;
    Error m_error;
    int m_items = 0;
};

void Cursor::fail(const QString &message)
{
    if (m_error.isError())
        return;
    QString where;
    if (m_reader.lineNumber() > 0 || m_reader.columnNumber() > 0) {
        where = u" at line "_s + QString::number(m_reader.lineNumber()) + u", column "_s
                + QString::number(m_reader.columnNumber());
    }
    if (!m_path.isEmpty()) {
        // Names can be up to MaxNameRun long and MaxXmlDepth deep: keep the message short.
        QStringList names;
        for (const QString &n : std::as_const(m_path))
            names.append(shortName(n));
        if (names.size() > 6)
            names = names.first(3) + QStringList {u"..."_s} + names.last(2);
        where += u" (in "_s + names.join(u'/') + u')';
    }
    m_error = Error(Error::Kind::Parse, m_what + u": "_s + message + where);
}

bool Cursor::open()
{
    if (m_raw.size() > MaxXmlInputSize) {
        fail(u"body is %1 bytes, more than the limit of %2"_s.arg(m_raw.size()).arg(MaxXmlInputSize));
        return false;
    }
    qsizetype start = 0;
    while (start < m_raw.size() && isXmlSpace(m_raw.at(start)))
        ++start;
    const QByteArrayView body = m_raw.sliced(start);
    if (body.isEmpty()) {
        fail(m_raw.isEmpty() ? u"empty body"_s : u"body holds only whitespace"_s);
        return false;
    }
    if (body.contains('\0')) {
        fail(u"body contains a NUL byte (not UTF-8 XML)"_s);
        return false;
    }
    if (body.contains("<!DOCTYPE"_ba) || body.contains("<!ENTITY"_ba)) {
        fail(u"DTDs and entity declarations are not accepted"_s);
        return false;
    }
    qsizetype run = 0;
    for (const char c : body) {
        run = isNameByte(c) ? run + 1 : 0;
        if (run > MaxNameRun) {
            fail(u"a name or token is longer than %1 characters"_s.arg(MaxNameRun));
            return false;
        }
    }
    m_data = QByteArray::fromRawData(body.data(), body.size());
    m_reader.addData(m_data);
    // Belt and braces: no DTD gets through the checks above, and nothing may expand anyway.
    m_reader.setEntityExpansionLimit(0);
    while (readToken()) {
        switch (m_reader.tokenType()) {
        case QXmlStreamReader::StartDocument: {
            const QStringView enc = m_reader.documentEncoding();
            if (!enc.isEmpty() && enc.compare(u"UTF-8"_s, Qt::CaseInsensitive) != 0
                && enc.compare(u"UTF8"_s, Qt::CaseInsensitive) != 0) {
                fail(u"encoding %1 is not accepted (UTF-8 only)"_s.arg(quoted(enc)));
                return false;
            }
            break;
        }
        case QXmlStreamReader::StartElement:
            m_path.append(m_reader.name().toString());
            return true;
        case QXmlStreamReader::Characters:
            if (!m_reader.isWhitespace()) {
                fail(u"text before the root element"_s);
                return false;
            }
            break;
        default:
            break;
        }
    }
    return false;
}

// Reads one token; false (with the error set) on an XML error, a DTD or the end of the document.
bool Cursor::readToken()
{
    if (failed())
        return false;
    const auto type = m_reader.readNext();
    switch (type) {
    case QXmlStreamReader::Invalid:
        if (m_reader.error() == QXmlStreamReader::PrematureEndOfDocumentError) {
            fail(m_path.isEmpty() ? u"no root element"_s : u"document is truncated"_s);
        } else if (m_sensitive) {
            fail(u"not well-formed XML"_s);
        } else {
            fail(u"not well-formed XML (%1)"_s.arg(m_reader.errorString().left(120)));
        }
        return false;
    case QXmlStreamReader::DTD:
    case QXmlStreamReader::EntityReference:
        fail(u"DTDs and entity declarations are not accepted"_s);
        return false;
    case QXmlStreamReader::EndDocument:
        fail(m_path.isEmpty() ? u"no root element"_s : u"document is truncated"_s);
        return false;
    default:
        return true;
    }
}

bool Cursor::nextChild(int parentDepth)
{
    while (depth() >= parentDepth && readToken()) {
        switch (m_reader.tokenType()) {
        case QXmlStreamReader::StartElement:
            if (depth() >= MaxXmlDepth) {
                fail(u"elements are nested deeper than %1 levels"_s.arg(MaxXmlDepth));
                return false;
            }
            m_path.append(m_reader.name().toString());
            if (depth() == parentDepth + 1)
                return true;
            break;
        case QXmlStreamReader::EndElement:
            m_path.removeLast();
            if (depth() < parentDepth)
                return false;
            break;
        default:
            break;
        }
    }
    return false;
}

QString Cursor::text()
{
    QString result;
    const int d = depth();
    while (readToken()) {
        switch (m_reader.tokenType()) {
        case QXmlStreamReader::Characters:
            result += m_reader.text();
            break;
        case QXmlStreamReader::StartElement:
            if (depth() < MaxXmlDepth)
                m_path.append(m_reader.name().toString());
            fail(u"unexpected child element in a text element"_s);
            return {};
        case QXmlStreamReader::EndElement:
            m_path.removeLast();
            Q_ASSERT(depth() == d - 1);
            return result;
        default:
            break;
        }
    }
    return {};
}

bool Cursor::countItem()
{
    if (++m_items > MaxXmlItems) {
        fail(u"more than %1 list entries"_s.arg(MaxXmlItems));
        return false;
    }
    return true;
}

bool Cursor::readBool(bool *out)
{
    const QString t = text().trimmed();
    if (failed())
        return false;
    if (t.isEmpty() || t.compare("false"_L1, Qt::CaseInsensitive) == 0) {
        *out = false;
    } else if (t.compare("true"_L1, Qt::CaseInsensitive) == 0) {
        *out = true;
    } else {
        fail(u"%1 is not a boolean"_s.arg(quoted(t)));
        return false;
    }
    return true;
}

bool Cursor::readInt64(qint64 *out)
{
    const QString t = text().trimmed();
    if (failed())
        return false;
    if (t.isEmpty()) {
        *out = 0;
        return true;
    }
    bool ok = false;
    const qint64 v = t.toLongLong(&ok);
    if (!ok || v < 0 || !t.at(0).isDigit()) {
        fail(u"%1 is not a non-negative integer"_s.arg(quoted(t)));
        return false;
    }
    *out = v;
    return true;
}

bool Cursor::readInt(int *out)
{
    qint64 v = 0;
    if (!readInt64(&v))
        return false;
    if (v > std::numeric_limits<int>::max()) {
        fail(u"%1 is out of range"_s.arg(v));
        return false;
    }
    *out = int(v);
    return true;
}

bool Cursor::readTime(QDateTime *out)
{
    const QString t = text().trimmed();
    if (failed())
        return false;
    if (t.isEmpty()) {
        *out = {};
        return true;
    }
    *out = parseTimestamp(t);
    if (!out->isValid()) {
        fail(u"%1 is not an ISO 8601 or RFC 1123 time"_s.arg(quoted(t)));
        return false;
    }
    return true;
}

QString statusText(int httpStatus)
{
    const char *reason = nullptr;
    switch (httpStatus) {
    case 400:
        reason = "Bad Request";
        break;
    case 401:
        reason = "Unauthorized";
        break;
    case 403:
        reason = "Forbidden";
        break;
    case 404:
        reason = "Not Found";
        break;
    case 405:
        reason = "Method Not Allowed";
        break;
    case 409:
        reason = "Conflict";
        break;
    case 411:
        reason = "Length Required";
        break;
    case 412:
        reason = "Precondition Failed";
        break;
    case 416:
        reason = "Range Not Satisfiable";
        break;
    case 500:
        reason = "Internal Server Error";
        break;
    case 501:
        reason = "Not Implemented";
        break;
    case 502:
        reason = "Bad Gateway";
        break;
    case 503:
        reason = "Service Unavailable";
        break;
    case 504:
        reason = "Gateway Timeout";
        break;
    default:
        break;
    }
    QString s = u"HTTP "_s + QString::number(httpStatus);
    if (reason)
        s += u" ("_s + QLatin1StringView(reason) + u')';
    return s;
}

struct ErrorFields
{
    QString code;
    QString message;
    QString requestId;
    QString serverTime;
    QString stringToSign; ///< S3/RGW SignatureDoesNotMatch: what the server signed
    QString canonicalRequest;
};

// Reads the children of <Error> (S3, COS) into f; the cursor is on <Error>.
void readErrorFields(Cursor &c, ErrorFields *f)
{
    const int d = c.depth();
    while (c.nextChild(d)) {
        if (c.is("Code"_L1))
            f->code = c.text().trimmed();
        else if (c.is("Message"_L1))
            f->message = c.text().trimmed();
        else if (c.is("RequestId"_L1))
            f->requestId = c.text().trimmed();
        else if (c.is("ServerTime"_L1))
            f->serverTime = c.text().trimmed();
        else if (c.is("StringToSign"_L1))
            f->stringToSign = c.text();
        else if (c.is("CanonicalRequest"_L1))
            f->canonicalRequest = c.text();
        else
            c.skip();
    }
}

// Reads a whole <Error> or <ErrorResponse> document; the cursor is on the root. Returns true if
// the root is one of the two.
bool readErrorDocument(Cursor &c, ErrorFields *f)
{
    if (c.is("Error"_L1)) {
        readErrorFields(c, f);
        return true;
    }
    if (!c.is("ErrorResponse"_L1))
        return false;
    const int d = c.depth();
    while (c.nextChild(d)) {
        if (c.is("Error"_L1)) {
            readErrorFields(c, f);
        } else if (c.is("RequestId"_L1)) {
            const QString id = c.text().trimmed();
            if (f->requestId.isEmpty())
                f->requestId = id;
        } else {
            c.skip();
        }
    }
    return true;
}

// A 2xx body that turned out to be an error document.
Error serviceErrorIn200(const ErrorFields &f)
{
    const QString message = f.message.isEmpty() && f.code.isEmpty()
            ? u"the server returned an error document with HTTP 200"_s
            : f.message;
    Error e = Error::service(200, f.code, message, f.requestId);
    if (f.code == "InternalError"_L1 || f.code == "ServiceUnavailable"_L1)
        e.setRetryable(true);
    return e;
}

// Opens the document and checks its root. Returns an error if not OK; the cursor is then on the
// expected root.
Error openRoot(Cursor &c, QLatin1StringView root)
{
    if (!c.open())
        return c.error();
    if (c.is(root))
        return {};
    ErrorFields f;
    if (readErrorDocument(c, &f)) {
        if (c.failed())
            return c.error();
        return serviceErrorIn200(f);
    }
    c.fail(u"the root element is <%1>, expected <%2>"_s.arg(shortName(c.name()), root));
    return c.error();
}

// <EncodingType>url</EncodingType>: the keys, prefixes and markers of the answer are
// percent-encoded and need decodeInto().
bool isUrlEncoding(const QString &encodingType)
{
    return encodingType.compare("url"_L1, Qt::CaseInsensitive) == 0;
}

bool decodeInto(Cursor &c, QLatin1StringView what, QString *value)
{
    QString decoded;
    if (!percentDecode(*value, &decoded)) {
        c.fail(u"%1 %2 is not valid URL-encoded UTF-8"_s.arg(what, quoted(*value)));
        return false;
    }
    *value = decoded;
    return true;
}

} // namespace

Error parseListBuckets(QByteArrayView xml, ListBucketsResult *out)
{
    *out = {};
    Cursor c("ListBuckets response"_L1, xml);
    if (Error e = openRoot(c, "ListAllMyBucketsResult"_L1))
        return e;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("Owner"_L1)) {
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("ID"_L1))
                    out->ownerId = c.text().trimmed();
                else if (c.is("DisplayName"_L1))
                    out->ownerName = c.text().trimmed();
                else
                    c.skip();
            }
        } else if (c.is("Buckets"_L1)) {
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (!c.is("Bucket"_L1)) {
                    c.skip();
                    continue;
                }
                if (!c.countItem())
                    break;
                BucketInfo b;
                const int bd = c.depth();
                while (c.nextChild(bd)) {
                    if (c.is("Name"_L1))
                        b.name = c.text().trimmed();
                    else if (c.is("Location"_L1))
                        b.location = c.text().trimmed();
                    else if (c.is("CreationDate"_L1))
                        c.readTime(&b.creationDate);
                    else
                        c.skip();
                }
                if (!c.failed() && b.name.isEmpty())
                    c.fail(u"a <Bucket> has no <Name>"_s);
                out->buckets.append(b);
            }
        } else if (c.is("IsTruncated"_L1)) {
            c.readBool(&out->isTruncated);
        } else if (c.is("NextMarker"_L1)) {
            out->nextMarker = c.text();
        } else {
            c.skip();
        }
    }
    return c.error();
}

Error parseListObjects(QByteArrayView xml, ListObjectsResult *out)
{
    *out = {};
    Cursor c("ListObjects response"_L1, xml);
    if (Error e = openRoot(c, "ListBucketResult"_L1))
        return e;
    QString startAfter;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("Contents"_L1)) {
            if (!c.countItem())
                break;
            ObjectInfo o;
            bool hasKey = false;
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("Key"_L1)) {
                    // Keys are taken verbatim: spaces at either end are part of the key.
                    o.key = c.text();
                    hasKey = true;
                } else if (c.is("LastModified"_L1)) {
                    c.readTime(&o.lastModified);
                } else if (c.is("ETag"_L1)) {
                    o.etag = c.readEtag();
                } else if (c.is("Size"_L1)) {
                    c.readInt64(&o.size);
                } else if (c.is("StorageClass"_L1)) {
                    o.storageClass = c.text().trimmed();
                } else {
                    c.skip();
                }
            }
            if (!c.failed() && !hasKey)
                c.fail(u"a <Contents> has no <Key>"_s);
            out->objects.append(o);
        } else if (c.is("CommonPrefixes"_L1)) {
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("Prefix"_L1) && c.countItem())
                    out->commonPrefixes.append(c.text());
                else
                    c.skip();
            }
        } else if (c.is("Name"_L1)) {
            out->bucket = c.text().trimmed();
        } else if (c.is("Prefix"_L1)) {
            out->prefix = c.text();
        } else if (c.is("Delimiter"_L1)) {
            out->delimiter = c.text();
        } else if (c.is("Marker"_L1)) {
            out->marker = c.text();
        } else if (c.is("NextMarker"_L1)) {
            out->nextMarker = c.text();
        } else if (c.is("StartAfter"_L1)) {
            startAfter = c.text();
        } else if (c.is("ContinuationToken"_L1)) {
            out->continuationToken = c.text();
        } else if (c.is("NextContinuationToken"_L1)) {
            out->nextContinuationToken = c.text();
        } else if (c.is("MaxKeys"_L1)) {
            c.readInt(&out->maxKeys);
        } else if (c.is("IsTruncated"_L1)) {
            c.readBool(&out->isTruncated);
        } else if (c.is("EncodingType"_L1)) {
            out->encodingType = c.text().trimmed();
        } else {
            c.skip();
        }
    }
    if (c.failed())
        return c.error();

    // The order of elements is not fixed (v2 puts EncodingType last), so decode at the end.
    if (isUrlEncoding(out->encodingType)) {
        const bool ok = decodeInto(c, "Prefix"_L1, &out->prefix)
                && decodeInto(c, "Delimiter"_L1, &out->delimiter)
                && decodeInto(c, "Marker"_L1, &out->marker)
                && decodeInto(c, "NextMarker"_L1, &out->nextMarker)
                && decodeInto(c, "StartAfter"_L1, &startAfter);
        for (qsizetype i = 0; ok && i < out->objects.size(); ++i) {
            if (!decodeInto(c, "Key"_L1, &out->objects[i].key))
                return c.error();
        }
        for (qsizetype i = 0; ok && i < out->commonPrefixes.size(); ++i) {
            if (!decodeInto(c, "CommonPrefixes/Prefix"_L1, &out->commonPrefixes[i]))
                return c.error();
        }
        if (!ok)
            return c.error();
    }

    if (out->isTruncated && out->nextMarker.isEmpty() && out->nextContinuationToken.isEmpty()
        && out->continuationToken.isEmpty()) {
        QString last = out->objects.isEmpty() ? QString() : out->objects.constLast().key;
        if (!out->commonPrefixes.isEmpty() && out->commonPrefixes.constLast() > last)
            last = out->commonPrefixes.constLast();
        out->nextMarker = last;
    }
    return {};
}

Error parseInitiateMultipart(QByteArrayView xml, InitiateMultipartResult *out)
{
    *out = {};
    Cursor c("InitiateMultipartUpload response"_L1, xml);
    if (Error e = openRoot(c, "InitiateMultipartUploadResult"_L1))
        return e;
    QString encodingType;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("Bucket"_L1))
            out->bucket = c.text().trimmed();
        else if (c.is("Key"_L1))
            out->key = c.text();
        else if (c.is("UploadId"_L1))
            out->uploadId = c.text().trimmed();
        else if (c.is("EncodingType"_L1))
            encodingType = c.text().trimmed();
        else
            c.skip();
    }
    if (c.failed())
        return c.error();
    if (isUrlEncoding(encodingType) && !decodeInto(c, "Key"_L1, &out->key))
        return c.error();
    if (out->uploadId.isEmpty()) {
        c.fail(u"no <UploadId>"_s);
        return c.error();
    }
    return {};
}

Error parseListParts(QByteArrayView xml, ListPartsResult *out)
{
    *out = {};
    Cursor c("ListParts response"_L1, xml);
    if (Error e = openRoot(c, "ListPartsResult"_L1))
        return e;
    QString encodingType;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("Part"_L1)) {
            if (!c.countItem())
                break;
            PartInfo p;
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("PartNumber"_L1))
                    c.readInt(&p.partNumber);
                else if (c.is("ETag"_L1))
                    p.etag = c.readEtag();
                else if (c.is("Size"_L1))
                    c.readInt64(&p.size);
                else if (c.is("LastModified"_L1))
                    c.readTime(&p.lastModified);
                else
                    c.skip();
            }
            if (!c.failed() && p.partNumber <= 0)
                c.fail(u"a <Part> has no valid <PartNumber>"_s);
            out->parts.append(p);
        } else if (c.is("Bucket"_L1)) {
            out->bucket = c.text().trimmed();
        } else if (c.is("Key"_L1)) {
            out->key = c.text();
        } else if (c.is("UploadId"_L1)) {
            out->uploadId = c.text().trimmed();
        } else if (c.is("NextPartNumberMarker"_L1)) {
            c.readInt(&out->nextPartNumberMarker);
        } else if (c.is("IsTruncated"_L1)) {
            c.readBool(&out->isTruncated);
        } else if (c.is("EncodingType"_L1)) {
            encodingType = c.text().trimmed();
        } else {
            c.skip();
        }
    }
    if (c.failed())
        return c.error();
    if (isUrlEncoding(encodingType) && !decodeInto(c, "Key"_L1, &out->key))
        return c.error();
    return {};
}

Error parseListMultipartUploads(QByteArrayView xml, ListMultipartUploadsResult *out)
{
    *out = {};
    Cursor c("ListMultipartUploads response"_L1, xml);
    if (Error e = openRoot(c, "ListMultipartUploadsResult"_L1))
        return e;
    QString encodingType;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("Upload"_L1)) {
            if (!c.countItem())
                break;
            MultipartUploadInfo u;
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("Key"_L1))
                    u.key = c.text();
                else if (c.is("UploadId"_L1))
                    u.uploadId = c.text().trimmed();
                else if (c.is("Initiated"_L1))
                    c.readTime(&u.initiated);
                else
                    c.skip();
            }
            if (!c.failed() && u.uploadId.isEmpty())
                c.fail(u"an <Upload> has no <UploadId>"_s);
            out->uploads.append(u);
        } else if (c.is("Bucket"_L1)) {
            out->bucket = c.text().trimmed();
        } else if (c.is("NextKeyMarker"_L1)) {
            out->nextKeyMarker = c.text();
        } else if (c.is("NextUploadIdMarker"_L1)) {
            out->nextUploadIdMarker = c.text().trimmed();
        } else if (c.is("IsTruncated"_L1)) {
            c.readBool(&out->isTruncated);
        } else if (c.is("EncodingType"_L1)) {
            encodingType = c.text().trimmed();
        } else {
            c.skip();
        }
    }
    if (c.failed())
        return c.error();
    if (isUrlEncoding(encodingType)) {
        if (!decodeInto(c, "NextKeyMarker"_L1, &out->nextKeyMarker))
            return c.error();
        for (MultipartUploadInfo &u : out->uploads) {
            if (!decodeInto(c, "Key"_L1, &u.key))
                return c.error();
        }
    }
    return {};
}

Error parseCompleteMultipart(QByteArrayView xml, CompleteMultipartResult *out)
{
    *out = {};
    Cursor c("CompleteMultipartUpload response"_L1, xml);
    if (Error e = openRoot(c, "CompleteMultipartUploadResult"_L1))
        return e;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("Location"_L1))
            out->location = c.text().trimmed();
        else if (c.is("Bucket"_L1))
            out->bucket = c.text().trimmed();
        else if (c.is("Key"_L1))
            out->key = c.text();
        else if (c.is("ETag"_L1))
            out->etag = c.readEtag();
        else
            c.skip();
    }
    return c.error();
}

Error parseCopyObject(QByteArrayView xml, CopyObjectResult *out)
{
    *out = {};
    Cursor c("PUT Object - Copy response"_L1, xml);
    if (Error e = openRoot(c, "CopyObjectResult"_L1))
        return e;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("ETag"_L1))
            out->etag = c.readEtag();
        else if (c.is("LastModified"_L1))
            c.readTime(&out->lastModified);
        else
            c.skip();
    }
    return c.error();
}

Error parseAssumeRoleResponse(QByteArrayView xml, AssumeRoleResult *out)
{
    *out = {};
    Cursor c("AssumeRole response"_L1, xml, /*sensitive=*/true);
    if (Error e = openRoot(c, "AssumeRoleResponse"_L1))
        return e;
    const int root = c.depth();
    while (c.nextChild(root)) {
        if (c.is("AssumeRoleResult"_L1)) {
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("Credentials"_L1)) {
                    const int cd = c.depth();
                    while (c.nextChild(cd)) {
                        if (c.is("AccessKeyId"_L1))
                            out->accessKeyId = c.text().trimmed();
                        else if (c.is("SecretAccessKey"_L1))
                            out->secretAccessKey = c.text().trimmed();
                        else if (c.is("SessionToken"_L1))
                            out->sessionToken = c.text().trimmed();
                        else if (c.is("Expiration"_L1))
                            c.readTime(&out->expiration);
                        else
                            c.skip();
                    }
                } else if (c.is("AssumedRoleUser"_L1)) {
                    const int ud = c.depth();
                    while (c.nextChild(ud)) {
                        if (c.is("Arn"_L1))
                            out->assumedRoleArn = c.text().trimmed();
                        else
                            c.skip();
                    }
                } else {
                    c.skip();
                }
            }
        } else if (c.is("ResponseMetadata"_L1)) {
            const int d = c.depth();
            while (c.nextChild(d)) {
                if (c.is("RequestId"_L1))
                    out->requestId = c.text().trimmed();
                else
                    c.skip();
            }
        } else {
            c.skip();
        }
    }
    if (c.failed())
        return c.error();
    const QLatin1StringView missing = out->accessKeyId.isEmpty() ? "AccessKeyId"_L1
            : out->secretAccessKey.isEmpty()                     ? "SecretAccessKey"_L1
            : out->sessionToken.isEmpty()                        ? "SessionToken"_L1
            : !out->expiration.isValid()                         ? "Expiration"_L1
                                                                 : QLatin1StringView();
    if (!missing.isEmpty())
        return Error(Error::Kind::Parse,
                     u"AssumeRole response: no <%1> in <Credentials>"_s.arg(missing));
    return {};
}

Error parseErrorResponse(int httpStatus, QByteArrayView body, const QString &requestIdHeader,
                         QDateTime *serverTime)
{
    if (serverTime)
        *serverTime = {};
    const QString status = statusText(httpStatus);
    qsizetype start = 0;
    while (start < body.size() && isXmlSpace(body.at(start)))
        ++start;
    if (start == body.size())
        return Error::service(httpStatus, {}, status + u" with no error body"_s, requestIdHeader);

    Cursor c("error response"_L1, body);
    ErrorFields f;
    const bool isErrorDoc = c.open() && readErrorDocument(c, &f) && !c.failed();
    if (!isErrorDoc) {
        // Not an S3 error document: a proxy's HTML page, a truncated body, ... Quote its start;
        // a response body carries no secret of ours.
        const QString text = QString::fromUtf8(body.sliced(start).first(
                                                       std::min<qsizetype>(body.size() - start,
                                                                           4 * MaxQuotedBody)))
                                     .simplified();
        return Error::service(httpStatus, {},
                              status + u" with an unreadable error body: "_s
                                      + quoted(text, MaxQuotedBody),
                              requestIdHeader);
    }
    if (serverTime && !f.serverTime.isEmpty())
        *serverTime = parseTimestamp(f.serverTime);
    QString message = f.message;
    if (message.isEmpty() && f.code.isEmpty())
        message = status + u" with an empty error document"_s;
    return Error::service(httpStatus, f.code, message,
                          f.requestId.isEmpty() ? requestIdHeader : f.requestId);
}

ServerSigningInputs parseServerSigningInputs(QByteArrayView body)
{
    Cursor c("error response"_L1, body);
    ErrorFields f;
    if (!c.open() || !readErrorDocument(c, &f) || c.failed())
        return {};
    return {f.stringToSign, f.canonicalRequest};
}

QByteArray buildCompleteMultipartBody(const QList<PartInfo> &parts)
{
    QList<PartInfo> sorted = parts;
    std::stable_sort(sorted.begin(), sorted.end(), [](const PartInfo &a, const PartInfo &b) {
        return a.partNumber < b.partNumber;
    });
    QByteArray body;
    QXmlStreamWriter w(&body);
    w.writeStartElement(u"CompleteMultipartUpload"_s);
    for (const PartInfo &p : sorted) {
        w.writeStartElement(u"Part"_s);
        w.writeTextElement(u"PartNumber"_s, QString::number(p.partNumber));
        const QString etag = Etag::unquoted(p.etag);
        w.writeTextElement(u"ETag"_s, p.etag.isEmpty() ? QString() : u'"' + etag + u'"');
        w.writeEndElement();
    }
    w.writeEndElement();
    return body;
}

} // namespace Cos
