#include "cos/transfer/localwalk.h"

#include <QFile>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

enum NameType : unsigned char { TypeFile, TypeDir, TypeLink, TypeOther };

// The type of @p path from stat(2) (following links) or lstat(2).
NameType typeOf(const QByteArray &path, bool follow, struct stat *st)
{
    const int rc = follow ? ::stat(path.constData(), st) : ::lstat(path.constData(), st);
    if (rc != 0)
        return TypeOther; // vanished, or a dangling link when following
    if (S_ISDIR(st->st_mode))
        return TypeDir;
    if (S_ISREG(st->st_mode))
        return TypeFile;
    if (S_ISLNK(st->st_mode))
        return TypeLink;
    return TypeOther;
}

} // namespace

struct LocalWalk::Level
{
    QByteArray path; // relative, encoded, "" or ending in "/"
    QByteArray single; // a walk of one file: its name under path
    QByteArray cursor; // the largest key read so far; later passes take only keys after it
    bool started = false;
    bool exhausted = false;
    std::vector<Name> names; // sorted, from the last pass
    size_t next = 0;
    dev_t dev = 0;
    ino_t ino = 0;
};

LocalWalk::LocalWalk(const QString &root, const QString &start, int chunk, bool followSymlinks)
    : m_root(QFile::encodeName(root))
    , m_chunk(std::max(1, chunk))
    , m_followSymlinks(followSymlinks)
{
    if (!m_root.endsWith('/'))
        m_root += '/';
    auto level = std::make_unique<Level>();
    if (start.isEmpty() || start.endsWith(u'/'))
        level->path = QFile::encodeName(start);
    else
        level->single = QFile::encodeName(start);
    struct stat st;
    if (::stat(QByteArray(m_root + level->path).constData(), &st) == 0) {
        level->dev = st.st_dev;
        level->ino = st.st_ino;
    }
    m_levels.push_back(std::move(level));
}

LocalWalk::~LocalWalk() = default;

