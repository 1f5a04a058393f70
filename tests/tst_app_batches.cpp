// The app's batch rows (BatchListModel) and multi-selection (ObjectSelection): roles, counts and
// state changes; batches saved and restored after the model is destroyed mid-way and after the
// process is killed (SIGKILL), then resumed, sending only what is missing; selection across
// pages, after a refresh and under a filter.
#include "faultproxy.h"
#include "tst_app_support.h"

#include <batchlistmodel.h>
#include <objectlistmodel.h>
#include <objectselection.h>
#include <pluraltranslator.h>
#include <transferlistmodel.h>
#include <transferoverview.h>

#include <QAbstractItemModelTester>
#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

constexpr int TreeFiles = 200;
// Upstream bytes per second of the slow client: a file (about 2 KiB with its requests) takes
// some 20 ms, so a batch of TreeFiles lasts seconds and can be stopped mid-way.
constexpr qint64 SlowBytesPerSecond = 100 * 1024;
// Set in the environment of the copy of this executable that runs one batch and gets killed.
constexpr char DriverVariable[] = "TST_APP_BATCHES_DRIVER";

// Relative path -> MD5 (hex) of a tree of TreeFiles files in four folders, written to @p dir.
QMap<QString, QString> writeTree(const QString &dir, const QString &salt)
{
    QMap<QString, QString> tree;
    for (int i = 0; i < TreeFiles; ++i) {
        const QString rel = u"part-%1/file %2.txt"_s.arg(i % 4).arg(i, 3, 10, QChar(u'0'));
        const QByteArray content = (salt + u" file %1\n"_s.arg(i)).toUtf8().repeated(i % 40 + 100);
        QDir().mkpath(QFileInfo(dir + u'/' + rel).absolutePath());
        QFile f(dir + u'/' + rel);
        if (!f.open(QIODevice::WriteOnly) || f.write(content) != content.size())
            return {};
        tree.insert(rel,
                    QString::fromLatin1(
                            QCryptographicHash::hash(content, QCryptographicHash::Md5).toHex()));
    }
    return tree;
}

// Key -> ETag of every object under @p prefix.
QMap<QString, QString> remoteTree(Cos::Client *client, const QString &bucket, const QString &prefix)
{
    Cos::ListObjectsParams params;
    params.prefix = prefix;
    Cos::ListObjectsJob *job = client->listObjects(bucket, params, 100);
    QMap<QString, QString> out;
    if (AppTest::run(job)) {
        for (const Cos::ObjectInfo &o : job->result().objects)
            out.insert(o.key.mid(prefix.size()), o.etag);
    }
    delete job;
    return out;
}

BatchListModel::Record uploadRecord(const QString &region, const QString &bucket,
                                    const QString &prefix, const QString &localDir)
{
    BatchListModel::Record r;
    r.direction = Cos::BatchTransfer::Direction::Upload;
    r.name = QFileInfo(localDir).fileName();
    r.region = region;
    r.bucket = bucket;
    r.prefix = prefix;
    r.localDir = localDir;
    return r;
}

/** A client of the sandbox through @p proxy, which limits what it sends to SlowBytesPerSecond. */
Cos::Client *slowClient(const SandboxEnv &env, FaultProxy *proxy, QObject *parent = nullptr)
{
    const QUrl real(env.endpoint);
    if (!proxy->start(QHostAddress(real.host()), quint16(real.port())))
        return nullptr;
    proxy->setRateLimit(SlowBytesPerSecond);
    SandboxEnv viaProxy = env;
    viaProxy.endpoint = u"http://127.0.0.1:%1"_s.arg(proxy->port());
    return AppTest::sandboxClient(viaProxy, parent);
}

// Two files in flight.
Cos::BatchOptions slowOptions()
{
    Cos::BatchOptions o;
    o.filesInFlight = 2;
    return o;
}

QString role(const BatchListModel &model, int row, int role)
{
    return model.data(model.index(row), role).toString();
}

