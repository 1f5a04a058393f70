#include "pathicon.h"

#include <QHash>
#include <QPainter>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

// Material Design icon outlines (Apache 2.0, 24x24 view box).
struct IconData
{
    const char *name;
    const char *path;
};
constexpr IconData Icons[] = {
        {"folder",
         "M10 4H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 "
         "2-2V8c0-1.1-.9-2-2-2h-8l-2-2z"},
        {"file",
         "M6 2c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8l-6-6H6zm7 "
         "7V3.5L18.5 9H13z"},
        {"image",
         "M21 19V5c0-1.1-.9-2-2-2H5c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2zM8.5 "
         "13.5l2.5 3.01L14.5 12l4.5 6H5l3.5-4.5z"},
        {"text",
         "M14 2H6c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8l-6-6zm2 "
         "16H8v-2h8v2zm0-4H8v-2h8v2zm-3-5V3.5L18.5 9H13z"},
        {"code",
         "M9.4 16.6L4.8 12l4.6-4.6L8 6l-6 6 6 6 1.4-1.4zm5.2 0l4.6-4.6-4.6-4.6L16 6l6 6-6 "
         "6-1.4-1.4z"},
        {"archive",
         "M20.54 5.23l-1.39-1.68C18.88 3.21 18.47 3 18 3H6c-.47 0-.88.21-1.16.55L3.46 5.23C3.17 "
         "5.57 3 6.02 3 6.5V19c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V6.5c0-.48-.17-.93-.46-1.27zM12 "
         "17.5L6.5 12H10v-2h4v2h3.5L12 17.5zM5.12 5l.81-1h12l.94 1H5.12z"},
        {"video",
         "M18 4l2 4h-3l-2-4h-2l2 4h-3l-2-4H8l2 4H7L5 4H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 "
         "2h16c1.1 0 2-.9 2-2V4h-4z"},
        {"audio",
         "M12 3v10.55c-.59-.34-1.27-.55-2-.55-2.21 0-4 1.79-4 4s1.79 4 4 4 4-1.79 4-4V7h4V3h-6z"},
        {"back", "M20 11H7.83l5.59-5.59L12 4l-8 8 8 8 1.41-1.41L7.83 13H20v-2z"},
        {"refresh",
         "M17.65 6.35C16.2 4.9 14.21 4 12 4c-4.42 0-7.99 3.58-7.99 8s3.57 8 7.99 8c3.73 0 "
         "6.84-2.55 7.73-6h-2.08c-.82 2.33-3.04 4-5.65 4-3.31 0-6-2.69-6-6s2.69-6 6-6c1.66 0 "
         "3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z"},
        {"folderupload",
         "M20 6h-8l-2-2H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 "
         "2-2V8c0-1.1-.9-2-2-2zm0 12H4V8h16v10zM8 13.01l1.41 1.41L11 12.84V17h2v-4.16l1.59 1.59L16 "
         "13.01 12.01 9 8 13.01z"},
        {"selectall",
         "M3 5h2V3c-1.1 0-2 .9-2 2zm0 8h2v-2H3v2zm4 8h2v-2H7v2zM3 9h2V7H3v2zm10-6h-2v2h2V3zm6 "
         "0v2h2c0-1.1-.9-2-2-2zM5 21v-2H3c0 1.1.9 2 2 2zm-2-4h2v-2H3v2zM9 3H7v2h2V3zm2 "
         "18h2v-2h-2v2zm8-8h2v-2h-2v2zm0 8c1.1 0 2-.9 2-2h-2v2zm0-12h2V7h-2v2zm0 8h2v-2h-2v2zm-4 "
         "4h2v-2h-2v2zm0-16h2V3h-2v2zM7 17h10V7H7v10zm2-8h6v6H9V9z"},
        {"upload", "M9 16h6v-6h4l-7-7-7 7h4zm-4 2h14v2H5z"},
        {"download", "M19 9h-4V3H9v6H5l7 7 7-7zM5 18v2h14v-2H5z"},
        {"delete", "M6 19c0 1.1.9 2 2 2h8c1.1 0 2-.9 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z"},
        {"link",
         "M3.9 12c0-1.71 1.39-3.1 3.1-3.1h4V7H7c-2.76 0-5 2.24-5 5s2.24 5 5 5h4v-1.9H7c-1.71 "
         "0-3.1-1.39-3.1-3.1zM8 13h8v-2H8v2zm9-6h-4v1.9h4c1.71 0 3.1 1.39 3.1 3.1s-1.39 3.1-3.1 "
         "3.1h-4V17h4c2.76 0 5-2.24 5-5s-2.24-5-5-5z"},
        {"settings",
         "M3 17v2h6v-2H3zM3 5v2h10V5H3zm10 16v-2h8v-2h-8v-2h-2v6h2zM7 9v2H3v2h4v2h2V9H7zm14 "
         "4v-2H11v2h10zm-6-4h2V7h4V5h-4V3h-2v6z"},
        {"network", "M22 8l-4-4v3H3v2h15v3l4-4zM2 16l4 4v-3h15v-2H6v-3l-4 4z"},
        {"transfers", "M16 17.01V10h-2v7.01h-3L15 21l4-3.99h-3zM9 3L5 6.99h3V14h2V6.99h3L9 3z"},
        {"pause", "M6 19h4V5H6v14zm8-14v14h4V5h-4z"},
        {"play", "M8 5v14l11-7z"},
        {"close",
         "M19 6.41L17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 "
         "17.59 13.41 12z"},
        {"add", "M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z"},
        {"search",
         "M15.5 14h-.79l-.28-.27C15.41 12.59 16 11.11 16 9.5 16 5.91 13.09 3 9.5 3S3 5.91 3 9.5 "
         "5.91 16 9.5 16c1.61 0 3.09-.59 4.23-1.57l.27.28v.79l5 4.99L20.49 19l-4.99-5zm-6 0C7.01 "
         "14 5 11.99 5 9.5S7.01 5 9.5 5 14 7.01 14 9.5 11.99 14 9.5 14z"},
        {"bucket",
         "M2 20h20v-4H2v4zm2-3h2v2H4v-2zM2 4v4h20V4H2zm4 3H4V5h2v2zm-4 7h20v-4H2v4zm2-3h2v2H4v-2z"},
        {"region",
         "M12 2C8.13 2 5 5.13 5 9c0 5.25 7 13 7 13s7-7.75 7-13c0-3.87-3.13-7-7-7zm0 9.5c-1.38 "
         "0-2.5-1.12-2.5-2.5s1.12-2.5 2.5-2.5 2.5 1.12 2.5 2.5-1.12 2.5-2.5 2.5z"},
        {"more",
         "M12 8c1.1 0 2-.9 2-2s-.9-2-2-2-2 .9-2 2 .9 2 2 2zm0 2c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 "
         "2-2-.9-2-2-2zm0 6c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2z"},
        {"chevron", "M10 6L8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z"},
        {"error",
         "M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 "
         "15h-2v-2h2v2zm0-4h-2V7h2v6z"},
        {"lock",
         "M18 8h-1V6c0-2.76-2.24-5-5-5S7 3.24 7 6v2H6c-1.1 0-2 .9-2 2v10c0 1.1.9 2 2 2h12c1.1 0 "
         "2-.9 2-2V10c0-1.1-.9-2-2-2zm-6 9c-1.1 0-2-.9-2-2s.9-2 2-2 2 .9 2 2-.9 2-2 "
         "2zm3.1-9H8.9V6c0-1.71 1.39-3.1 3.1-3.1 1.71 0 3.1 1.39 3.1 3.1v2z"},
        {"empty",
         "M19 3H4.99c-1.11 0-1.98.89-1.98 2L3 19c0 1.1.88 2 1.99 2H19c1.1 0 2-.9 "
         "2-2V5c0-1.11-.9-2-2-2zm0 12h-4c0 1.66-1.35 3-3 3s-3-1.34-3-3H4.99V5H19v10z"},
        {"check",
         "M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm-2 15l-5-5 "
         "1.41-1.41L10 14.17l7.59-7.59L19 8l-9 9z"},
        {"warning", "M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z"},
        {"menu", "M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z"},
        {"sort", "M3 18h6v-2H3v2zM3 6v2h18V6H3zm0 7h12v-2H3v2z"},
        {"newfolder",
         "M20 6h-8l-2-2H4c-1.11 0-1.99.89-1.99 2L2 18c0 1.11.89 2 2 2h16c1.11 0 2-.89 "
         "2-2V8c0-1.11-.89-2-2-2zm-1 8h-3v3h-2v-3h-3v-2h3V9h2v3h3v2z"},
        {"theme",
         "M12 3c-4.97 0-9 4.03-9 9s4.03 9 9 9 9-4.03 9-9c0-.46-.04-.92-.1-1.36-.98 1.37-2.58 "
         "2.26-4.4 2.26-2.98 0-5.4-2.42-5.4-5.4 0-1.81.89-3.42 2.26-4.4-.44-.06-.9-.1-1.36-.1z"},
};

