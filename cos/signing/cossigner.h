#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <utility>

namespace Cos {

/** @brief Ordered name/value pairs (query parameters or headers), raw and not encoded. */
using StringPairs = QList<std::pair<QString, QString>>;

/**
 * @brief Input of the COS request signature (q-sign-algorithm=sha1).
 *
 * The algorithm is defined byte for byte by tests/data/vectors/cos-signature.json.
 */
struct CosSignInput
{
    QByteArray method; ///< upper case, e.g. "PUT"
    QString path; ///< decoded UTF-8 path starting with '/', e.g. "/folder/a b.txt"
    StringPairs query; ///< raw (decoded) name/value pairs; all are signed
    StringPairs headers; ///< every header the request carries; the signer picks the signed ones
    QString secretId;
    QString secretKey;
    QString keyTime; ///< "<start>;<end>" in Unix seconds
};

/** @brief Every intermediate of the COS signature, for tests and diagnostics. */
struct CosSignResult
{
    QStringList headerList; ///< e.g. {"content-length", "host"}
    QStringList urlParamList;
    QByteArray formatString;
    QByteArray stringToSign;
    QByteArray signKey;
    QByteArray signature;
    QByteArray authorization; ///< "q-sign-algorithm=sha1&q-ak=...&q-signature=..."
};

/**
 * @brief True when COS signs a header of this name (any letter case).
 *
 * The official whitelist: names containing "x-cos-" or "x-ci-", plus cache-control,
 * content-disposition, content-encoding, content-length, content-md5, content-type, expect,
 * expires, host, if-match, if-modified-since, if-none-match, if-unmodified-since, origin, range,
 * transfer-encoding and pic-operations.
 */
bool cosIsSignedHeader(const QString &name);

/** @brief The KeyTime string "<start>;<end>". */
QString cosKeyTime(qint64 startSeconds, qint64 endSeconds);

/** @brief Computes the COS signature and Authorization value; pure (no clock, no network). */
CosSignResult cosSign(const CosSignInput &input);

/**
 * @brief Like cosSign(), but signs exactly @p signedHeaders, without the whitelist.
 *
 * input.headers is ignored. For signing a header the whitelist leaves out, such as Date in the
 * COS documentation's examples. Not part of the request path: cosSign() is what requests use.
 */
CosSignResult cosSignExplicitHeaders(const CosSignInput &input, const StringPairs &signedHeaders);

/** @brief Input of a COS presigned object URL. */
struct CosPresignInput
{
    QByteArray method;
    QString scheme;
    QString host; ///< URL host, also the signed Host value
    QString key; ///< raw object key, no leading '/'
    StringPairs query; ///< signed and appended to the URL
    QString secretId;
    QString secretKey;
    QString keyTime;
    QString securityToken; ///< empty when none; appended as x-cos-security-token, not signed
    bool signHost = true;
};

/**
 * @brief The presigned URL exactly as tests/data/vectors/cos-presigned-url.json defines it.
 *
 * scheme://host/encPath(key)?authorization[&x-cos-security-token=...][&query]
 */
QByteArray cosPresignedUrl(const CosPresignInput &input);

} // namespace Cos
