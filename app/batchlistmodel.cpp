#include "batchlistmodel.h"

#include "presentation.h"
#include "transferlistmodel.h"

#include "cos/net/client.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// A state file of MaxSavedFinished + a few hundred unfinished descriptors stays far below.
constexpr qint64 MaxStateFileSize = 4 * 1024 * 1024;
constexpr int MaxRestoredRows = 1000;
constexpr int StateFileVersion = 1;

QString directionName(Cos::BatchTransfer::Direction d)
{
    return d == Cos::BatchTransfer::Direction::Upload ? u"upload"_s : u"download"_s;
}

QJsonObject progressToJson(const Cos::BatchProgress &p)
{
    return {{u"filesSeen"_s, p.filesSeen},
            {u"filesDone"_s, p.filesDone},
            {u"filesTransferred"_s, p.filesTransferred},
            {u"filesSkipped"_s, p.filesSkipped},
            {u"filesDeleted"_s, p.filesDeleted},
            {u"filesFailed"_s, p.filesFailed},
            {u"bytesTotal"_s, p.bytesTotal},
            {u"bytesDone"_s, p.bytesDone},
            {u"walkDone"_s, p.walkDone}};
}

// Counters that cannot be negative; a bad or missing value reads as 0.
qint64 counter(const QJsonObject &o, const QString &name)
{
    const double v = o.value(name).toDouble();
    return v >= 0 && v < 9e15 ? qint64(v) : 0;
}

Cos::BatchProgress progressFromJson(const QJsonObject &o)
{
    Cos::BatchProgress p;
    p.filesSeen = counter(o, u"filesSeen"_s);
    p.filesDone = std::min(counter(o, u"filesDone"_s), p.filesSeen);
    p.filesTransferred = counter(o, u"filesTransferred"_s);
    p.filesSkipped = counter(o, u"filesSkipped"_s);
    p.filesDeleted = counter(o, u"filesDeleted"_s);
    p.filesFailed = counter(o, u"filesFailed"_s);
    p.bytesTotal = counter(o, u"bytesTotal"_s);
    p.bytesDone = std::min(counter(o, u"bytesDone"_s), p.bytesTotal);
    p.walkDone = o.value(u"walkDone"_s).toBool();
    return p;
}
} // namespace

BatchListModel::BatchListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(SaveIntervalMs);
    connect(&m_saveTimer, &QTimer::timeout, this, &BatchListModel::save);
}

BatchListModel::~BatchListModel()
{
    // The last counters; running rows stay "running" on disk and come back paused.
    if (m_saveTimer.isActive())
        save();
    // Pause rather than let the jobs die with their tasks: multipart checkpoints stay.
    for (Row &r : m_rows) {
        if (r.job) {
            disconnect(r.job, nullptr, this, nullptr);
            r.job->abort();
            delete r.job;
        }
    }
}

int BatchListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BatchListModel::rowOf(int id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

int BatchListModel::activeCount() const
{
    return countOf({State::Running});
}

int BatchListModel::countOf(std::initializer_list<State> states) const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [states](const Row &r) {
        return std::find(states.begin(), states.end(), r.state) != states.end();
    }));
}

TransferListModel::Totals BatchListModel::totals() const
{
    TransferListModel::Totals t;
    for (int row = 0; row < m_rows.size(); ++row) {
        const State s = m_rows.at(row).state;
        if (s != State::Running && s != State::Paused)
            continue;
        ++t.unfinished;
        const Cos::BatchProgress p = progressAt(row);
        if (s == State::Running) {
            ++t.moving;
            t.bytesPerSecond += p.bytesPerSecond;
        }
        // The total grows while the walk goes on.
        t.unknownTotal = t.unknownTotal || !p.walkDone;
        t.done += p.bytesDone;
        t.total += p.bytesTotal;
    }
    return t;
}

BatchListModel::Record BatchListModel::recordAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).record : Record();
}

QString BatchListModel::stateAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? Cos::TransferQueue::stateName(m_rows.at(row).state)
                                           : QString();
}

Cos::BatchProgress BatchListModel::progressAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const Row &r = m_rows.at(row);
    return r.job ? r.job->progress() : r.progress;
}

