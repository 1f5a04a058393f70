#pragma once

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QDateTime>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QString>
#include <QtQml/qqmlregistration.h>

#include <functional>

class QQmlEngine;

namespace Cos {
class Client;
} // namespace Cos

/**
 * @brief Previews of objects: thumbnails and full images through the `image://cospreview/`
 * image provider, and text (up to TextMaxBytes) through loadText().
 *
 * Bodies are never loaded without a bound: a thumbnail downloads at most ThumbnailMaxBytes,
 * a full image FullImageMaxBytes, a text TextMaxBytes (the request fails once the server sends
 * more). Images are decoded off the UI thread and scaled while decoding. On COS, thumbnails
 * (and full views of images over the limit) are first asked for through the data-processing
 * parameter `imageMogr2/thumbnail/<W>x<H>`; a bucket that answers it with an error or with
 * something that is not an image is not asked again in this run, and the plain size-limited
 * download is used instead.
 *
 * Decoded images are kept in memory (MemoryCacheBytes at most, least recently used dropped);
 * thumbnails also on disk in `<CacheLocation>/thumbnails` (DiskCacheBytes at most, oldest
 * dropped), keyed by endpoint, bucket, key, size and modification time, so a changed object
 * gets a new thumbnail.
 */
class PreviewProvider : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.previews")
    /** Whether COS buckets are asked for imageMogr2 thumbnails first (default true). */
    Q_PROPERTY(bool imageProcessing READ imageProcessing WRITE setImageProcessing NOTIFY
                       imageProcessingChanged)

public:
    static constexpr qint64 ThumbnailMaxBytes = 8 * 1024 * 1024;
    static constexpr qint64 FullImageMaxBytes = 32 * 1024 * 1024;
    static constexpr qint64 TextMaxBytes = 1024 * 1024;
    static constexpr qint64 MemoryCacheBytes = 48 * 1024 * 1024;
    static constexpr qint64 DiskCacheBytes = 64 * 1024 * 1024;
    static constexpr int MaxImageSide = 4096;
    /** The image provider's name: `image://cospreview/...`. */
    static constexpr const char *ProviderName = "cospreview";

    /** @brief What a preview of an object shows. */
    enum class Kind { None, Image, Text };

    /** @brief Where an image comes from, as the image provider's id carries it. */
    struct ImageSpec
    {
        bool thumbnail = true;
        QString region;
        QString bucket;
        QString key;
        qint64 size = -1;
        qint64 modifiedMs = 0;

        [[nodiscard]] QString toId() const;
        /** @brief Parses an id of toId(); false when it is not one. */
        static bool fromId(const QString &id, ImageSpec *spec);
    };

    /** @brief A decoded text body. */
    struct DecodedText
    {
        bool isText = false; ///< false for binary data (NUL bytes, undecodable)
        QString text;
        QString encoding; ///< "UTF-8", "UTF-16LE", ... "ISO-8859-1"
    };

    using ClientSource = std::function<Cos::Client *(const QString &region)>;

    explicit PreviewProvider(ClientSource clients, QObject *parent = nullptr);
    ~PreviewProvider() override;

    /** @brief Registers the `cospreview` image provider of @p provider with @p engine. */
    static void install(QQmlEngine *engine, PreviewProvider *provider);

    /** @brief The preview kind of object @p key by its name (images Qt can read, text). */
    static Kind kindOf(const QString &key);
    /** @brief "image", "text" or "" for QML. */
    Q_INVOKABLE static QString kindName(const QString &key);
    /** @brief The thumbnail URL of an object ("" when it is no image or too big to fetch). */
    static QString thumbnailUrl(const QString &region, const QString &bucket, const QString &key,
                                qint64 size, const QDateTime &modified);
    /** @brief The full-view URL of an image object (`image://cospreview/full/...`). */
    Q_INVOKABLE static QString imageUrl(const QString &region, const QString &bucket,
                                        const QString &key, qint64 size);

    /**
     * @brief Guesses the encoding of @p data (a BOM, valid UTF-8, UTF-16 without BOM, else
     * ISO-8859-1) and decodes it; data with NUL bytes or invalid UTF-16 is not text.
     */
    static DecodedText decodeText(const QByteArray &data);

    /**
     * @brief Downloads object @p key (at most TextMaxBytes) and answers with textLoaded() or
     * textFailed(); @p size is the size from the listing (bigger than the limit fails at once).
     */
    Q_INVOKABLE void loadText(const QString &region, const QString &bucket, const QString &key,
                              qint64 size);

    /** @brief Why the image at @p url (an imageUrl()/thumbnailUrl()) failed; "" if unknown. */
    Q_INVOKABLE QString imageError(const QString &url) const;

    [[nodiscard]] bool imageProcessing() const { return m_imageProcessing; }
    void setImageProcessing(bool enabled);

    /** @brief Bytes of decoded images held in memory now. */
    [[nodiscard]] qint64 memoryCacheBytes() const { return m_memory.totalCost(); }
    /** @brief The thumbnail folder. */
    [[nodiscard]] QString diskCacheDir() const { return m_diskDir; }
    /** @brief Network requests made for images so far (tests check the caches with it). */
    [[nodiscard]] int imageRequests() const { return m_imageRequests; }

    /**
     * @brief Fetches the image of @p spec, scaled to fit @p requestedSize (when valid), from
     * the caches or the server; calls @p done on this object's thread with the image or an
     * error text. @p canceled (may be null) is polled before and during the download, which
     * it aborts (a row scrolled out of view).
     */
    void fetchImage(const ImageSpec &spec, QSize requestedSize, std::function<bool()> canceled,
                    std::function<void(const QImage &, const QString &)> done);

Q_SIGNALS:
    void imageProcessingChanged();
    void textLoaded(const QString &key, const QString &text, const QString &encoding);
    void textFailed(const QString &key, const QString &message);

private:
    void fetchFromServer(const ImageSpec &spec, QSize size, const QString &cacheKey,
                         bool useProcessing, std::function<bool()> canceled,
                         std::function<void(const QImage &, const QString &)> done);
    void storeOnDisk(const QString &cacheKey, const QImage &image);
    [[nodiscard]] QString diskPath(const QString &cacheKey) const;

    ClientSource m_clients;
    QCache<QString, QImage> m_memory;
    QSet<QString> m_noProcessing; // buckets that refused imageMogr2
    QHash<QString, QString> m_errors; // image id -> why it failed (the last few)
    QString m_diskDir;
    bool m_imageProcessing = true;
    int m_diskWrites = 0;
    int m_imageRequests = 0;
};
