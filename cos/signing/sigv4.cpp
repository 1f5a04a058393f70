#include "cos/signing/sigv4.h"

#include "cos/signing/percentencoding.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

constexpr QLatin1StringView kAlgorithm = "AWS4-HMAC-SHA256"_L1;

// Headers that proxies and HTTP stacks rewrite or drop; signing them would break requests.
bool isUnsignableHeader(const QString &lowerName)
{
    static const std::array<QLatin1StringView, 15> names = {
            "authorization"_L1,
            "cache-control"_L1,
            "connection"_L1,
            "expect"_L1,
            "from"_L1,
            "keep-alive"_L1,
            "max-forwards"_L1,
            "pragma"_L1,
            "referer"_L1,
            "te"_L1,
            "trailer"_L1,
            "transfer-encoding"_L1,
            "upgrade"_L1,
            "user-agent"_L1,
            "x-amzn-trace-id"_L1,
    };
    if (lowerName.startsWith("proxy-"_L1) || lowerName.startsWith("sec-"_L1))
        return true;
    return std::any_of(names.begin(), names.end(),
                       [&lowerName](QLatin1StringView n) { return lowerName == n; });
}

QByteArray canonicalHeaderValue(const QString &value)
{
    const QByteArray raw = value.toUtf8();
    QByteArray out;
    out.reserve(raw.size());
    bool inSpace = false;
    for (char c : raw) {
        if (c == '\r' || c == '\n' || c == '\t' || c == ' ') {
            if (!inSpace)
                out.append(' ');
            inSpace = true;
        } else {
            out.append(c);
            inSpace = false;
        }
    }
    if (out.startsWith(' '))
        out.remove(0, 1);
    if (out.endsWith(' '))
        out.chop(1);
    return out;
}

struct Canonical
{
    QByteArray headers; // "name:value\n" ...
    QByteArray signedHeaders; // "name;name"
};

Canonical canonicalHeaders(const StringPairs &headers)
{
    QList<std::pair<QByteArray, QByteArray>> list;
    list.reserve(headers.size());
    for (const auto &[name, value] : headers) {
        const QString lower = name.toLower();
        if (!isUnsignableHeader(lower))
            list.append({lower.toUtf8(), canonicalHeaderValue(value)});
    }
    std::stable_sort(list.begin(), list.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    Canonical c;
    for (qsizetype i = 0; i < list.size(); ++i) {
        // A repeated name is one canonical header with the values joined by ',' (SigV4 spec).
        if (i > 0 && list.at(i).first == list.at(i - 1).first) {
            c.headers.chop(1);
            c.headers += ',' + list.at(i).second + '\n';
            continue;
        }
        if (!c.signedHeaders.isEmpty())
            c.signedHeaders.append(';');
        c.signedHeaders += list.at(i).first;
        c.headers += list.at(i).first + ':' + list.at(i).second + '\n';
    }
    return c;
}

QByteArray canonicalQuery(const QList<std::pair<QByteArray, QByteArray>> &encoded)
{
    auto sorted = encoded;
    std::sort(sorted.begin(), sorted.end());
    QByteArray out;
    for (const auto &[name, value] : std::as_const(sorted)) {
        if (!out.isEmpty())
            out.append('&');
        out += name + '=' + value;
    }
    return out;
}

QList<std::pair<QByteArray, QByteArray>> encodePairs(const StringPairs &pairs)
{
    QList<std::pair<QByteArray, QByteArray>> out;
    out.reserve(pairs.size());
    for (const auto &[name, value] : pairs)
        out.append({percentEncode(name), percentEncode(value)});
    return out;
}

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

QByteArray scopeOf(const SigV4Input &input)
{
    return input.amzDate.left(8) + '/' + input.region.toUtf8() + '/' + input.service.toUtf8()
            + "/aws4_request"_ba;
}

struct Signed
{
    QByteArray canonicalRequest;
    QByteArray stringToSign;
    QByteArray signature;
};

Signed sign(const SigV4Input &input, const QByteArray &query, const Canonical &headers,
            const QByteArray &payloadHash)
{
    Signed s;
    s.canonicalRequest = input.method + '\n' + input.canonicalPath + '\n' + query + '\n'
            + headers.headers + '\n' + headers.signedHeaders + '\n' + payloadHash;
    s.stringToSign = QByteArray(kAlgorithm.data(), kAlgorithm.size()) + '\n' + input.amzDate + '\n'
            + scopeOf(input) + '\n'
            + QCryptographicHash::hash(s.canonicalRequest, QCryptographicHash::Sha256).toHex();
    const QByteArray kDate = hmacSha256("AWS4"_ba + input.secretAccessKey.toUtf8(),
                                        input.amzDate.left(8));
    const QByteArray kRegion = hmacSha256(kDate, input.region.toUtf8());
    const QByteArray kService = hmacSha256(kRegion, input.service.toUtf8());
    const QByteArray kSigning = hmacSha256(kService, "aws4_request"_ba);
    s.signature = hmacSha256(kSigning, s.stringToSign).toHex();
    return s;
}

QByteArray payloadHashOf(const SigV4Input &input)
{
    return input.payloadHash.isEmpty() ? "UNSIGNED-PAYLOAD"_ba : input.payloadHash;
}

} // namespace

