// Previews: text decoding and kinds (no server), image responses canceled while their fetch
// is in flight (a server that never answers), and images and texts fetched from the sandbox
// through PreviewProvider with its limits and its memory and disk caches.
#include "scriptedhttpserver.h"
#include "tst_app_support.h"

#include <previewprovider.h>

#include <QDir>
#include <QImage>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickImageProvider>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TstAppPreview : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void kinds();
    void imageIds();
    void decodeText_data();
    void decodeText();
    void canceledImageFinishesOnce();
    void engineGoneWithImageInFlight();
    void providerGoneWithImageInFlight();
    void thumbnailCachedInMemoryAndOnDisk();
    void fullImageScaledToBound();
    void imageLimits();
    void textPreview();
    void textLimits();

private:
    struct Result
    {
        bool done = false;
        QImage image;
        QString error;
    };
    Result fetch(PreviewProvider *provider, const PreviewProvider::ImageSpec &spec, QSize size);
    PreviewProvider::ImageSpec spec(const QString &key, qint64 size, bool thumbnail = true) const;
    PreviewProvider *newProvider();
    /** A provider whose client talks to @p server (which may never answer). */
    PreviewProvider *providerFor(const ScriptedHttpServer &server);
    /** Installs @p provider's image provider in @p engine and returns it, as QML calls it. */
    static QQuickAsyncImageProvider *installImages(QQmlEngine *engine, PreviewProvider *provider);
    /** The image id of thumbnail @p key in bucket "bkt" of providerFor()'s server. */
    static QString scriptedId(const QString &key);

    std::optional<SandboxEnv> m_env;
    Cos::Client *m_client = nullptr;
    QString m_bucket;
    qint64 m_photoSize = 0;
};

namespace {

const QByteArray HelloText = "Grüße, 世界\nsecond line\n"_ba;

} // namespace

void TstAppPreview::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // A fresh thumbnail folder: the disk-cache checks count requests.
    QDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + u"/thumbnails"_s)
            .removeRecursively();
    const std::optional<SandboxEnv> env = SandboxEnv::fromEnvironment();
    if (!env) {
        if (SandboxEnv::isRequired())
            QFAIL(SandboxEnv::missingMessage());
        return; // the sandbox cases skip one by one
    }
    m_env = env;
    m_client = AppTest::sandboxClient(*env, this);
    m_bucket = AppTest::uniqueBucket(u"app-preview"_s);
    QVERIFY(AppTest::run(m_client->createBucket(m_bucket)));
    const QByteArray photo = AppTest::pngImage(300, 200);
    m_photoSize = photo.size();
    QVERIFY(AppTest::putObject(m_client, m_bucket, u"photos/photo.png"_s, photo));
    QVERIFY(AppTest::putObject(m_client, m_bucket, u"hello.txt"_s, HelloText));
    QVERIFY(AppTest::putObject(m_client, m_bucket, u"big.txt"_s,
                               QByteArray(PreviewProvider::TextMaxBytes + 1, 'a')));
    QVERIFY(AppTest::putObject(m_client, m_bucket, u"blob.txt"_s,
                               QByteArray("\x01\x02\x03\x00\x00\xff\xfe", 7).repeated(50)));
}

void TstAppPreview::cleanupTestCase()
{
    if (m_client && !m_bucket.isEmpty())
        AppTest::purgeBucket(m_client, m_bucket);
}

PreviewProvider *TstAppPreview::newProvider()
{
    return new PreviewProvider([this](const QString &) { return m_client; }, this);
}

PreviewProvider *TstAppPreview::providerFor(const ScriptedHttpServer &server)
{
    Cos::Credentials keys;
    keys.secretId = u"AKIDPREVIEWTEST"_s;
    keys.secretKey = u"preview-test-secret"_s;
    auto *client = new Cos::Client(Cos::Endpoint::s3(server.url(u"/"_s), u"us-east-1"_s, true),
                                   new Cos::StaticCredentialProvider(keys, u"test"_s), this);
    return new PreviewProvider([client](const QString &) { return client; }, this);
}

