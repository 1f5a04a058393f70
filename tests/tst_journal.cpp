// The request journal: a bounded ring; redaction of Authorization values, token headers, URL
// query values and secrets wherever they appear; retries recorded with their reason against a
// scripted server; a multipart upload's requests in order on the sandbox with temporary keys,
// and none of the run's secrets in anything the journal recorded.
#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/net/requestjournal.h"
#include "cos/net/requestsigner.h"
#include "cos/signing/percentencoding.h"
#include "cos/transfer/uploadtask.h"
#include "runjob.h"
#include "sandboxenv.h"
#include "sandboxsts.h"
#include "scriptedhttpserver.h"

#include <QDateTime>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

Credentials temporaryKeys()
{
    Credentials c;
    c.secretId = u"AKIDtemporaryKeyId0123456789"_s;
    c.secretKey = u"tmpSecretKey/with+special=chars0123456789"_s;
    c.sessionToken = u"session-token/with+special=chars-and-more-0123456789abcdef"_s;
    c.expiredTime = QDateTime::currentSecsSinceEpoch() + 3600;
    return c;
}

// Every text of an entry, for grepping.
QByteArray everything(const JournalEntry &e)
{
    QByteArray all = e.operation.toUtf8() + '\n' + e.method + '\n' + e.url.toUtf8() + '\n'
            + e.canonicalRequest + '\n' + e.stringToSign + '\n' + e.retryReason.toUtf8() + '\n'
            + e.requestId.toUtf8() + '\n' + e.error.toUtf8() + '\n' + e.errorBody + '\n'
            + journalLine(e).toUtf8() + '\n';
    for (const auto &[name, value] : e.requestHeaders)
        all += name + ": " + value + '\n';
    return all;
}

// The secret texts of @p c as they could appear: raw and percent-encoded.
QList<QByteArray> secretForms(const Credentials &c)
{
    QList<QByteArray> forms;
    for (const QString &s : {c.secretKey, c.sessionToken, c.secretId}) {
        if (s.isEmpty())
            continue;
        forms << s.toUtf8() << QUrl::toPercentEncoding(s);
    }
    return forms;
}

void verifyNoSecret(const QByteArray &text, const Credentials &c)
{
    for (const QByteArray &secret : secretForms(c))
        QVERIFY2(!text.contains(secret), text.constData());
}

HttpRequest request(Dialect dialect, const QByteArray &method = "GET"_ba)
{
    HttpRequest r;
    r.dialect = dialect;
    r.method = method;
    r.scheme = u"https"_s;
    r.host = dialect == Dialect::Cos ? u"bkt-1250000000.cos.ap-guangzhou.myqcloud.com"_s
                                     : u"bkt.s3.example.com"_s;
    r.region = u"us-east-1"_s;
    r.path = u"/dir/a b.txt"_s;
    r.encodedPath = "/dir/a%20b.txt"_ba;
    r.query = {{u"versionId"_s, u"v1"_s}};
    return r;
}

} // namespace

class TstJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ringIsBounded()
    {
        RequestJournal journal;
        journal.setCapacity(3);
        QSignalSpy added(&journal, &RequestJournal::entryAdded);
        QList<quint64> ids;
        for (int i = 0; i < 5; ++i) {
            JournalEntry e;
            e.operation = u"Op%1"_s.arg(i);
            ids << journal.begin(e);
        }
        QCOMPARE(ids, (QList<quint64> {1, 2, 3, 4, 5}));
        QCOMPARE(added.size(), 5);
        QCOMPARE(journal.size(), 3);
        QCOMPARE(journal.entries().first().operation, u"Op2"_s);
        QVERIFY(!journal.find(2));
        QCOMPARE(journal.find(4)->operation, u"Op3"_s);

        QSignalSpy changed(&journal, &RequestJournal::entryChanged);
        journal.update(1, [](JournalEntry &e) { e.status = 500; }); // dropped: nothing happens
        QCOMPARE(changed.size(), 0);
        journal.update(4, [](JournalEntry &e) {
            e.finished = true;
            e.status = 200;
            e.errorBody = QByteArray(RequestJournal::MaxErrorBody * 4, 'x');
        });
        QCOMPARE(changed.size(), 1);
        QCOMPARE(journal.find(4)->status, 200);
        QCOMPARE(journal.find(4)->errorBody.size(), RequestJournal::MaxErrorBody);

        journal.setCapacity(1);
        QCOMPARE(journal.size(), 1);
        QCOMPARE(journal.entries().first().id, 5u);
        journal.clear();
        QCOMPARE(journal.size(), 0);
        QCOMPARE(journal.begin({}), 6u);
    }

    void redactsSignedHeaders_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::newRow("cos") << int(Dialect::Cos);
        QTest::newRow("s3") << int(Dialect::S3);
    }

    void redactsSignedHeaders()
    {
        QFETCH(int, dialect);
        const Credentials c = temporaryKeys();
        const SignedRequest s = RequestSigner::sign(request(Dialect(dialect)), c,
                                                    QDateTime::currentSecsSinceEpoch());
        QVERIFY(s.ok());
        // What is redacted is really there before redaction.
        QVERIFY(s.trace.canonicalRequest.contains(c.sessionToken.toUtf8())
                || s.trace.canonicalRequest.contains(QUrl::toPercentEncoding(c.sessionToken)));

        const SecretRedactor redactor(c);
        const HeaderList headers = redactor.headers(rawHeaders(s.request));
        QByteArray text = redactor.apply(s.trace.canonicalRequest) + '\n'
                + redactor.apply(s.trace.stringToSign);
        QByteArray authorization;
        for (const auto &[name, value] : headers) {
            text += name + ": " + value + '\n';
            if (name.compare("authorization", Qt::CaseInsensitive) == 0)
                authorization = value;
        }
        verifyNoSecret(text, c);
        const QByteArray signature = s.request.rawHeader("Authorization").split('=').last();
        QCOMPARE(signature.size(), dialect == int(Dialect::Cos) ? 40 : 64);
        QVERIFY(!text.contains(signature));
        // What explains the request stays: algorithm, masked key id, signed header names.
        QVERIFY(authorization.contains(maskKeyId(c.secretId).toUtf8()));
        QVERIFY(authorization.contains("<redacted>"));
        QVERIFY(authorization.startsWith(dialect == int(Dialect::Cos) ? "q-sign-algorithm=sha1"
                                                                      : "AWS4-HMAC-SHA256 "));
        QVERIFY(authorization.contains(dialect == int(Dialect::Cos) ? "q-header-list="
                                                                    : "SignedHeaders="));
        QVERIFY(text.contains("<session token, "));
    }

    void redactsPresignedUrls_data()
    {
        QTest::addColumn<int>("dialect");
        QTest::newRow("cos") << int(Dialect::Cos);
        QTest::newRow("s3") << int(Dialect::S3);
    }

    void redactsPresignedUrls()
    {
        QFETCH(int, dialect);
        const Credentials c = temporaryKeys();
        const PresignedUrl p = RequestSigner::presign(request(Dialect(dialect)), c,
                                                      QDateTime::currentSecsSinceEpoch(), 600);
        QVERIFY(p.ok());
        const QString url = p.url.toString(QUrl::FullyEncoded);
        const QString encodedToken = QString::fromLatin1(percentEncode(c.sessionToken));
        // COS presigned URLs carry the token as it is (like the official SDKs), SigV4 encoded.
        QVERIFY(url.contains(encodedToken) || url.contains(c.sessionToken));
        const QString shown = SecretRedactor(c).url(url);
        verifyNoSecret(shown.toUtf8(), c);
        QVERIFY(shown.contains(u"versionId=v1"_s));
        QVERIFY(shown.contains(u"%3Credacted%3E"_s) || shown.contains(u"<redacted>"_s));
        // Without the credentials (a URL from elsewhere) the structured rules still hold.
        const QString blind = SecretRedactor().url(url);
        QVERIFY(!blind.contains(encodedToken) && !blind.contains(c.sessionToken));
        QVERIFY(!blind.contains(c.secretId));
    }

    void redactsSecretsInText()
    {
        const Credentials c = temporaryKeys();
        const SecretRedactor redactor(c, "bearer-token-0123456789"_ba);
        const QByteArray text = "key " + c.secretKey.toUtf8() + " token "
                + QUrl::toPercentEncoding(c.sessionToken) + " id " + c.secretId.toUtf8()
                + " bearer bearer-token-0123456789";
        const QByteArray out = redactor.apply(text);
        verifyNoSecret(out, c);
        QVERIFY(!out.contains("bearer-token-0123456789"));
        QVERIFY(out.contains("<secret key>"));
        QVERIFY(out.contains("<session token>"));
        QVERIFY(out.contains("<bearer token>"));
        QVERIFY(out.contains(maskKeyId(c.secretId).toUtf8()));
        QCOMPARE(SecretRedactor::authorization("Bearer abc.def"), "Bearer <redacted>"_ba);
        QCOMPARE(SecretRedactor::authorization("opaque"), "<redacted>"_ba);
    }

    // No journal set: nothing is recorded and the client works as before.
    void nothingWithoutJournal()
    {
        ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok(); });
        Client client(Endpoint::s3(server.url(u"/"_s), u"us-east-1"_s, true),
                      new StaticCredentialProvider(temporaryKeys(), u"test"_s));
        QVERIFY(!client.journal());
        std::unique_ptr<RequestJob> job(client.deleteObject(u"bkt"_s, u"k"_s));
        QVERIFY(runJob(job.get()));
        QVERIFY(!job->error());
    }

    // A 503 then a 200: two entries, the second marked as a retry with its reason; the error
    // body of the first is kept, the success body is not.
    void retriesAreMarked()
    {
        int calls = 0;
        const QByteArray listing = "<ListBucketResult><Name>bkt</Name></ListBucketResult>";
        ScriptedHttpServer server([&calls, &listing](const ReceivedRequest &) {
            if (++calls == 1)
                return ScriptedResponse::http(
                        503, {{"Content-Type", "application/xml"}, {"x-amz-request-id", "req-1"}},
                        "<Error><Code>SlowDown</Code><Message>Please reduce your request rate."
                        "</Message></Error>");
            return ScriptedResponse::http(200, {{"x-amz-request-id", "req-2"}}, listing);
        });
        const Credentials c = temporaryKeys();
        Client client(Endpoint::s3(server.url(u"/"_s), u"us-east-1"_s, true),
                      new StaticCredentialProvider(c, u"test"_s));
        client.setRetryBaseDelay(10);
        RequestJournal journal;
        client.setJournal(&journal);
        QList<JournalEntry> live;
        connect(&journal, &RequestJournal::entryChanged, this,
                [&live](const JournalEntry &e) { live << e; });

        std::unique_ptr<ListObjectsJob> job(client.listObjects(u"bkt"_s));
        QVERIFY(runJob(job.get()));
        QVERIFY2(!job->error(), qPrintable(job->error().toString()));

        const QList<JournalEntry> entries = journal.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(live.size(), 2);
        const JournalEntry &first = entries[0];
        const JournalEntry &second = entries[1];
        QCOMPARE(first.operation, u"ListObjects"_s);
        QCOMPARE(first.method, "GET"_ba);
        QCOMPARE(first.attempt, 1);
        QVERIFY(first.retryReason.isEmpty());
        QVERIFY(first.finished);
        QCOMPARE(first.status, 503);
        QCOMPARE(first.requestId, u"req-1"_s);
        QVERIFY(first.error.contains(u"SlowDown"_s));
        QVERIFY(first.errorBody.contains("<Code>SlowDown</Code>"));
        QVERIFY(first.canonicalRequest.startsWith("GET\n/bkt\n"));
        QVERIFY(first.stringToSign.startsWith("AWS4-HMAC-SHA256\n"));

        QCOMPARE(second.attempt, 2);
        QVERIFY2(second.retryReason.contains(u"HTTP 503 SlowDown"_s),
                 qPrintable(second.retryReason));
        QCOMPARE(second.status, 200);
        QVERIFY(second.error.isEmpty());
        QVERIFY(second.errorBody.isEmpty());
        QCOMPARE(second.bytesReceived, listing.size());
        QVERIFY(journalLine(second).contains(u"[attempt 2: "_s));
        QVERIFY(journalLine(second).contains(u"-> 200"_s));
        for (const JournalEntry &e : entries)
            verifyNoSecret(everything(e), c);
    }

    // The signing URL fetch is recorded without its query values, bearer token or answer.
    void signingUrlFetch()
    {
        const Credentials keys = temporaryKeys();
        const QByteArray answer = "{\"credentials\":{\"tmpSecretId\":\"" + keys.secretId.toUtf8()
                + "\",\"tmpSecretKey\":\"" + keys.secretKey.toUtf8() + "\",\"sessionToken\":\""
                + keys.sessionToken.toUtf8()
                + "\"},\"expiredTime\":" + QByteArray::number(keys.expiredTime)
                + ",\"startTime\":" + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + "}";
        ScriptedHttpServer server([&](const ReceivedRequest &r) {
            if (r.path.startsWith("/sts"))
                return ScriptedResponse::http(200, {{"Content-Type", "application/json"}}, answer);
            return ScriptedResponse::http(200, {}, {});
        });
        Client client(Endpoint::s3(server.url(u"/"_s), u"us-east-1"_s, true), nullptr);
        RequestJournal journal;
        client.setJournal(&journal);
        QUrl signingUrl = server.url(u"/sts"_s);
        signingUrl.setQuery(u"uid=alice&token=query-secret-0123456789"_s);
        client.setCredentialProvider(new UrlCredentialProvider(client.networkAccessManager(),
                                                               signingUrl,
                                                               "bearer-token-0123456789"_ba));
        std::unique_ptr<RequestJob> job(client.deleteObject(u"bkt"_s, u"k"_s));
        QVERIFY(runJob(job.get()));
        QVERIFY2(!job->error(), qPrintable(job->error().toString()));

        const QList<JournalEntry> entries = journal.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries[0].kind, JournalEntry::Kind::SigningUrl);
        QCOMPARE(entries[0].operation, u"GetCredentials"_s);
        QCOMPARE(entries[0].status, 200);
        QCOMPARE(entries[0].bytesReceived, answer.size());
        QVERIFY(entries[0].url.contains(u"uid="_s));
        QCOMPARE(entries[1].operation, u"DeleteObject"_s);
        for (const JournalEntry &e : entries) {
            const QByteArray text = everything(e);
            verifyNoSecret(text, keys);
            QVERIFY(!text.contains("alice"));
            QVERIFY(!text.contains("query-secret"));
            QVERIFY(!text.contains("bearer-token"));
        }
    }

    // A multipart upload with temporary keys from the sandbox's STS: Initiate, every part, then
    // Complete, in that order; nothing of the permanent or temporary keys in the journal.
    void multipartUploadOnSandbox()
    {
        COS_REQUIRE_SANDBOX(env);
        QString error;
        const QString policy =
                uR"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["*"]}]})"_s;
        const std::optional<Credentials> temp = sandboxAssumeRole(env, policy, 900, &error);
        QVERIFY2(temp, qPrintable(error));

        Credentials permanent;
        permanent.secretId = env.secretId;
        permanent.secretKey = env.secretKey;
        const Endpoint endpoint = Endpoint::s3(QUrl(env.endpoint), env.region, env.pathStyle);
        const QString bucket = u"journal-%1-%2"_s.arg(QDateTime::currentSecsSinceEpoch())
                                       .arg(QRandomGenerator::global()->bounded(100000));
        {
            Client admin(endpoint, new StaticCredentialProvider(permanent, u"sandbox"_s));
            std::unique_ptr<RequestJob> mb(admin.createBucket(bucket));
            QVERIFY(runJob(mb.get()));
            QVERIFY2(!mb->error(), qPrintable(mb->error().toString()));
        }

        QTemporaryDir dir;
        const QString path = dir.filePath(u"big.bin"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QByteArray block(1024 * 1024, 'j');
            for (int i = 0; i < 3; ++i)
                f.write(block);
            f.write("tail");
        }
        Client client(endpoint, new StaticCredentialProvider(*temp, u"sts"_s));
        RequestJournal journal;
        client.setJournal(&journal);
        UploadOptions options;
        options.multipartThreshold = 1024 * 1024;
        options.partSize = 1024 * 1024;
        options.resume = false;
        UploadTask upload(&client, path, bucket, u"folder/big.bin"_s, options);
        QSignalSpy done(&upload, &TransferTask::finished);
        upload.start();
        QVERIFY(done.wait(60000));
        QCOMPARE(upload.state(), TransferTask::State::Succeeded);

        QStringList operations;
        QByteArray all;
        for (const JournalEntry &e : journal.entries()) {
            operations << e.operation;
            all += everything(e);
            QVERIFY(e.finished);
            QVERIFY2(e.status >= 200 && e.status < 300, qPrintable(journalLine(e)));
        }
        // The parts may go in parallel; the upload checks the object with a HEAD at the end.
        QCOMPARE(operations.size(), 7);
        QCOMPARE(operations.first(), u"InitiateMultipartUpload"_s);
        QCOMPARE(operations.mid(1, 4), QStringList(4, u"UploadPart"_s));
        QCOMPARE(operations.mid(5), (QStringList {u"CompleteMultipartUpload"_s, u"HeadObject"_s}));
        const QList<JournalEntry> entries = journal.entries();
        qint64 sent = 0;
        for (const JournalEntry &e : entries) {
            if (e.operation == u"UploadPart"_s) {
                sent += e.bytesSent;
                QVERIFY(e.url.contains(u"partNumber="_s));
                QVERIFY(e.url.contains(u"uploadId="_s));
            }
        }
        QCOMPARE(sent, 3 * 1024 * 1024 + 4);
        verifyNoSecret(all, *temp);
        verifyNoSecret(all, permanent);
        QVERIFY(all.contains(maskKeyId(temp->secretId).toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TstJournal)
#include "tst_journal.moc"
