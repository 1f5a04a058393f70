// The app's list models against the sandbox, each under QAbstractItemModelTester.
#include "tst_app_support.h"

#include <appcontroller.h>
#include <bucketlistmodel.h>
#include <objectlistmodel.h>
#include <regionlistmodel.h>
#include <secretstore.h>
#include <signercore.h>
#include <signerserver.h>
#include <transferlistmodel.h>

#include "cos/transfer/downloadtask.h"
#include "cos/transfer/transfertask.h"
#include "cos/transfer/uploadtask.h"

#include <QAbstractItemModelTester>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TstAppModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void regions();
    void buckets();
    void objectsRootFoldersFirst();
    void objectsPaging();
    void objectsFolderNavigation();
    void objectsSort();
    void objectsFilter();
    void objectsMissingBucket();
    void objectsBadKeys();
    void transfersUploadDownload();
    void transfersPauseResumeAcrossRestart();
    void transfersCancel();
    void controllerLinkAndDelete();
    void controllerSignerDown();
    void controllerScopedSigningUrl();

private:
    static QStringList names(const QAbstractItemModel &model, int role);
    TransferListModel::TaskFactory factory();

    std::optional<SandboxEnv> m_env;
    Cos::Client *m_client = nullptr;
    QString m_bucket;
    QTemporaryDir m_dir;
};

void TstAppModels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    COS_REQUIRE_SANDBOX(env);
    m_env = env;
    QVERIFY(m_dir.isValid());
    m_client = AppTest::sandboxClient(env, this);
    m_bucket = AppTest::uniqueBucket(u"app-models"_s);
    QVERIFY(AppTest::seedBucket(m_client, m_bucket));
}

void TstAppModels::cleanupTestCase()
{
    if (m_client && !m_bucket.isEmpty())
        AppTest::purgeBucket(m_client, m_bucket);
    delete m_client;
    m_client = nullptr;
}

QStringList TstAppModels::names(const QAbstractItemModel &model, int role)
{
    return AppTest::column(model, role);
}

TransferListModel::TaskFactory TstAppModels::factory()
{
    return [this](const TransferListModel::Record &r, QString *) -> Cos::TransferTask * {
        if (r.direction == TransferListModel::Direction::Upload) {
            Cos::UploadOptions o;
            o.multipartThreshold = 5 * 1024 * 1024;
            o.partSize = 5 * 1024 * 1024;
            o.partsInFlight = 1;
            o.checkpointDirectory = m_dir.filePath(u"checkpoints"_s);
            return new Cos::UploadTask(m_client, r.localPath, r.bucket, r.key, o);
        }
        Cos::DownloadOptions o;
        o.checkpointDirectory = m_dir.filePath(u"checkpoints"_s);
        return new Cos::DownloadTask(m_client, r.bucket, r.key, r.localPath, o);
    };
}

void TstAppModels::regions()
{
    RegionListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // COS: "All regions" and the built-in list, grouped.
    model.setRegions(Cos::RegionCatalog(), false, u"ap-guangzhou"_s);
    QVERIFY(model.rowCount() > 10);
    QCOMPARE(model.idAt(0), QString());
    QVERIFY(model.indexOf(u"ap-guangzhou"_s) > 0);
    QVERIFY(!model.index(model.indexOf(u"ap-guangzhou"_s))
                     .data(RegionListModel::GroupRole)
                     .toString()
                     .isEmpty());
    // S3: only "All buckets" and the endpoint's region.
    model.setRegions(Cos::RegionCatalog(), true, m_env->region);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.idAt(1), m_env->region);
    QCOMPARE(model.nameOf(QString()), u"All buckets"_s);
}

