// Runs `cosdemo --screenshot` on the sandbox at phone and desktop sizes and checks the images:
// written, the requested size, not blank, and no error on the page (exit code 0). A bucket that
// does not exist must make the run fail (exit code 1) with the page's error on stderr.
#include "tst_app_support.h"

#include <QDir>
#include <QHash>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppScreenshot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void screenshot_data();
    void screenshot();
    void tour_data();
    void tour();
    void embeddedSigner();
    void demoFirstScreen();
    void errorPageFails();
    void help();

private:
    QProcessEnvironment environment(const QString &bucket) const;
    int runCosdemo(const QStringList &args, const QString &bucket, QByteArray *err,
                   const QProcessEnvironment &extra = {});

    std::optional<SandboxEnv> m_env;
    QString m_bucket;
    QTemporaryDir m_home;
};

void TstAppScreenshot::initTestCase()
{
    QVERIFY(QFileInfo::exists(QStringLiteral(COSDEMO_PATH)));
    COS_REQUIRE_SANDBOX(env);
    m_env = env;
    Cos::Client *client = AppTest::sandboxClient(env, this);
    m_bucket = AppTest::uniqueBucket(u"app-shot"_s);
    QVERIFY(AppTest::seedBucket(client, m_bucket));
    // A folder as a user has it: 300+ objects (more than one page), names in many scripts,
    // long names.
    const QStringList names = {u"年度报告-二〇二六-财务摘要-非常长的文件名称.pdf"_s,
                               u"تقرير-المبيعات-السنوي.txt"_s,
                               u"דוח-שנתי.csv"_s,
                               u"写真-東京-🌸-2026.jpg"_s,
                               u"보고서-최종.docx"_s,
                               u"very-long-name-very-long-name-very-long-name-very-long-name.bin"_s};
    for (const QString &name : names)
        QVERIFY(AppTest::putObject(client, m_bucket, name, name.toUtf8()));
    // A real image: its row shows a thumbnail.
    QVERIFY(AppTest::putObject(client, m_bucket, u"photo.png"_s, AppTest::pngImage(300, 200)));
    // The embedded signer's granted folder (users/${uid}/ with uid "shot").
    for (const QString &name : {u"users/shot/report.pdf"_s, u"users/shot/photo.jpg"_s})
        QVERIFY(AppTest::putObject(client, m_bucket, name, name.toUtf8()));
    for (int i = 0; i < 300; ++i)
        QVERIFY(AppTest::putObject(client, m_bucket,
                                   u"many/file-%1.txt"_s.arg(i, 3, 10, QChar(u'0')),
                                   QByteArray(i % 50 + 1, 'x')));
    delete client;
    QDir().mkpath(QStringLiteral(SCREENSHOT_DIR));
}

void TstAppScreenshot::cleanupTestCase()
{
    if (!m_env || m_bucket.isEmpty())
        return;
    Cos::Client *client = AppTest::sandboxClient(*m_env, this);
    AppTest::purgeBucket(client, m_bucket);
    delete client;
}

QProcessEnvironment TstAppScreenshot::environment(const QString &bucket) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // A private home: no saved settings or transfers of a real user leak into the shot.
    env.insert(u"HOME"_s, m_home.path());
    env.insert(u"XDG_CONFIG_HOME"_s, m_home.filePath(u"config"_s));
    env.insert(u"XDG_DATA_HOME"_s, m_home.filePath(u"data"_s));
    env.insert(u"XDG_RUNTIME_DIR"_s, m_home.path());
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    env.remove(u"COS_CREDENTIALS_URL"_s);
    env.remove(u"QT_QUICK_BACKEND"_s);
    env.insert(u"COS_DEFAULT_BUCKET"_s, bucket);
    if (m_env) {
        // The header shows the endpoint: the sandbox's host name without this run's port (the
        // images go to docs/), connected to the sandbox through COS_CONNECT_TO.
        const QUrl real(m_env->endpoint);
        env.insert(u"COS_ENDPOINT"_s, real.scheme() + u"://localhost"_s);
        env.insert(u"COS_CONNECT_TO"_s,
                   real.host() + u':'
                           + QString::number(real.port(real.scheme() == "https"_L1 ? 443 : 80)));
    }
    return env;
}

int TstAppScreenshot::runCosdemo(const QStringList &args, const QString &bucket, QByteArray *err,
                                 const QProcessEnvironment &extra)
{
    QProcess p;
    QProcessEnvironment env = environment(bucket);
    for (const QString &name : extra.keys()) {
        if (extra.value(name).isEmpty())
            env.remove(name);
        else
            env.insert(name, extra.value(name));
    }
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(COSDEMO_PATH), args);
    // Generous: the tour takes over a minute on a loaded machine with sanitizers.
    if (!p.waitForFinished(240000)) {
        p.kill();
        p.waitForFinished();
        return -1;
    }
    if (err)
        *err = p.readAllStandardError();
    return p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
}

