// Client operations against the sandbox's Ceph RGW: create, list (paging, delimiter, v1/v2),
// head, delete, ACL, presign; clock skewed by +-20 minutes; temporary keys from STS AssumeRole.
#include "cos/net/client.h"
#include "cos/net/clock.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "runjob.h"
#include "sandboxenv.h"
#include "sandboxsts.h"
#include "cos/signing/sigv4.h"
#include "cos/protocol/xmlparsers.h"

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QUrlQuery>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

Endpoint sandboxEndpoint(const SandboxEnv &env)
{
    return Endpoint::s3(QUrl(env.endpoint), env.region, env.pathStyle);
}

std::unique_ptr<Client> makeClient(const SandboxEnv &env, CredentialProvider *provider = nullptr)
{
    if (!provider) {
        Credentials c;
        c.secretId = env.secretId;
        c.secretKey = env.secretKey;
        provider = new StaticCredentialProvider(c, u"sandbox"_s);
    }
    auto client = std::make_unique<Client>(sandboxEndpoint(env), provider);
    client->setTransferTimeout(20000);
    return client;
}

QString uniqueBucket(const char *prefix)
{
    return u"%1-%2-%3"_s.arg(QLatin1StringView(prefix))
            .arg(QDateTime::currentSecsSinceEpoch())
            .arg(QRandomGenerator::global()->bounded(100000));
}

// Always answers with the same keys but claims it could fetch others, so a refresh is possible.
class RepeatingProvider : public CredentialProvider
{
public:
    explicit RepeatingProvider(Credentials c)
        : m_c(std::move(c))
    { }
    QString description() const override { return u"repeating test provider"_s; }
    void fetch() override
    {
        ++fetches;
        QTimer::singleShot(0, this, [this] { Q_EMIT fetched(m_c, {}); });
    }
    int fetches = 0;

private:
    Credentials m_c;
};

bool putObject(Client *client, const QString &bucket, const QString &key, const QByteArray &data)
{
    PutObjectParams params;
    params.contentLength = data.size();
    RequestJob *job = client->newRequestJob(client->builder().putObject(bucket, key, params));
    job->setBody(data);
    const bool ok = runJob(job) && !job->error();
    if (!ok)
        qWarning() << "put failed:" << job->error().toString();
    delete job;
    return ok;
}

// A real gzip member (RFC 1952) of @p data: qCompress's deflate stream between a gzip header
// and trailer, so any HTTP stack that decompresses on its own would succeed and change the bytes.
QByteArray gzip(const QByteArray &data)
{
    const QByteArray zlib = qCompress(data).mid(4); // drop qCompress's length prefix
    const QByteArray deflate = zlib.mid(2, zlib.size() - 6); // drop zlib header and Adler-32
    quint32 crc = 0xffffffffu;
    for (const char c : data) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    crc ^= 0xffffffffu;
    QByteArray out("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
    out += deflate;
    for (const quint32 v : {crc, quint32(data.size())}) {
        for (int i = 0; i < 4; ++i)
            out += char((v >> (8 * i)) & 0xff);
    }
    return out;
}

} // namespace

class TstClientSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void createListDelete();
    void pagingAndDelimiter_data();
    void pagingAndDelimiter();
    void headAndMissing();
    void copyObject();
    void bucketAcl();
    void presignedGet();
    void skewedClock_data();
    void skewedClock();
    void temporaryCredentialsAccessDenied();
    void gzipEncodedObject();

private:
    std::optional<SandboxEnv> m_env;
    std::unique_ptr<Client> m_client;
    QString m_bucket; // shared, with objects for listing tests
    QStringList m_keys;
};

