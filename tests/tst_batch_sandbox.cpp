// Batches: include/exclude globs (no network), deleting a prefix page by page (DeleteObjects,
// 1000 keys a request, a dry run, a filter, keys refused by a bucket policy) and whole trees
// up and down with BatchTransfer against the sandbox's RGW.
#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/net/requestjournal.h"
#include "cos/transfer/batchtransfer.h"
#include "cos/transfer/downloadtask.h"
#include "cos/transfer/pathfilter.h"
#include "sandboxenv.h"
#include "sandboxpurge.h"
#include "scriptedhttpserver.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

bool runJob(Job *job, int timeoutMs = 120000)
{
    QSignalSpy spy(job, &Job::finished);
    job->start();
    return spy.size() == 1 || spy.wait(timeoutMs);
}

std::unique_ptr<Client> makeClient(const SandboxEnv &env, const Credentials &keys = {})
{
    Credentials c = keys;
    if (c.isEmpty()) {
        c.secretId = env.secretId;
        c.secretKey = env.secretKey;
    }
    auto client = std::make_unique<Client>(Endpoint::s3(QUrl(env.endpoint), env.region,
                                                        env.pathStyle),
                                           new StaticCredentialProvider(c, u"sandbox"_s));
    client->setTransferTimeout(30000);
    return client;
}

// PUTs @p keys (body: the key) with up to 16 requests in flight.
bool putMany(Client *client, const QString &bucket, const QStringList &keys)
{
    qsizetype next = 0;
    int running = 0;
    bool ok = true;
    QEventLoop loop;
    std::function<void()> fill = [&] {
        while (running < 16 && next < keys.size()) {
            const QString key = keys.at(next++);
            PutObjectParams params;
            const QByteArray body = key.toUtf8();
            params.contentLength = body.size();
            RequestJob *job = client->newRequestJob(
                    client->builder().putObject(bucket, key, params));
            job->setBody(body);
            ++running;
            QObject::connect(job, &Job::finished, &loop, [&, job] {
                if (job->error()) {
                    qWarning() << "put failed:" << job->error().toString();
                    ok = false;
                }
                job->deleteLater();
                --running;
                fill();
                if (running == 0)
                    loop.quit();
            });
            job->start();
        }
    };
    fill();
    if (running > 0)
        loop.exec();
    return ok;
}

// Every key under @p prefix, in order.
QStringList listAll(Client *client, const QString &bucket, const QString &prefix = {})
{
    ListObjectsParams params;
    params.prefix = prefix;
    std::unique_ptr<ListObjectsJob> job(client->listObjects(bucket, params, 0));
    if (!runJob(job.get()) || job->error()) {
        qWarning() << "list failed:" << job->error().toString();
        return {u"<list failed>"_s};
    }
    QStringList keys;
    for (const ObjectInfo &o : job->result().objects)
        keys.append(o.key);
    return keys;
}

// Writes @p size pseudo-random bytes (seeded) to @p path, creating folders.
bool writeFile(const QString &path, qint64 size, quint32 seed)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QRandomGenerator gen(seed);
    QByteArray chunk(64 * 1024, Qt::Uninitialized);
    for (qint64 done = 0; done < size;) {
        const qint64 n = std::min<qint64>(chunk.size(), size - done);
        gen.fillRange(reinterpret_cast<quint32 *>(chunk.data()), chunk.size() / 4);
        if (f.write(chunk.constData(), n) != n)
            return false;
        done += n;
    }
    return true;
}

// Writes @p body to @p path, creating folders.
bool writeBytes(const QString &path, const QByteArray &body)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(body) == body.size();
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

// Runs a batch to its end; records every result, and the most tasks ever alive at once.
struct BatchRun
{
    QList<BatchTransfer::FileResult> results;
    int maxTasks = 0;

    int count(BatchTransfer::Action action) const
    {
        return int(std::count_if(results.cbegin(), results.cend(),
                                 [action](const auto &r) { return r.action == action; }));
    }
    QStringList paths(BatchTransfer::Action action) const
    {
        QStringList out;
        for (const auto &r : results) {
            if (r.action == action)
                out.append(r.path);
        }
        out.sort();
        return out;
    }
};

BatchRun runBatch(BatchTransfer *batch)
{
    BatchRun run;
    QObject::connect(batch, &BatchTransfer::fileFinished, batch,
                     [&run, batch](const BatchTransfer::FileResult &r) {
                         run.results.append(r);
                         run.maxTasks = std::max(run.maxTasks, batch->tasksAlive());
                     });
    QObject::connect(batch, &BatchTransfer::progressChanged, batch,
                     [&run, batch] { run.maxTasks = std::max(run.maxTasks, batch->tasksAlive()); });
    if (!runJob(batch, 240000))
        qWarning() << "the batch did not finish";
    return run;
}

// Options that make files of 1 MiB and more multipart in 1 MiB parts, checkpoints in @p dir.
BatchOptions multipartOptions(const QTemporaryDir &dir)
{
    BatchOptions options;
    options.upload.multipartThreshold = 1024 * 1024;
    options.upload.partSize = 1024 * 1024;
    options.upload.checkpointDirectory = dir.filePath(u"ck"_s);
    options.download.checkpointDirectory = dir.filePath(u"ck"_s);
    return options;
}

// A bucket policy that denies @p action on @p keyPattern (under @p bucket) to everyone.
QByteArray denyPolicy(const QString &bucket, const QString &action, const QString &keyPattern)
{
    return uR"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*",
        "Action":["%1"],"Resource":["arn:aws:s3:::%2/%3"]}]})"_s.arg(action, bucket, keyPattern)
            .toUtf8();
}

// PUT Bucket policy (DELETE when @p policy is empty), built by hand: the engine has no call
// for it.
bool setBucketPolicy(Client *client, const QString &bucket, const QByteArray &policy)
{
    BuildResult b = client->builder().headBucket(bucket);
    b.request.method = policy.isEmpty() ? "DELETE"_ba : "PUT"_ba;
    b.request.query.append({u"policy"_s, QString()});
    if (!policy.isEmpty()) {
        b.request.body = policy;
        b.request.setHeader(u"Content-Type"_s, u"application/json"_s);
        b.request.setHeader(u"Content-Length"_s, QString::number(policy.size()));
        b.request.payloadHash = QCryptographicHash::hash(policy, QCryptographicHash::Sha256).toHex();
    }
    std::unique_ptr<RequestJob> job(client->newRequestJob(b));
    if (!runJob(job.get()) || job->error()) {
        qWarning() << "bucket policy:" << job->error().toString();
        return false;
    }
    return true;
}

} // namespace

class TstBatchSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void pathFilter_data();
    void pathFilter();
    void pathFilterErrors();
    void deletePrefix();
    void deletePrefixRefusedKeys();
    void treeRoundTrip();
    void oneFileRefused();
    void fileVanishesMidBatch();
    void fileChangesDuringUpload();
    void badInput();
    void downloadWithKnownObject();
    void flatDownloadStreamsPages();
    void onlySelectedEntries();
    void syncStreamsLargeFolders();
    void uploadListsOnlyAroundLocalFiles();
    void uploadListingEndsWithTheWalk();
    void largeFilesShareTheRequestBudget();
    void resumedBytesAreNotMoved();
    void copyAndMovePrefix();

