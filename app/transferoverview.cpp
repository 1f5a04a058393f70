#include "transferoverview.h"

#include "batchlistmodel.h"
#include "transferlistmodel.h"

#include <QStringList>

using namespace Qt::StringLiterals;

TransferOverview::TransferOverview(QObject *parent)
    : QObject(parent)
{ }

void TransferOverview::setTransfers(TransferListModel *transfers)
{
    if (transfers == m_transfers)
        return;
    if (m_transfers)
        disconnect(m_transfers, nullptr, this, nullptr);
    m_transfers = transfers;
    if (transfers) {
        connect(transfers, &TransferListModel::statsChanged, this, &TransferOverview::update);
        connect(transfers, &TransferListModel::countChanged, this, &TransferOverview::update);
    }
    Q_EMIT sourcesChanged();
    update();
}

void TransferOverview::setBatches(BatchListModel *batches)
{
    if (batches == m_batches)
        return;
    if (m_batches)
        disconnect(m_batches, nullptr, this, nullptr);
    m_batches = batches;
    if (batches) {
        // Counters move with dataChanged (at most every 200 ms per running batch).
        connect(batches, &QAbstractItemModel::dataChanged, this, &TransferOverview::update);
        connect(batches, &BatchListModel::statsChanged, this, &TransferOverview::update);
        connect(batches, &BatchListModel::countChanged, this, &TransferOverview::update);
    }
    Q_EMIT sourcesChanged();
    update();
}

void TransferOverview::update()
{
    int running = 0;
    int queued = 0;
    int paused = 0;
    int failed = 0;
    int finished = 0;
    TransferListModel::Totals totals;
    if (m_transfers) {
        running += m_transfers->runningCount();
        queued += m_transfers->queuedCount();
        paused += m_transfers->pausedCount();
        failed += m_transfers->failedCount();
        finished += m_transfers->finishedCount();
        totals += m_transfers->totals();
    }
    if (m_batches) {
        running += m_batches->runningCount();
        paused += m_batches->pausedCount();
        failed += m_batches->failedCount();
        finished += m_batches->finishedCount();
        totals += m_batches->totals();
    }
    QStringList parts;
    if (running > 0)
        parts.append(tr("%n running", nullptr, running));
    if (queued > 0)
        parts.append(tr("%n queued", nullptr, queued));
    if (paused > 0)
        parts.append(tr("%n paused", nullptr, paused));
    if (failed > 0)
        parts.append(tr("%n failed", nullptr, failed));
    if (parts.isEmpty() && finished > 0)
        parts.append(tr("%n finished", nullptr, finished));
    const QString summary = parts.join(u", "_s);
    const double progress = TransferListModel::overallProgress(totals);
    const QString text = TransferListModel::overallText(totals);
    const int active = running + queued + paused;
    if (summary == m_summary && active == m_active && failed == m_failed && finished == m_finished
        && progress == m_progress && text == m_text)
        return;
    m_summary = summary;
    m_active = active;
    m_failed = failed;
    m_finished = finished;
    m_progress = progress;
    m_text = text;
    Q_EMIT changed();
}
