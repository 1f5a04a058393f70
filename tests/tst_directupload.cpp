// DirectUploadReply and its connection pool against a scripted HTTP server on 127.0.0.1 (what
// the server receives byte for byte, response framings, errors, keep-alive, early answers,
// timeouts, abort, a 64 MiB body in bounded memory, HTTPS with a test CA), then RequestJob with
// the direct path against the sandbox's RGW, directly and through a connection-dropping proxy.
#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/directupload.h"
#include "faultproxy.h"
#include "cos/net/job.h"
#include "sandboxenv.h"
#include "sandboxpurge.h"
#include "scriptedhttpserver.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QPointer>
#include <QProcess>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#ifndef QT_NO_SSL
#    include <QSslCertificate>
#    include <QSslConfiguration>
#    include <QSslKey>
#    include <QSslServer>
#    include <QSslSocket>
#endif

#include <functional>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using namespace Cos;

namespace {

constexpr qint64 MiB = 1024 * 1024;

// A random-access device of @p size pattern bytes that exist nowhere in memory at once.
class PatternDevice : public QIODevice
{
public:
    explicit PatternDevice(qint64 size)
        : m_size(size)
    { }
    bool isSequential() const override { return false; }
    qint64 size() const override { return m_size; }
    static char byteAt(qint64 i) { return char((i * 131 + (i >> 12)) & 0xff); }
    static QByteArray sha1(qint64 size)
    {
        QCryptographicHash h(QCryptographicHash::Sha1);
        QByteArray block(int(MiB), Qt::Uninitialized);
        for (qint64 off = 0; off < size; off += block.size()) {
            const qint64 n = std::min<qint64>(block.size(), size - off);
            for (qint64 i = 0; i < n; ++i)
                block[i] = byteAt(off + i);
            h.addData(QByteArrayView(block).first(n));
        }
        return h.result();
    }
    qint64 maxRead = 0; ///< largest single read asked for

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        maxRead = std::max(maxRead, maxSize);
        const qint64 n = std::min(maxSize, m_size - pos());
        for (qint64 i = 0; i < n; ++i)
            data[i] = byteAt(pos() + i);
        return std::max<qint64>(n, 0);
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    qint64 m_size;
};

QNetworkRequest putRequest(const QUrl &url, qint64 length)
{
    QNetworkRequest r(url);
    r.setRawHeader("Host", url.host().toLatin1() + ':' + QByteArray::number(url.port()));
    r.setRawHeader("Content-Length", QByteArray::number(length));
    r.setTransferTimeout(10000);
    return r;
}

struct Run
{
    std::unique_ptr<DirectUploadReply> reply;
    QByteArray body;
    int finishedCount = 0;
    int metaDataCount = 0;
    qint64 maxUploadProgress = 0;
};

// Starts a PUT of @p device and collects what the caller of a QNetworkReply sees.
std::unique_ptr<Run> startPut(DirectConnectionPool *pool, const QNetworkRequest &request,
                              QIODevice *device)
{
    auto run = std::make_unique<Run>();
    run->reply = std::make_unique<DirectUploadReply>(pool, "PUT", request, device);
    Run *r = run.get();
    DirectUploadReply *reply = r->reply.get();
    QObject::connect(reply, &QNetworkReply::readyRead, reply,
                     [r, reply] { r->body += reply->readAll(); });
    QObject::connect(reply, &QNetworkReply::metaDataChanged, reply, [r] { ++r->metaDataCount; });
    QObject::connect(reply, &QNetworkReply::uploadProgress, reply, [r](qint64 sent, qint64) {
        r->maxUploadProgress = std::max(r->maxUploadProgress, sent);
    });
    QObject::connect(reply, &QNetworkReply::finished, reply, [r, reply] {
        ++r->finishedCount;
        if (reply->isOpen()) // not after abort()
            r->body += reply->readAll();
    });
    return run;
}

bool waitFinished(Run *run, int ms = 10000)
{
    QElapsedTimer timer;
    timer.start();
    while (run->finishedCount == 0 && timer.elapsed() < ms)
        QTest::qWait(5);
    return run->finishedCount > 0;
}

qint64 peakRssKiB()
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace

class TstDirectUpload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sendsRequestExactly();
    void requestsWithoutDeviceBody();
    void responseFramings_data();
    void responseFramings();
    void httpErrors_data();
    void httpErrors();
    void malformedResponses_data();
    void malformedResponses();
    void truncatedBodyFails();
    void earlyResponseStopsTheUpload();
    void transferTimeout_data();
    void transferTimeout();
    void keepAliveReuse();
    void connectionCloseIsNotReused();
    void idleSocketClosedByServer();
    void staleKeepAliveIsResentOnce();
    void abortMidBody();
    void deleteMidBody();
    void connectionRefused();
    void readBufferSizeBoundsTheResponse();
    void largeBodyInBoundedMemory();
    void shortDeviceFails();
    void https();
    void requestJobChoosesThePath();
    void sandboxPutAndGet();
    void sandboxDropMidBodyRetries();
    void cleanupTestCase();

private:
    std::unique_ptr<Client> sandboxClient(const SandboxEnv &env, const QUrl &endpoint);
    bool ensureBucket(Client *client);
    QString m_bucket;
};