private:
    std::optional<SandboxEnv> m_env;
    std::unique_ptr<Client> m_client;
    QString m_bucket;
};

void TstBatchSandbox::initTestCase()
{
    m_env = SandboxEnv::fromEnvironment();
    if (!m_env)
        return;
    m_client = makeClient(*m_env);
    m_bucket = u"batch-%1-%2"_s.arg(QDateTime::currentSecsSinceEpoch())
                       .arg(QRandomGenerator::global()->bounded(100000));
    std::unique_ptr<RequestJob> create(m_client->createBucket(m_bucket));
    QVERIFY(runJob(create.get()));
    QVERIFY2(!create->error(), qPrintable(create->error().toString()));
}

void TstBatchSandbox::cleanupTestCase()
{
    if (m_client && !m_bucket.isEmpty()) {
        const QString error = purgeSandboxBucket(m_client.get(), m_bucket);
        if (!error.isEmpty())
            qWarning() << "cleanup:" << error;
    }
}

void TstBatchSandbox::pathFilter_data()
{
    QTest::addColumn<QStringList>("include");
    QTest::addColumn<QStringList>("exclude");
    QTest::addColumn<QString>("path");
    QTest::addColumn<bool>("selected");

    const QStringList none;
    QTest::newRow("no patterns") << none << none << u"a/b/c.txt"_s << true;
    QTest::newRow("name glob, nested")
            << QStringList {u"*.jpg"_s} << none << u"a/b/c.jpg"_s << true;
    QTest::newRow("name glob, other")
            << QStringList {u"*.jpg"_s} << none << u"a/b/c.png"_s << false;
    QTest::newRow("star stays in segment")
            << QStringList {u"a/*.txt"_s} << none << u"a/b/c.txt"_s << false;
    QTest::newRow("star in segment") << QStringList {u"a/*.txt"_s} << none << u"a/c.txt"_s << true;
    QTest::newRow("double star") << QStringList {u"a/**"_s} << none << u"a/b/c.txt"_s << true;
    QTest::newRow("double star slash, no folder")
            << QStringList {u"a/**/c.txt"_s} << none << u"a/c.txt"_s << true;
    QTest::newRow("double star slash, folders")
            << QStringList {u"a/**/c.txt"_s} << none << u"a/x/y/c.txt"_s << true;
    QTest::newRow("question mark") << QStringList {u"?.txt"_s} << none << u"d/x.txt"_s << true;
    QTest::newRow("question mark, two") << QStringList {u"?.txt"_s} << none << u"xy.txt"_s << false;
    QTest::newRow("class") << QStringList {u"[ab].txt"_s} << none << u"b.txt"_s << true;
    QTest::newRow("negated class") << QStringList {u"[!ab].txt"_s} << none << u"b.txt"_s << false;
    QTest::newRow("exclude wins") << QStringList {u"*.txt"_s} << QStringList {u"tmp/**"_s}
                                  << u"tmp/x.txt"_s << false;
    QTest::newRow("exclude only") << none << QStringList {u"*.tmp"_s} << u"a/b.tmp"_s << false;
    QTest::newRow("exclude other") << none << QStringList {u"*.tmp"_s} << u"a/b.txt"_s << true;
    QTest::newRow("regex characters literal")
            << QStringList {u"a+(1).txt"_s} << none << u"a+(1).txt"_s << true;
    QTest::newRow("dot literal") << QStringList {u"a.txt"_s} << none << u"abtxt"_s << false;
    QTest::newRow("unicode and space")
            << QStringList {u"* wörld*"_s} << none << u"d/hello wörld+1.txt"_s << true;
    QTest::newRow("unclosed bracket literal") << QStringList {u"[a"_s} << none << u"[a"_s << true;
}

void TstBatchSandbox::pathFilter()
{
    QFETCH(QStringList, include);
    QFETCH(QStringList, exclude);
    QFETCH(QString, path);
    QFETCH(bool, selected);
    Error error;
    const PathFilter filter(include, exclude, &error);
    QVERIFY2(!error, qPrintable(error.toString()));
    QCOMPARE(filter.selects(path), selected);
}

void TstBatchSandbox::pathFilterErrors()
{
    Error error;
    const PathFilter empty({u""_s}, {}, &error);
    QCOMPARE(error.kind(), Error::Kind::InvalidInput);
    QVERIFY(error.message().contains(u"empty"_s));
    QVERIFY(empty.isEmpty());
}

void TstBatchSandbox::deletePrefix()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    // 2,345 keys under del/ (three pages of 1000), three beside it that must stay.
    QStringList keys;
    for (int i = 0; i < 2345; ++i)
        keys.append(u"del/%1/k%2"_s.arg(i % 7).arg(i, 5, 10, QChar(u'0')));
    keys << u"del/ü n+i.txt"_s << u"del/keep.log"_s;
    const QStringList others {u"del2/x"_s, u"dex"_s, u"other/del/y"_s};
    QVERIFY(putMany(m_client.get(), m_bucket, keys + others));

    // A dry run names every key and deletes none.
    {
        DeletePrefixJob dry(m_client.get(), m_bucket, u"del/"_s);
        dry.setDryRun(true);
        QStringList named;
        connect(&dry, &DeletePrefixJob::deleted, this,
                [&named](const QStringList &k) { named += k; });
        QVERIFY(runJob(&dry));
        QVERIFY2(!dry.error(), qPrintable(dry.error().toString()));
        QCOMPARE(dry.deletedCount(), keys.size());
        QCOMPARE(named.size(), keys.size());
        QCOMPARE(listAll(m_client.get(), m_bucket, u"del/"_s).size(), keys.size());
    }
    // A filter keeps *.log.
    DeletePrefixJob job(m_client.get(), m_bucket, u"del/"_s);
    job.setFilter([](const QString &key) { return !key.endsWith(u".log"_s); });
    QSignalSpy requests(&job, &DeletePrefixJob::deleted);
    QVERIFY(runJob(&job));
    QVERIFY2(!job.error(), qPrintable(job.error().toString()));
    QCOMPARE(job.deletedCount(), keys.size() - 1);
    QCOMPARE(job.failureCount(), 0);
    QVERIFY(job.failures().isEmpty());
    QCOMPARE(job.pagesListed(), 3);
    QCOMPARE(requests.size(), 3); // one DeleteObjects per page
    for (const QList<QVariant> &args : std::as_const(requests))
        QVERIFY(args.at(0).toStringList().size() <= 1000);
    QCOMPARE(listAll(m_client.get(), m_bucket, u"del/"_s), QStringList {u"del/keep.log"_s});
    QCOMPARE(listAll(m_client.get(), m_bucket, u"d"_s),
             (QStringList {u"del/keep.log"_s, u"del2/x"_s, u"dex"_s}));

    // Nothing under the prefix: success, nothing deleted.
    DeletePrefixJob empty(m_client.get(), m_bucket, u"nothing-here/"_s);
    QVERIFY(runJob(&empty));
    QVERIFY(!empty.error());
    QCOMPARE(empty.deletedCount(), 0);

    // A missing bucket fails the job.
    DeletePrefixJob missing(m_client.get(), m_bucket + u"-missing"_s, {});
    QVERIFY(runJob(&missing));
    QCOMPARE(missing.error().code(), u"NoSuchBucket"_s);
}