QVariant BatchListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const bool upload = r.record.direction == Cos::BatchTransfer::Direction::Upload;
    const Cos::BatchProgress p = progressAt(index.row());
    const bool running = r.state == State::Running;
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return r.record.name;
    case DirectionRole:
        return upload ? u"upload"_s : u"download"_s;
    case StateRole:
        return Cos::TransferQueue::stateName(r.state);
    case StateTextRole:
        switch (r.state) {
        case State::Running:
            return upload ? tr("Uploading") : tr("Downloading");
        case State::Paused:
            return tr("Paused");
        case State::Succeeded:
            return upload ? tr("Uploaded") : tr("Downloaded");
        case State::Failed:
            return tr("%n file(s) failed", nullptr, int(r.failedCount));
        case State::Canceled:
            return tr("Canceled");
        case State::Queued:
        case State::Canceling:
            break;
        }
        return {};
    case FilesTextRole:
        return p.walkDone ? tr("%1 of %n file(s)", nullptr, int(p.filesSeen)).arg(p.filesDone)
                          : tr("%1 of %n+ file(s)", nullptr, int(p.filesSeen)).arg(p.filesDone);
    case BytesTextRole:
        if (p.bytesTotal == 0 && !p.walkDone)
            return QString(); // nothing found to send yet: no "0 B of 0 B"
        return tr("%1 of %2")
                .arg(Presentation::formatSize(p.bytesDone), Presentation::formatSize(p.bytesTotal));
    case SpeedTextRole:
        return running && p.bytesPerSecond > 0 ? Presentation::formatSpeed(p.bytesPerSecond)
                                               : QString();
    case EtaTextRole:
        return running && p.etaSeconds >= 0
                ? tr("%1 left").arg(Presentation::formatDuration(p.etaSeconds))
                : QString();
    case ProgressRole:
        if (r.state == State::Succeeded)
            return 1.0;
        if (!p.walkDone || p.filesSeen == 0)
            return -1.0;
        return p.bytesTotal > 0 ? double(p.bytesDone) / double(p.bytesTotal)
                                : double(p.filesDone) / double(p.filesSeen);
    case FailedCountRole:
        return int(r.failedCount);
    case FailuresRole:
        return r.failures;
    case ErrorRole:
        return r.error;
    case CanPauseRole:
        return running;
    case CanResumeRole:
        return r.state == State::Paused || (r.state == State::Failed && r.retryable);
    case CanCancelRole:
        return running || r.state == State::Paused;
    case CanRetryRole:
        return r.state == State::Failed && r.retryable;
    case SourceRowRole:
        return index.row();
    case FolderUrlRole:
        return QUrl::fromLocalFile(r.record.localDir);
    }
    return {};
}

QHash<int, QByteArray> BatchListModel::roleNames() const
{
    return {{NameRole, "name"_ba},           {DirectionRole, "direction"_ba},
            {StateRole, "batchState"_ba},    {StateTextRole, "stateText"_ba},
            {FilesTextRole, "filesText"_ba}, {BytesTextRole, "bytesText"_ba},
            {SpeedTextRole, "speedText"_ba}, {EtaTextRole, "etaText"_ba},
            {ProgressRole, "progress"_ba},   {FailedCountRole, "failedCount"_ba},
            {FailuresRole, "failures"_ba},   {ErrorRole, "errorMessage"_ba},
            {CanPauseRole, "canPause"_ba},   {CanResumeRole, "canResume"_ba},
            {CanCancelRole, "canCancel"_ba}, {CanRetryRole, "canRetry"_ba},
            {SourceRowRole, "sourceRow"_ba}, {FolderUrlRole, "folderUrl"_ba}};
}

void BatchListModel::changed(int row, bool stateChanged)
{
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
    const int active = activeCount();
    if (active != m_lastActive) {
        m_lastActive = active;
        Q_EMIT activeCountChanged();
    }
    const QList<int> stats {runningCount(), pausedCount(), failedCount(), finishedCount()};
    if (stats != m_lastStats) {
        m_lastStats = stats;
        Q_EMIT statsChanged();
    }
    if (m_stateFile.isEmpty())
        return;
    if (stateChanged)
        save();
    else if (!m_saveTimer.isActive())
        m_saveTimer.start();
}

int BatchListModel::add(const Record &record)
{
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    Row r;
    r.id = m_nextId++;
    r.record = record;
    m_rows.append(r);
    endInsertRows();
    Q_EMIT countChanged();
    start(m_rows[row]);
    changed(row);
    return row;
}

