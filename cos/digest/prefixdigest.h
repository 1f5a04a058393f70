#pragma once

#include "cos/digest/crc64.h"
#include "cos/digest/filedigest.h"
#include "cos/digest/md5lanes.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace Cos {

/**
 * @brief MD5 and CRC64 of a file that is being filled, hashed from the start as it fills.
 *
 * A download writes ranges out of order, but MD5 is a serial chain over the bytes in order.
 * Hashing the finished file costs a second full pass after the last byte arrived (0.7 s for
 * 512 MiB here, as long as the download itself). Instead the owner reports how far the file is
 * complete from its start, and a worker thread hashes each new stretch from the page cache
 * while the rest is still arriving.
 *
 * @verbatim
 *   setAvailable(n)
 *        |
 *        v
 *   [idle] --(n - hashed >= MinStep, or n == total)--> [hashing hashed..n on a worker]
 *     ^                                                    |
 *     +---------- hashed = n (or an error) ----------------+
 *   whenDone(context, done): done(digest) once hashed == total, or on the first error
 * @endverbatim
 */
class PrefixDigest : public QObject
{
    Q_OBJECT

public:
    /** @brief Stretches shorter than this wait for more bytes (unless the file is complete). */
    static constexpr qint64 MinStep = 4 * 1024 * 1024;

    PrefixDigest(const QString &path, qint64 totalSize, QObject *parent = nullptr);
    ~PrefixDigest() override;

    /** @brief Bytes [0, @p bytes) of the file are final; never decreases. */
    void setAvailable(qint64 bytes);
    /**
     * @brief Calls @p done with the digest of the whole file once it is hashed (from the event
     * loop, also when it already is), and not at all once @p context is deleted.
     */
    void whenDone(QObject *context, std::function<void(const WindowDigest &)> done);

    [[nodiscard]] qint64 hashed() const { return m_state.hashed; }

    /** @brief Where a hash stopped, to go on from there. */
    struct State
    {
        Md5Lanes::State md5;
        QByteArray tail; ///< bytes after the last whole 64-byte block
        Crc64 crc;
        qint64 hashed = 0;
        Error error;
    };
    /** @brief Hashes bytes [state.hashed, @p end) of @p path onto @p state (blocking). */
    [[nodiscard]] static State advance(const QString &path, State state, qint64 end);

private:
    void maybeStart();
    void deliver();

    QString m_path;
    qint64 m_total = 0;
    qint64 m_available = 0;
    bool m_busy = false;
    State m_state;
    QList<std::pair<QPointer<QObject>, std::function<void(const WindowDigest &)>>> m_waiters;
};

} // namespace Cos