void TstBatchSandbox::deletePrefixRefusedKeys()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    const QStringList keys {u"ref/a"_s, u"ref/b"_s, u"ref/locked/c"_s, u"ref/locked/d"_s,
                            u"ref/z"_s};
    QVERIFY(putMany(m_client.get(), m_bucket, keys));
    // The bucket policy refuses deletes under ref/locked/: DeleteObjects answers 200 with an
    // <Error> per refused key.
    QVERIFY(setBucketPolicy(m_client.get(), m_bucket,
                            denyPolicy(m_bucket, u"s3:DeleteObject"_s, u"ref/locked/*"_s)));
    DeletePrefixJob job(m_client.get(), m_bucket, u"ref/"_s);
    QList<DeleteFailure> announced;
    connect(&job, &DeletePrefixJob::failed, this,
            [&announced](const QList<DeleteFailure> &f) { announced += f; });
    const bool finished = runJob(&job);
    QVERIFY(setBucketPolicy(m_client.get(), m_bucket, {}));
    QVERIFY(finished);
    QVERIFY2(!job.error(), qPrintable(job.error().toString()));
    QCOMPARE(job.deletedCount(), 3);
    QCOMPARE(job.failureCount(), 2);
    QCOMPARE(announced.size(), 2);
    QCOMPARE(job.failures().size(), 2);
    QCOMPARE(job.failures().at(0).key, u"ref/locked/c"_s);
    QCOMPARE(job.failures().at(0).code, u"AccessDenied"_s);
    QCOMPARE(listAll(m_client.get(), m_bucket, u"ref/"_s),
             (QStringList {u"ref/locked/c"_s, u"ref/locked/d"_s}));
}

// The tree of treeRoundTrip: relative path -> size. Nested folders, an empty file, unicode,
// space and '+' names, a multipart file (threshold 1 MiB below).
const QList<QPair<QString, qint64>> &treeFiles()
{
    static const QList<QPair<QString, qint64>> files = [] {
        QList<QPair<QString, qint64>> f;
        for (int i = 0; i < 24; ++i)
            f.append({u"d%1/sub%2/f%3.bin"_s.arg(i % 3).arg(i % 2).arg(i), 1000 + i * 317});
        f.append({u"empty.txt"_s, 0});
        f.append({u"top.txt"_s, 5});
        f.append({u"ü n+i/hello wörld+1.txt"_s, 4096});
        f.append({u"big/multi.bin"_s, 2 * 1024 * 1024 + 77});
        return f;
    }();
    return files;
}

void TstBatchSandbox::treeRoundTrip()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = dir.filePath(u"src"_s);
    quint32 seed = 1;
    for (const auto &[path, size] : treeFiles())
        QVERIFY(writeFile(src + u'/' + path, size, seed++));
    QVERIFY(QDir().mkpath(src + u"/empty-folder/inner"_s));
    QVERIFY(QFile::link(src + u"/top.txt"_s, src + u"/d0/link.txt"_s));

    BatchOptions options = multipartOptions(dir);
    options.filesInFlight = 3;
    const int total = int(treeFiles().size());

    // Up: every file once, the symbolic link skipped, empty folders make no keys.
    {
        BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket, u"tree"_s,
                         options);
        const BatchRun run = runBatch(&up);
        QVERIFY2(!up.error(), qPrintable(up.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Transferred), total);
        QCOMPARE(run.paths(BatchTransfer::Action::Skipped), QStringList {u"d0/link.txt"_s});
        QCOMPARE(run.count(BatchTransfer::Action::Failed), 0);
        QVERIFY2(run.maxTasks <= 3, qPrintable(QString::number(run.maxTasks)));
        QVERIFY(run.maxTasks >= 1);
        const BatchProgress p = up.progress();
        QVERIFY(p.walkDone);
        QCOMPARE(p.filesTransferred, total);
        QCOMPARE(p.filesSkipped, 1);
        QCOMPARE(p.filesDone, total + 1);
        QCOMPARE(up.tasksAlive(), 0);
    }
    QStringList expected;
    for (const auto &pair : treeFiles())
        expected.append(u"tree/"_s + pair.first);
    expected.sort();
    QCOMPARE(listAll(m_client.get(), m_bucket, u"tree/"_s), expected);

    // Again: nothing to send (same size and ETag, the multipart one by its part MD5s).
    {
        BatchTransfer again(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket,
                            u"tree/"_s, options);
        const BatchRun run = runBatch(&again);
        QVERIFY2(!again.error(), qPrintable(again.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Transferred), 0);
        QCOMPARE(run.count(BatchTransfer::Action::Skipped), total + 1);
    }
    // Half the keys gone, one file changed with the same size: only those go.
    QStringList gone;
    for (int i = 0; i < expected.size(); i += 2)
        gone.append(expected.at(i));
    std::unique_ptr<DeleteObjectsJob> del(m_client->deleteObjects(m_bucket, gone));
    QVERIFY(runJob(del.get()));
    QVERIFY(!del->error());
    QVERIFY(writeFile(src + u"/d1/sub1/f1.bin"_s, 1000 + 317, 999));
    const bool changedWasGone = gone.contains(u"tree/d1/sub1/f1.bin"_s);
    {
        BatchTransfer half(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket,
                           u"tree"_s, options);
        const BatchRun run = runBatch(&half);
        QVERIFY2(!half.error(), qPrintable(half.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Transferred),
                 gone.size() + (changedWasGone ? 0 : 1));
        QVERIFY(run.paths(BatchTransfer::Action::Transferred).contains(u"d1/sub1/f1.bin"_s));
    }
    // A dry run with force plans every file and sends nothing.
    {
        BatchOptions dry = options;
        dry.dryRun = true;
        dry.force = true;
        BatchTransfer plan(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket,
                           u"tree"_s, dry);
        const BatchRun run = runBatch(&plan);
        QVERIFY(!plan.error());
        QCOMPARE(run.count(BatchTransfer::Action::Transferred), total);
        QVERIFY(std::all_of(run.results.cbegin(), run.results.cend(),
                            [](const auto &r) { return r.dryRun; }));
    }

    // Down into a fresh folder: byte-identical; then again: nothing fetched.
    const QString dst = dir.filePath(u"dst"_s);
    for (int pass = 0; pass < 2; ++pass) {
        BatchTransfer down(m_client.get(), BatchTransfer::Direction::Download, dst, m_bucket,
                           u"tree/"_s, options);
        const BatchRun run = runBatch(&down);
        QVERIFY2(!down.error(), qPrintable(down.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Transferred), pass == 0 ? total : 0);
        QCOMPARE(run.count(BatchTransfer::Action::Skipped), pass == 0 ? 0 : total);
        QVERIFY(run.maxTasks <= 3);
    }
    for (const auto &pair : treeFiles())
        QVERIFY2(readAll(src + u'/' + pair.first) == readAll(dst + u'/' + pair.first),
                 qPrintable(pair.first));
    QVERIFY(!QFileInfo::exists(dst + u"/empty-folder"_s));

    // Include / exclude select by the relative path.
    {
        BatchOptions some = options;
        some.include = {u"d2/**"_s};
        some.exclude = {u"*5.bin"_s};
        const QString part = dir.filePath(u"part"_s);
        BatchTransfer down(m_client.get(), BatchTransfer::Direction::Download, part, m_bucket,
                           u"tree"_s, some);
        const BatchRun run = runBatch(&down);
        QVERIFY(!down.error());
        const QStringList got = run.paths(BatchTransfer::Action::Transferred);
        QCOMPARE(got.size(), 7); // d2: i = 2, 5, 8, ..., 23 is 8 files, minus f5
        QVERIFY(std::all_of(got.cbegin(), got.cend(),
                            [](const QString &p) { return p.startsWith(u"d2/"_s); }));
        QVERIFY(!got.contains(u"d2/sub1/f5.bin"_s));
    }
}

