// PathIcon: the SVG path data of every icon parses completely into the 24x24 view box, bad
// path data is refused without a crash, and a painted icon has its colour where the outline is.
#include <pathicon.h>

#include <QImage>
#include <QPainter>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppIcons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyIconParses();
    void commands_data();
    void commands();
    void badData_data();
    void badData();
    void paintsTheOutline();
};

void TstAppIcons::everyIconParses()
{
    const QStringList names = PathIcon::names();
    QVERIFY(names.size() >= 30);
    for (const QString &name : names) {
        const QPainterPath p = PathIcon::path(name);
        QVERIFY2(!p.isEmpty(), qPrintable(name));
        QCOMPARE(p.fillRule(), Qt::WindingFill);
        const QRectF box = p.boundingRect();
        QVERIFY2(QRectF(0, 0, 24, 24).adjusted(-0.01, -0.01, 0.01, 0.01).contains(box),
                 qPrintable(name + u": "_s + QString::number(box.x()) + u","_s
                            + QString::number(box.y()) + u" "_s + QString::number(box.width())
                            + u"x"_s + QString::number(box.height())));
        QVERIFY2(box.width() > 0 && box.height() > 0 && qMax(box.width(), box.height()) > 8,
                 qPrintable(name));
    }
    // An unknown name is the generic file.
    QCOMPARE(PathIcon::path(u"no-such-icon"_s), PathIcon::path(u"file"_s));
}

void TstAppIcons::commands_data()
{
    QTest::addColumn<QString>("data");
    QTest::addColumn<QString>("same");

    // Relative and absolute spellings, implicit linetos after a moveto, numbers run together.
    QTest::newRow("relative lines") << u"m2 2l4 0 0 4-4 0z"_s << u"M2 2L6 2L6 6L2 6Z"_s;
    QTest::newRow("h and v") << u"M2 2h4v4H2V2z"_s << u"M2 2L6 2L6 6L2 6L2 2Z"_s;
    QTest::newRow("moveto pairs") << u"M2 2 6 2 6 6z"_s << u"M2 2L6 2L6 6Z"_s;
    QTest::newRow("packed numbers") << u"M1.5.5l2-.5"_s << u"M1.5 0.5L3.5 0"_s;
    QTest::newRow("commas and exponent") << u"M1e1,2 L 3 , 4"_s << u"M10 2L3 4"_s;
    QTest::newRow("relative curve") << u"M2 2c1 0 2 1 2 2"_s << u"M2 2C3 2 4 3 4 4"_s;
    // S reflects the previous curve's second control point (3,4 about 4,4 is 5,4).
    QTest::newRow("smooth curve") << u"M2 2C3 2 3 4 4 4s2 2 2 2"_s
                                  << u"M2 2C3 2 3 4 4 4C5 4 6 6 6 6"_s;
    // After z, a relative moveto starts from the closed subpath's start.
    QTest::newRow("after close") << u"M2 2h2v2zm4 0h2"_s << u"M2 2L4 2L4 4ZM6 2L8 2"_s;
}

void TstAppIcons::commands()
{
    QFETCH(QString, data);
    QFETCH(QString, same);
    bool ok = false;
    const QPainterPath a = PathIcon::parseSvgPath(data, &ok);
    QVERIFY(ok);
    bool okSame = false;
    const QPainterPath b = PathIcon::parseSvgPath(same, &okSame);
    QVERIFY(okSame);
    QCOMPARE(a.elementCount(), b.elementCount());
    for (int i = 0; i < a.elementCount(); ++i) {
        QCOMPARE(a.elementAt(i).type, b.elementAt(i).type);
        QVERIFY2(qAbs(a.elementAt(i).x - b.elementAt(i).x) < 1e-9
                         && qAbs(a.elementAt(i).y - b.elementAt(i).y) < 1e-9,
                 qPrintable(u"element %1"_s.arg(i)));
    }
}

void TstAppIcons::badData_data()
{
    QTest::addColumn<QString>("data");
    QTest::newRow("empty") << QString();
    QTest::newRow("no moveto first") << u"L1 2"_s;
    QTest::newRow("half a point") << u"M1"_s;
    QTest::newRow("missing number") << u"M1 2L"_s;
    QTest::newRow("curve cut short") << u"M1 2C1 2 3 4 5"_s;
    QTest::newRow("unknown command") << u"M1 2A1 1 0 0 1 2 2"_s;
    QTest::newRow("stray character") << u"M1 2#"_s;
    QTest::newRow("number after close") << u"M1 2h1z 3"_s;
    QTest::newRow("lone sign") << u"M- 2"_s;
}

void TstAppIcons::badData()
{
    QFETCH(QString, data);
    bool ok = true;
    const QPainterPath p = PathIcon::parseSvgPath(data, &ok);
    QVERIFY(!ok);
    QVERIFY(p.isEmpty());
}

void TstAppIcons::paintsTheOutline()
{
    // "close" is an X: the centre is on the outline, the middle of the top edge is not.
    PathIcon icon;
    icon.setName(u"close"_s);
    icon.setColor(QColor(200, 10, 10));
    icon.setSize(QSizeF(48, 48));
    QImage image(48, 48, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        icon.paint(&painter);
    }
    QCOMPARE(image.pixelColor(24, 24), QColor(200, 10, 10));
    QCOMPARE(image.pixelColor(24, 2).alpha(), 0);
    QCOMPARE(image.pixelColor(2, 24).alpha(), 0);
}

QTEST_MAIN(TstAppIcons)
#include "tst_app_icons.moc"
