#include "screenshot.h"

#include <QCoreApplication>
#include <QImage>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

namespace {
constexpr int PollIntervalMs = 100;
// Lets animations and delegates that arrive with the data settle before the shot.
constexpr int SettleMs = 300;
} // namespace

Screenshot::Screenshot(QQuickWindow *window, QString fileName, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_fileName(std::move(fileName))
    , m_poll(new QTimer(this))
    , m_remainingMs(timeoutMs)
{
    connect(window, &QQuickWindow::frameSwapped, this, [this] { m_framed = true; });
    m_poll->setInterval(PollIntervalMs);
    connect(m_poll, &QTimer::timeout, this, &Screenshot::poll);
    m_poll->start();
}

void Screenshot::poll()
{
    if (m_done)
        return;
    if (!m_window) {
        finish(2);
        return;
    }
    m_remainingMs -= PollIntervalMs;
    const QVariant ready = m_window->property("pageReady");
    const bool isReady = m_framed && (!ready.isValid() || ready.toBool());
    if (!isReady) {
        if (m_remainingMs <= 0) {
            std::fprintf(stderr, "screenshot: the first page did not load in time\n");
            finish(3);
        }
        return;
    }
    m_poll->stop();
    m_done = true;
    QTimer::singleShot(SettleMs, this, [this] {
        if (!m_window) {
            finish(2);
            return;
        }
        const QImage image = m_window->grabWindow();
        if (image.isNull() || !image.save(m_fileName)) {
            std::fprintf(stderr, "screenshot: cannot write %s\n", qPrintable(m_fileName));
            finish(2);
            return;
        }
        std::printf("%s\n", qPrintable(m_fileName));
        const QString error = m_window->property("pageError").toString();
        if (!error.isEmpty()) {
            std::fprintf(stderr, "screenshot: the page shows an error: %s\n", qPrintable(error));
            finish(1);
            return;
        }
        finish(0);
    });
}

void Screenshot::finish(int exitCode)
{
    m_done = true;
    m_poll->stop();
    QCoreApplication::exit(exitCode);
}
