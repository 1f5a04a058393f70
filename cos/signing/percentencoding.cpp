#include "cos/signing/percentencoding.h"

namespace Cos {

QByteArray percentEncode(QByteArrayView utf8, bool keepSlash)
{
    // Qt leaves exactly the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~) as is and writes
    // upper-case hex, which is what COS, SigV4 and TC3 all sign.
    static const QByteArray slash = QByteArrayLiteral("/");
    return utf8.toByteArray().toPercentEncoding(keepSlash ? slash : QByteArray());
}

QByteArray percentEncode(const QString &text, bool keepSlash)
{
    return percentEncode(QByteArrayView(text.toUtf8()), keepSlash);
}

int hexDigitValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace Cos
