#include "previewprovider.h"

#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/job.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMimeDatabase>
#include <QMutex>
#include <QPointer>
#include <QQmlEngine>
#include <QQuickImageProvider>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QThread>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 MaxImagePixels = 64LL * 1024 * 1024;

QThreadPool *decodePool()
{
    // Decoding is CPU work; two threads keep the UI thread and the machine responsive.
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(2);
        return p;
    }();
    return pool;
}

/** Decodes @p bytes, scaled while decoding to fit @p bound (no upscaling). */
QImage decodeImage(const QByteArray &bytes, QSize bound, QString *error)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAutoTransform(true);
    QSize size = reader.size();
    if (size.isValid() && qint64(size.width()) * size.height() > MaxImagePixels) {
        *error = QObject::tr("The image is too large to preview (%1 × %2 pixels).")
                         .arg(size.width())
                         .arg(size.height());
        return {};
    }
    if (size.isValid()) {
        // The bound applies to the image as shown; a rotation by EXIF swaps its sides.
        if (reader.transformation() & QImageIOHandler::TransformationRotate90)
            bound.transpose();
        if (size.width() > bound.width() || size.height() > bound.height())
            reader.setScaledSize(size.scaled(bound, Qt::KeepAspectRatio).expandedTo({1, 1}));
    }
    QImage image = reader.read();
    if (image.isNull())
        *error = QObject::tr("The object could not be read as an image (%1).")
                         .arg(reader.errorString());
    return image;
}

QString sizeKey(QSize s)
{
    return QString::number(s.width()) + u'x' + QString::number(s.height());
}

const QSet<QString> &imageSuffixes()
{
    static const QSet<QString> suffixes = [] {
        QSet<QString> s;
        for (const QByteArray &format : QImageReader::supportedImageFormats())
            s.insert(QString::fromLatin1(format).toLower());
        // Formats Qt reads that carry no pictures worth a thumbnail.
        s.remove(u"pdf"_s);
        return s;
    }();
    return suffixes;
}

} // namespace

QString PreviewProvider::ImageSpec::toId() const
{
    const QJsonArray fields {region, bucket, key, QString::number(size),
                             QString::number(modifiedMs)};
    // Base64url keeps the id free of '/', '%' and '?', which QUrl would otherwise rewrite.
    return (thumbnail ? u"thumb/"_s : u"full/"_s)
            + QString::fromLatin1(QJsonDocument(fields)
                                          .toJson(QJsonDocument::Compact)
                                          .toBase64(QByteArray::Base64UrlEncoding
                                                    | QByteArray::OmitTrailingEquals));
}