int LocalWalk::compareKeys(const QString &a, const QString &b)
{
    // Surrogates (U+D800..DFFF) encode code points above U+FFFF: move them above U+E000..FFFF.
    const auto order = [](char16_t c) {
        return c < 0xD800 ? int(c) : c < 0xE000 ? int(c) + 0x2000 : int(c) - 0x800;
    };
    const qsizetype n = std::min(a.size(), b.size());
    const QChar *x = a.constData();
    const QChar *y = b.constData();
    for (qsizetype i = 0; i < n; ++i) {
        if (x[i] != y[i])
            return order(x[i].unicode()) < order(y[i].unicode()) ? -1 : 1;
    }
    return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

qint64 LocalWalk::entriesHeld() const
{
    qint64 n = 0;
    for (const auto &level : m_levels)
        n += qint64(level->names.size() - level->next);
    return n + (m_hasEntry ? 1 : 0);
}

bool LocalWalk::onPath(const Level &candidate) const
{
    return std::any_of(m_levels.cbegin(), m_levels.cend(), [&candidate](const auto &level) {
        return level->dev == candidate.dev && level->ino == candidate.ino;
    });
}

bool LocalWalk::readPass(Level *level)
{
    ++m_passes;
    level->names.clear();
    level->next = 0;
    const QByteArray dirPath = m_root + level->path;
    if (!level->single.isEmpty()) {
        struct stat st;
        const QByteArray path = dirPath + level->single;
        const NameType type = typeOf(path, m_followSymlinks, &st);
        if (::access(path.constData(), F_OK) == 0 || type == TypeLink) // a dangling link too
            level->names.push_back({type == TypeDir ? level->single + '/' : level->single,
                                    static_cast<unsigned char>(type)});
        level->exhausted = true;
        return true;
    }
    DIR *dir = ::opendir(dirPath.constData());
    if (!dir) {
        // A folder that is gone (or never was: a download's target) has no entries.
        level->exhausted = true;
        return errno == ENOENT || errno == ENOTDIR;
    }
    // A max-heap of the m_chunk smallest keys after the cursor.
    const auto less = [](const Name &a, const Name &b) { return a.key < b.key; };
    std::vector<Name> &heap = level->names;
    QByteArray key;
    key.reserve(256);
    while (const dirent *e = ::readdir(dir)) {
        const char *name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        NameType type = TypeOther;
        switch (e->d_type) {
        case DT_DIR:
            type = TypeDir;
            break;
        case DT_REG:
            type = TypeFile;
            break;
        case DT_LNK:
            if (!m_followSymlinks) {
                type = TypeLink;
                break;
            }
            Q_FALLTHROUGH();
        case DT_UNKNOWN: {
            struct stat st;
            type = typeOf(dirPath + name, m_followSymlinks, &st);
            break;
        }
        default:
            break;
        }
        // Most names of a large folder are rejected by one comparison: build the key in a
        // reused buffer and copy it only when it is kept.
        key.resize(0);
        key.append(name);
        if (type == TypeDir)
            key.append('/');
        if (level->started && !(level->cursor < key))
            continue;
        if (heap.size() < size_t(m_chunk)) {
            heap.push_back(
                    {QByteArray(key.constData(), key.size()), static_cast<unsigned char>(type)});
            std::push_heap(heap.begin(), heap.end(), less);
        } else if (key < heap.front().key) {
            std::pop_heap(heap.begin(), heap.end(), less);
            heap.back() = {QByteArray(key.constData(), key.size()),
                           static_cast<unsigned char>(type)};
            std::push_heap(heap.begin(), heap.end(), less);
        }
    }
    ::closedir(dir);
    std::sort_heap(heap.begin(), heap.end(), less);
    level->exhausted = heap.size() < size_t(m_chunk);
    level->started = true;
    if (!heap.empty())
        level->cursor = heap.back().key;
    return true;
}

void LocalWalk::fill()
{
    while (!m_hasEntry && !m_levels.empty()) {
        Level &level = *m_levels.back();
        if (level.next == level.names.size()) {
            if (level.exhausted) {
                m_levels.pop_back();
                continue;
            }
            if (!readPass(&level)) {
                const int code = errno;
                m_entry = LocalEntry();
                m_entry.path = QFile::decodeName(level.path);
                m_entry.type = LocalEntry::Type::Unreadable;
                m_entry.error = u"cannot read the folder %1: %2"_s
                                        .arg(QFile::decodeName(m_root + level.path),
                                             QString::fromLocal8Bit(std::strerror(code)));
                m_hasEntry = true;
                m_levels.pop_back();
            }
            continue;
        }
        Name name = std::move(level.names[level.next++]);
        const QByteArray rel = level.path + name.key;
        if (name.type == TypeDir) {
            auto child = std::make_unique<Level>();
            child->path = rel;
            struct stat st;
            if (::stat(QByteArray(m_root + rel).constData(), &st) == 0) {
                child->dev = st.st_dev;
                child->ino = st.st_ino;
            }
            if (m_followSymlinks && onPath(*child)) {
                m_entry = LocalEntry();
                m_entry.path = QFile::decodeName(rel);
                m_entry.type = LocalEntry::Type::Other;
                m_hasEntry = true;
                continue;
            }
            m_levels.push_back(std::move(child));
            continue;
        }
        m_entry = LocalEntry();
        m_entry.path = QFile::decodeName(rel);
        if (name.type == TypeFile) {
            struct stat st;
            if (typeOf(m_root + rel, m_followSymlinks, &st) != TypeFile)
                continue; // gone or replaced since the pass
            m_entry.size = qint64(st.st_size);
            m_entry.type = LocalEntry::Type::File;
        } else {
            m_entry.type = name.type == TypeLink ? LocalEntry::Type::Symlink
                                                 : LocalEntry::Type::Other;
        }
        m_hasEntry = true;
    }
}

const LocalEntry *LocalWalk::peek()
{
    fill();
    return m_hasEntry ? &m_entry : nullptr;
}

void LocalWalk::advance()
{
    fill();
    m_hasEntry = false;
}

} // namespace Cos