void TstAppModels::buckets()
{
    BucketListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &QueryModel::loadedChanged);
    model.setClient(m_client);
    QVERIFY(model.isLoading());
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QVERIFY2(model.errorMessage().isEmpty(), qPrintable(model.errorMessage()));
    QVERIFY(names(model, BucketListModel::NameRole).contains(m_bucket));
    QVERIFY(!model.canFetchMore({}));

    model.setFilter(m_bucket.toUpper()); // case-insensitive
    QCOMPARE(names(model, BucketListModel::NameRole), QStringList {m_bucket});
    QVERIFY(model.totalCount() >= 1);
    model.setFilter(u"no-such-bucket-zzz"_s);
    QCOMPARE(model.rowCount(), 0);
    model.setFilter({});
    QVERIFY(model.rowCount() >= 1);
}

void TstAppModels::objectsRootFoldersFirst()
{
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(m_client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QVERIFY2(model.errorMessage().isEmpty(), qPrintable(model.errorMessage()));
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"docs"_s, u"empty"_s, u"media"_s, u"a.bin"_s, u"notes.md"_s,
                           u"readme.txt"_s, u"report.json"_s, u"z.log"_s}));
    const QModelIndex docs = model.index(0);
    QVERIFY(docs.data(ObjectListModel::IsFolderRole).toBool());
    QCOMPARE(docs.data(ObjectListModel::KeyRole).toString(), u"docs/"_s);
    QCOMPARE(docs.data(ObjectListModel::TypeRole).toString(), u"Folder"_s);
    const QModelIndex readme = model.index(5);
    QCOMPARE(readme.data(ObjectListModel::SizeRole).toLongLong(), qint64(11));
    QCOMPARE(readme.data(ObjectListModel::SizeTextRole).toString(), u"11 B"_s);
    QCOMPARE(readme.data(ObjectListModel::TypeRole).toString(), u"Text"_s);
    QVERIFY(!readme.data(ObjectListModel::ModifiedRole).toString().isEmpty());
    QCOMPARE(model.breadcrumbs(), QStringList {m_bucket});
    QVERIFY(!model.canFetchMore({}));
}

void TstAppModels::objectsPaging()
{
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(3);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // The rows of the first page, counted when the second page's answer comes (before its
    // rows go in): the model tester asks for more pages as soon as rows arrive, and on a fast
    // server they may all be here before the first check below.
    int pagesAnswered = 0;
    int firstPageRows = -1;
    connect(&model, &QueryModel::loadingChanged, this, [&] {
        if (!model.isLoading() && ++pagesAnswered == 2)
            firstPageRows = model.rowCount();
    });
    model.setLocation(m_client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QVERIFY(model.rowCount() >= 3);
    // QAbstractItemModelTester itself calls fetchMore(), so pages are not counted here; what
    // matters is one page in flight at a time and every entry arriving exactly once.
    for (int guard = 0; guard < 10 && (model.canFetchMore({}) || model.isLoading()); ++guard) {
        if (!model.isLoading()) {
            model.fetchMore({});
            QVERIFY(model.isLoading());
        }
        QVERIFY(!model.canFetchMore({})); // one page at a time
        QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 30000);
        QVERIFY2(model.errorMessage().isEmpty(), qPrintable(model.errorMessage()));
    }
    QVERIFY(!model.canFetchMore({}));
    QCOMPARE(firstPageRows, 3);
    // Folders stay on top although they arrived on different pages.
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"docs"_s, u"empty"_s, u"media"_s, u"a.bin"_s, u"notes.md"_s,
                           u"readme.txt"_s, u"report.json"_s, u"z.log"_s}));
    QVERIFY(inserted.count() >= 3);

    // A refresh (after an upload) keeps the rows until the new first page replaces them.
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.refresh();
    QVERIFY(model.isLoading());
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(reset.count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!model.isLoading(), 30000);
    QCOMPARE(reset.count(), 1);
    QVERIFY(model.rowCount() >= 3);
    QVERIFY(model.errorMessage().isEmpty());
}

