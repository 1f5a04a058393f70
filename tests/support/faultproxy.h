#pragma once

#include <QHostAddress>
#include <QElapsedTimer>
#include <QList>
#include <QObject>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
QT_END_NAMESPACE

/**
 * @brief A fault-injecting TCP proxy on 127.0.0.1 (port 0) for transfer tests.
 *
 * Forwards every connection to a target host and port. Faults are armed by byte counts over all
 * connections in one direction (client to server for uploads, server to client for
 * downloads): when the total crosses a fault's threshold, the connection carrying that byte is
 * reset (Drop), frozen in both directions for a while (Stall) or has that byte inverted
 * (Corrupt), and the fault is used up.
 * Several faults may be armed at once; they fire in order of their thresholds.
 *
 * Runs in the thread that creates it; sockets use small read buffers, so a frozen connection
 * pushes back on the sender instead of buffering the transfer in memory.
 */
class FaultProxy : public QObject
{
    Q_OBJECT

public:
    enum class Direction { Upstream, Downstream };
    enum class Action { Drop, Stall, Corrupt };

    explicit FaultProxy(QObject *parent = nullptr);
    ~FaultProxy() override;

    /** @brief Starts listening on 127.0.0.1:0 and forwarding to @p host:@p port. */
    bool start(const QHostAddress &host, quint16 port);
    [[nodiscard]] quint16 port() const;

    /** @brief Resets the connection that carries byte number @p afterBytes of @p direction. */
    void dropAfter(qint64 afterBytes, Direction direction = Direction::Upstream);
    /** @brief Freezes that connection for @p stallMs, then lets it pass again. */
    void stallAfter(qint64 afterBytes, int stallMs, Direction direction = Direction::Upstream);
    /** @brief Inverts byte number @p byteNumber (from 0) of @p direction, once. */
    void corruptAt(qint64 byteNumber, Direction direction = Direction::Downstream);
    /**
     * @brief Limits the bytes per second forwarded in @p direction over all connections
     * (0: no limit), so that a transfer lasts long enough to be interrupted.
     */
    void setRateLimit(qint64 bytesPerSecond, Direction direction = Direction::Upstream);
    /** @brief Resets every open connection now. */
    void dropAll();
    /** @brief Removes the faults that have not fired yet. */
    void clearFaults();

    [[nodiscard]] qint64 bytesUp() const { return m_bytes[0]; }
    [[nodiscard]] qint64 bytesDown() const { return m_bytes[1]; }
    [[nodiscard]] int connectionsAccepted() const { return m_accepted; }
    [[nodiscard]] int faultsFired() const { return m_fired; }
    [[nodiscard]] int faultsPending() const { return int(m_faults.size()); }

Q_SIGNALS:
    void faultFired(FaultProxy::Action action);

private:
    struct Fault
    {
        Action action;
        Direction direction;
        qint64 afterBytes;
        int stallMs;
    };
    struct Pipe;

    void onNewConnection();
    void pump(Pipe *pipe);
    void closePipe(Pipe *pipe);
    void resetPipe(Pipe *pipe);
    void addFault(const Fault &fault);
    qint64 allowance(int direction);
    void scheduleRefill();

    QTcpServer *m_server;
    QHostAddress m_targetHost;
    quint16 m_targetPort = 0;
    QList<Fault> m_faults; // sorted by afterBytes within each direction
    QList<Pipe *> m_pipes;
    qint64 m_bytes[2] = {0, 0};
    qint64 m_rate[2] = {0, 0};
    double m_tokens[2] = {0, 0};
    QElapsedTimer m_tokenClock[2];
    bool m_refillScheduled = false;
    int m_accepted = 0;
    int m_fired = 0;
    quint64 m_serial = 0;
};
