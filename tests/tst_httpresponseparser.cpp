// HttpResponseParser: every response is fed whole, byte by byte, split at every point and in
// chunks of several sizes, with and without a small body window, and must give the same result
// each way; valid framings, malformed and hostile heads, Content-Length and chunked edge cases,
// limits, responses that end early, and the hostile inputs kept in tests/data/hostile.
#include "cos/protocol/httpresponseparser.h"
#include "httpparserdriver.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Cos;

using Parser = HttpResponseParser;
Q_DECLARE_METATYPE(Parser::ErrorCode)
Q_DECLARE_METATYPE(Parser::Framing)

namespace {

ParserRun run(const QList<QByteArray> &pieces, bool head, bool close, qint64 window)
{
    return feedResponse(pieces, head, close, window);
}

QList<QByteArray> inPiecesOf(const QByteArray &data, qsizetype size)
{
    QList<QByteArray> out;
    for (qsizetype i = 0; i < data.size(); i += size)
        out.append(data.mid(i, size));
    return out;
}

QByteArray ok200(const QByteArray &headers, const QByteArray &body)
{
    return "HTTP/1.1 200 OK\r\n" + headers + "\r\n" + body;
}

QByteArray chunkedHead()
{
    return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"_ba;
}

} // namespace

class TstHttpResponseParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void responses_data();
    void responses();
    void hostileFiles_data();
    void hostileFiles();
    void headAtTheLimit();
    void bodyWindowPausesTheBody();
    void pipelinedResponsesAfterReset();
    void endlessInputStaysBounded();
    void helpers();
};

