#include "cos/transfer/pathfilter.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

// --- PathFilter --------------------------------------------------------------------------------

QString PathFilter::globToRegex(const QString &glob)
{
    QString re;
    re.reserve(glob.size() * 2 + 4);
    for (qsizetype i = 0; i < glob.size(); ++i) {
        const QChar c = glob.at(i);
        if (c == u'*') {
            if (i + 1 < glob.size() && glob.at(i + 1) == u'*') {
                ++i;
                // "**/" also matches no folder at all: "a/**/b" matches "a/b".
                if (i + 1 < glob.size() && glob.at(i + 1) == u'/') {
                    ++i;
                    re += u"(?:.*/)?"_s;
                } else {
                    re += u".*"_s;
                }
            } else {
                re += u"[^/]*"_s;
            }
        } else if (c == u'?') {
            re += u"[^/]"_s;
        } else if (c == u'[') {
            const qsizetype end = glob.indexOf(u']', i + 2);
            if (end < 0) {
                re += u"\\["_s;
                continue;
            }
            QString cls = glob.mid(i + 1, end - i - 1);
            if (cls.startsWith(u'!'))
                cls[0] = u'^';
            cls.replace(u"\\"_s, u"\\\\"_s);
            re += u'[' + cls + u']';
            i = end;
        } else {
            re += QRegularExpression::escape(QString(c));
        }
    }
    return QRegularExpression::anchoredPattern(re);
}

PathFilter::PathFilter(const QStringList &include, const QStringList &exclude, Error *error)
{
    auto compile = [error](const QStringList &globs, QList<Pattern> *out) {
        for (const QString &glob : globs) {
            if (glob.isEmpty()) {
                if (error)
                    *error = Error(Error::Kind::InvalidInput, u"An empty glob pattern"_s);
                return false;
            }
            Pattern p;
            p.wholePath = glob.contains(u'/');
            p.re = QRegularExpression(globToRegex(glob));
            if (!p.re.isValid()) {
                if (error)
                    *error = Error(Error::Kind::InvalidInput,
                                   u"Invalid glob pattern '%1': %2"_s.arg(glob, p.re.errorString()));
                return false;
            }
            out->append(p);
        }
        return true;
    };
    if (!compile(include, &m_include) || !compile(exclude, &m_exclude)) {
        m_include.clear();
        m_exclude.clear();
    }
}

bool PathFilter::matchesAny(const QList<Pattern> &patterns, const QString &path)
{
    const qsizetype slash = path.lastIndexOf(u'/');
    const QString name = slash < 0 ? path : path.mid(slash + 1);
    return std::any_of(patterns.cbegin(), patterns.cend(), [&](const Pattern &p) {
        return p.re.match(p.wholePath ? path : name).hasMatch();
    });
}

bool PathFilter::selects(const QString &relativePath) const
{
    if (!m_include.isEmpty() && !matchesAny(m_include, relativePath))
        return false;
    return !matchesAny(m_exclude, relativePath);
}

} // namespace Cos
