#include "transferlistmodel.h"

#include "presentation.h"

#include <transfertask.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace {
constexpr int FlushIntervalMs = 100; // at most ten dataChanged() per second
constexpr qint64 MaxStateFileSize = 4 * 1024 * 1024;
} // namespace

TransferListModel::TransferListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_flush.setSingleShot(true);
    m_flush.setInterval(FlushIntervalMs);
    connect(&m_flush, &QTimer::timeout, this, &TransferListModel::flushDirty);
}

TransferListModel::~TransferListModel()
{
    // Tasks are children; make sure they do not call back into a half-destroyed model.
    for (Row &row : m_rows) {
        if (row.task)
            row.task->disconnect(this);
    }
}

int TransferListModel::activeCount() const
{
    int n = 0;
    for (const Row &r : m_rows) {
        if (r.state == RowState::Queued || r.state == RowState::Running
            || r.state == RowState::Canceling)
            ++n;
    }
    return n;
}

Cos::TransferTask *TransferListModel::taskAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).task.data() : nullptr;
}

QString TransferListModel::stateAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? stateCode(m_rows.at(row).state) : QString();
}

int TransferListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QString TransferListModel::stateCode(RowState state)
{
    switch (state) {
    case RowState::Queued:
        return u"queued"_s;
    case RowState::Running:
        return u"running"_s;
    case RowState::Paused:
        return u"paused"_s;
    case RowState::Succeeded:
        return u"succeeded"_s;
    case RowState::Failed:
        return u"failed"_s;
    case RowState::Canceling:
        return u"canceling"_s;
    case RowState::Canceled:
        return u"canceled"_s;
    }
    return {};
}

QVariant TransferListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const bool upload = r.record.direction == Direction::Upload;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return upload ? QFileInfo(r.record.localPath).fileName() : r.record.key.section(u'/', -1);
    case DirectionRole:
        return upload ? u"upload"_s : u"download"_s;
    case BucketRole:
        return r.record.bucket;
    case KeyRole:
        return r.record.key;
    case LocalPathRole:
        return r.record.localPath;
    case StateRole:
        return stateCode(r.state);
    case StateTextRole:
        switch (r.state) {
        case RowState::Queued:
            return tr("Queued");
        case RowState::Running:
            return upload ? tr("Uploading") : tr("Downloading");
        case RowState::Paused:
            return tr("Paused");
        case RowState::Succeeded:
            return upload ? tr("Uploaded") : tr("Downloaded");
        case RowState::Failed:
            return tr("Failed");
        case RowState::Canceling:
            return tr("Canceling");
        case RowState::Canceled:
            return tr("Canceled");
        }
        return QString();
    case ProgressRole:
        if (r.state == RowState::Succeeded)
            return 1.0;
        return r.total > 0 ? double(r.done) / double(r.total) : 0.0;
    case BytesTextRole:
        if (r.total < 0)
            return r.done > 0 ? Presentation::formatSize(r.done) : QString();
        return tr("%1 of %2")
                .arg(Presentation::formatSize(r.done), Presentation::formatSize(r.total));
    case SpeedTextRole:
        return r.state == RowState::Running && r.speed > 0 ? Presentation::formatSpeed(r.speed)
                                                           : QString();
    case EtaTextRole:
        return r.state == RowState::Running && r.eta >= 0
                ? tr("%1 left").arg(Presentation::formatDuration(r.eta))
                : QString();
    case ErrorRole:
        return r.error;
    case CanPauseRole:
        return r.state == RowState::Running || r.state == RowState::Queued;
    case CanResumeRole:
        return r.state == RowState::Paused;
    case CanCancelRole:
        return r.state == RowState::Running || r.state == RowState::Queued
                || r.state == RowState::Paused || r.state == RowState::Failed;
    case CanRetryRole:
        return r.state == RowState::Failed;
    }
    return {};
}

QHash<int, QByteArray> TransferListModel::roleNames() const
{
    return {
            {NameRole, "name"_ba},           {DirectionRole, "direction"_ba},
            {BucketRole, "bucket"_ba},       {KeyRole, "key"_ba},
            {LocalPathRole, "localPath"_ba}, {StateRole, "transferState"_ba},
            {StateTextRole, "stateText"_ba}, {ProgressRole, "progress"_ba},
            {BytesTextRole, "bytesText"_ba}, {SpeedTextRole, "speedText"_ba},
            {EtaTextRole, "etaText"_ba},     {ErrorRole, "errorMessage"_ba},
            {CanPauseRole, "canPause"_ba},   {CanResumeRole, "canResume"_ba},
            {CanCancelRole, "canCancel"_ba}, {CanRetryRole, "canRetry"_ba},
    };
}