bool PreviewProvider::ImageSpec::fromId(const QString &id, ImageSpec *spec)
{
    const qsizetype slash = id.indexOf(u'/');
    if (slash < 0)
        return false;
    const QStringView kind = QStringView(id).left(slash);
    if (kind != u"thumb" && kind != u"full")
        return false;
    const auto decoded =
            QByteArray::fromBase64Encoding(id.mid(slash + 1).toLatin1(),
                                           QByteArray::Base64UrlEncoding
                                                   | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return false;
    const QJsonArray fields = QJsonDocument::fromJson(*decoded).array();
    if (fields.size() != 5)
        return false;
    bool sizeOk = false;
    bool modifiedOk = false;
    spec->thumbnail = kind == u"thumb";
    spec->region = fields.at(0).toString();
    spec->bucket = fields.at(1).toString();
    spec->key = fields.at(2).toString();
    spec->size = fields.at(3).toString().toLongLong(&sizeOk);
    spec->modifiedMs = fields.at(4).toString().toLongLong(&modifiedOk);
    return sizeOk && modifiedOk && !spec->bucket.isEmpty() && !spec->key.isEmpty();
}

namespace {

/**
 * One image request of the QML engine. It lives on the engine's image loader thread; the work
 * runs on the UI thread (where the clients live) and comes back through a queued signal of a
 * relay object, so a response deleted meanwhile (a row scrolled away) simply gets nothing.
 *
 * The engine deletes a response only after its finished(), a canceled one too; when the engine
 * goes away it cancels the responses in flight and stops its loader thread, so a response that
 * finished later would never be deleted. A canceled response therefore finishes at once; the
 * work in flight sees the shared flag and stops, and its late answer changes nothing.
 * finished() is emitted exactly once.
 */
class PreviewImageResponse : public QQuickImageResponse
{
    Q_OBJECT

public:
    PreviewImageResponse()
        : m_canceled(std::make_shared<std::atomic_bool>(false))
    { }

    [[nodiscard]] std::shared_ptr<std::atomic_bool> canceledFlag() const { return m_canceled; }

    QQuickTextureFactory *textureFactory() const override
    {
        QMutexLocker lock(&m_lock);
        return QQuickTextureFactory::textureFactoryForImage(m_image);
    }
    QString errorString() const override
    {
        QMutexLocker lock(&m_lock);
        return m_error;
    }
    void cancel() override
    {
        m_canceled->store(true);
        finish({}, tr("Canceled."));
    }

public Q_SLOTS:
    void complete(const QImage &image, const QString &error)
    {
        finish(image, image.isNull() && error.isEmpty() ? tr("No image.") : error);
    }

private:
    // The first of complete() and cancel() decides; later calls do nothing.
    void finish(const QImage &image, const QString &error)
    {
        {
            QMutexLocker lock(&m_lock);
            if (m_finished)
                return;
            m_finished = true;
            m_image = image;
            m_error = error;
        }
        Q_EMIT finished();
    }

    mutable QMutex m_lock;
    QImage m_image;
    QString m_error;
    bool m_finished = false;
    std::shared_ptr<std::atomic_bool> m_canceled;
};

/**
 * Carries the answer of one image request from the UI thread to its response, once. The
 * provider owns it while the fetch runs, so it never outlives the provider; gone before an
 * answer came (the app is closing), it answers with an error.
 */
class PreviewRelay : public QObject
{
    Q_OBJECT

public:
    ~PreviewRelay() override { deliver({}, tr("The app is closing.")); }

    void deliver(const QImage &image, const QString &error)
    {
        if (std::exchange(m_delivered, true))
            return;
        Q_EMIT ready(image, error);
    }

Q_SIGNALS:
    void ready(const QImage &image, const QString &error);

private:
    bool m_delivered = false;
};

class PreviewImageProvider : public QQuickAsyncImageProvider
{
public:
    explicit PreviewImageProvider(PreviewProvider *provider)
        : m_provider(provider)
    { }

    QQuickImageResponse *requestImageResponse(const QString &id, const QSize &requestedSize) override
    {
        auto *response = new PreviewImageResponse;
        PreviewProvider::ImageSpec spec;
        if (!PreviewProvider::ImageSpec::fromId(id, &spec)) {
            response->complete({}, QObject::tr("Not a preview address."));
            return response;
        }
        QThread *uiThread = m_provider ? m_provider->thread() : nullptr;
        if (!uiThread) {
            response->complete({}, QObject::tr("The app is closing."));
            return response;
        }
        auto *relay = new PreviewRelay;
        QObject::connect(relay, &PreviewRelay::ready, response, &PreviewImageResponse::complete);
        relay->moveToThread(uiThread);
        QMetaObject::invokeMethod(
                relay,
                [relay, provider = m_provider, spec, requestedSize,
                 canceled = response->canceledFlag()] {
                    if (!provider) {
                        relay->deleteLater(); // answers that the app is closing
                        return;
                    }
                    relay->setParent(provider);
                    provider->fetchImage(
                            spec, requestedSize, [canceled] { return canceled->load(); },
                            [relay](const QImage &image, const QString &error) {
                                relay->deliver(image, error);
                                relay->deleteLater();
                            });
                },
                Qt::QueuedConnection);
        return response;
    }

private:
    QPointer<PreviewProvider> m_provider;
};

} // namespace

PreviewProvider::PreviewProvider(ClientSource clients, QObject *parent)
    : QObject(parent)
    , m_clients(std::move(clients))
    , m_diskDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/thumbnails"_s)
{
    // QCache counts costs in KiB here, so the bound fits an int on every platform.
    m_memory.setMaxCost(MemoryCacheBytes / 1024);
}

PreviewProvider::~PreviewProvider()
{
    // Decoders post their results to this object: let them finish before it goes away.
    decodePool()->waitForDone();
}

void PreviewProvider::install(QQmlEngine *engine, PreviewProvider *provider)
{
    if (!engine || !provider || engine->imageProvider(QLatin1String(ProviderName)))
        return;
    engine->addImageProvider(QLatin1String(ProviderName), new PreviewImageProvider(provider));
}

namespace {

/** By the extension alone: the list asks this for every row it shows. */
bool isImageName(const QString &key)
{
    const qsizetype slash = key.lastIndexOf(u'/');
    const qsizetype dot = key.lastIndexOf(u'.');
    return dot > slash + 1 && dot < key.size() - 1
            && imageSuffixes().contains(key.mid(dot + 1).toLower());
}

} // namespace

PreviewProvider::Kind PreviewProvider::kindOf(const QString &key)
{
    if (key.isEmpty() || key.endsWith(u'/'))
        return Kind::None;
    if (isImageName(key))
        return Kind::Image;
    const QString name = key.mid(key.lastIndexOf(u'/') + 1);
    static const QMimeDatabase mimes;
    const QMimeType mime = mimes.mimeTypeForFile(name, QMimeDatabase::MatchExtension);
    if (mime.inherits(u"text/plain"_s))
        return Kind::Text;
    // Text formats whose MIME types do not derive from text/plain.
    static const QStringList textTypes {u"application/json"_s,         u"application/xml"_s,
                                        u"application/x-yaml"_s,       u"application/toml"_s,
                                        u"application/javascript"_s,   u"application/sql"_s,
                                        u"application/x-shellscript"_s};
    for (const QString &type : textTypes) {
        if (mime.inherits(type))
            return Kind::Text;
    }
    return Kind::None;
}

QString PreviewProvider::kindName(const QString &key)
{
    switch (kindOf(key)) {
    case Kind::Image:
        return u"image"_s;
    case Kind::Text:
        return u"text"_s;
    case Kind::None:
        break;
    }
    return {};
}

QString PreviewProvider::thumbnailUrl(const QString &region, const QString &bucket,
                                      const QString &key, qint64 size, const QDateTime &modified)
{
    if (size <= 0 || bucket.isEmpty() || !isImageName(key))
        return {};
    ImageSpec spec;
    spec.region = region;
    spec.bucket = bucket;
    spec.key = key;
    spec.size = size;
    spec.modifiedMs = modified.isValid() ? modified.toMSecsSinceEpoch() : 0;
    return u"image://"_s + QLatin1String(ProviderName) + u'/' + spec.toId();
}

QString PreviewProvider::imageUrl(const QString &region, const QString &bucket, const QString &key,
                                  qint64 size)
{
    ImageSpec spec;
    spec.thumbnail = false;
    spec.region = region;
    spec.bucket = bucket;
    spec.key = key;
    spec.size = size;
    return u"image://"_s + QLatin1String(ProviderName) + u'/' + spec.toId();
}

PreviewProvider::DecodedText PreviewProvider::decodeText(const QByteArray &data)
{
    DecodedText out;
    auto decodeWith = [&](QStringConverter::Encoding encoding) {
        QStringDecoder decoder(encoding, QStringConverter::Flag::ConvertInitialBom);
        QString text = decoder.decode(data);
        if (decoder.hasError())
            return false;
        // BOM removal: ConvertInitialBom keeps it as U+FEFF.
        if (text.startsWith(QChar(0xfeff)))
            text.remove(0, 1);
        out.isText = true;
        out.text = text;
        out.encoding = QString::fromLatin1(QStringConverter::nameForEncoding(encoding));
        return true;
    };
    if (const std::optional<QStringConverter::Encoding> bom = QStringConverter::encodingForData(
                data)) {
        if (decodeWith(*bom))
            return out;
        return {};
    }
    if (data.contains('\0')) {
        // UTF-16 without a BOM: ASCII text has every other byte zero.
        qsizetype evenZero = 0;
        qsizetype oddZero = 0;
        for (qsizetype i = 0; i + 1 < data.size(); i += 2) {
            evenZero += data.at(i) == '\0';
            oddZero += data.at(i + 1) == '\0';
        }
        const qsizetype pairs = data.size() / 2;
        if (data.size() % 2 == 0 && pairs > 0) {
            if (oddZero * 10 >= pairs * 9 && evenZero == 0 && decodeWith(QStringConverter::Utf16LE))
                return out;
            if (evenZero * 10 >= pairs * 9 && oddZero == 0 && decodeWith(QStringConverter::Utf16BE))
                return out;
        }
        return {};
    }
    if (decodeWith(QStringConverter::Utf8))
        return out;
    // Not UTF-8: a single-byte encoding. Qt 6.4 decodes only Unicode and Latin-1 without
    // extra modules, so legacy multi-byte encodings (GBK, Shift-JIS) show as Latin-1.
    qsizetype controls = 0;
    for (const char c : data) {
        const auto u = uchar(c);
        controls += u < 0x20 && u != '\n' && u != '\r' && u != '\t' && u != '\f';
    }
    if (controls * 100 > data.size())
        return {};
    decodeWith(QStringConverter::Latin1);
    return out;
}

void PreviewProvider::setImageProcessing(bool enabled)
{
    if (m_imageProcessing == enabled)
        return;
    m_imageProcessing = enabled;
    m_noProcessing.clear();
    Q_EMIT imageProcessingChanged();
}

void PreviewProvider::loadText(const QString &region, const QString &bucket, const QString &key,
                               qint64 size)
{
    if (size > TextMaxBytes) {
        Q_EMIT textFailed(key,
                          tr("This file is bigger than %1, the largest text previews show. "
                             "Download it to read it.")
                                  .arg(Presentation::formatSize(TextMaxBytes)));
        return;
    }
    Cos::Client *client = m_clients ? m_clients(region) : nullptr;
    if (!client) {
        Q_EMIT textFailed(key, tr("Not connected: check Settings."));
        return;
    }
    Cos::RequestJob *job = client->newRequestJob(client->builder().getObject(bucket, key), this);
    // A body bigger than the listing said still stops at the limit.
    job->setMaxResponseSize(TextMaxBytes);
    connect(job, &Cos::Job::finished, this, [this, job, key] {
        job->deleteLater();
        if (const Cos::Error &error = job->error()) {
            Q_EMIT textFailed(key,
                              error.kind() == Cos::Error::Kind::Parse
                                      ? tr("This file is bigger than %1, the largest text "
                                           "previews show. Download it to read it.")
                                                .arg(Presentation::formatSize(TextMaxBytes))
                                      : Presentation::errorText(error,
                                                                Presentation::Operation::Download,
                                                                key));
            return;
        }
        const DecodedText text = decodeText(job->responseBody());
        if (!text.isText) {
            Q_EMIT textFailed(key, tr("This file does not look like text."));
            return;
        }
        Q_EMIT textLoaded(key, text.text, text.encoding);
    });
    job->start();
}

QString PreviewProvider::diskPath(const QString &cacheKey) const
{
    return m_diskDir + u'/'
            + QString::fromLatin1(
                    QCryptographicHash::hash(cacheKey.toUtf8(), QCryptographicHash::Sha1).toHex())
            + u".png"_s;
}

QString PreviewProvider::imageError(const QString &url) const
{
    const QString prefix = u"image://"_s + QLatin1String(ProviderName) + u'/';
    return m_errors.value(url.startsWith(prefix) ? url.mid(prefix.size()) : url);
}

void PreviewProvider::fetchImage(const ImageSpec &spec, QSize requestedSize,
                                 std::function<bool()> canceled,
                                 std::function<void(const QImage &, const QString &)> reply)
{
    // Failures are kept (a few) so that the view can say why an image is missing.
    auto done = [this, id = spec.toId(), reply = std::move(reply)](const QImage &image,
                                                                   const QString &error) {
        if (image.isNull()) {
            if (m_errors.size() >= 64)
                m_errors.clear();
            m_errors.insert(id, error);
        } else {
            m_errors.remove(id);
        }
        reply(image, error);
    };
    QSize bound = requestedSize.isValid() && !requestedSize.isEmpty()
            ? requestedSize.boundedTo({MaxImageSide, MaxImageSide})
            : QSize(spec.thumbnail ? 128 : MaxImageSide, spec.thumbnail ? 128 : MaxImageSide);
    Cos::Client *client = m_clients ? m_clients(spec.region) : nullptr;
    if (!client) {
        done({}, tr("Not connected: check Settings."));
        return;
    }
    // The object's address (endpoint, bucket, key) plus what changes with its content.
    const QString cacheKey =
            QString::fromUtf8(
                    client->builder().headObject(spec.bucket, spec.key).request.encodedUrl())
            + u'|' + QString::number(spec.size) + u'|' + QString::number(spec.modifiedMs) + u'|'
            + sizeKey(bound) + (spec.thumbnail ? u"|t"_s : u"|f"_s);
    if (const QImage *cached = m_memory.object(cacheKey)) {
        done(*cached, {});
        return;
    }
    if (canceled && canceled()) {
        done({}, tr("Canceled."));
        return;
    }
    const QString path = diskPath(cacheKey);
    if (spec.thumbnail && QFileInfo::exists(path)) {
        decodePool()->start([this, spec, bound, cacheKey, path, canceled, done] {
            QFile file(path);
            QString error;
            QImage image;
            if (file.open(QIODevice::ReadOnly) && file.size() <= ThumbnailMaxBytes)
                image = decodeImage(file.readAll(), bound, &error);
            QMetaObject::invokeMethod(
                    this,
                    [this, spec, bound, cacheKey, path, image, canceled, done] {
                        if (image.isNull()) {
                            QFile::remove(path);
                            fetchFromServer(spec, bound, cacheKey, true, canceled, done);
                            return;
                        }
                        m_memory.insert(cacheKey, new QImage(image),
                                        int(std::max<qint64>(1, image.sizeInBytes() / 1024)));
                        done(image, {});
                    },
                    Qt::QueuedConnection);
        });
        return;
    }
    fetchFromServer(spec, bound, cacheKey, true, canceled, done);
}

void PreviewProvider::fetchFromServer(const ImageSpec &spec, QSize bound, const QString &cacheKey,
                                      bool useProcessing, std::function<bool()> canceled,
                                      std::function<void(const QImage &, const QString &)> done)
{
    Cos::Client *client = m_clients ? m_clients(spec.region) : nullptr;
    if (!client) {
        done({}, tr("Not connected: check Settings."));
        return;
    }
    const qint64 limit = spec.thumbnail ? ThumbnailMaxBytes : FullImageMaxBytes;
    const QString bucketId = spec.region + u'/' + spec.bucket;
    const bool processing = useProcessing && m_imageProcessing
            && client->endpoint().dialect == Cos::Dialect::Cos && !m_noProcessing.contains(bucketId)
            && (spec.thumbnail || spec.size > limit);
    if (!processing && spec.size > limit) {
        done({},
             tr("This image is bigger than %1, the largest image previews download.")
                     .arg(Presentation::formatSize(limit)));
        return;
    }
    Cos::BuildResult build = client->builder().getObject(spec.bucket, spec.key);
    if (processing && build.ok()) {
        // COS data processing: the server scales the image (fits within W x H).
        build.request.query.append({u"imageMogr2/thumbnail/"_s + sizeKey(bound), QString()});
    }
    ++m_imageRequests;
    Cos::RequestJob *job = client->newRequestJob(build, this);
    job->setMaxResponseSize(limit);
    if (canceled) {
        // Nobody waits any more (the row left the view): stop the download.
        auto *poll = new QTimer(job);
        connect(poll, &QTimer::timeout, job, [job, canceled] {
            if (canceled())
                job->abort();
        });
        poll->start(200);
    }
    connect(job, &Cos::Job::finished, this,
            [this, job, spec, bound, cacheKey, processing, bucketId, limit, canceled, done] {
                job->deleteLater();
                if (const Cos::Error &error = job->error()) {
                    if (processing
                        && (error.kind() == Cos::Error::Kind::Service
                            || error.kind() == Cos::Error::Kind::Parse)) {
                        // The bucket has no image processing (or refuses it): plain downloads.
                        m_noProcessing.insert(bucketId);
                        fetchFromServer(spec, bound, cacheKey, false, canceled, done);
                        return;
                    }
                    done({},
                         error.kind() == Cos::Error::Kind::Parse
                                 ? tr("This image is bigger than %1, the largest image "
                                      "previews download.")
                                           .arg(Presentation::formatSize(limit))
                                 : Presentation::errorText(error, Presentation::Operation::Download,
                                                           spec.key));
                    return;
                }
                const QByteArray body = job->responseBody();
                decodePool()->start([this, spec, bound, cacheKey, processing, bucketId, body,
                                     canceled, done] {
                    QString error;
                    const QImage image = decodeImage(body, bound, &error);
                    QMetaObject::invokeMethod(
                            this,
                            [this, spec, bound, cacheKey, processing, bucketId, image, error,
                             canceled, done] {
                                if (image.isNull() && processing) {
                                    m_noProcessing.insert(bucketId);
                                    fetchFromServer(spec, bound, cacheKey, false, canceled, done);
                                    return;
                                }
                                if (!image.isNull()) {
                                    m_memory.insert(cacheKey, new QImage(image),
                                                    int(std::max<qint64>(1,
                                                                         image.sizeInBytes()
                                                                                 / 1024)));
                                    if (spec.thumbnail)
                                        storeOnDisk(cacheKey, image);
                                }
                                done(image, error);
                            },
                            Qt::QueuedConnection);
                });
            });
    job->start();
}

void PreviewProvider::storeOnDisk(const QString &cacheKey, const QImage &image)
{
    const QString path = diskPath(cacheKey);
    const QString dir = m_diskDir;
    const bool prune = ++m_diskWrites % 32 == 1;
    decodePool()->start([path, dir, image, prune] {
        QDir().mkpath(dir);
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly) && image.save(&file, "PNG"))
            file.commit();
        if (!prune)
            return;
        // Oldest first out until the folder is within its bound.
        QFileInfoList files = QDir(dir).entryInfoList({u"*.png"_s}, QDir::Files, QDir::Time);
        qint64 total = 0;
        for (const QFileInfo &f : files) {
            total += f.size();
            if (total > DiskCacheBytes)
                QFile::remove(f.absoluteFilePath());
        }
    });
}

#include "previewprovider.moc"
