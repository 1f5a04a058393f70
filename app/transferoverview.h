#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

class BatchListModel;
class TransferListModel;

/**
 * @brief The Transfers page's header over single transfers and batches together: the summary
 * ("1 running, 2 queued, 1 failed"), the counts of the filter tabs and the overall progress
 * line (bytes done of the unfinished rows of both, speed, time left).
 */
class TransferOverview : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(TransferListModel *transfers READ transfers WRITE setTransfers NOTIFY sourcesChanged)
    Q_PROPERTY(BatchListModel *batches READ batches WRITE setBatches NOTIFY sourcesChanged)
    /** @brief "1 running, 1 paused, 2 failed", or "3 finished" when nothing else is left. */
    Q_PROPERTY(QString summary READ summary NOTIFY changed)
    /** @brief Rows of the tabs Active (running, queued, paused), Failed and Done. */
    Q_PROPERTY(int activeCount READ activeCount NOTIFY changed)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY changed)
    Q_PROPERTY(int finishedCount READ finishedCount NOTIFY changed)
    /** @brief 0..1 over the unfinished rows; -1 when unknown. */
    Q_PROPERTY(double progress READ progress NOTIFY changed)
    /** @brief "120 MiB of 300 MiB · 12 MiB/s · 15 s left"; empty when nothing moves. */
    Q_PROPERTY(QString text READ text NOTIFY changed)

public:
    explicit TransferOverview(QObject *parent = nullptr);

    [[nodiscard]] TransferListModel *transfers() const { return m_transfers; }
    void setTransfers(TransferListModel *transfers);
    [[nodiscard]] BatchListModel *batches() const { return m_batches; }
    void setBatches(BatchListModel *batches);

    [[nodiscard]] QString summary() const { return m_summary; }
    [[nodiscard]] int activeCount() const { return m_active; }
    [[nodiscard]] int failedCount() const { return m_failed; }
    [[nodiscard]] int finishedCount() const { return m_finished; }
    [[nodiscard]] double progress() const { return m_progress; }
    [[nodiscard]] QString text() const { return m_text; }

Q_SIGNALS:
    void sourcesChanged();
    void changed();

private:
    void update();

    QPointer<TransferListModel> m_transfers;
    QPointer<BatchListModel> m_batches;
    QString m_summary;
    int m_active = 0;
    int m_failed = 0;
    int m_finished = 0;
    double m_progress = -1;
    QString m_text;
};
