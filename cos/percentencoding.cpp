#include "percentencoding.h"

namespace Cos {

namespace {

constexpr bool isUnreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_' || c == '.' || c == '~';
}

} // namespace

QByteArray percentEncode(QByteArrayView utf8, bool keepSlash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    QByteArray out;
    // Worst case triples the size; reserving it once avoids repeated growth on long keys.
    out.reserve(utf8.size() * 3);
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c) || (keepSlash && c == '/')) {
            out.append(ch);
        } else {
            out.append('%');
            out.append(hex[c >> 4]);
            out.append(hex[c & 0x0f]);
        }
    }
    return out;
}

QByteArray percentEncode(const QString &text, bool keepSlash)
{
    return percentEncode(QByteArrayView(text.toUtf8()), keepSlash);
}

} // namespace Cos