void TstBatchSandbox::oneFileRefused()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    for (int i = 0; i < 6; ++i)
        QVERIFY(writeFile(dir.filePath(u"ok/f%1"_s.arg(i)), 3000, i));
    QVERIFY(writeFile(dir.filePath(u"denied/secret.txt"_s), 100, 9));
    QVERIFY(setBucketPolicy(m_client.get(), m_bucket,
                            denyPolicy(m_bucket, u"s3:PutObject"_s, u"refused/denied/*"_s)));
    BatchOptions options;
    options.upload.checkpointDirectory = dir.filePath(u"ck"_s);
    options.upload.stepRetryBaseMs = 10;
    BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, dir.path(), m_bucket,
                     u"refused"_s, options);
    const BatchRun run = runBatch(&up);
    QVERIFY(setBucketPolicy(m_client.get(), m_bucket, {}));
    // The others went; the batch reports one failure with the server's answer.
    QCOMPARE(run.count(BatchTransfer::Action::Transferred), 6);
    QCOMPARE(run.paths(BatchTransfer::Action::Failed), QStringList {u"denied/secret.txt"_s});
    QCOMPARE(up.failures().size(), 1);
    QCOMPARE(up.failures().constFirst().error.httpStatus(), 403);
    QVERIFY(up.error());
    QCOMPARE(up.error().httpStatus(), 403);
    QVERIFY2(up.error().message().contains(u"1 of 7 files failed"_s),
             qPrintable(up.error().message()));
    QCOMPARE(listAll(m_client.get(), m_bucket, u"refused/"_s).size(), 6);
}

void TstBatchSandbox::fileVanishesMidBatch()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    for (int i = 0; i < 5; ++i)
        QVERIFY(writeFile(dir.filePath(u"f%1"_s.arg(i)), 2000, i));
    BatchOptions options;
    options.filesInFlight = 1;
    options.upload.checkpointDirectory = dir.filePath(u"ck"_s);
    BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, dir.path(), m_bucket,
                     u"vanish"_s, options);
    // When f0 is done, f1 and f2 are planned (2 x filesInFlight) and f3, f4 not read yet. A
    // planned file deleted before its turn fails, the rest goes on; a file deleted before the
    // walk reaches it was never there.
    connect(&up, &BatchTransfer::fileFinished, this, [&dir](const BatchTransfer::FileResult &r) {
        if (r.path == u"f0"_s) {
            QFile::remove(dir.filePath(u"f2"_s));
            QFile::remove(dir.filePath(u"f4"_s));
        }
    });
    const BatchRun run = runBatch(&up);
    QCOMPARE(run.paths(BatchTransfer::Action::Failed), QStringList {u"f2"_s});
    QCOMPARE(run.paths(BatchTransfer::Action::Transferred),
             (QStringList {u"f0"_s, u"f1"_s, u"f3"_s}));
    QCOMPARE(up.progress().filesSeen, 4);
    QVERIFY(up.error());
    QVERIFY2(up.failures().constFirst().error.message().contains(u"f2"_s),
             qPrintable(up.failures().constFirst().error.toString()));
}

void TstBatchSandbox::fileChangesDuringUpload()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"src/growing.bin"_s);
    QVERIFY(writeFile(path, 24 * 1024 * 1024, 5));
    BatchOptions options = multipartOptions(dir);
    options.upload.partsInFlight = 1;
    BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, dir.filePath(u"src"_s),
                     m_bucket, u"changing"_s, options);
    // The file grows every 20 ms during the first 300 ms of the upload.
    QTimer grow;
    QElapsedTimer since;
    grow.setInterval(20);
    connect(&grow, &QTimer::timeout, this, [&] {
        if (since.elapsed() > 300) {
            grow.stop();
            return;
        }
        QFile f(path);
        if (f.open(QIODevice::Append))
            f.write(QByteArray(4096, 'x'));
    });
    since.start();
    grow.start();
    const BatchRun run = runBatch(&up);
    QCOMPARE(run.results.size(), 1);
    const BatchTransfer::FileResult r = run.results.constFirst();
    // Detected either way: sent again once it held still, or reported.
    if (r.action == BatchTransfer::Action::Transferred) {
        QCOMPARE(r.reason, u"sent again: it changed"_s);
        std::unique_ptr<HeadObjectJob> head(
                m_client->headObject(m_bucket, u"changing/growing.bin"_s));
        QVERIFY(runJob(head.get()));
        QCOMPARE(head->metadata().size, QFileInfo(path).size());
    } else {
        QCOMPARE(r.action, BatchTransfer::Action::Failed);
        QCOMPARE(r.error.kind(), Error::Kind::Integrity);
        QVERIFY2(r.error.message().contains(u"changed while it was uploaded"_s),
                 qPrintable(r.error.toString()));
    }
}