void TstDirectUpload::sendsRequestExactly()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok(); });
    DirectConnectionPool pool;
    const QByteArray payload = "hello\r\n\r\nworld \x00\xff body"_ba;
    QBuffer device;
    device.setData("skip" + payload);
    QVERIFY(device.open(QIODevice::ReadOnly));
    device.seek(4); // the body starts at the device's position
    // An encoded path and query as the signer made them: nothing may be re-encoded or
    // normalised (not even "..").
    const QUrl url =
            QUrl::fromEncoded("http://127.0.0.1:" + QByteArray::number(server.port())
                                      + "/bkt/a%20b/../%2B%C3%BC?partNumber=2&uploadId=x%2Fy%3D",
                              QUrl::StrictMode);
    QVERIFY(url.isValid());
    QNetworkRequest r(url);
    r.setRawHeader("Host", "example.test:9000");
    r.setRawHeader("x-amz-date", "20240101T000000Z");
    r.setRawHeader("Content-Length", QByteArray::number(payload.size()));
    r.setRawHeader("Authorization", "AWS4-HMAC-SHA256 Credential=AK/x, Signature=abc");
    r.setHeader(QNetworkRequest::UserAgentHeader, u"cosdemo/test"_s);
    auto run = startPut(&pool, r, &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::NoError);
    QCOMPARE(server.requests.size(), 1);
    const ReceivedRequest &got = server.requests.first();
    QCOMPARE(got.head,
             "PUT /bkt/a%20b/../%2B%C3%BC?partNumber=2&uploadId=x%2Fy%3D HTTP/1.1\r\n"
             "Host: example.test:9000\r\n"
             "x-amz-date: 20240101T000000Z\r\n"
             "Content-Length: "
                     + QByteArray::number(payload.size())
                     + "\r\n"
                       "Authorization: AWS4-HMAC-SHA256 Credential=AK/x, Signature=abc\r\n"
                       "User-Agent: cosdemo/test\r\n"
                       "\r\n"_ba);
    QCOMPARE(got.body, payload);
    QCOMPARE(run->maxUploadProgress, qint64(payload.size()));
    QCOMPARE(run->body, "done"_ba);
    QCOMPARE(run->finishedCount, 1);

    // Without Host and Content-Length headers: both from the URL and the device.
    QBuffer second;
    second.setData("abc");
    QVERIFY(second.open(QIODevice::ReadOnly));
    auto run2 = startPut(&pool, QNetworkRequest(server.url(u"/x"_s)), &second);
    QVERIFY(waitFinished(run2.get()));
    QCOMPARE(run2->reply->error(), QNetworkReply::NoError);
    const ReceivedRequest &got2 = server.requests.last();
    QCOMPARE(got2.requestLine, "PUT /x HTTP/1.1"_ba);
    QCOMPARE(got2.headerCount("Host"), 1);
    QCOMPARE(got2.header("Host"), "127.0.0.1:" + QByteArray::number(server.port()));
    QCOMPARE(got2.headerCount("Content-Length"), 1);
    QCOMPARE(got2.header("Content-Length"), "3"_ba);
    QCOMPARE(got2.body, "abc"_ba);
}

void TstDirectUpload::responseFramings_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("dribble");
    QTest::addColumn<bool>("closeAfter");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("reusable");

    const QByteArray chunked =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: \"e\"\r\n\r\n"
            "5;ext=1\r\nhello\r\n"
            "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
            "0\r\nX-Trailer: t\r\n\r\n";
    const QByteArray body = "helloabcdefghijklmnopqrstuvwxyz";
    QTest::newRow("content-length")
            << "HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 31\r\n\r\n" + body << false
            << false << body << true;
    QTest::newRow("content-length, dribbled")
            << "HTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: 31\r\n\r\n" + body << true
            << false << body << true;
    QTest::newRow("chunked") << chunked << false << false << body << true;
    QTest::newRow("chunked, dribbled") << chunked << true << false << body << true;
    QTest::newRow("until close") << "HTTP/1.1 200 OK\r\nETag: \"e\"\r\n\r\n" + body << true << true
                                 << body << false;
    QTest::newRow("HTTP/1.0 until close")
            << "HTTP/1.0 200 OK\r\nETag: \"e\"\r\n\r\n" + body << false << true << body << false;
    QTest::newRow("connection close")
            << "HTTP/1.1 200 OK\r\nETag: \"e\"\r\nConnection: close\r\nContent-Length: 31\r\n\r\n"
                    + body
            << false << false << body << false;
    QTest::newRow("204 without body") << "HTTP/1.1 204 No Content\r\nETag: \"e\"\r\n\r\n"_ba
                                      << false << false << QByteArray() << true;
    QTest::newRow("100 continue first")
            << "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nETag: \"e\"\r\nContent-Length: "
               "31\r\n\r\n"
                    + body
            << true << false << body << true;
}

void TstDirectUpload::responseFramings()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, dribble);
    QFETCH(bool, closeAfter);
    QFETCH(QByteArray, body);
    QFETCH(bool, reusable);
    ScriptedHttpServer server([&](const ReceivedRequest &) {
        ScriptedResponse a = ScriptedResponse::raw(response);
        a.dribble = dribble;
        a.closeAfter = closeAfter;
        return a;
    });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("payload");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 7), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::NoError);
    QCOMPARE(run->body, body);
    QCOMPARE(run->metaDataCount, 1);
    QCOMPARE(run->finishedCount, 1);
    const int status = response.contains("204") ? 204 : 200;
    QCOMPARE(run->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    QCOMPARE(run->reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
             status == 204 ? u"No Content"_s : u"OK"_s);
    QCOMPARE(run->reply->rawHeader("etag"), "\"e\""_ba);
    QCOMPARE(server.requests.first().body, "payload"_ba);
    QCOMPARE(pool.idleCount(), reusable ? 1 : 0);
    QTest::qWait(20);
    QCOMPARE(run->finishedCount, 1);
}

void TstDirectUpload::httpErrors_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("code");
    QTest::newRow("400") << 400 << int(QNetworkReply::ProtocolInvalidOperationError);
    QTest::newRow("403") << 403 << int(QNetworkReply::ContentAccessDenied);
    QTest::newRow("404") << 404 << int(QNetworkReply::ContentNotFoundError);
    QTest::newRow("405") << 405 << int(QNetworkReply::ContentOperationNotPermittedError);
    QTest::newRow("409") << 409 << int(QNetworkReply::ContentConflictError);
    QTest::newRow("411") << 411 << int(QNetworkReply::UnknownContentError);
    QTest::newRow("500") << 500 << int(QNetworkReply::InternalServerError);
    QTest::newRow("501") << 501 << int(QNetworkReply::OperationNotImplementedError);
    QTest::newRow("502") << 502 << int(QNetworkReply::UnknownServerError);
    QTest::newRow("503") << 503 << int(QNetworkReply::ServiceUnavailableError);
    QTest::newRow("301") << 301 << int(QNetworkReply::NoError);
}