QQuickAsyncImageProvider *TstAppPreview::installImages(QQmlEngine *engine, PreviewProvider *provider)
{
    PreviewProvider::install(engine, provider);
    return dynamic_cast<QQuickAsyncImageProvider *>(
            engine->imageProvider(QLatin1String(PreviewProvider::ProviderName)));
}

QString TstAppPreview::scriptedId(const QString &key)
{
    PreviewProvider::ImageSpec s;
    s.region = u"us-east-1"_s;
    s.bucket = u"bkt"_s;
    s.key = key;
    s.size = 100;
    return s.toId();
}

PreviewProvider::ImageSpec TstAppPreview::spec(const QString &key, qint64 size, bool thumbnail) const
{
    PreviewProvider::ImageSpec s;
    s.thumbnail = thumbnail;
    s.region = m_env ? m_env->region : QString();
    s.bucket = m_bucket;
    s.key = key;
    s.size = size;
    s.modifiedMs = 1700000000000;
    return s;
}

TstAppPreview::Result TstAppPreview::fetch(PreviewProvider *provider,
                                           const PreviewProvider::ImageSpec &spec, QSize size)
{
    auto result = std::make_shared<Result>();
    provider->fetchImage(spec, size, nullptr, [result](const QImage &image, const QString &error) {
        result->done = true;
        result->image = image;
        result->error = error;
    });
    if (!QTest::qWaitFor([&] { return result->done; }, 20000))
        result->error = u"no answer within 20 s"_s;
    return *result;
}

void TstAppPreview::kinds()
{
    QCOMPARE(PreviewProvider::kindOf(u"a/photo.JPG"_s), PreviewProvider::Kind::Image);
    QCOMPARE(PreviewProvider::kindOf(u"x.png"_s), PreviewProvider::Kind::Image);
    QCOMPARE(PreviewProvider::kindOf(u"notes.txt"_s), PreviewProvider::Kind::Text);
    QCOMPARE(PreviewProvider::kindOf(u"data.json"_s), PreviewProvider::Kind::Text);
    QCOMPARE(PreviewProvider::kindOf(u"readme.md"_s), PreviewProvider::Kind::Text);
    QCOMPARE(PreviewProvider::kindOf(u"clip.mp4"_s), PreviewProvider::Kind::None);
    QCOMPARE(PreviewProvider::kindOf(u"a.bin"_s), PreviewProvider::Kind::None);
    QCOMPARE(PreviewProvider::kindOf(u"folder.png/"_s), PreviewProvider::Kind::None);
    QCOMPARE(PreviewProvider::kindName(u"x.gif"_s), u"image"_s);
    QCOMPARE(PreviewProvider::kindName(u"x.zip"_s), QString());
    // Thumbnails only for non-empty images.
    QVERIFY(PreviewProvider::thumbnailUrl(u"r"_s, u"b"_s, u"x.png"_s, 10, {})
                    .startsWith(u"image://cospreview/thumb/"_s));
    QVERIFY(PreviewProvider::thumbnailUrl(u"r"_s, u"b"_s, u"x.png"_s, 0, {}).isEmpty());
    QVERIFY(PreviewProvider::thumbnailUrl(u"r"_s, u"b"_s, u"x.txt"_s, 10, {}).isEmpty());
}

void TstAppPreview::imageIds()
{
    PreviewProvider::ImageSpec in;
    in.thumbnail = false;
    in.region = u"ap-guangzhou"_s;
    in.bucket = u"b-1250000000"_s;
    in.key = u"dir/a b+%2F?#/图片 😀.png"_s;
    in.size = 1234;
    in.modifiedMs = 99;
    const QString id = in.toId();
    QVERIFY(!id.contains(u'%') && !id.contains(u'?') && id.count(u'/') == 1);
    PreviewProvider::ImageSpec out;
    QVERIFY(PreviewProvider::ImageSpec::fromId(id, &out));
    QCOMPARE(out.thumbnail, false);
    QCOMPARE(out.region, in.region);
    QCOMPARE(out.bucket, in.bucket);
    QCOMPARE(out.key, in.key);
    QCOMPARE(out.size, in.size);
    QCOMPARE(out.modifiedMs, in.modifiedMs);
    QVERIFY(!PreviewProvider::ImageSpec::fromId(u"thumb/!!!"_s, &out));
    QVERIFY(!PreviewProvider::ImageSpec::fromId(u"other/"_s + id.mid(5), &out));
    QVERIFY(!PreviewProvider::ImageSpec::fromId(u"thumb/"_s
                                                        + QString::fromLatin1("[1,2]"_ba.toBase64(
                                                                QByteArray::Base64UrlEncoding)),
                                                &out));
}

