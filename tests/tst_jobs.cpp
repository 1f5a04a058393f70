// RequestJob: retry policy, one finished(), abort, timeout, clock-skew re-sign and credential
// refresh, against a scripted HTTP server on 127.0.0.1.
#include "cos/net/client.h"
#include "cos/net/clock.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "scriptedhttpserver.h"

#include <QBuffer>
#include <QDateTime>
#include <QPointer>
#include <QSignalSpy>
#include <QUrlQuery>
#include <QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

using Received = ReceivedRequest;

// What the job tests script: a status, headers and a body (a Date header and the
// Content-Length are added; nothing of the body for HEAD), or no answer, or a dropped connection.
struct Reply
{
    enum class Action { Respond, Hang, Close };
    Action action = Action::Respond;
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static Reply ok(const QByteArray &body = {}) { return {Action::Respond, 200, {}, body}; }
    static Reply error(int status, const QByteArray &code, const QByteArray &message = {},
                       const QByteArray &extra = {})
    {
        return {Action::Respond,
                status,
                {},
                "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>" + message
                        + "</Message>" + extra + "<RequestId>rid-1</RequestId></Error>"};
    }
    static Reply hang() { return {Action::Hang, 0, {}, {}}; }
    static Reply close() { return {Action::Close, 0, {}, {}}; }
};

QByteArray httpDate(const QDateTime &t)
{
    return QLocale::c().toString(t.toUTC(), u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
}

ScriptedResponse toResponse(const Received &request, const Reply &reply)
{
    switch (reply.action) {
    case Reply::Action::Hang:
        return ScriptedResponse::stalled();
    case Reply::Action::Close:
        return ScriptedResponse::close();
    case Reply::Action::Respond:
        break;
    }
    QList<QPair<QByteArray, QByteArray>> headers = reply.headers;
    const bool hasDate = std::any_of(headers.cbegin(), headers.cend(), [](const auto &h) {
        return h.first.compare("Date", Qt::CaseInsensitive) == 0;
    });
    if (!hasDate)
        headers.append({"Date", httpDate(QDateTime::currentDateTimeUtc())});
    return ScriptedResponse::http(reply.status, headers,
                                  request.method == "HEAD" ? QByteArray() : reply.body);
}

// The scripted server with the job tests' vocabulary.
class ScriptedServer : public ScriptedHttpServer
{
public:
    explicit ScriptedServer(std::function<Reply(const Received &)> handler)
        : ScriptedHttpServer([handler = std::move(handler)](const Received &r) {
            return toResponse(r, handler(r));
        })
    { }
};

// Hands out key sets k1/t1, k2/t2, ... so tests can tell fetches apart.
class CountingProvider : public CredentialProvider
{
public:
    QString description() const override { return u"counting test provider"_s; }
    void fetch() override
    {
        ++fetches;
        QTimer::singleShot(0, this, [this] {
            Credentials c;
            c.secretId = u"AKIDTEST%1"_s.arg(fetches);
            c.secretKey = u"secret%1"_s.arg(fetches);
            c.sessionToken = u"t%1"_s.arg(fetches);
            c.expiredTime = QDateTime::currentSecsSinceEpoch() + 3600;
            Q_EMIT fetched(c, {});
        });
    }
    int fetches = 0;
};

std::unique_ptr<Client> makeClient(quint16 port, CredentialProvider *provider = nullptr)
{
    Error e;
    const Endpoint ep = Endpoint::s3(QUrl(u"http://127.0.0.1:%1"_s.arg(port)), u"us-east-1"_s, true,
                                     &e);
    if (!provider) {
        Credentials c;
        c.secretId = u"AKIDSTATIC"_s;
        c.secretKey = u"staticsecret"_s;
        provider = new StaticCredentialProvider(c);
    }
    auto client = std::make_unique<Client>(ep, provider);
    client->setRetryBaseDelay(5);
    client->setTransferTimeout(5000);
    return client;
}

// A COS client that reaches the scripted server through connect-to: the requests carry the real
// COS host names, so the server can answer by host.
std::unique_ptr<Client> makeCosClient(quint16 port, bool backupDomain = true)
{
    Endpoint ep = Endpoint::cos(u"ap-guangzhou"_s, u"1250000000"_s);
    ep.scheme = u"http"_s;
    ep.connectHost = u"127.0.0.1"_s;
    ep.connectPort = port;
    ep.backupDomain = backupDomain;
    Credentials c;
    c.secretId = u"AKIDSTATIC"_s;
    c.secretKey = u"staticsecret"_s;
    auto client = std::make_unique<Client>(ep, new StaticCredentialProvider(c));
    client->setRetryBaseDelay(5);
    client->setTransferTimeout(5000);
    return client;
}

// Runs GET bkt/k with up to @p maxAttempts attempts until it finishes (or 5 s pass); the job
// belongs to the client.
RequestJob *runGet(Client *client, int maxAttempts)
{
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    job->setMaxAttempts(maxAttempts);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    finished.wait(5000);
    return job;
}

// The query value @p name of a presigned URL.
QString queryValue(const QUrl &url, const QString &name)
{
    return QUrlQuery(url).queryItemValue(name, QUrl::FullyDecoded);
}

// True when the request's x-amz-date is within 15 minutes of the real time, as S3 checks.
bool dateIsFresh(const Received &r)
{
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(r.header("x-amz-date")),
                                              u"yyyyMMddTHHmmssZ"_s);
    QDateTime utc = t;
    utc.setTimeSpec(Qt::UTC);
    return t.isValid() && qAbs(utc.secsTo(QDateTime::currentDateTimeUtc())) < 15 * 60;
}

} // namespace

class TstJobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decide_data();
    void decide();
    void backoffDelay();
    void retriesServerErrorsThenSucceeds();
    void givesUpAfterMaxAttempts();
    void neverRetriesClientErrors_data();
    void neverRetriesClientErrors();
    void postIsNotRetriedOn5xx();
    void retriesDroppedConnection();
    void transferTimeout();
    void abortWhileRunning();
    void abortBeforeStart();
    void clientDestroyedFinishesJob();
    void invalidInputFinishesAsynchronously();
    void skewResign_data();
    void skewResign();
    void skewResignOnlyOnce();
    void headForbiddenWithoutBodyResigns();
    void credentialRefreshOnExpiredToken();
    void credentialRefreshOnlyOnce();
    void accessDeniedWithExpiredKeysRefreshes_data();
    void accessDeniedWithExpiredKeysRefreshes();
    void concurrentExpiryCausesOneFetch();
    void bodyDeviceRewoundOnRetry();
    void streamsToSink();
    void bufferedBodyIsCapped();
    void redirectIsNotFollowed();
    void headObjectMetadata();
    void deleteResultParsing();
    void backupDomainOnLastAttempt();
    void backupDomainNotAfterServiceAnswer();
    void backupDomainSwitchedOff();
    void presignLearnsServerTime_data();
    void presignLearnsServerTime();
    void presignOffline();
};

void TstJobs::decide_data()
{
    using D = RequestJob::Decision;
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("kind"); // Error::Kind when status == 0
    QTest::addColumn<bool>("idempotent");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<bool>("clockMoved");
    QTest::addColumn<bool>("resigned");
    QTest::addColumn<bool>("refreshed");
    QTest::addColumn<bool>("canRefresh");
    QTest::addColumn<bool>("headNoBody");
    QTest::addColumn<bool>("temporary");
    QTest::addColumn<bool>("streamed");
    QTest::addColumn<int>("expected");

    const int net = int(Error::Kind::Network);
    const int tmo = int(Error::Kind::Timeout);
    const int svc = int(Error::Kind::Service);
    // clang-format off
    QTest::newRow("503 idempotent") << 503 << u""_s << u""_s << svc << true << 1 << false << false << false << true << false << false << false << int(D::Backoff);
    QTest::newRow("500 last attempt") << 500 << u"InternalError"_s << u""_s << svc << true << 3 << false << false << false << true << false << false << false << int(D::Fail);
    QTest::newRow("503 POST") << 503 << u""_s << u""_s << svc << false << 1 << false << false << false << true << false << false << false << int(D::Fail);
    QTest::newRow("SlowDown") << 503 << u"SlowDown"_s << u""_s << svc << true << 2 << false << false << false << true << false << false << false << int(D::Backoff);
    QTest::newRow("network") << 0 << u""_s << u""_s << net << true << 1 << false << false << false << true << false << false << false << int(D::Backoff);
    QTest::newRow("timeout") << 0 << u""_s << u""_s << tmo << true << 2 << false << false << false << true << false << false << false << int(D::Backoff);
    QTest::newRow("network after streaming") << 0 << u""_s << u""_s << net << true << 1 << false << false << false << true << false << false << true << int(D::Fail);
    QTest::newRow("404") << 404 << u"NoSuchKey"_s << u""_s << svc << true << 1 << false << false << false << true << false << false << false << int(D::Fail);
    QTest::newRow("400") << 400 << u"InvalidArgument"_s << u""_s << svc << true << 1 << false << false << false << true << false << false << false << int(D::Fail);
    QTest::newRow("403 AccessDenied") << 403 << u"AccessDenied"_s << u"Access Denied"_s << svc << true << 1 << true << false << false << true << false << true << false << int(D::Fail);
    QTest::newRow("skew, clock moved") << 403 << u"RequestTimeTooSkewed"_s << u""_s << svc << true << 1 << true << false << false << true << false << false << false << int(D::Resign);
    QTest::newRow("skew, POST") << 403 << u"RequestTimeTooSkewed"_s << u""_s << svc << false << 1 << true << false << false << true << false << false << false << int(D::Resign);
    QTest::newRow("skew, clock did not move") << 403 << u"RequestTimeTooSkewed"_s << u""_s << svc << true << 1 << false << false << false << true << false << false << false << int(D::Fail);
    QTest::newRow("skew, second time") << 403 << u"RequestTimeTooSkewed"_s << u""_s << svc << true << 2 << true << true << false << true << false << false << false << int(D::Fail);
    QTest::newRow("expired request, clock moved") << 403 << u"AccessDenied"_s << u"Request has expired"_s << svc << true << 1 << true << false << false << true << false << true << false << int(D::Resign);
    QTest::newRow("expired request, clock still") << 403 << u"AccessDenied"_s << u"Request has expired"_s << svc << true << 1 << false << false << false << true << false << true << false << int(D::RefreshCredentials);
    QTest::newRow("ExpiredToken") << 400 << u"ExpiredToken"_s << u""_s << svc << false << 1 << false << false << false << true << false << true << false << int(D::RefreshCredentials);
    QTest::newRow("InvalidAccessKeyId") << 403 << u"InvalidAccessKeyId"_s << u""_s << svc << true << 1 << false << false << false << true << false << true << false << int(D::RefreshCredentials);
    QTest::newRow("ExpiredToken, refreshed") << 400 << u"ExpiredToken"_s << u""_s << svc << true << 2 << false << false << true << true << false << true << false << int(D::Fail);
    QTest::newRow("ExpiredToken, static keys") << 400 << u"ExpiredToken"_s << u""_s << svc << true << 1 << false << false << false << false << false << false << false << int(D::Fail);
    QTest::newRow("HEAD 403, clock moved") << 403 << u"AccessDenied"_s << u""_s << svc << true << 1 << true << false << false << true << true << false << false << int(D::Resign);
    QTest::newRow("HEAD 403, temporary keys") << 403 << u"AccessDenied"_s << u""_s << svc << true << 1 << false << false << false << true << true << true << false << int(D::RefreshCredentials);
    QTest::newRow("HEAD 403, static keys") << 403 << u"AccessDenied"_s << u""_s << svc << true << 1 << false << false << false << false << true << false << false << int(D::Fail);
    // clang-format on
}

