#pragma once

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Cos {

/**
 * @brief A cap on the part and range requests that several transfers have in flight together.
 *
 * A batch of large files moved each with its own part or range concurrency had up to
 * files x parts requests in flight: 32 ranges for 8 files of the default batch. RGW spent about
 * 40 % more CPU on the same bytes that way than on one file with 4 (docs/benchmarks.md,
 * Folders), so a batch gives its tasks one shared budget instead.
 *
 * A task takes a slot before it sends a part or range and gives it back when that request is
 * done. A task that finds no slot free, or other tasks waiting before it, joins the line and is
 * woken (queued, in its own thread) when a slot frees while it is first; it then takes again.
 * A task that stops, or no longer wants a slot, leaves the line (withdraw()), so that the next
 * one is woken.
 */
class RequestBudget
{
public:
    explicit RequestBudget(int capacity);
    RequestBudget(const RequestBudget &) = delete;
    RequestBudget &operator=(const RequestBudget &) = delete;

    [[nodiscard]] int capacity() const { return m_capacity; }
    [[nodiscard]] int inUse() const { return m_inUse; }
    /** @brief The most slots taken at once so far. */
    [[nodiscard]] int peak() const { return m_peak; }
    /** @brief How many tasks wait in line. */
    [[nodiscard]] int waiting() const { return int(m_line.size()); }

    /**
     * @brief Takes a slot for @p task when one is free and @p task is first in line (or the line
     * is empty). Otherwise puts @p task in line (once) and returns false; @p wake is called
     * later, queued on @p task, when it may take again.
     */
    [[nodiscard]] bool take(QObject *task, std::function<void()> wake);
    /** @brief Gives a slot back. */
    void give();
    /** @brief Takes @p task out of the line, if it is in it. */
    void withdraw(QObject *task);

private:
    struct Waiter
    {
        QPointer<QObject> task;
        std::function<void()> wake;
    };

    void wakeFirst();

    int m_capacity;
    int m_inUse = 0;
    int m_peak = 0;
    QList<Waiter> m_line;
};

} // namespace Cos
