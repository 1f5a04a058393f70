#pragma once

#include "cos/core/credentials.h"
#include "cos/core/error.h"
#include "cos/protocol/requestbuilder.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QIODevice;
class QNetworkReply;
QT_END_NAMESPACE

namespace Cos {

class Client;
class RequestJob;
class RequestJournal;
struct SignedRequest;

/**
 * @brief Base of every asynchronous operation: start(), abort(), exactly one finished().
 *
 * - start() never emits synchronously: even invalid input is reported from the event loop.
 * - finished() is emitted exactly once per job, also when the job is aborted before or after
 *   start(); error() then tells the outcome (Kind::None on success, Kind::Canceled on abort()).
 * - abort() emits finished() synchronously (like QNetworkReply::abort()); afterwards the job
 *   does nothing more.
 * - With setAutoDelete(true) the job calls deleteLater() after finished().
 */
class Job : public QObject
{
    Q_OBJECT
public:
    explicit Job(QObject *parent = nullptr);
    ~Job() override;

    /** @brief Starts the job; a second call does nothing. */
    void start();
    /** @brief Stops the job; finishes it with Kind::Canceled unless it finished already. */
    void abort();

    [[nodiscard]] bool isStarted() const { return m_started; }
    [[nodiscard]] bool isFinished() const { return m_finished; }
    /** @brief The outcome; meaningful once finished. */
    [[nodiscard]] const Error &error() const { return m_error; }

    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }

Q_SIGNALS:
    /** @brief Emitted exactly once, when the job is done (successfully or not). */
    void finished();

protected:
    /** @brief Does the work; called once from the event loop after start(). */
    virtual void doStart() = 0;
    /** @brief Stops any work in progress without emitting anything. */
    virtual void doAbort() { }
    /** @brief Finishes the job with @p error (Error() for success); later calls are ignored. */
    void finish(const Error &error = {});
    /** @brief The Canceled error of a job whose Client was destroyed before it finished. */
    [[nodiscard]] static Error clientDestroyed();
    /**
     * @brief Starts @p request as a step of this job and parses its body with @p parse, an
     * Error(QByteArrayView, Result *) such as parseListObjects().
     *
     * An error of the request or of @p parse finishes this job; otherwise @p onResult gets the
     * result. Nothing runs once this job has finished (abort() while the request ran).
     */
    template<typename Result, typename Parse, typename OnResult>
    void startParsed(RequestJob *request, Parse parse, OnResult onResult);

private:
    Error m_error;
    bool m_started = false;
    bool m_finished = false;
    bool m_autoDelete = false;
};

/**
 * @brief One HTTP request (with retries) over the Client's own connections or its shared
 * QNetworkAccessManager.
 *
 * Requests go over a DirectUploadReply instead (the Client's own keep-alive HTTP/1.1
 * connections, on this thread) when Client::usesDirectUpload() says so; both are
 * QNetworkReplys and are handled alike here.
 *
 * @verbatim
 *   start()
 *     |
 *     v
 *   [credentials] --(cache: synchronous if valid, else one shared fetch)--+
 *     |                                                                     |
 *     v                                                                     v error
 *   [sign with Clock::nowSeconds() and send] <-------------+            finish(error)
 *     |                                                     |
 *     v                                                     |
 *   response / transport error                              |
 *     |-- 2xx ---------------------------------> finish()   |
 *     |-- RequestTimeTooSkewed / "Request has expired" /    |
 *     |   HEAD 403 without body, and the Clock moved ------>+ re-sign, once, no delay
 *     |-- ExpiredToken / InvalidAccessKeyId / expired ----->+ invalidate keys, refetch, once
 *     |-- network error, timeout, 5xx, SlowDown, and the    |
 *     |   request is idempotent, attempts left ------------>+ after backoff with jitter
 *     |   (COS default domain, no answer at all: the last   |
 *     |   attempt goes to the tencentcos.cn backup host)    |
 *     +-- anything else (other 4xx) -------------> finish(error)
 * @endverbatim
 *
 * Request bodies come from the builder (XML), setBody(QByteArray) or setBody(QIODevice*);
 * a device is seeked back to its start position before every resend, so it must be random
 * access (a file or a window over one). Response bodies of 2xx are streamed to a sink when
 * setResponseSink() was called (downloads), else buffered up to setMaxResponseSize(); error
 * bodies are always buffered (capped) and parsed with parseErrorResponse().
 *
 * After bytes went to the sink, transport errors are not retried inside the job (the sink
 * holds part of the body): the error is returned, retryable, and bytesWrittenToSink() says how
 * far it got, so the caller resumes with Range.
 *
 * COS resends carry "x-cos-sdk-retry: true", as the official SDKs' do. When the host of the
 * default domain gave no answer (network error, timeout, or a 5xx without a request id) and
 * Endpoint::backupHost() names a backup, the last attempt and any later one go there.
 *
 * Redirects are never followed (ManualRedirectPolicy): a signed request must not be replayed
 * elsewhere. Nothing here logs secrets: only method, host, path and status are logged.
 */
