// The cos-signer binary under hostile clients: a connection flood from one address under a low
// file-descriptor limit, a request that never completes, and Qt's HTTP debug logging turned on
// (no credential may reach the log).
#include <faketencentsts.h>

#include <QElapsedTimer>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

#include <sys/resource.h>

#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {
const QString kId = u"AKIDlimitsPermanentId"_s;
const QString kKey = u"limits-PERMANENT-secret-key"_s;
const QString kToken = u"bearer-token-for-alice-limits-0123"_s;
} // namespace

class TestSignerLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void connectionFloodFromOneAddress_data();
    void connectionFloodFromOneAddress();
    void halfSentRequestClosedWithinHeaderTimeout();
    void debugLoggingRedacted_data();
    void debugLoggingRedacted();

private:
    // Starts cos-signer (under `ulimit -n` when @p nofile > 0); false if it did not come up.
    bool startSigner(const QStringList &extraArgs, int nofile = 0,
                     const QProcessEnvironment &extraEnv = {});
    QByteArray httpGet(const QByteArray &path, const QByteArray &extraHeaders = {},
                       int timeoutMs = 5000, qint64 *elapsedMs = nullptr);
    std::unique_ptr<QProcess> m_signer;
    std::unique_ptr<FakeTencentSts> m_fake;
    quint16 m_port = 0;
    QByteArray m_stderr;
};

void TestSignerLimits::initTestCase()
{
    // This process opens more sockets than a default soft limit of 1024 allows.
    struct rlimit nofile = {};
    QVERIFY(getrlimit(RLIMIT_NOFILE, &nofile) == 0);
    if (nofile.rlim_max != RLIM_INFINITY && nofile.rlim_max < 2048)
        QSKIP("the hard file-descriptor limit is below 2048");
    nofile.rlim_cur = nofile.rlim_max == RLIM_INFINITY ? 4096 : qMin<rlim_t>(nofile.rlim_max, 4096);
    QVERIFY(setrlimit(RLIMIT_NOFILE, &nofile) == 0);
}

void TestSignerLimits::cleanup()
{
    if (m_signer) {
        m_signer->terminate();
        if (!m_signer->waitForFinished(10000))
            m_signer->kill();
        m_signer->waitForFinished(5000);
        m_signer.reset();
    }
    m_fake.reset();
}

bool TestSignerLimits::startSigner(const QStringList &extraArgs, int nofile,
                                   const QProcessEnvironment &extraEnv)
{
    m_stderr.clear();
    m_fake = std::make_unique<FakeTencentSts>(kId, kKey);
    if (!m_fake->start())
        return false;
    m_signer = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"COS_SIGNER_SECRET_ID"_s, kId);
    env.insert(u"COS_SIGNER_SECRET_KEY"_s, kKey);
    env.insert(u"COS_SIGNER_TOKENS"_s, u"alice:"_s + kToken);
    for (const QString &k : extraEnv.keys())
        env.insert(k, extraEnv.value(k));
    m_signer->setProcessEnvironment(env);
    const QStringList args = QStringList {u"--port"_s,         u"0"_s,
                                          u"--appid"_s,        u"1250000000"_s,
                                          u"--bucket"_s,       u"examplebucket"_s,
                                          u"--region"_s,       u"ap-guangzhou"_s,
                                          u"--sts-endpoint"_s, m_fake->url().toString()}
            + extraArgs;
    if (nofile > 0) {
        m_signer->start(u"/bin/sh"_s,
                        QStringList {u"-c"_s, u"ulimit -n %1 && exec \"$0\" \"$@\""_s.arg(nofile),
                                     QStringLiteral(COS_SIGNER_PATH)}
                                + args);
    } else {
        m_signer->start(QStringLiteral(COS_SIGNER_PATH), args);
    }
    static const QRegularExpression listening(u"listening on http://127\\.0\\.0\\.1:(\\d+)"_s);
    QRegularExpressionMatch match;
    const bool up = QTest::qWaitFor(
            [&] {
                m_stderr += m_signer->readAllStandardError();
                match = listening.match(QString::fromUtf8(m_stderr));
                return match.hasMatch() || m_signer->state() == QProcess::NotRunning;
            },
            30000);
    if (!up || !match.hasMatch()) {
        qWarning("cos-signer did not start: %s", m_stderr.constData());
        return false;
    }
    m_port = quint16(match.captured(1).toUInt());
    return true;
}

QByteArray TestSignerLimits::httpGet(const QByteArray &path, const QByteArray &extraHeaders,
                                     int timeoutMs, qint64 *elapsedMs)
{
    QElapsedTimer t;
    t.start();
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QByteArray answer;
    bool connected = false;
    const bool done = QTest::qWaitFor(
            [&] {
                if (!connected && socket.state() == QAbstractSocket::ConnectedState) {
                    connected = true;
                    socket.write("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                 + extraHeaders + "\r\n");
                }
                answer += socket.readAll();
                return socket.state() == QAbstractSocket::UnconnectedState
                        || (answer.contains("\r\n\r\n") && answer.endsWith('}'));
            },
            timeoutMs);
    if (elapsedMs)
        *elapsedMs = t.elapsed();
    return done ? answer : QByteArray();
}

void TestSignerLimits::connectionFloodFromOneAddress_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("per-address cap") << QStringList();
    // Without a per-address cap in the way, the total cap closes the oldest idle connections.
    QTest::newRow("total cap") << QStringList {u"--max-connections-per-address"_s, u"5000"_s};
}