SigV4Result sigV4SignHeaders(const SigV4Input &input)
{
    const QByteArray payloadHash = payloadHashOf(input);
    SigV4Result r;
    r.addedHeaders.append({u"x-amz-date"_s, QString::fromLatin1(input.amzDate)});
    if (!input.sessionToken.isEmpty())
        r.addedHeaders.append({u"x-amz-security-token"_s, input.sessionToken});
    const bool hasContentSha = std::any_of(input.headers.begin(), input.headers.end(),
                                           [](const auto &h) {
                                               return h.first.compare("x-amz-content-sha256"_L1,
                                                                      Qt::CaseInsensitive)
                                                       == 0;
                                           });
    if (!hasContentSha)
        r.addedHeaders.append({u"x-amz-content-sha256"_s, QString::fromLatin1(payloadHash)});

    StringPairs all;
    all.reserve(input.headers.size() + r.addedHeaders.size());
    for (const auto &h : input.headers) {
        const bool replaced = h.first.compare("x-amz-date"_L1, Qt::CaseInsensitive) == 0
                || (!input.sessionToken.isEmpty()
                    && h.first.compare("x-amz-security-token"_L1, Qt::CaseInsensitive) == 0);
        if (!replaced)
            all.append(h);
    }
    all += r.addedHeaders;

    const Canonical headers = canonicalHeaders(all);
    const Signed s = sign(input, canonicalQuery(encodePairs(input.query)), headers, payloadHash);
    r.canonicalRequest = s.canonicalRequest;
    r.stringToSign = s.stringToSign;
    r.signature = s.signature;
    r.authorization = QByteArray(kAlgorithm.data(), kAlgorithm.size()) + " Credential="_ba
            + input.accessKeyId.toUtf8() + '/' + scopeOf(input) + ", SignedHeaders="_ba
            + headers.signedHeaders + ", Signature="_ba + s.signature;
    return r;
}

SigV4Presigned sigV4Presign(const SigV4Input &input, int expiresSeconds, const QString &scheme)
{
    const int expires = std::clamp(expiresSeconds, 1, 604800);
    const Canonical headers = canonicalHeaders(input.headers);

    StringPairs query = input.query;
    if (!input.sessionToken.isEmpty())
        query.append({u"X-Amz-Security-Token"_s, input.sessionToken});
    query.append({u"X-Amz-Algorithm"_s, QString(kAlgorithm)});
    query.append(
            {u"X-Amz-Credential"_s, input.accessKeyId + u'/' + QString::fromUtf8(scopeOf(input))});
    query.append({u"X-Amz-Date"_s, QString::fromLatin1(input.amzDate)});
    query.append({u"X-Amz-Expires"_s, QString::number(expires)});
    query.append({u"X-Amz-SignedHeaders"_s, QString::fromLatin1(headers.signedHeaders)});
    const auto encoded = encodePairs(query);

    const Signed s = sign(input, canonicalQuery(encoded), headers, payloadHashOf(input));
    SigV4Presigned p;
    p.canonicalRequest = s.canonicalRequest;
    p.stringToSign = s.stringToSign;
    p.signature = s.signature;
    p.url = scheme.toUtf8() + "://"_ba + input.host.toUtf8() + input.canonicalPath + '?';
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        if (i > 0)
            p.url.append('&');
        p.url += encoded.at(i).first + '=' + encoded.at(i).second;
    }
    p.url += "&X-Amz-Signature="_ba + s.signature;
    return p;
}

QByteArray sigV4AmzDate(const QDateTime &utc)
{
    return utc.toUTC().toString(u"yyyyMMdd'T'HHmmss'Z'"_s).toLatin1();
}

} // namespace Cos
