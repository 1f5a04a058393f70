#include "cos/net/job.h"

#include "cos/net/client.h"
#include "cos/net/clock.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/directupload.h"
#include "cos/net/requestjournal.h"
#include "cos/net/requestsigner.h"
#include "cos/protocol/xmlparsers.h"

#include <QIODevice>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>

#include <algorithm>
#include <utility>
#include <cmath>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCosNet, "cos.net", QtInfoMsg)

namespace Cos {

namespace {

constexpr qint64 SinkChunk = 64 * 1024;
// Keys that expire within this many seconds of the corrected clock count as expired: the server's
// clock and ours agree only to a few seconds.
constexpr qint64 ExpiryToleranceSeconds = 5;

bool isTransportError(QNetworkReply::NetworkError e)
{
    // Qt: 1..99 connection errors, 101..199 proxy errors; content/protocol/server errors come
    // with an HTTP status and are judged by it.
    return (e >= 1 && e <= 99) || (e >= 101 && e <= 199);
}

// Errors where the request certainly never reached the server: safe to resend even a POST.
bool isNotSent(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError;
}

// "HTTP 503 SlowDown", "network error": why an attempt failed, in a few words.
QString shortReason(const Error &e)
{
    QString reason = e.httpStatus() > 0 ? u"HTTP %1"_s.arg(e.httpStatus())
                                        : Error::kindName(e.kind());
    if (!e.code().isEmpty())
        reason += u' ' + e.code();
    return reason;
}

} // namespace

// --- Job ---------------------------------------------------------------------------------------

Job::Job(QObject *parent)
    : QObject(parent)
{ }

Job::~Job() = default;

void Job::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    // start() must not emit synchronously: callers connect after start() in the same turn.
    QMetaObject::invokeMethod(
            this,
            [this] {
                if (!m_finished)
                    doStart();
            },
            Qt::QueuedConnection);
}

void Job::abort()
{
    if (m_finished)
        return;
    doAbort();
    finish(Error(Error::Kind::Canceled, u"Canceled"_s));
}

void Job::finish(const Error &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    Q_EMIT finished();
    if (m_autoDelete)
        deleteLater();
}

Error Job::clientDestroyed()
{
    return Error(Error::Kind::Canceled, u"The client was destroyed"_s);
}

// --- RequestJob --------------------------------------------------------------------------------

RequestJob::RequestJob(Client *client, const BuildResult &build, QObject *parent)
    : RequestJob(client, build.request, parent)
{
    m_buildError = build.error;
}

RequestJob::RequestJob(Client *client, const HttpRequest &request, QObject *parent)
    : Job(parent)
    , m_client(client)
    , m_request(request)
{
    m_idempotent = request.method != "POST";
    if (client) {
        m_maxAttempts = client->maxAttempts();
        m_transferTimeoutMs = client->transferTimeout();
        m_retryBaseDelayMs = client->retryBaseDelay();
    }
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &RequestJob::attempt);
    if (client) {
        // The manager deletes its replies without a finished(): end the job while it still can.
        connect(client, &QObject::destroyed, this, [this] {
            if (isFinished())
                return;
            m_retryTimer.stop();
            dropReply();
            finish(clientDestroyed());
        });
    }
}

RequestJob::~RequestJob()
{
    dropReply();
}

void RequestJob::setBody(const QByteArray &body)
{
    m_request.body = body;
    m_callerBody = true;
    m_bodyDevice = nullptr;
}

void RequestJob::setBody(QIODevice *device)
{
    m_bodyDevice = device;
}

void RequestJob::setResponseSink(QIODevice *sink)
{
    m_sink = sink;
}

void RequestJob::setMaxAttempts(int attempts)
{
    m_maxAttempts = std::max(1, attempts);
}

Client *RequestJob::client() const
{
    return m_client.data();
}