void TstClientSandbox::initTestCase()
{
    m_env = SandboxEnv::fromEnvironment();
    if (!m_env)
        return;
    m_client = makeClient(*m_env);
    m_bucket = uniqueBucket("jobs-list");
    RequestJob *create = m_client->createBucket(m_bucket);
    QVERIFY(runJob(create));
    QVERIFY2(!create->error(), qPrintable(create->error().toString()));
    // Seven keys under p/, one under q/, one at the root, one with unicode, space and '+'.
    for (int i = 0; i < 7; ++i)
        m_keys.append(u"p/a%1"_s.arg(i));
    m_keys << u"q/x"_s << u"root.txt"_s << u"p/ü n+i.txt"_s;
    for (const QString &key : std::as_const(m_keys))
        QVERIFY(putObject(m_client.get(), m_bucket, key, key.toUtf8()));
}

void TstClientSandbox::cleanupTestCase()
{
    if (!m_client || m_bucket.isEmpty())
        return;
    DeleteObjectsJob *del = m_client->deleteObjects(m_bucket, m_keys);
    QVERIFY(runJob(del));
    QVERIFY2(!del->error(), qPrintable(del->error().toString()));
    QCOMPARE(del->deletedCount(), m_keys.size());
    RequestJob *rb = m_client->deleteBucket(m_bucket);
    QVERIFY(runJob(rb));
    QVERIFY2(!rb->error(), qPrintable(rb->error().toString()));
}

void TstClientSandbox::createListDelete()
{
    COS_REQUIRE_SANDBOX(env);
    auto client = makeClient(env);
    const QString bucket = uniqueBucket("jobs-cld");
    RequestJob *create = client->createBucket(bucket);
    QVERIFY(runJob(create));
    QVERIFY2(!create->error(), qPrintable(create->error().toString()));

    ListBucketsJob *list = client->listBuckets();
    QVERIFY(runJob(list));
    QVERIFY2(!list->error(), qPrintable(list->error().toString()));
    bool found = false;
    for (const BucketInfo &b : list->buckets())
        found = found || b.name == bucket;
    QVERIFY(found);

    QVERIFY(putObject(client.get(), bucket, u"one"_s, "1"_ba));
    // A non-empty bucket cannot be deleted: a 409 that is reported, not retried.
    RequestJob *busy = client->deleteBucket(bucket);
    QVERIFY(runJob(busy));
    QCOMPARE(busy->error().httpStatus(), 409);
    QCOMPARE(busy->error().code(), u"BucketNotEmpty"_s);
    QCOMPARE(busy->attempts(), 1);

    RequestJob *rm = client->deleteObject(bucket, u"one"_s);
    QVERIFY(runJob(rm));
    QVERIFY2(!rm->error(), qPrintable(rm->error().toString()));
    ListObjectsJob *empty = client->listObjects(bucket);
    QVERIFY(runJob(empty));
    QVERIFY(empty->result().objects.isEmpty());

    RequestJob *rb = client->deleteBucket(bucket);
    QVERIFY(runJob(rb));
    QVERIFY2(!rb->error(), qPrintable(rb->error().toString()));
    ListObjectsJob *gone = client->listObjects(bucket);
    QVERIFY(runJob(gone));
    QCOMPARE(gone->error().code(), u"NoSuchBucket"_s);
    QCOMPARE(gone->error().httpStatus(), 404);
}

void TstClientSandbox::pagingAndDelimiter_data()
{
    QTest::addColumn<bool>("v2");
    QTest::newRow("v1 marker") << false;
    QTest::newRow("v2 continuation token") << true;
}

