#include "signerserver.h"

#include "httpframing.h"
#include "signerinfo.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTcpSocket>
#include <QTimer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QUrl>
#if QT_CONFIG(ssl)
#    include <QSslCertificate>
#    include <QSslKey>
#    include <QSslSocket>
#endif

#include <sys/resource.h>

#include <memory>

Q_LOGGING_CATEGORY(lcSignerAccess, "cos.signer.access", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSignerUpstream, "cos.signer.upstream", QtInfoMsg)

using namespace Qt::StringLiterals;

namespace Signer {

#if QT_VERSION < QT_VERSION_CHECK(6, 5, 0)
using ResponderRef = QHttpServerResponder &&;
static void sendResponse(QHttpServerResponder &responder, const QHttpServerResponse &response)
{
    response.write(std::move(responder));
}
#else
using ResponderRef = QHttpServerResponder &;
static void sendResponse(QHttpServerResponder &responder, const QHttpServerResponse &response)
{
    responder.sendResponse(response);
}
#endif

namespace {

constexpr qint64 kMaxDrainBytes = 64 * 1024 * 1024;

QByteArray httpDate(const QDateTime &utc)
{
    return QLocale::c().toString(utc, u"ddd, dd MMM yyyy hh:mm:ss 'GMT'"_s).toLatin1();
}

// The Date header of every answer: formatted once per second, not once per request.
QByteArray httpDateNow()
{
    thread_local qint64 cachedSecond = -1;
    thread_local QByteArray cached;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 second = now.toSecsSinceEpoch();
    if (second != cachedSecond) {
        cached = httpDate(now);
        cachedSecond = second;
    }
    return cached;
}

QString sanitizeForLog(const QString &s, int max = 160)
{
    return escapeForLog(s, max);
}

// An IPv4 peer on a dual-stack socket is reported as ::ffff:a.b.c.d; caps and proxies use a.b.c.d.
QString newRequestId()
{
    quint32 words[4];
    QRandomGenerator::global()->fillRange(words);
    return QString::fromLatin1(
            QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex());
}

QHostAddress unmapped(const QHostAddress &address)
{
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : address;
}

bool isTrustedProxy(const QHostAddress &address,
                    const QList<std::pair<QHostAddress, int>> &trustedProxies)
{
    const QHostAddress a = unmapped(address);
    return std::any_of(trustedProxies.cbegin(), trustedProxies.cend(), [&](const auto &subnet) {
        return a.isInSubnet(subnet.first, subnet.second);
    });
}

QByteArray errorBody(int status, const QString &code, const QString &message)
{
    SignerError e = SignerError::make(status, code, message);
    QJsonObject o = modernErrorJson(e);
    const QJsonObject legacy = legacyErrorJson(e);
    for (auto it = legacy.begin(); it != legacy.end(); ++it)
        o.insert(it.key(), it.value());
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace

/** Connection limits the listening socket enforces (from SignerConfig, fitted to the fd limit). */
struct ConnectionLimits
{
    qint64 maxBody = 16 * 1024;
    int headerTimeoutMs = 10000;
    int idleTimeoutMs = 30000;
    int maxConnections = 1024;
    int maxPerAddress = 32;
    QList<std::pair<QHostAddress, int>> trustedProxies;
};

namespace {

/**
 * Screens one connection's bytes before QHttpServer reads them: it frames each request
 * strictly (see checkRequestHead) so that it and QHttpServer always agree on where a request
 * ends, refuses an oversized or ambiguous request before its body is buffered anywhere, and
 * closes connections that are too slow to send a request or stay idle too long.
 */
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, GuardedTcpServer *owner, const ConnectionLimits &limits,
                    const QString &address)
        : QObject(socket)
        , m_socket(socket)
        , m_owner(owner)
        , m_limits(limits)
        , m_address(address)
    {
        // QHttpServer reads everything on each readyRead; this bounds what the socket itself
        // takes from the kernel in between (TCP flow control does the rest).
        m_socket->setReadBufferSize(64 * 1024);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::timedOut);
        connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::beforeRead);
        connect(socket, &QIODevice::bytesWritten, this, &ConnectionGuard::written);
        connect(socket, &QAbstractSocket::disconnected, this, &ConnectionGuard::retire);
        m_timer.start(m_limits.headerTimeoutMs);
    }
    ~ConnectionGuard() override;

