#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace Cos {

/**
 * @brief Percent-encodes UTF-8 bytes the way COS and SigV4 sign them.
 *
 * Every byte except A-Z a-z 0-9 - _ . ~ becomes %XX with upper-case hex (JavaScript
 * encodeURIComponent plus ! ' ( ) * escaped). A space is %20, never '+'. With @p keepSlash
 * the '/' stays as is, for object-key paths.
 */
QByteArray percentEncode(QByteArrayView utf8, bool keepSlash = false);

/** @brief Overload that encodes the UTF-8 form of @p text. */
QByteArray percentEncode(const QString &text, bool keepSlash = false);

/** @brief The value of the hex digit @p c (0-9, a-f, A-F), or -1 for any other character. */
int hexDigitValue(char c);

} // namespace Cos
