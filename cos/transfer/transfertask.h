#pragma once

#include "cos/core/error.h"
#include "cos/digest/filedigest.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>

namespace Cos {

class Client;
class RequestBudget;
class RequestJob;

/** @brief A snapshot of a transfer's progress. */
struct TransferProgress
{
    qint64 bytesDone = 0; ///< confirmed plus in flight
    qint64 bytesTotal = -1; ///< -1 while unknown (a download before its HEAD)
    double bytesPerSecond = 0; ///< smoothed over the last seconds
    qint64 etaSeconds = -1; ///< -1 when unknown
};

/**
 * @brief Base of UploadTask and DownloadTask: a resumable transfer with a life cycle.
 *
 * @verbatim
 *            start()                 success
 *   Idle ------------> Running -----------------> Succeeded
 *                      |  ^  |
 *             pause()  |  |  | error (after the retries)
 *                      v  |  v
 *                  Paused  Failed ---- start() (retry) ---> Running
 *                      |      |
 *      cancel() from any state but Succeeded: Canceling -> Canceled
 * @endverbatim
 *
 * start() resumes from the checkpoint after a pause, a failure or in a new process. Every time
 * the task leaves Running it emits stateChanged(); finished() is emitted when it reaches
 * Succeeded, Failed or Canceled (again after each retry). Progress is reported by
 * progressChanged() at most ten times a second.
 *
 * The base also holds the machinery both tasks share: the current single request ("step":
 * HEAD, Initiate, Complete, ...) with its retries, and the throttled checkpoint writes.
 */
class TransferTask : public QObject
{
    Q_OBJECT

public:
    enum class State { Idle, Running, Paused, Succeeded, Failed, Canceling, Canceled };
    Q_ENUM(State)
    enum class Direction { Upload, Download };
    Q_ENUM(Direction)

    static constexpr int ProgressIntervalMs = 100;

    ~TransferTask() override;

    [[nodiscard]] virtual Direction direction() const = 0;
    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] bool isActive() const
    {
        return m_state == State::Running || m_state == State::Canceling;
    }
    [[nodiscard]] bool isDone() const
    {
        return m_state == State::Succeeded || m_state == State::Failed
                || m_state == State::Canceled;
    }
    [[nodiscard]] const Error &error() const { return m_error; }
    [[nodiscard]] TransferProgress progress() const;
    [[nodiscard]] const QString &bucket() const { return m_bucket; }
    [[nodiscard]] const QString &key() const { return m_key; }
    [[nodiscard]] const QString &localPath() const { return m_localPath; }
    /**
     * @brief Of progress().bytesDone, the bytes this run found done already (the parts or
     * ranges of a checkpoint), which it did not move.
     */
    [[nodiscard]] qint64 bytesResumed() const { return m_bytesResumed; }

    /** @brief Starts, resumes after pause() or retries after a failure. */
    void start();
    /** @brief Stops the requests in flight and keeps the checkpoint for a later start(). */
    void pause();
    /** @brief Stops and forgets the transfer: server-side leftovers and checkpoint go. */
    void cancel();
    /**
     * @brief Parts and ranges take a slot of @p budget before they are sent (a batch shares one
     * among its tasks). Set before start(); without one, only the task's own limit applies.
     */
    void setRequestBudget(std::shared_ptr<RequestBudget> budget);

Q_SIGNALS:
    void stateChanged(Cos::TransferTask::State state);
    /** @brief At most every ProgressIntervalMs while running, and once on every state change. */
    void progressChanged();
    /** @brief Reached Succeeded, Failed or Canceled. */
    void finished();
    /** @brief A human-readable note (resumed, restarted, retrying part 7, ...). */
    void message(const QString &text);

protected:
    TransferTask(Client *client, QString bucket, QString key, QString localPath, QObject *parent);

    /** @brief Begin or resume work; called in state Running, with a client, from the event loop. */
    virtual void run() = 0;
    /** @brief Stop every request in flight without emitting anything; save the checkpoint. */
    virtual void halt() = 0;
    /** @brief After halt(): remove server-side leftovers, then call canceled(). */
    virtual void discard() = 0;
    /** @brief Write the checkpoint: now if @p force, else when checkpointSaveDue() says so. */
    virtual void saveCheckpoint(bool force) = 0;