    // Connected after QHttpServer's own readyRead slot: what it left unread stays seen.
    void connectAfter()
    {
        connect(m_socket, &QIODevice::readyRead, this,
                [this] { m_unreadSeen = m_socket->bytesAvailable(); });
    }

    void detach() { m_owner = nullptr; }
    // The connection no longer counts against the caps (it is closed or closing).
    void retire();
    // No request of this connection is being received or answered.
    [[nodiscard]] bool isIdle() const
    {
        return m_state == State::Head && m_head.isEmpty() && !m_answering;
    }
    [[nodiscard]] const QString &address() const { return m_address; }
    [[nodiscard]] qint64 openedAt() const { return m_openedAt; }
    void closeForNewcomer()
    {
        retire();
        m_socket->abort();
    }

private:
    enum class State { Head, Body, Draining };

    void logClose(const QString &reason) const
    {
        qCInfo(lcSignerAccess).noquote()
                << u"status=- method=- path=- latency_ms=0 client=%1 caller=- scope=- "
                   "reason=\"%2\""_s.arg(m_address, reason);
    }

    void timedOut()
    {
        if (m_state == State::Draining) {
            m_socket->abort();
            return;
        }
        if (isIdle()) {
            logClose(u"keep-alive connection idle for %1 ms"_s.arg(m_limits.idleTimeoutMs));
        } else {
            logClose(u"request not received within %1 ms"_s.arg(m_limits.headerTimeoutMs));
        }
        m_socket->abort();
    }

    void written()
    {
        // An answer has gone out completely: the connection waits for its next request.
        if (m_state == State::Draining || m_socket->bytesToWrite() > 0)
            return;
        m_answering = false;
        if (isIdle())
            m_timer.start(m_limits.idleTimeoutMs);
    }

    void beforeRead()
    {
        if (m_state == State::Draining) {
            drain();
            return;
        }
        const QByteArray all = m_socket->peek(m_socket->bytesAvailable());
        QByteArrayView fresh = QByteArrayView(all).sliced(qMin<qsizetype>(m_unreadSeen, all.size()));
        m_unreadSeen = all.size();
        while (!fresh.isEmpty() && m_state != State::Draining) {
            if (m_state == State::Body) {
                const qint64 n = qMin<qint64>(m_bodyLeft, fresh.size());
                m_bodyLeft -= n;
                fresh = fresh.sliced(n);
                if (m_bodyLeft == 0)
                    requestComplete();
                continue;
            }
            if (m_head.isEmpty()) {
                // Blank lines before a request line are skipped (by QHttpServer's parser too).
                while (!fresh.isEmpty() && (fresh.front() == '\r' || fresh.front() == '\n'))
                    fresh = fresh.sliced(1);
                if (fresh.isEmpty())
                    break;
                m_timer.start(m_limits.headerTimeoutMs); // the new request's deadline
            }
            const qsizetype room = kMaxHeaderBlockBytes + 4 - m_head.size();
            const QByteArrayView take = fresh.first(qMin<qsizetype>(room, fresh.size()));
            const qsizetype before = m_head.size();
            m_head += take;
            // Search again from a little before the old end: the blank line may straddle.
            const qsizetype from = qMax<qsizetype>(0, before - 3);
            const qsizetype end = headerBlockEnd(QByteArrayView(m_head).sliced(from));
            if (end < 0) {
                if (m_head.size() > kMaxHeaderBlockBytes) {
                    reject(431, u"HeadersTooLarge"_s,
                           u"request header block is larger than %1 bytes"_s.arg(
                                   kMaxHeaderBlockBytes),
                           0);
                }
                fresh = fresh.sliced(take.size());
                continue;
            }
            const qsizetype headEnd = from + end;
            fresh = fresh.sliced(take.size() - (m_head.size() - headEnd));
            if (headEnd > kMaxHeaderBlockBytes + 4) {
                reject(431, u"HeadersTooLarge"_s,
                       u"request header block is larger than %1 bytes"_s.arg(kMaxHeaderBlockBytes),
                       0);
                break;
            }
            const HeadVerdict verdict = checkRequestHead(QByteArrayView(m_head).first(headEnd),
                                                         m_limits.maxBody);
            m_head.clear();
            if (verdict.status != 0) {
                // Only a body whose length is known and modest is read and dropped (so that
                // the client sees the answer); an ambiguous one ends the connection at once.
                reject(verdict.status, verdict.code, verdict.message,
                       verdict.status == 413 ? verdict.contentLength : 0, fresh.size());
                break;
            }
            m_bodyLeft = verdict.contentLength;
            if (m_bodyLeft > 0)
                m_state = State::Body;
            else
                requestComplete();
        }
    }