void BatchListModel::start(Row &r)
{
    QString error;
    Cos::Client *client = m_clientFor ? m_clientFor(r.record.region, &error) : nullptr;
    r.failures.clear();
    r.failedCount = 0;
    r.error.clear();
    r.retryable = true;
    r.progress = {};
    if (!client) {
        r.state = State::Failed;
        r.error = error.isEmpty() ? tr("Not connected: check Settings.") : error;
        return;
    }
    Cos::BatchOptions options = m_options;
    options.only = r.record.only;
    auto *job = new Cos::BatchTransfer(client, r.record.direction, r.record.localDir,
                                       r.record.bucket, r.record.prefix, options, this);
    r.job = job;
    r.state = State::Running;
    const int id = r.id;
    connect(job, &Cos::BatchTransfer::progressChanged, this,
            [this, id] { changed(rowOf(id), false); });
    connect(job, &Cos::BatchTransfer::fileFinished, this,
            [this, id](const Cos::BatchTransfer::FileResult &result) {
                const int row = rowOf(id);
                if (row < 0 || result.action != Cos::BatchTransfer::Action::Failed)
                    return;
                Row &r = m_rows[row];
                ++r.failedCount;
                const QString why = result.error ? result.error.toString() : result.reason;
                if (r.failures.size() < MaxFailures) // an empty path: the listing failed
                    r.failures.append(result.path.isEmpty() ? why
                                                            : u"%1: %2"_s.arg(result.path, why));
                changed(row, false);
            });
    connect(job, &Cos::Job::finished, this, [this, id, job] {
        job->deleteLater();
        const int row = rowOf(id);
        if (row < 0)
            return;
        Row &r = m_rows[row];
        r.progress = job->progress();
        r.job = nullptr;
        if (r.state != State::Running)
            return; // paused or canceled by the user
        const bool ok = !job->error();
        r.state = ok ? State::Succeeded : State::Failed;
        r.retryable = ok || TransferListModel::isRetryable(job->error());
        if (!ok && r.failedCount == 0) // the batch itself failed (no such folder, ...)
            r.error = Presentation::errorText(job->error(),
                                              r.record.direction
                                                              == Cos::BatchTransfer::Direction::Upload
                                                      ? Presentation::Operation::Upload
                                                      : Presentation::Operation::Download,
                                              r.record.bucket + u'/' + r.record.prefix);
        changed(row);
        Q_EMIT batchFinished(r.record.name, int(r.progress.filesTransferred), int(r.failedCount),
                             ok ? QString() : job->error().toString());
    });
    job->start();
}

void BatchListModel::stop(int row, State state)
{
    if (row < 0 || row >= m_rows.size())
        return;
    Row &r = m_rows[row];
    r.state = state;
    if (r.job) {
        r.progress = r.job->progress();
        r.job->abort(); // the finished handler sees the state and keeps it
    }
    changed(row);
}

void BatchListModel::pause(int row)
{
    if (row >= 0 && row < m_rows.size() && m_rows.at(row).state == State::Running)
        stop(row, State::Paused);
}

void BatchListModel::pauseAll()
{
    for (int row = 0; row < m_rows.size(); ++row)
        pause(row);
}

void BatchListModel::resumeAll()
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).state == State::Paused)
            resume(row);
    }
}

void BatchListModel::cancel(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    const State s = m_rows.at(row).state;
    if (s == State::Running || s == State::Paused)
        stop(row, State::Canceled);
}

void BatchListModel::resume(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    Row &r = m_rows[row];
    if (r.state != State::Paused && !(r.state == State::Failed && r.retryable))
        return;
    start(r);
    changed(row);
}

void BatchListModel::clearFinished()
{
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const State s = m_rows.at(row).state;
        if (s == State::Succeeded || s == State::Failed || s == State::Canceled) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    Q_EMIT countChanged();
    changed(-1);
}

void BatchListModel::save()
{
    m_saveTimer.stop();
    if (m_stateFile.isEmpty())
        return;
    QJsonArray batches;
    int finished = 0;
    // Newest first, so that the history keeps the newest finished rows.
    for (auto it = m_rows.crbegin(); it != m_rows.crend(); ++it) {
        const Row &r = *it;
        if (r.state == State::Canceled || r.state == State::Canceling)
            continue;
        const bool done = r.state == State::Succeeded || r.state == State::Failed;
        if (done && ++finished > MaxSavedFinished)
            continue;
        QJsonObject o {{u"direction"_s, directionName(r.record.direction)},
                       {u"name"_s, r.record.name},
                       {u"region"_s, r.record.region},
                       {u"bucket"_s, r.record.bucket},
                       {u"prefix"_s, r.record.prefix},
                       {u"localDir"_s, r.record.localDir},
                       {u"state"_s, Cos::TransferQueue::stateName(r.state)},
                       {u"progress"_s, progressToJson(r.job ? r.job->progress() : r.progress)}};
        if (!r.record.only.isEmpty())
            o.insert(u"only"_s, QJsonArray::fromStringList(r.record.only));
        if (r.failedCount > 0) {
            o.insert(u"failedCount"_s, r.failedCount);
            o.insert(u"failures"_s, QJsonArray::fromStringList(r.failures.mid(0, MaxSavedFailures)));
        }
        if (!r.error.isEmpty())
            o.insert(u"error"_s, r.error);
        if (!r.retryable)
            o.insert(u"retryable"_s, false);
        batches.prepend(o);
    }
    QDir().mkpath(QFileInfo(m_stateFile).absolutePath());
    QSaveFile file(m_stateFile);
    if (!file.open(QIODevice::WriteOnly))
        return;
    file.write(QJsonDocument(QJsonObject {{u"version"_s, StateFileVersion}, {u"batches"_s, batches}})
                       .toJson(QJsonDocument::Compact));
    file.commit();
}

