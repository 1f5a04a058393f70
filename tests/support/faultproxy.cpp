#include "faultproxy.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace {
constexpr qint64 kSocketBuffer = 64 * 1024;
constexpr qint64 kMaxPendingWrite = 256 * 1024;
} // namespace

struct FaultProxy::Pipe
{
    QTcpSocket *client = nullptr;
    QTcpSocket *server = nullptr;
    bool serverConnected = false;
    bool stalled = false;
    bool closing = false;
    bool draining = false;
    quint64 serial = 0;
};

FaultProxy::FaultProxy(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    for (Pipe *p : std::as_const(m_pipes))
        delete p; // sockets are children of this and go with it
}

bool FaultProxy::start(const QHostAddress &host, quint16 port)
{
    m_targetHost = host;
    m_targetPort = port;
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FaultProxy::port() const
{
    return m_server->serverPort();
}

void FaultProxy::addFault(const Fault &fault)
{
    m_faults.append(fault);
    std::stable_sort(m_faults.begin(), m_faults.end(),
                     [](const Fault &a, const Fault &b) { return a.afterBytes < b.afterBytes; });
}

void FaultProxy::dropAfter(qint64 afterBytes, Direction direction)
{
    addFault({Action::Drop, direction, afterBytes, 0});
}

void FaultProxy::stallAfter(qint64 afterBytes, int stallMs, Direction direction)
{
    addFault({Action::Stall, direction, afterBytes, stallMs});
}

void FaultProxy::corruptAt(qint64 byteNumber, Direction direction)
{
    addFault({Action::Corrupt, direction, byteNumber, 0});
}

void FaultProxy::setRateLimit(qint64 bytesPerSecond, Direction direction)
{
    const int d = direction == Direction::Upstream ? 0 : 1;
    m_rate[d] = qMax<qint64>(0, bytesPerSecond);
    m_tokens[d] = 0;
    m_tokenClock[d].start();
    if (m_rate[d] == 0) {
        for (Pipe *p : std::as_const(m_pipes))
            pump(p);
    }
}

qint64 FaultProxy::allowance(int d)
{
    if (m_rate[d] == 0)
        return std::numeric_limits<qint64>::max();
    // Token bucket holding at most 50 ms of traffic, so bursts stay small.
    const double cap = double(m_rate[d]) / 20;
    m_tokens[d] = qMin(cap, m_tokens[d] + double(m_tokenClock[d].restart()) * m_rate[d] / 1000);
    return qint64(m_tokens[d]);
}

void FaultProxy::scheduleRefill()
{
    if (m_refillScheduled)
        return;
    m_refillScheduled = true;
    QTimer::singleShot(10, this, [this] {
        m_refillScheduled = false;
        const auto pipes = m_pipes;
        for (Pipe *p : pipes) {
            if (m_pipes.contains(p))
                pump(p);
        }
    });
}

void FaultProxy::clearFaults()
{
    m_faults.clear();
}

void FaultProxy::dropAll()
{
    const auto pipes = m_pipes;
    for (Pipe *p : pipes)
        resetPipe(p);
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server->nextPendingConnection()) {
        ++m_accepted;
        auto *pipe = new Pipe;
        pipe->serial = ++m_serial;
        pipe->client = client;
        pipe->server = new QTcpSocket(this);
        client->setParent(this);
        client->setReadBufferSize(kSocketBuffer);
        pipe->server->setReadBufferSize(kSocketBuffer);
        m_pipes.append(pipe);
        auto pumpIt = [this, pipe] { pump(pipe); };
        connect(client, &QTcpSocket::readyRead, this, pumpIt);
        connect(pipe->server, &QTcpSocket::readyRead, this, pumpIt);
        connect(client, &QTcpSocket::bytesWritten, this, pumpIt);
        connect(pipe->server, &QTcpSocket::bytesWritten, this, pumpIt);
        connect(pipe->server, &QTcpSocket::connected, this, [this, pipe] {
            pipe->serverConnected = true;
            pump(pipe);
        });
        auto closeIt = [this, pipe] {
            // Let what was read reach the other side before closing it.
            pipe->draining = true;
            pump(pipe);
            closePipe(pipe);
        };
        connect(client, &QTcpSocket::disconnected, this, closeIt);
        connect(pipe->server, &QTcpSocket::disconnected, this, closeIt);
        connect(client, &QTcpSocket::errorOccurred, this, closeIt);
        connect(pipe->server, &QTcpSocket::errorOccurred, this, closeIt);
        pipe->server->connectToHost(m_targetHost, m_targetPort);
    }
}