    void requestComplete()
    {
        m_state = State::Head;
        m_answering = true;
        m_timer.stop();
    }

    void reject(int status, const QString &code, const QString &message, qint64 drainBytes,
                qint64 alreadyHere = 0)
    {
        const QByteArray body = errorBody(status, code, message);
        const char *reason = status == 413 ? "Payload Too Large"
                : status == 411            ? "Length Required"
                : status == 431            ? "Request Header Fields Too Large"
                                           : "Bad Request";
        QByteArray response = "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + reason
                + "\r\nContent-Type: application/json\r\nContent-Length: "_ba
                + QByteArray::number(body.size()) + "\r\nDate: "_ba
                + httpDate(QDateTime::currentDateTimeUtc()) + "\r\nConnection: close\r\n\r\n"_ba
                + body;
        m_socket->write(response);
        qCInfo(lcSignerAccess).noquote()
                << u"status=%1 method=- path=- latency_ms=0 client=%2 caller=- scope=- "
                   "reason=\"%3\""_s.arg(QString::number(status), m_address, message);
        m_state = State::Draining;
        m_head.clear();
        // Keep reading (and dropping) an announced body of known, modest size so that the
        // client sees the answer instead of a reset; give up on huge or stalled uploads.
        m_drainLeft = drainBytes > kMaxDrainBytes ? 0 : drainBytes - alreadyHere;
        m_timer.start(qMin(30000, m_limits.headerTimeoutMs));
        drain();
    }

    void drain()
    {
        char buffer[16384];
        while (m_socket->bytesAvailable() > 0) {
            const qint64 n = m_socket->read(buffer, sizeof buffer);
            if (n <= 0)
                break;
            m_drainLeft -= n;
        }
        m_unreadSeen = 0;
        if (m_drainLeft <= 0 && m_socket->state() == QAbstractSocket::ConnectedState)
            m_socket->disconnectFromHost();
    }

    QTcpSocket *m_socket;
    GuardedTcpServer *m_owner;
    const ConnectionLimits &m_limits;
    QString m_address;
    qint64 m_openedAt = QDateTime::currentMSecsSinceEpoch();
    QTimer m_timer;
    State m_state = State::Head;
    bool m_answering = false;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_drainLeft = 0;
    qint64 m_unreadSeen = 0;
};

} // namespace

/**
 * Our own listening socket: portable QHttpServer::bind(), TLS, the connection guard and the
 * connection caps (per address and in total, always below the file-descriptor limit).
 */
class GuardedTcpServer : public QTcpServer
{
public:
    GuardedTcpServer(const ConnectionLimits &limits, QObject *parent)
        : QTcpServer(parent)
        , m_limits(limits)
    {
        // Running out of descriptors makes QTcpServer pause accepting for good; resume soon.
        connect(this, &QTcpServer::acceptError, this, [this](QAbstractSocket::SocketError) {
            QTimer::singleShot(200, this, [this] { resumeAccepting(); });
        });
    }
    ~GuardedTcpServer() override
    {
        for (ConnectionGuard *g : std::as_const(m_guards))
            g->detach();
    }