void TstHttpResponseParser::responses_data()
{
    QTest::addColumn<QByteArray>("response");
    QTest::addColumn<bool>("head"); // the request was HEAD
    QTest::addColumn<bool>("close"); // the connection closes after the bytes
    QTest::addColumn<Parser::State>("state");
    QTest::addColumn<Parser::ErrorCode>("error");
    QTest::addColumn<QString>("message"); // part of the error message
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<bool>("keepAlive");
    QTest::addColumn<int>("leftover");

    using S = Parser::State;
    using E = Parser::ErrorCode;
    const auto good = [](const char *name, const QByteArray &response, int status,
                         const QByteArray &body, bool keepAlive, bool close = false,
                         bool head = false, int leftover = 0) {
        QTest::newRow(name) << response << head << close << S::Complete << E::None << QString()
                            << status << body << keepAlive << leftover;
    };
    const auto bad = [](const char *name, const QByteArray &response, E error,
                        const QString &message, bool close = false) {
        QTest::newRow(name) << response << false << close << S::Failed << error << message << 0
                            << QByteArray() << false << -1;
    };
    const QByteArray alphabet = "abcdefghijklmnopqrstuvwxyz";

    // Framings
    good("content-length", ok200("ETag: \"e\"\r\nContent-Length: 26\r\n", alphabet), 200, alphabet,
         true);
    good("content-length 0", ok200("Content-Length: 0\r\n", {}), 200, {}, true);
    good("chunked with extensions and trailers",
         chunkedHead() + "5;ext=1;q=\"a;b\"\r\nhello\r\n1A\r\n" + alphabet
                 + "\r\n0;last\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
         200, "hello" + alphabet, true);
    good("chunked, upper and lower hex, leading zeros",
         chunkedHead() + "00003\r\nabc\r\nA\r\n0123456789\r\nb\r\nhello world\r\n0\r\n\r\n", 200,
         "abc0123456789hello world", true);
    good("chunked, bare LF line ends",
         "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n3\nabc\n0\n\n"_ba, 200, "abc", true);
    good("chunked after gzip",
         ok200("Transfer-Encoding: gzip, chunked\r\n", "2\r\nzz\r\n0\r\n\r\n"), 200, "zz", true);
    good("transfer-encoding twice, chunked last",
         ok200("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", "1\r\nz\r\n0\r\n\r\n"),
         200, "z", true);
    good("until close", ok200("ETag: \"e\"\r\n", alphabet), 200, alphabet, false, true);
    good("until close after a non-chunked coding", ok200("Transfer-Encoding: gzip\r\n", alphabet),
         200, alphabet, false, true);
    good("HTTP/1.0 until close", "HTTP/1.0 200 OK\r\n\r\n" + alphabet, 200, alphabet, false, true);
    good("HTTP/1.0 with length closes", "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc"_ba, 200,
         "abc", false);
    good("HTTP/1.0 keep-alive",
         "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 3\r\n\r\nabc"_ba, 200, "abc",
         true);
    good("HTTP/1.1 connection close",
         ok200("Connection: keep-alive, Close\r\nContent-Length: 3\r\n", "abc"), 200, "abc", false);
    good("HTTP/1.9 is read as 1.1", "HTTP/1.9 200 OK\r\nContent-Length: 1\r\n\r\nx"_ba, 200, "x",
         true);
    good("204 ignores its framing", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"_ba, 204,
         {}, true);
    good("304 ignores chunked",
         "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"_ba, 304, {}, true);
    good("HEAD ignores the length",
         ok200("Content-Length: 1000\r\nTransfer-Encoding: chunked\r\n", {}), 200, {}, true, false,
         true);
    good("HEAD with bytes after", ok200("Content-Length: 3\r\n", "abc"), 200, {}, true, false, true,
         3);
    good("100 continue first",
         "HTTP/1.1 100 Continue\r\n\r\n" + ok200("Content-Length: 2\r\n", "ok"), 200, "ok", true);
    good("103 early hints with headers",
         "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                 + ok200("Content-Length: 2\r\n", "ok"),
         200, "ok", true);
    good("equal lengths in one field", ok200("Content-Length: 3, 3\r\n", "abc"), 200, "abc", true);
    good("equal lengths in two fields", ok200("Content-Length: 3\r\ncontent-length: 3\r\n", "abc"),
         200, "abc", true);
    good("folded header, empty value, empty reason",
         "HTTP/1.1 200\r\nX-Long: a\r\n  b\t\r\n\tc\r\nX-Empty:\r\nContent-Length: 1\r\n\r\nx"_ba,
         200, "x", true);
    good("pipelined bytes are left", ok200("Content-Length: 2\r\n", "okHTTP/1.1 200 OK\r\n"), 200,
         "ok", true, false, false, 17);
    good("obs-text in a value", ok200("X-Name: caf\xc3\xa9\r\nContent-Length: 0\r\n", {}), 200, {},
         true);
    good("error status with a body", "HTTP/1.1 503 Slow Down\r\nContent-Length: 4\r\n\r\nbusy"_ba,
         503, "busy", true);
    good("largest content length, ended", ok200("Content-Length: 000000000000000002\r\n", "ab"),
         200, "ab", true);

    // Status lines
    bad("not HTTP", "SSH-2.0-OpenSSH\r\n\r\n"_ba, E::MalformedStatusLine, u"Malformed status"_s);
    bad("letter in the status", "HTTP/1.1 2x0 OK\r\n\r\n"_ba, E::MalformedStatusLine,
        u"\"HTTP/1.1 2x0 OK\""_s);
    bad("HTTP/2 line", "HTTP/2 200\r\n\r\n"_ba, E::MalformedStatusLine, u"Malformed status"_s);
    bad("status 600", "HTTP/1.1 600 Odd\r\n\r\n"_ba, E::MalformedStatusLine, u"status line"_s);
    bad("status 099", "HTTP/1.1 099 Odd\r\n\r\n"_ba, E::MalformedStatusLine, u"status line"_s);
    bad("four-digit status", "HTTP/1.1 2000 OK\r\n\r\n"_ba, E::MalformedStatusLine,
        u"status line"_s);
    bad("no space after the version", "HTTP/1.1200 OK\r\n\r\n"_ba, E::MalformedStatusLine,
        u"status line"_s);
    bad("lower-case protocol", "http/1.1 200 OK\r\n\r\n"_ba, E::MalformedStatusLine,
        u"status line"_s);
    bad("NUL in the reason", "HTTP/1.1 200 O\0K\r\n\r\n"_ba, E::MalformedStatusLine,
        u"\"HTTP/1.1 200 O?K\""_s);
    bad("empty line first", "\r\nHTTP/1.1 200 OK\r\n\r\n"_ba, E::MalformedStatusLine,
        u"status line"_s);
    bad("long status line quoted short", "HTTP/1.1 200 " + QByteArray(5000, 'r') + "\x01\r\n",
        E::MalformedStatusLine, u"rrr..."_s);
    bad("101 switching", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"_ba,
        E::SwitchingProtocols, u"101"_s);
    bad("endless 100 continue", QByteArray("HTTP/1.1 100 Continue\r\n\r\n").repeated(40),
        E::TooManyInterimResponses, u"more than 32 interim"_s);

    // Header lines
    bad("header without colon", ok200("no colon here\r\n", {}), E::MalformedHeader,
        u"Malformed header line in the response: \"no colon here\""_s);
    bad("space before the colon", ok200("Content-Length : 1\r\n", "x"), E::MalformedHeader,
        u"Malformed header"_s);
    bad("empty name", ok200(": x\r\n", {}), E::MalformedHeader, u"Malformed header"_s);
    bad("fold before any header", ok200(" folded\r\n", {}), E::MalformedHeader,
        u"Malformed header"_s);
    bad("NUL in a value", ok200("X-A: a\0b\r\n"_ba, {}), E::MalformedHeader,
        u"control characters: \"X-A: a?b\""_s);
    bad("bare CR in a value", ok200("X-A: a\rInjected: 1\r\n", {}), E::MalformedHeader,
        u"control characters"_s);
    bad("oversized header line", "HTTP/1.1 200 OK\r\n" + QByteArray(70 * 1024, 'x'),
        E::HeadersTooLarge, u"larger than 64 KiB"_s);
    bad("oversized folded header",
        ok200("X-A: 1\r\n" + QByteArray(" folded line\r\n").repeated(6000), {}), E::HeadersTooLarge,
        u"larger than 64 KiB"_s);
    bad("too many headers", ok200(QByteArray("X-A: b\r\n").repeated(300), {}), E::TooManyHeaders,
        u"more than 256 header fields"_s);
    bad("many header lines", "HTTP/1.1 200 OK\r\n" + QByteArray("X-A: b\r\n").repeated(10000),
        E::TooManyHeaders, u"more than 256"_s);

    // Content-Length
    bad("negative length", ok200("Content-Length: -5\r\n", {}), E::InvalidContentLength,
        u"Invalid Content-Length in the response: \"-5\""_s);
    bad("plus sign", ok200("Content-Length: +5\r\n", "abcde"), E::InvalidContentLength, u"\"+5\""_s);
    bad("hex length", ok200("Content-Length: 0x10\r\n", {}), E::InvalidContentLength,
        u"Invalid Content-Length"_s);
    bad("empty length", ok200("Content-Length:\r\n", {}), E::InvalidContentLength,
        u"Content-Length"_s);
    bad("empty item", ok200("Content-Length: 3,\r\n", "abc"), E::InvalidContentLength,
        u"Invalid Content-Length"_s);
    bad("length with a unit", ok200("Content-Length: 5 bytes\r\n", "abcde"),
        E::InvalidContentLength, u"Invalid Content-Length"_s);
    bad("19-digit length", ok200("Content-Length: 9223372036854775807\r\n", {}),
        E::InvalidContentLength, u"Invalid Content-Length"_s);
    bad("huge length", ok200("Content-Length: 99999999999999999999999999\r\n", {}),
        E::InvalidContentLength, u"Invalid Content-Length"_s);
    bad("conflicting lengths in one field", ok200("Content-Length: 3, 4\r\n", "abcd"),
        E::InvalidContentLength, u"\"3, 4\""_s);
    bad("conflicting length fields", ok200("Content-Length: 3\r\nContent-Length: 4\r\n", "abcd"),
        E::InvalidContentLength, u"\"3, 4\""_s);
    bad("length with chunked",
        ok200("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n", "3\r\nabc\r\n0\r\n\r\n"),
        E::ContentLengthWithTransferEncoding, u"both Content-Length and Transfer-Encoding"_s);
    bad("chunked with length after it",
        ok200("Transfer-Encoding: chunked\r\nContent-Length: 0\r\n", "0\r\n\r\n"),
        E::ContentLengthWithTransferEncoding, u"both"_s);

    // Chunks
    bad("bad chunk size", chunkedHead() + "zz\r\nab\r\n0\r\n\r\n", E::InvalidChunkSize,
        u"Invalid chunk size in the response: \"zz\""_s);
    bad("negative chunk size", chunkedHead() + "-1\r\nab\r\n", E::InvalidChunkSize,
        u"Invalid chunk size"_s);
    bad("0x chunk size", chunkedHead() + "0x10\r\n", E::InvalidChunkSize, u"\"0x10\""_s);
    bad("empty chunk size", chunkedHead() + "\r\nab\r\n", E::InvalidChunkSize,
        u"Invalid chunk size"_s);
    bad("empty chunk size before an extension", chunkedHead() + ";ext\r\n", E::InvalidChunkSize,
        u"Invalid chunk size"_s);
    bad("space inside the chunk size", chunkedHead() + "1 0\r\n", E::InvalidChunkSize, u"\"1 0\""_s);
    // The 64-bit overflow UBSan found in the old decoder (16^15 * 16).
    bad("huge chunk size", chunkedHead() + "ffffffffffffffffffff\r\nab\r\n0\r\n\r\n",
        E::ChunkTooLarge, u"larger than 1 TiB: \"ffffffffffffffffffff\""_s);
    bad("chunk size just over the bound", chunkedHead() + "10000000001\r\n", E::ChunkTooLarge,
        u"larger than 1 TiB"_s);
    bad("chunk size overflow after zeros", chunkedHead() + "0000" + QByteArray(17, '7') + "\r\n",
        E::ChunkTooLarge, u"larger than"_s);
    bad("endless chunk size line", chunkedHead() + QByteArray(8000, '0'), E::ChunkSizeLineTooLong,
        u"longer than 4096 bytes"_s);
    bad("endless chunk extension", chunkedHead() + "1;" + QByteArray(5000, 'e') + "\r\nx\r\n",
        E::ChunkSizeLineTooLong, u"chunk size line"_s);
    bad("chunk without CRLF", chunkedHead() + "2\r\nabXY0\r\n\r\n", E::MissingChunkTerminator,
        u"not followed by CRLF"_s);
    bad("chunk followed by CR and a letter", chunkedHead() + "2\r\nab\rX0\r\n\r\n",
        E::MissingChunkTerminator, u"not followed by CRLF"_s);
    bad("malformed trailer", chunkedHead() + "0\r\nnot a trailer\r\n\r\n", E::MalformedTrailer,
        u"\"not a trailer\""_s);
    bad("oversized trailers", chunkedHead() + "0\r\n" + QByteArray("X-T: v\r\n").repeated(9000),
        E::TrailersTooLarge, u"trailers are larger than 64 KiB"_s);

    // Responses that end early (the connection closes)
    bad("nothing at all", {}, E::EndedEarly, u"ended before it began"_s, true);
    bad("in the status line", "HTTP/1.1 20"_ba, E::EndedEarly, u"in its status line"_s, true);
    bad("in the headers", ok200("Content-Length: 3\r\n", {}).chopped(2), E::EndedEarly,
        u"in its headers"_s, true);
    bad("after an interim answer", "HTTP/1.1 100 Continue\r\n\r\n"_ba, E::EndedEarly,
        u"in its status line"_s, true);
    bad("short body", ok200("Content-Length: 100\r\n", "only ten b"), E::EndedEarly,
        u"after 10 of 100 body bytes"_s, true);
    bad("short huge body", ok200("Content-Length: 999999999999999999\r\n", "x"), E::EndedEarly,
        u"after 1 of 999999999999999999"_s, true);
    bad("in a chunk", chunkedHead() + "5\r\nab", E::EndedEarly, u"after 2 bytes"_s, true);
    bad("before the last chunk", chunkedHead() + "2\r\nab\r\n", E::EndedEarly,
        u"chunked response body ended"_s, true);
    bad("in the trailers", chunkedHead() + "0\r\nX-T: v\r\n", E::EndedEarly, u"before its end"_s,
        true);

    // Still waiting (no close): not complete, no error.
    QTest::newRow("waiting for the close") << ok200({}, "abc") << false << false << S::Body
                                           << E::None << QString() << 200 << "abc"_ba << false << 0;
    QTest::newRow("waiting for the length")
            << ok200("Content-Length: 5\r\n", "abc") << false << false << S::Body << E::None
            << QString() << 200 << "abc"_ba << true << 0;
    QTest::newRow("waiting for a header")
            << "HTTP/1.1 200 OK\r\nX-A"_ba << false << false << S::Headers << E::None << QString()
            << 200 << QByteArray() << false << 0;
}

