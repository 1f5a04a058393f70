// The Network page's model: live rows newest first, bounded by the journal's ring, filters by
// status class and operation; details and explanations of seeded errors; on the sandbox, "Copy
// as curl" text for a GET, a HEAD and a PUT run with curl, and no secret of the run (permanent
// key, temporary key, session token) in anything the model exposes or copies.
#include "networklogmodel.h"
#include "runjob.h"
#include "sandboxenv.h"
#include "sandboxsts.h"
#include "tst_app_support.h"

#include "cos/net/requestjournal.h"

#include <QAbstractItemModelTester>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

void finish(RequestJournal *journal, quint64 id, int status, const QString &error = {},
            const QByteArray &errorBody = {})
{
    journal->update(id, [&](JournalEntry &x) {
        x.finished = true;
        x.status = status;
        x.durationMs = 12;
        x.error = error;
        x.errorBody = errorBody;
    });
}

quint64 add(RequestJournal *journal, const QString &operation, int status, const QString &error,
            const QByteArray &errorBody = {})
{
    JournalEntry e;
    e.operation = operation;
    e.method = "GET"_ba;
    e.url = u"https://bkt.s3.example.com/dir/a.txt"_s;
    e.keys.keyId = maskKeyId(u"AKIDexampleKeyId0001"_s);
    const quint64 id = journal->begin(e);
    finish(journal, id, status, error, errorBody);
    return id;
}

QByteArray errorXml(const QString &code, const QString &message, const QString &extra = {})
{
    return u"<?xml version=\"1.0\"?><Error><Code>%1</Code><Message>%2</Message>%3</Error>"_s
            .arg(code, message, extra)
            .toUtf8();
}

QStringList idsOf(const NetworkLogModel &model)
{
    QStringList ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids << model.data(model.index(row), NetworkLogModel::IdRole).toString();
    return ids;
}

// Runs @p command with sh; its standard output, and false when it failed.
bool runShell(const QString &command, const QProcessEnvironment &env, QByteArray *out)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(u"sh"_s, {u"-c"_s, command});
    if (!p.waitForFinished(30000))
        return false;
    *out = p.readAllStandardOutput();
    if (p.exitCode() != 0)
        qWarning("%s: %s", qPrintable(command), p.readAllStandardError().constData());
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace

class TstAppNetwork : public QObject
{
    Q_OBJECT

private:
    QString curlFor(NetworkLogModel &model, qint64 id, QString *error = nullptr)
    {
        QString text;
        QString failure;
        bool called = false;
        model.curlCommand(id, this, [&](const QString &t, const QString &e) {
            text = t;
            failure = e;
            called = true;
        });
        if (!called && !QTest::qWaitFor([&] { return called; }, 30000))
            qWarning("no curl text for request #%lld", id);
        if (error)
            *error = failure;
        return text;
    }

    // Every text the model shows for its rows, details and explanations.
    static QString everythingShown(const NetworkLogModel &model)
    {
        QString all = model.operations().join(u'\n');
        const QHash<int, QByteArray> roles = model.roleNames();
        for (int row = 0; row < model.rowCount(); ++row) {
            for (auto it = roles.cbegin(); it != roles.cend(); ++it)
                all += model.data(model.index(row), it.key()).toString() + u'\n';
            const qint64 id = model.data(model.index(row), NetworkLogModel::IdRole).toLongLong();
            for (const QVariant &f : model.details(id)) {
                const QVariantMap m = f.toMap();
                all += m.value(u"label"_s).toString() + u": "_s + m.value(u"value"_s).toString()
                        + u'\n';
            }
            all += model.explain(id) + u'\n';
        }
        return all;
    }

private Q_SLOTS:
    void liveRowsNewestFirst()
    {
        NetworkLogModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        RequestJournal *journal = model.journal();
        JournalEntry pending;
        pending.operation = u"ListObjects"_s;
        pending.method = "GET"_ba;
        const quint64 first = journal->begin(pending);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.data(model.index(0), NetworkLogModel::StatusClassRole).toString(),
                 u"pending"_s);
        add(journal, u"HeadObject"_s, 404, u"NoSuchKey (HTTP 404)"_s,
            errorXml(u"NoSuchKey"_s, u"gone"_s));
        add(journal, u"PutObject"_s, 200, {});
        QCOMPARE(idsOf(model), (QStringList {u"3"_s, u"2"_s, u"1"_s}));
        QCOMPARE(model.data(model.index(1), NetworkLogModel::StatusTextRole).toString(),
                 u"404 NoSuchKey"_s);
        QCOMPARE(model.operations(),
                 (QStringList {u"HeadObject"_s, u"ListObjects"_s, u"PutObject"_s}));

