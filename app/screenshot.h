#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

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

/**
 * @brief The screenshot tour: once the first page is ready, shows every scene the window's
 * root object lists in `tourScenes` (through its showScene()), in the light and the dark theme
 * (setTourTheme()), saves `<dir>/<W>x<H>-<theme>-<scene>.png` for each and checks its layout:
 * no text clipped or overlapping another in the header, the list header, the object rows and
 * the transfer and batch rows, and every enabled text at least 4.5:1 (3:1 when large) against what is
 * behind it. Problems go to stderr; the exit code is 0, 1 with problems, 2 when an image cannot
 * be written, 3 when the first page does not load in time.
 */
class Tour : public QObject
{
    Q_OBJECT

public:
    Tour(QQuickWindow *window, QString dir, int timeoutMs, QObject *parent = nullptr);

    /** @brief Layout and contrast problems of what @p window shows now (one line each). */
    static QStringList checkLayout(QQuickWindow *window);

private:
    void poll();
    void next();
    void finish(int exitCode);

    QPointer<QQuickWindow> m_window;
    QString m_dir;
    QTimer *m_poll;
    int m_remainingMs;
    bool m_framed = false;
    QStringList m_scenes;
    int m_step = 0;
    bool m_firstScene = false;
    QStringList m_problems;
};