void TstAppModels::objectsSort()
{
    // Sorted while the pages arrive (3 at a time): later rows are merged into the order.
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPageSize(3);
    model.setSortKey(u"size"_s);
    model.setSortDescending(true);
    model.setLocation(m_client, m_bucket, m_env->region);
    for (int guard = 0; guard < 20 && !(model.isLoaded() && !model.isLoading() && !model.hasMore());
         ++guard) {
        QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded() && !model.isLoading(), 30000);
        if (model.canFetchMore({}))
            model.fetchMore({});
    }
    QCOMPARE(model.rowCount(), 8);
    // Folders stay on top (by name, in the chosen direction); files largest first, equal sizes
    // by name.
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"media"_s, u"empty"_s, u"docs"_s, u"report.json"_s, u"readme.txt"_s,
                           u"notes.md"_s, u"z.log"_s, u"a.bin"_s}));
    model.setSortDescending(false);
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"docs"_s, u"empty"_s, u"media"_s, u"a.bin"_s, u"z.log"_s, u"notes.md"_s,
                           u"readme.txt"_s, u"report.json"_s}));
    model.setSortKey(u"bogus"_s); // anything unknown is the name order
    QCOMPARE(model.sortKey(), u"name"_s);
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"docs"_s, u"empty"_s, u"media"_s, u"a.bin"_s, u"notes.md"_s,
                           u"readme.txt"_s, u"report.json"_s, u"z.log"_s}));
    // The filter and the order combine.
    model.setSortKey(u"size"_s);
    model.setFilter(u"re"_s);
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"readme.txt"_s, u"report.json"_s}));
}

