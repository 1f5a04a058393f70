#pragma once

#include <QAbstractListModel>
#include <QList>
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
    /** @brief The task of @p row, if it has one (tests). */
    [[nodiscard]] Cos::TransferTask *taskAt(int row) const;
    /** @brief State code of @p row: queued, running, paused, succeeded, failed, canceled. */
    Q_INVOKABLE QString stateAt(int row) const;

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

Q_SIGNALS:
    void countChanged();
    void activeCountChanged();
    /** @brief A row finished (succeeded or failed); for a snackbar. */
    void transferFinished(const QString &name, bool ok, const QString &message);

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
    QString errorText(const Row &row) const;
    void save() const;

    QList<Row> m_rows;
    TaskFactory m_factory;
    QString m_stateFile;
    Cos::TransferQueue *m_queue;
    int m_lastActive = 0;
};
