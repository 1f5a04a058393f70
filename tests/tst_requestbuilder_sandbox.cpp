// Signed requests from RequestBuilder + RequestSigner against the real S3 server of the sandbox:
// the server recomputes every signature, so a 2xx proves that what was sent is what was signed.

#include "cos/protocol/requestbuilder.h"
#include "cos/net/requestsigner.h"
#include "sandboxenv.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

struct Response
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QHash<QByteArray, QByteArray> headers; // lower-case names
};

QStringList xmlTexts(const QByteArray &xml, QLatin1StringView element)
{
    QStringList out;
    QXmlStreamReader r(xml);
    while (!r.atEnd()) {
        if (r.readNext() == QXmlStreamReader::StartElement && r.name() == element)
            out.append(r.readElementText());
    }
    return out;
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TstRequestBuilderSandbox : public QObject
{
    Q_OBJECT

    Response send(const BuildResult &built, const Credentials &credentials,
                  const QByteArray &body = {})
    {
        Response out;
        if (!built.ok()) {
            qWarning("build failed: %s", qPrintable(built.error.message()));
            return out;
        }
        const SignedRequest s = RequestSigner::sign(built.request, credentials,
                                                    QDateTime::currentSecsSinceEpoch());
        if (!s.ok()) {
            qWarning("sign failed: %s", qPrintable(s.error.message()));
            return out;
        }
        QBuffer device;
        device.setData(body);
        device.open(QIODevice::ReadOnly);
        QNetworkReply *reply = sendSigned(&m_nam, s, body.isEmpty() ? nullptr : &device);
        return wait(reply);
    }

    Response wait(QNetworkReply *reply)
    {
        Response out;
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished() && !finished.wait(20000))
            qWarning("no reply within 20 s");
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.error = reply->error();
        for (const auto &[name, value] : reply->rawHeaderPairs())
            out.headers.insert(name.toLower(), value);
        reply->deleteLater();
        return out;
    }

    QNetworkAccessManager m_nam;
    std::optional<RequestBuilder> m_builder;
    Credentials m_keys;
    QString m_bucket;
    SandboxEnv m_env;

private Q_SLOTS:
    void initTestCase()
    {
        COS_REQUIRE_SANDBOX(env);
        m_env = env;
        Error error;
        const Endpoint endpoint = Endpoint::s3(QUrl(env.endpoint), env.region, true, &error);
        QVERIFY2(!error, qPrintable(error.message()));
        m_builder.emplace(endpoint);
        m_keys.secretId = env.secretId;
        m_keys.secretKey = env.secretKey;
        m_bucket = u"reqb-%1"_s.arg(QRandomGenerator::global()->generate64(), 16, 16, QChar(u'0'));
        const Response r = send(m_builder->putBucket(m_bucket, u"private"_s), m_keys);
        QCOMPARE(r.status, 200);
    }

    void cleanupTestCase()
    {
        if (!m_builder)
            return;
        // Best effort: remove what is left so a reused sandbox does not fill up.
        const Response list = send(m_builder->listObjects(m_bucket), m_keys);
        const QStringList keys = xmlTexts(list.body, "Key"_L1);
        if (!keys.isEmpty()) {
            const BuildResult del = m_builder->deleteObjects(m_bucket, keys);
            send(del, m_keys, del.request.body);
        }
        QCOMPARE(send(m_builder->deleteBucket(m_bucket), m_keys).status, 204);
    }

    void objectRoundTrip_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("signPayload");
        QTest::newRow("unicode space plus") << u"文件 a+b/c d+e.txt"_s << true;
        QTest::newRow("unsigned payload") << u"ünï cödé+ %20 ?#.txt"_s << false;
        QTest::newRow("double slash, trailing slash") << u"a//b/"_s << true;
        QTest::newRow("sub-delims") << u"(x)!*';=&,$@:~"_s << false;
    }

    void objectRoundTrip()
    {
        QFETCH(QString, key);
        QFETCH(bool, signPayload);
        const QByteArray body = "hello world "_ba + key.toUtf8();

        PutObjectParams put;
        put.contentLength = body.size();
        put.contentType = u"text/plain"_s;
        put.contentMd5 = QCryptographicHash::hash(body, QCryptographicHash::Md5).toBase64();
        put.metadata = {{u"origin"_s, u"tst requestbuilder"_s}};
        if (signPayload)
            put.payloadHash = sha256Hex(body);
        Response r = send(m_builder->putObject(m_bucket, key, put), m_keys, body);
        QCOMPARE(r.status, 200);

        r = send(m_builder->headObject(m_bucket, key), m_keys);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.headers.value("content-length"), QByteArray::number(body.size()));
        QCOMPARE(r.headers.value("x-amz-meta-origin"), "tst requestbuilder"_ba);

        r = send(m_builder->getObject(m_bucket, key), m_keys);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, body);

        GetObjectParams range;
        range.rangeFirst = 1;
        range.rangeLast = 4;
        range.responseHeaders = {{u"content-type"_s, u"application/x-test"_s}};
        r = send(m_builder->getObject(m_bucket, key, range), m_keys);
        QCOMPARE(r.status, 206);
        QCOMPARE(r.body, "ello"_ba);
        QCOMPARE(r.headers.value("content-type"), "application/x-test"_ba);

        ListObjectsParams list;
        list.prefix = key;
        r = send(m_builder->listObjects(m_bucket, list), m_keys);
        QCOMPARE(r.status, 200);
        QCOMPARE(xmlTexts(r.body, "Key"_L1), QStringList {key});

        list.v2 = true;
        list.urlEncoding = true;
        r = send(m_builder->listObjects(m_bucket, list), m_keys);
        QCOMPARE(r.status, 200);
        const QStringList encodedKeys = xmlTexts(r.body, "Key"_L1);
        QCOMPARE(encodedKeys.size(), 1);
        QCOMPARE(QUrl::fromPercentEncoding(
                         QString(encodedKeys.first()).replace(u'+', u' ').toUtf8()),
                 key);

        const BuildResult get = m_builder->getObject(m_bucket, key);
        const PresignedUrl url = RequestSigner::presign(get.request, m_keys,
                                                        QDateTime::currentSecsSinceEpoch(), 300);
        QVERIFY2(url.ok(), qPrintable(url.error.message()));
        r = wait(m_nam.get(QNetworkRequest(url.url)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, body);

        r = send(m_builder->deleteObject(m_bucket, key), m_keys);
        QCOMPARE(r.status, 204);
        r = send(m_builder->headObject(m_bucket, key), m_keys);
        QCOMPARE(r.status, 404);
    }

    void wrongSecretIsRejected()
    {
        Credentials wrong = m_keys;
        wrong.secretKey += u'x';
        QCOMPARE(send(m_builder->listObjects(m_bucket), wrong).status, 403);
    }

    void multipart()
    {
        const QString key = u"多 part+ key.bin"_s;
        Response r = send(m_builder->initiateMultipartUpload(m_bucket, key), m_keys);
        QCOMPARE(r.status, 200);
        const QStringList ids = xmlTexts(r.body, "UploadId"_L1);
        QCOMPARE(ids.size(), 1);
        const QString uploadId = ids.first();

        ListUploadsParams uploads;
        uploads.prefix = key;
        r = send(m_builder->listMultipartUploads(m_bucket, uploads), m_keys);
        QCOMPARE(r.status, 200);
        QCOMPARE(xmlTexts(r.body, "UploadId"_L1), ids);

        const QByteArray part = QByteArray(1000, 'p');
        r = send(m_builder->uploadPart(m_bucket, key, uploadId, 1, part.size(),
                                       QCryptographicHash::hash(part, QCryptographicHash::Md5)
                                               .toBase64(),
                                       sha256Hex(part)),
                 m_keys, part);
        QCOMPARE(r.status, 200);
        const QString etag = QString::fromLatin1(r.headers.value("etag"));
        QVERIFY(!etag.isEmpty());

        r = send(m_builder->listParts(m_bucket, key, uploadId), m_keys);
        QCOMPARE(r.status, 200);
        QCOMPARE(xmlTexts(r.body, "PartNumber"_L1), QStringList {u"1"_s});

        const BuildResult complete = m_builder->completeMultipartUpload(m_bucket, key, uploadId,
                                                                        {{1, etag}});
        r = send(complete, m_keys, complete.request.body);
        QCOMPARE(r.status, 200);
        r = send(m_builder->getObject(m_bucket, key), m_keys);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, part);

        // A second upload, aborted.
        r = send(m_builder->initiateMultipartUpload(m_bucket, key), m_keys);
        QCOMPARE(r.status, 200);
        const QString second = xmlTexts(r.body, "UploadId"_L1).value(0);
        QCOMPARE(send(m_builder->abortMultipartUpload(m_bucket, key, second), m_keys).status, 204);
    }

    void deleteMultiple()
    {
        const QStringList keys = {u"d/1 a+b"_s, u"d/ü&<x>"_s};
        for (const QString &key : keys) {
            PutObjectParams p;
            p.contentLength = 1;
            QCOMPARE(send(m_builder->putObject(m_bucket, key, p), m_keys, "x"_ba).status, 200);
        }
        const BuildResult del = m_builder->deleteObjects(m_bucket, keys, false);
        const Response r = send(del, m_keys, del.request.body);
        QCOMPARE(r.status, 200);
        QStringList deleted = xmlTexts(r.body, "Key"_L1);
        deleted.sort();
        QStringList expected = keys;
        expected.sort();
        QCOMPARE(deleted, expected);
        ListObjectsParams list;
        list.prefix = u"d/"_s;
        QVERIFY(xmlTexts(send(m_builder->listObjects(m_bucket, list), m_keys).body, "Key"_L1)
                        .isEmpty());
    }

    void temporaryCredentials()
    {
        if (m_env.roleArn.isEmpty())
            QSKIP("the sandbox has no role to assume");
        // AssumeRole is a form POST to the same endpoint; RGW accepts the "s3" scope for it.
        HttpRequest sts = m_builder->listBuckets().request;
        sts.method = "POST"_ba;
        sts.body = "Action=AssumeRole&Version=2011-06-15&RoleSessionName=tst-requestbuilder"
                   "&DurationSeconds=900&RoleArn="_ba
                + QUrl::toPercentEncoding(m_env.roleArn);
        sts.payloadHash = sha256Hex(sts.body);
        sts.setHeader(u"Content-Type"_s, u"application/x-www-form-urlencoded"_s);
        sts.setHeader(u"Content-Length"_s, QString::number(sts.body.size()));
        const SignedRequest s = RequestSigner::sign(sts, m_keys, QDateTime::currentSecsSinceEpoch());
        QVERIFY(s.ok());
        Response r = wait(sendSigned(&m_nam, s));
        QCOMPARE(r.status, 200);
        Credentials temp;
        temp.secretId = xmlTexts(r.body, "AccessKeyId"_L1).value(0);
        temp.secretKey = xmlTexts(r.body, "SecretAccessKey"_L1).value(0);
        temp.sessionToken = xmlTexts(r.body, "SessionToken"_L1).value(0);
        QVERIFY(temp.isTemporary());

        const QString key = u"temp ü+.txt"_s;
        PutObjectParams p;
        p.contentLength = 4;
        QCOMPARE(send(m_builder->putObject(m_bucket, key, p), temp, "temp"_ba).status, 200);
        r = send(m_builder->getObject(m_bucket, key), temp);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, "temp"_ba);
        const PresignedUrl url = RequestSigner::presign(m_builder->getObject(m_bucket, key).request,
                                                        temp, QDateTime::currentSecsSinceEpoch(),
                                                        60);
        QVERIFY(url.ok());
        QCOMPARE(wait(m_nam.get(QNetworkRequest(url.url))).status, 200);

        Credentials noToken = temp;
        noToken.sessionToken.clear();
        QCOMPARE(send(m_builder->getObject(m_bucket, key), noToken).status, 403);
        QCOMPARE(send(m_builder->deleteObject(m_bucket, key), temp).status, 204);
    }
};

QTEST_GUILESS_MAIN(TstRequestBuilderSandbox)
#include "tst_requestbuilder_sandbox.moc"