void TstAppPreview::decodeText_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<bool>("isText");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("encoding");

    const QString hello = QString::fromUtf8(HelloText);
    QTest::newRow("utf-8") << HelloText << true << hello << u"UTF-8"_s;
    QTest::newRow("utf-8 bom") << "\xef\xbb\xbf"_ba + HelloText << true << hello << u"UTF-8"_s;
    QByteArray utf16le("\xff\xfe", 2);
    for (const QChar c : hello)
        utf16le.append(char(c.unicode() & 0xff)).append(char(c.unicode() >> 8));
    QTest::newRow("utf-16le bom") << utf16le << true << hello << u"UTF-16LE"_s;
    QByteArray asciiLe;
    for (const char c : "plain ascii\n"_ba)
        asciiLe.append(c).append('\0');
    QTest::newRow("utf-16le no bom") << asciiLe << true << u"plain ascii\n"_s << u"UTF-16LE"_s;
    QTest::newRow("latin-1") << "caf\xe9 cr\xe8me\n"_ba << true << u"café crème\n"_s
                             << u"ISO-8859-1"_s;
    QTest::newRow("binary nul") << QByteArray("ab\0\1\2cd", 7) << false << QString() << QString();
    QTest::newRow("binary controls") << QByteArray("\x01\x02\x03\x04\x05\x06\x07\x08\x9f\x81", 10)
                                     << false << QString() << QString();
    QTest::newRow("empty") << QByteArray() << true << QString() << u"UTF-8"_s;
}

void TstAppPreview::decodeText()
{
    QFETCH(QByteArray, data);
    QFETCH(bool, isText);
    QFETCH(QString, text);
    QFETCH(QString, encoding);
    const PreviewProvider::DecodedText d = PreviewProvider::decodeText(data);
    QCOMPARE(d.isText, isText);
    QCOMPARE(d.text, text);
    QCOMPARE(d.encoding, encoding);
}

// The QML engine deletes an image response only after its finished(), and cancels the
// responses it no longer needs (a row scrolled away, the engine going away): a canceled
// response finishes at once, exactly once, and the fetch still in flight, which stops on the
// cancel, changes nothing when it answers late, even when the response is gone by then.
void TstAppPreview::canceledImageFinishesOnce()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::stalled(); });
    PreviewProvider *provider = providerFor(server);
    QQmlEngine engine;
    QQuickAsyncImageProvider *images = installImages(&engine, provider);
    QVERIFY(images);
    const QString keptId = scriptedId(u"kept.png"_s);
    const QString droppedId = scriptedId(u"dropped.png"_s);
    QQuickImageResponse *kept = images->requestImageResponse(keptId, {64, 64});
    QQuickImageResponse *dropped = images->requestImageResponse(droppedId, {64, 64});
    QSignalSpy keptFinished(kept, &QQuickImageResponse::finished);
    QSignalSpy droppedFinished(dropped, &QQuickImageResponse::finished);
    QTRY_COMPARE(server.requests.size(), 2); // both fetches in flight
    QCOMPARE(keptFinished.size(), 0);

    kept->cancel();
    dropped->cancel();
    QCOMPARE(keptFinished.size(), 1);
    QCOMPARE(droppedFinished.size(), 1);
    QVERIFY(!kept->errorString().isEmpty());
    delete dropped; // as the engine does after finished()

    // The fetches see the cancel and stop; their answers come after the responses finished.
    QTRY_VERIFY(!provider->imageError(keptId).isEmpty()
                && !provider->imageError(droppedId).isEmpty());
    QTest::qWait(100);
    kept->cancel();
    QCOMPARE(keptFinished.size(), 1);
    delete kept;
}

