#include "cos/net/directupload.h"

#include "cos/protocol/httpresponseparser.h"

#include <QBuffer>
#include <QIODevice>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkProxyFactory>
#include <QTcpSocket>

#ifndef QT_NO_SSL
#    include <QSslError>
#    include <QSslSocket>
#endif

#include <algorithm>
#include <limits>

#ifdef Q_OS_LINUX
#    include <netinet/in.h>
#    include <netinet/tcp.h>
#    include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcCosDirect, "cos.net.direct", QtInfoMsg)

namespace Cos {

namespace {

// Some servers (RGW among them) write a response's head and body in separate small segments
// with Nagle's algorithm on, so the body waits for the ACK of the head; Linux delays that ACK
// by up to 40 ms once a connection has left quick-ACK mode, as every reused keep-alive
// connection has. Asking for quick ACKs when a request is out and after every read keeps a
// small response (initiate, complete, a listing page) at one round trip.
void requestQuickAck(QAbstractSocket *socket)
{
#ifdef Q_OS_LINUX
    const qintptr fd = socket->socketDescriptor();
    if (fd < 0)
        return;
    const int one = 1;
    ::setsockopt(int(fd), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
    Q_UNUSED(socket);
#endif
}

// Bytes pulled from the socket per step while parsing; bounds the unparsed input.
constexpr qint64 PullSize = 256 * 1024;
// The socket's own read buffer: reading from the kernel pauses when it is full.
constexpr qint64 SocketReadBufferSize = 1024 * 1024;
constexpr int UploadSignalIntervalMs = 50;

int defaultPort(const QString &scheme)
{
    return scheme == "https"_L1 ? 443 : 80;
}

QString poolKey(const QUrl &url)
{
    return url.scheme() + u"://"_s + url.host() + u':'
            + QString::number(url.port(defaultPort(url.scheme())));
}

QNetworkAccessManager::Operation operationFor(const QByteArray &method)
{
    if (method == "PUT")
        return QNetworkAccessManager::PutOperation;
    if (method == "POST")
        return QNetworkAccessManager::PostOperation;
    return QNetworkAccessManager::CustomOperation;
}

QNetworkReply::NetworkError fromSocketError(QAbstractSocket::SocketError e)
{
    switch (e) {
    case QAbstractSocket::ConnectionRefusedError:
        return QNetworkReply::ConnectionRefusedError;
    case QAbstractSocket::RemoteHostClosedError:
        return QNetworkReply::RemoteHostClosedError;
    case QAbstractSocket::HostNotFoundError:
        return QNetworkReply::HostNotFoundError;
    case QAbstractSocket::SocketTimeoutError:
        return QNetworkReply::TimeoutError;
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return QNetworkReply::SslHandshakeFailedError;
    case QAbstractSocket::TemporaryError:
        return QNetworkReply::TemporaryNetworkFailureError;
    case QAbstractSocket::ProxyConnectionRefusedError:
        return QNetworkReply::ProxyConnectionRefusedError;
    case QAbstractSocket::ProxyConnectionClosedError:
        return QNetworkReply::ProxyConnectionClosedError;
    case QAbstractSocket::ProxyNotFoundError:
        return QNetworkReply::ProxyNotFoundError;
    case QAbstractSocket::ProxyConnectionTimeoutError:
        return QNetworkReply::ProxyTimeoutError;
    case QAbstractSocket::ProxyAuthenticationRequiredError:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    default:
        return QNetworkReply::UnknownNetworkError;
    }
}

// The codes QNetworkAccessManager gives HTTP error statuses.
QNetworkReply::NetworkError fromHttpStatus(int status)
{
    switch (status) {
    case 400:
    case 418:
        return QNetworkReply::ProtocolInvalidOperationError;
    case 401:
        return QNetworkReply::AuthenticationRequiredError;
    case 403:
        return QNetworkReply::ContentAccessDenied;
    case 404:
        return QNetworkReply::ContentNotFoundError;
    case 405:
        return QNetworkReply::ContentOperationNotPermittedError;
    case 407:
        return QNetworkReply::ProxyAuthenticationRequiredError;
    case 409:
        return QNetworkReply::ContentConflictError;
    case 410:
        return QNetworkReply::ContentGoneError;
    case 500:
        return QNetworkReply::InternalServerError;
    case 501:
        return QNetworkReply::OperationNotImplementedError;
    case 503:
        return QNetworkReply::ServiceUnavailableError;
    default:
        if (status > 500)
            return QNetworkReply::UnknownServerError;
        if (status >= 400)
            return QNetworkReply::UnknownContentError;
        return QNetworkReply::NoError;
    }
}

} // namespace

// --- DirectConnectionPool ----------------------------------------------------------------------

DirectConnectionPool::DirectConnectionPool(QObject *parent)
    : QObject(parent)
{
    m_expiry.setSingleShot(true);
    connect(&m_expiry, &QTimer::timeout, this, &DirectConnectionPool::expire);
}

DirectConnectionPool::~DirectConnectionPool()
{
    clear();
}

void DirectConnectionPool::setMaxIdle(int count)
{
    m_maxIdle = std::max(0, count);
    while (m_idle.size() > m_maxIdle)
        drop(m_idle.takeFirst().socket);
}

void DirectConnectionPool::clear()
{
    const QList<Idle> idle = std::exchange(m_idle, {});
    for (const Idle &e : idle)
        drop(e.socket);
    m_expiry.stop();
}

bool DirectConnectionPool::managerUsesNoProxy(const QNetworkAccessManager *manager, const QUrl &url)
{
    // As QNetworkAccessManagerPrivate::queryProxy picks them.
    const QNetworkProxyQuery query(url);
    QList<QNetworkProxy> proxies;
    if (QNetworkProxyFactory *factory = manager->proxyFactory())
        proxies = factory->queryProxy(query);
    else if (manager->proxy().type() != QNetworkProxy::DefaultProxy)
        proxies = {manager->proxy()};
    else
        proxies = QNetworkProxyFactory::proxyForQuery(query);
    for (const QNetworkProxy &p : std::as_const(proxies)) {
        if (p.type() == QNetworkProxy::FtpCachingProxy)
            continue; // not used for HTTP
        return p.type() == QNetworkProxy::NoProxy;
    }
    return true;
}

QTcpSocket *DirectConnectionPool::take(const QString &key, const QNetworkRequest &request)
{
    for (qsizetype i = m_idle.size() - 1; i >= 0; --i) {
        if (m_idle.at(i).key != key)
            continue;
#ifndef QT_NO_SSL
        if (key.startsWith("https:"_L1) && !(m_idle.at(i).ssl == request.sslConfiguration()))
            continue;
#else
        Q_UNUSED(request);
#endif
        QTcpSocket *socket = m_idle.takeAt(i).socket;
        socket->disconnect(this);
        if (socket->state() != QAbstractSocket::ConnectedState || socket->bytesAvailable() > 0) {
            drop(socket);
            continue;
        }
        socket->setParent(nullptr);
        return socket;
    }
    return nullptr;
}

void DirectConnectionPool::giveBack(const QString &key, const QNetworkRequest &request,
                                    QTcpSocket *socket)
{
    if (m_maxIdle <= 0 || socket->state() != QAbstractSocket::ConnectedState) {
        drop(socket);
        return;
    }
    socket->setParent(this);
    // Anything from an idle socket (a close, a stray byte, an error) makes it useless.
    const auto discard = [this, socket] {
        for (qsizetype i = 0; i < m_idle.size(); ++i) {
            if (m_idle.at(i).socket == socket) {
                m_idle.removeAt(i);
                break;
            }
        }
        drop(socket);
    };
    connect(socket, &QAbstractSocket::disconnected, this, discard);
    connect(socket, &QAbstractSocket::readyRead, this, discard);
    connect(socket, &QAbstractSocket::errorOccurred, this, discard);
    Idle e;
    e.key = key;
    e.socket = socket;
    e.since.start();
#ifndef QT_NO_SSL
    e.ssl = request.sslConfiguration();
#else
    Q_UNUSED(request);
#endif
    m_idle.append(e);
    while (m_idle.size() > m_maxIdle)
        drop(m_idle.takeFirst().socket);
    if (!m_expiry.isActive())
        m_expiry.start(m_idleTimeoutMs);
}

void DirectConnectionPool::drop(QTcpSocket *socket)
{
    socket->disconnect(this);
    socket->abort();
    // May run inside one of the socket's own signals.
    socket->deleteLater();
}

void DirectConnectionPool::expire()
{
    qint64 next = -1;
    for (qsizetype i = 0; i < m_idle.size();) {
        const qint64 left = m_idleTimeoutMs - m_idle.at(i).since.elapsed();
        if (left <= 0) {
            drop(m_idle.takeAt(i).socket);
            continue;
        }
        next = next < 0 ? left : std::min(next, left);
        ++i;
    }
    if (next >= 0)
        m_expiry.start(int(next));
}

// --- DirectUploadReply -------------------------------------------------------------------------

DirectUploadReply::DirectUploadReply(DirectConnectionPool *pool, const QByteArray &method,
                                     const QNetworkRequest &request, QIODevice *device,
                                     QObject *parent)
    : QNetworkReply(parent)
    , m_pool(pool)
    , m_method(method)
    , m_device(device)
{
    setRequest(request);
    setUrl(request.url());
    setOperation(operationFor(method));
    if (operation() == QNetworkAccessManager::CustomOperation)
        setAttribute(QNetworkRequest::CustomVerbAttribute, method);
    QIODevice::open(QIODevice::ReadOnly | QIODevice::Unbuffered);
    m_hasBody = device != nullptr;
    if (device)
        m_bodyStart = device->pos();
    m_timeoutMs = request.transferTimeout();
    m_timeoutTimer.setSingleShot(true);
    connect(&m_timeoutTimer, &QTimer::timeout, this, &DirectUploadReply::onTimeoutCheck);
    m_progressTimer.setSingleShot(true);
    connect(&m_progressTimer, &QTimer::timeout, this, &DirectUploadReply::reportUploadProgress);
    // Signals only from the event loop: the caller connects after construction.
    QMetaObject::invokeMethod(this, &DirectUploadReply::start, Qt::QueuedConnection);
}

DirectUploadReply::DirectUploadReply(DirectConnectionPool *pool, const QByteArray &method,
                                     const QNetworkRequest &request, const QByteArray &body,
                                     QObject *parent)
    : DirectUploadReply(pool, method, request, static_cast<QIODevice *>(nullptr), parent)
{
    auto *buffer = new QBuffer(this);
    buffer->setData(body);
    buffer->open(QIODevice::ReadOnly);
    m_device = buffer;
    m_hasBody = true;
}

DirectUploadReply::~DirectUploadReply()
{
    m_done = true;
    releaseSocket(false);
}

void DirectUploadReply::start()
{
    if (m_done)
        return;
    const QUrl u = url();
    const QString scheme = u.scheme();
    if (!u.isValid() || u.host().isEmpty() || (scheme != "http"_L1 && scheme != "https"_L1)) {
        fail(ProtocolUnknownError,
             u"Cannot send %1 directly: only http and https URLs with a host are supported"_s.arg(
                     u.toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)));
        return;
    }
#ifdef QT_NO_SSL
    if (scheme == "https"_L1) {
        fail(ProtocolUnknownError, u"This build has no TLS support"_s);
        return;
    }
#endif
    if (m_hasBody
        && (!m_device || !m_device->isOpen() || !m_device->isReadable()
            || m_device->isSequential())) {
        fail(ProtocolInvalidOperationError,
             u"The request body must be an open, readable, random-access device"_s);
        return;
    }
    if (m_method.isEmpty() || !HttpResponseParser::isToken(m_method)) {
        fail(ProtocolInvalidOperationError, u"Invalid HTTP method"_s);
        return;
    }