    // Runs after QHttpServer's own newConnection slot (connected later, in bind()).
    void hookAfterHttpServer()
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            for (const QPointer<ConnectionGuard> &g : std::as_const(m_fresh)) {
                if (g)
                    g->connectAfter();
            }
            m_fresh.clear();
        });
    }

    void release(ConnectionGuard *guard)
    {
        m_guards.removeOne(guard);
        auto it = m_perAddress.find(guard->address());
        if (it != m_perAddress.end() && --*it <= 0)
            m_perAddress.erase(it);
    }

    [[nodiscard]] int connectionCount() const { return int(m_guards.size()); }

#if QT_CONFIG(ssl)
    bool setupTls(const QString &certFile, const QString &keyFile, QString *error)
    {
        QFile cf(certFile);
        QFile kf(keyFile);
        if (!cf.open(QIODevice::ReadOnly) || !kf.open(QIODevice::ReadOnly)) {
            *error = u"cannot read the TLS certificate or key file"_s;
            return false;
        }
        const QList<QSslCertificate> chain = QSslCertificate::fromData(cf.readAll(), QSsl::Pem);
        const QByteArray keyPem = kf.readAll();
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        if (chain.isEmpty() || key.isNull()) {
            *error = u"the TLS certificate or key is not valid PEM (RSA or EC key)"_s;
            return false;
        }
        m_tls = QSslConfiguration::defaultConfiguration();
        m_tls.setLocalCertificateChain(chain);
        m_tls.setPrivateKey(key);
        m_tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        m_useTls = true;
        return true;
    }
#endif

protected:
    void incomingConnection(qintptr descriptor) override
    {
        QTcpSocket *socket = nullptr;
#if QT_CONFIG(ssl)
        if (m_useTls) {
            auto *ssl = new QSslSocket(this);
            if (!ssl->setSocketDescriptor(descriptor)) {
                delete ssl;
                return;
            }
            socket = ssl;
        }
#endif
        if (!socket) {
            socket = new QTcpSocket(this);
            if (!socket->setSocketDescriptor(descriptor)) {
                delete socket;
                return;
            }
        }
        const QString address = unmapped(socket->peerAddress()).toString();
        if (!admit(address)) {
            socket->abort();
            delete socket;
            return;
        }
#if QT_CONFIG(ssl)
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            ssl->setSslConfiguration(m_tls);
            ssl->startServerEncryption();
        }
#endif
        auto *guard = new ConnectionGuard(socket, this, m_limits, address);
        m_guards.append(guard);
        ++m_perAddress[address];
        m_fresh.append(guard);
        addPendingConnection(socket);
    }

private:
    // Whether a new connection from @p address may stay; may close the oldest idle one.
    bool admit(const QString &address)
    {
        const bool trusted = isTrustedProxy(QHostAddress(address), m_limits.trustedProxies);
        if (!trusted && m_perAddress.value(address) >= m_limits.maxPerAddress) {
            logRefusal(address,
                       u"connection refused: %1 connections from this address already"_s.arg(
                               m_limits.maxPerAddress));
            return false;
        }
        if (m_guards.size() < m_limits.maxConnections)
            return true;
        ConnectionGuard *oldest = nullptr;
        for (ConnectionGuard *g : std::as_const(m_guards)) {
            if (g->isIdle() && (!oldest || g->openedAt() < oldest->openedAt()))
                oldest = g;
        }
        if (!oldest) {
            logRefusal(address,
                       u"connection refused: %1 connections open, all busy"_s.arg(
                               m_limits.maxConnections));
            return false;
        }
        logRefusal(oldest->address(),
                   u"closed the oldest idle connection: %1 connections open"_s.arg(
                           m_limits.maxConnections));
        oldest->closeForNewcomer();
        return true;
    }

    // One line per second at most: a flood must not flood the log too.
    void logRefusal(const QString &address, const QString &why)
    {
        ++m_refused;
        if (m_refusalLog.isValid() && m_refusalLog.elapsed() < 1000)
            return;
        m_refusalLog.start();
        qCInfo(lcSignerAccess).noquote()
                << u"status=- method=- path=- latency_ms=0 client=%1 caller=- scope=- "
                   "reason=\"%2 (%3 connections refused or closed so far)\""_s
                           .arg(address, why, QString::number(m_refused));
    }

    const ConnectionLimits m_limits;
    QList<QPointer<ConnectionGuard>> m_fresh;
    QList<ConnectionGuard *> m_guards;
    QHash<QString, int> m_perAddress;
    QElapsedTimer m_refusalLog;
    quint64 m_refused = 0;
