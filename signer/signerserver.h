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

QT_BEGIN_NAMESPACE
class QTcpSocket;
QT_END_NAMESPACE

namespace Signer {

class GuardedTcpServer;

/**
 * @brief The cos-signer HTTP front end: GET /sign, GET|POST /sts, GET /healthz, JSON 404.
 *
 * Async model: a request whose credentials are cached is answered synchronously. Otherwise
 * the QHttpServerResponder is moved into a shared_ptr and the socket guarded by a QPointer
 * (the pattern verified for QHttpServer 6.4, see docs/signer.md); when the client is gone by
 * the time STS answers, the answer is dropped but the credentials stay cached.
 *
 * The listening QTcpServer is our own (listen, then QHttpServer::bind), which is portable to
 * Qt 6.8, and it screens each connection's bytes before QHttpServer buffers them: bodies over
 * the limit get 413, chunked bodies 411, header blocks over 16 KiB 431.
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

private:
    struct Pending;
    void handle(const QHttpServerRequest &request, QHttpServerResponder &responder,
                const QString &route);
    void respond(QHttpServerResponder &responder, const std::shared_ptr<Pending> &ctx, int status,
                 const QJsonObject &body,
                 const QList<std::pair<QByteArray, QByteArray>> &extra = {});
    void respondError(QHttpServerResponder &responder, const std::shared_ptr<Pending> &ctx,
                      const SignerError &error);
    void corsHeaders(const QByteArray &origin, QList<std::pair<QByteArray, QByteArray>> *out,
                     bool preflight) const;

    SignerCore *m_core;
    QHttpServer m_http;
    GuardedTcpServer *m_tcp = nullptr;
    RequestAuth m_auth;
    RateLimiter m_rateLimiter;
};

} // namespace Signer