    const QNetworkRequest r = request();
    const qint64 available = m_hasBody ? std::max<qint64>(0, m_device->size() - m_bodyStart) : 0;
    m_bodyLength = available;
    if (r.hasRawHeader("Content-Length")) {
        if (!HttpResponseParser::parseDecimal(r.rawHeader("Content-Length").trimmed(),
                                              &m_bodyLength)) {
            fail(ProtocolInvalidOperationError, u"The request's Content-Length is not a number"_s);
            return;
        }
        if (m_bodyLength > available) {
            fail(ProtocolInvalidOperationError,
                 u"The request body has %1 bytes, fewer than its Content-Length %2"_s.arg(available)
                         .arg(m_bodyLength));
            return;
        }
    }

    QByteArray target = u.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority
                                    | QUrl::RemoveFragment | QUrl::FullyEncoded);
    if (!target.startsWith('/'))
        target.prepend('/');
    QByteArray host = r.rawHeader("Host");
    if (host.isEmpty()) {
        host = QUrl::toAce(u.host());
        if (host.contains(':'))
            host = '[' + host + ']';
        if (u.port() != -1 && u.port() != defaultPort(scheme))
            host += ':' + QByteArray::number(u.port());
    }
    m_head = m_method + ' ' + target + " HTTP/1.1\r\nHost: " + host + "\r\n";
    bool lengthWritten = false;
    const QList<QByteArray> names = r.rawHeaderList();
    for (const QByteArray &name : names) {
        const QByteArray value = r.rawHeader(name);
        if (!HttpResponseParser::isToken(name) || value.contains('\r') || value.contains('\n')) {
            fail(ProtocolInvalidOperationError,
                 u"The request header %1 is malformed"_s.arg(HttpResponseParser::excerpt(name)));
            return;
        }
        if (name.compare("Host", Qt::CaseInsensitive) == 0
            || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0)
            continue;
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            m_head += "Content-Length: " + QByteArray::number(m_bodyLength) + "\r\n";
            lengthWritten = true;
            continue;
        }
        if (name.compare("Connection", Qt::CaseInsensitive) == 0
            && HttpResponseParser::hasToken(value, "close"))
            m_requestClose = true;
        m_head += name + ": " + value + "\r\n";
    }
    // Without a body (GET, HEAD, DELETE) only the request's own Content-Length (0) is sent.
    if (!lengthWritten && m_hasBody)
        m_head += "Content-Length: " + QByteArray::number(m_bodyLength) + "\r\n";
    m_head += "\r\n";
    m_key = poolKey(u);
    startAttempt(true);
}

