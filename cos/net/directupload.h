#pragma once

#include "cos/protocol/httpresponseparser.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#ifndef QT_NO_SSL
#    include <QSslConfiguration>
#endif

QT_BEGIN_NAMESPACE
class QIODevice;
class QNetworkAccessManager;
class QTcpSocket;
QT_END_NAMESPACE

namespace Cos {

/**
 * @brief Keep-alive HTTP/1.1 connections for DirectUploadReply, per scheme, host and port.
 *
 * Owned by the Client, used on its thread. A reply takes an idle socket (or opens a new one)
 * and gives it back when its response was read completely and the server did not ask to close;
 * any other socket is closed. Idle sockets are closed when the server closes them, when they
 * were idle for idleTimeout(), or when more than maxIdle() are kept (the oldest goes first).
 * HTTPS sockets are reused only for a request with the same QSslConfiguration.
 */
class DirectConnectionPool : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxIdle = 8;
    static constexpr int DefaultIdleTimeoutMs = 30000;

    explicit DirectConnectionPool(QObject *parent = nullptr);
    ~DirectConnectionPool() override;

    /** @brief Idle sockets kept at most, over all hosts (0 disables reuse). */
    void setMaxIdle(int count);
    [[nodiscard]] int maxIdle() const { return m_maxIdle; }
    /** @brief How long an idle socket is kept in ms. */
    void setIdleTimeout(int ms) { m_idleTimeoutMs = ms; }
    [[nodiscard]] int idleTimeout() const { return m_idleTimeoutMs; }

    /** @brief Idle sockets now. */
    [[nodiscard]] int idleCount() const { return int(m_idle.size()); }
    /** @brief Connections opened so far (for tests and diagnostics). */
    [[nodiscard]] int connectionsOpened() const { return m_opened; }
    /** @brief Requests sent so far, resends included. */
    [[nodiscard]] int requestsSent() const { return m_requests; }

    /** @brief Closes every idle socket. */
    void clear();

    /**
     * @brief Whether @p manager would send a request for @p url without a proxy, i.e. whether
     * a DirectUploadReply sends it the same way (its proxy factory, its proxy, else the
     * application's proxy factory).
     */
    [[nodiscard]] static bool managerUsesNoProxy(const QNetworkAccessManager *manager,
                                                 const QUrl &url);

private:
    friend class DirectUploadReply;

    struct Idle
    {
        QString key;
        QTcpSocket *socket = nullptr;
        QElapsedTimer since;
#ifndef QT_NO_SSL
        QSslConfiguration ssl;
#endif
    };

    // An idle connected socket for @p key, or nullptr; the caller owns it.
    QTcpSocket *take(const QString &key, const QNetworkRequest &request);
    // Keeps @p socket (connected, nothing pending) for reuse, or closes it.
    void giveBack(const QString &key, const QNetworkRequest &request, QTcpSocket *socket);
    void drop(QTcpSocket *socket);
    void expire();

    QList<Idle> m_idle; // oldest first
    QTimer m_expiry;
    int m_maxIdle = DefaultMaxIdle;
    int m_idleTimeoutMs = DefaultIdleTimeoutMs;
    int m_opened = 0;
    int m_requests = 0;
};

/**
 * @brief One HTTP/1.1 request, with a body from a QIODevice, from a byte array or without one,
 * sent on a plain socket with large writes, as a QNetworkReply.
 *
 * QNetworkAccessManager moves a request body to its HTTP thread in 16 KiB pieces through queued
 * signals: for a large upload that costs several times the CPU of the transfer itself. This
 * reply reads the device in large chunks on the caller's thread and writes them as the socket
 * drains, so memory stays at about two chunks per connection whatever the body size. For small
 * requests (a GET of a small file, a listing page) QNAM's fixed costs dominate: each request
 * crosses to its HTTP thread and back, and Qt 6.4 reads every response's status line and
 * headers from the socket one byte per read() system call; this reply reads the socket in
 * large pieces on the caller's thread.
 *
 * It behaves as a QNetworkAccessManager reply does for a client like RequestJob:
 * - the request line has the URL's encoded path and query as they are (no normalisation), then
 *   the request's raw headers in order (Host from the request, else from the URL), one
 *   Content-Length (the request's, else the body's size from the device's position; for a
 *   request without a body only the request's own, which must be 0), nothing else;
 * - metaDataChanged() when the final status line and headers arrived (HttpStatusCodeAttribute,
 *   HttpReasonPhraseAttribute, rawHeaderPairs() with repeated headers joined by ", "),
 *   readyRead() as the body comes (Content-Length, chunked, or up to the close), and finished()
 *   exactly once;
 * - error(): the NetworkError codes QNAM uses: transport errors (1..99) for the connection,
 *   TimeoutError after request.transferTimeout() ms without progress, SslHandshakeFailedError
 *   for any TLS error (never ignored), and the content and server codes of HTTP >= 400
 *   (403 ContentAccessDenied, 404 ContentNotFoundError, 500 InternalServerError, ...);
 *   ProtocolFailure for a response HttpResponseParser refuses (malformed, over its limits);
 * - a final response that arrives before the body was sent (e.g. an early 403) stops the
 *   upload; the response is read and the connection is not reused;
 * - a reused keep-alive connection that the server closed before any byte of the response
 *   came is replaced by a new one and the request sent again, once (a body device is rewound);
 * - abort() and close() finish at once with OperationCanceledError; deleting the reply at any
 *   time is safe.
 *
 * Redirects are not followed, no proxy is used, nothing is compressed or decompressed, and
 * the response body is kept up to readBufferSize() (0: unlimited) before reading pauses.
 */