void TstAppModels::objectsFolderNavigation()
{
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(m_client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);

    model.openFolder(u"docs/"_s);
    QCOMPARE(model.prefix(), u"docs/"_s);
    QCOMPARE(model.breadcrumbs(), (QStringList {m_bucket, u"docs"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QCOMPARE(names(model, ObjectListModel::NameRole), (QStringList {u"2026"_s, u"data.json"_s}));

    model.openFolder(u"docs/2026"_s); // a missing slash is added
    QCOMPARE(model.breadcrumbs(), (QStringList {m_bucket, u"docs"_s, u"2026"_s}));
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QCOMPARE(names(model, ObjectListModel::KeyRole), QStringList {u"docs/2026/notes.txt"_s});

    model.openLevel(1);
    QCOMPARE(model.prefix(), u"docs/"_s);
    QVERIFY(model.goUp());
    QCOMPARE(model.prefix(), QString());
    QVERIFY(!model.goUp());

    // The placeholder object "empty/" is the folder itself, not a file in it.
    model.openFolder(u"empty/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.errorMessage().isEmpty());
}

void TstAppModels::objectsFilter()
{
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(m_client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    model.setFilter(u"RE"_s);
    QCOMPARE(names(model, ObjectListModel::NameRole),
             (QStringList {u"readme.txt"_s, u"report.json"_s}));
    QCOMPARE(model.totalCount(), 8);
    model.setFilter(u"nothing-like-this"_s);
    QCOMPARE(model.rowCount(), 0);
    // Opening a folder clears the filter.
    model.openFolder(u"media/"_s);
    QCOMPARE(model.filter(), QString());
}

void TstAppModels::objectsMissingBucket()
{
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(m_client, u"no-such-bucket-app-test"_s, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.canFetchMore({}));
    QVERIFY2(model.errorMessage().contains(u"does not exist"_s), qPrintable(model.errorMessage()));
    QVERIFY(model.errorMessage().contains(u"no-such-bucket-app-test"_s));
    QVERIFY(!model.isAccessDenied());
}

void TstAppModels::objectsBadKeys()
{
    // Wrong secret: the server rejects the signature; the text points at the keys.
    SandboxEnv bad = *m_env;
    bad.secretKey = u"wrong-secret-key-0000000000"_s;
    Cos::Client *client = AppTest::sandboxClient(bad, this);
    ObjectListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setLocation(client, m_bucket, m_env->region);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 30000);
    // RGW answers a wrong secret with 403 AccessDenied (COS: SignatureDoesNotMatch); either
    // way the text says access was denied and mentions the keys.
    QVERIFY2(model.errorMessage().contains(u"keys"_s), qPrintable(model.errorMessage()));
    QVERIFY(model.isAccessDenied());
    QVERIFY(!model.errorMessage().contains(bad.secretKey));
    model.clear();
    delete client;
}

void TstAppModels::transfersUploadDownload()
{
    TransferListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTaskFactory(factory());
    const QString src = m_dir.filePath(u"upload-small.bin"_s);
    QVERIFY(AppTest::writeFile(src, 300 * 1024));
    QSignalSpy finished(&model, &TransferListModel::transferFinished);
    QSignalSpy batch(&model, &TransferListModel::batchFinished);

    const int up = model.add({TransferListModel::Direction::Upload, m_bucket, m_env->region,
                              u"uploads/small.bin"_s, src});
    QCOMPARE(model.stateAt(up), u"running"_s);
    QCOMPARE(model.activeCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(up), u"succeeded"_s, 60000);
    QCOMPARE(model.index(up).data(TransferListModel::ProgressRole).toDouble(), 1.0);
    QCOMPARE(model.index(up).data(TransferListModel::BytesTextRole).toString(), u"300 KiB"_s);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(1).toBool(), true);
    QCOMPARE(batch.count(), 1);
    QCOMPARE(batch.at(0).at(0).toInt(), 1);
    QCOMPARE(batch.at(0).at(1).toInt(), 0);

    const QString dst = m_dir.filePath(u"downloaded.bin"_s);
    const int down = model.add({TransferListModel::Direction::Download, m_bucket, m_env->region,
                                u"uploads/small.bin"_s, dst});
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(down), u"succeeded"_s, 60000);
    QFile a(src), b(dst);
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(b.readAll(), a.readAll());
    QCOMPARE(model.activeCount(), 0);

    model.clearFinished();
    QCOMPARE(model.rowCount(), 0);

    // Two uploads at once: one summary when both are done, not one per file.
    batch.clear();
    const int a1 = model.add({TransferListModel::Direction::Upload, m_bucket, m_env->region,
                              u"uploads/batch-1.bin"_s, src});
    const int a2 = model.add({TransferListModel::Direction::Upload, m_bucket, m_env->region,
                              u"uploads/batch-2.bin"_s, src});
    QTRY_VERIFY_WITH_TIMEOUT(model.stateAt(a1) == u"succeeded"_s
                                     && model.stateAt(a2) == u"succeeded"_s,
                             60000);
    QCOMPARE(batch.count(), 1);
    QCOMPARE(batch.at(0).at(0).toInt(), 2);
    QCOMPARE(model.finishedCount(), 2);
    model.clearFinished();

    // A download of a missing key fails with text that names it; retrying cannot help.
    batch.clear();
    const int missing = model.add({TransferListModel::Direction::Download, m_bucket, m_env->region,
                                   u"no/such/key.bin"_s, m_dir.filePath(u"missing.bin"_s)});
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(missing), u"failed"_s, 60000);
    QVERIFY(!model.index(missing).data(TransferListModel::CanRetryRole).toBool());
    const QString error = model.index(missing).data(TransferListModel::ErrorRole).toString();
    QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    QCOMPARE(batch.count(), 1);
    QCOMPARE(batch.at(0).at(1).toInt(), 1);
    QVERIFY(batch.at(0).at(2).toString().startsWith(u"key.bin: "_s));
    QCOMPARE(model.failedCount(), 1);
}

void TstAppModels::transfersPauseResumeAcrossRestart()
{
    const QString state = m_dir.filePath(u"transfers.json"_s);
    const QString src = m_dir.filePath(u"upload-big.bin"_s);
    const qint64 size = 40 * 1024 * 1024;
    QVERIFY(AppTest::writeFile(src, size));
    {
        TransferListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setTaskFactory(factory());
        model.setStateFile(state);
        const int row = model.add({TransferListModel::Direction::Upload, m_bucket, m_env->region,
                                   u"uploads/big.bin"_s, src});
        // Pause once at least one 5 MiB part is done, so the checkpoint has something.
        auto *task = qobject_cast<Cos::UploadTask *>(model.taskAt(row));
        QVERIFY(task);
        // Paused from inside the signal: deterministic however fast the loopback is.
        connect(
                task, &Cos::UploadTask::partUploaded, &model, [&model, row] { model.pause(row); },
                Qt::SingleShotConnection);
        QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(row), u"paused"_s, 60000);
        QCOMPARE(model.activeCount(), 0);
        QVERIFY(model.index(row).data(TransferListModel::CanResumeRole).toBool());
        QVERIFY(!model.index(row).data(TransferListModel::CanPauseRole).toBool());
        model.detachTasks(); // what the app does before it quits
    }
    // "Restart": a new model reads the saved rows; they come back paused.
    TransferListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTaskFactory(factory());
    model.setStateFile(state);
    QCOMPARE(model.restore(), 1);
    QCOMPARE(model.stateAt(0), u"paused"_s);
    QCOMPARE(model.index(0).data(TransferListModel::KeyRole).toString(), u"uploads/big.bin"_s);
    model.resume(0);
    auto *task = qobject_cast<Cos::UploadTask *>(model.taskAt(0));
    QVERIFY(task);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(0), u"succeeded"_s, 120000);
    QVERIFY2(task->resumedUpload() || task->partsReused() > 0,
             "the upload restarted from zero instead of resuming");
    Cos::HeadObjectJob *head = m_client->headObject(m_bucket, u"uploads/big.bin"_s);
    QVERIFY(AppTest::run(head));
    QCOMPARE(head->metadata().size, size);
    // Finished rows are not saved: a third start restores nothing.
    TransferListModel again;
    again.setStateFile(state);
    QCOMPARE(again.restore(), 0);
}

