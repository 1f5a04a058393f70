#include "transferlistmodel.h"

#include "presentation.h"

#include "cos/transfer/transferqueue.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 MaxStateFileSize = 4 * 1024 * 1024;

using State = Cos::TransferQueue::State;
} // namespace

TransferListModel::TransferListModel(QObject *parent)
    : QAbstractListModel(parent)
    , m_queue(new Cos::TransferQueue(this))
{
    m_queue->setMaxConcurrent(DefaultMaxRunning);
    connect(m_queue, &Cos::TransferQueue::stateChanged, this, &TransferListModel::onStateChanged);
    connect(m_queue, &Cos::TransferQueue::progressChanged, this,
            &TransferListModel::onProgressChanged);
}

TransferListModel::~TransferListModel()
{
    // The queue is a child; make sure it does not call back into a half-destroyed model.
    m_queue->disconnect(this);
}

void TransferListModel::setMaxRunning(int n)
{
    m_queue->setMaxConcurrent(n);
}

int TransferListModel::maxRunning() const
{
    return m_queue->maxConcurrent();
}

int TransferListModel::activeCount() const
{
    return m_queue->activeCount();
}

Cos::TransferTask *TransferListModel::taskAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_queue->task(m_rows.at(row).id) : nullptr;
}

QString TransferListModel::stateAt(int row) const
{
    return row >= 0 && row < m_rows.size()
            ? Cos::TransferQueue::stateName(m_queue->state(m_rows.at(row).id))
            : QString();
}

QString TransferListModel::regionAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).record.region : QString();
}

int TransferListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int TransferListModel::rowOf(int id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

QString TransferListModel::errorText(const Row &row) const
{
    return Presentation::errorText(m_queue->error(row.id),
                                   row.record.direction == Direction::Upload
                                           ? Presentation::Operation::Upload
                                           : Presentation::Operation::Download,
                                   row.record.bucket + u'/' + row.record.key);
}

QVariant TransferListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const bool upload = r.record.direction == Direction::Upload;
    const State state = m_queue->state(r.id);
    const Cos::TransferProgress p = m_queue->progress(r.id);
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
        return Cos::TransferQueue::stateName(state);
    case StateTextRole:
        switch (state) {
        case State::Queued:
            return tr("Queued");
        case State::Running:
            return upload ? tr("Uploading") : tr("Downloading");
        case State::Paused:
            return tr("Paused");
        case State::Succeeded:
            return upload ? tr("Uploaded") : tr("Downloaded");
        case State::Failed:
            return tr("Failed");
        case State::Canceling:
            return tr("Canceling");
        case State::Canceled:
            return tr("Canceled");
        }
        return QString();
    case ProgressRole:
        if (state == State::Succeeded)
            return 1.0;
        return p.bytesTotal > 0 ? double(p.bytesDone) / double(p.bytesTotal) : 0.0;
    case BytesTextRole:
        if (state == State::Succeeded && p.bytesTotal >= 0)
            return Presentation::formatSize(p.bytesTotal);
        if (p.bytesTotal < 0)
            return p.bytesDone > 0 ? Presentation::formatSize(p.bytesDone) : QString();
        return tr("%1 of %2")
                .arg(Presentation::formatSize(p.bytesDone), Presentation::formatSize(p.bytesTotal));
    case SpeedTextRole:
        return state == State::Running && p.bytesPerSecond > 0
                ? Presentation::formatSpeed(p.bytesPerSecond)
                : QString();
    case EtaTextRole:
        return state == State::Running && p.etaSeconds >= 0
                ? tr("%1 left").arg(Presentation::formatDuration(p.etaSeconds))
                : QString();
    case ErrorRole:
        return errorText(r);
    case CanPauseRole:
        return state == State::Running || state == State::Queued;
    case CanResumeRole:
        return state == State::Paused;
    case CanCancelRole:
        return state == State::Running || state == State::Queued || state == State::Paused
                || state == State::Failed;
    case CanRetryRole:
        // A failure without a task (not connected) is worth a retry once connected.
        return state == State::Failed
                && (!m_queue->task(r.id) || isRetryable(m_queue->error(r.id)));
    case SourceRowRole:
        return index.row();
    case LocalUrlRole:
        return QUrl::fromLocalFile(r.record.localPath);
    case FolderUrlRole:
        return QUrl::fromLocalFile(QFileInfo(r.record.localPath).absolutePath());
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
            {SourceRowRole, "sourceRow"_ba}, {LocalUrlRole, "localUrl"_ba},
            {FolderUrlRole, "folderUrl"_ba},
    };
}

std::function<Cos::TransferTask *(Cos::Error *)> TransferListModel::taskFactory(const Record &record)
{
    return [this, record](Cos::Error *error) -> Cos::TransferTask * {
        QString why;
        Cos::TransferTask *task = m_factory ? m_factory(record, &why) : nullptr;
        if (!task) {
            // InvalidInput: Presentation::errorText() shows the message as it is.
            *error = Cos::Error(Cos::Error::Kind::InvalidInput,
                                why.isEmpty() ? tr("Not connected: check Settings.") : why);
        }
        return task;
    };
}