void TstClientSandbox::pagingAndDelimiter()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    QFETCH(bool, v2);
    ListObjectsParams params;
    params.prefix = u"p/"_s;
    params.maxKeys = 3;
    params.v2 = v2;
    ListObjectsJob *all = m_client->listObjects(m_bucket, params, 0);
    QSignalSpy pages(all, &ListObjectsJob::pageReceived);
    QVERIFY(runJob(all));
    QVERIFY2(!all->error(), qPrintable(all->error().toString()));
    QCOMPARE(all->result().objects.size(), 8);
    QCOMPARE(pages.size(), 3);
    QCOMPARE(all->pagesFetched(), 3);
    QVERIFY(!all->result().isTruncated);
    QStringList keys;
    for (const ObjectInfo &o : all->result().objects)
        keys << o.key;
    QVERIFY(keys.contains(u"p/ü n+i.txt"_s));

    // One page only, then continue from where it stopped.
    ListObjectsJob *first = m_client->listObjects(m_bucket, params, 1);
    QVERIFY(runJob(first));
    QCOMPARE(first->result().objects.size(), 3);
    QVERIFY(first->result().isTruncated);
    ListObjectsParams next = params;
    if (v2)
        next.continuationToken = first->result().nextContinuationToken;
    else
        next.marker = first->result().nextMarker;
    ListObjectsJob *rest = m_client->listObjects(m_bucket, next, 0);
    QVERIFY(runJob(rest));
    QCOMPARE(rest->result().objects.size(), 5);
    QCOMPARE(rest->result().objects.constFirst().key, keys.at(3));

    // Delimiter: the root shows prefixes and the one root key.
    ListObjectsParams root;
    root.delimiter = u"/"_s;
    root.v2 = v2;
    ListObjectsJob *top = m_client->listObjects(m_bucket, root, 0);
    QVERIFY(runJob(top));
    QCOMPARE(top->result().commonPrefixes, (QStringList {u"p/"_s, u"q/"_s}));
    QCOMPARE(top->result().objects.size(), 1);
    QCOMPARE(top->result().objects.constFirst().key, u"root.txt"_s);
}

void TstClientSandbox::headAndMissing()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    HeadObjectJob *head = m_client->headObject(m_bucket, u"p/ü n+i.txt"_s);
    QVERIFY(runJob(head));
    QVERIFY2(!head->error(), qPrintable(head->error().toString()));
    QCOMPARE(head->metadata().size, QByteArray("p/ü n+i.txt").size());
    QCOMPARE(head->metadata().etag,
             QString::fromLatin1(
                     QCryptographicHash::hash("p/ü n+i.txt", QCryptographicHash::Md5).toHex()));

    HeadObjectJob *missing = m_client->headObject(m_bucket, u"no/such/key"_s);
    QVERIFY(runJob(missing));
    QCOMPARE(missing->error().httpStatus(), 404);
    QCOMPARE(missing->attempts(), 1);
}

// Server-side copy of a key with a space, "+", "%", "?" and non-ASCII (the copy source is
// percent-encoded), metadata kept; a missing source is a 404 with no retry.
void TstClientSandbox::copyObject()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    const QString source = u"copy/ü n+i%?.txt"_s;
    const QByteArray data = "copy me\n";
    PutObjectParams params;
    params.contentLength = data.size();
    params.contentType = u"text/plain"_s;
    params.metadata = {{u"origin"_s, u"tst"_s}};
    std::unique_ptr<RequestJob> put(
            m_client->newRequestJob(m_client->builder().putObject(m_bucket, source, params)));
    put->setBody(data);
    QVERIFY(runJob(put.get()));
    QVERIFY2(!put->error(), qPrintable(put->error().toString()));

    const QString target = u"copy/目标 b+c.txt"_s;
    std::unique_ptr<CopyObjectJob> copy(m_client->copyObject(m_bucket, target, m_bucket, source));
    QVERIFY(runJob(copy.get()));
    QVERIFY2(!copy->error(), qPrintable(copy->error().toString()));
    const QString md5 = QString::fromLatin1(
            QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex());
    QCOMPARE(copy->result().etag, md5);
    QVERIFY(copy->result().lastModified.isValid());

    std::unique_ptr<HeadObjectJob> head(m_client->headObject(m_bucket, target));
    QVERIFY(runJob(head.get()));
    QVERIFY2(!head->error(), qPrintable(head->error().toString()));
    QCOMPARE(head->metadata().size, data.size());
    QCOMPARE(head->metadata().etag, md5);
    QCOMPARE(head->metadata().contentType, u"text/plain"_s);
    QCOMPARE(head->metadata().userMetadata,
             (QList<QPair<QString, QString>> {{u"origin"_s, u"tst"_s}}));

    std::unique_ptr<CopyObjectJob> missing(
            m_client->copyObject(m_bucket, u"copy/x"_s, m_bucket, u"copy/no such key"_s));
    QVERIFY(runJob(missing.get()));
    QCOMPARE(missing->error().httpStatus(), 404);
    QCOMPARE(missing->error().code(), u"NoSuchKey"_s);
    QCOMPARE(missing->attempts(), 1);

    // The other tests count the bucket's keys.
    std::unique_ptr<DeleteObjectsJob> del(m_client->deleteObjects(m_bucket, {source, target}));
    QVERIFY(runJob(del.get()));
    QVERIFY2(!del->error() && del->failures().isEmpty(), qPrintable(del->error().toString()));
}

