#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

class QQuickWindow;
class QTimer;

/**
 * @brief Saves one image of a window once its first page is ready, then quits the app.
 *
 * The window's root object may declare `pageReady` (bool) and `pageError` (string). The shot is
 * taken after a frame has been rendered and `pageReady` is true (or absent). The exit code is 0,
 * or 1 when `pageError` is non-empty, 2 when the image cannot be written, 3 on timeout.
 */
class Screenshot : public QObject
{
    Q_OBJECT

public:
    Screenshot(QQuickWindow *window, QString fileName, int timeoutMs, QObject *parent = nullptr);

private:
    void poll();
    void finish(int exitCode);

    QPointer<QQuickWindow> m_window;
    QString m_fileName;
    QTimer *m_poll;
    int m_remainingMs;
    bool m_framed = false;
    bool m_done = false;
};
