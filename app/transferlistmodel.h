#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QSortFilterProxyModel>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <functional>

namespace Cos {
class Error;
class TransferTask;
class TransferQueue;
} // namespace Cos

/**
 * @brief The transfers page: uploads and downloads with progress, speed, ETA and state, and
 * the commands pause, resume, cancel, retry.
 *
 * A view over a Cos::TransferQueue, which schedules the transfers (at most maxRunning() run at
 * once; the others wait as "Queued"), pauses, resumes, cancels and retries them, and limits
 * progress signals to ten a second per transfer. Each row maps one queue entry and keeps its
 * record (direction, bucket, region, key, local path). The entry's task is made from the
 * record when the row starts (by the factory the controller installs) and dropped on reconnect
 * (detachTasks()), so a resume always runs on the current client and continues from the
 * engine's checkpoint. Unfinished rows are saved to a JSON file and come back after a restart
 * as "Paused".
 */
class TransferListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.transfers")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged)
    /** @brief Rows by state group, for the page's header and filters. */
    Q_PROPERTY(int runningCount READ runningCount NOTIFY statsChanged)
    Q_PROPERTY(int queuedCount READ queuedCount NOTIFY statsChanged)
    Q_PROPERTY(int pausedCount READ pausedCount NOTIFY statsChanged)
    Q_PROPERTY(int failedCount READ failedCount NOTIFY statsChanged)
    Q_PROPERTY(int finishedCount READ finishedCount NOTIFY statsChanged)
    /** @brief Bytes done of all unfinished rows over their total, 0..1; -1 when unknown. */
    Q_PROPERTY(double overallProgress READ overallProgress NOTIFY statsChanged)
    /** @brief "120 MiB of 300 MiB · 12 MiB/s · 15 s left" over the unfinished rows. */
    Q_PROPERTY(QString overallText READ overallText NOTIFY statsChanged)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        DirectionRole,
        BucketRole,
        KeyRole,
        LocalPathRole,
        StateRole,
        StateTextRole,
        ProgressRole,
        BytesTextRole,
        SpeedTextRole,
        EtaTextRole,
        ErrorRole,
        CanPauseRole,
        CanResumeRole,
        CanCancelRole,
        CanRetryRole,
        SourceRowRole,
        LocalUrlRole,
        FolderUrlRole,
    };
    Q_ENUM(Roles)

    enum class Direction { Upload, Download };

    /** @brief What a row is about; enough to recreate its task. */
    struct Record
    {
        Direction direction = Direction::Upload;
        QString bucket;
        QString region;
        QString key;
        QString localPath;
    };

    /** @brief Bytes of the unfinished rows, which the overall progress line shows. */
    struct Totals
    {
        qint64 done = 0;
        qint64 total = 0;
        double bytesPerSecond = 0;
        bool unknownTotal = false; ///< a row does not know its size yet
        int unfinished = 0; ///< running, queued or paused rows
        int moving = 0; ///< running or queued rows
        Totals &operator+=(const Totals &o);
    };
    /** @brief done / total, 0..1; -1 when unknown or nothing is unfinished. */
    [[nodiscard]] static double overallProgress(const Totals &totals);
    /** @brief "120 MiB of 300 MiB · 12 MiB/s · 15 s left"; empty when nothing moves. */
    [[nodiscard]] static QString overallText(const Totals &totals);

    /** @brief Creates the engine task of a record (parented by the caller); null on failure. */
    using TaskFactory = std::function<Cos::TransferTask *(const Record &, QString *error)>;

    static constexpr int DefaultMaxRunning = 3;

    explicit TransferListModel(QObject *parent = nullptr);
    ~TransferListModel() override;

    void setTaskFactory(TaskFactory factory) { m_factory = std::move(factory); }
    /** @brief Where unfinished transfers are saved (empty: not saved). */
    void setStateFile(const QString &path) { m_stateFile = path; }
    /** @brief Restores the saved rows as Paused; returns how many. */
    int restore();
    /** @brief At least 1 (the queue's concurrency limit). */
    void setMaxRunning(int n);
    [[nodiscard]] int maxRunning() const;

    /** @brief Adds a row and queues it; returns its row. */
    int add(const Record &record);
    /** @brief Pauses every running row and drops the tasks (before the clients go away). */
    void detachTasks();

    [[nodiscard]] int count() const { return int(m_rows.size()); }
    /** @brief Rows queued, running or canceling. */
    [[nodiscard]] int activeCount() const;
    [[nodiscard]] int runningCount() const { return m_stats.running; }
    [[nodiscard]] int queuedCount() const { return m_stats.queued; }
    [[nodiscard]] int pausedCount() const { return m_stats.paused; }
    [[nodiscard]] int failedCount() const { return m_stats.failed; }
    [[nodiscard]] int finishedCount() const { return m_stats.finished; }
    [[nodiscard]] double overallProgress() const { return m_stats.progress; }
    [[nodiscard]] QString overallText() const { return m_stats.text; }
    [[nodiscard]] Totals totals() const { return m_totals; }
    /**
     * @brief Whether retrying @p error can help: not for answers that will not change (a
     * missing key, a denied or malformed request), yes for network, timeouts, credentials,
     * server errors and local failures.
     */
    [[nodiscard]] static bool isRetryable(const Cos::Error &error);
    /** @brief The task of @p row, if it has one (tests). */
    [[nodiscard]] Cos::TransferTask *taskAt(int row) const;
    /** @brief State code of @p row: queued, running, paused, succeeded, failed, canceled. */
    Q_INVOKABLE QString stateAt(int row) const;
    /** @brief Region of @p row's bucket (for a link to a finished upload). */
    Q_INVOKABLE QString regionAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    Q_INVOKABLE void pause(int row);
    Q_INVOKABLE void resume(int row);
    Q_INVOKABLE void cancel(int row);
    Q_INVOKABLE void retry(int row) { resume(row); }
    Q_INVOKABLE void pauseAll();
    Q_INVOKABLE void resumeAll();
    /** @brief Removes succeeded, failed and canceled rows. */
    Q_INVOKABLE void clearFinished();
    /** @brief The local files of the upload rows (finished ones included). */
    [[nodiscard]] QStringList uploadSources() const;