/** Reads the numbers and commands of SVG path data ("1.99.9" is 1.99 and .9, "2-2" 2 and -2). */
class PathReader
{
public:
    explicit PathReader(QStringView data)
        : m_data(data)
    { }

    void skipSeparators()
    {
        while (m_pos < m_data.size() && (m_data[m_pos].isSpace() || m_data[m_pos] == u','))
            ++m_pos;
    }
    [[nodiscard]] bool atEnd()
    {
        skipSeparators();
        return m_pos >= m_data.size();
    }
    /** The next character, when it is a command letter. */
    [[nodiscard]] std::optional<QChar> command()
    {
        skipSeparators();
        if (m_pos < m_data.size() && m_data[m_pos].isLetter())
            return m_data[m_pos++];
        return std::nullopt;
    }
    [[nodiscard]] bool startsNumber()
    {
        skipSeparators();
        if (m_pos >= m_data.size())
            return false;
        const QChar c = m_data[m_pos];
        return c.isDigit() || c == u'-' || c == u'+' || c == u'.';
    }
    [[nodiscard]] std::optional<qreal> number()
    {
        skipSeparators();
        const qsizetype start = m_pos;
        if (m_pos < m_data.size() && (m_data[m_pos] == u'-' || m_data[m_pos] == u'+'))
            ++m_pos;
        bool digits = false;
        bool dot = false;
        while (m_pos < m_data.size()) {
            const QChar c = m_data[m_pos];
            if (c.isDigit()) {
                digits = true;
            } else if (c == u'.' && !dot) {
                dot = true;
            } else {
                break;
            }
            ++m_pos;
        }
        if (digits && m_pos < m_data.size() && (m_data[m_pos] == u'e' || m_data[m_pos] == u'E')) {
            qsizetype p = m_pos + 1;
            if (p < m_data.size() && (m_data[p] == u'-' || m_data[p] == u'+'))
                ++p;
            if (p < m_data.size() && m_data[p].isDigit()) {
                while (p < m_data.size() && m_data[p].isDigit())
                    ++p;
                m_pos = p;
            }
        }
        if (!digits)
            return std::nullopt;
        bool ok = false;
        const qreal v = m_data.sliced(start, m_pos - start).toDouble(&ok);
        return ok ? std::optional<qreal>(v) : std::nullopt;
    }

private:
    QStringView m_data;
    qsizetype m_pos = 0;
};

} // namespace