// The engine goes away (the app exits) while an Image's fetch is in flight: the engine's
// loader thread cancels the response and stops; the response must still be deleted (the test
// runs under LeakSanitizer) and the late answer of the fetch must not reach it.
void TstAppPreview::engineGoneWithImageInFlight()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::stalled(); });
    PreviewProvider *provider = providerFor(server);
    const QString id = scriptedId(u"photo.png"_s);
    {
        QQmlEngine engine;
        PreviewProvider::install(&engine, provider);
        QQmlComponent component(&engine);
        component.setData("import QtQuick\nImage { sourceSize.width: 64; sourceSize.height: 64 }",
                          QUrl());
        std::unique_ptr<QObject> image(component.create());
        QVERIFY2(image, qPrintable(component.errorString()));
        image->setProperty("source",
                           QUrl(u"image://"_s + QLatin1String(PreviewProvider::ProviderName) + u'/'
                                + id));
        QTRY_COMPARE(server.requests.size(), 1);
        QCOMPARE(image->property("status").toInt(), 2); // Image.Loading
    }
    QTRY_VERIFY(!provider->imageError(id).isEmpty());
    QTest::qWait(100);
}

// The provider goes away (the app closes) while a fetch is in flight and the engine still
// waits: the response gets an error instead of waiting for ever, and nothing leaks.
void TstAppPreview::providerGoneWithImageInFlight()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::stalled(); });
    PreviewProvider *provider = providerFor(server);
    QQmlEngine engine;
    QQuickAsyncImageProvider *images = installImages(&engine, provider);
    QVERIFY(images);
    std::unique_ptr<QQuickImageResponse> response(
            images->requestImageResponse(scriptedId(u"late.png"_s), {64, 64}));
    QSignalSpy finished(response.get(), &QQuickImageResponse::finished);
    QTRY_COMPARE(server.requests.size(), 1);
    delete provider;
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(response->errorString(), u"The app is closing."_s);
    QTest::qWait(100);
    QCOMPARE(finished.size(), 1);
}

void TstAppPreview::thumbnailCachedInMemoryAndOnDisk()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env)
    PreviewProvider *provider = newProvider();
    const PreviewProvider::ImageSpec s = spec(u"photos/photo.png"_s, m_photoSize);
    Result r = fetch(provider, s, {64, 64});
    QVERIFY2(!r.image.isNull(), qPrintable(r.error));
    // Scaled while decoding, aspect kept: 300x200 into 64x64 (Qt rounds down).
    QCOMPARE(r.image.size(), QSize(64, 42));
    QCOMPARE(r.image.pixelColor(32, 5), QColor(220, 40, 40));
    QCOMPARE(provider->imageRequests(), 1);
    QVERIFY(provider->memoryCacheBytes() > 0);
    QVERIFY(provider->memoryCacheBytes() <= PreviewProvider::MemoryCacheBytes);

    r = fetch(provider, s, {64, 64});
    QCOMPARE(r.image.size(), QSize(64, 42));
    QCOMPARE(provider->imageRequests(), 1); // from memory

    // Another run (a new provider) reads the thumbnail from the disk cache.
    QTRY_COMPARE(QDir(provider->diskCacheDir()).entryList({u"*.png"_s}, QDir::Files).size(), 1);
    PreviewProvider *second = newProvider();
    r = fetch(second, s, {64, 64});
    QCOMPARE(r.image.size(), QSize(64, 42));
    QCOMPARE(second->imageRequests(), 0);

    // A changed object (other modification time) is fetched again.
    PreviewProvider::ImageSpec changed = s;
    changed.modifiedMs += 1000;
    r = fetch(second, changed, {64, 64});
    QVERIFY(!r.image.isNull());
    QCOMPARE(second->imageRequests(), 1);
}