void TstJobs::decide()
{
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, message);
    QFETCH(int, kind);
    QFETCH(bool, idempotent);
    QFETCH(int, attempts);
    QFETCH(bool, clockMoved);
    QFETCH(bool, resigned);
    QFETCH(bool, refreshed);
    QFETCH(bool, canRefresh);
    QFETCH(bool, headNoBody);
    QFETCH(bool, temporary);
    QFETCH(bool, streamed);
    QFETCH(int, expected);

    RequestJob::DecisionInput in;
    in.error = status > 0 ? Error::service(status, code, message)
                          : Error(Error::Kind(kind), u"transport"_s);
    in.idempotent = idempotent;
    in.attempts = attempts;
    in.maxAttempts = 3;
    in.clockMoved = clockMoved;
    in.alreadyResigned = resigned;
    in.alreadyRefreshed = refreshed;
    in.canRefresh = canRefresh;
    in.headForbiddenNoBody = headNoBody;
    in.temporaryCredentials = temporary;
    in.bodyPartlyStreamed = streamed;
    QCOMPARE(int(RequestJob::decide(in)), expected);
}

void TstJobs::backoffDelay()
{
    QCOMPARE(RequestJob::backoffDelayMs(1, 100, 8000, 0.0), 50);
    QVERIFY(RequestJob::backoffDelayMs(1, 100, 8000, 0.999) >= 99);
    QCOMPARE(RequestJob::backoffDelayMs(3, 100, 8000, 0.0), 200); // 400 * 0.5
    QVERIFY(RequestJob::backoffDelayMs(3, 100, 8000, 0.999) <= 400);
    // Capped, and never overflowing for large retry numbers.
    QVERIFY(RequestJob::backoffDelayMs(40, 100, 8000, 0.999) <= 8000);
    QCOMPARE(RequestJob::backoffDelayMs(40, 100, 8000, 0.0), 4000);
    QCOMPARE(RequestJob::backoffDelayMs(2, 0, 8000, 0.5), 0);
    // Jitter spreads the delays of simultaneous failures.
    QVERIFY(RequestJob::backoffDelayMs(2, 100, 8000, 0.1)
            < RequestJob::backoffDelayMs(2, 100, 8000, 0.9));
}

void TstJobs::retriesServerErrorsThenSucceeds()
{
    int n = 0;
    ScriptedServer server([&n](const Received &) {
        ++n;
        if (n == 1)
            return Reply::error(503, "SlowDown", "Please reduce your request rate");
        if (n == 2)
            return Reply::error(500, "InternalError");
        return Reply::ok("hello");
    });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    QSignalSpy retrying(job, &RequestJob::retrying);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->responseBody(), "hello"_ba);
    QCOMPARE(server.requests.size(), 3);
    QCOMPARE(job->attempts(), 3);
    QCOMPARE(job->backoffRetries(), 2);
    QCOMPARE(retrying.size(), 2);
    QCOMPARE(finished.size(), 1);
}