void TstBatchSandbox::badInput()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(u"file"_s), 10, 1));
    struct Case
    {
        BatchTransfer::Direction direction;
        QString local;
        QString bucket;
        QStringList include;
        QString message;
    };
    const QList<Case> cases {
            {BatchTransfer::Direction::Upload,
             dir.filePath(u"missing"_s),
             m_bucket,
             {},
             u"no such folder"_s},
            {BatchTransfer::Direction::Upload,
             dir.filePath(u"file"_s),
             m_bucket,
             {},
             u"is not a folder"_s},
            {BatchTransfer::Direction::Download,
             dir.filePath(u"file"_s),
             m_bucket,
             {},
             u"is not a folder"_s},
            {BatchTransfer::Direction::Upload, dir.path(), m_bucket, {u""_s}, u"empty glob"_s},
            {BatchTransfer::Direction::Download,
             dir.filePath(u"d"_s),
             m_bucket + u"-nope"_s,
             {},
             u"NoSuchBucket (HTTP 404): cannot list "_s + m_bucket + u"-nope/x/"_s},
            // A bucket no request can reach ends the batch once, before any file.
            {BatchTransfer::Direction::Upload,
             dir.path(),
             m_bucket + u"-nope"_s,
             {},
             u"NoSuchBucket (HTTP 404): cannot list "_s + m_bucket + u"-nope/x/"_s},
            {BatchTransfer::Direction::Upload, dir.path(), u"qb"_s, {}, u"\"qb\" is invalid"_s},
            {BatchTransfer::Direction::Download,
             dir.filePath(u"d"_s),
             u"Bad_Name"_s,
             {},
             u"\"Bad_Name\" is invalid"_s},
    };
    for (const Case &c : cases) {
        BatchOptions options;
        options.include = c.include;
        BatchTransfer batch(m_client.get(), c.direction, c.local, c.bucket, u"x"_s, options);
        QStringList reported;
        connect(&batch, &BatchTransfer::fileFinished, this,
                [&reported](const BatchTransfer::FileResult &r) { reported.append(r.path); });
        runBatch(&batch);
        QVERIFY2(batch.error().toString().contains(c.message),
                 qPrintable(c.message + u": "_s + batch.error().toString()));
        QVERIFY2(reported.isEmpty(), qPrintable(reported.join(u", "_s)));
    }
}

void TstBatchSandbox::downloadWithKnownObject()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(putMany(m_client.get(), m_bucket, {u"known/k"_s}));
    const QByteArray body = "known/k";
    const QString md5 = QString::fromLatin1(
            QCryptographicHash::hash(body, QCryptographicHash::Md5).toHex());
    // Right size and ETag: no HEAD, the file is checked against the ETag. A stale ETag (the
    // object changed since the listing): 412, then the usual HEAD and a good file. A quoted
    // ETag, as listings give it, works too.
    const QList<QPair<qint64, QString>> cases {{body.size(), md5},
                                               {body.size(), QString(32, u'0')},
                                               {body.size(), u"\""_s + md5 + u"\""_s}};
    int n = 0;
    for (const auto &[size, etag] : cases) {
        const QString out = dir.filePath(u"out%1"_s.arg(n++));
        {
            // A longer .part left by an earlier run is made anew, not written over.
            QFile stale(out + u".part"_s);
            QVERIFY(stale.open(QIODevice::WriteOnly));
            QCOMPARE(stale.write(QByteArray(1000, 's')), 1000);
        }
        DownloadOptions options;
        options.resume = false;
        DownloadTask task(m_client.get(), m_bucket, u"known/k"_s, out, options);
        task.setKnownObject(size, etag);
        QSignalSpy done(&task, &TransferTask::finished);
        task.start();
        QVERIFY(done.wait(30000));
        QVERIFY2(task.state() == TransferTask::State::Succeeded,
                 qPrintable(task.error().toString()));
        QCOMPARE(readAll(out), body);
    }
}

void TstBatchSandbox::flatDownloadStreamsPages()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    // 150 keys in one folder, plus a nested one, a folder marker and a key that is no safe
    // path: listed 10 keys a page, the planner never holds more than two pages of files, and
    // every file arrives.
    QStringList keys;
    for (int i = 0; i < 150; ++i)
        keys.append(u"flat/f%1"_s.arg(i, 3, 10, QChar(u'0')));
    keys += {u"flat/sub/inner"_s, u"flat/sub/"_s, u"flat/bad//x"_s};
    QVERIFY(putMany(m_client.get(), m_bucket, keys));
    QTemporaryDir dir;
    // One file already there with the right content, one with the same size but other bytes.
    QDir().mkpath(dir.filePath(u"out"_s));
    for (const auto &[name, body] :
         {std::pair(u"f000"_s, "flat/f000"_ba), std::pair(u"f001"_s, "xxxx/xxxx"_ba)}) {
        QFile f(dir.filePath(u"out/"_s + name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(body), qint64(body.size()));
    }
    BatchOptions options;
    options.filesInFlight = 3;
    options.listPageSize = 10;
    BatchTransfer batch(m_client.get(), BatchTransfer::Direction::Download, dir.filePath(u"out"_s),
                        m_bucket, u"flat"_s, options);
    const BatchRun run = runBatch(&batch);
    QCOMPARE(batch.error().kind(), Error::Kind::InvalidInput); // the unsafe key
    QCOMPARE(run.paths(BatchTransfer::Action::Failed), QStringList {u"bad//x"_s});
    QCOMPARE(run.count(BatchTransfer::Action::Transferred), 150);
    QCOMPARE(run.paths(BatchTransfer::Action::Skipped), QStringList {u"f000"_s});
    QVERIFY2(batch.peakPlanned() <= 2 * options.listPageSize,
             qPrintable(u"%1 files planned at once"_s.arg(batch.peakPlanned())));
    QVERIFY(run.maxTasks <= options.filesInFlight);
    for (const QString &key : std::as_const(keys)) {
        if (key.endsWith(u'/') || key.contains(u"//"_s))
            continue;
        QCOMPARE(readAll(dir.filePath(u"out/"_s + key.mid(5))), key.toUtf8());
    }
    QVERIFY(!QFileInfo::exists(dir.filePath(u"out/sub/.part"_s)));
    const BatchProgress progress = batch.progress();
    QCOMPARE(progress.filesSeen, 152);
    QCOMPARE(progress.filesDone, 152);
    QVERIFY(progress.walkDone);
}

// BatchOptions::only: a selection of files and folders of one folder goes, nothing else, in
// both directions (what the app's multi-select download and folder upload use).
void TstBatchSandbox::onlySelectedEntries()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = dir.filePath(u"src"_s);
    quint32 seed = 7;
    for (const QString &path :
         {u"a.txt"_s, u"b.txt"_s, u"d/x.bin"_s, u"d/deep/y.bin"_s, u"e/z.bin"_s, u"d2/w.bin"_s})
        QVERIFY(writeFile(src + u'/' + path, 100, seed++));

    BatchOptions options;
    options.only = QStringList {u"a.txt"_s, u"d/"_s};
    BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket, u"only/"_s,
                     options);
    const BatchRun upRun = runBatch(&up);
    QVERIFY2(!up.error(), qPrintable(up.error().toString()));
    QCOMPARE(upRun.count(BatchTransfer::Action::Transferred), 3);
    QCOMPARE(listAll(m_client.get(), m_bucket, u"only/"_s),
             (QStringList {u"only/a.txt"_s, u"only/d/deep/y.bin"_s, u"only/d/x.bin"_s}));

    // Down: the folder "d/" only (not "d2/", whose name starts the same), and one file.
    options.only = QStringList {u"d/"_s, u"a.txt"_s};
    const QString out = dir.filePath(u"out"_s);
    BatchTransfer down(m_client.get(), BatchTransfer::Direction::Download, out, m_bucket, u"only"_s,
                       options);
    QVERIFY(putMany(m_client.get(), m_bucket, {u"only/d2/w.bin"_s, u"only/c.txt"_s}));
    const BatchRun downRun = runBatch(&down);
    QVERIFY2(!down.error(), qPrintable(down.error().toString()));
    QCOMPARE(downRun.count(BatchTransfer::Action::Transferred), 3);
    QVERIFY(QFile::exists(out + u"/a.txt"_s));
    QVERIFY(QFile::exists(out + u"/d/x.bin"_s));
    QVERIFY(QFile::exists(out + u"/d/deep/y.bin"_s));
    QVERIFY(!QFile::exists(out + u"/d2"_s));
    QVERIFY(!QFile::exists(out + u"/c.txt"_s));
    QCOMPARE(readAll(out + u"/d/x.bin"_s), readAll(src + u"/d/x.bin"_s));
}