void DirectUploadReply::startAttempt(bool allowReuse)
{
    m_bodyQueued = 0;
    m_bodyReported = 0;
    m_progressTimer.stop();
    m_lastUploadSignal.invalidate();
    m_stopSending = false;
    m_peerClosed = false;
    m_headWritten = false;
    m_in.clear();
    m_inPos = 0;
    m_responseBytes = 0;
    m_parser.reset(m_method == "HEAD");
    if (m_hasBody && (!m_device || !m_device->seek(m_bodyStart))) {
        fail(UnknownNetworkError,
             u"Cannot rewind the request body: %1"_s.arg(m_device ? m_device->errorString()
                                                                  : u"the device is gone"_s));
        return;
    }
    ++m_sendCount;
    if (m_pool)
        ++m_pool->m_requests;

    QTcpSocket *socket = allowReuse && m_pool ? m_pool->take(m_key, request()) : nullptr;
    m_reused = socket != nullptr;
    const QUrl u = url();
    const bool https = u.scheme() == "https"_L1;
    if (!socket) {
#ifndef QT_NO_SSL
        if (https) {
            auto *ssl = new QSslSocket(this);
            QSslConfiguration config = request().sslConfiguration();
            config.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
            ssl->setSslConfiguration(config);
            // A connect-to address: verify (and send SNI for) the real host name.
            if (!request().peerVerifyName().isEmpty())
                ssl->setPeerVerifyName(request().peerVerifyName());
            socket = ssl;
        }
#endif
        if (!socket)
            socket = new QTcpSocket(this);
        socket->setProxy(QNetworkProxy::NoProxy);
        if (m_pool)
            ++m_pool->m_opened;
    } else {
        socket->setParent(this);
    }
    socket->setReadBufferSize(SocketReadBufferSize);
    m_socket = socket;
    connect(socket, &QAbstractSocket::bytesWritten, this, &DirectUploadReply::onBytesWritten);
    connect(socket, &QAbstractSocket::readyRead, this, &DirectUploadReply::onSocketReadyRead);
    connect(socket, &QAbstractSocket::disconnected, this, &DirectUploadReply::onSocketDisconnected);
    connect(socket, &QAbstractSocket::errorOccurred, this, &DirectUploadReply::onSocketError);
#ifndef QT_NO_SSL
    if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
        // QSslSocket::bytesWritten says that plain text was encrypted, not that it left.
        connect(ssl, &QSslSocket::encryptedBytesWritten, this, &DirectUploadReply::onBytesWritten);
        connect(ssl, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
            QStringList texts;
            for (const QSslError &e : errors)
                texts.append(e.errorString());
            m_sslErrors = texts.join(u"; "_s);
        });
    }
