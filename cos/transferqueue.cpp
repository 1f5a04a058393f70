#include "transferqueue.h"

#include <QTimer>

namespace Cos {

TransferQueue::TransferQueue(QObject *parent)
    : QObject(parent)
{ }

TransferQueue::~TransferQueue()
{
    // Tasks are children; pause running ones so they save their checkpoints first.
    for (TransferTask *t : std::as_const(m_tasks)) {
        t->disconnect(this);
        t->pause();
    }
}

void TransferQueue::setMaxConcurrent(int count)
{
    m_maxConcurrent = qMax(1, count);
    schedule();
}

int TransferQueue::runningCount() const
{
    int n = 0;
    for (const TransferTask *t : m_tasks)
        n += t->isActive() ? 1 : 0;
    return n;
}

int TransferQueue::add(TransferTask *task)
{
    const int id = m_nextId++;
    task->setParent(this);
    m_tasks.insert(id, task);
    connect(task, &TransferTask::stateChanged, this, [this, id](TransferTask::State s) {
        Q_EMIT stateChanged(id, s);
        if (s != TransferTask::State::Running)
            QTimer::singleShot(0, this, &TransferQueue::schedule);
    });
    connect(task, &TransferTask::progressChanged, this,
            [this, id, task] { Q_EMIT progressChanged(id, task->progress()); });
    connect(task, &TransferTask::finished, this, [this, id] { Q_EMIT finished(id); });
    connect(task, &TransferTask::message, this,
            [this, id](const QString &text) { Q_EMIT message(id, text); });
    m_waiting.append(id);
    Q_EMIT added(id);
    QTimer::singleShot(0, this, &TransferQueue::schedule);
    return id;
}

void TransferQueue::pause(int id)
{
    if (m_waiting.removeOne(id))
        return;
    if (TransferTask *t = task(id))
        t->pause();
}

void TransferQueue::resume(int id)
{
    TransferTask *t = task(id);
    if (!t || m_waiting.contains(id))
        return;
    if (t->state() == TransferTask::State::Paused || t->state() == TransferTask::State::Idle) {
        m_waiting.append(id);
        schedule();
    }
}

void TransferQueue::retry(int id)
{
    TransferTask *t = task(id);
    if (t && t->state() == TransferTask::State::Failed && !m_waiting.contains(id)) {
        m_waiting.append(id);
        schedule();
    }
}

void TransferQueue::cancel(int id)
{
    m_waiting.removeOne(id);
    if (TransferTask *t = task(id))
        t->cancel();
}

void TransferQueue::remove(int id)
{
    TransferTask *t = m_tasks.take(id);
    m_waiting.removeOne(id);
    if (!t)
        return;
    t->disconnect(this);
    if (t->isActive())
        t->pause();
    t->deleteLater();
    schedule();
}

void TransferQueue::pauseAll()
{
    m_waiting.clear();
    for (TransferTask *t : std::as_const(m_tasks))
        t->pause();
}

void TransferQueue::resumeAll()
{
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it) {
        if (it.value()->state() == TransferTask::State::Paused && !m_waiting.contains(it.key()))
            m_waiting.append(it.key());
    }
    schedule();
}

TransferProgress TransferQueue::totalProgress() const
{
    TransferProgress sum;
    sum.bytesTotal = 0;
    for (const TransferTask *t : m_tasks) {
        const TransferProgress p = t->progress();
        sum.bytesDone += p.bytesDone;
        sum.bytesTotal += qMax<qint64>(0, p.bytesTotal);
        sum.bytesPerSecond += p.bytesPerSecond;
    }
    if (sum.bytesPerSecond > 1)
        sum.etaSeconds = qint64(double(sum.bytesTotal - sum.bytesDone) / sum.bytesPerSecond + 0.5);
    return sum;
}

void TransferQueue::schedule()
{
    int running = runningCount();
    while (running < m_maxConcurrent && !m_waiting.isEmpty()) {
        const int id = m_waiting.takeFirst();
        TransferTask *t = task(id);
        if (!t || t->isActive() || t->state() == TransferTask::State::Succeeded
            || t->state() == TransferTask::State::Canceled)
            continue;
        t->start();
        ++running;
    }
    if (running == 0 && m_waiting.isEmpty())
        Q_EMIT idle();
}

} // namespace Cos