void TstAppModels::transfersCancel()
{
    TransferListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTaskFactory(factory());
    model.setMaxRunning(1);
    const QString src = m_dir.filePath(u"upload-cancel.bin"_s);
    QVERIFY(AppTest::writeFile(src, 12 * 1024 * 1024));
    const int first = model.add({TransferListModel::Direction::Upload, m_bucket, m_env->region,
                                 u"uploads/cancel-1.bin"_s, src});
    const int second = model.add({TransferListModel::Direction::Upload, m_bucket, m_env->region,
                                  u"uploads/cancel-2.bin"_s, src});
    QCOMPARE(model.stateAt(first), u"running"_s);
    QCOMPARE(model.stateAt(second), u"queued"_s); // one at a time
    // Both before the event loop runs: the first has not sent anything yet, so the cancel
    // cannot lose a race against a fast loopback upload.
    model.cancel(second);
    model.cancel(first);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(second), u"canceled"_s, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(first), u"canceled"_s, 30000);
    QCOMPARE(model.activeCount(), 0);
    QVERIFY(!model.index(first).data(TransferListModel::CanCancelRole).toBool());
    // Nothing of the canceled uploads is left as an object.
    Cos::HeadObjectJob *head = m_client->headObject(m_bucket, u"uploads/cancel-1.bin"_s);
    QVERIFY(!AppTest::run(head));
    QCOMPARE(head->error().httpStatus(), 404);
}

