#pragma once

#include <QDateTime>
#include <QStringView>

namespace Cos {

/**
 * @brief Parses an ISO 8601 (2026-11-22T08:27:24.549311809Z) or RFC 1123
 * (Sun, 06 Nov 1994 08:49:37 GMT) timestamp into UTC; invalid QDateTime when malformed.
 */
QDateTime parseTimestamp(QStringView text);

} // namespace Cos