void TstJobs::givesUpAfterMaxAttempts()
{
    ScriptedServer server(
            [](const Received &) { return Reply::error(500, "InternalError", "boom"); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    job->setMaxAttempts(4);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(server.requests.size(), 4);
    QCOMPARE(job->error().kind(), Error::Kind::Service);
    QCOMPARE(job->error().code(), u"InternalError"_s);
    QCOMPARE(job->error().httpStatus(), 500);
    QCOMPARE(job->error().requestId(), u"rid-1"_s);
    QVERIFY(job->error().isRetryable());
    QCOMPARE(finished.size(), 1);
}

void TstJobs::neverRetriesClientErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("code");
    QTest::newRow("404 NoSuchKey") << 404 << "NoSuchKey"_ba;
    QTest::newRow("400 InvalidArgument") << 400 << "InvalidArgument"_ba;
    QTest::newRow("403 AccessDenied") << 403 << "AccessDenied"_ba;
    QTest::newRow("409 BucketNotEmpty") << 409 << "BucketNotEmpty"_ba;
    QTest::newRow("403 SignatureDoesNotMatch") << 403 << "SignatureDoesNotMatch"_ba;
}

void TstJobs::neverRetriesClientErrors()
{
    QFETCH(int, status);
    QFETCH(QByteArray, code);
    ScriptedServer server([&](const Received &) { return Reply::error(status, code, "no"); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(job->error().httpStatus(), status);
    QCOMPARE(job->error().code(), QString::fromLatin1(code));
    QCOMPARE(job->credentialRefreshCount(), 0);
    QCOMPARE(job->resignCount(), 0);
}

void TstJobs::postIsNotRetriedOn5xx()
{
    ScriptedServer server([](const Received &) { return Reply::error(503, "ServiceUnavailable"); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(
            client->builder().initiateMultipartUpload(u"bkt"_s, u"k"_s));
    QVERIFY(!job->isIdempotent());
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(job->error().httpStatus(), 503);
}

void TstJobs::retriesDroppedConnection()
{
    int n = 0;
    ScriptedServer server(
            [&n](const Received &) { return ++n == 1 ? Reply::close() : Reply::ok("after drop"); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->responseBody(), "after drop"_ba);
    QCOMPARE(server.requests.size(), 2);
}

void TstJobs::transferTimeout()
{
    ScriptedServer server([](const Received &) { return Reply::hang(); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    job->setTransferTimeout(300);
    job->setMaxAttempts(2);
    QSignalSpy finished(job, &Job::finished);
    QElapsedTimer timer;
    timer.start();
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job->error().kind(), Error::Kind::Timeout);
    QVERIFY(job->error().isRetryable());
    QCOMPARE(server.requests.size(), 2); // a timeout is retried like a network error
    QVERIFY(timer.elapsed() >= 500); // two timeouts of 300 ms (coarse timers may fire 5 % early)
    QCOMPARE(finished.size(), 1);
}

void TstJobs::abortWhileRunning()
{
    ScriptedServer server([](const Received &) { return Reply::hang(); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QTRY_COMPARE(server.requests.size(), 1);
    job->abort();
    QCOMPARE(finished.size(), 1); // synchronously, like QNetworkReply::abort()
    QCOMPARE(job->error().kind(), Error::Kind::Canceled);
    job->abort();
    job->start();
    QTest::qWait(100);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(server.requests.size(), 1);
}

void TstJobs::abortBeforeStart()
{
    ScriptedServer server([](const Received &) { return Reply::ok(); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->abort();
    QCOMPARE(finished.size(), 1);
    job->start();
    QTest::qWait(100);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(server.requests.size(), 0);
}

void TstJobs::clientDestroyedFinishesJob()
{
    ScriptedServer server([](const Received &) { return Reply::hang(); });
    auto client = makeClient(server.port());
    QObject owner; // the job does not belong to the client
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s), &owner);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QTRY_COMPARE(server.requests.size(), 1);
    client.reset();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(job->error().kind(), Error::Kind::Canceled);
}

void TstJobs::invalidInputFinishesAsynchronously()
{
    ScriptedServer server([](const Received &) { return Reply::ok(); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"Bad_Bucket"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QCOMPARE(finished.size(), 0); // never synchronously from start()
    QVERIFY(finished.wait(2000));
    QCOMPARE(job->error().kind(), Error::Kind::InvalidInput);
    QCOMPARE(server.requests.size(), 0);
}

void TstJobs::skewResign_data()
{
    QTest::addColumn<int>("skewSeconds");
    QTest::addColumn<bool>("serverTimeInBody"); // COS style <ServerTime>, else only Date
    QTest::newRow("+20 min, Date") << 1200 << false;
    QTest::newRow("-20 min, Date") << -1200 << false;
    QTest::newRow("+20 min, ServerTime") << 1200 << true;
    QTest::newRow("-20 min, ServerTime") << -1200 << true;
}

void TstJobs::skewResign()
{
    QFETCH(int, skewSeconds);
    QFETCH(bool, serverTimeInBody);
    ScriptedServer server([&](const Received &r) {
        if (dateIsFresh(r))
            return Reply::ok("fresh");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        Reply reply = Reply::error(403, "RequestTimeTooSkewed",
                                   "The difference between the request time and the server's time "
                                   "is too large.",
                                   serverTimeInBody
                                           ? "<ServerTime>" + now.toString(Qt::ISODate).toLatin1()
                                                   + "</ServerTime>"
                                           : QByteArray());
        if (serverTimeInBody) // a Date that disagrees proves <ServerTime> is preferred
            reply.headers.append({"Date", httpDate(now.addSecs(-7200))});
        return reply;
    });
    auto client = makeClient(server.port());
    client->clock().setSkewForTesting(skewSeconds);
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->resignCount(), 1);
    QCOMPARE(server.requests.size(), 2);
    QVERIFY2(qAbs(client->clock().offsetMSecs() + skewSeconds * 1000LL) < 3000,
             qPrintable(QString::number(client->clock().offsetMSecs())));

    // The corrected clock stays: the next request needs no re-sign.
    RequestJob *second = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k2"_s));
    QSignalSpy finished2(second, &Job::finished);
    second->start();
    QVERIFY(finished2.wait(5000));
    QVERIFY(!second->error());
    QCOMPARE(second->resignCount(), 0);
    QCOMPARE(server.requests.size(), 3);
}

void TstJobs::skewResignOnlyOnce()
{
    // A server that always says "skewed" (with a moving clock) must not cause a loop.
    int n = 0;
    ScriptedServer server([&n](const Received &) {
        ++n;
        Reply r = Reply::error(403, "RequestTimeTooSkewed", "skewed");
        r.headers.append({"Date", httpDate(QDateTime::currentDateTimeUtc().addSecs(n * 3600))});
        return r;
    });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job->error().code(), u"RequestTimeTooSkewed"_s);
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(finished.size(), 1);
}

void TstJobs::headForbiddenWithoutBodyResigns()
{
    ScriptedServer server([](const Received &r) {
        if (dateIsFresh(r)) {
            Reply ok = Reply::ok();
            ok.headers = {{"ETag", "\"abc\""}, {"x-amz-meta-color", "blue"}};
            return ok;
        }
        return Reply {Reply::Action::Respond, 403, {}, {}};
    });
    auto client = makeClient(server.port());
    client->clock().setSkewForTesting(-1200);
    HeadObjectJob *job = client->headObject(u"bkt"_s, u"k"_s);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->resignCount(), 1);
    QCOMPARE(job->metadata().etag, u"abc"_s);
}

void TstJobs::credentialRefreshOnExpiredToken()
{
    ScriptedServer server([](const Received &r) {
        if (r.header("x-amz-security-token") == "t1")
            return Reply::error(400, "ExpiredToken", "The provided token has expired.");
        return Reply::ok("with t2");
    });
    auto *provider = new CountingProvider;
    auto client = makeClient(server.port(), provider);
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->credentialRefreshCount(), 1);
    QCOMPARE(provider->fetches, 2);
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(server.requests.at(1).header("x-amz-security-token"), "t2"_ba);
}

void TstJobs::credentialRefreshOnlyOnce()
{
    ScriptedServer server([](const Received &) {
        return Reply::error(403, "InvalidAccessKeyId", "The access key does not exist.");
    });
    auto *provider = new CountingProvider;
    auto client = makeClient(server.port(), provider);
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job->error().code(), u"InvalidAccessKeyId"_s);
    QCOMPARE(provider->fetches, 2);
    QCOMPARE(server.requests.size(), 2);
    // Nothing in the message may reveal the secret.
    QVERIFY(!job->error().toString().contains(u"secret"_s));
}

// Hands out a first key set that expires in 30 s (t1), then hour-long ones (t2, ...).
class ShortFirstKeyProvider : public CredentialProvider
{
public:
    QString description() const override { return u"short first key test provider"_s; }
    void fetch() override
    {
        ++fetches;
        QTimer::singleShot(0, this, [this] {
            Credentials c;
            c.secretId = u"AKIDTEST%1"_s.arg(fetches);
            c.secretKey = u"secret%1"_s.arg(fetches);
            c.sessionToken = u"t%1"_s.arg(fetches);
            c.expiredTime = QDateTime::currentSecsSinceEpoch() + (fetches == 1 ? 30 : 3600);
            Q_EMIT fetched(c, {});
        });
    }
    int fetches = 0;
};

void TstJobs::accessDeniedWithExpiredKeysRefreshes_data()
{
    QTest::addColumn<int>("clockJumpSeconds");
    QTest::addColumn<bool>("refreshes");
    // Ceph: the token expired during a long request; it answers 403 AccessDenied, no message.
    QTest::newRow("keys expired by now") << 40 << true;
    // The same answer while the keys are still valid is a real denial: no refresh.
    QTest::newRow("keys still valid") << 0 << false;
}

void TstJobs::accessDeniedWithExpiredKeysRefreshes()
{
    QFETCH(int, clockJumpSeconds);
    QFETCH(bool, refreshes);
    auto *provider = new ShortFirstKeyProvider;
    std::unique_ptr<Client> client;
    ScriptedServer server([&client, clockJumpSeconds](const Received &r) {
        if (r.header("x-amz-security-token") == "t1") {
            // Time passes while the request is on the wire: the keys run out before it ends.
            client->clock().setSkewForTesting(clockJumpSeconds);
            return Reply::error(403, "AccessDenied");
        }
        return Reply::ok("with t2");
    });
    client = makeClient(server.port(), provider);
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    if (refreshes) {
        QVERIFY2(!job->error(), qPrintable(job->error().toString()));
        QCOMPARE(job->credentialRefreshCount(), 1);
        QCOMPARE(provider->fetches, 2);
        QCOMPARE(server.requests.size(), 2);
        QCOMPARE(server.requests.at(1).header("x-amz-security-token"), "t2"_ba);
    } else {
        QCOMPARE(job->error().code(), u"AccessDenied"_s);
        QCOMPARE(job->credentialRefreshCount(), 0);
        QCOMPARE(provider->fetches, 1);
        QCOMPARE(server.requests.size(), 1);
    }
}

void TstJobs::concurrentExpiryCausesOneFetch()
{
    ScriptedServer server([](const Received &r) {
        if (r.header("x-amz-security-token") == "t1")
            return Reply::error(400, "ExpiredToken", "expired");
        return Reply::ok();
    });
    auto *provider = new CountingProvider;
    auto client = makeClient(server.port(), provider);
    QList<RequestJob *> jobs;
    int done = 0;
    for (int i = 0; i < 5; ++i) {
        RequestJob *job = client->newRequestJob(
                client->builder().getObject(u"bkt"_s, u"k%1"_s.arg(i)));
        connect(job, &Job::finished, this, [&done] { ++done; });
        jobs.append(job);
        job->start();
    }
    QTRY_COMPARE_WITH_TIMEOUT(done, 5, 5000);
    for (RequestJob *job : std::as_const(jobs))
        QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(provider->fetches, 2); // the first fetch, then one refresh for all five
}

void TstJobs::bodyDeviceRewoundOnRetry()
{
    int n = 0;
    ScriptedServer server([&n](const Received &) {
        return ++n == 1 ? Reply::error(500, "InternalError") : Reply::ok();
    });
    auto client = makeClient(server.port());
    const QByteArray payload = QByteArray(100000, 'x') + "end";
    QBuffer device;
    device.setData("prefix-" + payload);
    QVERIFY(device.open(QIODevice::ReadOnly));
    device.seek(7); // the body starts where the device stands at start()
    PutObjectParams params;
    params.contentLength = payload.size();
    RequestJob *job = client->newRequestJob(client->builder().putObject(u"bkt"_s, u"k"_s, params));
    job->setBody(&device);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(server.requests.at(0).body, payload);
    QCOMPARE(server.requests.at(1).body, payload);
}

void TstJobs::streamsToSink()
{
    QByteArray big(3 * 1024 * 1024, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7 + i / 4096);
    ScriptedServer server([&big](const Received &) { return Reply::ok(big); });
    auto client = makeClient(server.port());
    QBuffer sink;
    QVERIFY(sink.open(QIODevice::WriteOnly));
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    job->setResponseSink(&sink);
    job->setMaxResponseSize(1024); // must not apply to streamed bodies
    int headersSeen = 0;
    connect(job, &RequestJob::responseHeadersReceived, this, [&] {
        ++headersSeen;
        QCOMPARE(job->httpStatus(), 200);
        QCOMPARE(job->bytesWrittenToSink(), 0);
    });
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(10000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(headersSeen, 1);
    QVERIFY(job->responseBody().isEmpty());
    QCOMPARE(job->bytesWrittenToSink(), big.size());
    QVERIFY(sink.data() == big);

    // A handler can reject the response (e.g. a wrong ETag) before any byte is written.
    QBuffer sink2;
    QVERIFY(sink2.open(QIODevice::WriteOnly));
    RequestJob *rejected = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    rejected->setResponseSink(&sink2);
    connect(rejected, &RequestJob::responseHeadersReceived, this,
            [rejected] { rejected->fail(Error(Error::Kind::Integrity, u"ETag changed"_s)); });
    QSignalSpy finished2(rejected, &Job::finished);
    rejected->start();
    QVERIFY(finished2.wait(5000));
    QCOMPARE(rejected->error().kind(), Error::Kind::Integrity);
    QCOMPARE(sink2.size(), 0);
    QCOMPARE(finished2.size(), 1);
}

void TstJobs::bufferedBodyIsCapped()
{
    ScriptedServer server([](const Received &) { return Reply::ok(QByteArray(5000, 'a')); });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().listObjects(u"bkt"_s));
    job->setMaxResponseSize(1000);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job->error().kind(), Error::Kind::Parse);
    QVERIFY(job->responseBody().size() <= 1000);
    QCOMPARE(finished.size(), 1);
}

void TstJobs::redirectIsNotFollowed()
{
    ScriptedServer server([](const Received &r) {
        if (r.path.startsWith("/elsewhere"))
            return Reply::ok("followed");
        Reply reply = Reply::error(301, "PermanentRedirect", "Use the other endpoint");
        reply.headers.append({"Location"_ba, "/elsewhere"_ba});
        return reply;
    });
    auto client = makeClient(server.port());
    RequestJob *job = client->newRequestJob(client->builder().getObject(u"bkt"_s, u"k"_s));
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QCOMPARE(job->error().httpStatus(), 301);
    QCOMPARE(job->error().code(), u"PermanentRedirect"_s);
    QVERIFY(job->error().message().contains(u"/elsewhere"_s));
    QCOMPARE(server.requests.size(), 1);
}

void TstJobs::headObjectMetadata()
{
    ScriptedServer server([](const Received &r) {
        if (r.path.endsWith("/missing"))
            return Reply {Reply::Action::Respond, 404, {}, {}};
        Reply reply = Reply::ok();
        reply.headers = {{"ETag", "\"0123abc\""},
                         {"Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT"},
                         {"Content-Type", "text/plain"},
                         {"x-cos-hash-crc64ecma", "11051210869376104954"},
                         {"X-Amz-Meta-Owner", "me"}};
        return reply;
    });
    auto client = makeClient(server.port());
    HeadObjectJob *job = client->headObject(u"bkt"_s, u"k"_s);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY(!job->error());
    QCOMPARE(job->metadata().etag, u"0123abc"_s);
    QCOMPARE(job->metadata().size, 0);
    QCOMPARE(job->metadata().crc64, u"11051210869376104954"_s);
    QCOMPARE(job->metadata().contentType, u"text/plain"_s);
    QCOMPARE(job->metadata().lastModified, QDateTime(QDate(1994, 11, 6), QTime(8, 49, 37), Qt::UTC));
    QCOMPARE(job->metadata().userMetadata.value(0).first, u"owner"_s);

    HeadObjectJob *missing = client->headObject(u"bkt"_s, u"missing"_s);
    QSignalSpy finished2(missing, &Job::finished);
    missing->start();
    QVERIFY(finished2.wait(5000));
    QCOMPARE(missing->error().httpStatus(), 404);
    QCOMPARE(missing->error().code(), u"NotFound"_s);
    QCOMPARE(server.requests.size(), 2); // 404 is not retried
}

void TstJobs::deleteResultParsing()
{
    QStringList deleted;
    QList<DeleteFailure> failures;
    const QByteArray xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Deleted><Key>a b+c</Key></Deleted>
  <Error><Key>locked</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error>
</DeleteResult>)";
    QVERIFY(!DeleteObjectsJob::parseDeleteResult(xml, &deleted, &failures));
    QCOMPARE(deleted, QStringList {u"a b+c"_s});
    QCOMPARE(failures.size(), 1);
    QCOMPARE(failures.at(0).key, u"locked"_s);
    QCOMPARE(failures.at(0).code, u"AccessDenied"_s);

    QVERIFY(DeleteObjectsJob::parseDeleteResult("", &deleted, &failures));
    QVERIFY(DeleteObjectsJob::parseDeleteResult("<DeleteResult><Deleted>", &deleted, &failures));
    QVERIFY(DeleteObjectsJob::parseDeleteResult("<Error><Code>InternalError</Code></Error>",
                                                &deleted, &failures));
    QVERIFY(DeleteObjectsJob::parseDeleteResult("<!DOCTYPE x [<!ENTITY a \"b\">]><DeleteResult/>",
                                                &deleted, &failures));
}

void TstJobs::backupDomainOnLastAttempt()
{
    // The default domain drops every connection; its tencentcos.cn twin answers.
    ScriptedServer server([](const Received &r) {
        return r.header("Host").endsWith(".myqcloud.com") ? Reply::close() : Reply::ok("backup");
    });
    auto client = makeCosClient(server.port());
    RequestJob *job = runGet(client.get(), 3);
    QVERIFY(job->isFinished());
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->responseBody(), "backup"_ba);
    QCOMPARE(job->backupHost(), u"bkt-1250000000.cos.ap-guangzhou.tencentcos.cn"_s);
    // Qt itself may resend a request whose kept-alive connection closed, so count loosely.
    // The first attempts stay on the main host; resends carry the retry marker; the last
    // attempt goes to the backup host.
    const QByteArray main = "bkt-1250000000.cos.ap-guangzhou.myqcloud.com"_ba;
    const QList<Received> &sent = server.requests;
    QVERIFY2(sent.size() >= 3, qPrintable(QString::number(sent.size())));
    QCOMPARE(sent.first().header("Host"), main);
    QCOMPARE(sent.first().headerCount("x-cos-sdk-retry"), 0);
    for (qsizetype i = 0; i + 1 < sent.size(); ++i)
        QCOMPARE(sent.at(i).header("Host"), main);
    QVERIFY(std::any_of(sent.cbegin(), sent.cend() - 1,
                        [](const Received &r) { return r.header("x-cos-sdk-retry") == "true"; }));
    QCOMPARE(sent.last().header("Host"), "bkt-1250000000.cos.ap-guangzhou.tencentcos.cn"_ba);
    QCOMPARE(sent.last().header("x-cos-sdk-retry"), "true"_ba);
    // The marker is signed like every x-cos header, and the backup host is the signed host.
    const QByteArray auth = sent.last().header("Authorization");
    QVERIFY2(auth.contains("x-cos-sdk-retry"), auth.constData());
}

void TstJobs::backupDomainNotAfterServiceAnswer()
{
    // A 503 with a request id is COS itself answering: the retries stay on the main host.
    ScriptedServer server([](const Received &) {
        Reply r = Reply::error(503, "ServiceUnavailable");
        r.headers.append({"x-cos-request-id"_ba, "rid-503"_ba});
        return r;
    });
    auto client = makeCosClient(server.port());
    RequestJob *job = runGet(client.get(), 3);
    QVERIFY(job->isFinished());
    QCOMPARE(job->error().httpStatus(), 503);
    QCOMPARE(server.requests.size(), 3);
    for (const Received &r : std::as_const(server.requests))
        QCOMPARE(r.header("Host"), "bkt-1250000000.cos.ap-guangzhou.myqcloud.com"_ba);
    QCOMPARE(job->backupHost(), QString());
}

void TstJobs::backupDomainSwitchedOff()
{
    ScriptedServer server([](const Received &r) {
        return r.header("Host").endsWith(".myqcloud.com") ? Reply::close() : Reply::ok("backup");
    });
    auto client = makeCosClient(server.port(), false);
    RequestJob *job = runGet(client.get(), 3);
    QVERIFY(job->isFinished());
    QCOMPARE(job->error().kind(), Error::Kind::Network);
    QVERIFY(server.requests.size() >= 3); // Qt may resend once on a closed connection
    for (const Received &r : std::as_const(server.requests))
        QVERIFY(r.header("Host").endsWith(".myqcloud.com"));
}

void TstJobs::presignLearnsServerTime_data()
{
    QTest::addColumn<int>("serverAheadSeconds");
    QTest::newRow("server 20 min ahead") << 1200;
    QTest::newRow("server 20 min behind") << -1200;
}

void TstJobs::presignLearnsServerTime()
{
    // A fresh client knows no server time: the URL must still start and end on the server's
    // clock, so presign asks for the Date first (an unsigned HEAD; the 403 does not matter).
    QFETCH(int, serverAheadSeconds);
    ScriptedServer server([&](const Received &) {
        Reply r {Reply::Action::Respond, 403, {}, {}};
        r.headers.append(
                {"Date", httpDate(QDateTime::currentDateTimeUtc().addSecs(serverAheadSeconds))});
        return r;
    });
    auto client = makeCosClient(server.port());
    PresignJob *job = client->presign("GET", u"bkt"_s, u"a b.txt"_s, 600);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(job->localClockReason(), QString());
    QCOMPARE(server.requests.size(), 1);
    const Received &probe = server.requests.at(0);
    QCOMPARE(probe.method, "HEAD"_ba);
    QCOMPARE(probe.header("Host"), "bkt-1250000000.cos.ap-guangzhou.myqcloud.com"_ba);
    QCOMPARE(probe.headerCount("Authorization"), 0);
    // The URL names the real host, not the connect-to address.
    QCOMPARE(job->url().host(), u"bkt-1250000000.cos.ap-guangzhou.myqcloud.com"_s);
    const QStringList window = queryValue(job->url(), u"q-sign-time"_s).split(u';');
    QCOMPARE(window.size(), 2);
    const qint64 serverNow = QDateTime::currentSecsSinceEpoch() + serverAheadSeconds;
    QVERIFY2(qAbs(window.at(0).toLongLong() - serverNow) < 120, qPrintable(window.join(u';')));
    QVERIFY2(qAbs(window.at(1).toLongLong() - (serverNow + 600)) < 120,
             qPrintable(window.join(u';')));

    // The client now knows the server's time: the next URL needs no request.
    PresignJob *second = client->presign("GET", u"bkt"_s, u"b.txt"_s, 600);
    QSignalSpy finished2(second, &Job::finished);
    second->start();
    QVERIFY(finished2.wait(5000));
    QVERIFY(!second->error());
    QCOMPARE(server.requests.size(), 1);
}

void TstJobs::presignOffline()
{
    ScriptedServer server([](const Received &) {
        Reply r {Reply::Action::Respond, 403, {}, {}};
        r.headers.append({"Date", httpDate(QDateTime::currentDateTimeUtc().addSecs(1200))});
        return r;
    });
    auto client = makeCosClient(server.port());
    PresignJob *job = client->presign("GET", u"bkt"_s, u"k"_s, 600);
    job->setOffline(true);
    QSignalSpy finished(job, &Job::finished);
    job->start();
    QVERIFY(finished.wait(5000));
    QVERIFY2(!job->error(), qPrintable(job->error().toString()));
    QCOMPARE(server.requests.size(), 0);
    QVERIFY(job->localClockReason().contains(u"offline"_s));
    const QStringList window = queryValue(job->url(), u"q-sign-time"_s).split(u';');
    QVERIFY2(qAbs(window.value(0).toLongLong() - QDateTime::currentSecsSinceEpoch()) < 120,
             qPrintable(window.join(u';')));

    // No server time to be had (the connection drops): the URL is still made, on the local
    // clock, and says why.
    ScriptedServer dropping([](const Received &) { return Reply::close(); });
    auto unreachable = makeCosClient(dropping.port());
    PresignJob *noServer = unreachable->presign("GET", u"bkt"_s, u"k"_s, 600);
    QSignalSpy finished2(noServer, &Job::finished);
    noServer->start();
    QVERIFY(finished2.wait(10000));
    QVERIFY2(!noServer->error(), qPrintable(noServer->error().toString()));
    QVERIFY2(!noServer->localClockReason().isEmpty(), "no reason given");
}

QTEST_GUILESS_MAIN(TstJobs)
#include "tst_jobs.moc"