void TstAppModels::controllerLinkAndDelete()
{
    // The controller as the app runs it: settings from the environment (the sandbox's keys).
    AppController controller(new MemorySecretStore);
    AppController::setInstance(&controller);
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 20000);
    const QString bucket = AppTest::uniqueBucket(u"app-ctl"_s);
    QVERIFY(AppTest::seedBucket(m_client, bucket));
    controller.openBucket(bucket, m_env->region);
    ObjectListModel *objects = controller.objects();
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 20000);
    QCOMPARE(objects->rowCount(), 8);

    // Copy link: a presigned GET that works without credentials.
    QSignalSpy linked(&controller, &AppController::linkCopied);
    controller.copyLink(u"readme.txt"_s, 600);
    QVERIFY(linked.wait(20000));
    const QUrl url(linked.at(0).at(0).toString());
    QNetworkAccessManager nam;
    QNetworkReply *reply = nam.get(QNetworkRequest(url));
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(20000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), QByteArray("readme.txt\n"));
    reply->deleteLater();

    // Details from HEAD: size in bytes, ETag, content type.
    QSignalSpy details(&controller, &AppController::detailsFetched);
    controller.fetchDetails(u"readme.txt"_s);
    QVERIFY(details.wait(20000));
    QCOMPARE(details.at(0).at(0).toString(), u"readme.txt"_s);
    const QVariantMap info = details.at(0).at(1).toMap();
    QVERIFY2(info.value(u"sizeText"_s).toString().contains(u"11 bytes"_s),
             qPrintable(info.value(u"sizeText"_s).toString()));
    QVERIFY(!info.value(u"etag"_s).toString().isEmpty());
    QSignalSpy detailsFailed(&controller, &AppController::detailsFailed);
    controller.fetchDetails(u"no-such-key"_s);
    QVERIFY(detailsFailed.wait(20000));
    QVERIFY(controller.canModify());

    // Create folder: an empty "<name>/" object; the list shows it as a folder.
    QSignalSpy folderCreated(&controller, &AppController::folderCreated);
    controller.createFolder(u"新建 folder"_s);
    QVERIFY(folderCreated.wait(20000));
    QCOMPARE(folderCreated.at(0).at(0).toString(), u"新建 folder/"_s);
    QTRY_COMPARE_WITH_TIMEOUT(objects->rowCount(), 9, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!objects->isLoading(), 20000);
    QVERIFY(names(*objects, ObjectListModel::NameRole).contains(u"新建 folder"_s));
    Cos::HeadObjectJob *placeholder = m_client->headObject(bucket, u"新建 folder/"_s);
    QVERIFY(AppTest::run(placeholder));
    QCOMPARE(placeholder->metadata().size, 0);
    objects->openFolder(u"新建 folder/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 20000);
    QCOMPARE(objects->rowCount(), 0); // the placeholder is not a file of its own folder
    objects->openLevel(0);
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 20000);
    QSignalSpy refused(&controller, &AppController::operationFailed);
    controller.createFolder(u"a/b"_s);
    QCOMPARE(refused.count(), 1);
    controller.deleteObject(u"新建 folder/"_s, true);
    QTRY_COMPARE_WITH_TIMEOUT(objects->rowCount(), 8, 20000);

    // Delete one object: its row goes, and so does the object.
    QSignalSpy notified(&controller, &AppController::notify);
    QSignalSpy failed(&controller, &AppController::operationFailed);
    controller.deleteObject(u"notes.md"_s, false);
    QTRY_COMPARE_WITH_TIMEOUT(objects->rowCount(), 7, 20000);
    QVERIFY(!AppTest::run(m_client->headObject(bucket, u"notes.md"_s)));

    // Delete a folder: every key under it, also past the first listing page of 1,000 keys.
    for (int i = 0; i < 1005; ++i)
        QVERIFY(AppTest::putObject(m_client, bucket, u"docs/many/k%1"_s.arg(i, 4, 10, QChar(u'0')),
                                   "x"));
    controller.deleteObject(u"docs/"_s, true);
    QTRY_COMPARE_WITH_TIMEOUT(objects->rowCount(), 6, 20000);
    Cos::ListObjectsParams params;
    params.prefix = u"docs/"_s;
    Cos::ListObjectsJob *list = m_client->listObjects(bucket, params, 0);
    QVERIFY(AppTest::run(list));
    QVERIFY(list->result().objects.isEmpty());
    QCOMPARE(failed.count(), 0);
    QVERIFY(notified.count() >= 2);

    // Create a bucket: invalid names never reach the server.
    controller.createBucket(u"Bad_Name"_s, m_env->region, u"private"_s);
    QCOMPARE(failed.count(), 1);
    QSignalSpy created(&controller, &AppController::bucketCreated);
    const QString fresh = AppTest::uniqueBucket(u"app-new"_s);
    controller.createBucket(fresh, m_env->region, u"private"_s);
    QVERIFY(created.wait(20000));
    QCOMPARE(created.at(0).at(0).toString(), fresh);
    AppController::setInstance(nullptr);
}

