// QR codes of links: libqrencode's matrix (structure), its image, and both read back by an
// independent decoder (zbarimg from zbar-tools, which scripts/bootstrap.sh installs).
#include <qrcode.h>

#include <QImage>
#include <QProcess>
#include <QQmlEngine>
#include <QQuickImageProvider>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppQr : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matrixStructure();
    void decodesBackToTheUrl_data();
    void decodesBackToTheUrl();
    void imageProviderDecodes();
    void limits();

private:
    QString decode(const QImage &image);
    QTemporaryDir m_dir;
};

namespace {

// The shape of a presigned COS GET with a temporary key (long, with %-escapes and a token).
const QString CosLink =
        u"https://photos-1250000000.cos.ap-guangzhou.myqcloud.com/2026/%E5%86%99%E7%9C%9F%20"
        "%F0%9F%8C%B8.jpg?q-sign-algorithm=sha1&q-ak=AKIDexampleexampleexampleexample&q-sign-time="
        "1765100000%3B1765103600&q-key-time=1765100000%3B1765103600&q-header-list=host&"
        "q-url-param-list=&q-signature=0123456789abcdef0123456789abcdef01234567&"
        "x-cos-security-token="_s
        + u"T"_s.repeated(400);

} // namespace

QString TstAppQr::decode(const QImage &image)
{
    const QString zbarimg = QStandardPaths::findExecutable(u"zbarimg"_s);
    if (zbarimg.isEmpty())
        return u"<zbarimg not found: scripts/bootstrap.sh installs zbar-tools>"_s;
    const QString path = m_dir.filePath(u"code.png"_s);
    if (!image.save(path, "PNG"))
        return u"<cannot save the image>"_s;
    QProcess p;
    p.start(zbarimg, {u"--raw"_s, u"-q"_s, u"-Sbinary"_s, path});
    if (!p.waitForFinished(30000) || p.exitCode() != 0)
        return u"<zbarimg failed: %1>"_s.arg(QString::fromLocal8Bit(p.readAllStandardError()));
    QByteArray out = p.readAllStandardOutput();
    if (out.endsWith('\n'))
        out.chop(1);
    return QString::fromUtf8(out);
}

void TstAppQr::matrixStructure()
{
    const QrCode::Matrix m = QrCode::encode("https://example.com/a"_ba);
    QVERIFY2(!m.isNull(), qPrintable(m.error));
    QVERIFY(m.version >= 1);
    QCOMPARE(m.width, 17 + 4 * m.version);
    QCOMPARE(m.modules.size(), qsizetype(m.width) * m.width);
    // The three finder patterns: a dark 7x7 ring, a light ring, a dark 3x3 centre.
    for (const auto &[ox, oy] : {std::pair {0, 0}, {m.width - 7, 0}, {0, m.width - 7}}) {
        for (int i = 0; i < 7; ++i) {
            QVERIFY(m.dark(ox + i, oy) && m.dark(ox + i, oy + 6));
            QVERIFY(m.dark(ox, oy + i) && m.dark(ox + 6, oy + i));
        }
        for (int i = 1; i < 6; ++i)
            QVERIFY(!m.dark(ox + i, oy + 1) && !m.dark(ox + i, oy + 5));
        QVERIFY(m.dark(ox + 3, oy + 3));
    }
    const QImage image = QrCode::render(m, 3);
    QCOMPARE(image.size(), QSize((m.width + 8) * 3, (m.width + 8) * 3));
    QCOMPARE(qGray(image.pixel(0, 0)), 255); // quiet zone
    QCOMPARE(qGray(image.pixel(4 * 3, 4 * 3)), 0); // finder corner
}

void TstAppQr::decodesBackToTheUrl_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("short") << u"https://example.com/"_s;
    QTest::newRow("presigned COS link") << CosLink;
    QTest::newRow("unicode") << u"https://example.com/文件 😀?x=1#y"_s;
}

void TstAppQr::decodesBackToTheUrl()
{
    QFETCH(QString, text);
    const QrCode::Matrix m = QrCode::encode(text.toUtf8());
    QVERIFY2(!m.isNull(), qPrintable(m.error));
    QCOMPARE(decode(QrCode::render(m, 4)), text);
}

// The path QML takes: QrCode.source(url) through the engine's image provider.
void TstAppQr::imageProviderDecodes()
{
    QQmlEngine engine;
    QrCode *singleton = QrCode::create(&engine, nullptr);
    QVERIFY(singleton);
    auto *provider = dynamic_cast<QQuickImageProvider *>(engine.imageProvider(u"cosqr"_s));
    QVERIFY(provider);
    const QString source = QrCode::source(CosLink);
    QVERIFY(source.startsWith(u"image://cosqr/"_s));
    const QString id = source.mid(u"image://cosqr/"_s.size());
    QVERIFY(!id.contains(u'/') && !id.contains(u'%') && !id.contains(u'?'));
    QSize size;
    const QImage image = provider->requestImage(id, &size, QSize(400, 400));
    QVERIFY(!image.isNull());
    QCOMPARE(size, image.size());
    QVERIFY(image.width() <= 400 && image.width() >= 200); // whole pixels per module
    QCOMPARE(decode(image), CosLink);
    // Not an id of source(): no image.
    QVERIFY(provider->requestImage(u"!!"_s, &size, {}).isNull());
}

void TstAppQr::limits()
{
    QrCode::Matrix m = QrCode::encode({});
    QVERIFY(m.isNull());
    QCOMPARE(m.error, u"Nothing to encode."_s);
    m = QrCode::encode(QByteArray(QrCode::MaxBytes + 1, 'a'));
    QVERIFY(m.isNull());
    QVERIFY2(m.error.contains(u"too long"_s), qPrintable(m.error));
    QCOMPARE(QrCode::errorFor(u"x"_s.repeated(QrCode::MaxBytes + 1)), m.error);
    // The largest text still fits (version 40, level L).
    m = QrCode::encode(QByteArray(QrCode::MaxBytes, 'a'));
    QVERIFY2(!m.isNull(), qPrintable(m.error));
    QCOMPARE(m.version, 40);
}

QTEST_MAIN(TstAppQr)
#include "tst_app_qr.moc"
