#include "cos/signing/tc3.h"

#include <QCryptographicHash>
#include <QDate>
#include <QMessageAuthenticationCode>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

QByteArray hmacSha256(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

// The UTC calendar date computed from the epoch, so the local time zone can never shift it
// (a local date breaks every call made around midnight).
QByteArray utcDate(qint64 timestamp)
{
    qint64 days = timestamp / 86400;
    if (timestamp % 86400 < 0)
        --days;
    return QDate(1970, 1, 1).addDays(days).toString(Qt::ISODate).toLatin1();
}

} // namespace

Tc3Result tc3Sign(const Tc3Input &input)
{
    const QByteArray service = input.service.toUtf8();
    const QByteArray date = utcDate(input.timestamp);
    const QByteArray scope = date + '/' + service + "/tc3_request"_ba;

    Tc3Result r;
    r.canonicalRequest = input.method + "\n/\n"_ba + input.query + "\ncontent-type:"_ba
            + input.contentType + "\nhost:"_ba + input.host.toUtf8() + "\n\ncontent-type;host\n"_ba
            + QCryptographicHash::hash(input.payload, QCryptographicHash::Sha256).toHex();
    r.stringToSign = "TC3-HMAC-SHA256\n"_ba + QByteArray::number(input.timestamp) + '\n' + scope
            + '\n'
            + QCryptographicHash::hash(r.canonicalRequest, QCryptographicHash::Sha256).toHex();
    const QByteArray kDate = hmacSha256("TC3"_ba + input.secretKey.toUtf8(), date);
    const QByteArray kService = hmacSha256(kDate, service);
    const QByteArray kSigning = hmacSha256(kService, "tc3_request"_ba);
    r.signature = hmacSha256(kSigning, r.stringToSign).toHex();
    r.authorization = "TC3-HMAC-SHA256 Credential="_ba + input.secretId.toUtf8() + '/' + scope
            + ", SignedHeaders=content-type;host, Signature="_ba + r.signature;
    return r;
}

} // namespace Cos