void TstDirectUpload::httpErrors()
{
    QFETCH(int, status);
    QFETCH(int, code);
    const QByteArray xml = "<Error><Code>X</Code></Error>";
    ScriptedHttpServer server([&](const ReceivedRequest &) {
        return ScriptedResponse::raw(
                "HTTP/1.1 " + QByteArray::number(status)
                + " Reason Words\r\nx-amz-request-id: r1\r\nSet-Cookie: a=1\r\n"
                  "Set-Cookie: b=2\r\nX-Multi: 1\r\nX-Multi: 2\r\nContent-Length: "
                + QByteArray::number(xml.size()) + "\r\n\r\n" + xml);
    });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("payload");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 7), &device);
    QSignalSpy errors(run->reply.get(), &QNetworkReply::errorOccurred);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(int(run->reply->error()), code);
    QCOMPARE(errors.size(), code == 0 ? 0 : 1);
    QCOMPARE(run->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), status);
    QCOMPARE(run->reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString(),
             u"Reason Words"_s);
    QCOMPARE(run->body, xml);
    QCOMPARE(run->reply->rawHeader("X-Multi"), "1, 2"_ba);
    QCOMPARE(run->reply->rawHeader("x-amz-request-id"), "r1"_ba);
    if (code != 0)
        QVERIFY2(run->reply->errorString().contains(u"Reason Words"_s),
                 qPrintable(run->reply->errorString()));
    QCOMPARE(run->finishedCount, 1);
    QCOMPARE(pool.idleCount(), 1); // a complete error answer leaves the connection usable
}

void TstDirectUpload::malformedResponses_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<QString>("message");
    QTest::newRow("not HTTP") << "SSH-2.0-OpenSSH\r\n\r\n"_ba << u"Malformed status line"_s;
    QTest::newRow("bad status") << "HTTP/1.1 2x0 OK\r\n\r\n"_ba << u"Malformed status line"_s;
    QTest::newRow("HTTP/2 line") << "HTTP/2 200\r\n\r\n"_ba << u"Malformed status line"_s;
    QTest::newRow("header without colon")
            << "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"_ba << u"Malformed header line"_s;
    QTest::newRow("oversized headers")
            << "HTTP/1.1 200 OK\r\n" + QByteArray(70 * 1024, 'x') << u"larger than 64 KiB"_s;
    QTest::newRow("many header lines")
            << "HTTP/1.1 200 OK\r\n" + QByteArray("X-A: b\r\n").repeated(10000) + "\r\n"
            << u"more than 256 header fields"_s;
    QTest::newRow("many long header lines") << "HTTP/1.1 200 OK\r\n"
                    + QByteArray("X-A: " + QByteArray(500, 'b') + "\r\n").repeated(200)
                    + "\r\n" << u"larger than 64 KiB"_s;
    QTest::newRow("bad content-length")
            << "HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n"_ba << u"Invalid Content-Length"_s;
    QTest::newRow("two content-lengths")
            << "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"_ba
            << u"Invalid Content-Length"_s;
    QTest::newRow("bad chunk size")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"_ba
            << u"Invalid chunk size"_s;
    QTest::newRow("huge chunk size") << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        "ffffffffffffffffffff\r\nab\r\n0\r\n\r\n"_ba
                                     << u"chunk size in the response is larger than 1 TiB"_s;
    QTest::newRow("content-length with chunked")
            << "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
               "2\r\nab\r\n0\r\n\r\n"_ba
            << u"both Content-Length and Transfer-Encoding"_s;
    QTest::newRow("endless 100 continue")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\n").repeated(100) << u"interim (1xx)"_s;
    QTest::newRow("endless chunk size line")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + QByteArray(8000, '0')
            << u"chunk size line"_s;
    QTest::newRow("chunk without CRLF")
            << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY0\r\n\r\n"_ba
            << u"not followed by CRLF"_s;
    QTest::newRow("101") << "HTTP/1.1 101 Switching Protocols\r\n\r\n"_ba << u"101"_s;
}

void TstDirectUpload::malformedResponses()
{
    QFETCH(QByteArray, response);
    QFETCH(QString, message);
    ScriptedHttpServer server(
            [&](const ReceivedRequest &) { return ScriptedResponse::raw(response); });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("payload");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 7), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::ProtocolFailure);
    QVERIFY2(run->reply->errorString().contains(message), qPrintable(run->reply->errorString()));
    QCOMPARE(run->finishedCount, 1);
    QCOMPARE(pool.idleCount(), 0);
    QTRY_COMPARE(server.disconnects, 1); // the connection was closed, not kept
}

void TstDirectUpload::truncatedBodyFails()
{
    ScriptedHttpServer server([](const ReceivedRequest &) {
        ScriptedResponse a = ScriptedResponse::raw(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"_ba);
        a.closeAfter = true;
        return a;
    });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("payload");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 7), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::RemoteHostClosedError);
    QVERIFY2(run->reply->errorString().contains(u"after 10 of 100 body bytes"_s),
             qPrintable(run->reply->errorString()));
    QCOMPARE(run->body, "only ten b"_ba);
    QCOMPARE(run->finishedCount, 1);
}

void TstDirectUpload::earlyResponseStopsTheUpload()
{
    const QByteArray xml = "<Error><Code>AccessDenied</Code></Error>";
    ScriptedHttpServer server([&](const ReceivedRequest &g) {
        if (g.requestLine.startsWith("PUT /second"))
            return ScriptedResponse::ok();
        ScriptedResponse a = ScriptedResponse::raw("HTTP/1.1 403 Forbidden\r\nContent-Length: "
                                                   + QByteArray::number(xml.size()) + "\r\n\r\n"
                                                   + xml);
        a.afterHead = true;
        return a;
    });
    server.keepBodies = false;
    DirectConnectionPool pool;
    const qint64 size = 64 * MiB;
    PatternDevice device(size);
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), size), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::ContentAccessDenied);
    QCOMPARE(run->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
    QCOMPARE(run->body, xml);
    QVERIFY2(run->maxUploadProgress < size, "the whole body was sent despite the early 403");
    QVERIFY(device.pos() < size);
    QCOMPARE(pool.idleCount(), 0); // the server did not read the body: not reusable
    server.unstall();
    QTRY_COMPARE(server.disconnects, 1);

    QBuffer small;
    small.setData("x");
    QVERIFY(small.open(QIODevice::ReadOnly));
    auto second = startPut(&pool, putRequest(server.url(u"/second"_s), 1), &small);
    QVERIFY(waitFinished(second.get()));
    QCOMPARE(second->reply->error(), QNetworkReply::NoError);
    QCOMPARE(server.accepted, 2);
}