#if QT_CONFIG(ssl)
    bool m_useTls = false;
    QSslConfiguration m_tls;
#endif
};

ConnectionGuard::~ConnectionGuard()
{
    retire();
}

void ConnectionGuard::retire()
{
    if (m_owner)
        m_owner->release(this);
    m_owner = nullptr;
}

struct SignerServer::Pending
{
    QElapsedTimer timer;
    QByteArray method;
    QString path;
    QString client;
    QString caller = u"-"_s;
    QString scope = u"-"_s;
    QString cache = u"-"_s;
    QByteArray origin;
    QString route;
    QString requestId; ///< the signer's own id, in the access log and in every error answer
};

SignerServer::SignerServer(SignerCore *core, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_callerLimiter(core->config().ratePerSecond, core->config().rateBurst)
    , m_anonLimiter(core->config().anonRatePerSecond, core->config().anonBurst)
{
    for (const QString &cidr : core->config().trustedProxies) {
        const auto subnet = QHostAddress::parseSubnet(cidr);
        if (!subnet.first.isNull())
            m_trustedProxies.append({subnet.first, subnet.second});
    }
    for (const QString &route : {u"/sign"_s, u"/sts"_s, u"/healthz"_s}) {
        m_http.route(route,
                     [this, route](const QHttpServerRequest &request, ResponderRef responder) {
                         handle(request, responder, route);
                     });
    }
    m_http.setMissingHandler([this](const QHttpServerRequest &request, ResponderRef responder) {
        handle(request, responder, QString());
    });
}

SignerServer::~SignerServer() = default;

bool SignerServer::start(const QHostAddress &address, quint16 port, QString *error)
{
    const SignerConfig &config = m_core->config();
    if (!m_auth.configure(config, error))
        return false;
    if (m_auth.isOpen() && !address.isLoopback()) {
        *error = u"refusing to serve %1 without authentication: configure bearer tokens or "
                 "HMAC keys, or bind to 127.0.0.1"_s.arg(address.toString());
        return false;
    }
    ConnectionLimits limits;
    limits.maxBody = config.maxBodyBytes;
    limits.headerTimeoutMs = config.headerTimeoutMs;
    limits.idleTimeoutMs = config.idleTimeoutMs;
    limits.maxPerAddress = config.maxConnectionsPerAddress;
    limits.trustedProxies = m_trustedProxies;
    // Every connection holds a descriptor; running out of them stalls accept() for everybody.
    // Keep a reserve for upstream calls, files and the runtime.
    limits.maxConnections = config.maxConnections;
    struct rlimit nofile = {};
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
        const qint64 reserve = qMax<qint64>(64, qint64(nofile.rlim_cur) / 8);
        const qint64 fit = qMax<qint64>(1, qint64(nofile.rlim_cur) - reserve);
        if (fit < limits.maxConnections) {
            qWarning("lowering the connection cap from %d to %lld to stay below the "
                     "file-descriptor limit %lld",
                     limits.maxConnections, fit, qint64(nofile.rlim_cur));
            limits.maxConnections = int(fit);
        }
    }
    m_maxConnections = limits.maxConnections;
    m_tcp = new GuardedTcpServer(limits, this);
    if (!config.tlsCert.isEmpty()) {
#if QT_CONFIG(ssl)
        if (!m_tcp->setupTls(config.tlsCert, config.tlsKey, error))
            return false;
#else
        *error = u"this Qt build has no TLS support"_s;
        return false;
#endif
    }
    // A short accept queue drops the SYNs of everybody else during a connection flood.
    m_tcp->setListenBacklogSize(qBound(128, limits.maxConnections, 4096));
    if (!m_tcp->listen(address, port)) {
        *error = u"cannot listen on %1:%2: %3"_s.arg(address.toString(), QString::number(port),
                                                     m_tcp->errorString());
        return false;
    }
    m_http.bind(m_tcp);
    m_tcp->hookAfterHttpServer();
    return true;
}

