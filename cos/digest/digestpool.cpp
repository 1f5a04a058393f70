#include "cos/digest/digestpool.h"

#include "cos/core/poolcall.h"
#include "cos/digest/md5lanes.h"

namespace Cos {

DigestLanePool::DigestLanePool(QObject *parent)
    : QObject(parent)
{ }

void DigestLanePool::submit(const QList<NamedWindow> &windows, QObject *context, Done done)
{
    m_pending.append({windows, context, std::move(done)});
    if (!m_running)
        startPass();
}

void DigestLanePool::startPass()
{
    QList<Request> pass;
    QList<NamedWindow> windows;
    while (!m_pending.isEmpty()) {
        Request &next = m_pending.first();
        if (!next.context) { // its queue is gone: nothing to hash for it
            m_pending.removeFirst();
            continue;
        }
        if (!pass.isEmpty() && windows.size() + next.windows.size() > Md5Lanes::MaxLanes)
            break;
        windows += next.windows;
        pass.append(m_pending.takeFirst());
    }
    if (pass.isEmpty())
        return;
    m_running = true;
    m_passSizes.append(int(windows.size()));
    runInThreadPool<QList<WindowDigest>>(
            this, [windows] { return digestWindows(windows); },
            [this, pass](const QList<WindowDigest> &digests) {
                // Still running while the results go out: a done() that submits again only
                // queues, and the next pass gathers all of it.
                qsizetype at = 0;
                for (const Request &r : pass) {
                    const QList<WindowDigest> mine = digests.mid(at, r.windows.size());
                    at += r.windows.size();
                    if (r.context)
                        r.done(mine);
                }
                m_running = false;
                startPass();
            });
}

} // namespace Cos
