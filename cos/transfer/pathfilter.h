#pragma once

#include "cos/core/error.h"

#include <QList>
#include <QRegularExpression>
#include <QStringList>

namespace Cos {

/**
 * @brief Include/exclude globs over the relative paths of a batch ("sub/dir/file.txt").
 *
 * `*` and `?` match within one path segment, `**` across segments, `[...]` a character class.
 * A pattern without "/" is matched against the file name only (`*.jpg` matches `a/b/c.jpg`);
 * a pattern with "/" against the whole relative path (`raw/sub/` followed by `*.txt`; a trailing `**` after
 * a folder name matches everything under that folder).
 * A path is selected when it matches one include pattern (or there are none) and no exclude
 * pattern.
 */
class PathFilter
{
public:
    PathFilter() = default;
    /** @brief @p error gets an InvalidInput error for an empty or malformed pattern. */
    PathFilter(const QStringList &include, const QStringList &exclude, Error *error = nullptr);

    [[nodiscard]] bool selects(const QString &relativePath) const;
    [[nodiscard]] bool isEmpty() const { return m_include.isEmpty() && m_exclude.isEmpty(); }

    /** @brief The regular expression a glob becomes (anchored). */
    [[nodiscard]] static QString globToRegex(const QString &glob);

private:
    struct Pattern
    {
        QRegularExpression re;
        bool wholePath = false;
    };
    static bool matchesAny(const QList<Pattern> &patterns, const QString &path);

    QList<Pattern> m_include;
    QList<Pattern> m_exclude;
};

} // namespace Cos
