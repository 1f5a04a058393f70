#pragma once

#include "transfertask.h"

#include <QList>
#include <QMap>
#include <QObject>

namespace Cos {

/**
 * @brief Runs transfers with a limit on how many run at once.
 *
 * Tasks wait in insertion order until a slot is free. Per transfer: pause() (a waiting task
 * leaves the queue; a running one stops and keeps its checkpoint), resume() (back in the
 * queue), cancel() and retry() (a failed task back in the queue). Progress comes from the
 * tasks, each limited to ten signals a second.
 */
class TransferQueue : public QObject
{
    Q_OBJECT

public:
    static constexpr int DefaultMaxConcurrent = 2;

    explicit TransferQueue(QObject *parent = nullptr);
    ~TransferQueue() override;

    /** @brief At least 1; lowering it lets running transfers finish. */
    void setMaxConcurrent(int count);
    [[nodiscard]] int maxConcurrent() const { return m_maxConcurrent; }

    /** @brief Takes ownership of @p task and queues it; returns its id (> 0). */
    int add(TransferTask *task);
    [[nodiscard]] TransferTask *task(int id) const { return m_tasks.value(id); }
    [[nodiscard]] QList<int> ids() const { return m_tasks.keys(); }
    /** @brief True while @p id waits for a free slot. */
    [[nodiscard]] bool isQueued(int id) const { return m_waiting.contains(id); }
    [[nodiscard]] int runningCount() const;

    void pause(int id);
    void resume(int id);
    void cancel(int id);
    void retry(int id);
    /** @brief Cancels if active, then deletes the task. */
    void remove(int id);
    void pauseAll();
    void resumeAll();

    /** @brief Sum over all tasks; speed is the sum of the speeds. */
    [[nodiscard]] TransferProgress totalProgress() const;

Q_SIGNALS:
    void added(int id);
    void stateChanged(int id, Cos::TransferTask::State state);
    void progressChanged(int id, const Cos::TransferProgress &progress);
    void finished(int id);
    void message(int id, const QString &text);
    /** @brief Nothing runs and nothing waits any more. */
    void idle();

private:
    void schedule();

    QMap<int, TransferTask *> m_tasks;
    QList<int> m_waiting;
    int m_nextId = 1;
    int m_maxConcurrent = DefaultMaxConcurrent;
};

} // namespace Cos
