#pragma once

#include "cos/digest/digestpool.h"
#include "cos/digest/filedigest.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Cos {

/**
 * @brief MD5 and CRC64 of an upload's parts, computed ahead of sending, several parts per pass.
 *
 * MD5 is one serial chain per part, but independent parts hash together in the SIMD lanes of
 * digestFileWindows(): one pass over a batch of parts costs a fraction of hashing them one by
 * one, and that CPU competes with the upload itself (docs/benchmarks.md, Transfers).
 *
 * @verbatim
 *   setOrder(parts)                       want(n, context, done)
 *        |                                   |-- ready ---------> done(digest), queued
 *        v                                   +-- not ready -----> waits for its batch
 *   [idle] --order left, fewer than the lookahead ready, or someone waits-->
 *   [batch: next <= lanes parts, waited-for first, on a worker thread]
 *        |--> results stored, waiters called --> [idle]
 * @endverbatim
 *
 * At most lookahead() digests wait unclaimed, so hashing stays a few parts ahead of sending
 * (the file is read twice, and the second read should still hit the page cache). Deleting the
 * queue drops a batch still running; waiters whose context is gone are skipped.
 */
class PartDigestQueue : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const WindowDigest &)>;

    /** @brief Hashes windows of @p path; part n is @p partWindows[n - 1]. */
    PartDigestQueue(const QString &path, const QList<FileWindow> &partWindows,
                    QObject *parent = nullptr);
    ~PartDigestQueue() override;

    /** @brief Parts to hash, in the order they will be sent (replaces the previous order). */
    void setOrder(const QList<int> &partNumbers);
    /**
     * @brief Calls @p done with part @p partNumber's digest, always from the event loop, and
     * not at all once @p context is deleted. The digest is handed out once: a later want() of
     * the same part hashes it again.
     */
    void want(int partNumber, QObject *context, Done done);
    /** @brief Whether part @p partNumber's digest is computed and not handed out yet. */
    [[nodiscard]] bool isReady(int partNumber) const { return m_ready.contains(partNumber); }

    /**
     * @brief The first pass hashes at most @p parts parts (0: lanes()), so the first parts can
     * be sent while the next pass hashes the rest.
     *
     * The lanes of a pass finish together: a first pass of all lanes over 16 parts of 16 MiB
     * reads and hashes 256 MiB before the first byte is sent. An upload starts with a pass of
     * one SIMD group (its parts in flight) and hashes the rest meanwhile.
     */
    void setFirstBatch(int parts) { m_firstBatch = qMax(0, parts); }
    /**
     * @brief Runs this queue's passes through @p pool (shared with other queues, so that the
     * parts of several files fill one pass) instead of one pass of its own at a time.
     */
    void setLanePool(DigestLanePool *pool) { m_lanePool = pool; }
    /** @brief The size of every pass started so far (for tests and diagnostics). */
    [[nodiscard]] const QList<int> &batchSizes() const { return m_batchSizes; }

    /** @brief Parts hashed per pass (the hasher's lane count). */
    [[nodiscard]] int lanes() const { return m_lanes; }
    /** @brief Unclaimed digests kept at most before hashing pauses. */
    [[nodiscard]] int lookahead() const { return 2 * m_lanes; }

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Done done;
    };

    void maybeStartBatch();
    void onBatchDone(const QList<int> &parts, const QList<WindowDigest> &digests);
    void deliver(const WindowDigest &digest, Waiter waiter);

    QString m_path;
    QPointer<DigestLanePool> m_lanePool;
    QList<FileWindow> m_partWindows; // part n at index n - 1
    int m_lanes;
    int m_firstBatch = 0;
    QList<int> m_batchSizes;
    QList<int> m_order; // not hashed yet, not in the running batch
    QList<int> m_running; // the running batch
    QHash<int, WindowDigest> m_ready;
    QHash<int, QList<Waiter>> m_waiters;
};

} // namespace Cos