int TransferListModel::add(const Record &record)
{
    // Added paused, then resumed: it starts at once (its task exists on return) when a slot is
    // free, and the row exists before the queue reports anything about it.
    const int id = m_queue->add(taskFactory(record), Cos::TransferQueue::AddMode::Paused);
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append({id, record});
    endInsertRows();
    Q_EMIT countChanged();
    m_queue->resume(id);
    updateStats();
    save();
    return row;
}

void TransferListModel::onStateChanged(int id)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    const State state = m_queue->state(id);
    const QString name = data(index(row), NameRole).toString();
    if (state == State::Succeeded) {
        ++m_batchSucceeded;
        const Record &record = m_rows.at(row).record;
        const QString uploadedFrom = record.direction == Direction::Upload ? record.localPath
                                                                           : QString();
        Q_EMIT transferFinished(name, true, {});
        if (!uploadedFrom.isEmpty())
            Q_EMIT uploadSourceReleased(uploadedFrom);
    } else if (state == State::Failed && m_queue->task(id)) {
        // Not when no task could be made: the row says why, as it did before it started.
        const QString why = errorText(m_rows.at(row));
        if (m_batchFailed++ == 0)
            m_batchFirstFailure = tr("%1: %2").arg(name, why);
        Q_EMIT transferFinished(name, false, why);
    }
    Q_EMIT dataChanged(index(row), index(row));
    updateActiveCount();
    updateStats();
    save();
    if (activeCount() == 0 && m_batchSucceeded + m_batchFailed > 0) {
        const int ok = std::exchange(m_batchSucceeded, 0);
        const int failed = std::exchange(m_batchFailed, 0);
        Q_EMIT batchFinished(ok, failed, std::exchange(m_batchFirstFailure, {}));
    }
}

bool TransferListModel::isRetryable(const Cos::Error &error)
{
    using Kind = Cos::Error::Kind;
    if (error.isRetryable() || error.isCredentialExpiry() || error.isClockSkew())
        return true;
    switch (error.kind()) {
    case Kind::Service: {
        const int status = error.httpStatus();
        return status >= 500 || status == 408 || status == 429 || status == 0;
    }
    case Kind::InvalidInput:
    case Kind::Canceled:
        return false;
    default:
        return error.isError();
    }
}

TransferListModel::Totals &TransferListModel::Totals::operator+=(const Totals &o)
{
    done += o.done;
    total += o.total;
    bytesPerSecond += o.bytesPerSecond;
    unknownTotal = unknownTotal || o.unknownTotal;
    unfinished += o.unfinished;
    moving += o.moving;
    return *this;
}

double TransferListModel::overallProgress(const Totals &t)
{
    return t.unfinished > 0 && t.total > 0 && !t.unknownTotal ? double(t.done) / double(t.total)
                                                              : -1.0;
}

QString TransferListModel::overallText(const Totals &t)
{
    if (t.moving == 0 || t.total <= 0)
        return {};
    QStringList parts {
            tr("%1 of %2").arg(Presentation::formatSize(t.done), Presentation::formatSize(t.total))};
    if (t.bytesPerSecond > 0) {
        parts.append(Presentation::formatSpeed(t.bytesPerSecond));
        if (!t.unknownTotal) {
            parts.append(tr("%1 left").arg(Presentation::formatDuration(
                    qint64(double(std::max<qint64>(0, t.total - t.done)) / t.bytesPerSecond))));
        }
    }
    return parts.join(u" · "_s);
}

void TransferListModel::updateStats()
{
    Stats s;
    Totals t;
    for (const Row &r : std::as_const(m_rows)) {
        const State state = m_queue->state(r.id);
        switch (state) {
        case State::Running:
        case State::Canceling:
            ++s.running;
            break;
        case State::Queued:
            ++s.queued;
            break;
        case State::Paused:
            ++s.paused;
            break;
        case State::Failed:
            ++s.failed;
            break;
        case State::Succeeded:
        case State::Canceled:
            ++s.finished;
            continue;
        }
        if (state == State::Failed)
            continue;
        const Cos::TransferProgress p = m_queue->progress(r.id);
        if (p.bytesTotal < 0) {
            t.unknownTotal = true;
            continue;
        }
        t.done += p.bytesDone;
        t.total += p.bytesTotal;
        if (state == State::Running)
            t.bytesPerSecond += p.bytesPerSecond;
    }
    t.unfinished = s.running + s.queued + s.paused;
    t.moving = s.running + s.queued;
    m_totals = t;
    s.progress = overallProgress(t);
    s.text = overallText(t);
    if (!(s == m_stats)) {
        m_stats = s;
        Q_EMIT statsChanged();
    }
}

void TransferListModel::onProgressChanged(int id)
{
    // The engine limits each transfer to ten progress signals a second.
    const int row = rowOf(id);
    if (row >= 0) {
        Q_EMIT dataChanged(index(row), index(row),
                           {ProgressRole, BytesTextRole, SpeedTextRole, EtaTextRole});
        updateStats();
    }
}

