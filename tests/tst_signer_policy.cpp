// Policy builder, prefix rules, scope resolution, the credential cache and the JSON shapes.
#include <credentialcache.h>
#include <policy.h>
#include <responses.h>
#include <signerconfig.h>
#include <signercore.h>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace Signer;

namespace {

/** An in-process back end: counts calls, answers after the event loop turns. */
class MockBackend : public StsBackend
{
public:
    explicit MockBackend(PolicyDialect dialect)
        : m_dialect(dialect)
    { }
    QString name() const override { return u"mock"_s; }
    QString cacheId() const override { return u"mock|1"_s; }
    PolicyDialect dialect() const override { return m_dialect; }
    void fetch(const StsRequest &request, Callback done) override
    {
        ++calls;
        lastPolicy = request.policy;
        lastDuration = request.durationSeconds;
        const int n = calls;
        QTimer::singleShot(0, this, [this, done, request, n] {
            if (!failCode.isEmpty()) {
                done(Cos::Error::service(200, failCode, u"mock failure"_s, u"req-1"_s), {});
                return;
            }
            TempCredentials c;
            c.tmpSecretId = u"tmp-id-%1"_s.arg(n);
            c.tmpSecretKey = u"tmp-key-%1"_s.arg(n);
            c.sessionToken = u"token-%1"_s.arg(n);
            c.expiredTime = QDateTime::currentSecsSinceEpoch() + request.durationSeconds;
            c.expiration = u"2030-01-01T00:00:00Z"_s;
            c.requestId = u"rid-%1"_s.arg(n);
            c.issuedAt = QDateTime::currentSecsSinceEpoch();
            done({}, c);
        });
    }
    int calls = 0;
    QByteArray lastPolicy;
    int lastDuration = 0;
    QString failCode;

private:
    PolicyDialect m_dialect;
};

Operations ops(const QString &list)
{
    Operations out;
    QString error;
    if (!parseActionList(list, &out, &error))
        qFatal("bad action list in test: %s", qPrintable(error));
    return out;
}

SignerConfig baseConfig(const QString &backend)
{
    SignerConfig c;
    c.backend = backend;
    c.secretId = u"AKIDexample"_s;
    c.secretKey = u"secret"_s;
    c.appId = u"1250000000"_s;
    c.roleArn = backend == "s3-sts"_L1 ? u"arn:aws:iam:::role/r"_s : QString();
    c.stsEndpoint = backend == "s3-sts"_L1 ? u"http://127.0.0.1:1/"_s : QString();
    c.grants = {{u"examplebucket"_s, u"ap-guangzhou"_s, u"users/${uid}/"_s,
                 ops(u"upload,download,list"_s)}};
    return c;
}

} // namespace

class TestSignerPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void actionSets();
    void unknownAction();
    void prefixValidation_data();
    void prefixValidation();
    void templates();
    void camPolicy();
    void iamPolicy();
    void wholeBucketPolicy();
    void configValidation_data();
    void configValidation();
    void configFile();
    void resolve_data();
    void resolve();
    void cacheSingleFlightAndReuse();
    void defaultRequestPerCaller();
    void cacheMarginAndBound();
    void cacheKeyDistinguishesPolicyAndDuration();
    void upstreamErrorsAreNotCached();
    void jsonShapes();
    void logEscaping();
};

void TestSignerPolicy::actionSets()
{
    const Operations upload = ops(u"upload"_s);
    QCOMPARE(upload.size(), 8);
    for (Operation op :
         {Operation::PutObject, Operation::PostObject, Operation::InitiateMultipartUpload,
          Operation::ListMultipartUploads, Operation::ListParts, Operation::UploadPart,
          Operation::CompleteMultipartUpload, Operation::AbortMultipartUpload})
        QVERIFY(upload.contains(op));
    QCOMPARE(ops(u"download"_s), (Operations {Operation::GetObject, Operation::HeadObject}));
    QCOMPARE(ops(u"list"_s), Operations {Operation::GetBucket});
    QCOMPARE(ops(u"delete"_s), Operations {Operation::DeleteObject});
    // COS and S3 names map onto the same operations; duplicates collapse.
    QCOMPARE(ops(u"name/cos:GetObject,GetObject,s3:DeleteObject"_s),
             (Operations {Operation::GetObject, Operation::DeleteObject}));
}

