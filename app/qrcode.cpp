#include "qrcode.h"

#include <QQmlEngine>
#include <QQuickImageProvider>

#ifdef COS_HAVE_QRENCODE
#    include <qrencode.h>
#endif

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/** Draws codes for `image://cosqr/<base64url text>`, sized to the request (whole modules). */
class QrImageProvider : public QQuickImageProvider
{
public:
    QrImageProvider()
        : QQuickImageProvider(QQuickImageProvider::Image)
    { }

    QImage requestImage(const QString &id, QSize *size, const QSize &requestedSize) override
    {
        QByteArray text;
        if (!QrCode::textOfId(id, &text))
            return {};
        const QrCode::Matrix matrix = QrCode::encode(text);
        if (matrix.isNull())
            return {};
        const int modules = matrix.width + 2 * QrCode::QuietZone;
        const int side = requestedSize.isValid() && !requestedSize.isEmpty()
                ? std::min(requestedSize.width(), requestedSize.height())
                : modules * 4;
        // Whole pixels per module keep every module the same size (scanners need that).
        const QImage image = QrCode::render(matrix, std::clamp(side / modules, 1, 16));
        if (size)
            *size = image.size();
        return image;
    }
};

} // namespace

QrCode::QrCode(QObject *parent)
    : QObject(parent)
{ }

QrCode *QrCode::create(QQmlEngine *qmlEngine, QJSEngine *jsEngine)
{
    Q_UNUSED(jsEngine)
    if (qmlEngine && !qmlEngine->imageProvider(QLatin1String(ProviderName)))
        qmlEngine->addImageProvider(QLatin1String(ProviderName), new QrImageProvider);
    return new QrCode(qmlEngine);
}

QrCode::Matrix QrCode::encode(const QByteArray &text)
{
    Matrix m;
    if (text.isEmpty()) {
        m.error = tr("Nothing to encode.");
        return m;
    }
    if (text.size() > MaxBytes) {
        m.error = tr("The link is too long for a QR code (%1 bytes; at most %2).")
                          .arg(text.size())
                          .arg(MaxBytes);
        return m;
    }
#ifndef COS_HAVE_QRENCODE
    m.error = tr("QR codes are not available in this build (it has no libqrencode).");
    return m;
#else
    const auto deleter = [](QRcode *c) { QRcode_free(c); };
    std::unique_ptr<QRcode, decltype(deleter)>
            code(QRcode_encodeData(int(text.size()),
                                   reinterpret_cast<const unsigned char *>(text.data()), 0,
                                   QR_ECLEVEL_M),
                 deleter);
    if (!code)
        code.reset(QRcode_encodeData(int(text.size()),
                                     reinterpret_cast<const unsigned char *>(text.data()), 0,
                                     QR_ECLEVEL_L));
    if (!code || code->width <= 0) {
        m.error = tr("The link could not be encoded as a QR code.");
        return m;
    }
    m.version = code->version;
    m.width = code->width;
    m.modules.resize(qsizetype(m.width) * m.width);
    // Bit 0 of each byte is the module's colour (1: dark); the others say what it is part of.
    for (qsizetype i = 0; i < m.modules.size(); ++i)
        m.modules[i] = code->data[i] & 1;
    return m;
#endif
}

QImage QrCode::render(const Matrix &matrix, int moduleSize)
{
    if (matrix.isNull() || moduleSize < 1)
        return {};
    const int side = (matrix.width + 2 * QuietZone) * moduleSize;
    QImage image(side, side, QImage::Format_Grayscale8);
    image.fill(255);
    for (int y = 0; y < matrix.width; ++y) {
        for (int x = 0; x < matrix.width; ++x) {
            if (!matrix.dark(x, y))
                continue;
            for (int dy = 0; dy < moduleSize; ++dy) {
                uchar *line = image.scanLine((y + QuietZone) * moduleSize + dy);
                std::fill_n(line + (x + QuietZone) * moduleSize, moduleSize, uchar(0));
            }
        }
    }
    return image;
}

QString QrCode::source(const QString &text)
{
    // Base64url keeps the id free of '/', '%', '?' and '#', which QUrl would rewrite.
    return u"image://"_s + QLatin1String(ProviderName) + u'/'
            + QString::fromLatin1(text.toUtf8().toBase64(QByteArray::Base64UrlEncoding
                                                         | QByteArray::OmitTrailingEquals));
}

bool QrCode::textOfId(const QString &id, QByteArray *text)
{
    const auto decoded =
            QByteArray::fromBase64Encoding(id.toLatin1(),
                                           QByteArray::Base64UrlEncoding
                                                   | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return false;
    *text = decoded.decoded;
    return true;
}
