#include "scriptedhttpserver.h"

#include <QCryptographicHash>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#ifndef QT_NO_SSL
#    include <QSslSocket>
#endif

QByteArray ReceivedRequest::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

int ReceivedRequest::headerCount(QByteArrayView name) const
{
    int n = 0;
    for (const auto &h : headers)
        n += QByteArrayView(h.first).compare(name, Qt::CaseInsensitive) == 0 ? 1 : 0;
    return n;
}

ScriptedResponse ScriptedResponse::ok(const QByteArray &body, const QByteArray &extra)
{
    return raw("HTTP/1.1 200 OK\r\n" + extra + "Content-Length: " + QByteArray::number(body.size())
               + "\r\n\r\n" + body);
}

ScriptedResponse ScriptedResponse::http(int status,
                                        const QList<QPair<QByteArray, QByteArray>> &headers,
                                        const QByteArray &body, const QByteArray &reason)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    for (const auto &[n, v] : headers)
        out += n + ": " + v + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return raw(out);
}

ScriptedResponse ScriptedResponse::raw(const QByteArray &bytes)
{
    ScriptedResponse a;
    a.bytes = bytes;
    return a;
}

ScriptedResponse ScriptedResponse::truncated(const QByteArray &bytes)
{
    ScriptedResponse a = raw(bytes);
    a.closeAfter = true;
    return a;
}

ScriptedResponse ScriptedResponse::close()
{
    ScriptedResponse a;
    a.closeNow = true;
    return a;
}

ScriptedResponse ScriptedResponse::stalled()
{
    ScriptedResponse a;
    a.stall = true;
    return a;
}

struct ScriptedHttpServer::Conn
{
    int index = 0;
    QByteArray buf;
    bool inBody = false;
    ReceivedRequest current;
    ScriptedResponse answer;
    QCryptographicHash hash {QCryptographicHash::Sha1};
    bool stalled = false;
    bool discard = false;
};

ScriptedHttpServer::ScriptedHttpServer(Handler handler, QTcpServer *server)
    : m_handler(std::move(handler))
    , m_server(server ? server : new QTcpServer(this))
{
    m_server->setParent(this);
    // QSslServer queues a connection once its handshake is done; which of the two signals
    // says so differs between Qt versions.
    const auto take = [this] {
        while (QTcpSocket *s = m_server->nextPendingConnection())
            adopt(s);
    };
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this, take);
    connect(m_server, &QTcpServer::newConnection, this, take);
    m_server->listen(QHostAddress::LocalHost, 0);
}

ScriptedHttpServer::~ScriptedHttpServer()
{
    qDeleteAll(m_conns);
}

quint16 ScriptedHttpServer::port() const
{
    return m_server->serverPort();
}

QUrl ScriptedHttpServer::url(const QString &path, const QString &scheme) const
{
    return QUrl(QStringLiteral("%1://127.0.0.1:%2%3").arg(scheme).arg(port()).arg(path));
}

void ScriptedHttpServer::unstall()
{
    for (auto it = m_conns.begin(); it != m_conns.end(); ++it) {
        it.value()->stalled = false;
        it.value()->discard = true;
        it.key()->readAll();
    }
}

void ScriptedHttpServer::adopt(QTcpSocket *s)
{
    s->setParent(this);
    // A small buffer makes a stalled connection push back on the client. (QSslSocket can
    // stall on a limited buffer with decrypted data left over, so not there.)
#ifndef QT_NO_SSL
    if (!qobject_cast<QSslSocket *>(s))
#endif
        s->setReadBufferSize(64 * 1024);
    auto *c = new Conn;
    c->index = ++accepted;
    m_conns.insert(s, c);
    connect(s, &QTcpSocket::readyRead, this, [this, s] { onData(s); });
    connect(s, &QTcpSocket::disconnected, this, [this, s] {
        ++disconnects;
        delete m_conns.take(s);
        s->deleteLater();
    });
}

void ScriptedHttpServer::onData(QTcpSocket *s)
{
    Conn *c = m_conns.value(s);
    if (c && c->discard)
        s->readAll();
    if (!c || c->stalled || c->discard)
        return;
    for (;;) {
        if (!c->inBody) {
            c->buf += s->read(256 * 1024);
            const qsizetype end = c->buf.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            c->current = ReceivedRequest();
            c->current.connection = c->index;
            c->current.head = c->buf.left(end + 4);
            const QList<QByteArray> lines = c->buf.left(end).split('\n');
            c->current.requestLine = lines.value(0).trimmed();
            const QList<QByteArray> words = c->current.requestLine.split(' ');
            c->current.method = words.value(0);
            c->current.path = words.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon < 0)
                    continue;
                const QByteArray name = lines[i].left(colon).trimmed();
                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                c->current.headers.append({name, value});
                if (name.compare("content-length", Qt::CaseInsensitive) == 0)
                    c->current.contentLength = value.toLongLong();
            }
            bytesReceived += end + 4;
            c->buf.remove(0, end + 4);
            c->inBody = true;
            c->hash.reset();
            c->answer = m_handler(c->current);
            if (c->answer.afterHead) {
                requests.append(c->current);
                if (c->answer.closeNow) {
                    s->abort();
                    return;
                }
                c->stalled = true; // the body is never read
                respond(s, c->answer);
                return;
            }
        }
        // Body bytes
        qint64 want = c->current.contentLength - c->current.bodyBytes;
        if (c->answer.stallAfterBody >= 0)
            want = std::min(want, c->answer.stallAfterBody - c->current.bodyBytes);
        if (c->buf.isEmpty() && want > 0)
            c->buf = s->read(std::min<qint64>(want, 256 * 1024));
        const qint64 n = std::min<qint64>(want, c->buf.size());
        if (n > 0) {
            c->hash.addData(QByteArrayView(c->buf).first(n));
            if (keepBodies)
                c->current.body += c->buf.left(n);
            c->current.bodyBytes += n;
            bytesReceived += n;
            c->buf.remove(0, n);
        }
        if (c->answer.stallAfterBody >= 0 && c->current.bodyBytes >= c->answer.stallAfterBody) {
            c->stalled = true;
            return;
        }
        if (c->current.bodyBytes < c->current.contentLength) {
            if (n <= 0 && s->bytesAvailable() == 0)
                return;
            continue;
        }
        c->current.bodySha1 = c->hash.result();
        c->inBody = false;
        requests.append(c->current);
        const ScriptedResponse a = c->answer;
        if (a.closeNow) {
            s->abort();
            return;
        }
        if (a.stall) {
            c->stalled = true;
            return;
        }
        respond(s, a);
        if (a.closeAfter)
            return;
        if (c->buf.isEmpty() && s->bytesAvailable() == 0)
            return;
    }
}

void ScriptedHttpServer::respond(QTcpSocket *s, const ScriptedResponse &a)
{
    if (!a.dribble) {
        s->write(a.bytes);
        if (a.closeAfter)
            s->disconnectFromHost();
        return;
    }
    QPointer<QTcpSocket> guard(s);
    const qsizetype pieces = (a.bytes.size() + 6) / 7;
    for (qsizetype i = 0; i < pieces; ++i) {
        const QByteArray piece = a.bytes.mid(i * 7, 7);
        const bool last = i == pieces - 1;
        QTimer::singleShot(int(i + 1), this, [guard, piece, last, close = a.closeAfter] {
            if (!guard)
                return;
            guard->write(piece);
            guard->flush();
            if (last && close)
                guard->disconnectFromHost();
        });
    }
}