        // Filters: by class, by operation; a request moves in when it finishes.
        model.setStatusFilter(u"ok"_s);
        QCOMPARE(idsOf(model), QStringList {u"3"_s});
        finish(journal, first, 200);
        QCOMPARE(idsOf(model), (QStringList {u"3"_s, u"1"_s}));
        model.setStatusFilter(u"4xx"_s);
        QCOMPARE(idsOf(model), QStringList {u"2"_s});
        model.setStatusFilter(u"no-such-class"_s);
        QCOMPARE(model.statusFilter(), u"all"_s);
        model.setOperationFilter(u"PutObject"_s);
        QCOMPARE(idsOf(model), QStringList {u"3"_s});
        model.setOperationFilter({});
        QCOMPARE(model.classCounts().value(u"ok"_s).toInt(), 2);
        QCOMPARE(model.classCounts().value(u"4xx"_s).toInt(), 1);

        // Bounded like the ring: the oldest rows go with the journal's entries.
        journal->setCapacity(3);
        add(journal, u"GetObject"_s, 503, u"SlowDown (HTTP 503)"_s);
        add(journal, u"GetObject"_s, 0, u"Network: connection refused"_s);
        QCOMPARE(idsOf(model), (QStringList {u"5"_s, u"4"_s, u"3"_s}));
        QCOMPARE(model.data(model.index(0), NetworkLogModel::StatusClassRole).toString(),
                 u"network"_s);
        QCOMPARE(model.data(model.index(1), NetworkLogModel::StatusClassRole).toString(), u"5xx"_s);
        QVERIFY(model.details(1).isEmpty());