void TstHttpResponseParser::responses()
{
    QFETCH(QByteArray, response);
    QFETCH(bool, head);
    QFETCH(bool, close);
    QFETCH(Parser::State, state);
    QFETCH(Parser::ErrorCode, error);
    QFETCH(QString, message);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(bool, keepAlive);
    QFETCH(int, leftover);

    const ParserRun whole = run({response}, head, close, Parser::Unlimited);
    QVERIFY2(whole.problem.isEmpty(), qPrintable(whole.problem));
    QCOMPARE(whole.state, state);
    QCOMPARE(whole.error, error);
    QVERIFY2(whole.message.contains(message), qPrintable(whole.message));
    QVERIFY2(whole.message.size() <= 200, qPrintable(whole.message));
    QCOMPARE(whole.message.isEmpty(), error == Parser::ErrorCode::None);
    if (state != Parser::State::Failed) {
        QCOMPARE(whole.status, status);
        QCOMPARE(whole.body, body);
        QCOMPARE(whole.keepAlive, keepAlive);
        QCOMPARE(whole.leftover, qsizetype(leftover));
        QCOMPARE(whole.interim, response.count("HTTP/1.1 10"));
    } else {
        QVERIFY(!whole.keepAlive);
    }

    // The same result however the bytes arrive and however little body is taken at once.
    QList<QPair<QString, ParserRun>> runs;
    runs.append({u"byte by byte"_s, run(inPiecesOf(response, 1), head, close, Parser::Unlimited)});
    for (const qsizetype size : {2, 3, 7, 64, 4096})
        runs.append({u"pieces of %1"_s.arg(size),
                     run(inPiecesOf(response, size), head, close, Parser::Unlimited)});
    runs.append({u"body window 1"_s, run({response}, head, close, 1)});
    runs.append({u"body window 3, pieces of 5"_s, run(inPiecesOf(response, 5), head, close, 3)});
    if (response.size() <= 4096) {
        for (qsizetype cut = 0; cut <= response.size(); ++cut)
            runs.append(
                    {u"split at %1"_s.arg(cut),
                     run({response.left(cut), response.mid(cut)}, head, close, Parser::Unlimited)});
    }
    for (const auto &[how, outcome] : std::as_const(runs)) {
        if (!(outcome == whole)) {
            QFAIL(qPrintable(u"%1 differs: %2 instead of %3"_s.arg(how, outcome.describe(),
                                                                   whole.describe())));
        }
    }
}