void TestSignerPolicy::unknownAction()
{
    Operations out;
    QString error;
    QVERIFY(!parseActions({u"upload"_s, u"name/cos:*"_s}, &out, &error));
    QVERIFY2(error.contains(u"unknown action 'name/cos:*'"_s), qPrintable(error));
    QVERIFY(!parseActions({u"s3:*"_s}, &out, &error));
    QVERIFY(!parseActions({u"PutBucket"_s}, &out, &error));
}

void TestSignerPolicy::prefixValidation_data()
{
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("reason"); // empty: valid
    QTest::newRow("plain") << u"users/alice/"_s << QString();
    QTest::newRow("unicode") << u"用户/图片/"_s << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("dotdot") << u"users/../admin/"_s << u"'..'"_s;
    QTest::newRow("leading dotdot") << u"../x/"_s << u"'..'"_s;
    QTest::newRow("dot") << u"users/./x/"_s << u"'.'"_s;
    QTest::newRow("absolute") << u"/etc/"_s << u"relative"_s;
    QTest::newRow("star") << u"users/*"_s << u"wildcard"_s;
    QTest::newRow("question") << u"users/a?/"_s << u"wildcard"_s;
    QTest::newRow("newline") << u"users/a\nb/"_s << u"control"_s;
    QTest::newRow("nul") << QString(u"users/a"_s + QChar(0) + u"/"_s) << u"control"_s;
    QTest::newRow("backslash") << u"users\\a/"_s << u"backslash"_s;
    QTest::newRow("double slash") << u"users//a/"_s << u"empty segment"_s;
    QTest::newRow("policy variable") << u"users/${aws:username}/"_s << u"${"_s;
    QTest::newRow("too long") << QString(600, u'a') << u"512"_s;
}

void TestSignerPolicy::prefixValidation()
{
    QFETCH(QString, prefix);
    QFETCH(QString, reason);
    const QString got = validatePrefix(prefix);
    if (reason.isEmpty())
        QVERIFY2(got.isEmpty(), qPrintable(got));
    else
        QVERIFY2(got.contains(reason), qPrintable(got));
}

void TestSignerPolicy::templates()
{
    QString out, error;
    QVERIFY(expandPrefixTemplate(u"users/${uid}/"_s, u"alice"_s, &out, &error));
    QCOMPARE(out, u"users/alice/"_s);
    QVERIFY(!expandPrefixTemplate(u"users/${uid}/"_s, u".."_s, &out, &error));
    QVERIFY(!expandPrefixTemplate(u"users/${uid}/"_s, u"a/b"_s, &out, &error));
    QVERIFY(!expandPrefixTemplate(u"users/${uid}/"_s, QString(), &out, &error));
    QVERIFY(!expandPrefixTemplate(u"users/${other}/"_s, u"alice"_s, &out, &error));
    QVERIFY(error.contains(u"${"_s));
}