// sync in both directions with deletions over folders far larger than a listing page and a
// local chunk: the listing and the local walk are merged as two sorted streams, so what is held
// at once stays bounded by the options, not by the number of files; names whose order differs
// between UTF-16 and UTF-8 are matched, not deleted and sent again.
void TstBatchSandbox::syncStreamsLargeFolders()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = dir.filePath(u"src"_s);
    QStringList files;
    for (int i = 0; i < 600; ++i)
        files.append(u"flat/f%1"_s.arg(i, 3, 10, QChar(u'0')));
    files += {u"flat.txt"_s, u"flat0/x"_s, u"\uFF01.txt"_s, u"\U0001F600.txt"_s, u"ü n+i.txt"_s};
    // The bytes putMany() gives a key: the key.
    for (const QString &f : std::as_const(files))
        QVERIFY(writeBytes(src + u'/' + f, (u"sync/"_s + f).toUtf8()));
    // The destination has every third file already (same bytes), the emoji one among them, and
    // 150 keys the source does not have, in and around the big folder.
    QStringList present;
    for (qsizetype i = 0; i < files.size(); i += 3)
        present.append(u"sync/"_s + files.at(i));
    if (!present.contains(u"sync/\U0001F600.txt"_s))
        present.append(u"sync/\U0001F600.txt"_s);
    QVERIFY(!present.contains(u"sync/\uFF01.txt"_s));
    QStringList extra;
    for (int i = 0; i < 150; ++i)
        extra.append(u"sync/flat/%1-extra%2"_s.arg(i % 2 ? u"f2"_s : u"z"_s).arg(i));
    QVERIFY(putMany(m_client.get(), m_bucket, present + extra));

    BatchOptions options;
    options.filesInFlight = 3;
    options.listPageSize = 10;
    options.walkChunk = 16;
    options.deleteExtra = true;
    options.upload.checkpointDirectory = dir.filePath(u"ck"_s);
    options.download.checkpointDirectory = dir.filePath(u"ck"_s);
    // Planned files and deletions (2 x 3 items of up to a page), two pages of keys, a chunk
    // per open folder (two levels), a page of deletions being gathered.
    const qint64 bound = 2 * 3 * 10 + 2 * 10 + 2 * 16 + 10 + 1;
    {
        BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket, u"sync"_s,
                         options);
        const BatchRun run = runBatch(&up);
        QVERIFY2(!up.error(), qPrintable(up.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Skipped), present.size());
        QCOMPARE(run.count(BatchTransfer::Action::Transferred), files.size() - present.size());
        QCOMPARE(run.count(BatchTransfer::Action::Deleted), extra.size());
        QVERIFY2(up.peakEntries() <= bound,
                 qPrintable(u"%1 entries held at once"_s.arg(up.peakEntries())));
        QVERIFY(up.peakPlanned() <= 2 * options.filesInFlight);
    }
    QStringList expected;
    for (const QString &f : std::as_const(files))
        expected.append(u"sync/"_s + f);
    std::sort(expected.begin(), expected.end(),
              [](const QString &a, const QString &b) { return a.toUtf8() < b.toUtf8(); });
    QCOMPARE(listAll(m_client.get(), m_bucket, u"sync/"_s), expected);

    // Down into a folder with 300 extra files and half of the files: the extras go, a ".part"
    // (a download to resume) stays, the rest comes.
    const QString dst = dir.filePath(u"dst"_s);
    QVERIFY(QDir().mkpath(dst + u"/flat"_s));
    for (int i = 0; i < 300; ++i) {
        QFile f(dst + u"/flat/old%1"_s.arg(i));
        QVERIFY(f.open(QIODevice::WriteOnly));
    }
    for (qsizetype i = 0; i < files.size(); i += 2) {
        QVERIFY(QDir().mkpath(QFileInfo(dst + u'/' + files.at(i)).absolutePath()));
        QVERIFY(QFile::copy(src + u'/' + files.at(i), dst + u'/' + files.at(i)));
    }
    {
        QFile part(dst + u"/flat/zzz.part"_s);
        QVERIFY(part.open(QIODevice::WriteOnly));
    }
    {
        BatchTransfer down(m_client.get(), BatchTransfer::Direction::Download, dst, m_bucket,
                           u"sync"_s, options);
        const BatchRun run = runBatch(&down);
        QVERIFY2(!down.error(), qPrintable(down.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Deleted), 300);
        QCOMPARE(run.count(BatchTransfer::Action::Skipped), (files.size() + 1) / 2);
        QCOMPARE(run.count(BatchTransfer::Action::Transferred), files.size() / 2);
        QVERIFY2(down.peakEntries() <= bound,
                 qPrintable(u"%1 entries held at once"_s.arg(down.peakEntries())));
    }
    for (const QString &f : std::as_const(files))
        QCOMPARE(readAll(dst + u'/' + f), (u"sync/"_s + f).toUtf8());
    QVERIFY(QFile::exists(dst + u"/flat/zzz.part"_s));
    QCOMPARE(QDir(dst + u"/flat"_s).entryList(QDir::Files).size(), 601);

    // An empty source with deletions is refused before anything is deleted.
    const QString empty = dir.filePath(u"empty"_s);
    QVERIFY(QDir().mkpath(empty));
    BatchTransfer none(m_client.get(), BatchTransfer::Direction::Upload, empty, m_bucket, u"sync"_s,
                       options);
    runBatch(&none);
    QCOMPARE(none.error().kind(), Error::Kind::InvalidInput);
    QVERIFY2(none.error().message().contains(u"is empty"_s), qPrintable(none.error().message()));
    QCOMPARE(listAll(m_client.get(), m_bucket, u"sync/"_s).size(), files.size());
}