QByteArray RequestJob::responseHeader(QByteArrayView name) const
{
    for (const auto &[n, v] : m_responseHeaders) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QString RequestJob::requestId() const
{
    QByteArray id = responseHeader("x-cos-request-id");
    if (id.isEmpty())
        id = responseHeader("x-amz-request-id");
    return QString::fromLatin1(id);
}

void RequestJob::doStart()
{
    if (m_buildError) {
        finish(m_buildError);
        return;
    }
    if (!m_client) {
        finish(Error(Error::Kind::InvalidInput, u"The job has no client"_s));
        return;
    }
    if (m_bodyDevice) {
        if (!m_bodyDevice->isOpen() || !m_bodyDevice->isReadable() || m_bodyDevice->isSequential()) {
            finish(Error(Error::Kind::InvalidInput,
                         u"The request body must be an open, readable, random-access device"_s));
            return;
        }
        m_bodyStart = m_bodyDevice->pos();
    }
    attempt();
}

void RequestJob::doAbort()
{
    m_retryTimer.stop();
    dropReply();
    recordResponse(Error(Error::Kind::Canceled, u"Canceled"_s));
}

void RequestJob::fail(const Error &error)
{
    if (isFinished())
        return;
    m_retryTimer.stop();
    dropReply();
    recordResponse(error);
    finish(error);
}

void RequestJob::recordSend(const HttpRequest &request, const SignedRequest &signedRequest)
{
    m_journal = m_client->journal();
    m_journalId = 0;
    if (!m_journal)
        return;
    const SecretRedactor redactor(m_usedCredentials);
    JournalEntry e;
    e.operation = m_request.operation.isEmpty() ? QString::fromLatin1(m_request.method)
                                                : m_request.operation;
    e.method = m_request.method;
    e.url = redactor.url(QString::fromLatin1(request.encodedUrl()));
    const QNetworkRequest &nr = signedRequest.request;
    e.requestHeaders = redactor.headers(rawHeaders(nr));
    e.canonicalRequest = redactor.apply(signedRequest.trace.canonicalRequest);
    e.stringToSign = redactor.apply(signedRequest.trace.stringToSign);
    e.bytesSent = nr.rawHeader("Content-Length").toLongLong();
    e.attempt = m_attempts;
    e.retryReason = m_retryReason;
    e.clockOffsetMs = m_client->clock().offsetMSecs();
    e.keys.keyId = maskKeyId(m_usedCredentials.secretId);
    e.keys.temporary = m_usedCredentials.isTemporary();
    e.keys.startTime = m_usedCredentials.startTime;
    e.keys.expiredTime = m_usedCredentials.expiredTime;
    e.keys.scope = m_usedCredentials.scope.describe();
    e.request = request;
    // Only the builder's own bodies (XML) are kept, never data a caller sends.
    if (m_callerBody || e.request.body.size() > RequestJournal::MaxErrorBody)
        e.request.body.clear();
    for (auto &[name, value] : e.request.query)
        value = redactor.apply(value);
    for (auto &[name, value] : e.request.headers)
        value = redactor.apply(value);
    m_sinkAtSend = m_sinkWritten;
    m_sentTimer.start();
    m_journalId = m_journal->begin(std::move(e));
}

void RequestJob::recordResponse(const Error &error)
{
    const quint64 id = std::exchange(m_journalId, 0);
    if (id == 0 || !m_journal)
        return;
    const SecretRedactor redactor(m_usedCredentials);
    const bool success = m_httpStatus >= 200 && m_httpStatus < 300;
    m_journal->update(id, [&](JournalEntry &e) {
        e.finished = true;
        e.status = m_httpStatus;
        e.durationMs = m_sentTimer.elapsed();
        e.bytesReceived = m_streaming ? m_sinkWritten - m_sinkAtSend : m_responseBody.size();
        e.requestId = requestId();
        e.error = error ? redactor.apply(error.toString()) : QString();
        if (!success && m_httpStatus != 0)
            e.errorBody = redactor.apply(m_responseBody.left(RequestJournal::MaxErrorBody));
    });
}

void RequestJob::dropReply()
{
    if (QNetworkReply *reply = m_reply.data()) {
        m_reply.clear();
        reply->disconnect(this);
        if (reply->isRunning())
            reply->abort();
        reply->deleteLater();
    }
}

void RequestJob::attempt()
{
    if (isFinished())
        return;
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    ++m_attempts;
    m_httpStatus = 0;
    m_responseBody.clear();
    m_responseHeaders.clear();
    m_streaming = false;
    m_bodyTooLarge = false;
    m_client->credentials()->request(this, [this](const Credentials &c, const Error &e) {
        if (isFinished())
            return;
        if (e)
            finish(e);
        else
            send(c);
    });
}

void RequestJob::send(const Credentials &credentials)
{
    m_usedCredentials = credentials;
    HttpRequest request = m_request;
    if (request.dialect == Dialect::Cos && m_attempts > 1)
        request.setHeader(u"x-cos-sdk-retry"_s, u"true"_s);
    if (!m_backupHost.isEmpty())
        request.host = m_backupHost;
    SignedRequest s = RequestSigner::sign(request, credentials, m_client->clock().nowSeconds());
    if (!s.ok()) {
        finish(s.error);
        return;
    }
    s.request.setTransferTimeout(m_transferTimeoutMs);
    if (!m_client->userAgent().isEmpty())
        s.request.setHeader(QNetworkRequest::UserAgentHeader, m_client->userAgent());
    if (m_bodyDevice && !m_bodyDevice->seek(m_bodyStart)) {
        finish(Error(Error::Kind::Io,
                     u"Cannot rewind the request body: %1"_s.arg(m_bodyDevice->errorString())));
        return;
    }
    qCDebug(lcCosNet).noquote() << "send" << m_request.method << request.host
                                << m_request.encodedPath << "attempt" << m_attempts;
    recordSend(request, s);
    QNetworkReply *reply = nullptr;
    if (m_client->usesDirectUpload(s.request.url())) {
        // Large writes and reads on this thread instead of QNAM's hops to its HTTP thread (16
        // KiB pieces of a body, one read() per byte of a response head).
        DirectConnectionPool *pool = m_client->directConnectionPool();
        if (m_bodyDevice)
            reply = new DirectUploadReply(pool, s.method, s.request, m_bodyDevice, pool);
        else if (s.body.isEmpty()
                 && (s.method == "GET" || s.method == "HEAD" || s.method == "DELETE"))
            reply = new DirectUploadReply(pool, s.method, s.request, nullptr, pool);
        else
            reply = new DirectUploadReply(pool, s.method, s.request, s.body, pool);
    } else {
        reply = sendSigned(m_client->networkAccessManager(), s, m_bodyDevice);
    }
    m_reply = reply;
    if (m_sink)
        reply->setReadBufferSize(m_readBufferSize);
    connect(reply, &QNetworkReply::metaDataChanged, this, &RequestJob::onMetaDataChanged);
    connect(reply, &QNetworkReply::readyRead, this, &RequestJob::onReadyRead);
    connect(reply, &QNetworkReply::finished, this, &RequestJob::onReplyFinished);
    connect(reply, &QNetworkReply::uploadProgress, this, &RequestJob::uploadProgress);
    connect(reply, &QNetworkReply::downloadProgress, this, &RequestJob::downloadProgress);
}

void RequestJob::onMetaDataChanged()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply || isFinished())
        return;
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return;
    m_httpStatus = status.toInt();
    m_responseHeaders = reply->rawHeaderPairs();
    if (m_sink && !m_streaming && m_httpStatus >= 200 && m_httpStatus < 300) {
        m_streaming = true;
        Q_EMIT responseHeadersReceived();
    }
}