class RequestJob : public Job
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxAttempts = 3;
    static constexpr qsizetype DefaultMaxResponseSize = 16 * 1024 * 1024;
    static constexpr int DefaultReadBufferSize = 256 * 1024;

    /** @brief A job for @p build; when the build failed, the job finishes with its error. */
    RequestJob(Client *client, const BuildResult &build, QObject *parent = nullptr);
    RequestJob(Client *client, const HttpRequest &request, QObject *parent = nullptr);
    ~RequestJob() override;

    /** @brief Sends @p body instead of the builder's body. */
    void setBody(const QByteArray &body);
    /** @brief Streams the body from @p device (not owned; keep it open until finished). */
    void setBody(QIODevice *device);

    /** @brief Streams 2xx response bodies to @p sink (not owned) instead of buffering them. */
    void setResponseSink(QIODevice *sink);
    /** @brief Cap of a buffered response body; bigger 2xx bodies fail with Kind::Parse. */
    void setMaxResponseSize(qsizetype bytes) { m_maxResponseSize = bytes; }
    /** @brief QNetworkReply read buffer size while streaming to a sink (bounds memory). */
    void setReadBufferSize(qint64 bytes) { m_readBufferSize = bytes; }

    /** @brief Whether the request may be resent after a transport error or 5xx; the default
     * is true for GET, HEAD, PUT and DELETE and false for POST. */
    void setIdempotent(bool idempotent) { m_idempotent = idempotent; }
    [[nodiscard]] bool isIdempotent() const { return m_idempotent; }
    /** @brief Attempts for retryable errors, at least 1 (default from the Client). */
    void setMaxAttempts(int attempts);
    [[nodiscard]] int maxAttempts() const { return m_maxAttempts; }
    /** @brief Inactivity timeout per attempt in ms (default from the Client); 0: none. */
    void setTransferTimeout(int ms) { m_transferTimeoutMs = ms; }
    [[nodiscard]] int transferTimeout() const { return m_transferTimeoutMs; }
    /** @brief First backoff delay in ms (doubled per attempt, with jitter). */
    void setRetryBaseDelay(int ms) { m_retryBaseDelayMs = ms; }

    /**
     * @brief Aborts the request and finishes with @p error (no retry). For handlers of
     * responseHeadersReceived() that reject a response (wrong ETag, Content-Range, ...).
     */
    void fail(const Error &error);

    [[nodiscard]] const HttpRequest &request() const { return m_request; }
    [[nodiscard]] Client *client() const;

    /** @brief HTTP status of the last response, 0 when none came. */
    [[nodiscard]] int httpStatus() const { return m_httpStatus; }
    /** @brief The buffered body of the last response (empty when streamed to a sink). */
    [[nodiscard]] const QByteArray &responseBody() const { return m_responseBody; }
    /** @brief A header of the last response (case-insensitive); null when absent. */
    [[nodiscard]] QByteArray responseHeader(QByteArrayView name) const;
    [[nodiscard]] const QList<QPair<QByteArray, QByteArray>> &responseHeaders() const
    {
        return m_responseHeaders;
    }
    /** @brief x-cos-request-id / x-amz-request-id of the last response. */
    [[nodiscard]] QString requestId() const;
    /** @brief Bytes written to the sink over all attempts. */
    [[nodiscard]] qint64 bytesWrittenToSink() const { return m_sinkWritten; }

    /** @brief Attempts made (the first send counts). */
    [[nodiscard]] int attempts() const { return m_attempts; }
    /** @brief Resends because of clock skew (0 or 1). */
    [[nodiscard]] int resignCount() const { return m_resigned ? 1 : 0; }
    /** @brief Resends after a forced credential refresh (0 or 1). */
    [[nodiscard]] int credentialRefreshCount() const { return m_refreshed ? 1 : 0; }
    /** @brief Resends after backoff. */
    [[nodiscard]] int backoffRetries() const { return m_backoffRetries; }
    /** @brief The backup-domain host the request moved to, empty while on its own host. */
    [[nodiscard]] const QString &backupHost() const { return m_backupHost; }

    /** @brief What to do after a failed attempt (see the class diagram). */
    enum class Decision { Fail, Resign, RefreshCredentials, Backoff };

    /** @brief Inputs of decide(); pure data so tests can drive it. */
    struct DecisionInput
    {
        Error error;
        bool idempotent = true;
        int attempts = 1; ///< attempts made so far
        int maxAttempts = DefaultMaxAttempts;
        bool clockMoved = false; ///< the error carried a server time that moved the Clock
        bool alreadyResigned = false;
        bool alreadyRefreshed = false;
        bool canRefresh = true; ///< the provider can give other keys
        bool headForbiddenNoBody = false; ///< HEAD answered 403 without a body
        bool temporaryCredentials = false;
        bool bodyPartlyStreamed = false; ///< bytes already went to the sink
    };
    /** @brief The retry policy, in one pure function. */
    [[nodiscard]] static Decision decide(const DecisionInput &in);

    /**
     * @brief Backoff before retry number @p retry (1-based): base * 2^(retry-1), capped at
     * @p maxMs, scaled by a jitter factor in [0.5, 1.0) taken from @p random in [0, 1).
     */
    [[nodiscard]] static int backoffDelayMs(int retry, int baseMs, int maxMs, double random);
    /**
     * @brief The backoff every retry of the engine waits (jobs and transfer steps alike):
     * backoffDelayMs() capped at Client::MaxRetryDelayMs, with a fresh random jitter.
     */
    [[nodiscard]] static int backoffDelayMs(int retry, int baseMs);