void TstDirectUpload::transferTimeout_data()
{
    QTest::addColumn<qint64>("stallAfter"); // -1: the whole body is read, no answer
    QTest::newRow("no answer") << qint64(-1);
    QTest::newRow("stalled mid-body") << qint64(MiB);
}

void TstDirectUpload::transferTimeout()
{
    QFETCH(qint64, stallAfter);
    ScriptedHttpServer server([&](const ReceivedRequest &) {
        ScriptedResponse a;
        a.stall = true;
        a.stallAfterBody = stallAfter;
        return a;
    });
    server.keepBodies = false;
    DirectConnectionPool pool;
    const qint64 size = 32 * MiB;
    PatternDevice device(size);
    QVERIFY(device.open(QIODevice::ReadOnly));
    QNetworkRequest r = putRequest(server.url(), stallAfter < 0 ? 1000 : size);
    r.setTransferTimeout(400);
    QElapsedTimer timer;
    timer.start();
    auto run = startPut(&pool, r, &device);
    QVERIFY(waitFinished(run.get(), 10000));
    QCOMPARE(run->reply->error(), QNetworkReply::TimeoutError);
    QVERIFY2(run->reply->errorString().contains(u"transfer timeout"_s),
             qPrintable(run->reply->errorString()));
    QVERIFY(timer.elapsed() >= 380);
    QVERIFY(timer.elapsed() < 5000);
    QCOMPARE(run->finishedCount, 1);
    if (stallAfter >= 0)
        QVERIFY(run->maxUploadProgress < size);
    server.unstall();
    QTRY_COMPARE(server.disconnects, 1);
}

void TstDirectUpload::keepAliveReuse()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok(); });
    DirectConnectionPool pool;
    for (int i = 0; i < 3; ++i) {
        QBuffer device;
        device.setData(QByteArray(300 * 1024 + i, char('a' + i)));
        QVERIFY(device.open(QIODevice::ReadOnly));
        auto run = startPut(&pool, putRequest(server.url(), device.size()), &device);
        QVERIFY(waitFinished(run.get()));
        QCOMPARE(run->reply->error(), QNetworkReply::NoError);
        QCOMPARE(run->reply->reusedConnection(), i > 0);
        QCOMPARE(server.requests.last().body, device.data());
    }
    QCOMPARE(server.accepted, 1);
    QCOMPARE(server.requests.size(), 3);
    QCOMPARE(pool.connectionsOpened(), 1);
    QCOMPARE(pool.requestsSent(), 3);
    QCOMPARE(pool.idleCount(), 1);

    // Another port is another pool key.
    ScriptedHttpServer other([](const ReceivedRequest &) { return ScriptedResponse::ok(); });
    QBuffer device;
    device.setData("x");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(other.url(), 1), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->reusedConnection(), false);
    QCOMPARE(pool.idleCount(), 2);
    pool.setMaxIdle(1);
    QCOMPARE(pool.idleCount(), 1);
    QTRY_COMPARE(server.disconnects, 1); // the oldest idle socket went first
    pool.clear();
    QTRY_COMPARE(other.disconnects, 1);
}

void TstDirectUpload::connectionCloseIsNotReused()
{
    ScriptedHttpServer server([](const ReceivedRequest &) {
        return ScriptedResponse::ok("done", "Connection: close\r\n");
    });
    DirectConnectionPool pool;
    for (int i = 0; i < 2; ++i) {
        QBuffer device;
        device.setData("abc");
        QVERIFY(device.open(QIODevice::ReadOnly));
        auto run = startPut(&pool, putRequest(server.url(), 3), &device);
        QVERIFY(waitFinished(run.get()));
        QCOMPARE(run->reply->error(), QNetworkReply::NoError);
        QCOMPARE(run->reply->reusedConnection(), false);
    }
    QCOMPARE(server.accepted, 2);
    QCOMPARE(pool.idleCount(), 0);
}

void TstDirectUpload::idleSocketClosedByServer()
{
    ScriptedHttpServer server([](const ReceivedRequest &) {
        ScriptedResponse a = ScriptedResponse::ok();
        a.closeAfter = true; // without saying so in a header
        return a;
    });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("abc");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 3), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::NoError);
    QTRY_COMPARE(pool.idleCount(), 0); // the pool noticed the close

    QBuffer again;
    again.setData("def");
    QVERIFY(again.open(QIODevice::ReadOnly));
    auto second = startPut(&pool, putRequest(server.url(), 3), &again);
    QVERIFY(waitFinished(second.get()));
    QCOMPARE(second->reply->error(), QNetworkReply::NoError);
    QCOMPARE(second->reply->reusedConnection(), false);
    QCOMPARE(server.accepted, 2);
    QCOMPARE(server.requests.last().body, "def"_ba);
}

void TstDirectUpload::staleKeepAliveIsResentOnce()
{
    // The server closes a kept-alive connection just as the next request arrives on it (its
    // idle timeout raced the client): the request goes again on a new connection.
    ScriptedHttpServer server([](const ReceivedRequest &g) {
        if (g.connection == 1 && g.requestLine.contains("/second")) {
            ScriptedResponse a;
            a.afterHead = true;
            a.closeNow = true;
            return a;
        }
        return ScriptedResponse::ok();
    });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("first");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 5), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(pool.idleCount(), 1);

    const QByteArray big(3 * MiB, 'z');
    QBuffer second;
    second.setData(big);
    QVERIFY(second.open(QIODevice::ReadOnly));
    auto run2 = startPut(&pool, putRequest(server.url(u"/second"_s), big.size()), &second);
    QVERIFY(waitFinished(run2.get()));
    QVERIFY2(run2->reply->error() == QNetworkReply::NoError, qPrintable(run2->reply->errorString()));
    QCOMPARE(run2->reply->sendCount(), 2);
    QCOMPARE(server.accepted, 2);
    QCOMPARE(server.requests.last().connection, 2);
    QCOMPARE(server.requests.last().body, big);

    // A new connection that closes before answering is not resent.
    ScriptedHttpServer closing([](const ReceivedRequest &) {
        ScriptedResponse a;
        a.closeNow = true;
        return a;
    });
    QBuffer third;
    third.setData("abc");
    QVERIFY(third.open(QIODevice::ReadOnly));
    auto run3 = startPut(&pool, putRequest(closing.url(), 3), &third);
    QVERIFY(waitFinished(run3.get()));
    QCOMPARE(run3->reply->error(), QNetworkReply::RemoteHostClosedError);
    QCOMPARE(run3->reply->sendCount(), 1);
    QCOMPARE(closing.accepted, 1);
}