// The copy of this executable that the kill test starts: one upload batch saved to the state
// file, a line "done N" on stdout for every file finished; it runs until killed.
int runDriver()
{
    const std::optional<SandboxEnv> env = SandboxEnv::fromEnvironment();
    if (!env)
        return 2;
    const QString stateFile = qEnvironmentVariable("TST_APP_BATCHES_STATE");
    const QString localDir = qEnvironmentVariable("TST_APP_BATCHES_DIR");
    const QString bucket = qEnvironmentVariable("TST_APP_BATCHES_BUCKET");
    const QString prefix = qEnvironmentVariable("TST_APP_BATCHES_PREFIX");
    FaultProxy proxy;
    Cos::Client *client = slowClient(*env, &proxy);
    if (!client)
        return 2;
    BatchListModel model;
    model.setStateFile(stateFile);
    model.setOptions(slowOptions());
    model.setClientFactory([client](const QString &, QString *) { return client; });
    QObject::connect(&model, &QAbstractItemModel::dataChanged, &model, [&model] {
        static qint64 last = -1;
        const qint64 done = model.progressAt(0).filesDone;
        if (done != last) {
            last = done;
            std::printf("done %lld\n", static_cast<long long>(done));
            std::fflush(stdout);
        }
    });
    QObject::connect(&model, &BatchListModel::batchFinished, &model,
                     [] { QCoreApplication::exit(3); }); // finished before the kill: too fast
    model.add(uploadRecord(env->region, bucket, prefix, localDir));
    return QCoreApplication::exec();
}

} // namespace

class TstAppBatches : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void rolesWithoutConnection();
    void restoreRefusesBadFiles();
    void viewOrderAndOverview();
    void pauseResumeCancel();
    void restoreAfterModelDestroyed();
    void restoreAfterKill();
    void historyAndRetry();
    void selectionAcrossPagesAndRefresh();
    void selectAllUnderFilter();

private:
    /** Batches through the sandbox's own port, or (@p slow) through the rate-limited proxy. */
    BatchListModel::ClientFactory factory(bool slow = false)
    {
        return [this, slow](const QString &, QString *) { return slow ? m_slowClient : m_client; };
    }
    /** Checks that @p prefix holds exactly @p tree, each object with the file's MD5. */
    void verifyRemote(const QString &prefix, const QMap<QString, QString> &tree);
    /**
     * Restores the batch of @p stateFile (at least @p savedAtLeast files done), resumes it and
     * checks that it sent only the missing files.
     */
    void restoreAndFinish(const QString &stateFile, const QString &prefix,
                          const QMap<QString, QString> &tree, qint64 savedAtLeast);

    std::optional<SandboxEnv> m_env;
    Cos::Client *m_client = nullptr;
    FaultProxy m_proxy;
    Cos::Client *m_slowClient = nullptr;
    QString m_bucket;
    QString m_browseBucket; // the seeded tree only, for the selection
    QTemporaryDir m_dir;
};

void TstAppBatches::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    // The sandbox tests skip without one; the offline ones run anyway.
    if (const std::optional<SandboxEnv> env = SandboxEnv::fromEnvironment()) {
        m_env = env;
        m_client = AppTest::sandboxClient(*env, this);
        m_slowClient = slowClient(*env, &m_proxy, this);
        QVERIFY(m_slowClient);
        m_bucket = AppTest::uniqueBucket(u"app-batches"_s);
        QVERIFY(AppTest::seedBucket(m_client, m_bucket));
        m_browseBucket = AppTest::uniqueBucket(u"app-select"_s);
        QVERIFY(AppTest::seedBucket(m_client, m_browseBucket));
    }
}

void TstAppBatches::cleanupTestCase()
{
    for (const QString &bucket : {m_bucket, m_browseBucket}) {
        if (m_client && !bucket.isEmpty())
            AppTest::purgeBucket(m_client, bucket);
    }
}

void TstAppBatches::verifyRemote(const QString &prefix, const QMap<QString, QString> &tree)
{
    const QMap<QString, QString> remote = remoteTree(m_client, m_bucket, prefix);
    QCOMPARE(remote.keys(), tree.keys()); // every file once, nothing else
    for (auto it = tree.cbegin(); it != tree.cend(); ++it)
        QVERIFY2(remote.value(it.key()) == it.value(), qPrintable(it.key()));
}

