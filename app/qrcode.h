#pragma once

#include <QByteArray>
#include <QImage>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

/**
 * @brief QR codes (libqrencode) of links, for phones to scan: the matrix, an image of it, and
 * the `image://cosqr/` image provider QML shows them with.
 *
 * QML uses the singleton `QrCode`: `Image { source: QrCode.source(url) }`. Its first use
 * registers the image provider with the engine.
 */
class QrCode : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    /** @brief The largest text a code holds (version 40, error correction level L, bytes). */
    static constexpr int MaxBytes = 2953;
    /** @brief Light modules around the symbol, as the standard asks. */
    static constexpr int QuietZone = 4;
    /** @brief The image provider's name: `image://cosqr/...`. */
    static constexpr const char *ProviderName = "cosqr";

    /** @brief A symbol: width x width modules, row by row, true for dark. */
    struct Matrix
    {
        int version = 0;
        int width = 0;
        QList<bool> modules;
        QString error; ///< why there is no symbol ("" when there is one)

        [[nodiscard]] bool isNull() const { return width == 0; }
        [[nodiscard]] bool dark(int x, int y) const { return modules.at(y * width + x); }
    };

    /**
     * @brief Encodes @p text (UTF-8, 8-bit mode) with error correction level M, or L when M
     * does not fit; an error for empty or too long text.
     */
    static Matrix encode(const QByteArray &text);
    /**
     * @brief The symbol with its quiet zone, @p moduleSize pixels per module, black on white.
     */
    static QImage render(const Matrix &matrix, int moduleSize);

    /** @brief The `image://cosqr/` URL that shows a code of @p text. */
    Q_INVOKABLE static QString source(const QString &text);
    /** @brief Why @p text gets no code ("" when it gets one). */
    Q_INVOKABLE static QString errorFor(const QString &text) { return encode(text.toUtf8()).error; }
    /** @brief The text of a source() URL; false when it is not one. */
    static bool textOfId(const QString &id, QByteArray *text);

    /** @brief The QML singleton; registers the image provider with @p qmlEngine. */
    static QrCode *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

private:
    // Not default-constructible: Qt 6.4 would then build the singleton itself, bypassing
    // create() and with it the image provider.
    explicit QrCode(QObject *parent);
};
