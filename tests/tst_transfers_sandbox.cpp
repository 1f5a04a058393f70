// End-to-end transfers against the sandbox's Ceph RGW: round trips, awscli interop, SIGKILL and
// resume of cosctl put/get, a fault-injecting proxy, 3-second credentials from a signing URL,
// and a radosgw restart in the middle of an upload.
#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/transfer/downloadtask.h"
#include "faultproxy.h"
#include "cos/net/job.h"
#include "cos/net/requestjournal.h"
#include "sandboxenv.h"
#include "sandboxpurge.h"
#include "cos/signing/sigv4.h"
#include "cos/transfer/transferqueue.h"
#include "cos/transfer/uploadtask.h"
#include "cos/protocol/xmlparsers.h"

#include <QCryptographicHash>
#include <QDir>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <csignal>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

constexpr qint64 MiB = 1024 * 1024;

QByteArray fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result().toHex();
}

/** Serves the sandbox's STS AssumeRole credentials (DurationSeconds=3) as a signing URL. */
class ShortCredentialServer : public QObject
{
public:
    ShortCredentialServer(const SandboxEnv &env, int durationSeconds)
        : m_env(env)
        , m_duration(durationSeconds)
    {
        m_server.route(u"/sts"_s, [this] {
            if (m_json.isEmpty())
                return QHttpServerResponse(QHttpServerResponder::StatusCode::ServiceUnavailable);
            ++m_served;
            m_servedKeys.insert(m_lastKey);
            return QHttpServerResponse("application/json"_ba, m_json);
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
        // Fetch new keys every second: each served set has at least two seconds left.
        m_timer.setInterval(1000);
        connect(&m_timer, &QTimer::timeout, this, [this] { assumeRole(); });
        m_timer.start();
        assumeRole();
    }

    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/sts"_s.arg(m_port)); }
    bool ready() const { return !m_json.isEmpty(); }
    int distinctKeysServed() const { return int(m_servedKeys.size()); }
    QString lastError() const { return m_error; }

private:
    void assumeRole()
    {
        const QUrl sts(m_env.stsEndpoint);
        QUrlQuery form;
        form.addQueryItem(u"Action"_s, u"AssumeRole"_s);
        form.addQueryItem(u"Version"_s, u"2011-06-15"_s);
        form.addQueryItem(u"RoleArn"_s, m_env.roleArn);
        form.addQueryItem(u"RoleSessionName"_s, u"transfers-test"_s);
        form.addQueryItem(u"DurationSeconds"_s, QString::number(m_duration));
        const QByteArray body = form.query(QUrl::FullyEncoded).toUtf8();
        const QString host = u"%1:%2"_s.arg(sts.host()).arg(sts.port(80));
        SigV4Input in;
        in.accessKeyId = m_env.secretId;
        in.secretAccessKey = m_env.secretKey;
        in.region = m_env.region;
        in.service = u"sts"_s;
        in.method = "POST";
        in.host = host;
        in.canonicalPath = "/";
        in.headers = {{u"host"_s, host},
                      {u"content-type"_s, u"application/x-www-form-urlencoded"_s}};
        in.payloadHash = QCryptographicHash::hash(body, QCryptographicHash::Sha256).toHex();
        in.amzDate = QDateTime::currentDateTimeUtc().toString(u"yyyyMMddTHHmmssZ"_s).toLatin1();
        const SigV4Result signature = sigV4SignHeaders(in);
        QNetworkRequest request(QUrl(m_env.stsEndpoint + u"/"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          u"application/x-www-form-urlencoded"_s);
        for (const auto &[name, value] : signature.addedHeaders)
            request.setRawHeader(name.toLatin1(), value.toLatin1());
        request.setRawHeader("Authorization", signature.authorization);
        QNetworkReply *reply = m_nam.post(request, body);
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            reply->deleteLater();
            AssumeRoleResult result;
            const QByteArray xml = reply->readAll();
            if (Error e = parseAssumeRoleResponse(xml, &result)) {
                m_error = e.toString() + u" / "_s + QString::fromUtf8(xml.left(300));
                return;
            }
            const qint64 expired = result.expiration.toSecsSinceEpoch();
            const QJsonObject creds {{u"tmpSecretId"_s, result.accessKeyId},
                                     {u"tmpSecretKey"_s, result.secretAccessKey},
                                     {u"sessionToken"_s, result.sessionToken}};
            m_json = QJsonDocument(QJsonObject {{u"credentials"_s, creds},
                                                {u"expiredTime"_s, expired},
                                                {u"startTime"_s, expired - m_duration}})
                             .toJson(QJsonDocument::Compact);
            m_lastKey = result.accessKeyId;
        });
    }

    SandboxEnv m_env;
    int m_duration;
    QHttpServer m_server;
    quint16 m_port = 0;
    QNetworkAccessManager m_nam;
    QTimer m_timer;
    QByteArray m_json;
    QString m_lastKey;
    QString m_error;
    int m_served = 0;
    QSet<QString> m_servedKeys;
};

} // namespace

class TstTransfersSandbox : public QObject
{
    Q_OBJECT

private:
    std::optional<SandboxEnv> m_env;
    QTemporaryDir m_dir;
    QString m_bucket;
    QUrl m_endpoint;

    std::unique_ptr<Client> makeClient(const QUrl &endpoint, CredentialProvider *provider = nullptr)
    {
        Error error;
        const Endpoint ep = Endpoint::s3(endpoint, m_env->region, true, &error);
        if (!provider) {
            Credentials c;
            c.secretId = m_env->secretId;
            c.secretKey = m_env->secretKey;
            provider = new StaticCredentialProvider(c);
        }
        auto client = std::make_unique<Client>(ep, provider);
        client->setRetryBaseDelay(100);
        client->setTransferTimeout(5000);
        return client;
    }