void TestSignerPolicy::camPolicy()
{
    QString error;
    const Scope scope {ops(u"upload,list"_s), u"examplebucket"_s, u"ap-guangzhou"_s,
                       u"users/alice/"_s};
    const QByteArray policy = buildPolicy(PolicyDialect::Cam, {scope}, u"1250000000"_s, &error);
    QVERIFY2(!policy.isEmpty(), qPrintable(error));
    // Uploads only with a private ACL (cos:x-cos-acl), PutObjectACL denied.
    const QByteArray expected =
            R"({"statement":[{"action":["name/cos:PutObject","name/cos:PostObject",)"
            R"("name/cos:InitiateMultipartUpload"],"condition":{"string_equal_if_exist":)"
            R"({"cos:x-cos-acl":["private","default"]}},"effect":"allow","resource":)"
            R"(["qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/users/alice/*"]},)"
            R"({"action":["name/cos:PutObjectACL"],"effect":"deny","resource":)"
            R"(["qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/users/alice/*"]},)"
            R"({"action":["name/cos:ListMultipartUploads","name/cos:ListParts",)"
            R"("name/cos:UploadPart","name/cos:CompleteMultipartUpload",)"
            R"("name/cos:AbortMultipartUpload"],"effect":"allow","resource":)"
            R"(["qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/users/alice/*"]},)"
            R"({"action":["name/cos:GetBucket"],"condition":{"string_like":)"
            R"({"cos:prefix":"users/alice/*"}},"effect":"allow","resource":)"
            R"(["qcs::cos:ap-guangzhou:uid/1250000000:examplebucket-1250000000/*"]}],)"
            R"("version":"2.0"})"_ba;
    QCOMPARE(policy, expected);
    QVERIFY(!policy.contains("principal"));
    // A bucket already carrying the APPID is not suffixed twice.
    const Scope withAppId {ops(u"download"_s), u"examplebucket-1250000000"_s, u"ap-guangzhou"_s,
                           u"a/"_s};
    QVERIFY(buildPolicy(PolicyDialect::Cam, {withAppId}, u"1250000000"_s, &error)
                    .contains(":examplebucket-1250000000/a/*"));
    // CAM without an APPID cannot name the resource.
    QVERIFY(buildPolicy(PolicyDialect::Cam, {scope}, QString(), &error).isEmpty());
    QVERIFY(error.contains(u"APPID"_s));
}

void TestSignerPolicy::iamPolicy()
{
    QString error;
    const Scope scope {ops(u"upload,download,list"_s), u"photos"_s, u"us-east-1"_s,
                       u"users/alice/"_s};
    const QByteArray policy = buildPolicy(PolicyDialect::Iam, {scope}, QString(), &error);
    // s3:PutObject only without a public ACL or grant header, s3:PutObjectAcl denied.
    const QByteArray expected =
            R"({"Statement":[{"Action":["s3:PutObject"],"Condition":{"Null":)"
            R"({"s3:x-amz-grant-full-control":"true","s3:x-amz-grant-read":"true",)"
            R"("s3:x-amz-grant-read-acp":"true","s3:x-amz-grant-write":"true",)"
            R"("s3:x-amz-grant-write-acp":"true"},"StringEqualsIfExists":)"
            R"({"s3:x-amz-acl":["","private"]}},"Effect":"Allow","Resource":)"
            R"(["arn:aws:s3:::photos/users/alice/*"]},{"Action":["s3:PutObjectAcl"],)"
            R"("Effect":"Deny","Resource":["arn:aws:s3:::photos/users/alice/*"]},)"
            R"({"Action":["s3:ListMultipartUploadParts","s3:AbortMultipartUpload",)"
            R"("s3:GetObject"],"Effect":"Allow","Resource":)"
            R"(["arn:aws:s3:::photos/users/alice/*"]},{"Action":["s3:ListBucketMultipartUploads",)"
            R"("s3:ListBucket"],"Condition":{"StringLike":{"s3:prefix":["users/alice/*"]}},)"
            R"("Effect":"Allow","Resource":["arn:aws:s3:::photos"]}],"Version":"2012-10-17"})"_ba;
    QCOMPARE(policy, expected);
    // Naming PutObjectAcl opts in: no ACL condition, no deny.
    const Scope publisher {ops(u"upload,s3:PutObjectAcl"_s), u"photos"_s, u"us-east-1"_s,
                           u"users/alice/"_s};
    const QByteArray open = buildPolicy(PolicyDialect::Iam, {publisher}, QString(), &error);
    QVERIFY(!open.contains("Deny"));
    QVERIFY(!open.contains("x-amz-acl"));
    QVERIFY(open.contains("\"s3:PutObjectAcl\""));
    QVERIFY(!buildPolicy(PolicyDialect::Cam, {publisher}, u"1250000000"_s, &error)
                     .contains("cos:x-cos-acl"));
}

void TestSignerPolicy::wholeBucketPolicy()
{
    QString error;
    const Scope scope {ops(u"list"_s), u"photos"_s, u"us-east-1"_s, QString()};
    const QByteArray policy = buildPolicy(PolicyDialect::Iam, {scope}, QString(), &error);
    QVERIFY(!policy.contains("Condition"));
    QVERIFY(policy.contains("arn:aws:s3:::photos\""));
    const Scope bad {ops(u"list"_s), u"photos"_s, u"us-east-1"_s, u"../"_s};
    QVERIFY(buildPolicy(PolicyDialect::Iam, {bad}, QString(), &error).isEmpty());
}

void TestSignerPolicy::configValidation_data()
{
    QTest::addColumn<QString>("mutation");
    QTest::addColumn<QString>("message"); // empty: valid
    QTest::newRow("valid") << u"none"_s << QString();
    QTest::newRow("no key") << u"nokey"_s << u"no permanent key"_s;
    QTest::newRow("no appid") << u"noappid"_s << u"--appid"_s;
    QTest::newRow("empty prefix") << u"emptyprefix"_s << u"write '*'"_s;
    QTest::newRow("star prefix") << u"star"_s << QString();
    QTest::newRow("escaping prefix") << u"escape"_s << u"'..'"_s;
    QTest::newRow("no grants") << u"nogrants"_s << u"nothing to grant"_s;
    QTest::newRow("bad backend") << u"backend"_s << u"unknown back end"_s;
    QTest::newRow("half tls") << u"tls"_s << u"TLS"_s;
}

void TestSignerPolicy::configValidation()
{
    QFETCH(QString, mutation);
    QFETCH(QString, message);
    SignerConfig c = baseConfig(u"tencent"_s);
    if (mutation == "nokey"_L1)
        c.secretKey.clear();
    else if (mutation == "noappid"_L1)
        c.appId.clear();
    else if (mutation == "emptyprefix"_L1)
        c.grants[0].prefixTemplate.clear();
    else if (mutation == "star"_L1)
        c.grants[0].prefixTemplate = u"*"_s;
    else if (mutation == "escape"_L1)
        c.grants[0].prefixTemplate = u"users/../${uid}/"_s;
    else if (mutation == "nogrants"_L1)
        c.grants.clear();
    else if (mutation == "backend"_L1)
        c.backend = u"gcs"_s;
    else if (mutation == "tls"_L1)
        c.tlsCert = u"/tmp/cert.pem"_s;
    QString error;
    const bool ok = c.validate(&error);
    if (message.isEmpty())
        QVERIFY2(ok, qPrintable(error));
    else
        QVERIFY2(!ok && error.contains(message), qPrintable(error));
}

void TestSignerPolicy::configFile()
{
    QTemporaryFile f;
    QVERIFY(f.open());
    f.write(R"({"backend":"s3-sts","stsEndpoint":"http://127.0.0.1:7480/","roleArn":"arn:x",
        "grants":[{"bucket":"b","region":"us-east-1","prefix":"u/${uid}/","actions":["upload","list"]}],
        "limits":{"maxBodyBytes":1000,"ratePerSecond":2.5},"auth":{"hmacWindowSeconds":60},
        "corsOrigins":["https://app.example"]})");
    f.flush();
    SignerConfig c;
    QString error;
    QVERIFY2(c.loadFile(f.fileName(), &error), qPrintable(error));
    QCOMPARE(c.backend, u"s3-sts"_s);
    QCOMPARE(c.grants.size(), 1);
    QCOMPARE(c.grants[0].operations, ops(u"upload,list"_s));
    QCOMPARE(c.maxBodyBytes, 1000);
    QCOMPARE(c.ratePerSecond, 2.5);
    QCOMPARE(c.hmacWindowSeconds, 60);
    QCOMPARE(c.corsOrigins, QStringList {u"https://app.example"_s});

    QTemporaryFile bad;
    QVERIFY(bad.open());
    bad.write(R"({"grants":[],"secretKye":"typo"})");
    bad.flush();
    QVERIFY(!c.loadFile(bad.fileName(), &error));
    QVERIFY2(error.contains(u"unknown key 'secretKye'"_s), qPrintable(error));
    QVERIFY(!c.loadFile(u"/nonexistent/signer.json"_s, &error));
}

void TestSignerPolicy::resolve_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status"); // 0: accepted
    QTest::addColumn<QString>("expect"); // code on error, "bucket/prefix [ops]" on success
    QTest::newRow("empty body: default")
            << QByteArray() << 0
            << u"examplebucket-1250000000/users/alice/* [upload,download,list]"_s;
    QTest::newRow("narrower prefix and actions")
            << R"({"scope":[{"action":["download"],"prefix":"users/alice/photos/"}]})"_ba << 0
            << u"examplebucket-1250000000/users/alice/photos/* [download]"_s;
    QTest::newRow("bare array, COS action name, bucket with appid")
            << R"([{"action":"name/cos:PutObject","bucket":"examplebucket-1250000000","region":"ap-guangzhou","prefix":"users/alice/x/"}])"_ba
            << 0 << u"examplebucket-1250000000/users/alice/x/* [PutObject]"_s;
    QTest::newRow("shorter duration")
            << R"({"durationSeconds":900})"_ba << 0
            << u"examplebucket-1250000000/users/alice/* [upload,download,list]"_s;
    QTest::newRow("malformed json") << R"({"scope":[)"_ba << 400 << u"MalformedJson"_s;
    QTest::newRow("unknown field") << R"({"scope":[],"admin":true})"_ba << 400 << u"UnknownField"_s;
    QTest::newRow("unknown scope field")
            << R"({"scope":{"effect":"deny"}})"_ba << 400 << u"UnknownField"_s;
    QTest::newRow("unknown action")
            << R"({"scope":{"action":"name/cos:*"}})"_ba << 400 << u"UnknownAction"_s;
    QTest::newRow("scope not an object")
            << R"({"scope":["upload"]})"_ba << 400 << u"InvalidScope"_s;
    QTest::newRow("duration too long")
            << R"({"durationSeconds":7200})"_ba << 400 << u"InvalidDuration"_s;
    QTest::newRow("duration not integer")
            << R"({"durationSeconds":"60"})"_ba << 400 << u"InvalidDuration"_s;
    // Beyond qint64: converting it to an integer to test "is it whole" was undefined behaviour.
    QTest::newRow("duration 9e50")
            << R"({"durationSeconds":9e50})"_ba << 400 << u"InvalidDuration"_s;
    QTest::newRow("duration -9e50")
            << R"({"durationSeconds":-9e50})"_ba << 400 << u"InvalidDuration"_s;
    QTest::newRow("duration fraction")
            << R"({"durationSeconds":900.5})"_ba << 400 << u"InvalidDuration"_s;
    QTest::newRow("dotdot prefix")
            << R"({"scope":{"prefix":"users/alice/../bob/"}})"_ba << 400 << u"InvalidPrefix"_s;
    QTest::newRow("absolute prefix")
            << R"({"scope":{"prefix":"/users/alice/"}})"_ba << 400 << u"InvalidPrefix"_s;
    QTest::newRow("wildcard prefix")
            << R"({"scope":{"prefix":"users/alice/*"}})"_ba << 400 << u"InvalidPrefix"_s;
    QTest::newRow("control char prefix")
            << "{\"scope\":{\"prefix\":\"users/alice/\\u0001\"}}"_ba << 400 << u"InvalidPrefix"_s;
    QTest::newRow("other user's prefix")
            << R"({"scope":{"prefix":"users/bob/"}})"_ba << 403 << u"ScopeNotAllowed"_s;
    QTest::newRow("prefix without slash")
            << R"({"scope":{"prefix":"users/alice"}})"_ba << 403 << u"ScopeNotAllowed"_s;
    QTest::newRow("whole bucket") << R"({"scope":{"prefix":"*"}})"_ba << 403
                                  << u"ScopeNotAllowed"_s;
    QTest::newRow("action not granted")
            << R"({"scope":{"action":"delete"}})"_ba << 403 << u"ScopeNotAllowed"_s;
    QTest::newRow("other bucket") << R"({"scope":{"bucket":"secrets"}})"_ba << 403
                                  << u"ScopeNotAllowed"_s;
    QTest::newRow("other region") << R"({"scope":{"region":"ap-beijing"}})"_ba << 403
                                  << u"ScopeNotAllowed"_s;
    QTest::newRow("too many scopes")
            << QByteArray("[" + QByteArray("{},").repeated(16) + "{}]") << 400 << u"InvalidScope"_s;
}

void TestSignerPolicy::resolve()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, expect);
    SignerCore core(baseConfig(u"tencent"_s), new MockBackend(PolicyDialect::Cam));
    IssueRequest request;
    const SignerError e = core.resolve(u"alice"_s, body, &request);
    QCOMPARE(e.status, status);
    if (status) {
        QCOMPARE(e.code, expect);
        QVERIFY(!e.message.isEmpty());
    } else {
        QCOMPARE(describeScopes(request.scopes), expect);
        QVERIFY(request.durationSeconds <= 1800);
    }
}

void TestSignerPolicy::cacheSingleFlightAndReuse()
{
    SignerConfig config = baseConfig(u"tencent"_s);
    auto *backend = new MockBackend(PolicyDialect::Cam);
    SignerCore core(config, backend);
    IssueRequest request;
    QVERIFY(!core.defaultRequest(u"alice"_s, &request));

    QList<IssueResult> results;
    for (int i = 0; i < 5; ++i)
        core.issue(request, [&](const IssueResult &r) { results.append(r); });
    QCOMPARE(core.cache().inFlight(), 1);
    QTRY_COMPARE(results.size(), 5);
    QCOMPARE(backend->calls, 1); // single flight
    for (const IssueResult &r : std::as_const(results)) {
        QVERIFY(!r.error);
        QCOMPARE(r.credentials.tmpSecretId, u"tmp-id-1"_s);
        QVERIFY(!r.cacheHit);
    }
    IssueResult cached;
    QVERIFY(core.answerFromCache(request, &cached));
    QVERIFY(cached.cacheHit);
    QCOMPARE(cached.credentials.sessionToken, u"token-1"_s);
    bool sync = false;
    core.issue(request, [&](const IssueResult &r) { sync = r.cacheHit; });
    QVERIFY(sync); // answered before issue() returned
    QCOMPARE(backend->calls, 1);

    // Another caller has another prefix, hence another policy and another upstream call.
    IssueRequest bob;
    QVERIFY(!core.defaultRequest(u"bob"_s, &bob));
    bool done = false;
    core.issue(bob, [&](const IssueResult &) { done = true; });
    QTRY_VERIFY(done);
    QCOMPARE(backend->calls, 2);
    QVERIFY(backend->lastPolicy.contains("users/bob/*"));
}

void TestSignerPolicy::defaultRequestPerCaller()
{
    // The default request and its presentation are remembered per caller: every caller must
    // still get their own prefix, also after the memo was filled and cleared at its bound.
    SignerConfig config = baseConfig(u"tencent"_s);
    config.cacheMaxEntries = 3;
    SignerCore core(config, new MockBackend(PolicyDialect::Cam));
    for (int round = 0; round < 2; ++round) {
        for (const QString &uid : {u"alice"_s, u"bob"_s, u"carol"_s, u"dave"_s, u"alice"_s}) {
            IssueRequest request;
            ScopePresentation shown;
            QVERIFY(!core.defaultRequest(uid, &request, &shown));
            QCOMPARE(request.uid, uid);
            QCOMPARE(request.scopes.size(), 1);
            QCOMPARE(request.scopes.first().prefix, u"users/%1/"_s.arg(uid));
            QCOMPARE(shown.logText, describeScopes(request.scopes));
            QCOMPARE(shown.scope, core.credentialScope(request).toJson());
            QCOMPARE(shown.scope.first().toObject().value("prefix"_L1).toString(),
                     u"users/%1/"_s.arg(uid));
        }
    }
    // A refused identity is refused every time, not remembered as something else.
    for (int i = 0; i < 2; ++i) {
        IssueRequest request;
        const SignerError e = core.defaultRequest(u"../x"_s, &request);
        QCOMPARE(e.status, 403);
        QCOMPARE(e.code, u"InvalidIdentity"_s);
    }
}

void TestSignerPolicy::cacheMarginAndBound()
{
    CredentialCache cache(300, 2);
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    int fetches = 0;
    auto fetcher = [&](qint64 lifetime) {
        return [&fetches, lifetime, now](StsBackend::Callback cb) {
            ++fetches;
            TempCredentials c {u"i"_s, u"k"_s, u"t"_s, now + lifetime, {}, {}, now};
            cb({}, c);
        };
    };
    bool hit = true;
    cache.get("a", now, fetcher(200),
              [&](const Cos::Error &, const TempCredentials &, bool h) { hit = h; });
    QVERIFY(!hit);
    QCOMPARE(cache.size(), 0); // 200 s < 300 s margin: never reusable, not stored
    cache.get("a", now, fetcher(1000), [&](auto &, auto &, bool h) { hit = h; });
    QCOMPARE(cache.size(), 1);
    cache.get("a", now + 500, fetcher(1000), [&](auto &, auto &, bool h) { hit = h; });
    QVERIFY(hit); // 500 s left > margin
    cache.get("a", now + 701, fetcher(1000), [&](auto &, auto &, bool h) { hit = h; });
    QVERIFY(!hit); // 299 s left: refreshed
    QCOMPARE(fetches, 3);
    cache.get("b", now, fetcher(1000), [](auto &, auto &, bool) {});
    cache.get("c", now, fetcher(1000), [](auto &, auto &, bool) {});
    QCOMPARE(cache.size(), 2); // bounded
}

void TestSignerPolicy::cacheKeyDistinguishesPolicyAndDuration()
{
    const QByteArray a = CredentialCache::makeKey(u"x"_s, "{p}", 1800);
    QCOMPARE(a, CredentialCache::makeKey(u"x"_s, "{p}", 1800));
    QVERIFY(a != CredentialCache::makeKey(u"x"_s, "{p}", 900));
    QVERIFY(a != CredentialCache::makeKey(u"x"_s, "{q}", 1800));
    QVERIFY(a != CredentialCache::makeKey(u"y"_s, "{p}", 1800));
}

void TestSignerPolicy::upstreamErrorsAreNotCached()
{
    auto *backend = new MockBackend(PolicyDialect::Cam);
    backend->failCode = u"RequestLimitExceeded"_s;
    SignerCore core(baseConfig(u"tencent"_s), backend);
    IssueRequest request;
    QVERIFY(!core.defaultRequest(u"alice"_s, &request));
    IssueResult result;
    bool done = false;
    core.issue(request, [&](const IssueResult &r) {
        result = r;
        done = true;
    });
    QTRY_VERIFY(done);
    QCOMPARE(result.error.status, 502);
    QCOMPARE(result.error.upstreamCode, u"RequestLimitExceeded"_s);
    QVERIFY(result.error.message.contains(u"RequestLimitExceeded"_s));
    backend->failCode.clear();
    done = false;
    core.issue(request, [&](const IssueResult &r) {
        result = r;
        done = true;
    });
    QTRY_VERIFY(done);
    QVERIFY(!result.error);
    QCOMPARE(backend->calls, 2);
}

void TestSignerPolicy::jsonShapes()
{
    TempCredentials c {u"AKIDtmp"_s, u"tmpkey"_s, u"tok"_s, 1700000000, u"2023-11-14T22:13:20Z"_s,
                       u"rid"_s,     1699998200};
    const QJsonObject legacy = legacyJson(c);
    QCOMPARE(legacy.value("code"_L1).toInt(), 0);
    QCOMPARE(legacy.value("message"_L1).toString(), QString());
    QCOMPARE(legacy.value("codeDesc"_L1).toString(), u"Success"_s);
    const QJsonObject data = legacy.value("data"_L1).toObject();
    QCOMPARE(data.value("expiredTime"_L1).toInteger(), 1700000000);
    QCOMPARE(data.value("credentials"_L1).toObject().value("sessionToken"_L1).toString(), u"tok"_s);
    QCOMPARE(data.value("credentials"_L1).toObject().value("tmpSecretId"_L1).toString(),
             u"AKIDtmp"_s);

    const QJsonObject modern = modernJson(c, 1699999000);
    QCOMPARE(modern.value("startTime"_L1).toInteger(), 1699999000);
    QCOMPARE(QString::number(modern.value("expiredTime"_L1).toInteger()).size(), 10);
    QCOMPARE(modern.value("expiration"_L1).toString(), u"2023-11-14T22:13:20Z"_s);
    QCOMPARE(modern.value("requestId"_L1).toString(), u"rid"_s);
    QCOMPARE(modern.value("credentials"_L1).toObject().keys(),
             (QStringList {u"sessionToken"_s, u"tmpSecretId"_s, u"tmpSecretKey"_s}));
    // Without a scope no "scope" field; with one, at the top level of both shapes.
    QVERIFY(!modern.contains("scope"_L1));
    QVERIFY(!legacy.contains("scope"_L1));
    Cos::CredentialScope scope;
    scope.grants.append({u"b-1250000000"_s, u"ap-beijing"_s, u"users/u/"_s, {u"upload"_s}});
    QCOMPARE(modernJson(c, 1699999000, scope.toJson()).value("scope"_L1).toArray(), scope.toJson());
    QCOMPARE(legacyJson(c, scope.toJson()).value("scope"_L1).toArray(), scope.toJson());

    const SignerError e = SignerError::make(403, u"ScopeNotAllowed"_s, u"no"_s);
    QCOMPARE(legacyErrorJson(e).value("code"_L1).toInt(), 403);
    QCOMPARE(legacyErrorJson(e).value("codeDesc"_L1).toString(), u"ScopeNotAllowed"_s);
    QCOMPARE(modernErrorJson(e).value("error"_L1).toObject().value("code"_L1).toString(),
             u"ScopeNotAllowed"_s);
}

void TestSignerPolicy::logEscaping()
{
    // Printable ASCII comes back as it is, sharing the same data (no copy).
    const QString plain = u"GET /sts?scope=users/alice/ 127.0.0.1 req-0123"_s;
    const QString same = escapeForLog(plain);
    QCOMPARE(same, plain);
    QCOMPARE(same.constData(), plain.constData());
    // Quotes, backslashes and controls are escaped; so are bidi and zero-width characters,
    // while printable non-ASCII and surrogate pairs stay.
    QCOMPARE(escapeForLog(u"a\"b\\c\x01\x7f\n"_s), u"a\\x22b\\x5cc\\x01\\x7f\\x0a"_s);
    QCOMPARE(escapeForLog(u"x\u202Ey\u200Bz"_s), u"x\\u202ey\\u200bz"_s);
    QCOMPARE(escapeForLog(u"caf\u00e9 \U0001F600"_s), u"caf\u00e9 \U0001F600"_s);
    QCOMPARE(escapeForLog(QString(1, QChar(0xD800))), u"\\ud800"_s); // unpaired surrogate
    // Longer than max: cut, marked with "...", ASCII or not.
    QCOMPARE(escapeForLog(u"abcdef"_s, 6), u"abcdef"_s);
    QCOMPARE(escapeForLog(u"abcdefg"_s, 6), u"abcdef..."_s);
    QCOMPARE(escapeForLog(u"\u00e9bcdefg"_s, 6), u"\u00e9bcdef..."_s);
}

QTEST_GUILESS_MAIN(TestSignerPolicy)
#include "tst_signer_policy.moc"