int TransferListModel::add(const Record &record)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    Row r;
    r.record = record;
    m_rows.append(r);
    endInsertRows();
    Q_EMIT countChanged();
    schedule();
    save();
    return row;
}

void TransferListModel::schedule()
{
    int running = 0;
    for (const Row &r : std::as_const(m_rows)) {
        if (r.state == RowState::Running || r.state == RowState::Canceling)
            ++running;
    }
    for (int i = 0; i < m_rows.size() && running < m_maxRunning; ++i) {
        if (m_rows.at(i).state != RowState::Queued)
            continue;
        if (startRow(i))
            ++running;
    }
    const int active = activeCount();
    if (active != m_lastActive) {
        m_lastActive = active;
        Q_EMIT activeCountChanged();
    }
}

bool TransferListModel::startRow(int row)
{
    Row &r = m_rows[row];
    if (!r.task) {
        QString error;
        Cos::TransferTask *task = m_factory ? m_factory(r.record, &error) : nullptr;
        if (!task) {
            r.state = RowState::Failed;
            r.error = error.isEmpty() ? tr("Not connected: check Settings.") : error;
            rowChanged(row);
            return false;
        }
        attach(row, task);
    }
    r.state = RowState::Running;
    r.error.clear();
    rowChanged(row);
    r.task->start();
    return true;
}

void TransferListModel::attach(int row, Cos::TransferTask *task)
{
    task->setParent(this);
    m_rows[row].task = task;
    connect(task, &Cos::TransferTask::stateChanged, this, [this, task] { onTaskState(task); });
    connect(task, &Cos::TransferTask::progressChanged, this, [this, task] { onTaskProgress(task); });
}

int TransferListModel::rowOf(const Cos::TransferTask *task) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).task == task)
            return i;
    }
    return -1;
}

void TransferListModel::onTaskProgress(Cos::TransferTask *task)
{
    const int row = rowOf(task);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    const Cos::TransferProgress p = task->progress();
    r.done = p.bytesDone;
    r.total = p.bytesTotal;
    r.speed = p.bytesPerSecond;
    r.eta = p.etaSeconds;
    markDirty(row);
}

void TransferListModel::onTaskState(Cos::TransferTask *task)
{
    const int row = rowOf(task);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    using S = Cos::TransferTask::State;
    const bool upload = r.record.direction == Direction::Upload;
    switch (task->state()) {
    case S::Idle:
        return;
    case S::Running:
        r.state = RowState::Running;
        break;
    case S::Paused:
        r.state = RowState::Paused;
        break;
    case S::Succeeded:
        r.state = RowState::Succeeded;
        r.done = r.total > 0 ? r.total : r.done;
        Q_EMIT transferFinished(data(index(row), NameRole).toString(), true, {});
        break;
    case S::Failed:
        r.state = RowState::Failed;
        r.error = Presentation::errorText(task->error(),
                                          upload ? Presentation::Operation::Upload
                                                 : Presentation::Operation::Download,
                                          r.record.bucket + u'/' + r.record.key);
        Q_EMIT transferFinished(data(index(row), NameRole).toString(), false, r.error);
        break;
    case S::Canceling:
        r.state = RowState::Canceling;
        break;
    case S::Canceled:
        r.state = RowState::Canceled;
        break;
    }
    onTaskProgress(task);
    rowChanged(row);
    if (task->isDone() && task->state() != S::Failed)
        dropTask(r);
    // Let the task finish emitting before the next one starts.
    QMetaObject::invokeMethod(
            this, [this] { schedule(); }, Qt::QueuedConnection);
    save();
}

void TransferListModel::dropTask(Row &row)
{
    if (!row.task)
        return;
    row.task->disconnect(this);
    row.task->deleteLater();
    row.task = nullptr;
}

void TransferListModel::pause(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    Row &r = m_rows[row];
    if (r.state == RowState::Queued) {
        r.state = RowState::Paused;
        rowChanged(row);
    } else if (r.state == RowState::Running && r.task) {
        r.task->pause(); // reports Paused through stateChanged
        if (r.state == RowState::Running) {
            r.state = RowState::Paused;
            rowChanged(row);
        }
    }
    schedule();
    save();
}

void TransferListModel::resume(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    Row &r = m_rows[row];
    if (r.state != RowState::Paused && r.state != RowState::Failed)
        return;
    r.state = RowState::Queued;
    r.error.clear();
    rowChanged(row);
    schedule();
    save();
}