// Without a client a batch fails at once with a clear error; the roles say what can be done.
void TstAppBatches::rolesWithoutConnection()
{
    BatchListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClientFactory([](const QString &, QString *error) -> Cos::Client * {
        *error = u"Not connected: the signer is down."_s;
        return nullptr;
    });
    QSignalSpy count(&model, &BatchListModel::countChanged);
    QSignalSpy stats(&model, &BatchListModel::statsChanged);
    const int row = model.add(uploadRecord(u"ap-guangzhou"_s, u"bucket-1250000000"_s, u"photos/"_s,
                                           m_dir.filePath(u"nowhere"_s)));
    QCOMPARE(row, 0);
    QCOMPARE(model.count(), 1);
    QCOMPARE(count.count(), 1);
    QVERIFY(stats.count() >= 1);
    QCOMPARE(model.stateAt(0), u"failed"_s);
    QCOMPARE(model.failedCount(), 1);
    QCOMPARE(model.activeCount(), 0);
    const QHash<int, QByteArray> names = model.roleNames();
    for (const char *name :
         {"name", "direction", "batchState", "stateText", "filesText", "bytesText", "speedText",
          "etaText", "progress", "failedCount", "failures", "errorMessage", "canPause", "canResume",
          "canCancel", "canRetry", "sourceRow", "folderUrl"})
        QVERIFY2(names.values().contains(QByteArray(name)), name);
    QCOMPARE(role(model, 0, BatchListModel::NameRole), u"nowhere"_s);
    QCOMPARE(role(model, 0, BatchListModel::DirectionRole), u"upload"_s);
    QCOMPARE(role(model, 0, BatchListModel::ErrorRole), u"Not connected: the signer is down."_s);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanPauseRole).toBool(), false);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanCancelRole).toBool(), false);
    // Not connected can change: retry is offered.
    QCOMPARE(model.data(model.index(0), BatchListModel::CanRetryRole).toBool(), true);
    QCOMPARE(model.data(model.index(0), BatchListModel::SourceRowRole).toInt(), 0);
    QCOMPARE(model.data(model.index(0), BatchListModel::FolderUrlRole).toUrl(),
             QUrl::fromLocalFile(m_dir.filePath(u"nowhere"_s)));
    QCOMPARE(role(model, 0, BatchListModel::FilesTextRole), u"0 of 0+ files"_s);
    // Commands on rows that do not exist are ignored.
    model.pause(7);
    model.resume(-1);
    model.cancel(3);
    model.clearFinished();
    QCOMPARE(model.count(), 0);
    QCOMPARE(model.failedCount(), 0);
}

// A state file that is not ours, damaged, of another version or too large restores nothing
// and says why; entries that make no sense are dropped one by one.
void TstAppBatches::restoreRefusesBadFiles()
{
    const QString path = m_dir.filePath(u"bad/batches.json"_s);
    QDir().mkpath(QFileInfo(path).absolutePath());
    const auto write = [&path](const QByteArray &content) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(content) >= 0;
    };
    const auto restore = [&path](QString *error) {
        BatchListModel model;
        model.setStateFile(path);
        const int n = model.restore(error);
        return n == model.count() ? n : -1;
    };
    QString error;
    QCOMPARE(restore(&error), 0); // no file yet: nothing to say
    QVERIFY(error.isEmpty());
    QVERIFY(write("{\"version\": 1, \"batches\": [ {\"direction\""));
    QCOMPARE(restore(&error), 0);
    QVERIFY2(error.contains(u"is not a batch list"_s), qPrintable(error));
    QVERIFY(write("{\"version\": 7, \"batches\": []}"));
    QCOMPARE(restore(&error), 0);
    QVERIFY2(error.contains(u"version 1"_s), qPrintable(error));
    QVERIFY(write(QByteArray(5 * 1024 * 1024, ' ')));
    QCOMPARE(restore(&error), 0);
    QVERIFY2(error.contains(u"larger than"_s), qPrintable(error));

    const QJsonObject good {{u"direction"_s, u"download"_s},
                            {u"name"_s, u"photos"_s},
                            {u"region"_s, u"ap-guangzhou"_s},
                            {u"bucket"_s, u"bucket-1250000000"_s},
                            {u"prefix"_s, u"photos/"_s},
                            {u"localDir"_s, m_dir.path()},
                            {u"only"_s, QJsonArray {u"2024/"_s, u"cat.jpg"_s}},
                            {u"state"_s, u"running"_s},
                            {u"progress"_s,
                             QJsonObject {{u"filesSeen"_s, 40},
                                          {u"filesDone"_s, 900}, // more than seen: capped
                                          {u"bytesTotal"_s, 4096},
                                          {u"bytesDone"_s, -5},
                                          {u"walkDone"_s, true}}}};
    QJsonArray entries {good};
    for (const auto &[field, value] :
         QList<QPair<QString, QJsonValue>> {{u"direction"_s, u"sideways"_s},
                                            {u"bucket"_s, QString()},
                                            {u"localDir"_s, u"relative/dir"_s},
                                            {u"prefix"_s, u"no-slash"_s},
                                            {u"state"_s, u"exploded"_s}}) {
        QJsonObject bad = good;
        bad.insert(field, value);
        entries.append(bad);
    }
    entries.append(42);
    QVERIFY(write(QJsonDocument(QJsonObject {{u"version"_s, 1}, {u"batches"_s, entries}}).toJson()));
    BatchListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setStateFile(path);
    QCOMPARE(model.restore(&error), 1);
    QVERIFY2(error.contains(u"6 saved batch transfers could not be read"_s), qPrintable(error));
    QCOMPARE(model.stateAt(0), u"paused"_s); // running when the app ended
    QCOMPARE(model.pausedCount(), 1);
    QCOMPARE(model.recordAt(0).only, (QStringList {u"2024/"_s, u"cat.jpg"_s}));
    QCOMPARE(model.recordAt(0).direction, Cos::BatchTransfer::Direction::Download);
    QCOMPARE(model.progressAt(0).filesDone, qint64(40));
    QCOMPARE(model.progressAt(0).bytesDone, qint64(0));
    QCOMPARE(role(model, 0, BatchListModel::FilesTextRole), u"40 of 40 files"_s);
    QCOMPARE(role(model, 0, BatchListModel::StateTextRole), u"Paused"_s);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanResumeRole).toBool(), true);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanCancelRole).toBool(), true);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanPauseRole).toBool(), false);
    // Resumed without a connection: failed, with the reason, and the row is still there.
    model.resume(0);
    QCOMPARE(model.stateAt(0), u"failed"_s);
    QVERIFY(!role(model, 0, BatchListModel::ErrorRole).isEmpty());
}