void TstAppModels::controllerSignerDown()
{
    // A signing URL where nothing listens: the error names the signing service (not the
    // endpoint), the controller reports the problem, and actions that write are off.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    qputenv("COS_CREDENTIALS_URL", "http://127.0.0.1:" + QByteArray::number(port) + "/sts");
    AppController controller(new MemorySecretStore);
    AppController::setInstance(&controller);
    controller.start();
    QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 20000);
    controller.openBucket(m_bucket, m_env->region);
    ObjectListModel *objects = controller.objects();
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 30000);
    qunsetenv("COS_CREDENTIALS_URL");
    QCOMPARE(objects->errorCause(), u"signer-unreachable"_s);
    QCOMPARE(objects->errorTitle(), u"Signing service unreachable"_s);
    QVERIFY2(objects->errorMessage().contains(u"signing"_s)
                     && !objects->errorMessage().contains(u"Check the endpoint"_s),
             qPrintable(objects->errorMessage()));
    QCOMPARE(controller.problem(), u"Signing service unreachable"_s);
    QCOMPARE(controller.problemCause(), u"signer-unreachable"_s);
    QVERIFY(!controller.canModify());
    AppController::setInstance(nullptr);
}

void TstAppModels::controllerScopedSigningUrl()
{
    // cos-signer granting one folder of one bucket: its answers carry "scope", so the bucket
    // list is that bucket (no GET Service, which the keys may not call) and the bucket opens
    // at the granted folder.
    if (m_env->stsEndpoint.isEmpty() || m_env->roleArn.isEmpty())
        QSKIP("the sandbox has no STS (COS_STS_ENDPOINT, COS_ROLE_ARN)");
    Signer::SignerConfig config;
    config.backend = u"s3-sts"_s;
    config.secretId = m_env->secretId;
    config.secretKey = m_env->secretKey;
    config.stsEndpoint = m_env->stsEndpoint;
    config.roleArn = m_env->roleArn;
    Signer::Operations operations;
    QVERIFY(Signer::parseActionList(u"download,list"_s, &operations, nullptr));
    config.grants = {{m_bucket, m_env->region, u"docs/"_s, operations}};
    Signer::SignerCore core(config, Signer::SignerCore::createBackend(config));
    Signer::SignerServer server(&core);
    QString error;
    QVERIFY2(server.start(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    qputenv("COS_CREDENTIALS_URL", "http://127.0.0.1:" + QByteArray::number(server.port()) + "/sts");
    AppController controller(new MemorySecretStore);
    AppController::setInstance(&controller);
    controller.start();
    qunsetenv("COS_CREDENTIALS_URL");
    QTRY_VERIFY_WITH_TIMEOUT(controller.isConnected(), 20000);
    BucketListModel *buckets = controller.buckets();
    QTRY_VERIFY_WITH_TIMEOUT(buckets->isLoaded(), 30000);
    QVERIFY2(buckets->errorMessage().isEmpty(), qPrintable(buckets->errorMessage()));
    QVERIFY(buckets->isFromScope());
    QCOMPARE(names(*buckets, BucketListModel::NameRole), QStringList {m_bucket});
    ObjectListModel *objects = controller.objects();
    QTRY_COMPARE_WITH_TIMEOUT(objects->bucket(), m_bucket, 20000);
    QCOMPARE(objects->prefix(), u"docs/"_s);
    QTRY_VERIFY_WITH_TIMEOUT(objects->isLoaded(), 30000);
    QVERIFY2(objects->errorMessage().isEmpty(), qPrintable(objects->errorMessage()));
    QCOMPARE(names(*objects, ObjectListModel::NameRole), QStringList({u"2026"_s, u"data.json"_s}));
    // Opening the bucket from the list opens the granted folder again.
    objects->openLevel(0);
    controller.openBucket(m_bucket, m_env->region);
    QCOMPARE(objects->prefix(), u"docs/"_s);
    AppController::setInstance(nullptr);
}

QTEST_MAIN(TstAppModels)
#include "tst_app_models.moc"
