#include "cos/transfer/transferqueue.h"

#include <QTimer>

using namespace Qt::StringLiterals;

namespace Cos {

QString TransferQueue::stateName(State state)
{
    switch (state) {
    case State::Queued:
        return u"queued"_s;
    case State::Running:
        return u"running"_s;
    case State::Paused:
        return u"paused"_s;
    case State::Succeeded:
        return u"succeeded"_s;
    case State::Failed:
        return u"failed"_s;
    case State::Canceling:
        return u"canceling"_s;
    case State::Canceled:
        return u"canceled"_s;
    }
    return {};
}

TransferQueue::TransferQueue(QObject *parent)
    : QObject(parent)
{ }

TransferQueue::~TransferQueue()
{
    // Tasks are children; pause running ones so they save their checkpoints first.
    for (const Entry &e : std::as_const(m_entries)) {
        if (!e.task)
            continue;
        e.task->disconnect(this);
        e.task->pause();
    }
}

void TransferQueue::setMaxConcurrent(int count)
{
    m_maxConcurrent = qMax(1, count);
    schedule();
}

TransferTask *TransferQueue::task(int id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.cend() ? nullptr : it->task;
}

TransferQueue::State TransferQueue::state(int id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.cend() ? State::Canceled : it->state;
}

Error TransferQueue::error(int id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.cend() ? Error() : it->error;
}

TransferProgress TransferQueue::progress(int id) const
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return {};
    return it->task ? it->task->progress() : it->progress;
}

int TransferQueue::runningCount() const
{
    int n = 0;
    for (const Entry &e : m_entries)
        n += e.task && e.task->isActive() ? 1 : 0;
    return n;
}

int TransferQueue::activeCount() const
{
    int n = 0;
    for (const Entry &e : m_entries) {
        n += e.state == State::Queued || e.state == State::Running || e.state == State::Canceling
                ? 1
                : 0;
    }
    return n;
}

int TransferQueue::add(TransferTask *task, AddMode mode)
{
    Q_ASSERT(task);
    return addEntry(task, {}, mode);
}

int TransferQueue::add(TaskFactory factory, AddMode mode)
{
    return addEntry(nullptr, std::move(factory), mode);
}

int TransferQueue::addEntry(TransferTask *task, TaskFactory factory, AddMode mode)
{
    const int id = m_nextId++;
    Entry entry;
    entry.factory = std::move(factory);
    entry.state = mode == AddMode::Paused ? State::Paused : State::Queued;
    m_entries.insert(id, entry);
    if (task)
        attach(id, task);
    if (mode == AddMode::Queue)
        m_waiting.append(id);
    Q_EMIT added(id);
    if (mode == AddMode::Queue)
        QTimer::singleShot(0, this, &TransferQueue::schedule);
    return id;
}

void TransferQueue::attach(int id, TransferTask *task)
{
    task->setParent(this);
    m_entries[id].task = task;
    connect(task, &TransferTask::stateChanged, this,
            [this, id](TransferTask::State s) { onTaskState(id, s); });
    connect(task, &TransferTask::progressChanged, this,
            [this, id, task] { Q_EMIT progressChanged(id, task->progress()); });
    connect(task, &TransferTask::message, this,
            [this, id](const QString &text) { Q_EMIT message(id, text); });
}

TransferTask *TransferQueue::makeTask(int id, Error *error)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return nullptr;
    if (it->task)
        return it->task;
    TransferTask *t = it->factory ? it->factory(error) : nullptr;
    if (!t) {
        if (!*error)
            *error = Error(Error::Kind::InvalidInput, u"The transfer could not be created."_s);
        return nullptr;
    }
    attach(id, t);
    return t;
}

void TransferQueue::onTaskState(int id, TransferTask::State taskState)
{
    using S = TransferTask::State;
    State s = State::Queued;
    switch (taskState) {
    case S::Idle:
        return;
    case S::Running:
        s = State::Running;
        break;
    case S::Paused:
        s = State::Paused;
        break;
    case S::Succeeded:
        s = State::Succeeded;
        break;
    case S::Failed:
        s = State::Failed;
        if (TransferTask *t = task(id))
            m_entries[id].error = t->error();
        break;
    case S::Canceling:
        s = State::Canceling;
        break;
    case S::Canceled:
        s = State::Canceled;
        break;
    }
    setState(id, s);
    // Let the task finish emitting before the next one starts.
    if (s != State::Running)
        QTimer::singleShot(0, this, &TransferQueue::schedule);
}