// The Transfers page's batch list: unfinished first, then failed, then finished (newest
// first), filtered by the tabs; the summary and the overall line count batches too.
void TstAppBatches::viewOrderAndOverview()
{
    const auto entry = [this](const QString &name, const QString &state, qint64 done, qint64 total) {
        return QJsonObject {{u"direction"_s, u"upload"_s},
                            {u"name"_s, name},
                            {u"bucket"_s, u"bucket-1250000000"_s},
                            {u"localDir"_s, m_dir.path()},
                            {u"state"_s, state},
                            {u"progress"_s,
                             QJsonObject {{u"filesSeen"_s, 10},
                                          {u"filesDone"_s, 5},
                                          {u"bytesTotal"_s, total},
                                          {u"bytesDone"_s, done},
                                          {u"walkDone"_s, true}}}};
    };
    const QString path = m_dir.filePath(u"view/batches.json"_s);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(QJsonObject {{u"version"_s, 1},
                                       {u"batches"_s,
                                        QJsonArray {entry(u"old"_s, u"succeeded"_s, 100, 100),
                                                    entry(u"broken"_s, u"failed"_s, 10, 100),
                                                    entry(u"waiting"_s, u"paused"_s, 1024, 4096),
                                                    entry(u"newer"_s, u"succeeded"_s, 100, 100)}}})
                    .toJson());
    f.close();
    BatchListModel batches;
    batches.setStateFile(path);
    QCOMPARE(batches.restore(), 4);
    TransferFilterModel view;
    QAbstractItemModelTester tester(&view, QAbstractItemModelTester::FailureReportingMode::QtTest);
    view.setStateRoleName(u"batchState"_s);
    view.setSource(&batches);
    const auto order = [&view] {
        QStringList names;
        for (int i = 0; i < view.count(); ++i)
            names.append(view.index(i, 0).data(BatchListModel::NameRole).toString());
        return names;
    };
    QCOMPARE(order(), (QStringList {u"waiting"_s, u"broken"_s, u"newer"_s, u"old"_s}));
    QCOMPARE(view.sourceRow(0), 2);
    QCOMPARE(view.index(0, 0).data(BatchListModel::SourceRowRole).toInt(), 2);
    view.setFilter(u"active"_s);
    QCOMPARE(order(), QStringList {u"waiting"_s});
    view.setFilter(u"failed"_s);
    QCOMPARE(order(), QStringList {u"broken"_s});
    view.setFilter(u"finished"_s);
    QCOMPARE(order(), (QStringList {u"newer"_s, u"old"_s}));

    TransferListModel transfers;
    TransferOverview overview;
    overview.setTransfers(&transfers);
    overview.setBatches(&batches);
    QCOMPARE(overview.summary(), u"1 paused, 1 failed"_s);
    QCOMPARE(overview.activeCount(), 1);
    QCOMPARE(overview.failedCount(), 1);
    QCOMPARE(overview.finishedCount(), 2);
    QCOMPARE(overview.progress(), 0.25); // the paused batch's 1 KiB of 4 KiB
    QCOMPARE(overview.text(), QString()); // nothing moves
    QSignalSpy changed(&overview, &TransferOverview::changed);
    batches.clearFinished();
    QVERIFY(changed.count() >= 1);
    QCOMPARE(overview.summary(), u"1 paused"_s);
    QCOMPARE(overview.finishedCount(), 0);
    QCOMPARE(view.count(), 0); // the filter is still "finished"
    view.setFilter(u"all"_s);
    QCOMPARE(order(), QStringList {u"waiting"_s});
}