void TestSignerLimits::connectionFloodFromOneAddress()
{
    QFETCH(QStringList, args);
    QVERIFY(startSigner(args, 1024));
    std::vector<std::unique_ptr<QTcpSocket>> flood;
    for (int i = 0; i < 1100; ++i) {
        auto s = std::make_unique<QTcpSocket>();
        if (!s->bind(QHostAddress(u"127.0.0.3"_s), 0))
            QSKIP("cannot bind to 127.0.0.3");
        s->connectToHost(QHostAddress::LocalHost, m_port);
        flood.push_back(std::move(s));
        if (i % 100 == 99)
            QTest::qWait(20);
    }
    // Let the signer take (or refuse) them; bounded, whatever the outcome.
    (void)QTest::qWaitFor(
            [&] {
                return std::none_of(flood.cbegin(), flood.cend(), [](const auto &s) {
                    return s->state() == QAbstractSocket::ConnectingState
                            || s->state() == QAbstractSocket::HostLookupState;
                });
            },
            15000);
    QTest::qWait(500);
    const auto open = std::count_if(flood.cbegin(), flood.cend(), [](const auto &s) {
        return s->state() == QAbstractSocket::ConnectedState;
    });
    qInfo("%lld of 1100 flood connections still open", qint64(open));
    qint64 elapsed = 0;
    const QByteArray answer = httpGet("/healthz", {}, 2000, &elapsed);
    m_stderr += m_signer->readAllStandardError();
    QVERIFY2(answer.startsWith("HTTP/1.1 200"),
             qPrintable(u"no /healthz answer within 2 s (%1 ms): %2\n%3"_s.arg(elapsed)
                                .arg(QString::fromUtf8(answer.left(200)),
                                     QString::fromUtf8(m_stderr.right(3000)))));
    QVERIFY(elapsed < 2000);
    flood.clear();
    m_stderr += m_signer->readAllStandardError();
    QVERIFY(m_stderr.contains("connection"));
}

void TestSignerLimits::halfSentRequestClosedWithinHeaderTimeout()
{
    QVERIFY(startSigner({u"--header-timeout"_s, u"700"_s}));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_port);
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /healthz HTTP/1.1\r\nHost: x"); // no final CRLFs, ever
    QElapsedTimer t;
    t.start();
    QVERIFY(QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; },
                            10000));
    QVERIFY2(t.elapsed() < 700 + 1500, qPrintable(QString::number(t.elapsed())));
    QVERIFY(httpGet("/healthz").startsWith("HTTP/1.1 200"));
}

void TestSignerLimits::debugLoggingRedacted_data()
{
    QTest::addColumn<bool>("debugHttp");
    QTest::newRow("QT_LOGGING_RULES only") << false;
    QTest::newRow("--debug-http") << true;
}

void TestSignerLimits::debugLoggingRedacted()
{
    QFETCH(bool, debugHttp);
    QProcessEnvironment env;
    env.insert(u"QT_LOGGING_RULES"_s, u"*.debug=true"_s);
    QVERIFY(startSigner(debugHttp ? QStringList {u"--debug-http"_s} : QStringList {}, 0, env));
    const QByteArray ok = httpGet("/sts", "Authorization: Bearer " + kToken.toUtf8() + "\r\n");
    QVERIFY2(ok.startsWith("HTTP/1.1 200"), ok.constData());
    const QByteArray bad = httpGet("/sts", "Authorization: Bearer not-the-token-0123456789\r\n");
    QVERIFY(bad.startsWith("HTTP/1.1 401"));
    const QByteArray hmac =
            httpGet("/sts",
                    "Authorization: CosSigner-HMAC-SHA256 Credential=x, Timestamp=1, "
                    "Signature=feedfacefeedface\r\n");
    QVERIFY(hmac.startsWith("HTTP/1.1 401"));
    QTest::qWait(300);
    m_stderr += m_signer->readAllStandardError();
    const QString log = QString::fromUtf8(m_stderr);
    QVERIFY(log.contains(u"status=200"_s));
    const QJsonObject creds = QJsonDocument::fromJson(ok.mid(ok.indexOf("\r\n\r\n") + 4))
                                      .object()
                                      .value("credentials"_L1)
                                      .toObject();
    const QStringList secrets = {kKey,
                                 kToken,
                                 u"not-the-token-0123456789"_s,
                                 u"feedfacefeedface"_s,
                                 creds.value("tmpSecretKey"_L1).toString(),
                                 creds.value("sessionToken"_L1).toString()};
    for (const QString &secret : secrets) {
        QVERIFY(!secret.isEmpty());
        QVERIFY2(!log.contains(secret), qPrintable(u"'%1' in the log:\n%2"_s.arg(secret, log)));
    }
    // Without --debug-http Qt's HTTP server logs nothing, whatever QT_LOGGING_RULES says.
    if (!debugHttp)
        QVERIFY2(!log.contains(u"Authorization"_s, Qt::CaseInsensitive), qPrintable(log));
}

QTEST_GUILESS_MAIN(TestSignerLimits)
#include "tst_signer_limits.moc"