void TstClientSandbox::bucketAcl()
{
    COS_REQUIRE_SANDBOX(env);
    auto client = makeClient(env);
    const QString pub = uniqueBucket("jobs-pub");
    RequestJob *create = client->createBucket(pub, u"public-read"_s);
    QVERIFY(runJob(create));
    QVERIFY2(!create->error(), qPrintable(create->error().toString()));

    // Anonymous listing: allowed on the public-read bucket, denied on the private one.
    QNetworkAccessManager nam;
    const auto anonymousStatus = [&](const QString &bucket) {
        std::unique_ptr<QNetworkReply> reply(
                nam.get(QNetworkRequest(QUrl(env.endpoint + u'/' + bucket))));
        QSignalSpy done(reply.get(), &QNetworkReply::finished);
        done.wait(10000);
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    };
    QCOMPARE(anonymousStatus(pub), 200);
    QCOMPARE(anonymousStatus(m_bucket), 403);

    RequestJob *rb = client->deleteBucket(pub);
    QVERIFY(runJob(rb));
    QVERIFY(!rb->error());
}

void TstClientSandbox::presignedGet()
{
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    PresignJob *job = m_client->presign("GET", m_bucket, u"p/ü n+i.txt"_s, 300);
    QVERIFY(runJob(job));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QNetworkAccessManager nam;
    std::unique_ptr<QNetworkReply> reply(nam.get(QNetworkRequest(job->url())));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(reply->readAll(), QByteArray("p/ü n+i.txt"));
}

void TstClientSandbox::skewedClock_data()
{
    QTest::addColumn<int>("skewSeconds");
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("+20 min GET") << 1200 << "GET"_ba;
    QTest::newRow("-20 min GET") << -1200 << "GET"_ba;
    QTest::newRow("+20 min HEAD") << 1200 << "HEAD"_ba;
    QTest::newRow("-20 min HEAD") << -1200 << "HEAD"_ba;
}

void TstClientSandbox::skewedClock()
{
    COS_REQUIRE_SANDBOX(env);
    QFETCH(int, skewSeconds);
    QFETCH(QByteArray, method);
    auto client = makeClient(env);
    client->clock().setSkewForTesting(skewSeconds);
    RequestJob *job = method == "HEAD"
            ? client->headObject(m_bucket, u"root.txt"_s)
            : client->newRequestJob(client->builder().listObjects(m_bucket));
    QSignalSpy retrying(job, &RequestJob::retrying);
    QVERIFY(runJob(job));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->resignCount(), 1);
    QCOMPARE(job->attempts(), 2);
    QCOMPARE(retrying.size(), 1);
    // The first answer said why.
    if (method == "GET")
        QCOMPARE(retrying.at(0).at(1).value<Error>().code(), u"RequestTimeTooSkewed"_s);
    QVERIFY2(qAbs(client->clock().offsetMSecs() + skewSeconds * 1000LL) < 5000,
             qPrintable(QString::number(client->clock().offsetMSecs())));

    // Later requests are signed right the first time.
    ListBucketsJob *after = client->listBuckets();
    QVERIFY(runJob(after));
    QVERIFY(!after->error());
}