quint16 SignerServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

int SignerServer::connectionCount() const
{
    return m_tcp ? m_tcp->connectionCount() : 0;
}

QHostAddress SignerServer::clientAddress(const QHostAddress &peer, const QByteArray &forwardedFor,
                                         const QList<std::pair<QHostAddress, int>> &trustedProxies)
{
    QHostAddress client = unmapped(peer);
    if (forwardedFor.isEmpty() || !isTrustedProxy(client, trustedProxies))
        return client;
    // Each proxy appends the address it saw: walk from the right past our own proxies.
    const QList<QByteArray> hops = forwardedFor.split(',');
    for (qsizetype i = hops.size() - 1; i >= 0; --i) {
        const QHostAddress hop(QString::fromLatin1(hops.at(i).trimmed()));
        if (hop.isNull())
            break; // garbage from an untrusted hop: the last trusted view stands
        client = unmapped(hop);
        if (!isTrustedProxy(client, trustedProxies))
            break;
    }
    return client;
}

void SignerServer::corsHeaders(const QByteArray &origin,
                               QList<std::pair<QByteArray, QByteArray>> *out, bool preflight) const
{
    if (origin.isEmpty())
        return;
    const QStringList &allowed = m_core->config().corsOrigins;
    const QString o = QString::fromUtf8(origin);
    if (!allowed.contains(o) && !allowed.contains(u"*"_s))
        return;
    out->emplace_back("Access-Control-Allow-Origin", origin);
    out->emplace_back("Vary", "Origin");
    out->emplace_back("Access-Control-Expose-Headers", "Date");
    if (preflight) {
        out->emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        out->emplace_back("Access-Control-Allow-Headers", "Authorization, Content-Type");
        out->emplace_back("Access-Control-Max-Age", "600");
    }
}

void SignerServer::respond(QHttpServerResponder &responder, const std::shared_ptr<Pending> &ctx,
                           int status, const QJsonObject &body,
                           const QList<std::pair<QByteArray, QByteArray>> &extra)
{
    QHttpServerResponse response("application/json"_ba,
                                 QJsonDocument(body).toJson(QJsonDocument::Compact),
                                 static_cast<QHttpServerResponse::StatusCode>(status));
    response.setHeader("Date"_ba, httpDateNow());
    response.setHeader("Cache-Control"_ba, "no-store"_ba);
    QList<std::pair<QByteArray, QByteArray>> headers = extra;
    corsHeaders(ctx->origin, &headers, false);
    for (const auto &[k, v] : std::as_const(headers))
        response.setHeader(k, v);
    sendResponse(responder, response);
    qCInfo(lcSignerAccess).noquote()
            << u"status=%1 method=%2 path=%3 latency_ms=%4 client=%5 caller=%6 scope=\"%7\" "
               "cache=%8 id=%9"_s.arg(QString::number(status), QString::fromLatin1(ctx->method),
                                      ctx->path,
                                      QString::number(ctx->timer.nsecsElapsed() / 1e6, 'f', 2),
                                      ctx->client, ctx->caller, ctx->scope, ctx->cache,
                                      ctx->requestId);
}

void SignerServer::respondError(QHttpServerResponder &responder,
                                const std::shared_ptr<Pending> &ctx, const SignerError &error)
{
    QList<std::pair<QByteArray, QByteArray>> extra;
    if (error.status == 401)
        extra.emplace_back("WWW-Authenticate", "Bearer realm=\"cos-signer\"");
    if (error.retryAfter > 0)
        extra.emplace_back("Retry-After", QByteArray::number(error.retryAfter));
    if (error.status == 405)
        extra.emplace_back("Allow",
                           ctx->route == "/sts"_L1 ? "GET, POST, OPTIONS"_ba : "GET, OPTIONS"_ba);
    SignerError answered = error;
    answered.requestId = ctx->requestId;
    QJsonObject body = ctx->route == "/sign"_L1 ? legacyErrorJson(answered)
                                                : modernErrorJson(answered);
    if (ctx->route == "/sign"_L1)
        body.insert(u"requestId"_s, ctx->requestId);
    respond(responder, ctx, error.status, body, extra);
}

