#pragma once

#include "cos/core/error.h"
#include "cos/digest/md5lanes.h"

#include <QByteArray>
#include <QString>
#include <QList>
#include <QObject>

#include <functional>

namespace Cos {

/** @brief MD5 and CRC64 of some bytes, computed in one pass. */
struct WindowDigest
{
    QByteArray md5; ///< 16 raw bytes
    quint64 crc64 = 0;
    Error error;

    [[nodiscard]] bool ok() const { return !error.isError(); }
};

/** @brief The bytes [offset, offset + size) of a file (one upload part). */
struct FileWindow
{
    qint64 offset = 0;
    qint64 size = 0;
};

/** @brief A window of a file that names its file (digestWindows()). */
struct NamedWindow
{
    QString path;
    FileWindow window;
};

/**
 * @brief Reads [offset, offset + size) of @p fileName once and returns its MD5 and CRC64.
 *
 * Thread-safe (it opens its own QFile), so callers may run it on a worker thread; it reads in
 * 256 KiB blocks. A short file or read error gives a Kind::Io error. One window of
 * digestFileWindows().
 */
WindowDigest digestFileWindow(const QString &fileName, qint64 offset, qint64 size);

/**
 * @brief MD5 and CRC64 of several windows of @p fileName, hashed together in SIMD lanes.
 *
 * Result i belongs to @p windows[i]. Windows may have any lengths (0 included), order and
 * overlap. Up to Md5Lanes::MaxLanes (16) windows are read in turns of 256 KiB per window and
 * their MD5s advance in lockstep in SIMD lanes; more windows run as further batches. Pass
 * Md5Lanes::preferredLanes() windows for the best speed (16 with AVX-512VL, 8 with AVX2). Memory
 * stays at 256 KiB per window of a batch whatever the window sizes; each byte is read once and
 * feeds both digests.
 *
 * Errors are per window, as digestFileWindow() reports them: a file that cannot be opened fails
 * every window (Kind::Io); a window past the end of the file, or a read error, fails that window
 * with a Kind::Io error naming the file and the byte offset; a negative offset or size is
 * Kind::InvalidInput. Thread-safe (its own QFile); blocking, so run it on a worker thread.
 * @p kernel is for tests and benchmarks.
 */
QList<WindowDigest> digestFileWindows(const QString &fileName, const QList<FileWindow> &windows,
                                      Md5Lanes::Kernel kernel = Md5Lanes::Kernel::Auto);

/**
 * @brief digestFileWindows() over windows of several files: windows of different files share
 * the SIMD lanes of a pass. Errors as there, per window.
 */
QList<WindowDigest> digestWindows(const QList<NamedWindow> &windows,
                                  Md5Lanes::Kernel kernel = Md5Lanes::Kernel::Auto);

/**
 * @brief digestFileWindows() on the global thread pool; @p done runs on @p context's thread,
 * and not at all once @p context is deleted (the worker then finishes and its result is dropped).
 */
void digestFileWindowsAsync(const QString &fileName, const QList<FileWindow> &windows,
                            QObject *context,
                            std::function<void(const QList<WindowDigest> &)> done);

} // namespace Cos