void TstDirectUpload::abortMidBody()
{
    ScriptedHttpServer server([](const ReceivedRequest &) {
        ScriptedResponse a;
        a.stallAfterBody = 2 * MiB;
        a.stall = true;
        return a;
    });
    server.keepBodies = false;
    DirectConnectionPool pool;
    const qint64 size = 64 * MiB;
    PatternDevice device(size);
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), size), &device);
    QSignalSpy errors(run->reply.get(), &QNetworkReply::errorOccurred);
    QTRY_VERIFY(run->maxUploadProgress >= MiB);
    QTest::qWait(50);
    QVERIFY(run->reply->isRunning());
    run->reply->abort();
    QCOMPARE(run->finishedCount, 1); // synchronously, like QNetworkAccessManager's replies
    QCOMPARE(run->reply->error(), QNetworkReply::OperationCanceledError);
    QCOMPARE(errors.size(), 1);
    QVERIFY(run->reply->isFinished());
    QVERIFY(!run->reply->isOpen());
    run->reply->abort();
    run->reply->close();
    server.unstall();
    QTRY_COMPARE(server.disconnects, 1);
    QTest::qWait(50);
    QCOMPARE(run->finishedCount, 1);
    QVERIFY(run->maxUploadProgress < size);
    QCOMPARE(pool.idleCount(), 0);
}

void TstDirectUpload::deleteMidBody()
{
    ScriptedHttpServer server([](const ReceivedRequest &) {
        ScriptedResponse a;
        a.stallAfterBody = MiB;
        a.stall = true;
        return a;
    });
    server.keepBodies = false;
    DirectConnectionPool pool;
    PatternDevice device(32 * MiB);
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), device.size()), &device);
    QTRY_VERIFY(run->maxUploadProgress > 0);
    run->reply.reset();
    server.unstall();
    QTRY_COMPARE(server.disconnects, 1);
    QCOMPARE(run->finishedCount, 0);

    // Deleted before it even started.
    QBuffer small;
    small.setData("abc");
    QVERIFY(small.open(QIODevice::ReadOnly));
    auto early = startPut(&pool, putRequest(server.url(), 3), &small);
    early->reply.reset();
    QTest::qWait(50);
    QCOMPARE(server.accepted, 1);

    // close() of a running reply cancels it like abort().
    auto closed = startPut(&pool, putRequest(server.url(), 3), &small);
    QTRY_COMPARE(server.accepted, 2);
    closed->reply->close();
    QCOMPARE(closed->finishedCount, 1);
    QCOMPARE(closed->reply->error(), QNetworkReply::OperationCanceledError);
}

void TstDirectUpload::connectionRefused()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("abc");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(QUrl(u"http://127.0.0.1:%1/b/k"_s.arg(port)), 3), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::ConnectionRefusedError);
    QCOMPARE(run->reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid(), false);
    QCOMPARE(run->finishedCount, 1);

    // A URL it cannot send is reported from the event loop too.
    auto bad = startPut(&pool, putRequest(QUrl(u"ftp://127.0.0.1/x"_s), 3), &device);
    QCOMPARE(bad->finishedCount, 0);
    QVERIFY(waitFinished(bad.get()));
    QCOMPARE(bad->reply->error(), QNetworkReply::ProtocolUnknownError);
}

void TstDirectUpload::readBufferSizeBoundsTheResponse()
{
    QByteArray big(4 * MiB, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 7);
    ScriptedHttpServer server([&](const ReceivedRequest &) { return ScriptedResponse::ok(big); });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("abc");
    QVERIFY(device.open(QIODevice::ReadOnly));
    DirectUploadReply reply(&pool, "PUT", putRequest(server.url(), 3), &device);
    reply.setReadBufferSize(64 * 1024);
    QByteArray got;
    qint64 maxAvailable = 0;
    bool finished = false;
    connect(&reply, &QNetworkReply::readyRead, this, [&] {
        maxAvailable = std::max(maxAvailable, reply.bytesAvailable());
        // A slow reader: a little per signal, the rest stays buffered.
        got += reply.read(16 * 1024);
    });
    connect(&reply, &QNetworkReply::finished, this, [&] { finished = true; });
    QTRY_VERIFY_WITH_TIMEOUT(finished || got.size() == big.size(), 10000);
    QTRY_VERIFY(finished);
    got += reply.readAll();
    QCOMPARE(reply.error(), QNetworkReply::NoError);
    QCOMPARE(got.size(), big.size());
    QVERIFY(got == big);
    QVERIFY2(maxAvailable <= 64 * 1024 + 256 * 1024, QByteArray::number(maxAvailable).constData());
}

void TstDirectUpload::largeBodyInBoundedMemory()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok(); });
    server.keepBodies = false;
    DirectConnectionPool pool;
    const qint64 size = 64 * MiB;
    const QByteArray expected = PatternDevice::sha1(size);
    // Reset the peak RSS where the kernel allows it, so the check sees only this upload.
    {
        QFile clear(u"/proc/self/clear_refs"_s);
        if (clear.open(QIODevice::WriteOnly))
            clear.write("5");
    }
    const qint64 before = peakRssKiB();
    PatternDevice device(size);
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), size), &device);
    QVERIFY(waitFinished(run.get(), 60000));
    QCOMPARE(run->reply->error(), QNetworkReply::NoError);
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests.first().bodyBytes, size);
    QCOMPARE(server.requests.first().bodySha1, expected);
    QCOMPARE(run->maxUploadProgress, size);
    QVERIFY2(device.maxRead <= DirectUploadReply::ChunkSize,
             QByteArray::number(device.maxRead).constData());
    const qint64 after = peakRssKiB();
    if (before < 0 || after < 0)
        QSKIP("no /proc/self/status: memory not measured");
    qInfo("peak RSS grew by %lld KiB for a 64 MiB body", after - before);
    QVERIFY2(after - before < 16 * 1024,
             qPrintable(u"peak RSS grew by %1 KiB"_s.arg(after - before)));
}