bool RequestJob::writeToSink(const QByteArray &data)
{
    const qint64 written = m_sink->write(data);
    if (written != data.size()) {
        fail(Error(Error::Kind::Io,
                   u"Cannot write the response body: %1"_s.arg(m_sink->errorString())));
        return false;
    }
    m_sinkWritten += written;
    return true;
}

void RequestJob::onReadyRead()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply || isFinished())
        return;
    if (m_httpStatus == 0)
        onMetaDataChanged();
    if (isFinished())
        return;
    if (!reply->isOpen())
        return; // aborted by the transfer timeout: nothing left to read
    if (m_streaming) {
        while (reply->bytesAvailable() > 0) {
            if (!writeToSink(reply->read(SinkChunk)))
                return;
        }
        return;
    }
    const QByteArray data = reply->readAll();
    const qsizetype room = m_maxResponseSize - m_responseBody.size();
    if (data.size() <= room) {
        m_responseBody += data;
        return;
    }
    m_responseBody += data.left(std::max<qsizetype>(room, 0));
    // An error body is only read for its code; a result body that large is not ours to keep.
    if (m_httpStatus >= 200 && m_httpStatus < 300) {
        fail(Error(Error::Kind::Parse,
                   u"The response body is larger than %1 bytes"_s.arg(m_maxResponseSize)));
    }
}

