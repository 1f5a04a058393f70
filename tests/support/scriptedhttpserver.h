#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QUrl>

#include <functional>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

/** @brief One request a ScriptedHttpServer received. */
struct ReceivedRequest
{
    int connection = 0; ///< 1-based index of the accepted connection
    QByteArray head; ///< request line and headers, up to and including the blank line
    QByteArray requestLine;
    QByteArray method;
    QByteArray path; ///< the request target as sent
    QList<QPair<QByteArray, QByteArray>> headers;
    qint64 contentLength = 0;
    QByteArray body; ///< when the server keeps bodies
    qint64 bodyBytes = 0;
    QByteArray bodySha1;

    /** @brief The first value of the header @p name (any case), or empty. */
    [[nodiscard]] QByteArray header(QByteArrayView name) const;
    [[nodiscard]] int headerCount(QByteArrayView name) const;
};

/** @brief How a ScriptedHttpServer answers one request. */
struct ScriptedResponse
{
    QByteArray bytes; ///< raw bytes, written as they are
    bool afterHead = false; ///< answer as soon as the head arrived; never read the body
    bool closeAfter = false; ///< close the connection after writing the bytes
    bool closeNow = false; ///< close at once, without answering (with afterHead: at the head)
    bool stall = false; ///< never answer (the request was read)
    qint64 stallAfterBody = -1; ///< stop reading the body after this many bytes
    bool dribble = false; ///< write the bytes in 7-byte pieces, 1 ms apart

    /** @brief 200 OK with @p body, a Content-Length and the raw header lines @p extra. */
    static ScriptedResponse ok(const QByteArray &body = "done", const QByteArray &extra = {});
    /** @brief A response of @p status with @p headers and a Content-Length for @p body. */
    static ScriptedResponse http(int status, const QList<QPair<QByteArray, QByteArray>> &headers,
                                 const QByteArray &body, const QByteArray &reason = "X");
    static ScriptedResponse raw(const QByteArray &bytes);
    /** @brief @p bytes (e.g. a response cut short), then the connection closes. */
    static ScriptedResponse truncated(const QByteArray &bytes);
    static ScriptedResponse close();
    static ScriptedResponse stalled();
};

/**
 * @brief A scripted HTTP/1.1 server on 127.0.0.1 (port chosen by the system) for tests.
 *
 * It parses the requests of each connection (bodies by Content-Length), records them in
 * requests, and answers each with what the handler returns for it: raw bytes, optionally
 * dribbled, then a close; or a close, a stall, an answer before the body is read. Bodies are
 * hashed as they come and kept only when keepBodies is set, so big uploads cost no memory
 * here. Pass a QSslServer as @p server for HTTPS.
 */
class ScriptedHttpServer : public QObject
{
public:
    using Handler = std::function<ScriptedResponse(const ReceivedRequest &)>;

    explicit ScriptedHttpServer(Handler handler, QTcpServer *server = nullptr);
    ~ScriptedHttpServer() override;

    [[nodiscard]] quint16 port() const;
    /** @brief http(s)://127.0.0.1:<port><path>. */
    [[nodiscard]] QUrl url(const QString &path = QStringLiteral("/bkt/key"),
                           const QString &scheme = QStringLiteral("http")) const;
    /** @brief Stalled connections read again (dropping what comes), so that a close is seen. */
    void unstall();

    bool keepBodies = true;
    QList<ReceivedRequest> requests;
    int accepted = 0;
    int disconnects = 0;
    qint64 bytesReceived = 0;

private:
    struct Conn;
    void adopt(QTcpSocket *s);
    void onData(QTcpSocket *s);
    void respond(QTcpSocket *s, const ScriptedResponse &a);

    Handler m_handler;
    QTcpServer *m_server;
    QHash<QTcpSocket *, Conn *> m_conns;
};
