// PickedFileStager: local files in place, files behind a Qt file engine (qrc: here, content:
// on Android) copied into the cache with their size known, copies released and pruned.
#include "appcontroller.h"
#include "pickedfilestager.h"
#include "secretstore.h"
#include "tst_app_support.h"

#include <QCoreApplication>
#include <QDir>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        return {};
    return path;
}

QList<PickedFileStager::Staged> stageAndWait(PickedFileStager &stager, const QList<QUrl> &urls)
{
    QList<PickedFileStager::Staged> result;
    bool done = false;
    stager.stage(urls, [&](const QList<PickedFileStager::Staged> &s) {
        result = s;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 20000))
        qWarning("staging did not finish");
    return result;
}

} // namespace

class TestAppPicked : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void localFileInPlace();
    void localFileCopiedWhenAsked();
    void engineUrlCopied();
    void unreadableSources();
    void releaseOnlyOwnCopies();
    void pruneLeavesFilesInUse();
    void destroyedStagerDropsTheAnswer();
    void controllerUploadsAPickedResource();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString cache() const { return m_dir->filePath(u"cache/picked"_s); }
};

void TestAppPicked::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestAppPicked::localFileInPlace()
{
    const QString path = writeFile(m_dir->filePath(u"photo é.jpg"_s), QByteArray(1000, 'x'));
    PickedFileStager stager(cache());
    bool sync = false;
    QList<PickedFileStager::Staged> staged;
    stager.stage({QUrl::fromLocalFile(path)}, [&](const QList<PickedFileStager::Staged> &s) {
        staged = s;
        sync = true;
    });
    QVERIFY(sync); // nothing to copy: answered before stage() returned
    QCOMPARE(staged.size(), 1);
    QVERIFY(staged[0].error.isEmpty());
    QCOMPARE(staged[0].localPath, path);
    QCOMPARE(staged[0].name, u"photo é.jpg"_s);
    QCOMPARE(staged[0].size, 1000);
    QVERIFY(!staged[0].copied);
    QVERIFY(!QDir(cache()).exists());
}