PathIcon::PathIcon(QQuickItem *parent)
    : QQuickPaintedItem(parent)
{
    setAntialiasing(true);
    setImplicitSize(24, 24);
}

void PathIcon::setName(const QString &name)
{
    if (m_name == name)
        return;
    m_name = name;
    Q_EMIT nameChanged();
    update();
}

void PathIcon::setColor(const QColor &color)
{
    if (m_color == color)
        return;
    m_color = color;
    Q_EMIT colorChanged();
    update();
}

void PathIcon::paint(QPainter *painter)
{
    if (width() <= 0 || height() <= 0)
        return;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->scale(width() / 24.0, height() / 24.0);
    painter->fillPath(path(m_name), m_color);
}

QStringList PathIcon::names()
{
    QStringList out;
    for (const IconData &icon : Icons)
        out.append(QLatin1String(icon.name));
    return out;
}

QPainterPath PathIcon::path(const QString &name)
{
    // Parsed once per process, on the UI thread (the only one that paints these items).
    static const QHash<QString, QPainterPath> parsed = [] {
        QHash<QString, QPainterPath> paths;
        for (const IconData &icon : Icons)
            paths.insert(QLatin1String(icon.name), parseSvgPath(QString::fromLatin1(icon.path)));
        return paths;
    }();
    const auto it = parsed.constFind(name);
    return it != parsed.constEnd() ? it.value() : parsed.value(u"file"_s);
}

