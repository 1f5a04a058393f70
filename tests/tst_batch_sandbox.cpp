// Batches: include/exclude globs (no network), deleting a prefix page by page (DeleteObjects,
// 1000 keys a request, a dry run, a filter, keys refused by a bucket policy) and whole trees
// up and down with BatchTransfer against the sandbox's RGW.
#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/transfer/pathfilter.h"
#include "sandboxenv.h"
#include "sandboxpurge.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

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

QTEST_GUILESS_MAIN(TstBatchSandbox)
#include "tst_batch_sandbox.moc"
