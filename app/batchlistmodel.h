#pragma once

#include "cos/transfer/batchtransfer.h"
#include "cos/transfer/transferqueue.h"

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QStringList>
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
 * stops it for good. Batches are not saved across a restart: doing the same upload or download
 * again sends only what is missing. Failed files are kept per row (the first MaxFailures).
 */
class BatchListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.actions.batches")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int activeCount READ activeCount NOTIFY activeCountChanged)

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

    explicit BatchListModel(QObject *parent = nullptr);
    ~BatchListModel() override;

    void setClientFactory(ClientFactory factory) { m_clientFor = std::move(factory); }
    /** @brief Options of every batch started from now on (tests use small parts). */
    void setOptions(const Cos::BatchOptions &options) { m_options = options; }

    /** @brief Adds a row and starts its batch; returns the row. */
    int add(const Record &record);
    /** @brief Pauses every running batch (before the clients go away). */
    void pauseAll();

    [[nodiscard]] int count() const { return int(m_rows.size()); }
    [[nodiscard]] int activeCount() const;
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
    };

    void start(Row &row);
    [[nodiscard]] int rowOf(int id) const;
    void changed(int row);
    void stop(int row, State state);

    QList<Row> m_rows;
    ClientFactory m_clientFor;
    Cos::BatchOptions m_options;
    int m_nextId = 1;
    int m_lastActive = 0;
};