void TstAppScreenshot::screenshot_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("phone 360x720") << QSize(360, 720);
    QTest::newRow("desktop 1280x800") << QSize(1280, 800);
}

void TstAppScreenshot::screenshot()
{
    QFETCH(QSize, size);
    const QString file =
            QDir(QStringLiteral(SCREENSHOT_DIR))
                    .filePath(u"cosdemo-%1x%2.png"_s.arg(size.width()).arg(size.height()));
    QFile::remove(file);
    QByteArray err;
    const int code = runCosdemo({u"--screenshot"_s, file, u"--window-size"_s,
                                 u"%1x%2"_s.arg(size.width()).arg(size.height())},
                                m_bucket, &err);
    QVERIFY2(code == 0, qPrintable(u"exit %1: %2"_s.arg(code).arg(QString::fromUtf8(err))));
    const QImage image(file);
    QVERIFY2(!image.isNull(), qPrintable(file));
    QCOMPARE(image.size(), size);

    // Not blank: many colours, and no single colour covers (nearly) everything.
    QHash<QRgb, int> histogram;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2)
            ++histogram[image.pixel(x, y)];
    }
    int top = 0;
    for (int n : std::as_const(histogram))
        top = std::max(top, n);
    const int total = ((image.width() + 1) / 2) * ((image.height() + 1) / 2);
    QVERIFY2(histogram.size() >= 32, qPrintable(u"only %1 colours"_s.arg(histogram.size())));
    QVERIFY2(top < total * 95 / 100, "one colour covers more than 95% of the image");
    // The header bar (the brand blue) is drawn: the window is more than an empty background.
    QCOMPARE(QColor(image.pixel(size.width() / 2, 4)).name(), u"#0052d9"_s);
    qInfo("screenshot: %s", qPrintable(file));
}

void TstAppScreenshot::tour_data()
{
    QTest::addColumn<QSize>("size");
    QTest::newRow("phone 360x720") << QSize(360, 720);
    QTest::newRow("desktop 1280x800") << QSize(1280, 800);
}