Q_SIGNALS:
    /** @brief Upload progress of the current attempt (resets on a resend). */
    void uploadProgress(qint64 bytesSent, qint64 bytesTotal);
    /** @brief Download progress of the current attempt. */
    void downloadProgress(qint64 bytesReceived, qint64 bytesTotal);
    /**
     * @brief A 2xx status and headers arrived (before the body). A handler may call fail()
     * to reject the response, e.g. when Content-Range or ETag do not match.
     */
    void responseHeadersReceived();
    /** @brief A retry is scheduled (@p delayMs 0 for re-sign and credential refresh). */
    void retrying(int attempt, const Cos::Error &error, int delayMs);

protected:
    void doStart() override;
    void doAbort() override;

    /**
     * @brief Called on a 2xx response once the body is complete; returns the job's outcome.
     * The default accepts; operation jobs parse responseBody() here.
     */
    virtual Error handleSuccess() { return {}; }

private:
    void attempt();
    void send(const Credentials &credentials);
    void onMetaDataChanged();
    void onReadyRead();
    void onReplyFinished();
    void retryAfter(int delayMs, const Error &error);
    void dropReply();
    /** @brief Journals @p request (as sent: maybe on the backup host) signed as @p signedRequest. */
    void recordSend(const HttpRequest &request, const SignedRequest &signedRequest);
    void recordResponse(const Error &error);
    bool writeToSink(const QByteArray &data);

    QPointer<Client> m_client;
    HttpRequest m_request;
    Error m_buildError;
    QIODevice *m_bodyDevice = nullptr;
    bool m_callerBody = false; // setBody(QByteArray): data of the caller, not the builder's XML
    qint64 m_bodyStart = 0;
    QIODevice *m_sink = nullptr;
    qint64 m_sinkWritten = 0;
    qint64 m_readBufferSize = DefaultReadBufferSize;
    qsizetype m_maxResponseSize = DefaultMaxResponseSize;
    bool m_idempotent = true;
    int m_maxAttempts = DefaultMaxAttempts;
    int m_transferTimeoutMs = 0;
    int m_retryBaseDelayMs = 0;

    QPointer<QNetworkReply> m_reply;
    Credentials m_usedCredentials;
    QTimer m_retryTimer;
    bool m_streaming = false;
    bool m_bodyTooLarge = false;
    Error m_failError;
    int m_httpStatus = 0;
    QByteArray m_responseBody;
    QList<QPair<QByteArray, QByteArray>> m_responseHeaders;
    int m_attempts = 0;
    int m_backoffRetries = 0;
    bool m_resigned = false;
    bool m_refreshed = false;
    QString m_backupHost; ///< set once the request moved to the backup domain

    // The request journal's entry of the attempt in flight (0: none).
    QPointer<RequestJournal> m_journal;
    quint64 m_journalId = 0;
    QElapsedTimer m_sentTimer;
    qint64 m_sinkAtSend = 0;
    QString m_retryReason; ///< why the next attempt is made
};

// Defined here: it needs RequestJob complete.
template<typename Result, typename Parse, typename OnResult>
void Job::startParsed(RequestJob *request, Parse parse, OnResult onResult)
{
    connect(request, &Job::finished, this, [this, request, parse, onResult] {
        request->deleteLater();
        if (isFinished())
            return;
        if (request->error()) {
            finish(request->error());
            return;
        }
        Result result;
        if (Error e = parse(request->responseBody(), &result)) {
            finish(e);
            return;
        }
        onResult(result);
    });
    request->start();
}

} // namespace Cos