void TestAppPicked::localFileCopiedWhenAsked()
{
    // Mobile: picked files may lie outside the sandbox under a grant that ends; copied.
    const QByteArray data = QByteArray(3 * 1024 * 1024 + 17, 'a') + "end";
    const QString path = writeFile(m_dir->filePath(u"video.mp4"_s), data);
    PickedFileStager stager(cache(), true);
    const auto staged = stageAndWait(stager, {QUrl::fromLocalFile(path)});
    QCOMPARE(staged.size(), 1);
    QVERIFY2(staged[0].error.isEmpty(), qPrintable(staged[0].error));
    QVERIFY(staged[0].copied);
    QVERIFY(stager.isStagedCopy(staged[0].localPath));
    QCOMPARE(QFileInfo(staged[0].localPath).fileName(), u"video.mp4"_s);
    QCOMPARE(staged[0].size, data.size());
    QCOMPARE(readAll(staged[0].localPath), data);

    QVERIFY(stager.release(staged[0].localPath));
    QVERIFY(!QFile::exists(staged[0].localPath));
    QCOMPARE(QDir(cache()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    QCOMPARE(readAll(path), data); // the picked file itself is untouched
}

void TestAppPicked::engineUrlCopied()
{
    // qrc: is served by Qt's resource file engine, the same QFile path as content: on Android.
    const QString local = writeFile(m_dir->filePath(u"a.txt"_s), "local");
    PickedFileStager stager(cache());
    const QUrl resource(u"qrc:/picked/tst_app_picked.cpp"_s);
    const auto staged = stageAndWait(stager, {QUrl::fromLocalFile(local), resource});
    QCOMPARE(staged.size(), 2);
    QCOMPARE(staged[0].localPath, local); // order kept, local one in place
    QVERIFY(!staged[0].copied);
    QVERIFY2(staged[1].error.isEmpty(), qPrintable(staged[1].error));
    QVERIFY(staged[1].copied);
    QCOMPARE(staged[1].source, resource);
    QCOMPARE(staged[1].name, u"tst_app_picked.cpp"_s);
    const QByteArray expected = readAll(u":/picked/tst_app_picked.cpp"_s);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(staged[1].size, expected.size());
    QCOMPARE(readAll(staged[1].localPath), expected);
}

void TestAppPicked::unreadableSources()
{
    PickedFileStager stager(cache());
    const QString missing = m_dir->filePath(u"gone.bin"_s);
    const auto staged = stageAndWait(stager,
                                     {QUrl::fromLocalFile(missing),
                                      QUrl(u"qrc:/picked/nothing-here"_s)});
    QCOMPARE(staged.size(), 2);
    QCOMPARE(staged[0].error, u"Cannot read %1: not a readable file."_s.arg(missing));
    QVERIFY(staged[0].localPath.isEmpty());
    QVERIFY2(staged[1].error.startsWith(u"Cannot read qrc:/picked/nothing-here: "_s),
             qPrintable(staged[1].error));
    QVERIFY(staged[1].localPath.isEmpty());
    // A failed copy leaves nothing behind.
    QCOMPARE(QDir(cache()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
}

void TestAppPicked::releaseOnlyOwnCopies()
{
    const QString outside = writeFile(m_dir->filePath(u"keep.txt"_s), "keep");
    PickedFileStager stager(cache());
    QVERIFY(!stager.isStagedCopy(outside));
    QVERIFY(!stager.release(outside));
    QVERIFY(QFile::exists(outside));
    // A path that only starts with the cache folder's name, or climbs out of it.
    QVERIFY(!stager.isStagedCopy(cache() + u"-other/x"_s));
    QVERIFY(!stager.release(cache() + u"/../keep.txt"_s));
    QVERIFY(!stager.release(QString()));
}

void TestAppPicked::pruneLeavesFilesInUse()
{
    const QString a = writeFile(m_dir->filePath(u"a.bin"_s), "aaaa");
    const QString b = writeFile(m_dir->filePath(u"b.bin"_s), "bbbb");
    PickedFileStager stager(cache(), true);
    const auto staged = stageAndWait(stager, {QUrl::fromLocalFile(a), QUrl::fromLocalFile(b)});
    QCOMPARE(staged.size(), 2);
    QVERIFY(staged[0].copied && staged[1].copied);
    QCOMPARE(stager.prune({staged[1].localPath, a}), 1); // a: not a copy, ignored
    QVERIFY(!QFile::exists(staged[0].localPath));
    QCOMPARE(readAll(staged[1].localPath), "bbbb");
}

void TestAppPicked::destroyedStagerDropsTheAnswer()
{
    const QString big = writeFile(m_dir->filePath(u"big.bin"_s), QByteArray(64 << 20, 'z'));
    auto *stager = new PickedFileStager(cache(), true);
    bool called = false;
    stager->stage({QUrl::fromLocalFile(big)},
                  [&](const QList<PickedFileStager::Staged> &) { called = true; });
    delete stager;
    QTest::qWait(300);
    QThreadPool::globalInstance()->waitForDone(20000);
    QCoreApplication::processEvents();
    QVERIFY(!called);
}

void TestAppPicked::controllerUploadsAPickedResource()
{
    // The app's upload command with a URL only a Qt file engine can read: staged, uploaded
    // under its own name with the right bytes, and the staged copy gone after success.
    QStandardPaths::setTestModeEnabled(true);
    COS_REQUIRE_SANDBOX(env);
    Cos::Client *client = AppTest::sandboxClient(env, this);
    const QString bucket = AppTest::uniqueBucket(u"app-picked"_s);
    QVERIFY(AppTest::run(client->createBucket(bucket)));
    auto cleanup = qScopeGuard([&] {
        AppTest::purgeBucket(client, bucket);
        delete client;
    });

    AppController controller(new MemorySecretStore);
    AppController::setInstance(&controller);
    auto unset = qScopeGuard([] { AppController::setInstance(nullptr); });
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 20000);
    controller.openBucket(bucket, env.region);
    QTRY_VERIFY_WITH_TIMEOUT(controller.objects()->isLoaded(), 20000);

    QSignalSpy failed(&controller, &AppController::operationFailed);
    QSignalSpy released(controller.transfers(), &TransferListModel::uploadSourceReleased);
    controller.upload({QUrl(u"qrc:/picked/tst_app_picked.cpp"_s), QUrl(u"qrc:/picked/none"_s)});
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
    QVERIFY2(failed.at(0).at(0).toString().startsWith(u"Cannot read qrc:/picked/none: "_s),
             qPrintable(failed.at(0).at(0).toString()));
    QTRY_COMPARE_WITH_TIMEOUT(released.size(), 1, 30000);
    const QString staged = released.at(0).at(0).toString();
    QVERIFY2(staged.contains(u"/picked/"_s), qPrintable(staged));
    QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(staged), 5000);

    std::unique_ptr<Cos::RequestJob> get(
            client->newRequestJob(client->builder().getObject(bucket, u"tst_app_picked.cpp"_s)));
    QVERIFY(AppTest::run(get.get()));
    QCOMPARE(get->responseBody(), readAll(u":/picked/tst_app_picked.cpp"_s));
}

QTEST_GUILESS_MAIN(TestAppPicked)
#include "tst_app_picked.moc"
