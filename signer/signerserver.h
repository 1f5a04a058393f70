#pragma once

#include "ratelimiter.h"
#include "requestauth.h"
#include "signercore.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QLoggingCategory>
#include <QPointer>
#include <QTcpServer>

Q_DECLARE_LOGGING_CATEGORY(lcSignerAccess)
Q_DECLARE_LOGGING_CATEGORY(lcSignerUpstream)

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Signer {

class GuardedTcpServer;
struct ConnectionLimits;

/**
 * @brief The cos-signer HTTP front end: GET /sign, GET|POST /sts, GET /healthz, JSON 404.
 *
 * Async model: a request whose credentials are cached is answered synchronously. Otherwise
 * the QHttpServerResponder is moved into a shared_ptr and the socket guarded by a QPointer
 * (the pattern verified for QHttpServer 6.4, see docs/signer.md); when the client is gone by
 * the time STS answers, the answer is dropped but the credentials stay cached.
 *
 * The listening QTcpServer is our own (listen, then QHttpServer::bind), which is portable to
 * Qt 6.8, and it screens each connection's bytes before QHttpServer buffers them: ambiguous
 * framing gets 400, bodies over the limit 413, Transfer-Encoding 411, header blocks over 16 KiB
 * 431, each followed by closing the connection. It also enforces the header and keep-alive
 * timeouts and the connection caps.
 *
 * Requests are authenticated first and then rate-limited per caller (uid); requests that fail
 * to authenticate share a smaller per-address budget. The client address is the peer, or the
 * X-Forwarded-For entry a trusted proxy reports.
 */
class SignerServer : public QObject
{
    Q_OBJECT
public:
    /** @brief @p core is not owned. */
    explicit SignerServer(SignerCore *core, QObject *parent = nullptr);
    ~SignerServer() override;

    /**
     * @brief Loads auth, checks the address policy (no auth only on loopback) and listens.
     * @p port 0 picks a free port; see port().
     */
    bool start(const QHostAddress &address, quint16 port, QString *error);
    [[nodiscard]] quint16 port() const;
    [[nodiscard]] const RequestAuth &auth() const { return m_auth; }
    /** @brief The connection cap in force: the configured one, lowered to fit RLIMIT_NOFILE. */
    [[nodiscard]] int maxConnections() const { return m_maxConnections; }
    /** @brief Connections currently open. */
    [[nodiscard]] int connectionCount() const;

    /**
     * @brief The client a request comes from: @p peer, or, when @p peer is a trusted proxy,
     * the right-most X-Forwarded-For entry that is not itself a trusted proxy.
     */
    static QHostAddress clientAddress(const QHostAddress &peer, const QByteArray &forwardedFor,
                                      const QList<std::pair<QHostAddress, int>> &trustedProxies);

private:
    struct Pending;
    void handle(const QHttpServerRequest &request, QHttpServerResponder &responder,
                const QString &route);
    void respond(QHttpServerResponder &responder, const std::shared_ptr<Pending> &ctx, int status,
                 const QJsonObject &body,
                 const QList<std::pair<QByteArray, QByteArray>> &extra = {});
    void respondError(QHttpServerResponder &responder, const std::shared_ptr<Pending> &ctx,
                      const SignerError &error);
    // Upstream failures: logs the (redacted) detail, returns the generic answer for clients.
    SignerError clientFacing(const SignerError &error, const QString &requestId) const;
    void corsHeaders(const QByteArray &origin, QList<std::pair<QByteArray, QByteArray>> *out,
                     bool preflight) const;

    SignerCore *m_core;
    QHttpServer m_http;
    GuardedTcpServer *m_tcp = nullptr;
    RequestAuth m_auth;
    RateLimiter m_callerLimiter;
    RateLimiter m_anonLimiter;
    QList<std::pair<QHostAddress, int>> m_trustedProxies;
    int m_maxConnections = 0;
};

} // namespace Signer
