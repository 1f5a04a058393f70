#pragma once

#include "transferlistmodel.h"

#include "cos/transfer/batchtransfer.h"
#include "cos/transfer/transferqueue.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace Cos {
class Client;
} // namespace Cos

/**
 * @brief Folder and multi-selection transfers of the Transfers page: one row per batch (a
 * Cos::BatchTransfer over a folder, or over a selection of one folder's files and folders),
 * with files done of found, bytes, speed, ETA and state, and the failed files inside it.
 *
 * Pause aborts the batch (multipart checkpoints stay); resume starts it again, which skips
 * every file the destination already has with the same content and resumes the rest. Cancel
 * stops it for good. Failed files are kept per row (the first MaxFailures).
 *
 * With a state file (setStateFile()), every batch is saved as one small descriptor (what it
 * moves, its state and counters, the first MaxSavedFailures failures; never a row per file):
 * at once on each state change, and at most every SaveIntervalMs while the counters move, so
 * even a killed process leaves its batches on disk. restore() brings them back: unfinished
 * ones as Paused with their last counts, failed and succeeded ones as history (the newest
 * MaxSavedFinished); canceled ones are not kept.
 */
class BatchListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.actions.batches")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged)
    /** @brief Rows by state, for the Transfers page's summary and filter tabs. */
    Q_PROPERTY(int runningCount READ runningCount NOTIFY statsChanged)
    Q_PROPERTY(int pausedCount READ pausedCount NOTIFY statsChanged)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY statsChanged)
    Q_PROPERTY(int finishedCount READ finishedCount NOTIFY statsChanged)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        DirectionRole, ///< "upload" or "download"
        StateRole, ///< running, paused, succeeded, failed, canceled
        StateTextRole,
        FilesTextRole, ///< "12 of 40 files" ("of 40+" while the walk goes on)
        BytesTextRole,
        SpeedTextRole,
        EtaTextRole,
        ProgressRole, ///< 0..1, -1 while unknown
        FailedCountRole,
        FailuresRole, ///< "path: reason" lines of failed files
        ErrorRole,
        CanPauseRole,
        CanResumeRole,
        CanCancelRole,
        CanRetryRole, ///< failed, and running it again can help (TransferListModel::isRetryable)
        SourceRowRole, ///< the row itself, for views through a proxy
        FolderUrlRole, ///< the local folder (file: URL)
    };
    Q_ENUM(Roles)

    /** Of these, a batch is Running, Paused, Succeeded, Failed or Canceled. */
    using State = Cos::TransferQueue::State;

    /** @brief What a batch moves; enough to start it again. */
    struct Record
    {
        Cos::BatchTransfer::Direction direction = Cos::BatchTransfer::Direction::Upload;
        QString name; ///< shown in the row
        QString region;
        QString bucket;
        QString prefix; ///< the folder in the bucket ("" or ending in "/")
        QString localDir;
        QStringList only; ///< Cos::BatchOptions::only
    };

    /** @brief The client for a region; null (with @p error) when not connected. */
    using ClientFactory = std::function<Cos::Client *(const QString &region, QString *error)>;

    static constexpr int MaxFailures = 200;
    /** Failures kept per batch in the state file. */
    static constexpr int MaxSavedFailures = 20;
    /** Finished (succeeded or failed) batches kept in the state file, newest first. */
    static constexpr int MaxSavedFinished = 50;
    /** At most one save per this many milliseconds while only the counters change. */
    static constexpr int SaveIntervalMs = 1000;

    explicit BatchListModel(QObject *parent = nullptr);
    ~BatchListModel() override;

    void setClientFactory(ClientFactory factory) { m_clientFor = std::move(factory); }
    /** @brief Options of every batch started from now on (tests use small parts). */
    void setOptions(const Cos::BatchOptions &options) { m_options = options; }

    /** @brief Where batches are saved (empty: not saved). */
    void setStateFile(const QString &path) { m_stateFile = path; }
    /**
     * @brief Adds the saved batches after the rows there are: unfinished ones as Paused.
     * Returns how many; a missing, unreadable or malformed file adds none (@p error says why,
     * except for a missing file).
     */
    int restore(QString *error = nullptr);

    /** @brief Adds a row and starts its batch; returns the row. */
    int add(const Record &record);
    /** @brief Pauses every running batch (also before the clients go away). */
    Q_INVOKABLE void pauseAll();
    /** @brief Resumes every paused batch. */
    Q_INVOKABLE void resumeAll();

    [[nodiscard]] int count() const { return int(m_rows.size()); }
    [[nodiscard]] int activeCount() const;
    [[nodiscard]] int runningCount() const { return countOf({State::Running}); }
    [[nodiscard]] int pausedCount() const { return countOf({State::Paused}); }
    [[nodiscard]] int failedCount() const { return countOf({State::Failed}); }
    [[nodiscard]] int finishedCount() const { return countOf({State::Succeeded, State::Canceled}); }
    /** @brief Bytes of the running and paused batches, for the overall progress line. */
    [[nodiscard]] TransferListModel::Totals totals() const;
    [[nodiscard]] Record recordAt(int row) const;
    /** @brief State code of @p row (see StateRole). */
    Q_INVOKABLE QString stateAt(int row) const;
    /** @brief The engine's counters of @p row (the last seen when not running). */
    [[nodiscard]] Cos::BatchProgress progressAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void pause(int row);
    Q_INVOKABLE void resume(int row);
    Q_INVOKABLE void cancel(int row);
    /** @brief Removes succeeded, failed and canceled rows. */
    Q_INVOKABLE void clearFinished();

Q_SIGNALS:
    void countChanged();
    void activeCountChanged();
    void statsChanged();
    /** @brief A batch ended by itself: @p failed files failed (0: all done). */
    void batchFinished(const QString &name, int transferred, int failed, const QString &message);

private:
    struct Row
    {
        int id = 0;
        Record record;
        State state = State::Running;
        QPointer<Cos::BatchTransfer> job;
        Cos::BatchProgress progress;
        QStringList failures;
        qint64 failedCount = 0;
        QString error;
        bool retryable = true;
    };

    void start(Row &row);
    [[nodiscard]] int rowOf(int id) const;
    [[nodiscard]] int countOf(std::initializer_list<State> states) const;
    /** Row @p row changed; @p stateChanged: save now, else within SaveIntervalMs. */
    void changed(int row, bool stateChanged = true);
    void stop(int row, State state);
    void save();

    QList<Row> m_rows;
    ClientFactory m_clientFor;
    Cos::BatchOptions m_options;
    QString m_stateFile;
    QTimer m_saveTimer;
    int m_nextId = 1;
    int m_lastActive = 0;
    QList<int> m_lastStats;
};
