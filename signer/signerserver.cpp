#include "signerserver.h"

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
#include <QUrl>
#if QT_CONFIG(ssl)
#    include <QSslCertificate>
#    include <QSslKey>
#    include <QSslSocket>
#endif

#include <memory>

Q_LOGGING_CATEGORY(lcSignerAccess, "cos.signer.access", QtInfoMsg)

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

constexpr int kMaxHeaderBytes = 16 * 1024;
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

QString sanitizeForLog(QString s, int max = 160)
{
    s = s.left(max);
    for (QChar &c : s) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c == u'"')
            c = u'?';
    }
    return s;
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

/**
 * Screens one connection's bytes before QHttpServer reads them: it parses just enough of each
 * request (header block, Content-Length, Transfer-Encoding) to refuse an oversized request
 * before its body is buffered anywhere.
 */
class ConnectionGuard : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, qint64 maxBody)
        : QObject(socket)
        , m_socket(socket)
        , m_maxBody(maxBody)
    {
        connect(socket, &QIODevice::readyRead, this, &ConnectionGuard::beforeRead);
    }

    // Connected after QHttpServer's own readyRead slot: what it left unread stays seen.
    void connectAfter()
    {
        connect(m_socket, &QIODevice::readyRead, this,
                [this] { m_unreadSeen = m_socket->bytesAvailable(); });
    }

private:
    enum class State { Head, Body, Draining };

    void beforeRead()
    {
        if (m_state == State::Draining) {
            drain();
            return;
        }
        const QByteArray all = m_socket->peek(m_socket->bytesAvailable());
        QByteArray fresh = all.mid(m_unreadSeen);
        m_unreadSeen = all.size();
        while (!fresh.isEmpty() && m_state != State::Draining) {
            if (m_state == State::Body) {
                const qint64 n = qMin<qint64>(m_bodyLeft, fresh.size());
                m_bodyLeft -= n;
                fresh = fresh.mid(n);
                if (m_bodyLeft == 0)
                    m_state = State::Head;
                continue;
            }
            m_head += fresh;
            fresh.clear();
            const qsizetype end = m_head.indexOf("\r\n\r\n");
            if (end < 0) {
                if (m_head.size() > kMaxHeaderBytes)
                    reject(431, u"HeadersTooLarge"_s,
                           u"request header block is larger than %1 bytes"_s.arg(kMaxHeaderBytes),
                           0);
                continue;
            }
            const QByteArray headers = m_head.left(end);
            const QByteArray leftover = m_head.mid(end + 4);
            m_head.clear();
            if (end > kMaxHeaderBytes) {
                reject(431, u"HeadersTooLarge"_s,
                       u"request header block is larger than %1 bytes"_s.arg(kMaxHeaderBytes), 0);
                break;
            }
            qint64 contentLength = 0;
            bool chunked = false;
            const QList<QByteArray> lines = headers.split('\n');
            for (const QByteArray &line : lines) {
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0)
                    continue;
                const QByteArray name = line.left(colon).trimmed().toLower();
                const QByteArray value = line.mid(colon + 1).trimmed();
                if (name == "content-length") {
                    bool ok = false;
                    contentLength = value.toLongLong(&ok);
                    if (!ok || contentLength < 0)
                        contentLength = std::numeric_limits<qint64>::max();
                } else if (name == "transfer-encoding" && value.toLower().contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                reject(411, u"LengthRequired"_s,
                       u"chunked request bodies are not accepted; send Content-Length"_s, 0);
                break;
            }
            if (contentLength > m_maxBody) {
                reject(413, u"PayloadTooLarge"_s,
                       u"request body of %1 bytes exceeds the limit of %2 bytes"_s
                               .arg(contentLength == std::numeric_limits<qint64>::max()
                                            ? u"unknown"_s
                                            : QString::number(contentLength))
                               .arg(m_maxBody),
                       contentLength - leftover.size());
                break;
            }
            m_bodyLeft = contentLength;
            m_state = m_bodyLeft > 0 ? State::Body : State::Head;
            fresh = leftover;
        }
    }

    void reject(int status, const QString &code, const QString &message, qint64 drainBytes)
    {
        const QByteArray body = errorBody(status, code, message);
        const char *reason = status == 413 ? "Payload Too Large"
                : status == 411            ? "Length Required"
                                           : "Request Header Fields Too Large";
        QByteArray response = "HTTP/1.1 "_ba + QByteArray::number(status) + ' ' + reason
                + "\r\nContent-Type: application/json\r\nContent-Length: "_ba
                + QByteArray::number(body.size()) + "\r\nDate: "_ba
                + httpDate(QDateTime::currentDateTimeUtc()) + "\r\nConnection: close\r\n\r\n"_ba
                + body;
        m_socket->write(response);
        qCInfo(lcSignerAccess).noquote()
                << u"status=%1 method=- path=- latency_ms=0 client=%2 caller=- scope=- "
                   "reason=\"%3\""_s.arg(QString::number(status),
                                         m_socket->peerAddress().toString(), message);
        m_state = State::Draining;
        // Keep reading (and dropping) the announced body so that the client sees the answer
        // instead of a reset; give up on huge or stalled uploads.
        m_drainLeft = drainBytes > kMaxDrainBytes ? 0 : drainBytes;
        auto *timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, m_socket, &QAbstractSocket::abort);
        timer->start(30000);
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
        if (m_drainLeft <= 0)
            m_socket->disconnectFromHost();
    }

    QTcpSocket *m_socket;
    qint64 m_maxBody;
    State m_state = State::Head;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_drainLeft = 0;
    qint64 m_unreadSeen = 0;
};

} // namespace

