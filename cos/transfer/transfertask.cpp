#include "cos/transfer/transfertask.h"

#include "cos/net/client.h"
#include "cos/net/job.h"
#include "cos/transfer/requestbudget.h"

#include <QDateTime>

#include <utility>

using namespace Qt::StringLiterals;

namespace Cos {

TransferTask::TransferTask(Client *client, QString bucket, QString key, QString localPath,
                           QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_bucket(std::move(bucket))
    , m_key(std::move(key))
    , m_localPath(std::move(localPath))
{
    m_saveTimer.setSingleShot(true);
    connect(&m_saveTimer, &QTimer::timeout, this, [this] { saveCheckpoint(true); });
    m_retryTimer.setSingleShot(true);
}

TransferTask::~TransferTask() = default;

void TransferTask::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
    emitProgress();
    if (isDone())
        Q_EMIT finished();
}

void TransferTask::start()
{
    if (m_state == State::Running || m_state == State::Canceling || m_state == State::Succeeded
        || m_state == State::Canceled)
        return;
    m_error = Error();
    m_bytesResumed = 0;
    m_speedLastBytes = -1;
    m_speed = 0;
    setState(State::Running);
    // run() starts from the event loop, so callers may connect after start().
    const quint64 serial = ++m_runSerial;
    QTimer::singleShot(0, this, [this, serial] {
        if (m_state != State::Running || serial != m_runSerial)
            return;
        if (!m_client)
            failWith(Error(Error::Kind::InvalidInput, u"No client"_s));
        else
            run();
    });
}

void TransferTask::pause()
{
    if (m_state != State::Running)
        return;
    ++m_runSerial;
    halt();
    setState(State::Paused);
}

void TransferTask::cancel()
{
    if (m_state == State::Succeeded || m_state == State::Canceled || m_state == State::Canceling)
        return;
    ++m_runSerial;
    if (m_state == State::Running)
        halt();
    setState(State::Canceling);
    discard();
}

void TransferTask::succeed()
{
    if (m_state != State::Running)
        return;
    m_done = m_total;
    setState(State::Succeeded);
}

void TransferTask::failWith(const Error &error)
{
    if (m_state != State::Running)
        return;
    halt();
    m_error = error;
    setState(State::Failed);
}

void TransferTask::canceled()
{
    if (m_state != State::Canceling)
        return;
    m_error = Error(Error::Kind::Canceled, u"Canceled"_s);
    setState(State::Canceled);
}

void TransferTask::setProgress(qint64 done, qint64 total)
{
    if (done == m_done && total == m_total)
        return;
    m_done = done;
    m_total = total;
    if (!m_sinceEmit.isValid() || m_sinceEmit.elapsed() >= ProgressIntervalMs) {
        emitProgress();
        return;
    }
    if (!m_progressPending) {
        m_progressPending = true;
        QTimer::singleShot(ProgressIntervalMs - int(m_sinceEmit.elapsed()), this, [this] {
            if (m_progressPending)
                emitProgress();
        });
    }
}

void TransferTask::sampleSpeed()
{
    if (!m_speedClock.isValid())
        m_speedClock.start();
    const qint64 now = m_speedClock.elapsed();
    if (m_speedLastBytes < 0 || m_state != State::Running) {
        m_speedLastBytes = m_done;
        m_speedLastMs = now;
        return;
    }
    const qint64 dt = now - m_speedLastMs;
    if (dt < 50)
        return;
    const double rate = double(m_done - m_speedLastBytes) * 1000.0 / double(dt);
    // About a 2-second window at 10 samples a second.
    const double alpha = qMin(1.0, double(dt) / 2000.0);
    m_speed = m_speed <= 0 ? qMax(0.0, rate) : (1 - alpha) * m_speed + alpha * qMax(0.0, rate);
    m_speedLastBytes = m_done;
    m_speedLastMs = now;
}

void TransferTask::emitProgress()
{
    m_progressPending = false;
    m_sinceEmit.start();
    sampleSpeed();
    Q_EMIT progressChanged();
}

TransferProgress TransferTask::progress() const
{
    TransferProgress p;
    p.bytesDone = m_done;
    p.bytesTotal = m_total;
    p.bytesPerSecond = m_state == State::Running ? m_speed : 0;
    if (p.bytesPerSecond > 1 && m_total >= 0)
        p.etaSeconds = qint64(double(m_total - m_done) / p.bytesPerSecond + 0.5);
    return p;
}

QString TransferTask::identity() const
{
    return endpointIdentity(m_client);
}

void TransferTask::setRetryPolicy(int retries, int baseMs)
{
    m_retries = retries;
    m_retryBaseMs = baseMs;
}

int TransferTask::nextRetryDelay(const Error &error, int *retries, const QString &what)
{
    if (!error.isRetryable() || *retries >= m_retries)
        return -1;
    ++*retries;
    const int delay = RequestJob::backoffDelayMs(*retries, m_retryBaseMs);
    Q_EMIT message(u"%1%2; retrying in %3 ms (%4/%5)"_s.arg(what, error.toString())
                           .arg(delay)
                           .arg(*retries)
                           .arg(m_retries));
    return delay;
}

void TransferTask::runStep(RequestJob *job, std::function<void()> done)
{
    m_stepJob = job;
    connect(job, &Job::finished, this, [this, job, done = std::move(done)] {
        job->deleteLater();
        m_stepJob.clear();
        done();
    });
    job->start();
}

bool TransferTask::retryStep(const Error &error, const std::function<void()> &again)
{
    if (!running())
        return false;
    const int delay = nextRetryDelay(error, &m_stepRetryCount);
    if (delay < 0)
        return false;
    // One timer, so that halt() can stop whichever step is waiting.
    m_retryTimer.disconnect(this);
    connect(&m_retryTimer, &QTimer::timeout, this, [this, again] {
        if (running())
            again();
    });
    m_retryTimer.start(delay);
    return true;
}

QObject *TransferTask::newStepGuard()
{
    delete m_stepGuard;
    m_stepGuard = new QObject(this);
    return m_stepGuard;
}

void TransferTask::stopSteps()
{
    m_retryTimer.stop();
    m_retryTimer.disconnect(this);
    m_saveTimer.stop();
    if (RequestJob *job = m_stepJob.data()) {
        m_stepJob.clear();
        abortJob(job);
    }
    delete m_stepGuard;
    m_stepGuard = nullptr;
    leaveRequestLine();
}

void TransferTask::setRequestBudget(std::shared_ptr<RequestBudget> budget)
{
    Q_ASSERT(m_state == State::Idle);
    m_budget = std::move(budget);
}

void TransferTask::startWithRequestSlots(const std::function<bool()> &wanted,
                                         const std::function<void()> &startOne,
                                         const std::function<void()> &wake)
{
    while (running() && wanted()) {
        if (m_budget && !m_budget->take(this, wake))
            return; // in line until woken
        startOne();
    }
    leaveRequestLine();
}

void TransferTask::giveRequestSlot()
{
    if (m_budget)
        m_budget->give();
}

void TransferTask::leaveRequestLine()
{
    if (m_budget)
        m_budget->withdraw(this);
}

void TransferTask::abortJob(RequestJob *job)
{
    job->disconnect(this);
    job->abort();
    job->deleteLater();
}

bool TransferTask::checkpointSaveDue(bool force, int intervalMs)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (!force && now - m_lastSaveMs < intervalMs) {
        if (!m_saveTimer.isActive())
            m_saveTimer.start(int(intervalMs - (now - m_lastSaveMs)));
        return false;
    }
    m_saveTimer.stop();
    m_lastSaveMs = now;
    return true;
}

QString endpointIdentity(const Client *client)
{
    if (!client)
        return {};
    const Endpoint &e = client->endpoint();
    return u"%1 %2://%3:%4 %5%6%7"_s
            .arg(e.dialect == Dialect::Cos ? u"cos"_s : u"s3"_s, e.scheme,
                 e.dialect == Dialect::Cos ? e.domain : e.host)
            .arg(e.effectivePort())
            .arg(e.region, e.appId.isEmpty() ? QString() : u" "_s + e.appId,
                 e.pathStyle ? u" path"_s : QString());
}

namespace TransferUtil {

bool isUploadGone(const Error &e)
{
    return e.httpStatus() == 404 && (e.code() == "NoSuchUpload"_L1 || e.code() == "NoSuchKey"_L1);
}

void digestAsync(const QString &path, qint64 offset, qint64 length, QObject *context,
                 std::function<void(const WindowDigest &)> done)
{
    digestFileWindowsAsync(path, {FileWindow {offset, length}}, context,
                           [done = std::move(done)](const QList<WindowDigest> &digests) {
                               done(digests.value(0));
                           });
}

} // namespace TransferUtil

} // namespace Cos
