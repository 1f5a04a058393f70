#include "cos/digest/partdigests.h"

#include "cos/digest/md5lanes.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

PartDigestQueue::PartDigestQueue(const QString &path, const QList<FileWindow> &partWindows,
                                 QObject *parent)
    : QObject(parent)
    , m_path(path)
    , m_partWindows(partWindows)
    , m_lanes(qMax(1, Md5Lanes::preferredLanes()))
{ }

PartDigestQueue::~PartDigestQueue() = default;

void PartDigestQueue::setOrder(const QList<int> &partNumbers)
{
    m_order.clear();
    for (int n : partNumbers) {
        if (!m_running.contains(n) && !m_ready.contains(n))
            m_order.append(n);
    }
    maybeStartBatch();
}

void PartDigestQueue::want(int partNumber, QObject *context, Done done)
{
    Waiter waiter {context, std::move(done)};
    if (m_ready.contains(partNumber)) {
        deliver(m_ready.take(partNumber), std::move(waiter));
        maybeStartBatch();
        return;
    }
    m_waiters[partNumber].append(std::move(waiter));
    if (!m_running.contains(partNumber) && !m_order.contains(partNumber))
        m_order.prepend(partNumber);
    maybeStartBatch();
}

void PartDigestQueue::deliver(const WindowDigest &digest, Waiter waiter)
{
    QObject *context = waiter.context.data();
    if (!context)
        return;
    // Always from the event loop: a caller may want() inside its own bookkeeping.
    QMetaObject::invokeMethod(
            context, [digest, done = std::move(waiter.done)] { done(digest); },
            Qt::QueuedConnection);
}

void PartDigestQueue::maybeStartBatch()
{
    if (!m_running.isEmpty() || m_order.isEmpty())
        return;
    // Parts somebody waits for go first (a retry after a pause, a resend), then the send order.
    const int lanes = m_batchSizes.isEmpty() && m_firstBatch > 0 ? qMin(m_lanes, m_firstBatch)
                                                                 : m_lanes;
    QList<int> batch;
    for (auto it = m_order.begin(); it != m_order.end() && batch.size() < lanes;) {
        if (m_waiters.contains(*it)) {
            batch.append(*it);
            it = m_order.erase(it);
        } else {
            ++it;
        }
    }
    const bool someoneWaits = !batch.isEmpty();
    if (!someoneWaits && m_ready.size() >= lookahead())
        return;
    while (batch.size() < lanes && !m_order.isEmpty())
        batch.append(m_order.takeFirst());
    m_running = batch;
    m_batchSizes.append(int(batch.size()));

    QList<FileWindow> windows;
    windows.reserve(batch.size());
    for (int n : std::as_const(batch))
        windows.append(m_partWindows.value(n - 1));

    // This queue is the context: deleting it drops the batch's result.
    auto done = [this, batch](const QList<WindowDigest> &digests) { onBatchDone(batch, digests); };
    if (m_lanePool) {
        QList<NamedWindow> named;
        named.reserve(windows.size());
        for (const FileWindow &w : std::as_const(windows))
            named.append({m_path, w});
        m_lanePool->submit(named, this, std::move(done));
    } else {
        digestFileWindowsAsync(m_path, windows, this, std::move(done));
    }
}

void PartDigestQueue::onBatchDone(const QList<int> &parts, const QList<WindowDigest> &digests)
{
    m_running.clear();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const int n = parts.at(i);
        WindowDigest digest;
        if (i < digests.size())
            digest = digests.at(i);
        else
            digest.error = Error(Error::Kind::Io, u"No digest for part %1"_s.arg(n));
        const QList<Waiter> waiters = m_waiters.take(n);
        if (waiters.isEmpty()) {
            m_ready.insert(n, digest);
            continue;
        }
        for (const Waiter &w : waiters)
            deliver(digest, w);
    }
    maybeStartBatch();
}

} // namespace Cos