/** Our own listening socket: portable QHttpServer::bind(), TLS and the connection guard. */
class GuardedTcpServer : public QTcpServer
{
public:
    GuardedTcpServer(qint64 maxBody, QObject *parent)
        : QTcpServer(parent)
        , m_maxBody(maxBody)
    {
        // Runs after QHttpServer's own newConnection slot (connected later, in bind()).
    }

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
            ssl->setSslConfiguration(m_tls);
            ssl->startServerEncryption();
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
        m_fresh.append(new ConnectionGuard(socket, m_maxBody));
        addPendingConnection(socket);
    }

private:
    qint64 m_maxBody;
    QList<QPointer<ConnectionGuard>> m_fresh;
#if QT_CONFIG(ssl)
    bool m_useTls = false;
    QSslConfiguration m_tls;
#endif
};

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
};

SignerServer::SignerServer(SignerCore *core, QObject *parent)
    : QObject(parent)
    , m_core(core)
    , m_rateLimiter(core->config().ratePerSecond, core->config().rateBurst)
{
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
    m_tcp = new GuardedTcpServer(config.maxBodyBytes, this);
    if (!config.tlsCert.isEmpty()) {
#if QT_CONFIG(ssl)
        if (!m_tcp->setupTls(config.tlsCert, config.tlsKey, error))
            return false;
#else
        *error = u"this Qt build has no TLS support"_s;
        return false;
#endif
    }
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
               "cache=%8"_s.arg(QString::number(status), QString::fromLatin1(ctx->method),
                                ctx->path, QString::number(ctx->timer.nsecsElapsed() / 1e6, 'f', 2),
                                ctx->client, ctx->caller, ctx->scope, ctx->cache);
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
    QJsonObject body = ctx->route == "/sign"_L1 ? legacyErrorJson(error) : modernErrorJson(error);
    respond(responder, ctx, error.status, body, extra);
}

void SignerServer::handle(const QHttpServerRequest &request, QHttpServerResponder &responder,
                          const QString &route)
{
    auto ctx = std::make_shared<Pending>();
    ctx->timer.start();
    ctx->route = route;
    ctx->client = request.remoteAddress().toString();
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

    int retryAfter = 0;
    if (!m_rateLimiter.allow(ctx->client, QDateTime::currentMSecsSinceEpoch(), &retryAfter)) {
        SignerError e = SignerError::make(429, u"TooManyRequests"_s,
                                          u"rate limit of %1 requests/s exceeded; retry in %2 s"_s
                                                  .arg(m_core->config().ratePerSecond)
                                                  .arg(retryAfter));
        e.retryAfter = retryAfter;
        respondError(responder, ctx, e);
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
    QString uid;
    const SignerError authError =
            m_auth.authenticate(request.value("Authorization"_ba), ctx->method,
                                request.url().path(QUrl::FullyEncoded).toUtf8(), body,
                                QDateTime::currentSecsSinceEpoch(), &uid);
    if (authError) {
        respondError(responder, ctx, authError);
        return;
    }
    ctx->caller = uid;

    IssueRequest issue;
    const SignerError resolveError = ctx->method == "POST" ? m_core->resolve(uid, body, &issue)
                                                           : m_core->defaultRequest(uid, &issue);
    if (resolveError) {
        respondError(responder, ctx, resolveError);
        return;
    }
    ctx->scope = sanitizeForLog(describeScopes(issue.scopes), 300);

    const bool legacy = route == "/sign"_L1;
    auto answer = [this, ctx, legacy](QHttpServerResponder &r, const IssueResult &result) {
        ctx->cache = result.cacheHit ? u"hit"_s : u"miss"_s;
        if (result.error) {
            respondError(r, ctx, result.error);
            return;
        }
        respond(r, ctx, 200,
                legacy ? legacyJson(result.credentials)
                       : modernJson(result.credentials, result.serverTime));
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
