#include "batchlistmodel.h"

#include "presentation.h"

#include "cos/net/client.h"

using namespace Qt::StringLiterals;

BatchListModel::BatchListModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

BatchListModel::~BatchListModel()
{
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
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(),
                             [](const Row &r) { return r.state == State::Running; }));
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
        return r.state == State::Paused || r.state == State::Failed;
    case CanCancelRole:
        return running || r.state == State::Paused;
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
            {CanCancelRole, "canCancel"_ba}};
}

void BatchListModel::changed(int row)
{
    if (row < 0)
        return;
    Q_EMIT dataChanged(index(row), index(row));
    const int active = activeCount();
    if (active != m_lastActive) {
        m_lastActive = active;
        Q_EMIT activeCountChanged();
    }
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
    connect(job, &Cos::BatchTransfer::progressChanged, this, [this, id] { changed(rowOf(id)); });
    connect(job, &Cos::BatchTransfer::fileFinished, this,
            [this, id](const Cos::BatchTransfer::FileResult &result) {
                const int row = rowOf(id);
                if (row < 0 || result.action != Cos::BatchTransfer::Action::Failed)
                    return;
                Row &r = m_rows[row];
                ++r.failedCount;
                if (r.failures.size() < MaxFailures)
                    r.failures.append(u"%1: %2"_s.arg(result.path,
                                                      result.error ? result.error.toString()
                                                                   : result.reason));
                changed(row);
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
    if (r.state != State::Paused && r.state != State::Failed)
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
}
