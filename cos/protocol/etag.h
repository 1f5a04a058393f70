#pragma once

#include <QByteArray>
#include <QString>

namespace Cos {

/** @brief The ETag rules every layer above shares: how a value is compared and what it says. */
namespace Etag {

/**
 * @brief @p etag without surrounding whitespace and without its pair of double quotes:
 * `"abc"` becomes `abc`. A value that is not wrapped in a pair of quotes comes back trimmed.
 */
QString unquoted(const QString &etag);
/** @brief unquoted() for a response header value (Latin-1). */
QString unquoted(const QByteArray &headerValue);
/** @brief True for 32 hex digits: the ETag of a single PUT is the MD5 of its body. */
bool isHexMd5(const QString &etag);

} // namespace Etag

} // namespace Cos