int BatchListModel::restore(QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return 0;
    };
    if (m_stateFile.isEmpty() || !QFileInfo::exists(m_stateFile))
        return 0;
    QFile file(m_stateFile);
    if (!file.open(QIODevice::ReadOnly))
        return fail(tr("Cannot read %1: %2").arg(m_stateFile, file.errorString()));
    if (file.size() > MaxStateFileSize)
        return fail(tr("%1 is larger than %2: not read.")
                            .arg(m_stateFile, Presentation::formatSize(MaxStateFileSize)));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return fail(tr("%1 is not a batch list: %2").arg(m_stateFile, parseError.errorString()));
    const QJsonObject top = doc.object();
    if (top.value(u"version"_s).toInt() != StateFileVersion || !top.value(u"batches"_s).isArray())
        return fail(
                tr("%1 is not a batch list of version %2.").arg(m_stateFile).arg(StateFileVersion));
    QList<Row> restored;
    int skipped = 0;
    const QJsonArray batches = top.value(u"batches"_s).toArray();
    for (const QJsonValue &v : batches) {
        if (restored.size() >= MaxRestoredRows)
            break;
        const QJsonObject o = v.toObject();
        Row r;
        const QString direction = o.value(u"direction"_s).toString();
        r.record.direction = direction == "download"_L1 ? Cos::BatchTransfer::Direction::Download
                                                        : Cos::BatchTransfer::Direction::Upload;
        r.record.name = o.value(u"name"_s).toString();
        r.record.region = o.value(u"region"_s).toString();
        r.record.bucket = o.value(u"bucket"_s).toString();
        r.record.prefix = o.value(u"prefix"_s).toString();
        r.record.localDir = o.value(u"localDir"_s).toString();
        for (const QJsonValue &name : o.value(u"only"_s).toArray()) {
            if (name.isString() && !name.toString().isEmpty())
                r.record.only.append(name.toString());
        }
        const QString state = o.value(u"state"_s).toString();
        if ((direction != "upload"_L1 && direction != "download"_L1) || r.record.bucket.isEmpty()
            || !QDir::isAbsolutePath(r.record.localDir)
            || (!r.record.prefix.isEmpty() && !r.record.prefix.endsWith(u'/'))) {
            ++skipped;
            continue;
        }
        if (r.record.name.isEmpty())
            r.record.name = QFileInfo(r.record.localDir).fileName();
        if (state == "succeeded"_L1)
            r.state = State::Succeeded;
        else if (state == "failed"_L1)
            r.state = State::Failed;
        else if (state == "running"_L1 || state == "paused"_L1)
            r.state = State::Paused; // a batch running when the app ended waits for Resume
        else {
            ++skipped;
            continue;
        }
        r.progress = progressFromJson(o.value(u"progress"_s).toObject());
        r.failedCount = counter(o, u"failedCount"_s);
        for (const QJsonValue &line : o.value(u"failures"_s).toArray()) {
            if (r.failures.size() < MaxSavedFailures && line.isString())
                r.failures.append(line.toString());
        }
        r.error = o.value(u"error"_s).toString();
        r.retryable = o.value(u"retryable"_s).toBool(true);
        r.id = m_nextId++;
        restored.append(r);
    }
    if (skipped > 0 && error)
        *error = tr("%n saved batch transfer(s) could not be read and were dropped.", nullptr,
                    skipped);
    if (restored.isEmpty())
        return 0;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + restored.size()) - 1);
    m_rows += restored;
    endInsertRows();
    Q_EMIT countChanged();
    changed(-1, false);
    return int(restored.size());
}