void TstAppBatches::pauseResumeCancel()
{
    COS_REQUIRE_SANDBOX(env);
    const QString local = m_dir.filePath(u"pause-tree"_s);
    const QMap<QString, QString> tree = writeTree(local, u"pause"_s);
    QCOMPARE(tree.size(), TreeFiles);
    BatchListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClientFactory(factory(true));
    model.setOptions(slowOptions());
    QSignalSpy active(&model, &BatchListModel::activeCountChanged);
    QSignalSpy finished(&model, &BatchListModel::batchFinished);
    model.add(uploadRecord(env.region, m_bucket, u"pause/"_s, local));
    QCOMPARE(model.stateAt(0), u"running"_s);
    QCOMPARE(model.activeCount(), 1);
    QCOMPARE(model.runningCount(), 1);
    QCOMPARE(active.count(), 1);
    QCOMPARE(role(model, 0, BatchListModel::StateTextRole), u"Uploading"_s);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanPauseRole).toBool(), true);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanResumeRole).toBool(), false);
    QTRY_VERIFY_WITH_TIMEOUT(model.progressAt(0).filesDone >= 20, 60000);

    model.pause(0);
    QCOMPARE(model.stateAt(0), u"paused"_s);
    QCOMPARE(model.activeCount(), 0);
    QCOMPARE(model.pausedCount(), 1);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanPauseRole).toBool(), false);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanResumeRole).toBool(), true);
    QCOMPARE(model.data(model.index(0), BatchListModel::CanRetryRole).toBool(), false);
    QCOMPARE(role(model, 0, BatchListModel::SpeedTextRole), QString());
    QCOMPARE(role(model, 0, BatchListModel::EtaTextRole), QString());
    QTest::qWait(300); // files in flight settle
    const qint64 doneAtPause = model.progressAt(0).filesDone;
    QVERIFY(doneAtPause < TreeFiles);
    QTest::qWait(500); // nothing moves while paused
    QCOMPARE(model.progressAt(0).filesDone, doneAtPause);
    QCOMPARE(finished.count(), 0); // a pause is not an end

    model.resume(0);
    QCOMPARE(model.stateAt(0), u"running"_s);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(0), u"succeeded"_s, 120000);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(finished.at(0).at(2).toInt(), 0); // no file failed
    const Cos::BatchProgress p = model.progressAt(0);
    QCOMPARE(p.filesSeen, qint64(TreeFiles));
    QVERIFY2(p.filesSkipped >= doneAtPause, qPrintable(QString::number(p.filesSkipped)));
    QCOMPARE(p.filesSkipped + p.filesTransferred, qint64(TreeFiles));
    QCOMPARE(model.data(model.index(0), BatchListModel::ProgressRole).toDouble(), 1.0);
    QCOMPARE(role(model, 0, BatchListModel::StateTextRole), u"Uploaded"_s);
    QCOMPARE(role(model, 0, BatchListModel::FilesTextRole), u"200 of 200 files"_s);
    QCOMPARE(model.finishedCount(), 1);
    verifyRemote(u"pause/"_s, tree);

    // Cancel: for good, no resume.
    model.add(uploadRecord(env.region, m_bucket, u"cancel/"_s, local));
    QCOMPARE(model.count(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(model.progressAt(1).filesDone >= 5, 60000);
    model.cancel(1);
    QCOMPARE(model.stateAt(1), u"canceled"_s);
    QCOMPARE(role(model, 1, BatchListModel::StateTextRole), u"Canceled"_s);
    QCOMPARE(model.data(model.index(1), BatchListModel::CanResumeRole).toBool(), false);
    QCOMPARE(model.data(model.index(1), BatchListModel::CanCancelRole).toBool(), false);
    model.resume(1);
    QCOMPARE(model.stateAt(1), u"canceled"_s);
    QCOMPARE(model.finishedCount(), 2);
    model.clearFinished();
    QCOMPARE(model.count(), 0);
}

void TstAppBatches::restoreAndFinish(const QString &stateFile, const QString &prefix,
                                     const QMap<QString, QString> &tree, qint64 savedAtLeast)
{
    // What arrived before the stop; whatever was in flight either arrived whole or not at all
    // (after a moment for the proxy to pass on or drop what it still held).
    QTest::qWait(1000);
    const int present = int(remoteTree(m_client, m_bucket, prefix).size());
    QVERIFY2(present > 0 && present < TreeFiles, qPrintable(QString::number(present)));

    BatchListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setClientFactory(factory());
    model.setOptions(slowOptions());
    model.setStateFile(stateFile);
    QString error;
    QCOMPARE(model.restore(&error), 1);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(model.stateAt(0), u"paused"_s);
    QCOMPARE(model.recordAt(0).prefix, prefix);
    // Its counts as last saved (at most a save interval old): never more than arrived.
    const Cos::BatchProgress saved = model.progressAt(0);
    QVERIFY2(saved.filesDone >= savedAtLeast && saved.filesDone <= present,
             qPrintable(u"%1 done, %2 present"_s.arg(saved.filesDone).arg(present)));
    QVERIFY(role(model, 0, BatchListModel::FilesTextRole)
                    .startsWith(QString::number(saved.filesDone) + u" of "_s));

    QSignalSpy finished(&model, &BatchListModel::batchFinished);
    model.resume(0);
    QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(0), u"succeeded"_s, 120000);
    QCOMPARE(finished.count(), 1);
    // Only what was missing went: every file already there was skipped (same size and ETag).
    const Cos::BatchProgress p = model.progressAt(0);
    QCOMPARE(p.filesSkipped, qint64(present));
    QCOMPARE(p.filesTransferred, qint64(TreeFiles - present));
    QCOMPARE(p.filesFailed, qint64(0));
    verifyRemote(prefix, tree);

    // Finished, it stays in the history, and a model after the next start shows it so.
    QFile file(stateFile);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray saved2 = file.readAll();
    QVERIFY2(saved2.size() < 2048, qPrintable(QString::number(saved2.size()))); // no row per file
    BatchListModel again;
    again.setStateFile(stateFile);
    QCOMPARE(again.restore(), 1);
    QCOMPARE(again.stateAt(0), u"succeeded"_s);
    QCOMPARE(again.progressAt(0).filesTransferred, qint64(TreeFiles - present));
    QCOMPARE(role(again, 0, BatchListModel::FilesTextRole), u"200 of 200 files"_s);
}