// A few files into a prefix of many keys: without deletions, the keys that sort before the next
// local file do not matter, so each listing page starts just before it, and the listing stops
// when the walk is over; the files are still matched (skipped when the same, sent when not).
// With deletions every page is read and every extra key deleted.
void TstBatchSandbox::uploadListsOnlyAroundLocalFiles()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    // 1,500 keys (body: the key), 30 pages of 50.
    QStringList keys;
    for (int i = 0; i < 1500; ++i)
        keys.append(u"many/k%1"_s.arg(i, 4, 10, QChar(u'0')));
    QVERIFY(putMany(m_client.get(), m_bucket, keys));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // In the middle: one the same as its key, one of the same size with other bytes; at the
    // end: a new one whose name ends in a character above U+FFFF.
    const QString src = dir.filePath(u"src"_s);
    const QString newName = u"zz\U0001F600"_s;
    QVERIFY(writeBytes(src + u"/k0750"_s, "many/k0750"));
    QVERIFY(writeBytes(src + u"/k1000"_s, "MANY/K1000"));
    QVERIFY(writeBytes(src + u'/' + newName, "new"));

    RequestJournal journal;
    journal.setCapacity(10000);
    m_client->setJournal(&journal);
    const auto listRequests = [&journal] {
        const QList<JournalEntry> entries = journal.entries();
        return int(std::count_if(entries.cbegin(), entries.cend(), [](const JournalEntry &e) {
            return e.operation == u"ListObjects"_s;
        }));
    };

    BatchOptions options;
    options.filesInFlight = 2;
    options.listPageSize = 50;
    options.upload.checkpointDirectory = dir.filePath(u"ck"_s);
    for (int pass = 0; pass < 2; ++pass) {
        journal.clear();
        BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket, u"many"_s,
                         options);
        const BatchRun run = runBatch(&up);
        QVERIFY2(!up.error(), qPrintable(up.error().toString()));
        if (pass == 0) {
            QCOMPARE(run.paths(BatchTransfer::Action::Skipped), QStringList {u"k0750"_s});
            QCOMPARE(run.paths(BatchTransfer::Action::Transferred),
                     (QStringList {u"k1000"_s, newName}));
        } else {
            QCOMPARE(run.count(BatchTransfer::Action::Skipped), 3);
            QCOMPARE(run.count(BatchTransfer::Action::Transferred), 0);
        }
        QVERIFY2(listRequests() <= 3,
                 qPrintable(u"pass %1: %2 list requests"_s.arg(pass).arg(listRequests())));
        QVERIFY(up.progress().walkDone);
    }
    {
        // The changed file went: the key's ETag is the new bytes' MD5.
        ListObjectsParams params;
        params.prefix = u"many/k1000"_s;
        std::unique_ptr<ListObjectsJob> list(m_client->listObjects(m_bucket, params, 0));
        QVERIFY(runJob(list.get()));
        QVERIFY2(!list->error(), qPrintable(list->error().toString()));
        QCOMPARE(list->result().objects.size(), 1);
        QCOMPARE(QString(list->result().objects.constFirst().etag).remove(u'"'),
                 QString::fromLatin1(
                         QCryptographicHash::hash("MANY/K1000", QCryptographicHash::Md5).toHex()));
    }

    // A file that sorts before every key: the first page holds its place, nothing more is
    // listed.
    const QString early = dir.filePath(u"early"_s);
    QVERIFY(writeBytes(early + u"/a-first"_s, "first"));
    {
        journal.clear();
        BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, early, m_bucket,
                         u"many"_s, options);
        const BatchRun run = runBatch(&up);
        QVERIFY2(!up.error(), qPrintable(up.error().toString()));
        QCOMPARE(run.paths(BatchTransfer::Action::Transferred), QStringList {u"a-first"_s});
        QCOMPARE(listRequests(), 1);
    }

    // sync --delete: every page is read, every key the folder does not have is deleted.
    options.deleteExtra = true;
    {
        journal.clear();
        BatchTransfer sync(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket,
                           u"many"_s, options);
        const BatchRun run = runBatch(&sync);
        QVERIFY2(!sync.error(), qPrintable(sync.error().toString()));
        QCOMPARE(run.count(BatchTransfer::Action::Skipped), 3);
        QCOMPARE(run.count(BatchTransfer::Action::Deleted), keys.size() + 1 - 2);
        QCOMPARE(listRequests(), 31); // 1,501 keys, 50 a page
    }
    m_client->setJournal(nullptr);
    QCOMPARE(listAll(m_client.get(), m_bucket, u"many/"_s),
             (QStringList {u"many/k0750"_s, u"many/k1000"_s, u"many/"_s + newName}));
}

// The page asked for ahead is dropped when the walk is over (no deletions): a scripted server
// lists one page and never answers the next, and the upload still finishes.
void TstBatchSandbox::uploadListingEndsWithTheWalk()
{
    QByteArray page = "<ListBucketResult><Name>bkt</Name><Prefix>up/</Prefix><MaxKeys>10</MaxKeys>"
                      "<IsTruncated>true</IsTruncated>";
    QStringList keys {u"up/a0"_s};
    for (int i = 0; i < 9; ++i)
        keys.append(u"up/b%1"_s.arg(i, 2, 10, QChar(u'0')));
    for (const QString &key : std::as_const(keys))
        page += "<Contents><Key>" + key.toUtf8() + "</Key><ETag>\"" + QByteArray(32, '0')
                + "\"</ETag><Size>9</Size></Contents>";
    page += "</ListBucketResult>";
    const QByteArray xMd5 = QCryptographicHash::hash("x", QCryptographicHash::Md5).toHex();
    QList<QByteArray> lists;
    ScriptedHttpServer server([&](const ReceivedRequest &r) {
        if (r.method == "GET" && r.path.contains("prefix=")) {
            lists.append(r.path);
            return lists.size() == 1 ? ScriptedResponse::http(200, {}, page)
                                     : ScriptedResponse::stalled();
        }
        if (r.method == "PUT") // every file is "x" (the handler sees the head only)
            return ScriptedResponse::http(200, {{"ETag", '"' + xMd5 + '"'}}, {});
        return ScriptedResponse::http(404, {}, {});
    });
    Credentials keysOf;
    keysOf.secretId = u"AKIDBATCHTEST"_s;
    keysOf.secretKey = u"batch-test-secret"_s;
    Client client(Endpoint::s3(server.url(u"/"_s), u"us-east-1"_s, true),
                  new StaticCredentialProvider(keysOf, u"test"_s));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (const QString &name : {u"a1"_s, u"a2"_s, u"a3"_s})
        QVERIFY(writeBytes(dir.filePath(u"src/"_s + name), "x"));

    BatchOptions options;
    options.filesInFlight = 1; // two files planned: the next page is asked for while a2 waits
    options.listPageSize = 10;
    options.upload.checkpointDirectory = dir.filePath(u"ck"_s);
    BatchTransfer up(&client, BatchTransfer::Direction::Upload, dir.filePath(u"src"_s), u"bkt"_s,
                     u"up"_s, options);
    BatchRun run;
    connect(&up, &BatchTransfer::fileFinished, this,
            [&run](const BatchTransfer::FileResult &r) { run.results.append(r); });
    QVERIFY(runJob(&up, 20000));
    QVERIFY2(!up.error(), qPrintable(up.error().toString()));
    QCOMPARE(run.paths(BatchTransfer::Action::Transferred),
             (QStringList {u"a1"_s, u"a2"_s, u"a3"_s}));
    // The first page starts before a1; the second after the first page's last key.
    QCOMPARE(lists.size(), 2);
    QVERIFY2(lists.at(0).contains("marker=up%2Fa&"), lists.at(0).constData());
    QVERIFY2(lists.at(1).contains("marker=up%2Fb08&"), lists.at(1).constData());
    QVERIFY(up.progress().walkDone);
}

