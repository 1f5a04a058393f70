#pragma once

#include <QColor>
#include <QPainterPath>
#include <QQuickPaintedItem>
#include <QString>
#include <QtQml/qqmlregistration.h>

/**
 * @brief A Material outline icon (24x24 view box) filled with one colour, drawn from SVG path
 * data by C++: the icon of every row of the lists, so it must be cheap to create.
 *
 * Drawn by C++ because a page of the object list creates two icons per row, and a Canvas would
 * run JavaScript to parse and fill the path for every one. The parsed paths are kept once per
 * process. Icon.qml wraps it with the theme's colour; an unknown name shows "file".
 */
class PathIcon : public QQuickPaintedItem
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString name READ name WRITE setName NOTIFY nameChanged)
    Q_PROPERTY(QColor color READ color WRITE setColor NOTIFY colorChanged)

public:
    explicit PathIcon(QQuickItem *parent = nullptr);

    [[nodiscard]] QString name() const { return m_name; }
    void setName(const QString &name);
    [[nodiscard]] QColor color() const { return m_color; }
    void setColor(const QColor &color);

    void paint(QPainter *painter) override;

    /** @brief The names of the icons there are. */
    [[nodiscard]] static QStringList names();
    /** @brief The outline of icon @p name in the 24x24 view box ("file" for unknown names). */
    [[nodiscard]] static QPainterPath path(const QString &name);
    /**
     * @brief Parses SVG path data of the commands M, L, H, V, C, S and Z (absolute and
     * relative). Anything else, or a number missing, is an error: @p ok false and an empty path.
     */
    [[nodiscard]] static QPainterPath parseSvgPath(QStringView data, bool *ok = nullptr);

Q_SIGNALS:
    void nameChanged();
    void colorChanged();

private:
    QString m_name = QStringLiteral("file");
    QColor m_color = Qt::black;
};