void TstDirectUpload::shortDeviceFails()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok(); });
    DirectConnectionPool pool;
    QBuffer device;
    device.setData("abc");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(), 10), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::ProtocolInvalidOperationError);
    QVERIFY2(run->reply->errorString().contains(u"fewer than its Content-Length"_s),
             qPrintable(run->reply->errorString()));
    QCOMPARE(server.accepted, 0);

    // Header injection through a raw header value is refused.
    QNetworkRequest r = putRequest(server.url(), 3);
    r.setRawHeader("x-evil", "a\r\nInjected: yes");
    device.seek(0);
    auto evil = startPut(&pool, r, &device);
    QVERIFY(waitFinished(evil.get()));
    QCOMPARE(evil->reply->error(), QNetworkReply::ProtocolInvalidOperationError);
    QCOMPARE(server.accepted, 0);
}

void TstDirectUpload::https()
{
#ifdef QT_NO_SSL
    QSKIP("no TLS in this Qt");
#else
    if (!QSslSocket::supportsSsl())
        QSKIP("no TLS backend");
    const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
    if (openssl.isEmpty())
        QSKIP("the openssl command is not installed: cannot make a test certificate");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcess p;
    p.start(openssl,
            {u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s,
             dir.filePath(u"key.pem"_s), u"-out"_s, dir.filePath(u"cert.pem"_s), u"-days"_s, u"1"_s,
             u"-subj"_s, u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s});
    QVERIFY(p.waitForFinished(30000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(dir.filePath(u"cert.pem"_s),
                                                                   QSsl::Pem);
    QCOMPARE(certs.size(), 1);
    QFile keyFile(dir.filePath(u"key.pem"_s));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslKey key(&keyFile, QSsl::Rsa, QSsl::Pem);
    QVERIFY(!key.isNull());

    auto *sslServer = new QSslServer;
    QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
    serverConfig.setLocalCertificate(certs.first());
    serverConfig.setPrivateKey(key);
    serverConfig.setPeerVerifyMode(QSslSocket::VerifyNone);
    sslServer->setSslConfiguration(serverConfig);
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok("secure"); },
                              sslServer);
    DirectConnectionPool pool;

    // Trusted through the request's CA list: works, and the connection is kept.
    QSslConfiguration trusting = QSslConfiguration::defaultConfiguration();
    trusting.setCaCertificates(certs);
    for (int i = 0; i < 2; ++i) {
        QBuffer device;
        device.setData(QByteArray(2 * MiB, 's'));
        QVERIFY(device.open(QIODevice::ReadOnly));
        QNetworkRequest r = putRequest(server.url(u"/b/k"_s, u"https"_s), device.size());
        r.setSslConfiguration(trusting);
        auto run = startPut(&pool, r, &device);
        QVERIFY(waitFinished(run.get()));
        QVERIFY2(run->reply->error() == QNetworkReply::NoError,
                 qPrintable(run->reply->errorString()));
        QCOMPARE(run->body, "secure"_ba);
        QCOMPARE(run->reply->attribute(QNetworkRequest::ConnectionEncryptedAttribute).toBool(),
                 true);
        QCOMPARE(run->reply->reusedConnection(), i == 1);
        QCOMPARE(server.requests.last().body, device.data());
    }
    QCOMPARE(server.accepted, 1);

    // The default CAs do not know the test certificate: the handshake fails, never ignored,
    // and the idle trusted connection is not used for a request with another configuration.
    QBuffer device;
    device.setData("abc");
    QVERIFY(device.open(QIODevice::ReadOnly));
    auto run = startPut(&pool, putRequest(server.url(u"/b/k"_s, u"https"_s), 3), &device);
    QVERIFY(waitFinished(run.get()));
    QCOMPARE(run->reply->error(), QNetworkReply::SslHandshakeFailedError);
    QVERIFY2(run->reply->errorString().contains(u"SSL handshake failed"_s),
             qPrintable(run->reply->errorString()));
    QCOMPARE(server.requests.size(), 2);
#endif
}