void FaultProxy::pump(Pipe *pipe)
{
    if (pipe->closing || (pipe->stalled && !pipe->draining) || !pipe->serverConnected)
        return;
    for (int d = 0; d < 2; ++d) {
        QTcpSocket *from = d == 0 ? pipe->client : pipe->server;
        QTcpSocket *to = d == 0 ? pipe->server : pipe->client;
        const Direction dir = d == 0 ? Direction::Upstream : Direction::Downstream;
        // A refused or reset peer: nowhere to deliver (its state may lag behind its error).
        if (!to->isValid() || to->state() != QAbstractSocket::ConnectedState)
            continue;
        while (from->bytesAvailable() > 0
               && (pipe->draining || to->bytesToWrite() < kMaxPendingWrite)) {
            qint64 want = qMin<qint64>(from->bytesAvailable(), kSocketBuffer);
            const qint64 allowed = pipe->draining ? std::numeric_limits<qint64>::max()
                                                  : allowance(d);
            if (allowed <= 0) {
                scheduleRefill();
                break;
            }
            want = qMin(want, allowed);
            // Stop exactly at the next fault's threshold in this direction.
            const auto next = std::find_if(m_faults.begin(), m_faults.end(),
                                           [dir](const Fault &f) { return f.direction == dir; });
            // A corrupted byte ends its chunk: afterBytes is its number.
            const qint64 stopAt = next == m_faults.end()
                    ? 0
                    : next->afterBytes + (next->action == Action::Corrupt ? 1 : 0);
            if (next != m_faults.end())
                want = qMin(want, qMax<qint64>(0, stopAt - m_bytes[d]));
            if (want > 0) {
                QByteArray data = from->read(want);
                m_bytes[d] += data.size();
                if (next != m_faults.end() && next->action == Action::Corrupt
                    && m_bytes[d] == stopAt && !data.isEmpty())
                    data.back() = char(~uchar(data.back()));
                if (m_rate[d] > 0)
                    m_tokens[d] -= double(data.size());
                to->write(data);
            }
            if (next != m_faults.end() && m_bytes[d] >= stopAt) {
                const Fault f = *next;
                m_faults.erase(next);
                ++m_fired;
                Q_EMIT faultFired(f.action);
                if (f.action == Action::Corrupt)
                    continue;
                if (f.action == Action::Drop) {
                    resetPipe(pipe);
                    return;
                }
                pipe->stalled = true;
                QTimer::singleShot(f.stallMs, this, [this, serial = pipe->serial] {
                    for (Pipe *p : std::as_const(m_pipes)) {
                        if (p->serial == serial) {
                            p->stalled = false;
                            pump(p);
                        }
                    }
                });
                return;
            }
        }
    }
}

void FaultProxy::resetPipe(Pipe *pipe)
{
    if (pipe->closing)
        return;
    pipe->closing = true;
    m_pipes.removeOne(pipe);
    // Disconnect first: abort() emits disconnected() synchronously.
    pipe->client->disconnect(this);
    pipe->server->disconnect(this);
    pipe->client->abort();
    pipe->server->abort();
    pipe->client->deleteLater();
    pipe->server->deleteLater();
    delete pipe;
}

void FaultProxy::closePipe(Pipe *pipe)
{
    if (pipe->closing)
        return;
    pipe->closing = true;
    m_pipes.removeOne(pipe);
    // No more signals into a deleted Pipe.
    pipe->client->disconnect(this);
    pipe->server->disconnect(this);
    // Flush what is queued, then close; deleteLater because we may be inside a socket signal.
    for (QTcpSocket *socket : {pipe->client, pipe->server}) {
        if (socket->state() == QAbstractSocket::UnconnectedState) {
            socket->deleteLater();
        } else {
            connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            socket->disconnectFromHost();
        }
    }
    delete pipe;
}