void TransferListModel::updateActiveCount()
{
    const int active = activeCount();
    if (active != m_lastActive) {
        m_lastActive = active;
        Q_EMIT activeCountChanged();
    }
}

void TransferListModel::pause(int row)
{
    if (row >= 0 && row < m_rows.size())
        m_queue->pause(m_rows.at(row).id);
}

void TransferListModel::resume(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    const int id = m_rows.at(row).id;
    if (m_queue->state(id) == State::Failed)
        m_queue->retry(id);
    else
        m_queue->resume(id);
}

void TransferListModel::cancel(int row)
{
    if (row >= 0 && row < m_rows.size())
        m_queue->cancel(m_rows.at(row).id);
}

void TransferListModel::pauseAll()
{
    m_queue->pauseAll();
}

void TransferListModel::resumeAll()
{
    m_queue->resumeAll();
}

void TransferListModel::clearFinished()
{
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        const State s = m_queue->state(m_rows.at(i).id);
        if (s != State::Succeeded && s != State::Failed && s != State::Canceled)
            continue;
        beginRemoveRows({}, i, i);
        m_queue->remove(m_rows.at(i).id);
        const Record removed = m_rows.takeAt(i).record;
        endRemoveRows();
        if (removed.direction == Direction::Upload && s != State::Succeeded)
            Q_EMIT uploadSourceReleased(removed.localPath);
    }
    Q_EMIT countChanged();
    updateStats();
    save();
}

QStringList TransferListModel::uploadSources() const
{
    QStringList paths;
    for (const Row &r : m_rows) {
        if (r.record.direction == Direction::Upload)
            paths.append(r.record.localPath);
    }
    return paths;
}

void TransferListModel::detachTasks()
{
    m_queue->releaseTasks();
    save();
}

void TransferListModel::save() const
{
    if (m_stateFile.isEmpty())
        return;
    QJsonArray rows;
    for (const Row &r : m_rows) {
        const State s = m_queue->state(r.id);
        if (s == State::Succeeded || s == State::Canceled || s == State::Canceling)
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
        restored.append(r);
    }
    if (restored.isEmpty())
        return 0;
    for (Row &r : restored)
        r.id = m_queue->add(taskFactory(r.record), Cos::TransferQueue::AddMode::Paused);
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + restored.size()) - 1);
    m_rows += restored;
    endInsertRows();
    Q_EMIT countChanged();
    updateStats();
    return int(restored.size());
}

TransferFilterModel::TransferFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved}) {
        connect(this, signal, this, &TransferFilterModel::countChanged);
    }
    connect(this, &QAbstractItemModel::modelReset, this, &TransferFilterModel::countChanged);
    connect(this, &QAbstractItemModel::layoutChanged, this, &TransferFilterModel::countChanged);
}

void TransferFilterModel::setSource(QAbstractItemModel *source)
{
    if (source == m_source)
        return;
    m_source = source;
    resolveStateRole();
    setSourceModel(source);
    sort(0);
    Q_EMIT sourceChanged();
    Q_EMIT countChanged();
}

void TransferFilterModel::setStateRoleName(const QString &name)
{
    if (name == m_stateRoleName)
        return;
    m_stateRoleName = name;
    resolveStateRole();
    invalidate();
    Q_EMIT sourceChanged();
    Q_EMIT countChanged();
}

void TransferFilterModel::resolveStateRole()
{
    m_stateRole = m_source ? m_source->roleNames().key(m_stateRoleName.toUtf8(), -1) : -1;
}

void TransferFilterModel::setFilter(const QString &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    invalidateFilter();
    Q_EMIT filterChanged();
    Q_EMIT countChanged();
}

int TransferFilterModel::sourceRow(int row) const
{
    const QModelIndex source = mapToSource(index(row, 0));
    return source.isValid() ? source.row() : -1;
}

int TransferFilterModel::viewRow(int sourceRow) const
{
    if (!m_source)
        return -1;
    const QModelIndex view = mapFromSource(m_source->index(sourceRow, 0));
    return view.isValid() ? view.row() : -1;
}

int TransferFilterModel::group(const QString &state)
{
    if (state == "running"_L1 || state == "canceling"_L1)
        return 0;
    if (state == "queued"_L1)
        return 1;
    if (state == "paused"_L1)
        return 2;
    if (state == "failed"_L1)
        return 3;
    return 4;
}

bool TransferFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filter == "all"_L1 || !sourceModel())
        return true;
    const int g = group(
            sourceModel()->index(sourceRow, 0, sourceParent).data(m_stateRole).toString());
    if (m_filter == "active"_L1)
        return g <= 2;
    if (m_filter == "failed"_L1)
        return g == 3;
    if (m_filter == "finished"_L1)
        return g == 4;
    return true;
}

bool TransferFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int a = group(left.data(m_stateRole).toString());
    const int b = group(right.data(m_stateRole).toString());
    if (a != b)
        return a < b;
    // Unfinished rows in queue order; failed and finished ones newest first.
    return a <= 2 ? left.row() < right.row() : left.row() > right.row();
}