// ~200 files; the model (as at app exit) is destroyed mid-way; a new one restores the batch as
// paused with its counts, and resume sends only the rest.
void TstAppBatches::restoreAfterModelDestroyed()
{
    COS_REQUIRE_SANDBOX(env);
    const QString local = m_dir.filePath(u"restore-tree"_s);
    const QMap<QString, QString> tree = writeTree(local, u"restore"_s);
    QCOMPARE(tree.size(), TreeFiles);
    const QString stateFile = m_dir.filePath(u"restore/batches.json"_s);
    qint64 doneBefore = 0;
    {
        auto *model = new BatchListModel;
        model->setClientFactory(factory(true));
        model->setOptions(slowOptions());
        model->setStateFile(stateFile);
        model->add(uploadRecord(env.region, m_bucket, u"restore/"_s, local));
        QVERIFY(QFileInfo::exists(stateFile)); // saved as soon as it starts
        QTRY_VERIFY_WITH_TIMEOUT(model->progressAt(0).filesDone >= 60, 60000);
        QCOMPARE(model->stateAt(0), u"running"_s);
        doneBefore = model->progressAt(0).filesDone;
        delete model;
    }
    restoreAndFinish(stateFile, u"restore/"_s, tree, doneBefore);
}

// The same with the process killed (SIGKILL: no destructor, no last save) mid-batch.
void TstAppBatches::restoreAfterKill()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env) // the driver reads the same variables
    const QString local = m_dir.filePath(u"kill-tree"_s);
    const QMap<QString, QString> tree = writeTree(local, u"kill"_s);
    QCOMPARE(tree.size(), TreeFiles);
    const QString stateFile = m_dir.filePath(u"kill/batches.json"_s);
    QProcess driver;
    QProcessEnvironment penv = QProcessEnvironment::systemEnvironment();
    penv.insert(QString::fromLatin1(DriverVariable), u"1"_s);
    penv.insert(u"TST_APP_BATCHES_STATE"_s, stateFile);
    penv.insert(u"TST_APP_BATCHES_DIR"_s, local);
    penv.insert(u"TST_APP_BATCHES_BUCKET"_s, m_bucket);
    penv.insert(u"TST_APP_BATCHES_PREFIX"_s, u"kill/"_s);
    driver.setProcessEnvironment(penv);
    driver.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    driver.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(driver.waitForStarted());
    qint64 done = 0;
    const auto readProgress = [&driver, &done] {
        while (driver.canReadLine()) {
            const QByteArray line = driver.readLine().trimmed();
            if (line.startsWith("done "))
                done = line.mid(5).toLongLong();
        }
    };
    QDeadlineTimer deadline(60000);
    while (done < 60 && !deadline.hasExpired() && driver.state() == QProcess::Running) {
        driver.waitForReadyRead(1000);
        readProgress();
    }
    QVERIFY2(driver.state() == QProcess::Running,
             qPrintable(u"the driver ended first (exit %1)"_s.arg(driver.exitCode())));
    QVERIFY2(done >= 60, qPrintable(QString::number(done)));
    // Past the save interval, so that the file holds counts, not only the start.
    QTest::qWait(BatchListModel::SaveIntervalMs + 200);
    driver.kill(); // SIGKILL
    QVERIFY(driver.waitForFinished(10000));
    QCOMPARE(driver.exitStatus(), QProcess::CrashExit);
    readProgress();
    QVERIFY2(done < TreeFiles, qPrintable(QString::number(done)));
    restoreAndFinish(stateFile, u"kill/"_s, tree, 1);
}