// Every page, dialog and menu, light and dark, with a running, a paused and a failed transfer
// (restored from a saved list: the tour resumes them and pauses the second); cosdemo's own
// check fails the run on clipped or overlapping text and low contrast.
void TstAppScreenshot::tour()
{
    QFETCH(QSize, size);
    const QString dataDir = m_home.filePath(u"data/cosdemo/cosdemo"_s);
    QVERIFY(QDir().mkpath(dataDir));
    const QString big = m_home.filePath(u"running-upload.bin"_s);
    const QString small = m_home.filePath(u"paused-upload.bin"_s);
    {
        QFile f(big);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(300LL * 1024 * 1024));
        QFile g(small);
        QVERIFY(g.open(QIODevice::WriteOnly) && g.resize(20LL * 1024 * 1024));
    }
    const auto record = [this](const QString &direction, const QString &key, const QString &path) {
        return QJsonObject {{u"direction"_s, direction},
                            {u"bucket"_s, m_bucket},
                            {u"region"_s, m_env->region},
                            {u"key"_s, key},
                            {u"localPath"_s, path}};
    };
    QFile state(dataDir + u"/transfers.json"_s);
    QVERIFY(state.open(QIODevice::WriteOnly | QIODevice::Truncate));
    state.write(
            QJsonDocument(
                    QJsonObject {{u"version"_s, 1},
                                 {u"transfers"_s,
                                  QJsonArray {record(u"upload"_s, u"uploads/running.bin"_s, big),
                                              record(u"upload"_s, u"uploads/paused.bin"_s, small),
                                              record(u"download"_s, u"no-such-key.bin"_s,
                                                     m_home.filePath(u"no-such-key.bin"_s))}}})
                    .toJson());
    state.close();
    // Batches: a folder upload restored paused (the tour resumes it: a running batch row) and
    // a finished download in the history.
    const QString folder = m_home.filePath(u"holiday photos"_s);
    QVERIFY(QDir().mkpath(folder + u"/2026"_s));
    {
        QFile f(folder + u"/2026/video.bin"_s);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.resize(64LL * 1024 * 1024));
        for (int i = 0; i < 3; ++i) {
            QFile g(folder + u"/photo-%1.jpg"_s.arg(i));
            QVERIFY(g.open(QIODevice::WriteOnly) && g.write(QByteArray(1000 + i, 'x')) > 0);
        }
    }
    const auto batch = [this](const QString &direction, const QString &name, const QString &prefix,
                              const QString &local, const QString &batchState,
                              const QJsonObject &progress) {
        return QJsonObject {{u"direction"_s, direction},  {u"name"_s, name},
                            {u"region"_s, m_env->region}, {u"bucket"_s, m_bucket},
                            {u"prefix"_s, prefix},        {u"localDir"_s, local},
                            {u"state"_s, batchState},     {u"progress"_s, progress}};
    };
    QJsonObject upload = batch(u"upload"_s, u"holiday photos"_s, u"uploads/"_s, m_home.path(),
                               u"running"_s,
                               QJsonObject {{u"filesSeen"_s, 4},
                                            {u"filesDone"_s, 1},
                                            {u"walkDone"_s, true}});
    upload.insert(u"only"_s, QJsonArray {u"holiday photos/"_s});
    QFile batches(dataDir + u"/batches.json"_s);
    QVERIFY(batches.open(QIODevice::WriteOnly | QIODevice::Truncate));
    batches.write(
            QJsonDocument(
                    QJsonObject {{u"version"_s, 1},
                                 {u"batches"_s,
                                  QJsonArray {batch(u"download"_s, u"many"_s, QString(),
                                                    m_home.filePath(u"downloads"_s), u"succeeded"_s,
                                                    QJsonObject {{u"filesSeen"_s, 300},
                                                                 {u"filesDone"_s, 300},
                                                                 {u"filesTransferred"_s, 300},
                                                                 {u"bytesTotal"_s, 7650},
                                                                 {u"bytesDone"_s, 7650},
                                                                 {u"walkDone"_s, true}}),
                                              upload}}})
                    .toJson());
    batches.close();

    const QString dir = QDir(QStringLiteral(SCREENSHOT_DIR)).filePath(u"tour"_s);
    QByteArray err;
    const int code = runCosdemo({u"--tour"_s, dir, u"--window-size"_s,
                                 u"%1x%2"_s.arg(size.width()).arg(size.height())},
                                m_bucket, &err);
    QFile::remove(dataDir + u"/transfers.json"_s);
    QFile::remove(dataDir + u"/batches.json"_s);
    QDir(folder).removeRecursively();
    QFile::remove(big);
    QFile::remove(small);
    QVERIFY2(code == 0, qPrintable(u"exit %1: %2"_s.arg(code).arg(QString::fromUtf8(err))));
    const QStringList shots =
            QDir(dir).entryList({u"%1x%2-*.png"_s.arg(size.width()).arg(size.height())},
                                QDir::Files);
    for (const char *scene :
         {"objects", "menu", "details", "preview", "delete", "createBucket", "upload", "buckets",
          "transfers", "settings", "network", "networkDetails"}) {
        for (const char *theme : {"light", "dark"}) {
            const QString name = u"%1x%2-%3-%4.png"_s.arg(size.width())
                                         .arg(size.height())
                                         .arg(QLatin1StringView(theme), QLatin1StringView(scene));
            QVERIFY2(shots.contains(name), qPrintable(name));
            QCOMPARE(QImage(QDir(dir).filePath(name)).size(), size);
        }
    }
}

void TstAppScreenshot::embeddedSigner()
{
    // The app end to end in embedded signer mode: the permanent key only in
    // COS_SIGNER_SECRET_ID/KEY, temporary keys from RGW's STS, the granted folder on screen.
    if (m_env->stsEndpoint.isEmpty() || m_env->roleArn.isEmpty())
        QSKIP("the sandbox has no STS (COS_STS_ENDPOINT, COS_ROLE_ARN)");
    const QString file = QDir(QStringLiteral(SCREENSHOT_DIR))
                                 .filePath(u"cosdemo-embedded-1280x800.png"_s);
    QFile::remove(file);
    QProcessEnvironment extra;
    extra.insert(u"COS_EMBEDDED_SIGNER"_s, u"1"_s);
    extra.insert(u"COS_SIGNER_SECRET_ID"_s, m_env->secretId);
    extra.insert(u"COS_SIGNER_SECRET_KEY"_s, m_env->secretKey);
    extra.insert(u"COS_SIGNER_BUCKET"_s, m_bucket);
    extra.insert(u"USER"_s, u"shot"_s);
    extra.insert(u"COS_SECRET_ID"_s, {}); // removed
    extra.insert(u"COS_SECRET_KEY"_s, {});
    extra.insert(u"COS_DEFAULT_BUCKET"_s, {});
    extra.insert(u"QT_LOGGING_RULES"_s, u"cos.credentials.embedded.debug=true"_s);
    QByteArray err;
    const int code = runCosdemo({u"--screenshot"_s, file, u"--window-size"_s, u"1280x800"_s},
                                m_bucket, &err, extra);
    QVERIFY2(code == 0, qPrintable(u"exit %1: %2"_s.arg(code).arg(QString::fromUtf8(err))));
    QVERIFY(!QImage(file).isNull());
    // The keys were issued in process, and the permanent key appears nowhere.
    QVERIFY2(err.contains("embedded signer issued temporary keys"), err.constData());
    QVERIFY(!err.contains(m_env->secretId.toUtf8()));
    QVERIFY(!err.contains(m_env->secretKey.toUtf8()));
    qInfo("screenshot: %s", qPrintable(file));
}