void TstHttpResponseParser::hostileFiles_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(COS_TEST_DATA_DIR "/hostile"));
    const QStringList files = dir.entryList({u"http-*"_s}, QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TstHttpResponseParser::hostileFiles()
{
    // Inputs the fuzzer or the sanitizers found (tests/data/hostile/http-*): each is refused
    // with a short message, the same way however it is split.
    QFETCH(QString, path);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray data = f.readAll();
    const ParserRun whole = run({data}, false, true, Parser::Unlimited);
    QVERIFY2(whole.problem.isEmpty(), qPrintable(whole.problem));
    QCOMPARE(whole.state, Parser::State::Failed);
    QVERIFY(whole.message.size() <= 200);
    const ParserRun bytes = run(inPiecesOf(data, 1), false, true, 1);
    QVERIFY2(bytes == whole, qPrintable(bytes.describe()));
}

void TstHttpResponseParser::headAtTheLimit()
{
    // A head of exactly MaxHeaderBytes (status line and blank line included) is accepted; one
    // byte more is refused.
    const QByteArray start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ";
    const QByteArray end = "\r\n\r\n";
    const QByteArray fits = start
            + QByteArray(Parser::MaxHeaderBytes - start.size() - end.size(), 'p') + end;
    QCOMPARE(fits.size(), Parser::MaxHeaderBytes);
    QCOMPARE(run({fits}, false, false, Parser::Unlimited).state, Parser::State::Complete);
    QCOMPARE(run(inPiecesOf(fits, 1000), false, false, Parser::Unlimited).state,
             Parser::State::Complete);
    const QByteArray over = start
            + QByteArray(Parser::MaxHeaderBytes - start.size() - end.size() + 1, 'p') + end;
    QCOMPARE(run({over}, false, false, Parser::Unlimited).error, Parser::ErrorCode::HeadersTooLarge);

    // The limit is per head: a long interim answer does not count against the final one.
    const QByteArray interim = "HTTP/1.1 103 Early Hints\r\nLink: "
            + QByteArray(Parser::MaxHeaderBytes - 100, 'l') + "\r\n\r\n";
    const ParserRun o = run({interim + fits}, false, false, Parser::Unlimited);
    QCOMPARE(o.state, Parser::State::Complete);
    QCOMPARE(o.interim, 1);
}

void TstHttpResponseParser::bodyWindowPausesTheBody()
{
    const QByteArray response = ok200("Content-Length: 10\r\n", "0123456789");
    Parser p;
    Parser::Step step = p.feed(response, 0);
    QVERIFY(p.headComplete());
    QCOMPARE(step.consumed, response.size() - 10); // up to the end of the head
    QVERIFY(step.body.isEmpty());
    step = p.feed(QByteArrayView(response).sliced(step.consumed), 0);
    QCOMPARE(step.consumed, 0); // no room: nothing taken
    QCOMPARE(p.state(), Parser::State::Body);
    step = p.feed("0123456789", 4);
    QCOMPARE(step.body, "0123"_ba);
    QCOMPARE(p.bodyBytes(), 4);
    step = p.feed("456789", Parser::Unlimited);
    QCOMPARE(step.body, "456789"_ba);
    QVERIFY(p.isComplete());
    QCOMPARE(p.feed("more", Parser::Unlimited).consumed, 0);
    QCOMPARE(p.bytesConsumed(), response.size());
}

void TstHttpResponseParser::pipelinedResponsesAfterReset()
{
    QByteArray input = ok200("Content-Length: 2\r\n", "ok") + chunkedHead() + "1\r\nx\r\n0\r\n\r\n"
            + "HTTP/1.1 204 No Content\r\n\r\n";
    QList<int> statuses;
    QByteArray bodies;
    Parser p;
    while (!input.isEmpty()) {
        const Parser::Step step = p.feed(input);
        bodies += step.body;
        input.remove(0, step.consumed);
        if (p.isComplete()) {
            statuses.append(p.statusCode());
            p.reset();
        }
        QVERIFY(!p.hasError());
        QVERIFY(step.consumed > 0 || p.isComplete());
    }
    QCOMPARE(statuses, (QList<int> {200, 200, 204}));
    QCOMPARE(bodies, "okx"_ba);
}

void TstHttpResponseParser::endlessInputStaysBounded()
{
    // 64 MiB of chunked body in 1 MiB chunks, fed in 64 KiB pieces: every byte is handed out
    // as a view; nothing accumulates (a view never points outside the piece fed).
    Parser p;
    QCOMPARE(p.feed(chunkedHead()).consumed, chunkedHead().size());
    const QByteArray piece(64 * 1024, 'b');
    const QByteArray sizeLine = "100000\r\n";
    qint64 body = 0;
    for (int chunk = 0; chunk < 64; ++chunk) {
        QCOMPARE(p.feed(sizeLine).consumed, sizeLine.size());
        for (int i = 0; i < 16; ++i) {
            const Parser::Step step = p.feed(piece);
            QCOMPARE(step.consumed, piece.size());
            QVERIFY(step.body.data() == piece.constData());
            body += step.body.size();
        }
        QCOMPARE(p.feed("\r\n").consumed, 2);
    }
    QCOMPARE(p.feed("0\r\n\r\n").consumed, 5);
    QVERIFY(p.isComplete());
    QCOMPARE(body, 64 * 1024 * 1024);

    // Header bytes without an end are refused at the limit, not collected.
    Parser q;
    const QByteArray junk(4096, 'h');
    int fed = 0;
    while (!q.hasError() && fed < 1000) {
        q.feed(junk);
        ++fed;
    }
    QCOMPARE(q.errorCode(), Parser::ErrorCode::HeadersTooLarge);
    QVERIFY(fed <= 17);
}

void TstHttpResponseParser::helpers()
{
    QVERIFY(Parser::hasToken("keep-alive, Close ", "close"));
    QVERIFY(!Parser::hasToken("closed", "close"));
    QVERIFY(!Parser::hasToken("", "close"));
    QVERIFY(Parser::isToken("x-amz-meta_1.a!#$%&'*+^`|~"));
    QVERIFY(!Parser::isToken("a b"));
    QVERIFY(!Parser::isToken(""));
    QCOMPARE(Parser::excerpt("a\x01\xff"), u"a??"_s);
    QCOMPARE(Parser::excerpt(QByteArray(100, 'x')).size(), 83);

    Parser p;
    p.feed("HTTP/1.1 200 OK\r\nX-Multi: 1\r\nx-multi: 2\r\nContent-Length: 0\r\n\r\n");
    QVERIFY(p.isComplete());
    QCOMPARE(p.headerValue("X-MULTI"), "1, 2"_ba);
    QCOMPARE(p.headerValue("absent"), QByteArray());
    QCOMPARE(p.reasonPhrase(), "OK"_ba);
    QCOMPARE(p.minorVersion(), 1);
    QCOMPARE(p.framing(), Parser::Framing::NoBody);
    QCOMPARE(p.contentLength(), 0);
}

QTEST_GUILESS_MAIN(TstHttpResponseParser)
#include "tst_httpresponseparser.moc"
