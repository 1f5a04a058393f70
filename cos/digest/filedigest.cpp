#include "cos/digest/filedigest.h"

#include "cos/digest/crc64.h"
#include "cos/core/poolcall.h"

#include <QFile>

#include <limits>
#include <map>
#include <memory>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {
// Per window and turn in digestFileWindows(): a multiple of the MD5 block size. 64 KiB to
// 512 KiB measured the same (bench_engine, 16 windows); with 16 lanes 256 KiB makes 4 MiB of
// buffers.
constexpr qint64 kDigestBlock = 256 * 1024;
static_assert(kDigestBlock % Md5Lanes::BlockSize == 0);
} // namespace

WindowDigest digestFileWindow(const QString &fileName, qint64 offset, qint64 size)
{
    return digestFileWindows(fileName, {FileWindow {offset, size}}).constFirst();
}

namespace {

// One window of a batch in digestFileWindows().
struct Lane
{
    QFile *file = nullptr;
    qsizetype index = 0; // into the windows and the results
    qint64 offset = 0;
    qint64 size = 0;
    qint64 done = 0; // bytes hashed so far
    uchar *buffer = nullptr;
    qint64 capacity = 0;
    qint64 chunk = 0; // bytes in the buffer this turn
    const uchar *cursor = nullptr; // next MD5 block in the buffer
    qsizetype blocksLeft = 0;
    Md5Lanes::State md5;
    Crc64 crc;
};

// Fills @p into with the @p n bytes at @p pos, or says why it cannot.
Error readExactly(QFile &file, qint64 pos, uchar *into, qint64 n)
{
    const QString fileName = file.fileName();
    if (!file.seek(pos))
        return Error(Error::Kind::Io, u"Cannot seek in %1 to byte %2"_s.arg(fileName).arg(pos));
    qint64 got = 0;
    while (got < n) {
        const qint64 r = file.read(reinterpret_cast<char *>(into + got), n - got);
        if (r < 0) {
            return Error(Error::Kind::Io,
                         u"Read error in %1 at byte %2: %3"_s.arg(fileName).arg(pos + got).arg(
                                 file.errorString()));
        }
        if (r == 0) {
            return Error(Error::Kind::Io,
                         u"%1 ended or failed to read at byte %2 (it has changed?)"_s.arg(fileName)
                                 .arg(pos + got));
        }
        got += r;
    }
    return {};
}

// Up to MaxLanes windows: each turn reads the next chunk of every unfinished window, feeds it to
// its CRC64 while it is hot in the cache, then advances all MD5s in lockstep over the blocks
// they have in common; a window whose chunk is shorter (its last) drops out of the lockstep.
// Window i is read from @p files[i]; a window whose result has an error already is skipped.
void digestBatch(const QList<QFile *> &files, const QList<NamedWindow> &windows, qsizetype first,
                 int count, QList<WindowDigest> &out, Md5Lanes::Kernel kernel)
{
    using Md5Lanes::BlockSize;
    Lane lanes[Md5Lanes::MaxLanes];
    int active[Md5Lanes::MaxLanes];
    int activeCount = 0;
    qint64 bufferSize = 0;
    for (int i = 0; i < count; ++i) {
        Lane &lane = lanes[i];
        lane.index = first + i;
        lane.file = files.at(lane.index);
        lane.offset = windows.at(lane.index).window.offset;
        lane.size = windows.at(lane.index).window.size;
        WindowDigest &result = out[lane.index];
        if (result.error)
            continue;
        if (lane.offset < 0 || lane.size < 0
            || lane.size > std::numeric_limits<qint64>::max() - lane.offset) {
            result.error = Error(Error::Kind::InvalidInput,
                                 u"Invalid window of %1: offset %2, size %3"_s
                                         .arg(lane.file->fileName())
                                         .arg(lane.offset)
                                         .arg(lane.size));
            continue;
        }
        if (lane.size == 0) {
            result.md5 = Md5Lanes::finish(lane.md5, nullptr, 0, 0);
            continue;
        }
        lane.capacity = qMin(kDigestBlock, lane.size);
        bufferSize += lane.capacity;
        active[activeCount++] = i;
    }
    if (activeCount == 0)
        return;

    QByteArray buffer(bufferSize, Qt::Uninitialized);
    qint64 at = 0;
    for (int a = 0; a < activeCount; ++a) {
        lanes[active[a]].buffer = reinterpret_cast<uchar *>(buffer.data()) + at;
        at += lanes[active[a]].capacity;
    }

    while (activeCount > 0) {
        // Read: one chunk per window. A window that fails leaves the batch; the others go on.
        int stepping[Md5Lanes::MaxLanes];
        int steppingCount = 0;
        int kept = 0;
        for (int a = 0; a < activeCount; ++a) {
            Lane &lane = lanes[active[a]];
            lane.chunk = qMin(lane.capacity, lane.size - lane.done);
            Error error = readExactly(*lane.file, lane.offset + lane.done, lane.buffer, lane.chunk);
            if (error) {
                out[lane.index].error = std::move(error);
                continue;
            }
            lane.crc.update(QByteArrayView(lane.buffer, lane.chunk));
            lane.cursor = lane.buffer;
            lane.blocksLeft = lane.chunk / BlockSize;
            if (lane.blocksLeft > 0)
                stepping[steppingCount++] = active[a];
            active[kept++] = active[a];
        }
        activeCount = kept;

        // MD5: lockstep over the blocks all remaining lanes still have.
        while (steppingCount > 0) {
            qsizetype common = lanes[stepping[0]].blocksLeft;
            for (int s = 1; s < steppingCount; ++s)
                common = qMin(common, lanes[stepping[s]].blocksLeft);
            Md5Lanes::State states[Md5Lanes::MaxLanes];
            const uchar *data[Md5Lanes::MaxLanes];
            for (int s = 0; s < steppingCount; ++s) {
                states[s] = lanes[stepping[s]].md5;
                data[s] = lanes[stepping[s]].cursor;
            }
            Md5Lanes::processBlocks(states, data, steppingCount, common, kernel);
            int still = 0;
            for (int s = 0; s < steppingCount; ++s) {
                Lane &lane = lanes[stepping[s]];
                lane.md5 = states[s];
                lane.cursor += common * BlockSize;
                lane.blocksLeft -= common;
                if (lane.blocksLeft > 0)
                    stepping[still++] = stepping[s];
            }
            steppingCount = still;
        }

        // Finish the windows whose last chunk this was (only a last chunk has a partial block,
        // because the chunk size is a multiple of the block size).
        kept = 0;
        for (int a = 0; a < activeCount; ++a) {
            Lane &lane = lanes[active[a]];
            lane.done += lane.chunk;
            if (lane.done < lane.size) {
                Q_ASSERT(lane.chunk % BlockSize == 0);
                active[kept++] = active[a];
                continue;
            }
            const qsizetype whole = (lane.chunk / BlockSize) * BlockSize;
            WindowDigest &result = out[lane.index];
            result.md5 = Md5Lanes::finish(lane.md5, lane.buffer + whole, lane.chunk - whole,
                                          quint64(lane.size));
            result.crc64 = lane.crc.value();
        }
        activeCount = kept;
    }
}

} // namespace