    QUrl viaProxy(const FaultProxy &proxy) const
    {
        return QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port()));
    }

    QString makeFile(const QString &name, qint64 size, quint32 seed)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return {};
        QRandomGenerator gen(seed);
        QByteArray block(int(MiB), Qt::Uninitialized);
        for (qint64 left = size; left > 0;) {
            gen.fillRange(reinterpret_cast<quint32 *>(block.data()), block.size() / 4);
            const qint64 n = qMin<qint64>(left, block.size());
            f.write(block.constData(), n);
            left -= n;
        }
        return path;
    }

    // Downloads @p key directly (no proxy) and compares it with @p src.
    void verifyStored(const QString &key, const QString &src)
    {
        const QString dst = m_dir.filePath(QFileInfo(src).fileName() + u".out"_s);
        auto direct = makeClient(m_endpoint);
        DownloadTask down(direct.get(), m_bucket, key, dst, {});
        QCOMPARE(runTask(&down), TransferTask::State::Succeeded);
        QCOMPARE(fileSha256(dst), fileSha256(src));
    }

    // A file of @p size bytes uploaded with one PUT as @p key (a plain-MD5 ETag, so downloads
    // check the MD5); returns the local path, or an empty string when the upload failed.
    QString putSinglePutObject(const QString &key, qint64 size, quint32 seed)
    {
        auto client = makeClient(m_endpoint);
        const QString src = makeFile(key, size, seed);
        UploadOptions o;
        o.multipartThreshold = size + 1;
        o.resume = false;
        UploadTask up(client.get(), src, m_bucket, key, o);
        return runTask(&up) == TransferTask::State::Succeeded ? src : QString();
    }

    // Runs the task until it leaves Running; returns the final state.
    static TransferTask::State runTask(TransferTask *task, int timeoutMs = 60000)
    {
        QSignalSpy done(task, &TransferTask::finished);
        if (task->state() != TransferTask::State::Running)
            task->start();
        if (!task->isDone())
            done.wait(timeoutMs);
        return task->state();
    }

    QProcessEnvironment cosctlEnv(const QUrl &endpoint, const QString &checkpointDir) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"COS_ENDPOINT"_s, endpoint.toString());
        env.insert(u"COS_DIALECT"_s, u"s3"_s);
        env.insert(u"COS_REGION"_s, m_env->region);
        env.insert(u"COS_SECRET_ID"_s, m_env->secretId);
        env.insert(u"COS_SECRET_KEY"_s, m_env->secretKey);
        env.insert(u"COS_PATH_STYLE"_s, u"1"_s);
        env.insert(u"COS_CHECKPOINT_DIR"_s, checkpointDir);
        env.insert(u"QT_LOGGING_RULES"_s, u"cos.transfer.debug=true"_s);
        env.remove(u"COS_CREDENTIALS_URL"_s);
        return env;
    }

    static QJsonObject readCheckpoint(const QString &dir, const QString &suffix)
    {
        const QStringList files = QDir(dir).entryList({u"*"_s + suffix}, QDir::Files);
        if (files.size() != 1)
            return {};
        QFile f(dir + u'/' + files.first());
        if (!f.open(QIODevice::ReadOnly))
            return {};
        return QJsonDocument::fromJson(f.readAll()).object();
    }

    static qint64 coveredBytes(const QJsonObject &download)
    {
        qint64 n = 0;
        const QJsonArray done = download.value(u"done"_s).toArray();
        for (const QJsonValue &v : done)
            n += v.toArray().at(1).toString().toLongLong()
                    - v.toArray().at(0).toString().toLongLong();
        return n;
    }

    int runAws(const QStringList &args, QByteArray *output = nullptr)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"AWS_ACCESS_KEY_ID"_s, m_env->secretId);
        env.insert(u"AWS_SECRET_ACCESS_KEY"_s, m_env->secretKey);
        env.insert(u"AWS_DEFAULT_REGION"_s, m_env->region);
        env.remove(u"AWS_PROFILE"_s);
        p.setProcessEnvironment(env);
        p.start(u"/usr/bin/aws"_s,
                QStringList {u"--endpoint-url"_s, m_env->endpoint, u"--no-cli-pager"_s} + args);
        if (!p.waitForFinished(120000))
            return -1;
        if (output)
            *output = p.readAllStandardOutput() + p.readAllStandardError();
        return p.exitCode();
    }