SignerError SignerServer::clientFacing(const SignerError &error, const QString &requestId) const
{
    if (!error.code.startsWith("Upstream"_L1))
        return error;
    // The upstream's text may echo key ids or name internal hosts: it goes to the log only.
    QString detail = error.message;
    if (!error.upstreamCode.isEmpty() && !detail.contains(error.upstreamCode))
        detail = error.upstreamCode + u": "_s + detail;
    const SignerConfig &config = m_core->config();
    for (const QString &secret : {config.secretId, config.secretKey}) {
        if (secret.size() >= 4)
            detail.replace(secret, u"<redacted>"_s);
    }
    static const QRegularExpression keyIds(u"\\b(AKID|AKIA|ASIA)[A-Za-z0-9]{4,}"_s);
    detail.replace(keyIds, u"\\1<redacted>"_s);
    qCWarning(lcSignerUpstream).noquote()
            << u"id=%1 code=%2 upstream_code=%3 upstream_request_id=%4 detail=\"%5\""_s
                       .arg(requestId, error.code, escapeForLog(error.upstreamCode, 64),
                            escapeForLog(error.requestId, 64), escapeForLog(detail, 400));
    SignerError generic = SignerError::make(
            error.status == 504 ? 504 : 502, u"UpstreamError"_s,
            u"the credential service could not issue credentials; the signer's log has the "
            "details under request id %1"_s.arg(requestId));
    return generic;
}

