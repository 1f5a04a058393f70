#include "cos/protocol/etag.h"

#include <algorithm>

namespace Cos::Etag {

QString unquoted(const QString &etag)
{
    const QString s = etag.trimmed();
    if (s.size() >= 2 && s.startsWith(u'"') && s.endsWith(u'"'))
        return s.mid(1, s.size() - 2);
    return s;
}

QString unquoted(const QByteArray &headerValue)
{
    return unquoted(QString::fromLatin1(headerValue));
}

bool isHexMd5(const QString &etag)
{
    return etag.size() == 32 && std::all_of(etag.begin(), etag.end(), [](QChar c) {
               return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')
                       || (c >= u'A' && c <= u'F');
           });
}

} // namespace Cos::Etag