void TstDirectUpload::requestsWithoutDeviceBody()
{
    ScriptedHttpServer server([](const ReceivedRequest &r) {
        // HEAD's answer names a length but has no body; the reply must not wait for one.
        return r.method == "HEAD" ? ScriptedResponse::raw("HTTP/1.1 200 OK\r\nContent-Length: "
                                                          "12\r\nETag: \"e\"\r\n\r\n")
                                  : ScriptedResponse::ok("answer to " + r.method);
    });
    server.keepBodies = true;
    DirectConnectionPool pool;
    const auto send = [&](const QByteArray &method, std::optional<QByteArray> body,
                          const QByteArray &contentLength = {}) {
        QNetworkRequest r(server.url(u"/bkt/k"_s));
        r.setRawHeader("Authorization", "AWS4-HMAC-SHA256 x");
        if (!contentLength.isNull())
            r.setRawHeader("Content-Length", contentLength);
        r.setTransferTimeout(10000);
        auto run = std::make_unique<Run>();
        run->reply = body ? std::make_unique<DirectUploadReply>(&pool, method, r, *body)
                          : std::make_unique<DirectUploadReply>(&pool, method, r, nullptr);
        Run *p = run.get();
        DirectUploadReply *reply = p->reply.get();
        QObject::connect(reply, &QNetworkReply::readyRead, reply,
                         [p, reply] { p->body += reply->readAll(); });
        QObject::connect(reply, &QNetworkReply::finished, reply, [p, reply] {
            ++p->finishedCount;
            p->body += reply->readAll();
        });
        return run;
    };

    // GET and DELETE without a body: no Content-Length at all (as QNAM sends them).
    for (const QByteArray &method : {"GET"_ba, "DELETE"_ba}) {
        auto run = send(method, std::nullopt);
        QVERIFY(waitFinished(run.get()));
        QCOMPARE(run->reply->error(), QNetworkReply::NoError);
        QCOMPARE(run->body, "answer to " + method);
        const ReceivedRequest &got = server.requests.last();
        QCOMPARE(got.requestLine, method + " /bkt/k HTTP/1.1");
        QCOMPARE(got.headerCount("Content-Length"), 0);
        QCOMPARE(got.bodyBytes, 0);
    }
    // A signed "Content-Length: 0" (SigV4 signs it for DELETE) is sent as it is; another
    // length without a body is refused before anything is sent.
    auto signedZero = send("DELETE", std::nullopt, "0");
    QVERIFY(waitFinished(signedZero.get()));
    QCOMPARE(signedZero->reply->error(), QNetworkReply::NoError);
    QCOMPARE(server.requests.last().headerCount("Content-Length"), 1);
    QCOMPARE(server.requests.last().header("Content-Length"), "0"_ba);
    const qsizetype seen = server.requests.size();
    auto tooLong = send("DELETE", std::nullopt, "5");
    QVERIFY(waitFinished(tooLong.get()));
    QCOMPARE(tooLong->reply->error(), QNetworkReply::ProtocolInvalidOperationError);
    QCOMPARE(server.requests.size(), seen);
    // HEAD: the response's Content-Length describes a body that is not sent.
    auto head = send("HEAD", std::nullopt);
    QVERIFY(waitFinished(head.get()));
    QCOMPARE(head->reply->error(), QNetworkReply::NoError);
    QCOMPARE(head->reply->rawHeader("Content-Length"), "12"_ba);
    QCOMPARE(head->body, QByteArray());
    // A byte-array body (an XML POST) and an empty one (initiate multipart): Content-Length.
    for (const QByteArray &body : {"<Delete><Object/></Delete>"_ba, QByteArray()}) {
        auto post = send("POST", body);
        QVERIFY(waitFinished(post.get()));
        QCOMPARE(post->reply->error(), QNetworkReply::NoError);
        QCOMPARE(post->body, "answer to POST"_ba);
        const ReceivedRequest &got = server.requests.last();
        QCOMPARE(got.headerCount("Content-Length"), 1);
        QCOMPARE(got.header("Content-Length"), QByteArray::number(body.size()));
        QCOMPARE(got.body, body);
    }
    // All on one kept-alive connection.
    QCOMPARE(pool.connectionsOpened(), 1);
    QCOMPARE(pool.requestsSent(), 6);
}

void TstDirectUpload::requestJobChoosesThePath()
{
    ScriptedHttpServer server([](const ReceivedRequest &) { return ScriptedResponse::ok(""); });
    Error e;
    const Endpoint ep = Endpoint::s3(QUrl(u"http://127.0.0.1:%1"_s.arg(server.port())),
                                     u"us-east-1"_s, true, &e);
    Credentials c;
    c.secretId = u"AKIDSTATIC"_s;
    c.secretKey = u"staticsecret"_s;
    Client client(ep, new StaticCredentialProvider(c));
    client.setRetryBaseDelay(5);
    QVERIFY(client.directUploads()); // the default (COS_DIRECT_UPLOADS is not set in tests)
    const QByteArray payload(700 * 1024, 'p');

    const auto put = [&](const QString &key) {
        QBuffer device;
        device.setData(payload);
        device.open(QIODevice::ReadOnly);
        PutObjectParams params;
        params.contentLength = payload.size();
        RequestJob *job = client.newRequestJob(client.builder().putObject(u"bkt"_s, key, params));
        job->setBody(&device);
        QSignalSpy finished(job, &Job::finished);
        job->start();
        const bool done = finished.wait(10000);
        const Error err = job->error();
        delete job;
        return done && !err;
    };

    QVERIFY(put(u"direct"_s));
    QCOMPARE(client.directConnectionPool()->requestsSent(), 1);
    QCOMPARE(server.requests.last().body, payload);
    QCOMPARE(server.requests.last().requestLine, "PUT /bkt/direct HTTP/1.1"_ba);
    QVERIFY(server.requests.last().header("Authorization").startsWith("AWS4-HMAC-SHA256"));
    QCOMPARE(server.requests.last().header("User-Agent"), client.userAgent());

    // Requests without a body device go the same way, without a Content-Length.
    RequestJob *get = client.newRequestJob(client.builder().getObject(u"bkt"_s, u"direct"_s));
    QSignalSpy got(get, &Job::finished);
    get->start();
    QVERIFY(got.wait(10000));
    QVERIFY(!get->error());
    QCOMPARE(client.directConnectionPool()->requestsSent(), 2);
    QCOMPARE(server.requests.last().requestLine, "GET /bkt/direct HTTP/1.1"_ba);
    QCOMPARE(server.requests.last().headerCount("Content-Length"), 0);
    QCOMPARE(server.requests.last().header("Accept-Encoding"), "identity"_ba);

    client.setDirectUploads(false);
    QVERIFY(put(u"via-qnam"_s));
    QCOMPARE(client.directConnectionPool()->requestsSent(), 2);
    QCOMPARE(server.requests.last().body, payload);
    client.setDirectUploads(true);

    // With a proxy for the manager, uploads go through QNAM and so through the proxy (here the
    // same scripted server, which sees the absolute URL a proxy gets).
    client.networkAccessManager()->setProxy(
            QNetworkProxy(QNetworkProxy::HttpProxy, u"127.0.0.1"_s, server.port()));
    QVERIFY(!client.usesDirectUpload(QUrl(u"http://127.0.0.1:%1/bkt/x"_s.arg(server.port()))));
    QVERIFY(put(u"via-proxy"_s));
    QCOMPARE(client.directConnectionPool()->requestsSent(), 2);
    QVERIFY2(server.requests.last().requestLine.startsWith("PUT http://127.0.0.1:"),
             server.requests.last().requestLine.constData());
    client.networkAccessManager()->setProxy(QNetworkProxy(QNetworkProxy::NoProxy));
    QVERIFY(client.usesDirectUpload(QUrl(u"http://127.0.0.1:%1/bkt/x"_s.arg(server.port()))));
}

std::unique_ptr<Client> TstDirectUpload::sandboxClient(const SandboxEnv &env, const QUrl &endpoint)
{
    Error error;
    const Endpoint ep = Endpoint::s3(endpoint, env.region, true, &error);
    Credentials c;
    c.secretId = env.secretId;
    c.secretKey = env.secretKey;
    auto client = std::make_unique<Client>(ep, new StaticCredentialProvider(c));
    client->setRetryBaseDelay(100);
    client->setTransferTimeout(10000);
    return client;
}

