#include "cos/transfer/requestbudget.h"

#include <QMetaObject>

#include <algorithm>

namespace Cos {

RequestBudget::RequestBudget(int capacity)
    : m_capacity(std::max(1, capacity))
{ }

bool RequestBudget::take(QObject *task, std::function<void()> wake)
{
    // A task deleted without withdrawing leaves a null entry; it must not hold the line.
    m_line.removeIf([](const Waiter &w) { return w.task.isNull(); });
    const bool first = !m_line.isEmpty() && m_line.constFirst().task == task;
    if (m_inUse < m_capacity && (m_line.isEmpty() || first)) {
        if (first)
            m_line.removeFirst();
        ++m_inUse;
        m_peak = std::max(m_peak, m_inUse);
        wakeFirst(); // a slot may still be free for the next in line
        return true;
    }
    const bool queued = std::any_of(m_line.cbegin(), m_line.cend(),
                                    [task](const Waiter &w) { return w.task == task; });
    if (!queued)
        m_line.append({task, std::move(wake)});
    return false;
}

void RequestBudget::give()
{
    Q_ASSERT(m_inUse > 0);
    m_inUse = std::max(0, m_inUse - 1);
    wakeFirst();
}

void RequestBudget::withdraw(QObject *task)
{
    const bool wasFirst = !m_line.isEmpty() && m_line.constFirst().task == task;
    m_line.removeIf([task](const Waiter &w) { return w.task == task || w.task.isNull(); });
    if (wasFirst)
        wakeFirst();
}

void RequestBudget::wakeFirst()
{
    m_line.removeIf([](const Waiter &w) { return w.task.isNull(); });
    if (m_inUse >= m_capacity || m_line.isEmpty())
        return;
    const Waiter &w = m_line.constFirst();
    QMetaObject::invokeMethod(w.task.data(), w.wake, Qt::QueuedConnection);
}

} // namespace Cos
