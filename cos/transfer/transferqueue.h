#pragma once

#include "cos/core/error.h"
#include "cos/transfer/transfertask.h"

#include <QList>
#include <QMap>
#include <QObject>

#include <functional>

namespace Cos {

/**
 * @brief Runs transfers with a limit on how many run at once.
 *
 * Each transfer is an entry with an id. Entries wait in the order they were queued until a
 * slot is free. Per entry: pause() (a waiting entry leaves the queue; a running one stops and
 * keeps its checkpoint), resume() (back in the queue), cancel() and retry() (a failed entry
 * back in the queue). Entries stay, finished or not, until remove(). Progress comes from the
 * tasks, each limited to ten signals a second.
 *
 * An entry holds either a task given to add(), or a factory that creates the task when it is
 * first needed (to start or to cancel). An entry made from a factory can outlive its task:
 * releaseTasks() pauses and deletes the tasks, and the next start creates a fresh one (for
 * example on a new client), which resumes from the engine's checkpoint.
 */
class TransferQueue : public QObject
{
    Q_OBJECT

public:
    /** @brief What an entry is doing: its task's state, plus Queued (waiting for a slot). */
    enum class State { Queued, Running, Paused, Succeeded, Failed, Canceling, Canceled };
    Q_ENUM(State)
    /** @brief "queued", "running", ...: the state as a stable lower-case word. */
    [[nodiscard]] static QString stateName(State state);

    /** @brief Where add() puts a new entry. */
    enum class AddMode {
        Queue, ///< waiting for a slot; scheduled from the event loop, so callers may connect first
        Paused, ///< paused until resume() (e.g. a transfer restored after a restart)
    };

    /**
     * @brief Creates the task of an entry when it is needed; returns null and sets @p error
     * when it cannot (the entry then fails, or is canceled by cancel()).
     */
    using TaskFactory = std::function<TransferTask *(Error *error)>;

    static constexpr int DefaultMaxConcurrent = 2;

    explicit TransferQueue(QObject *parent = nullptr);
    ~TransferQueue() override;

    /** @brief At least 1; lowering it lets running transfers finish. */
    void setMaxConcurrent(int count);
    [[nodiscard]] int maxConcurrent() const { return m_maxConcurrent; }

    /** @brief Takes ownership of @p task (not null) and adds it; returns its id (> 0). */
    int add(TransferTask *task, AddMode mode = AddMode::Queue);
    /** @brief Adds an entry whose task @p factory creates when needed; returns its id (> 0). */
    int add(TaskFactory factory, AddMode mode = AddMode::Queue);
    /** @brief The entry's task; null for an entry whose factory has not made one (yet). */
    [[nodiscard]] TransferTask *task(int id) const;
    /** @brief Every entry, oldest first. */
    [[nodiscard]] QList<int> ids() const { return m_entries.keys(); }
    [[nodiscard]] bool contains(int id) const { return m_entries.contains(id); }
    /** @brief Canceled for an unknown id. */
    [[nodiscard]] State state(int id) const;
    /** @brief True while @p id waits for a free slot. */
    [[nodiscard]] bool isQueued(int id) const { return state(id) == State::Queued; }
    /** @brief Why the entry failed last (kept until it is queued again). */
    [[nodiscard]] Error error(int id) const;
    /** @brief The task's progress, or the last one known when the entry has no task. */
    [[nodiscard]] TransferProgress progress(int id) const;
    /** @brief Entries whose task runs or cancels (they hold a slot). */
    [[nodiscard]] int runningCount() const;
    /** @brief Entries queued, running or canceling. */
    [[nodiscard]] int activeCount() const;

    void pause(int id);
    void resume(int id);
    /** @brief Stops and forgets the transfer; an entry without a task gets one to clean up. */
    void cancel(int id);
    void retry(int id);
    /** @brief Pauses if active, then deletes the entry and its task. */
    void remove(int id);
    void pauseAll();
    void resumeAll();
    /**
     * @brief Pauses running transfers and deletes the tasks of entries made from a factory
     * (a cancel in progress ends as Canceled). Call it before the tasks' clients go away.
     */
    void releaseTasks();

    /** @brief Sum over all entries; speed is the sum of the speeds. */
    [[nodiscard]] TransferProgress totalProgress() const;

Q_SIGNALS:
    void added(int id);
    void stateChanged(int id, Cos::TransferQueue::State state);
    void progressChanged(int id, const Cos::TransferProgress &progress);
    /** @brief The entry reached Succeeded, Failed or Canceled. */
    void finished(int id);
    void message(int id, const QString &text);
    /** @brief Nothing runs and nothing waits any more. */
    void idle();

private:
    struct Entry
    {
        TransferTask *task = nullptr;
        TaskFactory factory;
        State state = State::Queued;
        Error error;
        TransferProgress progress; // last known, for an entry whose task was released
    };

    int addEntry(TransferTask *task, TaskFactory factory, AddMode mode);
    void attach(int id, TransferTask *task);
    TransferTask *makeTask(int id, Error *error);
    void onTaskState(int id, TransferTask::State taskState);
    void setState(int id, State state);
    void enqueue(int id);
    void schedule();

    QMap<int, Entry> m_entries;
    QList<int> m_waiting;
    int m_nextId = 1;
    int m_maxConcurrent = DefaultMaxConcurrent;
};

} // namespace Cos