#endif

    noteProgress();
    if (m_timeoutMs > 0 && !m_timeoutTimer.isActive())
        m_timeoutTimer.start(m_timeoutMs);
    qCDebug(lcCosDirect).noquote() << m_method << u.host() << u.path() << "bytes" << m_bodyLength
                                   << (m_reused ? "on a reused connection" : "on a new connection");
    if (m_reused) {
        onConnected();
        return;
    }
#ifndef QT_NO_SSL
    if (https) {
        auto *ssl = static_cast<QSslSocket *>(socket);
        connect(ssl, &QSslSocket::encrypted, this, &DirectUploadReply::onConnected);
        ssl->connectToHostEncrypted(u.host(), quint16(u.port(443)));
        return;
    }
#endif
    connect(socket, &QAbstractSocket::connected, this, &DirectUploadReply::onConnected);
    socket->connectToHost(u.host(), quint16(u.port(80)));
}

void DirectUploadReply::onConnected()
{
    if (m_done || !m_socket)
        return;
    noteProgress();
    // Without it the last small segment of each body can wait for a delayed ACK.
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->write(m_head);
    requestQuickAck(m_socket);
    m_headWritten = true;
    fillSocket();
}

qint64 DirectUploadReply::pendingWrite() const
{
    if (!m_socket)
        return 0;
    qint64 n = m_socket->bytesToWrite();
#ifndef QT_NO_SSL
    if (auto *ssl = qobject_cast<QSslSocket *>(m_socket))
        n += ssl->encryptedBytesToWrite();
#endif
    return n;
}