QList<WindowDigest> digestFileWindows(const QString &fileName, const QList<FileWindow> &windows,
                                      Md5Lanes::Kernel kernel)
{
    QList<NamedWindow> named;
    named.reserve(windows.size());
    for (const FileWindow &w : windows)
        named.append({fileName, w});
    return digestWindows(named, kernel);
}

QList<WindowDigest> digestWindows(const QList<NamedWindow> &windows, Md5Lanes::Kernel kernel)
{
    QList<WindowDigest> out(windows.size());
    // One unbuffered QFile per file: reads go straight into the lane buffers, and seeks between
    // lanes are cheap. A file that cannot be opened fails each of its windows.
    struct Opened
    {
        std::unique_ptr<QFile> file;
        Error error;
    };
    std::map<QString, Opened> opened;
    QList<QFile *> files;
    files.reserve(windows.size());
    for (qsizetype i = 0; i < windows.size(); ++i) {
        const QString &path = windows.at(i).path;
        auto [it, fresh] = opened.try_emplace(path);
        Opened &o = it->second;
        if (fresh) {
            o.file = std::make_unique<QFile>(path);
            if (!o.file->open(QIODevice::ReadOnly | QIODevice::Unbuffered))
                o.error = Error(Error::Kind::Io,
                                u"Cannot open %1: %2"_s.arg(path, o.file->errorString()));
        }
        out[i].error = o.error;
        files.append(o.file.get());
    }
    for (qsizetype first = 0; first < windows.size(); first += Md5Lanes::MaxLanes) {
        const int count = int(qMin<qsizetype>(Md5Lanes::MaxLanes, windows.size() - first));
        digestBatch(files, windows, first, count, out, kernel);
    }
    return out;
}

void digestFileWindowsAsync(const QString &fileName, const QList<FileWindow> &windows,
                            QObject *context, std::function<void(const QList<WindowDigest> &)> done)
{
    runInThreadPool<QList<WindowDigest>>(
            context, [fileName, windows] { return digestFileWindows(fileName, windows); },
            std::move(done));
}

} // namespace Cos