void SignerServer::handle(const QHttpServerRequest &request, QHttpServerResponder &responder,
                          const QString &route)
{
    auto ctx = std::make_shared<Pending>();
    ctx->timer.start();
    ctx->route = route;
    ctx->requestId = newRequestId();
    QByteArray forwardedFor;
    if (!m_trustedProxies.isEmpty()) {
        for (const auto &[name, value] : request.headers()) {
            if (name.compare("X-Forwarded-For", Qt::CaseInsensitive) == 0)
                forwardedFor += (forwardedFor.isEmpty() ? ""_ba : ","_ba) + value;
        }
    }
    ctx->client = escapeForLog(clientAddress(request.remoteAddress(), forwardedFor, m_trustedProxies)
                                       .toString(),
                               64);
    ctx->path = sanitizeForLog(request.url().path());
    ctx->origin = request.value("Origin"_ba);
    switch (request.method()) {
    case QHttpServerRequest::Method::Get:
        ctx->method = "GET"_ba;
        break;
    case QHttpServerRequest::Method::Post:
        ctx->method = "POST"_ba;
        break;
    case QHttpServerRequest::Method::Options:
        ctx->method = "OPTIONS"_ba;
        break;
    default:
        ctx->method = "OTHER"_ba;
        break;
    }

    if (route.isEmpty()) {
        respond(responder, ctx, 404, notFoundJson(ctx->path));
        return;
    }
    if (ctx->method == "OPTIONS") {
        QList<std::pair<QByteArray, QByteArray>> headers;
        corsHeaders(ctx->origin, &headers, true);
        if (headers.isEmpty()) {
            respondError(responder, ctx,
                         SignerError::make(403, u"CorsOriginNotAllowed"_s,
                                           u"origin is not in the signer's CORS list"_s));
            return;
        }
        // Preflight headers are complete here; respond() adds the simple CORS ones again.
        headers.removeIf([](const auto &h) {
            return h.first == "Access-Control-Allow-Origin" || h.first == "Vary"
                    || h.first == "Access-Control-Expose-Headers";
        });
        respond(responder, ctx, 200, QJsonObject {}, headers);
        return;
    }
    const bool methodOk = ctx->method == "GET" || (route == "/sts"_L1 && ctx->method == "POST");
    if (!methodOk) {
        respondError(responder, ctx,
                     SignerError::make(405, u"MethodNotAllowed"_s,
                                       u"%1 does not accept this method"_s.arg(route)));
        return;
    }
    if (route == "/healthz"_L1) {
        respond(responder, ctx, 200,
                QJsonObject {{u"status"_s, u"ok"_s},
                             {u"version"_s, productVersion()},
                             {u"backend"_s, m_core->backend()->name()},
                             {u"cacheEntries"_s, m_core->cache().size()},
                             {u"upstreamCalls"_s, qint64(m_core->cache().upstreamCalls())}});
        return;
    }

    const QByteArray body = request.body();
    if (body.size() > m_core->config().maxBodyBytes) {
        respondError(responder, ctx,
                     SignerError::make(413, u"PayloadTooLarge"_s,
                                       u"request body exceeds %1 bytes"_s.arg(
                                               m_core->config().maxBodyBytes)));
        return;
    }
    // Authenticate first, so that one caller's budget is theirs alone (behind a proxy every
    // caller shares its address); failures and open (loopback) mode count per address.
    QString uid;
    const SignerError authError =
            m_auth.authenticate(request.value("Authorization"_ba), ctx->method,
                                request.url().path(QUrl::FullyEncoded).toUtf8(), body,
                                QDateTime::currentSecsSinceEpoch(), &uid);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    int retryAfter = 0;
    bool allowed = true;
    double rate = 0;
    if (authError) {
        allowed = m_anonLimiter.allow(ctx->client, nowMs, &retryAfter);
        rate = m_core->config().anonRatePerSecond;
    } else {
        allowed = m_callerLimiter.allow(m_auth.isOpen() ? u"address "_s + ctx->client
                                                        : u"uid "_s + uid,
                                        nowMs, &retryAfter);
        rate = m_core->config().ratePerSecond;
    }
    if (!allowed) {
        SignerError e = SignerError::make(429, u"TooManyRequests"_s,
                                          u"rate limit of %1 requests/s exceeded; retry in %2 s"_s
                                                  .arg(rate)
                                                  .arg(retryAfter));
        e.retryAfter = retryAfter;
        respondError(responder, ctx, e);
        return;
    }
    if (authError) {
        respondError(responder, ctx, authError);
        return;
    }
    ctx->caller = uid;

    IssueRequest issue;
    ScopePresentation shown;
    const bool post = ctx->method == "POST";
    const SignerError resolveError = post ? m_core->resolve(uid, body, &issue)
                                          : m_core->defaultRequest(uid, &issue, &shown);
    if (resolveError) {
        respondError(responder, ctx, resolveError);
        return;
    }
    if (post)
        shown = m_core->presentation(issue);
    ctx->scope = shown.logText;

    const bool legacy = route == "/sign"_L1;
    auto answer = [this, ctx, legacy, scope = shown.scope](QHttpServerResponder &r,
                                                           const IssueResult &result) {
        ctx->cache = result.cacheHit ? u"hit"_s : u"miss"_s;
        if (result.error) {
            respondError(r, ctx, clientFacing(result.error, ctx->requestId));
            return;
        }
        respond(r, ctx, 200,
                legacy ? legacyJson(result.credentials, scope)
                       : modernJson(result.credentials, result.serverTime, scope));
    };

    IssueResult cached;
    if (m_core->answerFromCache(issue, &cached)) {
        answer(responder, cached);
        return;
    }
    // Upstream call: the verified 6.4 pattern (responder owned by a shared_ptr, socket
    // watched by a QPointer; the request object is not touched after this point).
    auto shared = std::make_shared<QHttpServerResponder>(std::move(responder));
    QPointer<QTcpSocket> socket = shared->socket();
    QPointer<SignerServer> self = this;
    m_core->issue(issue, [self, shared, socket, answer, ctx](const IssueResult &result) {
        if (!self)
            return;
        if (!socket) {
            if (result.error)
                self->clientFacing(result.error, ctx->requestId);
            qCInfo(lcSignerAccess).noquote()
                    << u"status=499 method=%1 path=%2 latency_ms=%3 client=%4 caller=%5 "
                       "reason=\"client went away before STS answered\""_s
                               .arg(QString::fromLatin1(ctx->method), ctx->path,
                                    QString::number(ctx->timer.nsecsElapsed() / 1e6, 'f', 2),
                                    ctx->client, ctx->caller);
            return;
        }
        answer(*shared, result);
    });
}

} // namespace Signer
