#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <vector>

namespace Cos {

/** @brief One entry of a LocalWalk. */
struct LocalEntry
{
    enum class Type {
        File, ///< a regular file (or, with followSymlinks, a link to one)
        Symlink, ///< a symbolic link that is not followed
        Other, ///< a device, socket, FIFO, dangling link, or a folder seen again through a link
        Unreadable ///< a folder that could not be read; path ends in "/"
    };
    QString path; ///< relative to the walk's folder, with "/"; a folder's ends in "/"
    Type type = Type::File;
    qint64 size = 0; ///< File only
    QString error; ///< Unreadable only: why
};

/**
 * @brief Walks a local folder tree lazily, yielding its files in the order an S3 listing gives
 * keys (by Unicode code point, that is by UTF-8 bytes, of the relative path with "/").
 *
 * Folders are not yielded; their entries are, depth first, with each folder's entries ordered by
 * name + "/" (so "a.txt" comes before "a/x" and "a0" after it). Memory is bounded by
 * @p chunk entries per folder on the current path, whatever the size of a folder: a folder is
 * read in passes, each pass keeping the @p chunk smallest names after those already yielded,
 * so a folder of N entries is read ceil(N / chunk) times. Entries added to a folder while it is
 * walked are yielded if they sort after the entries already yielded.
 *
 * Symbolic links are yielded as Symlink unless @p followSymlinks, which follows them to files
 * and folders (a folder already on the current path, a loop, is yielded as Other).
 */
class LocalWalk
{
public:
    static constexpr int DefaultChunk = 4096;

    /**
     * @brief Walks @p root; with @p start ("sub/" or "file.txt") only that folder or file under
     * @p root (paths stay relative to @p root).
     */
    LocalWalk(const QString &root, const QString &start = {}, int chunk = DefaultChunk,
              bool followSymlinks = false);
    ~LocalWalk();
    LocalWalk(const LocalWalk &) = delete;
    LocalWalk &operator=(const LocalWalk &) = delete;

    /** @brief The next entry without taking it; nullptr at the end. */
    [[nodiscard]] const LocalEntry *peek();
    /** @brief Takes the entry peek() returned. */
    void advance();
    /** @brief Names read and not yet yielded, in all folders on the current path. */
    [[nodiscard]] qint64 entriesHeld() const;
    /** @brief Passes over folders so far (one per folder up to chunk entries). */
    [[nodiscard]] qint64 passes() const { return m_passes; }

    /**
     * @brief -1, 0 or 1 as @p a sorts before, with or after @p b in an S3 listing (code point
     * order; QString::compare orders UTF-16 code units, which differs above U+FFFF).
     */
    [[nodiscard]] static int compareKeys(const QString &a, const QString &b);

private:
    struct Name
    {
        QByteArray key; // the name, with "/" appended for a folder
        unsigned char type = 0;
    };
    struct Level;

    void fill();
    bool readPass(Level *level);
    [[nodiscard]] bool onPath(const Level &candidate) const;

    QByteArray m_root; // encoded, ending in "/"
    int m_chunk;
    bool m_followSymlinks;
    std::vector<std::unique_ptr<Level>> m_levels;
    LocalEntry m_entry;
    bool m_hasEntry = false;
    qint64 m_passes = 0;
};

} // namespace Cos