class DirectUploadReply : public QNetworkReply
{
    Q_OBJECT
public:
    static constexpr qint64 ChunkSize = 512 * 1024;
    static constexpr qsizetype MaxHeaderBytes = HttpResponseParser::MaxHeaderBytes;

    /**
     * @brief Starts sending @p method @p request with the body @p device (not owned; open,
     * readable, random access, kept alive until finished), from its current position, on a
     * connection of @p pool (may be null: then nothing is reused). A null @p device sends no
     * body, and a Content-Length only when @p request has one (it may be signed). Signals come from the event loop, never
     * from the constructor.
     */
    DirectUploadReply(DirectConnectionPool *pool, const QByteArray &method,
                      const QNetworkRequest &request, QIODevice *device, QObject *parent = nullptr);
    /** @brief Sends @p method @p request with the body @p body (a copy is kept). */
    DirectUploadReply(DirectConnectionPool *pool, const QByteArray &method,
                      const QNetworkRequest &request, const QByteArray &body,
                      QObject *parent = nullptr);
    ~DirectUploadReply() override;

    void abort() override;
    void close() override;
    [[nodiscard]] qint64 bytesAvailable() const override;
    [[nodiscard]] bool isSequential() const override { return true; }
    void setReadBufferSize(qint64 size) override;

    /** @brief Whether the request went on a connection reused from the pool. */
    [[nodiscard]] bool reusedConnection() const { return m_reused; }
    /** @brief Times the request was sent (2 after a resend on a stale keep-alive socket). */
    [[nodiscard]] int sendCount() const { return m_sendCount; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;

private:
    void start();
    void startAttempt(bool allowReuse);
    void onConnected();
    [[nodiscard]] qint64 pendingWrite() const;
    void fillSocket();
    void onBytesWritten();
    void onSocketReadyRead();
    void onSocketDisconnected();
    void onSocketError();
    void onTimeoutCheck();
    void noteProgress();
    void processInput();
    void pumpInput();
    [[nodiscard]] bool inputPending() const;
    void peerClosed();
    [[nodiscard]] qint64 deliveryRoom() const;
    void reportUploadProgress();
    void headersComplete();
    void deliver(const char *data, qsizetype size);
    bool bodyFullySent() const;
    bool canResend() const;
    void resend();
    void completeResponse();
    void fail(NetworkError code, const QString &message);
    void finishReply();
    void releaseSocket(bool reuse);
    [[nodiscard]] QString describeStatus() const;

    QPointer<DirectConnectionPool> m_pool;
    QByteArray m_method;
    QPointer<QIODevice> m_device;
    bool m_hasBody = false; // false: no body, no Content-Length
    QString m_key;
    QByteArray m_head;
    qint64 m_bodyStart = 0;
    qint64 m_bodyLength = 0;
    qint64 m_bodyQueued = 0; // read from the device and handed to the socket
    qint64 m_bodyReported = 0; // last uploadProgress
    QTcpSocket *m_socket = nullptr;
    bool m_reused = false;
    bool m_resent = false;
    bool m_requestClose = false; // the request said Connection: close
    QString m_sslErrors;
    bool m_headWritten = false;
    bool m_stopSending = false;
    bool m_peerClosed = false; // the server closed; input may still wait for the reader
    bool m_done = false;
    int m_sendCount = 0;

    // Response
    QByteArray m_in; // bytes from the socket, parsed up to m_inPos
    qsizetype m_inPos = 0;
    qint64 m_responseBytes = 0; // bytes received for this attempt
    HttpResponseParser m_parser;
    QByteArray m_buffer; // body bytes not read by the user yet, from m_bufferPos
    qsizetype m_bufferPos = 0;
    bool m_processQueued = false;

    int m_timeoutMs = 0;
    QTimer m_timeoutTimer;
    QElapsedTimer m_lastProgress;
    QElapsedTimer m_lastUploadSignal;
    QTimer m_progressTimer; // a throttled uploadProgress
};

} // namespace Cos