bool TstDirectUpload::ensureBucket(Client *client)
{
    if (!m_bucket.isEmpty())
        return true;
    const QString bucket = u"direct-%1"_s.arg(QRandomGenerator::global()->generate() % 1000000);
    RequestJob *job = client->createBucket(bucket);
    QSignalSpy spy(job, &Job::finished);
    job->start();
    if (!spy.wait(20000) || job->error()) {
        qWarning() << "cannot create the bucket:" << job->error().toString();
        return false;
    }
    m_bucket = bucket;
    return true;
}

namespace {

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator gen(seed);
    gen.fillRange(reinterpret_cast<quint32 *>(data.data()), data.size() / 4);
    return data;
}

// PUT @p data as @p key (body from a device), then GET it back; returns the GET body.
QByteArray putAndGet(Client *client, const QString &bucket, const QString &key,
                     const QByteArray &data, RequestJob **putJob = nullptr)
{
    QBuffer device;
    device.setData(data);
    device.open(QIODevice::ReadOnly);
    PutObjectParams params;
    params.contentLength = data.size();
    RequestJob *put = client->newRequestJob(client->builder().putObject(bucket, key, params));
    put->setBody(&device);
    QSignalSpy putDone(put, &Job::finished);
    put->start();
    if (!putDone.wait(60000) || put->error()) {
        qWarning() << "PUT failed:" << put->error().toString();
        return {};
    }
    if (putJob)
        *putJob = put;
    RequestJob *get = client->newRequestJob(client->builder().getObject(bucket, key));
    get->setMaxResponseSize(64 * MiB);
    QSignalSpy getDone(get, &Job::finished);
    get->start();
    if (!getDone.wait(60000) || get->error()) {
        qWarning() << "GET failed:" << get->error().toString();
        return {};
    }
    return get->responseBody();
}

} // namespace

void TstDirectUpload::sandboxPutAndGet()
{
    COS_REQUIRE_SANDBOX(env);
    auto client = sandboxClient(env, QUrl(env.endpoint));
    QVERIFY(ensureBucket(client.get()));
    DirectConnectionPool *pool = client->directConnectionPool();
    const int before = pool->requestsSent();
    const QByteArray data = randomBytes(9 * MiB + 5, 11);
    RequestJob *put = nullptr;
    QCOMPARE(putAndGet(client.get(), m_bucket, u"dir/direct ü+1.bin"_s, data, &put), data);
    QVERIFY(put);
    QCOMPARE(put->attempts(), 1);
    QCOMPARE(pool->requestsSent(), before + 2); // the PUT and the GET
    QCOMPARE(put->responseHeader("ETag").toLower(),
             '"' + QCryptographicHash::hash(data, QCryptographicHash::Md5).toHex() + '"');

    // An empty body, and a second upload on the kept connection.
    QCOMPARE(putAndGet(client.get(), m_bucket, u"empty"_s, QByteArray()), QByteArray());
    QCOMPARE(pool->requestsSent(), before + 4);
    QCOMPARE(pool->connectionsOpened(), 1);

    // A rejected upload (wrong key; RGW may answer before reading the body) ends with the same
    // status and service error code on both paths, as RequestJob saw it with QNAM.
    Credentials bad;
    bad.secretId = env.secretId;
    bad.secretKey = u"wrong-secret"_s;
    client->setCredentialProvider(new StaticCredentialProvider(bad));
    QList<Error> outcomes;
    for (const bool direct : {true, false}) {
        client->setDirectUploads(direct);
        QBuffer device;
        device.setData(data);
        QVERIFY(device.open(QIODevice::ReadOnly));
        PutObjectParams params;
        params.contentLength = data.size();
        RequestJob *denied = client->newRequestJob(
                client->builder().putObject(m_bucket, u"x"_s, params));
        denied->setBody(&device);
        QSignalSpy done(denied, &Job::finished);
        denied->start();
        QVERIFY(done.wait(60000));
        outcomes.append(denied->error());
        QCOMPARE(denied->attempts(), 1);
        delete denied;
    }
    QCOMPARE(pool->requestsSent(), before + 5);
    QCOMPARE(outcomes.at(0).httpStatus(), 403);
    QCOMPARE(outcomes.at(0).httpStatus(), outcomes.at(1).httpStatus());
    QCOMPARE(outcomes.at(0).code(), outcomes.at(1).code());
    QCOMPARE(outcomes.at(0).kind(), outcomes.at(1).kind());
}

void TstDirectUpload::sandboxDropMidBodyRetries()
{
    COS_REQUIRE_SANDBOX(env);
    const QUrl endpoint(env.endpoint);
    FaultProxy proxy;
    QVERIFY(proxy.start(QHostAddress(endpoint.host()), quint16(endpoint.port())));
    auto client = sandboxClient(env, QUrl(u"http://127.0.0.1:%1"_s.arg(proxy.port())));
    QVERIFY(ensureBucket(client.get()));
    const int before = client->directConnectionPool()->requestsSent();
    proxy.dropAfter(3 * MiB);
    const QByteArray data = randomBytes(8 * MiB, 12);
    RequestJob *put = nullptr;
    QCOMPARE(putAndGet(client.get(), m_bucket, u"dropped.bin"_s, data, &put), data);
    QVERIFY(put);
    QCOMPARE(proxy.faultsFired(), 1);
    QCOMPARE(put->attempts(), 2);
    QCOMPARE(client->directConnectionPool()->requestsSent(), before + 3); // 2 PUTs, 1 GET
}

QTEST_GUILESS_MAIN(TstDirectUpload)
void TstDirectUpload::cleanupTestCase()
{
    const std::optional<SandboxEnv> env = SandboxEnv::fromEnvironment();
    if (m_bucket.isEmpty() || !env)
        return;
    auto client = sandboxClient(*env, QUrl(env->endpoint));
    const QString error = purgeSandboxBucket(client.get(), m_bucket);
    if (!error.isEmpty())
        qWarning("cleanup of %s: %s", qPrintable(m_bucket), qPrintable(error));
}

#include "tst_directupload.moc"