void DirectUploadReply::fillSocket()
{
    // Before onConnected() a QSslSocket reports its handshake bytes as written.
    while (!m_done && m_socket && m_headWritten && !m_stopSending && m_bodyQueued < m_bodyLength
           && pendingWrite() < ChunkSize) {
        const qint64 n = std::min(ChunkSize, m_bodyLength - m_bodyQueued);
        // A fresh array each time: the socket keeps a reference instead of copying it.
        QByteArray chunk(n, Qt::Uninitialized);
        qint64 got = 0;
        while (got < n) {
            const qint64 r = m_device ? m_device->read(chunk.data() + got, n - got) : -1;
            if (r <= 0) {
                fail(UnknownNetworkError,
                     r < 0 || !m_device ? u"Cannot read the request body: %1"_s.arg(
                             m_device ? m_device->errorString() : u"the device is gone"_s)
                                        : u"The request body ended after %1 of %2 bytes"_s
                                                  .arg(m_bodyQueued + got)
                                                  .arg(m_bodyLength));
                return;
            }
            got += r;
        }
        m_socket->write(chunk);
        m_bodyQueued += n;
    }
}

bool DirectUploadReply::bodyFullySent() const
{
    return m_headWritten && m_bodyQueued == m_bodyLength && pendingWrite() == 0;
}