// Failed and succeeded batches stay in the history (the newest MaxSavedFinished); canceled ones
// are not kept. A batch that failed for a reason that will not change offers no retry.
void TstAppBatches::historyAndRetry()
{
    COS_REQUIRE_SANDBOX(env);
    const QString stateFile = m_dir.filePath(u"history/batches.json"_s);
    const QString local = m_dir.filePath(u"history-tree"_s);
    QDir().mkpath(local);
    QVERIFY(AppTest::writeFile(local + u"/one.bin"_s, 1000));
    {
        BatchListModel model;
        model.setClientFactory(factory());
        model.setStateFile(stateFile);
        model.add(uploadRecord(env.region, u"no-such-bucket-app-batches"_s, QString(), local));
        QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(0), u"failed"_s, 60000);
        QCOMPARE(model.data(model.index(0), BatchListModel::CanRetryRole).toBool(), false);
        QCOMPARE(model.data(model.index(0), BatchListModel::CanResumeRole).toBool(), false);
        model.resume(0); // ignored: it would fail the same way
        QCOMPARE(model.stateAt(0), u"failed"_s);
        model.add(uploadRecord(env.region, m_bucket, u"history/"_s, local));
        QTRY_COMPARE_WITH_TIMEOUT(model.stateAt(1), u"succeeded"_s, 60000);
        // Canceled: not kept.
        model.add(uploadRecord(env.region, m_bucket, u"history-canceled/"_s, local));
        model.cancel(2);
        QCOMPARE(model.stateAt(2), u"canceled"_s);
    }
    BatchListModel model;
    model.setStateFile(stateFile);
    QCOMPARE(model.restore(), 2);
    QCOMPARE(model.stateAt(0), u"failed"_s);
    QVERIFY(!role(model, 0, BatchListModel::ErrorRole).isEmpty()
            || !model.data(model.index(0), BatchListModel::FailuresRole).toStringList().isEmpty());
    QCOMPARE(model.data(model.index(0), BatchListModel::CanRetryRole).toBool(), false);
    QCOMPARE(model.stateAt(1), u"succeeded"_s);
    QCOMPARE(model.finishedCount(), 1);
    QCOMPARE(model.failedCount(), 1);
    // Clear removes them from the file too.
    model.clearFinished();
    BatchListModel empty;
    empty.setStateFile(stateFile);
    QCOMPARE(empty.restore(), 0);
}