void TstAppScreenshot::demoFirstScreen()
{
    // scripts/demo.sh's first screen: cos-signer scoped to one bucket (S3-STS on the sandbox),
    // cosdemo on its signing URL. The keys may not call GET Service; the bucket pane shows the
    // granted bucket from the answer's "scope" instead of "Access denied ... GetService", and
    // --screenshot fails on any error shown on either pane.
#ifndef COS_SIGNER_PATH
    QSKIP("cos-signer is not built (COS_BUILD_TOOLS=OFF)");
#else
    if (m_env->stsEndpoint.isEmpty() || m_env->roleArn.isEmpty())
        QSKIP("the sandbox has no STS (COS_STS_ENDPOINT, COS_ROLE_ARN)");
    QProcess signer;
    QProcessEnvironment signerEnv = QProcessEnvironment::systemEnvironment();
    signerEnv.insert(u"COS_SIGNER_SECRET_ID"_s, m_env->secretId);
    signerEnv.insert(u"COS_SIGNER_SECRET_KEY"_s, m_env->secretKey);
    signer.setProcessEnvironment(signerEnv);
    signer.setProcessChannelMode(QProcess::MergedChannels);
    signer.start(QStringLiteral(COS_SIGNER_PATH),
                 {u"--backend"_s, u"s3-sts"_s, u"--sts-endpoint"_s, m_env->stsEndpoint,
                  u"--role-arn"_s, m_env->roleArn, u"--region"_s, m_env->region, u"--bucket"_s,
                  m_bucket, u"--allow-prefix"_s, u"*"_s, u"--actions"_s,
                  u"upload,download,list,delete"_s, u"--port"_s, u"0"_s});
    QByteArray log;
    int port = 0;
    const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s);
    QVERIFY(QTest::qWaitFor(
            [&] {
                log += signer.readAll();
                const QRegularExpressionMatch m = listening.match(QString::fromUtf8(log));
                port = m.hasMatch() ? m.captured(1).toInt() : 0;
                return port > 0 || signer.state() == QProcess::NotRunning;
            },
            30000));
    QVERIFY2(port > 0, log.constData());
    const auto stop = qScopeGuard([&] {
        signer.terminate();
        if (!signer.waitForFinished(10000))
            signer.kill();
    });

    const QString file = QDir(QStringLiteral(SCREENSHOT_DIR))
                                 .filePath(u"cosdemo-demo-1280x800.png"_s);
    QFile::remove(file);
    QProcessEnvironment extra;
    extra.insert(u"COS_CREDENTIALS_URL"_s, u"http://127.0.0.1:%1/sts"_s.arg(port));
    QByteArray err;
    const int code = runCosdemo({u"--screenshot"_s, file, u"--window-size"_s, u"1280x800"_s},
                                m_bucket, &err, extra);
    QVERIFY2(code == 0, qPrintable(u"exit %1: %2"_s.arg(code).arg(QString::fromUtf8(err))));
    QVERIFY2(!err.contains("GetService") && !err.contains("Access denied"), err.constData());
    qInfo("screenshot: %s", qPrintable(file));
#endif
}

void TstAppScreenshot::errorPageFails()
{
    const QString file = QDir(QStringLiteral(SCREENSHOT_DIR)).filePath(u"cosdemo-error.png"_s);
    QByteArray err;
    const int code = runCosdemo({u"--screenshot"_s, file, u"--window-size"_s, u"360x720"_s},
                                u"no-such-bucket-shot"_s, &err);
    QCOMPARE(code, 1);
    QVERIFY2(err.contains("does not exist"), err.constData());
    QVERIFY(QFileInfo::exists(file)); // the error page is still saved, for a look
}

void TstAppScreenshot::help()
{
    QByteArray err;
    QProcess p;
    p.start(QStringLiteral(COSDEMO_PATH), {u"--help"_s});
    QVERIFY(p.waitForFinished(30000));
    const QByteArray out = p.readAllStandardOutput();
    QCOMPARE(p.exitCode(), 0);
    QVERIFY(out.contains("--screenshot"));
    QVERIFY(out.contains("--window-size"));
    Q_UNUSED(err)
}

QTEST_MAIN(TstAppScreenshot)
#include "tst_app_screenshot.moc"