    /** @brief Transition to Succeeded. */
    void succeed();
    /** @brief Transition to Failed with @p error (halt() is called first). */
    void failWith(const Error &error);
    /** @brief Ends a cancel(): transition to Canceled. */
    void canceled();
    /** @brief Progress numbers; the signal is rate-limited. */
    void setProgress(qint64 done, qint64 total);
    /** @brief True while the task should keep working (state Running). */
    [[nodiscard]] bool running() const { return m_state == State::Running; }
    /** @brief The endpoint part of checkpoint names. */
    [[nodiscard]] QString identity() const;

    /** @brief Retries allowed per step and per part or range, and the first backoff delay. */
    void setRetryPolicy(int retries, int baseMs);
    /**
     * @brief Counts a retry in @p retries and returns its backoff delay, or -1 when @p error is
     * not retryable or no retries are left. Emits the "retrying" message, prefixed by @p what.
     */
    int nextRetryDelay(const Error &error, int *retries, const QString &what = {});
    /** @brief Makes @p job the current step and starts it; @p done runs when it finishes. */
    void runStep(RequestJob *job, std::function<void()> done);
    /** @brief Runs @p again after a backoff if @p error is retryable and step retries are left. */
    bool retryStep(const Error &error, const std::function<void()> &again);
    /** @brief A context for a step's digest result; stopSteps() deletes it to drop the result. */
    QObject *newStepGuard();
    /**
     * @brief For halt(): stops the retry and checkpoint timers, drops the current step and
     * leaves the request budget's line.
     */
    void stopSteps();
    /**
     * @brief Calls @p startOne (which sends one part or range) while the task runs, @p wanted()
     * holds and the request budget has a slot for it. When it has none, the task waits in line
     * and @p wake (which calls the caller again) runs once a slot may be free; otherwise the
     * task leaves the line. The wake may come late, when the task is in another phase, so it
     * must only start requests.
     */
    void startWithRequestSlots(const std::function<bool()> &wanted,
                               const std::function<void()> &startOne,
                               const std::function<void()> &wake);
    /** @brief Gives back a slot that startWithRequestSlots() took for a request now done. */
    void giveRequestSlot();
    /** @brief Aborts @p job without its finished() reaching this task. */
    void abortJob(RequestJob *job);
    /**
     * @brief For saveCheckpoint(): true when a write is due now; otherwise arms a timer that
     * calls saveCheckpoint(true) once @p intervalMs have passed since the last write.
     */
    [[nodiscard]] bool checkpointSaveDue(bool force, int intervalMs);
    void setBytesResumed(qint64 bytes) { m_bytesResumed = bytes; }

    QPointer<Client> m_client;
    QString m_bucket;
    QString m_key;
    QString m_localPath;
    int m_stepRetryCount = 0; ///< retries of the current step; the task resets it per phase
    QTimer m_saveTimer; ///< a pending checkpoint write

private:
    void setState(State state);
    /** @brief Leaves the budget's line: for a task that no longer waits for a slot. */
    void leaveRequestLine();
    void emitProgress();
    void sampleSpeed();

    State m_state = State::Idle;
    Error m_error;
    qint64 m_done = 0;
    qint64 m_total = -1;
    qint64 m_bytesResumed = 0;
    bool m_progressPending = false;
    QElapsedTimer m_sinceEmit;
    // Speed: an exponentially smoothed rate over samples taken at emission times.
    QElapsedTimer m_speedClock;
    qint64 m_speedLastBytes = -1;
    qint64 m_speedLastMs = 0;
    double m_speed = 0;
    quint64 m_runSerial = 0;
    int m_retries = 6;
    int m_retryBaseMs = 500;
    QPointer<RequestJob> m_stepJob;
    QObject *m_stepGuard = nullptr;
    QTimer m_retryTimer;
    qint64 m_lastSaveMs = 0;
    std::shared_ptr<RequestBudget> m_budget;
};

/** @brief An endpoint identity for checkpoint names: dialect, scheme, host, port, region. */
QString endpointIdentity(const Client *client);

/** @brief Helpers shared by the transfer tasks. */
namespace TransferUtil {
/** @brief 404 NoSuchUpload, or NoSuchKey as Ceph RGW answers for an unknown upload id. */
bool isUploadGone(const Error &error);
/**
 * @brief digestFileWindow() on the global thread pool; @p done runs on @p context's thread,
 * and not at all once @p context is deleted.
 */
void digestAsync(const QString &path, qint64 offset, qint64 length, QObject *context,
                 std::function<void(const WindowDigest &)> done);
} // namespace TransferUtil

} // namespace Cos