void DirectUploadReply::onBytesWritten()
{
    if (m_done || !m_socket || !m_headWritten)
        return;
    noteProgress();
    fillSocket();
    if (m_done || !m_socket)
        return;
    reportUploadProgress();
}

void DirectUploadReply::reportUploadProgress()
{
    if (m_done || !m_socket)
        return;
    const qint64 sent = std::max<qint64>(0, m_bodyQueued - pendingWrite());
    if (sent == m_bodyReported)
        return;
    const qint64 since = m_lastUploadSignal.isValid() ? m_lastUploadSignal.elapsed() : -1;
    if (sent != m_bodyLength && since >= 0 && since < UploadSignalIntervalMs) {
        // Throttled, but the last state is reported soon even if the socket stalls now.
        if (!m_progressTimer.isActive())
            m_progressTimer.start(int(UploadSignalIntervalMs - since));
        return;
    }
    m_progressTimer.stop();
    m_bodyReported = sent;
    m_lastUploadSignal.start();
    Q_EMIT uploadProgress(sent, m_bodyLength);
}

void DirectUploadReply::onSocketReadyRead()
{
    if (m_done || !m_socket)
        return;
    noteProgress();
    processInput();
}

void DirectUploadReply::processInput()
{
    m_processQueued = false;
    pumpInput();
    if (!m_done && m_socket && m_peerClosed && !inputPending())
        peerClosed();
}

void DirectUploadReply::pumpInput()
{
    while (!m_done && m_socket) {
        const bool headBefore = m_parser.headComplete();
        qint64 room = PullSize - (m_in.size() - m_inPos);
        if (headBefore && readBufferSize() > 0)
            room = std::min(room, readBufferSize() - (m_buffer.size() - m_bufferPos));
        if (room > 0 && m_socket->bytesAvailable() > 0) {
            if (m_inPos > 0) {
                m_in.remove(0, m_inPos);
                m_inPos = 0;
            }
            // Only what the socket holds: read(room) allocates room bytes every time (256 KiB
            // for a 64 KiB response), and glibc trims such blocks and faults fresh pages in
            // for the next. A read of exactly the socket's one buffered chunk is not copied.
            const QByteArray more = m_socket->read(std::min(room, m_socket->bytesAvailable()));
            requestQuickAck(m_socket);
            m_responseBytes += more.size();
            m_in += more;
        }
        // The parser stops at the end of the head, so the head is handled before any body
        // byte; body bytes are taken only as far as the reader has room.
        const HttpResponseParser::Step step = m_parser.feed(QByteArrayView(m_in).sliced(m_inPos),
                                                            headBefore
                                                                    ? deliveryRoom()
                                                                    : HttpResponseParser::Unlimited);
        m_inPos += step.consumed;
        if (m_parser.hasError()) {
            fail(ProtocolFailure, m_parser.errorString());
            return;
        }
        if (!headBefore && m_parser.headComplete()) {
            headersComplete();
            if (m_done || !m_socket)
                return;
        }
        if (!step.body.isEmpty()) {
            deliver(step.body.data(), step.body.size());
            if (m_done || !m_socket)
                return;
        }
        if (m_parser.isComplete()) {
            completeResponse();
            return;
        }
        if (step.consumed == 0 && (room <= 0 || m_socket->bytesAvailable() == 0))
            return;
    }
}

void DirectUploadReply::headersComplete()
{
    // Repeated headers are joined as QNetworkAccessManager does.
    QList<QPair<QByteArray, QByteArray>> joined;
    for (const auto &[name, value] : m_parser.headers()) {
        auto it = std::find_if(joined.begin(), joined.end(), [&name = name](const auto &h) {
            return h.first.compare(name, Qt::CaseInsensitive) == 0;
        });
        if (it == joined.end())
            joined.append({name, value});
        else
            it->second += (name.compare("Set-Cookie", Qt::CaseInsensitive) == 0 ? "\n" : ", ")
                    + value;
    }
    for (const auto &[name, value] : std::as_const(joined))
        setRawHeader(name, value);
    setAttribute(QNetworkRequest::HttpStatusCodeAttribute, m_parser.statusCode());
    setAttribute(QNetworkRequest::HttpReasonPhraseAttribute,
                 QString::fromLatin1(m_parser.reasonPhrase()));
    setAttribute(QNetworkRequest::ConnectionEncryptedAttribute, url().scheme() == "https"_L1);
    setAttribute(QNetworkRequest::Http2WasUsedAttribute, false);

    if (!bodyFullySent()) {
        // A final answer before the whole body went out (an early 403, 413, ...): the server
        // will not read the rest, so stop sending, read the answer, and close the connection.
        m_stopSending = true;
        qCDebug(lcCosDirect) << "early response" << m_parser.statusCode() << "after" << m_bodyQueued
                             << "of" << m_bodyLength << "body bytes";
    }
    Q_EMIT metaDataChanged();
}