void TstClientSandbox::temporaryCredentialsAccessDenied()
{
    COS_REQUIRE_SANDBOX(env);
    if (env.roleArn.isEmpty())
        QSKIP("COS_ROLE_ARN is not set");
    // Built in pieces: moc's tokenizer would read a slash-star inside a literal as a comment.
    const QString resource = u"arn:aws:s3:::"_s + m_bucket;
    const QString policy = u"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                           "\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],\"Resource\":[\""_s
            + resource + u"\",\""_s + resource + u"/"_s + u"*\"]}]}"_s;
    QString error;
    const std::optional<Credentials> temp = sandboxAssumeRole(env, policy, 900, &error);
    QVERIFY2(temp, qPrintable(error));
    QVERIFY(temp->isTemporary());

    auto *provider = new RepeatingProvider(*temp);
    auto client = makeClient(env, provider);

    // Inside the policy: allowed.
    ListObjectsJob *allowed = client->listObjects(m_bucket);
    QVERIFY(runJob(allowed));
    QVERIFY2(!allowed->error(), qPrintable(allowed->error().toString()));
    QCOMPARE(allowed->result().objects.size(), m_keys.size());

    // Outside the policy: AccessDenied, reported as such and not mistaken for expired keys.
    PutObjectParams params;
    params.contentLength = 1;
    RequestJob *put = client->newRequestJob(
            client->builder().putObject(m_bucket, u"nope"_s, params));
    put->setBody("x"_ba);
    QVERIFY(runJob(put));
    QCOMPARE(put->error().kind(), Error::Kind::Service);
    QCOMPARE(put->error().httpStatus(), 403);
    QCOMPARE(put->error().code(), u"AccessDenied"_s);
    QCOMPARE(put->credentialRefreshCount(), 0);
    QCOMPARE(put->resignCount(), 0);
    QCOMPARE(put->attempts(), 1);

    RequestJob *mb = client->createBucket(uniqueBucket("jobs-denied"));
    QVERIFY(runJob(mb));
    QCOMPARE(mb->error().code(), u"AccessDenied"_s);
    QCOMPARE(mb->attempts(), 1);
    QCOMPARE(provider->fetches, 1);
    // The session token never shows up in what is reported.
    QVERIFY(!mb->error().toString().contains(temp->sessionToken));
    QVERIFY(!mb->error().toString().contains(temp->secretKey));
}

void TstClientSandbox::gzipEncodedObject()
{
    // An object stored with Content-Encoding: gzip comes back as the stored bytes: HEAD reports
    // the stored size and GET returns the compressed bytes unchanged, as the official SDKs do.
    COS_REQUIRE_SANDBOX(env);
    Q_UNUSED(env);
    const QByteArray plain = QByteArray("gzip-encoded object ").repeated(500);
    const QByteArray stored = gzip(plain);
    QCOMPARE(qUncompress(qCompress(plain)), plain);
    QVERIFY(stored.size() < plain.size());
    const QString key = u"gz/log.txt"_s;
    m_keys.append(key);
    PutObjectParams params;
    params.contentLength = stored.size();
    params.contentType = u"text/plain"_s;
    BuildResult build = m_client->builder().putObject(m_bucket, key, params);
    build.request.setHeader(u"Content-Encoding"_s, u"gzip"_s);
    std::unique_ptr<RequestJob> put(m_client->newRequestJob(build));
    put->setBody(stored);
    QVERIFY(runJob(put.get()));
    QVERIFY2(!put->error(), qPrintable(put->error().toString()));

    std::unique_ptr<HeadObjectJob> head(m_client->headObject(m_bucket, key));
    QVERIFY(runJob(head.get()));
    QVERIFY2(!head->error(), qPrintable(head->error().toString()));
    QCOMPARE(head->metadata().size, stored.size());
    QCOMPARE(head->responseHeader("Content-Encoding"), "gzip"_ba);

    std::unique_ptr<RequestJob> get(
            m_client->newRequestJob(m_client->builder().getObject(m_bucket, key)));
    QVERIFY(runJob(get.get()));
    QVERIFY2(!get->error(), qPrintable(get->error().toString()));
    QCOMPARE(get->responseBody().size(), stored.size());
    QCOMPARE(get->responseBody(), stored);
}

QTEST_GUILESS_MAIN(TstClientSandbox)
#include "tst_client_sandbox.moc"