        // Paused, the rows stay (those the ring drops still go); live again, they catch up.
        model.setLive(false);
        add(journal, u"DeleteObject"_s, 204, {});
        QCOMPARE(idsOf(model), (QStringList {u"5"_s, u"4"_s}));
        model.setLive(true);
        QCOMPARE(idsOf(model), (QStringList {u"6"_s, u"5"_s, u"4"_s}));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void detailsAndExplanations()
    {
        NetworkLogModel model;
        RequestJournal *journal = model.journal();
        const qint64 now = QDateTime::currentSecsSinceEpoch();

        // Expired temporary keys, then the provider's fetch and the retry with new keys.
        JournalEntry expired;
        expired.operation = u"ListObjects"_s;
        expired.method = "GET"_ba;
        expired.url = u"https://bkt.s3.example.com/?list-type=2"_s;
        expired.keys = {maskKeyId(u"AKIDtemporaryKey0001"_s), true, now - 1000, now - 100, {}};
        expired.attempt = 1;
        const quint64 e1 = journal->begin(expired);
        finish(journal, e1, 400, u"ExpiredToken (HTTP 400)"_s,
               errorXml(u"ExpiredToken"_s, u"The provided token has expired."_s));
        JournalEntry fetch;
        fetch.kind = JournalEntry::Kind::SigningUrl;
        fetch.operation = u"GetCredentials"_s;
        fetch.method = "GET"_ba;
        fetch.url = u"https://signer.example.com/sts"_s;
        const quint64 f = journal->begin(fetch);
        finish(journal, f, 200);
        JournalEntry retry = expired;
        retry.attempt = 2;
        retry.retryReason = u"new credentials after ExpiredToken"_s;
        const quint64 r = journal->begin(retry);
        finish(journal, r, 200);
        const QString why = model.explain(qint64(e1));
        QVERIFY2(why.contains(u"expired at"_s), qPrintable(why));
        QVERIFY2(why.contains(u"before this request"_s), qPrintable(why));
        QVERIFY2(why.contains(u"fetched new keys"_s) && why.contains(u"#%1"_s.arg(f)),
                 qPrintable(why));
        QVERIFY2(why.contains(u"sent again with the new keys as #%1: it worked"_s.arg(r)),
                 qPrintable(why));
        QVERIFY(model.explain(qint64(r)).isEmpty()); // a success needs no explanation

        // Clock skew: the offset the retry was signed with.
        JournalEntry skew = expired;
        skew.keys = {maskKeyId(u"AKIDpermanentKey0001"_s), false, 0, 0, {}};
        skew.operation = u"PutObject"_s;
        skew.method = "PUT"_ba;
        const quint64 s1 = journal->begin(skew);
        finish(journal, s1, 403, u"RequestTimeTooSkewed (HTTP 403)"_s,
               errorXml(u"RequestTimeTooSkewed"_s, u"too skewed"_s));
        skew.attempt = 2;
        skew.clockOffsetMs = -3600250;
        skew.retryReason = u"re-signed after RequestTimeTooSkewed with clock offset -3600250 ms"_s;
        const quint64 s2 = journal->begin(skew);
        finish(journal, s2, 200);
        const QString skewWhy = model.explain(qint64(s1));
        QVERIFY2(skewWhy.contains(u"offset of -3600250 ms"_s), qPrintable(skewWhy));
        QVERIFY2(skewWhy.contains(u"#%1: it worked"_s.arg(s2)), qPrintable(skewWhy));

        // SignatureDoesNotMatch: ours next to the server's (the engine's comparison).
        JournalEntry sig = skew;
        sig.attempt = 1;
        sig.stringToSign = "AWS4-HMAC-SHA256\n20261207T000000Z\nscope\nabc"_ba;
        sig.canonicalRequest = "PUT\n/a.txt\n\nhost:bkt\n\nhost\nUNSIGNED-PAYLOAD"_ba;
        const quint64 g = journal->begin(sig);
        finish(journal, g, 403, u"SignatureDoesNotMatch (HTTP 403)"_s,
               errorXml(u"SignatureDoesNotMatch"_s, {},
                        u"<StringToSign>AWS4-HMAC-SHA256\n20261207T000000Z\nscope\n"
                        u"def</StringToSign>"_s));
        const QString sigWhy = model.explain(qint64(g));
        QVERIFY2(sigWhy.contains(u"our string to sign"_s), qPrintable(sigWhy));
        QVERIFY2(sigWhy.contains(u"the server's string to sign"_s), qPrintable(sigWhy));
        QVERIFY2(sigWhy.contains(u"    def"_s) && sigWhy.contains(u"    abc"_s), qPrintable(sigWhy));

        // AccessDenied: what the keys are.
        quint64 denied = add(journal, u"DeleteObject"_s, 403, u"AccessDenied (HTTP 403)"_s,
                             errorXml(u"AccessDenied"_s, u"not allowed"_s));
        const QString deniedWhy = model.explain(qint64(denied));
        QVERIFY2(deniedWhy.contains(u"may not do DeleteObject on bkt.s3.example.com/dir/a.txt"_s),
                 qPrintable(deniedWhy));
        QVERIFY2(deniedWhy.contains(u"permanent keys"_s), qPrintable(deniedWhy));
        // Temporary keys whose issuer named their scope: the explanation shows it.
        JournalEntry scoped;
        scoped.operation = u"PutObject"_s;
        scoped.method = "PUT"_ba;
        scoped.url = u"https://bkt.s3.example.com/public/a.txt"_s;
        scoped.keys.keyId = maskKeyId(u"AKIDtemporaryKeyId01"_s);
        scoped.keys.temporary = true;
        scoped.keys.expiredTime = QDateTime::currentSecsSinceEpoch() + 3600;
        scoped.keys.scope = u"bkt/users/alice/* [upload]"_s;
        const quint64 outside = journal->begin(scoped);
        finish(journal, outside, 403, u"AccessDenied (HTTP 403)"_s,
               errorXml(u"AccessDenied"_s, u"not allowed"_s));
        const QString scopedWhy = model.explain(qint64(outside));
        QVERIFY2(scopedWhy.contains(u"issued for bkt/users/alice/* [upload] only"_s),
                 qPrintable(scopedWhy));
        denied = add(journal, u"DeleteObject"_s, 403, u"AccessDenied (HTTP 403)"_s,
                     errorXml(u"AccessDenied"_s, u"not allowed"_s));
        // What the tour shows: the newest request that has an explanation.
        QCOMPARE(model.mostInteresting(), qint64(denied));

        // The detail view's fields.
        QStringList labels;
        QString offset;
        for (const QVariant &v : model.details(qint64(s2))) {
            labels << v.toMap().value(u"label"_s).toString();
            if (labels.last() == u"Clock offset"_s)
                offset = v.toMap().value(u"value"_s).toString();
            if (labels.last() == u"Attempt"_s)
                QVERIFY(v.toMap().value(u"value"_s).toString().contains(u"re-signed"_s));
        }
        for (const char *label : {"Request", "URL", "Status", "Started", "Duration", "Bytes",
                                  "Attempt", "Clock offset", "Keys"})
            QVERIFY2(labels.contains(QLatin1StringView(label)), label);
        QVERIFY(offset.contains(u"-3600250 ms"_s));
        QVERIFY(model.data(model.index(0), NetworkLogModel::HasExplanationRole).toBool());
    }