qint64 DirectUploadReply::deliveryRoom() const
{
    if (readBufferSize() <= 0)
        return std::numeric_limits<qint64>::max();
    return std::max<qint64>(0, readBufferSize() - (m_buffer.size() - m_bufferPos));
}

void DirectUploadReply::deliver(const char *data, qsizetype size)
{
    if (m_bufferPos > 0 && m_bufferPos >= m_buffer.size() / 2) {
        m_buffer.remove(0, m_bufferPos);
        m_bufferPos = 0;
    }
    m_buffer.append(data, size);
    Q_EMIT readyRead();
    if (m_done)
        return;
    Q_EMIT downloadProgress(m_parser.bodyBytes(), m_parser.contentLength());
}

qint64 DirectUploadReply::bytesAvailable() const
{
    return (m_buffer.size() - m_bufferPos) + QNetworkReply::bytesAvailable();
}

qint64 DirectUploadReply::readData(char *data, qint64 maxSize)
{
    const qint64 n = std::min<qint64>(maxSize, m_buffer.size() - m_bufferPos);
    if (n <= 0)
        return m_done ? -1 : 0;
    memcpy(data, m_buffer.constData() + m_bufferPos, size_t(n));
    m_bufferPos += qsizetype(n);
    if (m_bufferPos == m_buffer.size()) {
        m_buffer.clear();
        m_bufferPos = 0;
    }
    // Reading paused at readBufferSize(): go on once the reader made room.
    if (!m_done && m_socket && m_parser.headComplete() && readBufferSize() > 0 && !m_processQueued) {
        m_processQueued = true;
        QMetaObject::invokeMethod(
                this,
                [this] {
                    if (m_processQueued)
                        processInput();
                },
                Qt::QueuedConnection);
    }
    return n;
}

void DirectUploadReply::setReadBufferSize(qint64 size)
{
    QNetworkReply::setReadBufferSize(size);
    if (!m_done && m_socket && m_parser.headComplete() && !m_processQueued) {
        m_processQueued = true;
        QMetaObject::invokeMethod(
                this,
                [this] {
                    if (m_processQueued)
                        processInput();
                },
                Qt::QueuedConnection);
    }
}

bool DirectUploadReply::inputPending() const
{
    return m_inPos < m_in.size() || (m_socket && m_socket->bytesAvailable() > 0);
}

void DirectUploadReply::onSocketDisconnected()
{
    if (m_done || !m_socket)
        return;
    // What the server sent before it closed is still in the socket's buffer; processInput()
    // handles the close once that is parsed (which may wait for the reader to make room).
    m_peerClosed = true;
    processInput();
}

void DirectUploadReply::peerClosed()
{
    if (m_parser.finish()) { // a body delimited by the close
        completeResponse();
        return;
    }
    if (canResend()) {
        resend();
        return;
    }
    fail(RemoteHostClosedError,
         m_responseBytes == 0
                 ? u"The server closed the connection before answering"_s
                 : u"The server closed the connection in the middle of the response (%1)"_s.arg(
                         m_parser.errorString()));
}