void TstAppPreview::fullImageScaledToBound()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env)
    PreviewProvider *provider = newProvider();
    Result r = fetch(provider, spec(u"photos/photo.png"_s, m_photoSize, false), {});
    QVERIFY2(!r.image.isNull(), qPrintable(r.error));
    QCOMPARE(r.image.size(), QSize(300, 200)); // never scaled up
    r = fetch(provider, spec(u"photos/photo.png"_s, m_photoSize, false), {150, 150});
    QCOMPARE(r.image.size(), QSize(150, 100));
}

void TstAppPreview::imageLimits()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env)
    PreviewProvider *provider = newProvider();
    // Bigger than the limit by the listing: refused without a request.
    Result r = fetch(provider,
                     spec(u"photos/photo.png"_s, PreviewProvider::FullImageMaxBytes + 1, false),
                     {});
    QVERIFY(r.image.isNull());
    QCOMPARE(r.error, u"This image is bigger than 32 MiB, the largest image previews download."_s);
    QCOMPARE(provider->imageRequests(), 0);
    // The view asks why an image is missing by its URL.
    QCOMPARE(provider->imageError(
                     u"image://cospreview/"_s
                     + spec(u"photos/photo.png"_s, PreviewProvider::FullImageMaxBytes + 1, false)
                               .toId()),
             r.error);

    // Nobody waits any more (the row left the view): nothing is requested.
    auto result = std::make_shared<Result>();
    provider->fetchImage(
            spec(u"photos/photo.png"_s, m_photoSize), {64, 64}, [] { return true; },
            [result](const QImage &image, const QString &error) {
                result->done = true;
                result->image = image;
                result->error = error;
            });
    QTRY_VERIFY(result->done);
    QVERIFY(result->image.isNull());
    QCOMPARE(provider->imageRequests(), 0);

    // Not an image at all.
    r = fetch(provider, spec(u"hello.txt"_s, HelloText.size()), {64, 64});
    QVERIFY(r.image.isNull());
    QVERIFY2(r.error.contains(u"could not be read as an image"_s), qPrintable(r.error));

    // A missing key says so.
    r = fetch(provider, spec(u"nope.png"_s, 100), {64, 64});
    QVERIFY(r.image.isNull());
    QVERIFY2(!r.error.isEmpty(), "no error text");
}

void TstAppPreview::textPreview()
{
    COS_REQUIRE_SANDBOX(env);
    PreviewProvider *provider = newProvider();
    QSignalSpy loaded(provider, &PreviewProvider::textLoaded);
    QSignalSpy failed(provider, &PreviewProvider::textFailed);
    provider->loadText(env.region, m_bucket, u"hello.txt"_s, HelloText.size());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size() + failed.size(), 1, 20000);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.at(0).at(0).toString(), u"hello.txt"_s);
    QCOMPARE(loaded.at(0).at(1).toString(), QString::fromUtf8(HelloText));
    QCOMPARE(loaded.at(0).at(2).toString(), u"UTF-8"_s);

    provider->loadText(env.region, m_bucket, u"blob.txt"_s, 350);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    QCOMPARE(failed.at(0).at(1).toString(), u"This file does not look like text."_s);
}

void TstAppPreview::textLimits()
{
    COS_REQUIRE_SANDBOX(env);
    PreviewProvider *provider = newProvider();
    QSignalSpy failed(provider, &PreviewProvider::textFailed);
    // Too big by the listing: refused at once, nothing downloaded.
    provider->loadText(env.region, m_bucket, u"big.txt"_s, PreviewProvider::TextMaxBytes + 1);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.at(0).at(1).toString().contains(
                     u"bigger than 1.0 MiB, the largest text previews show"_s),
             qPrintable(failed.at(0).at(1).toString()));
    // The listing said small, the body is not: the download stops at the limit.
    provider->loadText(env.region, m_bucket, u"big.txt"_s, 10);
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20000);
    QVERIFY2(failed.at(1).at(1).toString().contains(u"bigger than 1.0 MiB"_s),
             qPrintable(failed.at(1).at(1).toString()));
}

QTEST_MAIN(TstAppPreview)
#include "tst_app_preview.moc"
