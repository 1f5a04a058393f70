#pragma once

#include "cos/digest/filedigest.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <functional>

namespace Cos {

/**
 * @brief Runs the hashing passes of several PartDigestQueues one at a time, each pass filling
 * the SIMD lanes with the windows of every queue that waits.
 *
 * A folder of files with a few parts each gives every file's queue passes of two or three
 * lanes; alone, each such pass costs as much CPU per byte as the scalar MD5. Shared through the
 * Client, the files of a batch (or the uploads of an app) hash side by side in one pass.
 *
 * @verbatim
 *   submit(windows, context, done) --> pending (in order)
 *        |
 *   [idle] --pending--> [pass: whole requests, oldest first, up to MaxLanes windows (always at
 *                        least one request), digestWindows() on the global thread pool]
 *        ^                  |
 *        +-- done() of each request whose context lives, then the next pass
 * @endverbatim
 *
 * Lives on one thread, as its callers do; deleting it drops the pass running and the pending
 * requests (their done() is never called).
 */
class DigestLanePool : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(const QList<WindowDigest> &)>;

    explicit DigestLanePool(QObject *parent = nullptr);

    /**
     * @brief Hashes @p windows in a coming pass; @p done gets result i
     * for window i, on this object's thread, and is not called once @p context is deleted.
     */
    void submit(const QList<NamedWindow> &windows, QObject *context, Done done);

    /** @brief The number of windows of every pass started so far (for tests). */
    [[nodiscard]] const QList<int> &passSizes() const { return m_passSizes; }

private:
    struct Request
    {
        QList<NamedWindow> windows;
        QPointer<QObject> context;
        Done done;
    };

    void startPass();

    QList<Request> m_pending;
    bool m_running = false;
    QList<int> m_passSizes;
};

} // namespace Cos