    // Copy as curl on the sandbox: a GET gives the object, a HEAD its headers, a PUT (curl's
    // SigV4 with the secret from the environment) stores a file.
    void curlOnSandbox()
    {
        COS_REQUIRE_SANDBOX(env);
        if (QStandardPaths::findExecutable(u"curl"_s).isEmpty())
            QSKIP("curl is not installed");
        std::unique_ptr<Client> client(AppTest::sandboxClient(env));
        NetworkLogModel model;
        model.attach(client.get());
        model.setSigningClient(client.get());
        const QString bucket = AppTest::uniqueBucket(u"netlog"_s);
        QVERIFY(runJob(client->createBucket(bucket, {}, client.get())));
        const QByteArray content = "hello from the network page\n";
        QVERIFY(AppTest::putObject(client.get(), bucket, u"dir/hello world.txt"_s, content));
        std::unique_ptr<RequestJob> get(client->newRequestJob(
                client->builder().getObject(bucket, u"dir/hello world.txt"_s)));
        QVERIFY(runJob(get.get()));
        QVERIFY(!get->error());
        std::unique_ptr<HeadObjectJob> head(client->headObject(bucket, u"dir/hello world.txt"_s));
        QVERIFY(runJob(head.get()));

        qint64 getId = -1;
        qint64 headId = -1;
        qint64 putId = -1;
        for (const JournalEntry &e : model.journal()->entries()) {
            if (e.operation == u"GetObject"_s)
                getId = qint64(e.id);
            else if (e.operation == u"HeadObject"_s)
                headId = qint64(e.id);
            else if (e.operation == u"PutObject"_s)
                putId = qint64(e.id);
        }
        QVERIFY(getId > 0 && headId > 0 && putId > 0);
        QProcessEnvironment shellEnv = QProcessEnvironment::systemEnvironment();
        shellEnv.remove(u"COS_SECRET_KEY"_s);

        QString error;
        const QString getCurl = curlFor(model, getId, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(getCurl.contains(u"curl -fsS 'http"_s), qPrintable(getCurl));
        QVERIFY(!getCurl.contains(env.secretKey));
        QByteArray out;
        QVERIFY2(runShell(getCurl, shellEnv, &out), qPrintable(getCurl));
        QCOMPARE(out, content);

        const QString headCurl = curlFor(model, headId);
        QVERIFY2(runShell(headCurl, shellEnv, &out), qPrintable(headCurl));
        QVERIFY2(out.contains("Content-Length: 28") || out.contains("content-length: 28"),
                 out.constData());

        const QString putCurl = curlFor(model, putId);
        QVERIFY2(putCurl.contains(u"--aws-sigv4"_s), qPrintable(putCurl));
        QVERIFY2(putCurl.contains(u"$COS_SECRET_KEY"_s), qPrintable(putCurl));
        QVERIFY(!putCurl.contains(env.secretKey));
        QTemporaryDir dir;
        const QString file = dir.filePath(u"upload.txt"_s);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("replaced by curl\n");
        }
        QString runnable = putCurl;
        runnable.replace(u"@FILE"_s, u"@"_s + file);
        shellEnv.insert(u"COS_SECRET_KEY"_s, env.secretKey);
        QVERIFY2(putCurl.contains(u"--data-binary @FILE"_s), qPrintable(putCurl));
        QVERIFY2(!putCurl.contains(QString::fromLatin1(content)), "a data body in the journal");
        QVERIFY2(runShell(runnable, shellEnv, &out), qPrintable(putCurl));
        QVERIFY2(runShell(getCurl, shellEnv, &out), qPrintable(getCurl));
        QCOMPARE(out, QByteArray("replaced by curl\n"));

        AppTest::purgeBucket(client.get(), bucket);
    }