Q_SIGNALS:
    void countChanged();
    void activeCountChanged();
    /** @brief A row finished (succeeded or failed). */
    void transferFinished(const QString &name, bool ok, const QString &message);
    /**
     * @brief Nothing runs or waits any more after rows finished: one summary for all of them.
     * @p firstFailure is "name: reason" of the first failed row, empty when none failed.
     */
    void batchFinished(int succeeded, int failed, const QString &firstFailure);
    void statsChanged();
    /**
     * @brief An upload no longer needs its local file: it succeeded, or its row was cleared.
     * (A copy staged from a picked file can then go; see PickedFileStager.)
     */
    void uploadSourceReleased(const QString &localPath);

private:
    struct Row
    {
        int id = 0; // of the queue entry
        Record record;
    };

    std::function<Cos::TransferTask *(Cos::Error *)> taskFactory(const Record &record);
    int rowOf(int id) const;
    void onStateChanged(int id);
    void onProgressChanged(int id);
    void updateActiveCount();
    void updateStats();
    QString errorText(const Row &row) const;
    void save() const;

    QList<Row> m_rows;
    TaskFactory m_factory;
    QString m_stateFile;
    Cos::TransferQueue *m_queue;
    int m_lastActive = 0;
    struct Stats
    {
        int running = 0;
        int queued = 0;
        int paused = 0;
        int failed = 0;
        int finished = 0;
        double progress = -1;
        QString text;
        bool operator==(const Stats &o) const
        {
            return running == o.running && queued == o.queued && paused == o.paused
                    && failed == o.failed && finished == o.finished && progress == o.progress
                    && text == o.text;
        }
    } m_stats;
    Totals m_totals;
    // Rows finished since the queue was last idle; reported by batchFinished().
    int m_batchSucceeded = 0;
    int m_batchFailed = 0;
    QString m_batchFirstFailure;
};

/**
 * @brief The Transfers page's view of a TransferListModel (or of a BatchListModel, with
 * stateRoleName "batchState"): active rows first (running, queued, paused in queue order),
 * then failed and finished ones, newest first; filtered by state group. Rows keep their source
 * row in the role sourceRow for the model's commands.
 */
class TransferFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *source READ source WRITE setSource NOTIFY sourceChanged)
    /** @brief The source's role with the state code ("transferState" unless set). */
    Q_PROPERTY(QString stateRoleName READ stateRoleName WRITE setStateRoleName NOTIFY sourceChanged)
    /** @brief "all", "active" (queued, running, paused), "finished" or "failed". */
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    explicit TransferFilterModel(QObject *parent = nullptr);

    [[nodiscard]] QAbstractItemModel *source() const { return m_source; }
    void setSource(QAbstractItemModel *source);
    [[nodiscard]] QString stateRoleName() const { return m_stateRoleName; }
    void setStateRoleName(const QString &name);
    [[nodiscard]] QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    [[nodiscard]] int count() const { return rowCount(); }
    /** @brief The source row of view row @p row, -1 if none. */
    Q_INVOKABLE int sourceRow(int row) const;
    /** @brief The view row of source row @p sourceRow, -1 if filtered out. */
    Q_INVOKABLE int viewRow(int sourceRow) const;

    /** @brief 0 running, 1 queued, 2 paused, 3 failed, 4 succeeded or canceled. */
    static int group(const QString &state);

Q_SIGNALS:
    void sourceChanged();
    void filterChanged();
    void countChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void resolveStateRole();

    QAbstractItemModel *m_source = nullptr;
    QString m_filter = QStringLiteral("all");
    QString m_stateRoleName = QStringLiteral("transferState");
    int m_stateRole = -1;
};