// Rows picked on the first page stay picked when later pages arrive and after a refresh;
// Shift-click spans pages; another folder clears the selection.
void TstAppBatches::selectionAcrossPagesAndRefresh()
{
    COS_REQUIRE_SANDBOX(env);
    ObjectListModel objects;
    objects.setPageSize(3);
    ObjectSelection selection(&objects);
    QSignalSpy changed(&selection, &ObjectSelection::changed);
    objects.setLocation(m_client, m_browseBucket, env.region);
    QTRY_VERIFY_WITH_TIMEOUT(objects.isLoaded() && !objects.isLoading(), 30000);
    QCOMPARE(objects.rowCount(), 3); // the first page: a.bin, docs/, empty/
    selection.toggle(u"docs/"_s, true);
    QCOMPARE(selection.count(), 1);
    QCOMPARE(selection.folderCount(), 1);
    QVERIFY(selection.isSelected(u"docs/"_s));
    const int revision = selection.revision();
    while (objects.canFetchMore({})) {
        objects.fetchMore({});
        QTRY_VERIFY_WITH_TIMEOUT(!objects.isLoading(), 30000);
    }
    QCOMPARE(objects.rowCount(), 8);
    QCOMPARE(selection.keys(), QStringList {u"docs/"_s});
    QCOMPARE(selection.revision(), revision); // pages arriving change nothing
    // Shift-click from docs/ (row 0) to notes.md (row 4, a later page).
    selection.extendTo(4);
    QCOMPARE(selection.keys(),
             (QStringList {u"a.bin"_s, u"docs/"_s, u"empty/"_s, u"media/"_s, u"notes.md"_s}));
    QCOMPARE(selection.fileKeys(), (QStringList {u"a.bin"_s, u"notes.md"_s}));
    QCOMPARE(selection.folderKeys(), (QStringList {u"docs/"_s, u"empty/"_s, u"media/"_s}));
    selection.toggle(u"a.bin"_s, false);
    QCOMPARE(selection.count(), 4);
    selection.setSelected(u"z.log"_s, false, true);
    selection.setSelected(u"z.log"_s, false, true); // no change
    QCOMPARE(selection.count(), 5);
    const int beforeRefresh = changed.count();
    objects.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!objects.isLoading(), 30000);
    QCOMPARE(selection.count(), 5);
    QCOMPARE(changed.count(), beforeRefresh);
    selection.remove({u"z.log"_s, u"not-selected"_s});
    QCOMPARE(selection.count(), 4);
    objects.openFolder(u"docs/"_s);
    QCOMPARE(selection.count(), 0);
    selection.extendTo(99); // out of range: nothing
    QCOMPARE(selection.count(), 0);
}

// Select all takes the rows shown under the filter, not the hidden ones.
void TstAppBatches::selectAllUnderFilter()
{
    COS_REQUIRE_SANDBOX(env);
    ObjectListModel objects;
    ObjectSelection selection(&objects);
    objects.setLocation(m_client, m_browseBucket, env.region);
    QTRY_VERIFY_WITH_TIMEOUT(objects.isLoaded() && !objects.isLoading(), 30000);
    objects.setFilter(u"RE"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!objects.isLoading(), 30000);
    selection.selectAll();
    QCOMPARE(selection.keys(), (QStringList {u"readme.txt"_s, u"report.json"_s}));
    objects.setFilter(QString());
    QTRY_VERIFY_WITH_TIMEOUT(!objects.isLoading(), 30000);
    QCOMPARE(selection.count(), 2); // clearing the filter keeps the pick
    selection.selectAll();
    QCOMPARE(selection.count(), 8);
    selection.clear();
    QCOMPARE(selection.count(), 0);
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(DriverVariable)) {
        QCoreApplication app(argc, argv);
        QStandardPaths::setTestModeEnabled(true);
        return runDriver();
    }
    QCoreApplication app(argc, argv);
    PluralTranslator plurals; // "1 file", "200 files", as the app shows them
    QCoreApplication::installTranslator(&plurals);
    TstAppBatches test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_app_batches.moc"