private Q_SLOTS:
    void initTestCase()
    {
        COS_REQUIRE_SANDBOX(env);
        m_env = env;
        QVERIFY(m_dir.isValid());
        m_endpoint = QUrl(env.endpoint);
        m_bucket = u"transfers-%1"_s.arg(QRandomGenerator::global()->generate() % 1000000);
        auto client = makeClient(m_endpoint);
        RequestJob *job = client->createBucket(m_bucket);
        QSignalSpy spy(job, &Job::finished);
        job->start();
        QVERIFY(spy.wait(20000));
        QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    }

    void cleanupTestCase()
    {
        if (m_bucket.isEmpty())
            return;
        auto client = makeClient(m_endpoint);
        const QString error = purgeSandboxBucket(client.get(), m_bucket);
        if (!error.isEmpty())
            qWarning("cleanup of %s: %s", qPrintable(m_bucket), qPrintable(error));
    }

    void roundTrip_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::addColumn<QString>("key");
        QTest::addColumn<qint64>("threshold");
        QTest::newRow("0 B") << qint64(0) << u"empty"_s << qint64(1);
        QTest::newRow("1 B") << qint64(1) << u"one byte"_s << qint64(1);
        QTest::newRow("1 MiB - 1, multipart") << MiB - 1 << u"dir/ünïcödé 名字.bin"_s << qint64(1);
        QTest::newRow("1 MiB, single PUT") << MiB << u"plus+sign + space.bin"_s << 16 * MiB;
        QTest::newRow("1 MiB, multipart") << MiB << u"a+b/c d/ü.bin"_s << qint64(1);
        QTest::newRow("64 MiB + 3 B") << 64 * MiB + 3 << u"big/64 MiB+3 ✓.bin"_s << 16 * MiB;
    }

    void roundTrip()
    {
        QFETCH(qint64, size);
        QFETCH(QString, key);
        QFETCH(qint64, threshold);
        const QString src = makeFile(u"rt-src.bin"_s, size, quint32(size));
        const QString dst = m_dir.filePath(u"rt-dst.bin"_s);
        QFile::remove(dst);
        auto client = makeClient(m_endpoint);
        UploadOptions uo;
        uo.multipartThreshold = threshold;
        uo.partSize = MiB;
        uo.checkpointDirectory = m_dir.filePath(u"ck-rt"_s);
        UploadTask up(client.get(), src, m_bucket, key, uo);
        QCOMPARE(runTask(&up), TransferTask::State::Succeeded);
        QVERIFY2(!up.error(), qPrintable(up.error().toString()));
        QCOMPARE(up.plan().isMultipart(), size >= threshold && size > 0);
        if (up.plan().isMultipart())
            QCOMPARE(up.etag(),
                     up.etag().section(u'-', 0, 0) + u'-' + QString::number(up.plan().partCount()));
        DownloadOptions dopt;
        dopt.checkpointDirectory = uo.checkpointDirectory;
        dopt.rangeSize = 4 * MiB;
        dopt.parallelThreshold = 8 * MiB;
        RequestJournal journal;
        client->setJournal(&journal);
        DownloadTask down(client.get(), m_bucket, key, dst, dopt);
        QCOMPARE(runTask(&down), TransferTask::State::Succeeded);
        QVERIFY2(!down.error(), qPrintable(down.error().toString()));
        QCOMPARE(QFileInfo(dst).size(), size);
        // An object fetched whole is one plain GET; one in parallel pieces, ranged GETs.
        int ranged = 0, gets = 0;
        for (const JournalEntry &e : journal.entries()) {
            if (e.operation != u"GetObject"_s)
                continue;
            ++gets;
            for (const auto &h : e.requestHeaders)
                ranged += h.first.compare("Range", Qt::CaseInsensitive) == 0 ? 1 : 0;
        }
        QCOMPARE(ranged, size >= dopt.parallelThreshold ? gets : 0);
        QCOMPARE(fileSha256(dst), fileSha256(src));
        QVERIFY(!QFile::exists(dst + u".part"_s));
        // Success removes the checkpoints.
        QVERIFY(QDir(uo.checkpointDirectory).entryList(QDir::Files).isEmpty());
    }

    void queueLimitsConcurrency()
    {
        auto client = makeClient(m_endpoint);
        TransferQueue queue;
        queue.setMaxConcurrent(2);
        int maxRunning = 0;
        QList<QString> sources;
        for (int i = 0; i < 4; ++i) {
            sources.append(makeFile(u"q%1.bin"_s.arg(i), 3 * MiB + i, 100 + i));
            UploadOptions o;
            o.multipartThreshold = MiB;
            o.partSize = MiB;
            o.checkpointDirectory = m_dir.filePath(u"ck-q"_s);
            queue.add(new UploadTask(client.get(), sources.last(), m_bucket, u"queue/%1"_s.arg(i),
                                     o));
        }
        int progressSignals = 0;
        connect(&queue, &TransferQueue::stateChanged, this,
                [&] { maxRunning = qMax(maxRunning, queue.runningCount()); });
        connect(&queue, &TransferQueue::progressChanged, this, [&] { ++progressSignals; });
        const QList<int> ids = queue.ids();
        QCOMPARE(ids.size(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(ids.cbegin(), ids.cend(),
                                             [&](int id) { return queue.task(id)->isDone(); }),
                                 60000);
        for (int id : ids)
            QCOMPARE(queue.task(id)->state(), TransferTask::State::Succeeded);
        QCOMPARE(maxRunning, 2);
        QVERIFY(progressSignals > 0);
    }

    // Entries made from a factory: added paused, a factory that fails, FIFO order, finished
    // entries kept, and a task released and made again that resumes from its checkpoint.
    void queueEntriesOutliveTasks()
    {
        auto client = makeClient(m_endpoint);
        TransferQueue queue;
        queue.setMaxConcurrent(1);
        QSignalSpy finished(&queue, &TransferQueue::finished);

        int failingCalls = 0;
        const int failing = queue.add(
                [&failingCalls](Error *error) -> TransferTask * {
                    ++failingCalls;
                    *error = Error(Error::Kind::Credentials, u"no client"_s);
                    return nullptr;
                },
                TransferQueue::AddMode::Paused);
        QCOMPARE(queue.state(failing), TransferQueue::State::Paused);
        QCOMPARE(queue.activeCount(), 0);
        queue.resume(failing);
        QCOMPARE(queue.state(failing), TransferQueue::State::Failed);
        QCOMPARE(queue.error(failing).message(), u"no client"_s);
        QCOMPARE(finished.size(), 1);
        queue.retry(failing);
        QCOMPARE(queue.state(failing), TransferQueue::State::Failed);
        QCOMPARE(failingCalls, 2);
        queue.cancel(failing);
        QCOMPARE(queue.state(failing), TransferQueue::State::Canceled);
        QCOMPARE(failingCalls, 3); // asked for a task to clean up with

        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = MiB;
        o.partsInFlight = 1;
        o.checkpointDirectory = m_dir.filePath(u"ck-entries"_s);
        const QString big = makeFile(u"entries-big.bin"_s, 8 * MiB, 31);
        const QString small = makeFile(u"entries-small.bin"_s, 100 * 1024, 32);
        int bigCalls = 0;
        const int up = queue.add(
                [&](Error *) -> TransferTask * {
                    ++bigCalls;
                    return new UploadTask(client.get(), big, m_bucket, u"entries/big.bin"_s, o);
                },
                TransferQueue::AddMode::Paused);
        QVERIFY(!queue.task(up));
        const int other = queue.add(
                new UploadTask(client.get(), small, m_bucket, u"entries/small.bin"_s, o));
        QVERIFY(queue.isQueued(other));
        // Queued after the other one: it waits for the only slot.
        queue.resume(up);
        QCOMPARE(queue.state(other), TransferQueue::State::Running);
        QCOMPARE(queue.state(up), TransferQueue::State::Queued);
        QCOMPARE(bigCalls, 0);
        QCOMPARE(queue.activeCount(), 2);
        queue.pause(up);
        QCOMPARE(queue.state(up), TransferQueue::State::Paused);
        QTRY_COMPARE_WITH_TIMEOUT(queue.state(other), TransferQueue::State::Succeeded, 30000);
        QVERIFY(queue.task(other)); // finished entries stay until removed
        QCOMPARE(queue.ids(), (QList<int> {failing, up, other}));

        // Paused from inside the signal once a part is done: the checkpoint has something.
        queue.resume(up);
        auto *task = qobject_cast<UploadTask *>(queue.task(up));
        QVERIFY(task);
        QCOMPARE(bigCalls, 1);
        connect(
                task, &UploadTask::partUploaded, &queue, [&queue, up] { queue.pause(up); },
                Qt::SingleShotConnection);
        QTRY_COMPARE_WITH_TIMEOUT(queue.state(up), TransferQueue::State::Paused, 30000);
        const TransferProgress before = queue.progress(up);
        QCOMPARE(before.bytesTotal, 8 * MiB);
        queue.releaseTasks();
        QVERIFY(!queue.task(up));
        QCOMPARE(queue.state(up), TransferQueue::State::Paused);
        // The last progress stays with the entry.
        QCOMPARE(queue.progress(up).bytesTotal, before.bytesTotal);
        QCOMPARE(queue.progress(up).bytesDone, before.bytesDone);

        QSignalSpy idle(&queue, &TransferQueue::idle);
        queue.resume(up);
        task = qobject_cast<UploadTask *>(queue.task(up));
        QVERIFY(task);
        QCOMPARE(bigCalls, 2);
        QTRY_COMPARE_WITH_TIMEOUT(queue.state(up), TransferQueue::State::Succeeded, 60000);
        QVERIFY2(task->resumedUpload() || task->partsReused() > 0,
                 "the upload restarted from zero instead of resuming");
        QTRY_VERIFY_WITH_TIMEOUT(!idle.isEmpty(), 5000);
        QCOMPARE(queue.progress(up).bytesDone, 8 * MiB);
        queue.remove(other);
        QVERIFY(!queue.contains(other));
        QCOMPARE(queue.ids(), (QList<int> {failing, up}));
    }

    void pauseResumeCancel()
    {
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(16 * MiB);
        auto client = makeClient(viaProxy(proxy));
        const QString src = makeFile(u"pause.bin"_s, 24 * MiB, 7);
        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = MiB;
        o.checkpointDirectory = m_dir.filePath(u"ck-pause"_s);
        UploadTask up(client.get(), src, m_bucket, u"pause.bin"_s, o);
        QSignalSpy progress(&up, &TransferTask::progressChanged);
        up.start();
        QTRY_VERIFY_WITH_TIMEOUT(up.partsSent() >= 5, 20000);
        up.pause();
        QCOMPARE(up.state(), TransferTask::State::Paused);
        const QString uploadId = up.uploadId();
        const int sentBefore = up.partsSent();
        QVERIFY(!readCheckpoint(o.checkpointDirectory, u".upload.json"_s).isEmpty());
        proxy.setRateLimit(0);
        QCOMPARE(runTask(&up), TransferTask::State::Succeeded);
        QCOMPARE(up.uploadId(), uploadId);
        QCOMPARE(up.partsSent() - sentBefore + up.partsReused(), 24);

        // At most ten progress signals a second.
        QVERIFY(progress.size() > 2);

        // Cancel aborts the multipart upload on the server and drops the checkpoint.
        proxy.setRateLimit(16 * MiB);
        UploadTask second(client.get(), src, m_bucket, u"canceled.bin"_s, o);
        second.start();
        QTRY_VERIFY_WITH_TIMEOUT(second.partsSent() >= 2, 20000);
        const QString canceledId = second.uploadId();
        QSignalSpy finished(&second, &TransferTask::finished);
        second.cancel();
        QVERIFY(finished.wait(10000) || second.state() == TransferTask::State::Canceled);
        QCOMPARE(second.state(), TransferTask::State::Canceled);
        QVERIFY(readCheckpoint(o.checkpointDirectory, u".upload.json"_s).isEmpty());
        RequestJob *list = client->newRequestJob(
                client->builder().listParts(m_bucket, u"canceled.bin"_s, canceledId));
        QSignalSpy listed(list, &Job::finished);
        list->start();
        QVERIFY(listed.wait(10000));
        QCOMPARE(list->error().httpStatus(), 404);
    }

    // A single-PUT object (MD5 checked) paused a third of the way and resumed in the same
    // process: the digest starts over on the bytes already there and must still match.
    void pauseResumeVerifiedDownload()
    {
        const QString src = putSinglePutObject(u"pause-get.bin"_s, 24 * MiB + 3, 71);
        QVERIFY(!src.isEmpty());

        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(16 * MiB, FaultProxy::Direction::Downstream);
        auto client = makeClient(viaProxy(proxy));
        const QString dst = m_dir.filePath(u"pause-get.out"_s);
        DownloadOptions d;
        d.checkpointDirectory = m_dir.filePath(u"ck-pause-get"_s);
        d.rangeSize = 4 * MiB;
        d.parallelThreshold = 4 * MiB;
        DownloadTask down(client.get(), m_bucket, u"pause-get.bin"_s, dst, d);
        down.start();
        QTRY_VERIFY_WITH_TIMEOUT(down.progress().bytesDone > 8 * MiB, 20000);
        down.pause();
        QCOMPARE(down.state(), TransferTask::State::Paused);
        const qint64 before = down.progress().bytesDone;
        proxy.setRateLimit(0, FaultProxy::Direction::Downstream);
        QCOMPARE(runTask(&down), TransferTask::State::Succeeded);
        QVERIFY2(down.bytesReceived() < 24 * MiB + 3,
                 qPrintable(u"received %1 bytes: the resume fetched everything again"_s.arg(
                         down.bytesReceived())));
        QVERIFY(before > 0);
        QCOMPARE(fileSha256(dst), fileSha256(src));
    }

    void progressRateIsLimited()
    {
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(8 * MiB);
        auto client = makeClient(viaProxy(proxy));
        const QString src = makeFile(u"rate.bin"_s, 16 * MiB, 9);
        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = MiB;
        o.resume = false;
        UploadTask up(client.get(), src, m_bucket, u"rate.bin"_s, o);
        QElapsedTimer clock;
        clock.start();
        QSignalSpy progress(&up, &TransferTask::progressChanged);
        QCOMPARE(runTask(&up), TransferTask::State::Succeeded);
        const double seconds = clock.elapsed() / 1000.0;
        QVERIFY2(progress.size() <= 10 * seconds + 3,
                 qPrintable(u"%1 signals in %2 s"_s.arg(progress.size()).arg(seconds)));
        QVERIFY(progress.size() >= 5);
    }

    void awscliInterop()
    {
        if (!QFile::exists(u"/usr/bin/aws"_s))
            QSKIP("/usr/bin/aws is not installed");
        auto client = makeClient(m_endpoint);
        // What we write, awscli reads.
        const QString ours = makeFile(u"ours.bin"_s, 20 * MiB + 5, 11);
        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = 2 * MiB;
        o.resume = false;
        UploadTask up(client.get(), ours, m_bucket, u"interop/ours ü+.bin"_s, o);
        QCOMPARE(runTask(&up), TransferTask::State::Succeeded);
        const QString fromAws = m_dir.filePath(u"ours.aws"_s);
        QByteArray out;
        QCOMPARE(runAws({u"s3"_s, u"cp"_s, u"s3://%1/interop/ours ü+.bin"_s.arg(m_bucket), fromAws},
                        &out),
                 0);
        QCOMPARE(fileSha256(fromAws), fileSha256(ours));

        // What awscli writes (multipart, 8 MiB chunks), we read.
        const QString theirs = makeFile(u"theirs.bin"_s, 20 * MiB + 7, 12);
        QCOMPARE(runAws({u"s3"_s, u"cp"_s, theirs,
                         u"s3://%1/interop/theirs + ü.bin"_s.arg(m_bucket)},
                        &out),
                 0);
        const QString small = makeFile(u"theirs-small.bin"_s, 12345, 13);
        QCOMPARE(runAws({u"s3"_s, u"cp"_s, small, u"s3://%1/interop/small.bin"_s.arg(m_bucket)},
                        &out),
                 0);
        for (const auto &[key, src] : {std::pair {u"interop/theirs + ü.bin"_s, theirs},
                                       std::pair {u"interop/small.bin"_s, small}}) {
            const QString dst = m_dir.filePath(u"theirs.out"_s);
            DownloadOptions d;
            d.resume = false;
            d.rangeSize = 4 * MiB;
            d.parallelThreshold = 4 * MiB;
            DownloadTask down(client.get(), m_bucket, key, dst, d);
            QCOMPARE(runTask(&down), TransferTask::State::Succeeded);
            QCOMPARE(fileSha256(dst), fileSha256(src));
        }
    }

    void killAndResumePut()
    {
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(16 * MiB);
        const QString ck = m_dir.filePath(u"ck-kill-put"_s);
        const QString src = makeFile(u"kill.bin"_s, 64 * MiB + 3, 21);
        const QStringList args {u"put"_s,
                                src,
                                m_bucket + u"/kill/put.bin"_s,
                                u"--part-size"_s,
                                u"1M"_s,
                                u"--multipart-threshold"_s,
                                u"1M"_s,
                                u"--parallel"_s,
                                u"2"_s};
        QProcess first;
        first.setProcessEnvironment(cosctlEnv(viaProxy(proxy), ck));
        first.start(QStringLiteral(COSCTL_PATH), args);
        QVERIFY(first.waitForStarted());
        // Kill at about a third: 22 of 65 parts recorded.
        QTRY_VERIFY_WITH_TIMEOUT(
                readCheckpoint(ck, u".upload.json"_s).value(u"parts"_s).toArray().size() >= 22,
                30000);
        first.kill(); // SIGKILL
        QVERIFY(first.waitForFinished(5000));
        QCOMPARE(first.exitStatus(), QProcess::CrashExit);
        const QJsonObject cp = readCheckpoint(ck, u".upload.json"_s);
        const QString uploadId = cp.value(u"uploadId"_s).toString();
        QSet<int> done;
        for (const QJsonValue &v : cp.value(u"parts"_s).toArray())
            done.insert(v.toObject().value(u"n"_s).toInt());
        QVERIFY(done.size() >= 22 && done.size() < 65);

        proxy.setRateLimit(0);
        QProcess second;
        second.setProcessEnvironment(cosctlEnv(viaProxy(proxy), ck));
        second.start(QStringLiteral(COSCTL_PATH), args);
        QTRY_VERIFY_WITH_TIMEOUT(second.state() == QProcess::NotRunning, 60000);
        const QString out = QString::fromUtf8(second.readAllStandardOutput());
        const QString err = QString::fromUtf8(second.readAllStandardError());
        QVERIFY2(second.exitCode() == 0, qPrintable(err.right(1500))); // a sanitizer report ends it
        QVERIFY2(out.contains(u"upload id %1 (resumed)"_s.arg(uploadId)), qPrintable(out));
        QSet<int> resent;
        static const QRegularExpression partLine(u"upload part (\\d+) "_s);
        for (auto it = partLine.globalMatch(err); it.hasNext();)
            resent.insert(it.next().captured(1).toInt());
        QVERIFY2(!resent.intersects(done), "a finished part was sent again");
        // Parts that reached the server after the last checkpoint write are adopted by their
        // ETag (reused), not sent again.
        static const QRegularExpression counts(u"65 parts \\(sent (\\d+), reused (\\d+)\\)"_s);
        const auto m = counts.match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        QCOMPARE(m.captured(1).toInt(), resent.size());
        QCOMPARE(m.captured(1).toInt() + m.captured(2).toInt(), 65);
        QVERIFY(m.captured(2).toInt() >= done.size());

        verifyStored(u"kill/put.bin"_s, src);
    }

    void killAndResumeGet()
    {
        // Source: the object of killAndResumePut, or upload it now.
        const QString src = m_dir.filePath(u"kill.bin"_s);
        if (!QFile::exists(src))
            QSKIP("needs killAndResumePut");
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(16 * MiB, FaultProxy::Direction::Downstream);
        const QString ck = m_dir.filePath(u"ck-kill-get"_s);
        const QString dst = m_dir.filePath(u"kill-get.out"_s);
        const QStringList args {u"get"_s, m_bucket + u"/kill/put.bin"_s,
                                dst,      u"--range-size"_s,
                                u"2M"_s,  u"--parallel"_s,
                                u"2"_s};
        QProcess first;
        first.setProcessEnvironment(cosctlEnv(viaProxy(proxy), ck));
        first.start(QStringLiteral(COSCTL_PATH), args);
        QVERIFY(first.waitForStarted());
        const qint64 size = 64 * MiB + 3;
        QTRY_VERIFY_WITH_TIMEOUT(coveredBytes(readCheckpoint(ck, u".download.json"_s)) >= size / 3,
                                 30000);
        first.kill();
        QVERIFY(first.waitForFinished(5000));
        const qint64 covered = coveredBytes(readCheckpoint(ck, u".download.json"_s));
        QVERIFY(covered >= size / 3 && covered < size);
        QVERIFY(QFile::exists(dst + u".part"_s));
        QVERIFY(!QFile::exists(dst));

        proxy.setRateLimit(0, FaultProxy::Direction::Downstream);
        QProcess second;
        second.setProcessEnvironment(cosctlEnv(viaProxy(proxy), ck));
        second.start(QStringLiteral(COSCTL_PATH), args);
        QTRY_VERIFY_WITH_TIMEOUT(second.state() == QProcess::NotRunning, 60000);
        const QString out = QString::fromUtf8(second.readAllStandardOutput());
        QVERIFY2(second.exitCode() == 0, second.readAllStandardError().right(1500).constData());
        static const QRegularExpression summary(u"received (\\d+), resumed (\\d+)"_s);
        const auto m = summary.match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        QCOMPARE(m.captured(2).toLongLong(), covered);
        QCOMPARE(m.captured(1).toLongLong(), size - covered); // nothing fetched twice
        QCOMPARE(fileSha256(dst), fileSha256(src));
        QVERIFY(!QFile::exists(dst + u".part"_s));
    }

    void faultProxyDropsAndStalls()
    {
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        auto client = makeClient(viaProxy(proxy));
        client->setTransferTimeout(1000); // a 2.5 s stall is a timeout, then a resend
        const QString src = makeFile(u"faults.bin"_s, 24 * MiB + 1, 31);
        proxy.dropAfter(5 * MiB);
        proxy.stallAfter(12 * MiB, 2500);
        proxy.dropAfter(18 * MiB);
        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = 4 * MiB;
        o.stepRetryBaseMs = 100;
        o.checkpointDirectory = m_dir.filePath(u"ck-faults"_s);
        UploadTask up(client.get(), src, m_bucket, u"faults.bin"_s, o);
        QCOMPARE(runTask(&up), TransferTask::State::Succeeded);
        QCOMPARE(proxy.faultsFired(), 3);

        proxy.dropAfter(proxy.bytesDown() + 3 * MiB, FaultProxy::Direction::Downstream);
        proxy.stallAfter(proxy.bytesDown() + 9 * MiB, 2500, FaultProxy::Direction::Downstream);
        proxy.dropAfter(proxy.bytesDown() + 15 * MiB, FaultProxy::Direction::Downstream);
        const QString dst = m_dir.filePath(u"faults.out"_s);
        DownloadOptions d;
        d.checkpointDirectory = o.checkpointDirectory;
        d.rangeSize = 4 * MiB;
        d.parallelThreshold = 4 * MiB;
        d.stepRetryBaseMs = 100;
        DownloadTask down(client.get(), m_bucket, u"faults.bin"_s, dst, d);
        QCOMPARE(runTask(&down), TransferTask::State::Succeeded);
        QCOMPARE(proxy.faultsFired(), 6);
        QCOMPARE(fileSha256(dst), fileSha256(src));
    }

    // A single-PUT object (plain MD5 ETag) in parallel ranges: the MD5, hashed while the
    // ranges arrive, catches one inverted byte; the next run starts over and succeeds. The
    // same with one GET, and one GET cut in the middle.
    void corruptedDownloadIsRejected()
    {
        const QString src = putSinglePutObject(u"corrupt.bin"_s, 20 * MiB + 5, 61);
        QVERIFY(!src.isEmpty());

        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        auto client = makeClient(viaProxy(proxy));
        proxy.corruptAt(11 * MiB);
        const QString dst = m_dir.filePath(u"corrupt.out"_s);
        DownloadOptions d;
        d.checkpointDirectory = m_dir.filePath(u"ck-corrupt"_s);
        d.rangeSize = 4 * MiB;
        d.parallelThreshold = 4 * MiB;
        d.stepRetries = 0;
        DownloadTask bad(client.get(), m_bucket, u"corrupt.bin"_s, dst, d);
        QCOMPARE(runTask(&bad), TransferTask::State::Failed);
        QCOMPARE(proxy.faultsFired(), 1);
        QCOMPARE(bad.error().kind(), Error::Kind::Integrity);
        QVERIFY2(bad.error().message().contains(u"MD5 of the download"_s),
                 qPrintable(bad.error().message()));
        QVERIFY(!QFile::exists(dst));

        DownloadTask good(client.get(), m_bucket, u"corrupt.bin"_s, dst, d);
        QCOMPARE(runTask(&good), TransferTask::State::Succeeded);
        QCOMPARE(good.bytesResumed(), qint64(0)); // nothing kept from the bad run
        QCOMPARE(fileSha256(dst), fileSha256(src));
        QVERIFY(QFile::remove(dst));

        // Fetched with one GET, the object is hashed as its bytes are written: the inverted
        // byte is caught the same way; a connection dropped in the middle is resumed with a
        // Range and the hash goes on from there.
        d.parallelThreshold = 64 * MiB;
        proxy.corruptAt(proxy.bytesDown() + 13 * MiB); // the proxy counts bytes from its start
        DownloadTask badOneGet(client.get(), m_bucket, u"corrupt.bin"_s, dst, d);
        QCOMPARE(runTask(&badOneGet), TransferTask::State::Failed);
        QCOMPARE(proxy.faultsFired(), 2);
        QVERIFY2(badOneGet.error().message().contains(u"MD5 of the download"_s),
                 qPrintable(badOneGet.error().message()));
        QVERIFY(!QFile::exists(dst));
        d.stepRetries = 2;
        d.stepRetryBaseMs = 10;
        proxy.dropAfter(proxy.bytesDown() + 7 * MiB, FaultProxy::Direction::Downstream);
        DownloadTask resumedOneGet(client.get(), m_bucket, u"corrupt.bin"_s, dst, d);
        QCOMPARE(runTask(&resumedOneGet), TransferTask::State::Succeeded);
        QCOMPARE(proxy.faultsFired(), 3);
        QCOMPARE(fileSha256(dst), fileSha256(src));
    }

    // The first parts of an upload go out while their MD5s are still being computed, without
    // Content-MD5, and each is checked against the ETag the server answers. A byte inverted on
    // the way into such a part is caught by that check; the part is sent again, now with its
    // Content-MD5, and the object ends up whole.
    void partsSentBeforeHashingAreChecked()
    {
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        auto client = makeClient(viaProxy(proxy));
        RequestJournal journal;
        journal.setCapacity(64);
        client->setJournal(&journal);
        const QString src = makeFile(u"unhashed.bin"_s, 64 * MiB + 7, 71);
        proxy.corruptAt(MiB + 3, FaultProxy::Direction::Upstream);
        UploadOptions o; // 16 MiB parts, 4 in flight: the first wave is the whole first pass
        o.stepRetryBaseMs = 10;
        o.checkpointDirectory = m_dir.filePath(u"ck-unhashed"_s);
        UploadTask up(client.get(), src, m_bucket, u"unhashed.bin"_s, o);
        QStringList messages;
        connect(&up, &TransferTask::message, this, [&](const QString &m) { messages.append(m); });
        QVERIFY2(runTask(&up) == TransferTask::State::Succeeded, qPrintable(up.error().toString()));
        QCOMPARE(proxy.faultsFired(), 1);

        int withoutMd5 = 0;
        int withMd5 = 0;
        for (const JournalEntry &e : journal.entries()) {
            if (e.operation != u"UploadPart"_s)
                continue;
            bool md5 = false;
            for (const auto &h : e.requestHeaders)
                md5 = md5 || h.first.compare("Content-MD5", Qt::CaseInsensitive) == 0;
            ++(md5 ? withMd5 : withoutMd5);
        }
        QVERIFY2(withoutMd5 >= 1, "every part waited for its MD5");
        QCOMPARE(withoutMd5 + withMd5, 6); // 5 parts (the last 7 bytes), one of them twice
        QVERIFY2(withMd5 >= 1, "the corrupted part was not sent again with its MD5");
        QVERIFY2(!messages.filter(u"is not the MD5"_s).isEmpty(), qPrintable(messages.join(u'\n')));

        verifyStored(u"unhashed.bin"_s, src);
    }

    // A body damaged on the way makes the server answer BadDigest to its Content-MD5: the PUT
    // is sent again and the object arrives whole. Without Content-MD5, the answer's ETag shows
    // the damage and the PUT is sent again as well.
    void badDigestIsSentAgain()
    {
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        auto client = makeClient(viaProxy(proxy));
        const QString src = makeFile(u"baddigest.bin"_s, 3 * MiB + 1, 73);
        proxy.corruptAt(MiB, FaultProxy::Direction::Upstream);
        UploadOptions o; // one PUT with Content-MD5
        o.stepRetryBaseMs = 10;
        o.checkpointDirectory = m_dir.filePath(u"ck-baddigest"_s);
        UploadTask up(client.get(), src, m_bucket, u"baddigest.bin"_s, o);
        QVERIFY2(runTask(&up) == TransferTask::State::Succeeded, qPrintable(up.error().toString()));
        QCOMPARE(proxy.faultsFired(), 1);
        verifyStored(u"baddigest.bin"_s, src);

        // Without Content-MD5 the server takes the damaged body; the ETag shows it, and the
        // file is sent again to repair the object.
        proxy.corruptAt(proxy.bytesUp() + MiB, FaultProxy::Direction::Upstream);
        o.contentMd5 = false;
        UploadTask unchecked(client.get(), src, m_bucket, u"nomd5.bin"_s, o);
        QStringList messages;
        connect(&unchecked, &TransferTask::message, this,
                [&](const QString &m) { messages.append(m); });
        QVERIFY2(runTask(&unchecked) == TransferTask::State::Succeeded,
                 qPrintable(unchecked.error().toString()));
        QCOMPARE(proxy.faultsFired(), 2);
        QVERIFY2(!messages.filter(u"is not the MD5"_s).isEmpty(), qPrintable(messages.join(u'\n')));
        verifyStored(u"nomd5.bin"_s, src);
    }

    void shortLivedCredentials()
    {
        if (m_env->roleArn.isEmpty())
            QSKIP("the sandbox has no role (COS_ROLE_ARN)");
        ShortCredentialServer server(*m_env, 3);
        QTRY_VERIFY2_WITH_TIMEOUT(server.ready(), qPrintable(server.lastError()), 10000);
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(8 * MiB); // about 6 s: several 3-second key sets
        auto nam = std::make_unique<QNetworkAccessManager>();
        auto client = makeClient(viaProxy(proxy),
                                 new UrlCredentialProvider(nam.get(), server.url()));
        const QString src = makeFile(u"creds.bin"_s, 48 * MiB, 41);
        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = MiB;
        o.resume = false;
        UploadTask up(client.get(), src, m_bucket, u"creds.bin"_s, o);
        QCOMPARE(runTask(&up, 90000), TransferTask::State::Succeeded);
        QVERIFY2(server.distinctKeysServed() >= 3,
                 qPrintable(u"only %1 key sets used"_s.arg(server.distinctKeysServed())));
        const QString dst = m_dir.filePath(u"creds.out"_s);
        DownloadTask down(client.get(), m_bucket, u"creds.bin"_s, dst, {});
        QCOMPARE(runTask(&down), TransferTask::State::Succeeded);
        QCOMPARE(fileSha256(dst), fileSha256(src));
    }

    void serverRestartMidUpload()
    {
        if (qEnvironmentVariableIntValue("COS_TEST_SKIP_RGW_RESTART") == 1)
            QSKIP("runs alone as the ctest entry tst_transfers_rgw_restart");
        const QString dir = qEnvironmentVariable("COS_SANDBOX_DIR");
        if (dir.isEmpty() || !QFile::exists(dir + u"/run/rgw.pid"_s))
            QSKIP("COS_SANDBOX_DIR is not set: cannot restart radosgw");
        FaultProxy proxy;
        QVERIFY(proxy.start(QHostAddress(m_endpoint.host()), quint16(m_endpoint.port())));
        proxy.setRateLimit(16 * MiB);
        auto client = makeClient(viaProxy(proxy));
        const QString src = makeFile(u"restart.bin"_s, 64 * MiB, 51);
        UploadOptions o;
        o.multipartThreshold = MiB;
        o.partSize = 2 * MiB;
        o.stepRetries = 8;
        o.checkpointDirectory = m_dir.filePath(u"ck-restart"_s);
        UploadTask up(client.get(), src, m_bucket, u"restart.bin"_s, o);
        QStringList messages;
        connect(&up, &TransferTask::message, this, [&](const QString &m) { messages.append(m); });
        up.start();
        QTRY_VERIFY_WITH_TIMEOUT(up.progress().bytesDone > 20 * MiB, 30000);

        // Restart only this sandbox's radosgw, the way scripts/sandbox.sh launches it.
        QFile pidFile(dir + u"/run/rgw.pid"_s);
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const int pid = pidFile.readAll().trimmed().toInt();
        pidFile.close();
        QFile comm(u"/proc/%1/comm"_s.arg(pid));
        QVERIFY(comm.open(QIODevice::ReadOnly));
        QCOMPARE(comm.readAll().trimmed(), "radosgw"_ba);
        // SIGTERM, as a service manager restarts it: radosgw closes its connections and exits
        // within about 2 s. (After SIGKILL its cache watch would linger in the OSD for 30 s and
        // stall the next tests' bucket creates by 20 s; docs/sandbox.md.)
        QCOMPARE(::kill(pid, SIGTERM), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!QFile::exists(u"/proc/%1"_s.arg(pid)), 15000);
        QTest::qWait(300); // let the upload notice
        QProcess::execute(u"/bin/sh"_s,
                          {u"-c"_s,
                           u"cd '%1' && setsid radosgw -n client.rgw.a -f -c '%1/ceph.conf' "
                           ">>'%1/log/client.rgw.a.out' 2>&1 </dev/null & echo $! >'%1/run/rgw.pid'"_s
                                   .arg(dir)});
        QCOMPARE(runTask(&up, 90000), TransferTask::State::Succeeded);
        QVERIFY2(!messages.filter(u"retrying"_s).isEmpty(), "the restart caused no retry?");
        verifyStored(u"restart.bin"_s, src);
    }
};

QTEST_GUILESS_MAIN(TstTransfersSandbox)
#include "tst_transfers_sandbox.moc"