void TransferQueue::setState(int id, State state)
{
    const auto it = m_entries.find(id);
    if (it == m_entries.end() || it->state == state)
        return;
    it->state = state;
    Q_EMIT stateChanged(id, state);
    if (state == State::Succeeded || state == State::Failed || state == State::Canceled)
        Q_EMIT finished(id);
}

void TransferQueue::enqueue(int id)
{
    m_entries[id].error = Error();
    m_waiting.append(id);
    setState(id, State::Queued);
    schedule();
}

void TransferQueue::pause(int id)
{
    const State s = state(id);
    if (s == State::Queued) {
        m_waiting.removeOne(id);
        setState(id, State::Paused);
    } else if (s == State::Running) {
        task(id)->pause(); // reports Paused through stateChanged
    }
}

void TransferQueue::resume(int id)
{
    if (contains(id) && state(id) == State::Paused)
        enqueue(id);
}

void TransferQueue::retry(int id)
{
    if (contains(id) && state(id) == State::Failed)
        enqueue(id);
}

void TransferQueue::cancel(int id)
{
    const State s = state(id);
    if (!contains(id) || s == State::Succeeded || s == State::Canceling || s == State::Canceled)
        return;
    m_waiting.removeOne(id);
    // Even a transfer that never ran here may have server-side leftovers and a checkpoint
    // (restored after a restart, or released): its task cleans them up.
    Error ignored;
    if (TransferTask *t = makeTask(id, &ignored))
        t->cancel(); // reports Canceling, then Canceled
    else
        setState(id, State::Canceled);
}

void TransferQueue::remove(int id)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.cend())
        return;
    TransferTask *t = it->task;
    m_entries.erase(it);
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
    // The waiting ones first, so that no slot freed below starts one of them.
    const QList<int> waiting = std::exchange(m_waiting, {});
    for (int id : waiting)
        setState(id, State::Paused);
    const QList<int> all = ids();
    for (int id : all) {
        if (TransferTask *t = task(id))
            t->pause();
    }
}

void TransferQueue::resumeAll()
{
    const QList<int> all = ids();
    for (int id : all) {
        if (state(id) == State::Paused) {
            m_entries[id].error = Error();
            m_waiting.append(id);
            setState(id, State::Queued);
        }
    }
    schedule();
}

void TransferQueue::releaseTasks()
{
    const QList<int> all = ids();
    for (int id : all) {
        auto it = m_entries.find(id);
        if (it == m_entries.end() || !it->task || !it->factory)
            continue;
        TransferTask *t = it->task;
        t->pause(); // saves the checkpoint; reports Paused through stateChanged
        it = m_entries.find(id);
        if (it == m_entries.end())
            continue;
        t->disconnect(this);
        it->progress = t->progress();
        it->task = nullptr;
        t->deleteLater();
        if (it->state == State::Canceling)
            setState(id, State::Canceled);
    }
}

TransferProgress TransferQueue::totalProgress() const
{
    TransferProgress sum;
    sum.bytesTotal = 0;
    for (const Entry &e : m_entries) {
        const TransferProgress p = e.task ? e.task->progress() : e.progress;
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
        if (state(id) != State::Queued)
            continue;
        Error error;
        TransferTask *t = makeTask(id, &error);
        if (!t) {
            m_entries[id].error = error;
            setState(id, State::Failed);
            continue;
        }
        t->start(); // reports Running through stateChanged
        if (t->isActive()) {
            ++running;
        } else if (state(id) == State::Queued) {
            // A task that cannot start (already finished): show what it is.
            onTaskState(id, t->state());
        }
    }
    if (running == 0 && m_waiting.isEmpty())
        Q_EMIT idle();
}

} // namespace Cos