QPainterPath PathIcon::parseSvgPath(QStringView data, bool *ok)
{
    if (ok)
        *ok = false;
    PathReader in(data);
    QPainterPath path;
    // Canvas and SVG fill with the non-zero rule; QPainterPath's default is odd-even.
    path.setFillRule(Qt::WindingFill);
    QPointF current;
    QPointF start;
    QPointF lastControl; // the second control point of the last C or S
    QChar previous;
    std::optional<QChar> cmd = in.command();
    if (!cmd || cmd->toUpper() != u'M')
        return {};
    while (cmd) {
        const QChar c = *cmd;
        const bool relative = c.isLower();
        const QPointF origin = relative ? current : QPointF();
        auto point = [&in, &origin]() -> std::optional<QPointF> {
            const std::optional<qreal> x = in.number();
            const std::optional<qreal> y = x ? in.number() : std::nullopt;
            if (!y)
                return std::nullopt;
            return origin + QPointF(*x, *y);
        };
        switch (c.toUpper().unicode()) {
        case u'M': {
            const std::optional<QPointF> p = point();
            if (!p)
                return {};
            path.moveTo(*p);
            current = start = *p;
            // Further pairs after a moveto are linetos.
            while (in.startsNumber()) {
                const QPointF o = relative ? current : QPointF();
                const std::optional<qreal> x = in.number();
                const std::optional<qreal> y = x ? in.number() : std::nullopt;
                if (!y)
                    return {};
                current = o + QPointF(*x, *y);
                path.lineTo(current);
            }
            break;
        }
        case u'L':
        case u'H':
        case u'V': {
            const QChar kind = c.toUpper();
            do {
                const QPointF o = relative ? current : QPointF();
                if (kind == u'L') {
                    const std::optional<qreal> x = in.number();
                    const std::optional<qreal> y = x ? in.number() : std::nullopt;
                    if (!y)
                        return {};
                    current = o + QPointF(*x, *y);
                } else {
                    const std::optional<qreal> v = in.number();
                    if (!v)
                        return {};
                    if (kind == u'H')
                        current.setX(o.x() + *v);
                    else
                        current.setY(o.y() + *v);
                }
                path.lineTo(current);
            } while (in.startsNumber());
            break;
        }
        case u'C':
        case u'S': {
            const bool smooth = c.toUpper() == u'S';
            do {
                const QPointF o = relative ? current : QPointF();
                QPointF c1;
                if (smooth) {
                    const bool follows = previous.toUpper() == u'C' || previous.toUpper() == u'S';
                    c1 = follows ? 2 * current - lastControl : current;
                } else {
                    const std::optional<qreal> x = in.number();
                    const std::optional<qreal> y = x ? in.number() : std::nullopt;
                    if (!y)
                        return {};
                    c1 = o + QPointF(*x, *y);
                }
                QPointF c2;
                QPointF end;
                for (QPointF *p : {&c2, &end}) {
                    const std::optional<qreal> x = in.number();
                    const std::optional<qreal> y = x ? in.number() : std::nullopt;
                    if (!y)
                        return {};
                    *p = o + QPointF(*x, *y);
                }
                path.cubicTo(c1, c2, end);
                lastControl = c2;
                current = end;
                previous = c;
            } while (in.startsNumber());
            break;
        }
        case u'Z':
            path.closeSubpath();
            current = start;
            break;
        default:
            return {};
        }
        previous = c;
        if (in.atEnd())
            break;
        cmd = in.command();
        if (!cmd)
            return {}; // a number where a command belongs, or a stray character
    }
    if (ok)
        *ok = true;
    return path;
}