void RequestJob::onReplyFinished()
{
    QNetworkReply *reply = m_reply.data();
    if (!reply || isFinished())
        return;
    onReadyRead();
    if (isFinished())
        return;
    if (m_httpStatus == 0)
        onMetaDataChanged();
    const QNetworkReply::NetworkError qerr = reply->error();
    const QString qerrString = reply->errorString();
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    m_httpStatus = statusAttr.isValid() ? statusAttr.toInt() : 0;
    m_responseHeaders = reply->rawHeaderPairs();
    dropReply();

    const bool isHead = m_request.method == "HEAD";
    Clock &clock = m_client->clock();
    Error err;
    bool clockMoved = false;
    bool headForbiddenNoBody = false;

    if (m_httpStatus == 0 || isTransportError(qerr)) {
        const bool timeout = qerr == QNetworkReply::OperationCanceledError
                || qerr == QNetworkReply::TimeoutError;
        if (timeout)
            err = Error(Error::Kind::Timeout,
                        u"No data from %1 for %2 s (transfer timeout)"_s
                                .arg(QString::fromLatin1(m_request.hostHeader()))
                                .arg(m_transferTimeoutMs / 1000.0));
        else
            err = Error(Error::Kind::Network,
                        u"%1 %2: %3"_s.arg(QString::fromLatin1(m_request.method),
                                           QString::fromLatin1(m_request.hostHeader()), qerrString));
    } else if (m_httpStatus >= 200 && m_httpStatus < 300) {
        clock.adjustToDateHeader(responseHeader("Date"));
        err = handleSuccess();
        if (!err) {
            recordResponse({});
            finish();
            return;
        }
    } else {
        QDateTime serverTime;
        err = parseErrorResponse(m_httpStatus, m_responseBody, requestId(), &serverTime);
        if (isHead && err.code().isEmpty()) {
            // A HEAD answer has no body to explain itself: say what the status means here.
            if (m_httpStatus == 403) {
                err = Error::service(403, u"AccessDenied"_s,
                                     u"access denied (a HEAD answer carries no reason: a missing "
                                     "permission, or rejected or expired credentials)"_s,
                                     err.requestId());
                headForbiddenNoBody = m_responseBody.isEmpty();
            } else if (m_httpStatus == 404) {
                err = Error::service(404, u"NotFound"_s, u"no such object or bucket"_s,
                                     err.requestId());
            }
        }
        if (m_httpStatus >= 300 && m_httpStatus < 400) {
            const QByteArray location = responseHeader("Location");
            err = Error::service(m_httpStatus, err.code().isEmpty() ? u"Redirect"_s : err.code(),
                                 u"%1; the redirect%2 is not followed (a signed request must not "
                                 "be replayed elsewhere)"_s
                                         .arg(err.message(),
                                              location.isEmpty()
                                                      ? QString()
                                                      : u" to "_s + QString::fromLatin1(location)),
                                 err.requestId());
        }
        if (err.isClockSkew() || headForbiddenNoBody) {
            clockMoved = serverTime.isValid()
                    ? clock.adjustToServerTime(serverTime, Clock::SkewErrorThresholdSeconds)
                    : clock.adjustToDateHeader(responseHeader("Date"),
                                               Clock::SkewErrorThresholdSeconds);
        } else {
            clock.adjustToDateHeader(responseHeader("Date"));
        }
    }

    DecisionInput in;
    in.error = err;
    in.idempotent = m_idempotent || isNotSent(qerr);
    in.attempts = 1 + m_backoffRetries;
    in.maxAttempts = m_maxAttempts;
    in.clockMoved = clockMoved;
    in.alreadyResigned = m_resigned;
    in.alreadyRefreshed = m_refreshed;
    in.canRefresh = m_client->credentialProvider() && m_client->credentialProvider()->canRefresh();
    in.headForbiddenNoBody = headForbiddenNoBody;
    in.temporaryCredentials = m_usedCredentials.isTemporary();
    in.bodyPartlyStreamed = m_sinkWritten > 0;

    recordResponse(err);
    Decision decision = decide(in);
    // Ceph answers an expired session token with a bare 403 AccessDenied (empty message), which
    // the error alone cannot tell from a real denial; the expiry of the keys we signed with can.
    const bool signedWithExpiredKeys = m_usedCredentials.isTemporary()
            && m_usedCredentials.expiredTime > 0
            && m_usedCredentials.expiredTime <= clock.nowSeconds() + ExpiryToleranceSeconds;
    if (decision == Decision::Fail && err.code() == "AccessDenied"_L1 && signedWithExpiredKeys
        && in.canRefresh && !m_refreshed)
        decision = Decision::RefreshCredentials;

    switch (decision) {
    case Decision::Fail:
        qCDebug(lcCosNet).noquote() << m_request.method << m_request.host << m_request.encodedPath
                                    << "failed:" << err.toString();
        finish(err);
        return;
    case Decision::Resign:
        m_resigned = true;
        m_retryReason = u"re-signed after %1 with clock offset %2 ms"_s
                                .arg(shortReason(err), QString::number(clock.offsetMSecs()));
        qCInfo(lcCosNet).noquote() << "clock skew: offset now" << clock.offsetMSecs()
                                   << "ms; re-signing" << m_request.method << m_request.encodedPath;
        retryAfter(0, err);
        return;
    case Decision::RefreshCredentials:
        m_refreshed = true;
        m_retryReason = u"new credentials after %1"_s.arg(shortReason(err));
        qCInfo(lcCosNet).noquote()
                << u"credentials rejected (%1); refreshing them once"_s.arg(err.code());
        m_client->credentials()->invalidate(m_usedCredentials);
        retryAfter(0, err);
        return;
    case Decision::Backoff: {
        ++m_backoffRetries;
        int delay = backoffDelayMs(m_backoffRetries, m_retryBaseDelayMs);
        bool ok = false;
        const int retryAfterSeconds = responseHeader("Retry-After").trimmed().toInt(&ok);
        if (ok && retryAfterSeconds > 0)
            delay = std::max(delay, std::min(retryAfterSeconds, 30) * 1000);
        // No answer from the default domain at all: the last attempt tries the backup domain,
        // as the official SDKs do (a request id means the service itself answered).
        const bool noAnswer = err.kind() == Error::Kind::Network
                || err.kind() == Error::Kind::Timeout
                || (m_httpStatus >= 500 && requestId().isEmpty());
        if (noAnswer && m_backupHost.isEmpty() && in.attempts + 1 >= m_maxAttempts) {
            m_backupHost = m_client->endpoint().backupHost(m_request.host);
            if (!m_backupHost.isEmpty())
                qCInfo(lcCosNet).noquote() << "no answer from" << m_request.host
                                           << "- the last attempt goes to" << m_backupHost;
        }
        qCInfo(lcCosNet).noquote()
                << m_request.method << m_request.host << m_request.encodedPath << err.toString()
                << "- retry" << m_backoffRetries << "in" << delay << "ms";
        m_retryReason = u"retry %1 after %2, waited %3 ms"_s.arg(QString::number(m_backoffRetries),
                                                                 shortReason(err),
                                                                 QString::number(delay));
        retryAfter(delay, err);
        return;
    }
    }
}

