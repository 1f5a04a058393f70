#include "screenshot.h"

#include <QCoreApplication>
#include <QDir>
#include <QFont>
#include <QImage>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTimer>

#include <cmath>
#include <utility>
#include <cstdio>

using namespace Qt::StringLiterals;

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

namespace {
constexpr int SceneSettleMs = 900;

double luminance(const QColor &c)
{
    const auto channel = [](double v) {
        return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

QColor blend(const QColor &over, const QColor &under)
{
    const double a = over.alphaF();
    return QColor::fromRgbF(float(over.redF() * a + under.redF() * (1 - a)),
                            float(over.greenF() * a + under.greenF() * (1 - a)),
                            float(over.blueF() * a + under.blueF() * (1 - a)));
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

bool isText(const QQuickItem *item)
{
    const QByteArray name = item->metaObject()->className();
    return name == "QQuickText" || name.startsWith("QQuickLabel")
            || name.startsWith("Label_QMLTYPE") || item->inherits("QQuickText");
}

bool isOpaqueRectangle(const QObject *o)
{
    const auto *item = qobject_cast<const QQuickItem *>(o);
    return item && item->isVisible() && item->opacity() > 0.99 && item->inherits("QQuickRectangle")
            && item->property("color").value<QColor>().alphaF() > 0.9;
}

// The opaque colour behind @p text: the nearest rectangle (or control background) under it.
QColor backgroundOf(const QQuickItem *text, QQuickWindow *window)
{
    const QPointF centre = text->mapToScene(QPointF(text->width() / 2, text->height() / 2));
    for (const QQuickItem *a = text->parentItem(); a; a = a->parentItem()) {
        QObject *bg = a->property("background").value<QObject *>();
        for (const QObject *candidate :
             {static_cast<const QObject *>(a), static_cast<const QObject *>(bg)}) {
            if (!isOpaqueRectangle(candidate))
                continue;
            const auto *rect = static_cast<const QQuickItem *>(candidate);
            const QRectF r = rect->mapRectToScene(QRectF(0, 0, rect->width(), rect->height()));
            if (r.contains(centre))
                return rect->property("color").value<QColor>();
        }
    }
    return window->color();
}

// Where the text is painted (its content, not the item's full width), in scene coordinates.
QRectF paintedRect(const QQuickItem *t)
{
    const double cw = std::min(t->property("contentWidth").toDouble(), t->width());
    const double ch = std::min(t->property("contentHeight").toDouble(), t->height());
    const int align = t->property("effectiveHorizontalAlignment").toInt();
    double x = 0;
    if (align & Qt::AlignRight)
        x = t->width() - cw;
    else if (align & Qt::AlignHCenter)
        x = (t->width() - cw) / 2;
    double y = 0;
    const int valign = t->property("verticalAlignment").toInt();
    if (valign & Qt::AlignBottom)
        y = t->height() - ch;
    else if (valign & Qt::AlignVCenter)
        y = (t->height() - ch) / 2;
    return t->mapRectToScene(QRectF(x, y, cw, ch));
}

bool effectivelyEnabled(const QQuickItem *item)
{
    return item->isEnabled();
}

// Qt's own QML file and folder dialogs (used where no native one exists) are not ours to fix.
bool insideQtDialog(const QQuickItem *item)
{
    for (const QQuickItem *a = item; a; a = a->parentItem()) {
        const QByteArray name = a->metaObject()->className();
        if (name.contains("DialogImpl") || name.contains("DialogDelegate")
            || name.contains("FolderBreadcrumbBar"))
            return true;
    }
    return false;
}

void collectTexts(QQuickItem *item, QList<QQuickItem *> *out)
{
    if (!item->isVisible() || item->opacity() < 0.01)
        return;
    if (isText(item) && !item->property("text").toString().isEmpty() && item->width() > 0)
        out->append(item);
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children)
        collectTexts(child, out);
}

void collectNamed(QQuickItem *item, const QStringList &names, QList<QQuickItem *> *out)
{
    if (!item->isVisible())
        return;
    if (names.contains(item->objectName()))
        out->append(item);
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *child : children)
        collectNamed(child, names, out);
}

QString describe(const QQuickItem *t)
{
    QString text = t->property("text").toString().simplified();
    if (text.size() > 40)
        text = text.left(37) + u"..."_s;
    return u"\"%1\""_s.arg(text);
}
} // namespace

QStringList Tour::checkLayout(QQuickWindow *window)
{
    QStringList problems;
    QQuickItem *top = window->contentItem()->parentItem() ? window->contentItem()->parentItem()
                                                          : window->contentItem();
    const QRectF windowRect(0, 0, window->width(), window->height());

    // Contrast of every enabled text against what is behind it.
    QList<QQuickItem *> texts;
    collectTexts(top, &texts);
    for (const QQuickItem *t : std::as_const(texts)) {
        if (!effectivelyEnabled(t) || insideQtDialog(t) || t->inherits("QQuickPlaceholderText")
            || t->metaObject()->className() == QByteArray("QQuickPlaceholderText"))
            continue;
        const QRectF r = t->mapRectToScene(QRectF(0, 0, t->width(), t->height()));
        if (!windowRect.intersects(r))
            continue;
        const QColor bg = backgroundOf(t, window);
        const QColor fg = blend(t->property("color").value<QColor>(), bg);
        const QFont font = t->property("font").value<QFont>();
        const double px = font.pixelSize() > 0 ? font.pixelSize() : font.pointSizeF() * 4 / 3;
        const bool large = px >= 24 || (px >= 18.66 && font.weight() >= QFont::Bold);
        const double c = contrast(fg, bg);
        if (c < (large ? 3.0 : 4.5))
            problems.append(u"low contrast %1:1 (%2 on %3): %4"_s.arg(c, 0, 'f', 2)
                                    .arg(fg.name(), bg.name(), describe(t)));
    }

    // Clipped and overlapping text in the chrome and the rows.
    QList<QQuickItem *> regions;
    collectNamed(top,
                 {u"appHeader"_s, u"listHeader"_s, u"transferList"_s, u"batchList"_s,
                  u"objectList"_s, u"networkList"_s, u"networkDetails"_s},
                 &regions);
    for (QQuickItem *region : std::as_const(regions)) {
        QList<QQuickItem *> inRegion;
        collectTexts(region, &inRegion);
        const QRectF regionRect = region->mapRectToScene(
                QRectF(0, 0, region->width(), region->height()));
        QList<QPair<QRectF, const QQuickItem *>> painted;
        for (const QQuickItem *t : std::as_const(inRegion)) {
            const QRectF item = t->mapRectToScene(QRectF(0, 0, t->width(), t->height()));
            if (!regionRect.intersects(item))
                continue; // scrolled out of view
            const bool elides = t->property("elide").toInt() != 0;
            const bool wraps = t->property("wrapMode").toInt() != 0;
            const double cw = t->property("contentWidth").toDouble();
            const double ch = t->property("contentHeight").toDouble();
            if (!elides && !wraps && cw > t->width() + 1)
                problems.append(
                        u"clipped text in %1 (%2 px wide in %3 px): %4"_s.arg(region->objectName())
                                .arg(cw, 0, 'f', 0)
                                .arg(t->width(), 0, 'f', 0)
                                .arg(describe(t)));
            else if (ch > t->height() + 2 && t->property("maximumLineCount").toInt() > 1000)
                problems.append(
                        u"clipped text in %1 (%2 px high in %3 px): %4"_s.arg(region->objectName())
                                .arg(ch, 0, 'f', 0)
                                .arg(t->height(), 0, 'f', 0)
                                .arg(describe(t)));
            // Lists and scroll views scroll: their text may lie partly outside the view.
            const bool inList = region->objectName().endsWith("List"_L1)
                    || region->inherits("QQuickScrollView");
            if (!inList && !regionRect.adjusted(-1, -1, 1, 1).contains(item))
                problems.append(u"text outside %1: %2"_s.arg(region->objectName(), describe(t)));
            painted.append({paintedRect(t), t});
        }
        for (qsizetype i = 0; i < painted.size(); ++i) {
            for (qsizetype j = i + 1; j < painted.size(); ++j) {
                const QRectF overlap = painted[i].first.intersected(painted[j].first);
                if (overlap.width() > 2 && overlap.height() > 2)
                    problems.append(
                            u"overlapping text in %1: %2 and %3"_s.arg(region->objectName(),
                                                                       describe(painted[i].second),
                                                                       describe(painted[j].second)));
            }
        }
    }
    problems.removeDuplicates();
    return problems;
}

Tour::Tour(QQuickWindow *window, QString dir, int timeoutMs, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_dir(std::move(dir))
    , m_poll(new QTimer(this))
    , m_remainingMs(timeoutMs)
{
    connect(window, &QQuickWindow::frameSwapped, this, [this] { m_framed = true; });
    m_poll->setInterval(PollIntervalMs);
    connect(m_poll, &QTimer::timeout, this, &Tour::poll);
    m_poll->start();
}

void Tour::poll()
{
    if (!m_window) {
        finish(2);
        return;
    }
    m_remainingMs -= PollIntervalMs;
    if (!m_framed || !m_window->property("pageReady").toBool()) {
        if (m_remainingMs <= 0) {
            std::fprintf(stderr, "tour: the first page did not load in time\n");
            finish(3);
        }
        return;
    }
    m_poll->stop();
    m_firstScene = true;
    QDir().mkpath(m_dir);
    const QStringList scenes = m_window->property("tourScenes").toStringList();
    for (const char *theme : {"light", "dark"}) {
        for (const QString &scene : scenes)
            m_scenes.append(QString::fromLatin1(theme) + u'-' + scene);
    }
    next();
}

void Tour::next()
{
    if (!m_window) {
        finish(2);
        return;
    }
    if (m_step >= m_scenes.size()) {
        QMetaObject::invokeMethod(m_window, "endTour");
        for (const QString &p : std::as_const(m_problems))
            std::fprintf(stderr, "tour: %s\n", qPrintable(p));
        finish(m_problems.isEmpty() ? 0 : 1);
        return;
    }
    const QString name = m_scenes.at(m_step);
    const bool dark = name.startsWith(u"dark-"_s);
    QMetaObject::invokeMethod(m_window, "setTourTheme", Q_ARG(QVariant, dark));
    QMetaObject::invokeMethod(m_window, "showScene", Q_ARG(QVariant, name.section(u'-', 1)));
    // The first scene also waits for the icons of the first page to paint, and
    // the first of each theme for the lists to settle after the theme change.
    const bool firstOfTheme = m_step % std::max<qsizetype>(1, m_scenes.size() / 2) == 0;
    const int settleMs = std::exchange(m_firstScene, false) ? 4 * SceneSettleMs
            : firstOfTheme                                  ? 3 * SceneSettleMs
                                                            : SceneSettleMs;
    QTimer::singleShot(settleMs, this, [this, name] {
        if (!m_window) {
            finish(2);
            return;
        }
        const QString file = QDir(m_dir).filePath(
                u"%1x%2-%3.png"_s.arg(m_window->width()).arg(m_window->height()).arg(name));
        const QImage image = m_window->grabWindow();
        if (image.isNull() || !image.save(file)) {
            std::fprintf(stderr, "tour: cannot write %s\n", qPrintable(file));
            finish(2);
            return;
        }
        std::printf("%s\n", qPrintable(file));
        const QString where =
                u"%1x%2 %3: "_s.arg(m_window->width()).arg(m_window->height()).arg(name);
        const QStringList problems = checkLayout(m_window);
        for (const QString &p : problems)
            m_problems.append(where + p);
        ++m_step;
        next();
    });
}

void Tour::finish(int exitCode)
{
    m_poll->stop();
    QCoreApplication::exit(exitCode);
}