void DirectUploadReply::onSocketError()
{
    if (m_done || !m_socket)
        return;
    const QAbstractSocket::SocketError e = m_socket->error();
    if (e == QAbstractSocket::RemoteHostClosedError) {
        onSocketDisconnected();
        return;
    }
    // The server may have answered (an early 403) and then reset the connection.
    pumpInput();
    if (m_done || !m_socket)
        return;
    if (canResend()) {
        resend();
        return;
    }
    QString message = m_socket->errorString();
    if (e == QAbstractSocket::SslHandshakeFailedError && !m_sslErrors.isEmpty())
        message = u"SSL handshake failed: %1"_s.arg(m_sslErrors);
    fail(fromSocketError(e), message);
}

bool DirectUploadReply::canResend() const
{
    // A kept-alive connection the server closed while it was idle: the request never reached
    // a server that would answer it, so it is sent again on a new connection, once.
    return m_reused && !m_resent && m_responseBytes == 0 && m_socket
            && m_socket->bytesAvailable() == 0;
}

void DirectUploadReply::resend()
{
    qCDebug(lcCosDirect) << "kept-alive connection closed by the server; resending once";
    m_resent = true;
    releaseSocket(false);
    startAttempt(false);
}

void DirectUploadReply::onTimeoutCheck()
{
    if (m_done || m_timeoutMs <= 0)
        return;
    const qint64 idle = m_lastProgress.elapsed();
    if (idle < m_timeoutMs) {
        m_timeoutTimer.start(int(m_timeoutMs - idle));
        return;
    }
    fail(TimeoutError, u"No data transferred for %1 ms (transfer timeout)"_s.arg(m_timeoutMs));
}

void DirectUploadReply::noteProgress()
{
    m_lastProgress.start();
}

void DirectUploadReply::completeResponse()
{
    if (m_done)
        return;
    const bool sent = bodyFullySent();
    const bool reuse = m_parser.keepAlive() && !m_requestClose && sent && !m_stopSending
            && m_inPos == m_in.size() && m_socket && m_socket->bytesAvailable() == 0
            && m_socket->state() == QAbstractSocket::ConnectedState;
    releaseSocket(reuse);
    if (sent && m_bodyReported != m_bodyLength) {
        m_bodyReported = m_bodyLength;
        Q_EMIT uploadProgress(m_bodyLength, m_bodyLength);
        if (m_done)
            return;
    }
    const NetworkError code = fromHttpStatus(m_parser.statusCode());
    if (code != NoError) {
        setError(code,
                 u"Error transferring %1 - server replied: %2"_s
                         .arg(url().toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo),
                              describeStatus()));
    }
    finishReply();
}

QString DirectUploadReply::describeStatus() const
{
    const QString status = QString::number(m_parser.statusCode());
    const QByteArray reason = m_parser.reasonPhrase();
    return reason.isEmpty() ? status : status + u' ' + QString::fromLatin1(reason);
}

void DirectUploadReply::fail(NetworkError code, const QString &message)
{
    if (m_done)
        return;
    qCDebug(lcCosDirect).noquote() << "failed:" << code << message;
    releaseSocket(false);
    setError(code, message);
    finishReply();
}

void DirectUploadReply::finishReply()
{
    m_done = true;
    m_processQueued = false;
    m_timeoutTimer.stop();
    m_progressTimer.stop();
    setFinished(true);
    const NetworkError code = error();
    if (code != NoError)
        Q_EMIT errorOccurred(code);
    Q_EMIT finished();
}

void DirectUploadReply::abort()
{
    if (m_done)
        return;
    releaseSocket(false);
    QNetworkReply::close();
    setError(OperationCanceledError, u"Operation canceled"_s);
    finishReply();
}

void DirectUploadReply::close()
{
    if (!m_done) {
        abort();
        return;
    }
    QNetworkReply::close();
}

void DirectUploadReply::releaseSocket(bool reuse)
{
    QTcpSocket *socket = std::exchange(m_socket, nullptr);
    if (!socket)
        return;
    socket->disconnect(this);
    if (reuse && m_pool) {
        m_pool->giveBack(m_key, request(), socket);
        return;
    }
    socket->abort();
    // May run inside one of the socket's own signals.
    socket->deleteLater();
}

} // namespace Cos