// Parts and ranges of several large files share one budget, not files x parts (RGW spends more
// CPU per byte on more streams): an upload's parts as many as one file has (small files, one
// PUT each, take no slot), a download's ranges and one-GET files max(files, ranges).
void TstBatchSandbox::largeFilesShareTheRequestBudget()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = dir.filePath(u"src"_s);
    const QString out = dir.filePath(u"out"_s);
    for (int i = 0; i < 4; ++i)
        QVERIFY(writeFile(src + u"/f%1.bin"_s.arg(i), 4 * 1024 * 1024 + 1000, quint32(70 + i)));
    for (int i = 0; i < 3; ++i)
        QVERIFY(writeFile(src + u"/small/s%1.txt"_s.arg(i), 2000, quint32(80 + i)));
    BatchOptions options = multipartOptions(dir);
    options.filesInFlight = 6;
    options.upload.partsInFlight = 2;
    options.download.parallelThreshold = 1024 * 1024;
    options.download.rangeSize = 1024 * 1024;
    options.download.rangesInFlight = 4;

    BatchTransfer up(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket, u"budget"_s,
                     options);
    const BatchRun upRun = runBatch(&up);
    QVERIFY2(!up.error(), qPrintable(up.error().toString()));
    QCOMPARE(upRun.count(BatchTransfer::Action::Transferred), 7);
    // More files at once than the budget has slots, and no more parts in flight than one
    // file's 2.
    QVERIFY2(upRun.maxTasks > 2, qPrintable(QString::number(upRun.maxTasks)));
    QCOMPARE(up.requestBudget().capacity(), 2);
    QCOMPARE(up.requestBudget().peak(), 2);
    QCOMPARE(up.requestBudget().inUse(), 0);
    QCOMPARE(up.requestBudget().waiting(), 0);

    BatchTransfer down(m_client.get(), BatchTransfer::Direction::Download, out, m_bucket,
                       u"budget"_s, options);
    const BatchRun downRun = runBatch(&down);
    QVERIFY2(!down.error(), qPrintable(down.error().toString()));
    QCOMPARE(downRun.count(BatchTransfer::Action::Transferred), 7);
    // A download's one-GET files take slots as well: room for a wave of them.
    QCOMPARE(down.requestBudget().capacity(), 6);
    QCOMPARE(down.requestBudget().peak(), 6);
    QCOMPARE(down.requestBudget().inUse(), 0);
    QCOMPARE(down.requestBudget().waiting(), 0);
    for (const QString &name : {u"/f0.bin"_s, u"/f1.bin"_s, u"/f2.bin"_s, u"/f3.bin"_s,
                                u"/small/s0.txt"_s, u"/small/s1.txt"_s, u"/small/s2.txt"_s})
        QVERIFY2(readAll(src + name) == readAll(out + name), qPrintable(name));
}

// A rerun resumes a file stopped halfway: the parts already on the server count as
// bytesResumed, which the batch's speed and ETA leave out (they were not moved in this run).
void TstBatchSandbox::resumedBytesAreNotMoved()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString src = dir.filePath(u"src"_s);
    constexpr qint64 MiB = 1024 * 1024;
    const qint64 size = 8 * MiB + 1000;
    QVERIFY(writeFile(src + u"/big.bin"_s, size, 91));
    BatchOptions options = multipartOptions(dir);
    options.upload.partsInFlight = 1;

    {
        BatchTransfer first(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket,
                            u"resumed"_s, options);
        first.start();
        QTRY_VERIFY_WITH_TIMEOUT(first.progress().bytesDone >= 3 * MiB, 60000);
        QCOMPARE(first.progress().bytesResumed, qint64(0));
        first.abort(); // keeps the checkpoint and the parts sent
    }

    BatchTransfer rerun(m_client.get(), BatchTransfer::Direction::Upload, src, m_bucket,
                        u"resumed"_s, options);
    const BatchRun run = runBatch(&rerun);
    QVERIFY2(!rerun.error(), qPrintable(rerun.error().toString()));
    QCOMPARE(run.count(BatchTransfer::Action::Transferred), 1);
    const BatchProgress p = rerun.progress();
    QCOMPARE(p.bytesDone, size);
    // At least the two parts answered before the stop; whole parts only; not the whole file.
    QVERIFY2(p.bytesResumed >= 2 * MiB && p.bytesResumed % MiB == 0 && p.bytesResumed < size,
             qPrintable(QString::number(p.bytesResumed)));
}

// A folder's copy and move by server-side copies, over more than one listing page (1000 keys);
// a destination inside the source is refused.
void TstBatchSandbox::copyAndMovePrefix()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QStringList keys;
    for (int i = 0; i < 1003; ++i)
        keys.append(u"cp/src/k%1"_s.arg(i, 4, 10, QChar(u'0')));
    keys.append(u"cp/src/sub/ü b+c%.txt"_s);
    keys.append(u"cp/src2/not-mine"_s);
    QVERIFY(putMany(m_client.get(), m_bucket, keys));
    keys.removeLast();
    const auto under = [](const QStringList &list, const QString &from, const QString &to) {
        QStringList out;
        for (const QString &k : list)
            out.append(to + k.mid(from.size()));
        out.sort();
        return out;
    };

    CopyPrefixJob copy(m_client.get(), m_bucket, u"cp/src/"_s, u"cp/dst/"_s, false);
    QVERIFY(runJob(&copy));
    QVERIFY2(!copy.error(), qPrintable(copy.error().toString()));
    QCOMPARE(copy.copiedCount(), keys.size());
    QCOMPARE(listAll(m_client.get(), m_bucket, u"cp/dst/"_s),
             under(keys, u"cp/src/"_s, u"cp/dst/"_s));
    QCOMPARE(listAll(m_client.get(), m_bucket, u"cp/src/"_s).size(), keys.size());

    CopyPrefixJob move(m_client.get(), m_bucket, u"cp/dst/"_s, u"cp/moved/"_s, true);
    move.setCopiesInFlight(16);
    QVERIFY(runJob(&move));
    QVERIFY2(!move.error(), qPrintable(move.error().toString()));
    QCOMPARE(move.copiedCount(), keys.size());
    QCOMPARE(listAll(m_client.get(), m_bucket, u"cp/dst/"_s), QStringList());
    QCOMPARE(listAll(m_client.get(), m_bucket, u"cp/moved/"_s),
             under(keys, u"cp/src/"_s, u"cp/moved/"_s));

    CopyPrefixJob intoItself(m_client.get(), m_bucket, u"cp/src/"_s, u"cp/src/sub/"_s, true);
    QVERIFY(runJob(&intoItself));
    QCOMPARE(intoItself.error().kind(), Error::Kind::InvalidInput);
    QVERIFY2(intoItself.error().message().contains(u"into itself"_s),
             qPrintable(intoItself.error().message()));
    QCOMPARE(listAll(m_client.get(), m_bucket, u"cp/src/"_s).size(), keys.size());
}

QTEST_GUILESS_MAIN(TstBatchSandbox)
#include "tst_batch_sandbox.moc"