void TransferListModel::cancel(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    Row &r = m_rows[row];
    if (r.state == RowState::Succeeded || r.state == RowState::Canceled
        || r.state == RowState::Canceling)
        return;
    if (!r.task) {
        // A restored or detached row: the task is needed to clean up the server side (an
        // unfinished multipart upload) and the checkpoint.
        QString error;
        Cos::TransferTask *task = m_factory ? m_factory(r.record, &error) : nullptr;
        if (!task) {
            r.state = RowState::Canceled;
            rowChanged(row);
            schedule();
            save();
            return;
        }
        attach(row, task);
    }
    r.state = RowState::Canceling;
    rowChanged(row);
    r.task->cancel();
    schedule();
    save();
}

void TransferListModel::pauseAll()
{
    for (int i = 0; i < m_rows.size(); ++i)
        pause(i);
}

void TransferListModel::resumeAll()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).state == RowState::Paused)
            resume(i);
    }
}

void TransferListModel::clearFinished()
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const RowState s = m_rows.at(i).state;
        if (s != RowState::Succeeded && s != RowState::Failed && s != RowState::Canceled)
            continue;
        beginRemoveRows({}, i, i);
        dropTask(m_rows[i]);
        m_rows.removeAt(i);
        endRemoveRows();
    }
    m_dirty.clear();
    Q_EMIT countChanged();
    save();
}

void TransferListModel::detachTasks()
{
    for (int i = 0; i < m_rows.size(); ++i) {
        Row &r = m_rows[i];
        if (!r.task)
            continue;
        r.task->disconnect(this);
        if (r.state == RowState::Running) {
            r.task->pause();
            r.state = RowState::Paused;
        } else if (r.state == RowState::Canceling) {
            r.state = RowState::Canceled;
        }
        dropTask(r);
        rowChanged(i);
    }
    schedule();
    save();
}

void TransferListModel::markDirty(int row)
{
    m_dirty.insert(row);
    if (!m_flush.isActive())
        m_flush.start();
}

void TransferListModel::flushDirty()
{
    if (m_dirty.isEmpty())
        return;
    int first = int(m_rows.size());
    int last = -1;
    for (int row : std::as_const(m_dirty)) {
        first = std::min(first, row);
        last = std::max(last, row);
    }
    m_dirty.clear();
    if (last >= int(m_rows.size()))
        last = int(m_rows.size()) - 1;
    if (first <= last)
        Q_EMIT dataChanged(index(first), index(last));
}

void TransferListModel::rowChanged(int row)
{
    // State changes are shown at once; only progress is rate-limited.
    m_dirty.remove(row);
    Q_EMIT dataChanged(index(row), index(row));
    const int active = activeCount();
    if (active != m_lastActive) {
        m_lastActive = active;
        Q_EMIT activeCountChanged();
    }
}

void TransferListModel::save() const
{
    if (m_stateFile.isEmpty())
        return;
    QJsonArray rows;
    for (const Row &r : m_rows) {
        if (r.state == RowState::Succeeded || r.state == RowState::Canceled
            || r.state == RowState::Canceling)
            continue;
        rows.append(QJsonObject {
                {u"direction"_s,
                 r.record.direction == Direction::Upload ? u"upload"_s : u"download"_s},
                {u"bucket"_s, r.record.bucket},
                {u"region"_s, r.record.region},
                {u"key"_s, r.record.key},
                {u"localPath"_s, r.record.localPath},
        });
    }
    QDir().mkpath(QFileInfo(m_stateFile).absolutePath());
    QSaveFile file(m_stateFile);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(QJsonDocument(QJsonObject {{u"version"_s, 1}, {u"transfers"_s, rows}}).toJson());
    file.commit();
}

int TransferListModel::restore()
{
    if (m_stateFile.isEmpty())
        return 0;
    QFile file(m_stateFile);
    if (!file.open(QIODevice::ReadOnly) || file.size() > MaxStateFileSize)
        return 0;
    const QJsonArray rows =
            QJsonDocument::fromJson(file.readAll()).object().value(u"transfers"_s).toArray();
    QList<Row> restored;
    for (const QJsonValue &v : rows) {
        const QJsonObject o = v.toObject();
        Row r;
        r.record.direction = o.value(u"direction"_s).toString() == "download"_L1
                ? Direction::Download
                : Direction::Upload;
        r.record.bucket = o.value(u"bucket"_s).toString();
        r.record.region = o.value(u"region"_s).toString();
        r.record.key = o.value(u"key"_s).toString();
        r.record.localPath = o.value(u"localPath"_s).toString();
        if (r.record.bucket.isEmpty() || r.record.key.isEmpty() || r.record.localPath.isEmpty())
            continue;
        r.state = RowState::Paused;
        restored.append(r);
    }
    if (restored.isEmpty())
        return 0;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + restored.size()) - 1);
    m_rows += restored;
    endInsertRows();
    Q_EMIT countChanged();
    return int(restored.size());
}