void RequestJob::retryAfter(int delayMs, const Error &error)
{
    Q_EMIT retrying(m_attempts + 1, error, delayMs);
    if (!isFinished())
        m_retryTimer.start(delayMs);
}

RequestJob::Decision RequestJob::decide(const DecisionInput &in)
{
    const Error &e = in.error;
    if (!e || e.kind() == Error::Kind::Canceled || e.kind() == Error::Kind::InvalidInput)
        return Decision::Fail;
    if ((e.isClockSkew() || in.headForbiddenNoBody) && in.clockMoved && !in.alreadyResigned)
        return Decision::Resign;
    const bool expiry = e.isCredentialExpiry()
            || (in.headForbiddenNoBody && in.temporaryCredentials);
    if (expiry && in.canRefresh && !in.alreadyRefreshed)
        return Decision::RefreshCredentials;
    if (e.isRetryable() && in.idempotent && in.attempts < in.maxAttempts && !in.bodyPartlyStreamed)
        return Decision::Backoff;
    return Decision::Fail;
}

int RequestJob::backoffDelayMs(int retry, int baseMs, int maxMs, double random)
{
    if (baseMs <= 0)
        return 0;
    const double exp = std::ldexp(double(baseMs), std::clamp(retry, 1, 30) - 1);
    const double capped = std::min(exp, double(std::max(maxMs, baseMs)));
    const double jitter = 0.5 + 0.5 * std::clamp(random, 0.0, 0.999999);
    return std::max(1, int(capped * jitter));
}

int RequestJob::backoffDelayMs(int retry, int baseMs)
{
    return backoffDelayMs(retry, baseMs, Client::MaxRetryDelayMs,
                          QRandomGenerator::global()->generateDouble());
}

} // namespace Cos