    // Permanent keys, temporary keys and their token of a sandbox run: successes, a 404, an
    // AccessDenied (the session policy), a SignatureDoesNotMatch (a wrong secret key); nothing
    // the model shows and nothing it copies holds a secret.
    void noSecretAnywhere()
    {
        COS_REQUIRE_SANDBOX(env);
        QString stsError;
        const QString policy =
                uR"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket","s3:PutObject"],"Resource":["*"]}]})"_s;
        const std::optional<Credentials> temp = sandboxAssumeRole(env, policy, 900, &stsError);
        QVERIFY2(temp, qPrintable(stsError));
        Credentials permanent;
        permanent.secretId = env.secretId;
        permanent.secretKey = env.secretKey;
        Credentials wrong = permanent;
        wrong.secretKey = u"wrongSecretKeyForTheTest0123456789abcdef"_s;
        const Endpoint endpoint = Endpoint::s3(QUrl(env.endpoint), env.region, env.pathStyle);
        Client admin(endpoint, new StaticCredentialProvider(permanent, u"sandbox"_s));
        Client tempClient(endpoint, new StaticCredentialProvider(*temp, u"sts"_s));
        Client wrongClient(endpoint, new StaticCredentialProvider(wrong, u"wrong"_s));
        wrongClient.setMaxAttempts(1);
        NetworkLogModel model;
        for (Client *c : {&admin, &tempClient, &wrongClient})
            model.attach(c);

        const QString bucket = AppTest::uniqueBucket(u"netsecret"_s);
        QVERIFY(runJob(admin.createBucket(bucket, {}, &admin)));
        QVERIFY(AppTest::putObject(&admin, bucket, u"a.txt"_s, "a\n"));
        QVERIFY(AppTest::putObject(&tempClient, bucket, u"b.txt"_s, "b\n"));
        std::unique_ptr<ListObjectsJob> list(tempClient.listObjects(bucket));
        QVERIFY(runJob(list.get()));
        std::unique_ptr<HeadObjectJob> missing(tempClient.headObject(bucket, u"missing"_s));
        QVERIFY(runJob(missing.get()));
        QVERIFY(missing->error());
        std::unique_ptr<RequestJob> denied(tempClient.deleteObject(bucket, u"a.txt"_s));
        QVERIFY(runJob(denied.get()));
        QVERIFY2(denied->error(), "the session policy should deny DeleteObject");
        std::unique_ptr<ListObjectsJob> badSig(wrongClient.listObjects(bucket));
        QVERIFY(runJob(badSig.get()));
        // RGW answers a wrong secret key with AccessDenied (S3: SignatureDoesNotMatch).
        QVERIFY(badSig->error());

        QString everything = everythingShown(model);
        bool explainedDenial = false;
        for (const JournalEntry &e : model.journal()->entries())
            explainedDenial = explainedDenial
                    || model.explain(qint64(e.id)).contains(u"temporary keys: the policy"_s);
        QVERIFY(explainedDenial);
        // Copied texts, signed with either the permanent or the temporary keys.
        QString copied;
        for (Client *signer : {&admin, &tempClient}) {
            model.setSigningClient(signer);
            for (const JournalEntry &e : model.journal()->entries()) {
                QString error;
                copied += curlFor(model, qint64(e.id), &error) + u'\n';
                QVERIFY2(error.isEmpty(), qPrintable(error));
            }
        }
        QVERIFY(copied.contains(u"$COS_SESSION_TOKEN"_s));
        QVERIFY(copied.contains(u"$COS_SECRET_KEY"_s));

        const auto forms = [](const QString &s) {
            return QStringList {s, QString::fromLatin1(QUrl::toPercentEncoding(s))};
        };
        QStringList secrets = forms(permanent.secretKey) + forms(temp->secretKey)
                + forms(temp->sessionToken) + forms(wrong.secretKey);
        for (const QString &secret : std::as_const(secrets)) {
            QVERIFY2(!everything.contains(secret), "a secret in what the page shows");
            QVERIFY2(!copied.contains(secret), "a secret in a copied text");
        }
        // The page masks key ids too (a presigned URL must carry its key id).
        for (const QString &id : forms(permanent.secretId) + forms(temp->secretId))
            QVERIFY2(!everything.contains(id), "a key id in what the page shows");
        QVERIFY(everything.contains(maskKeyId(temp->secretId)));

        AppTest::purgeBucket(&admin, bucket);
    }
};

QTEST_MAIN(TstAppNetwork)
#include "tst_app_network.moc"
