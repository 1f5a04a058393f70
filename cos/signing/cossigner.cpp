#include "cos/signing/cossigner.h"

#include "cos/signing/percentencoding.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

struct Entry
{
    QString sortName; // raw name lower-cased: the paramString order
    QByteArray encName; // lower(enc(name)): the list order and the entry's name
    QByteArray encValue;
};

// JavaScript's string comparison: UTF-16 code units, not code points or locale.
bool utf16Less(const QString &a, const QString &b)
{
    return std::lexicographical_compare(a.utf16(), a.utf16() + a.size(), b.utf16(),
                                        b.utf16() + b.size());
}

QList<Entry> makeEntries(const StringPairs &pairs)
{
    QList<Entry> entries;
    entries.reserve(pairs.size());
    for (const auto &[name, value] : pairs)
        entries.append({name.toLower(), percentEncode(name).toLower(), percentEncode(value)});
    return entries;
}

// The SDK sorts the raw names for the string it hashes but the encoded names for the list it
// sends; for non-ASCII names the two orders differ, and the server checks both.
QByteArray paramString(QList<Entry> entries)
{
    std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
        return utf16Less(a.sortName, b.sortName);
    });
    QByteArray out;
    for (const Entry &e : std::as_const(entries)) {
        if (!out.isEmpty())
            out.append('&');
        out.append(e.encName).append('=').append(e.encValue);
    }
    return out;
}

QStringList nameList(const QList<Entry> &entries)
{
    QList<QByteArray> names;
    names.reserve(entries.size());
    for (const Entry &e : entries)
        names.append(e.encName);
    std::stable_sort(names.begin(), names.end());
    QStringList out;
    out.reserve(names.size());
    for (const QByteArray &n : std::as_const(names))
        out.append(QString::fromLatin1(n));
    return out;
}

QByteArray hmacSha1Hex(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha1).toHex();
}

} // namespace

bool cosIsSignedHeader(const QString &name)
{
    static const std::array<QLatin1StringView, 17> exact = {
            "cache-control"_L1,
            "content-disposition"_L1,
            "content-encoding"_L1,
            "content-length"_L1,
            "content-md5"_L1,
            "content-type"_L1,
            "expect"_L1,
            "expires"_L1,
            "host"_L1,
            "if-match"_L1,
            "if-modified-since"_L1,
            "if-none-match"_L1,
            "if-unmodified-since"_L1,
            "origin"_L1,
            "range"_L1,
            "transfer-encoding"_L1,
            "pic-operations"_L1,
    };
    const QString lower = name.toLower();
    if (lower.contains("x-cos-"_L1) || lower.contains("x-ci-"_L1))
        return true;
    return std::any_of(exact.begin(), exact.end(),
                       [&lower](QLatin1StringView n) { return lower == n; });
}

QString cosKeyTime(qint64 startSeconds, qint64 endSeconds)
{
    return QString::number(startSeconds) + u';' + QString::number(endSeconds);
}

CosSignResult cosSign(const CosSignInput &input)
{
    StringPairs signedHeaders;
    for (const auto &header : input.headers) {
        if (cosIsSignedHeader(header.first))
            signedHeaders.append(header);
    }
    return cosSignExplicitHeaders(input, signedHeaders);
}

CosSignResult cosSignExplicitHeaders(const CosSignInput &input, const StringPairs &signedHeaders)
{
    const QList<Entry> queryEntries = makeEntries(input.query);
    const QList<Entry> headerEntries = makeEntries(signedHeaders);

    CosSignResult r;
    r.headerList = nameList(headerEntries);
    r.urlParamList = nameList(queryEntries);

    const QByteArray keyTime = input.keyTime.toUtf8();
    r.formatString = input.method.toLower() + '\n' + input.path.toUtf8() + '\n'
            + paramString(queryEntries) + '\n' + paramString(headerEntries) + '\n';
    r.signKey = hmacSha1Hex(input.secretKey.toUtf8(), keyTime);
    r.stringToSign = "sha1\n"_ba + keyTime + '\n'
            + QCryptographicHash::hash(r.formatString, QCryptographicHash::Sha1).toHex() + '\n';
    r.signature = hmacSha1Hex(r.signKey, r.stringToSign);
    r.authorization = "q-sign-algorithm=sha1&q-ak="_ba + input.secretId.toUtf8()
            + "&q-sign-time="_ba + keyTime + "&q-key-time="_ba + keyTime + "&q-header-list="_ba
            + r.headerList.join(u';').toLatin1() + "&q-url-param-list="_ba
            + r.urlParamList.join(u';').toLatin1() + "&q-signature="_ba + r.signature;
    return r;
}

QByteArray cosPresignedUrl(const CosPresignInput &input)
{
    CosSignInput sign;
    sign.method = input.method;
    sign.path = u'/' + input.key;
    sign.query = input.query;
    if (input.signHost)
        sign.headers.append({u"host"_s, input.host});
    sign.secretId = input.secretId;
    sign.secretKey = input.secretKey;
    sign.keyTime = input.keyTime;
    const CosSignResult signature = cosSign(sign);

    QByteArray url = input.scheme.toUtf8() + "://"_ba + input.host.toUtf8() + '/'
            + percentEncode(input.key, /*keepSlash=*/true) + '?' + signature.authorization;
    // The SDK appends the token verbatim; STS tokens use URL-safe characters only.
    if (!input.securityToken.isEmpty())
        url += "&x-cos-security-token="_ba + input.securityToken.toUtf8();

    StringPairs query = input.query;
    std::stable_sort(query.begin(), query.end(), [](const auto &a, const auto &b) {
        return utf16Less(a.first.toLower(), b.first.toLower());
    });
    for (const auto &[name, value] : std::as_const(query))
        url += '&' + percentEncode(name) + '=' + percentEncode(value);
    return url;
}

} // namespace Cos
