#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QThreadPool>

#include <memory>
#include <utility>

namespace Cos {

/**
 * @brief Runs @p work() on the global thread pool and calls @p done(result) on @p context's
 * thread; not at all once @p context is deleted (the work still runs to its end, and its
 * result is dropped).
 */
template<typename Result, typename Work, typename Done>
void runInThreadPool(QObject *context, Work work, Done done)
{
    auto promise = std::make_shared<QPromise<Result>>();
    // The watcher is a child of the context: deleting the context drops the result.
    auto *watcher = new QFutureWatcher<Result>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, done = std::move(done)]() mutable {
                         const Result result = watcher->result();
                         watcher->deleteLater();
                         done(result);
                     });
    watcher->setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, work = std::move(work)]() mutable {
        promise->addResult(work());
        promise->finish();
    });
}

} // namespace Cos
