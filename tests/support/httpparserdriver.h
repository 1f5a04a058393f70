#pragma once

// Drives a Cos::HttpResponseParser the way a connection does (pieces of input, a body window,
// maybe a close at the end) and checks its invariants on the way. Header-only: used by
// tst_httpresponseparser and by the fuzz_httpresponse target, which is built without the test
// support library.
#include "cos/protocol/httpresponseparser.h"

#include <QByteArray>
#include <QList>
#include <QString>

/** @brief Everything a caller can observe of one parse, to compare runs. */
struct ParserRun
{
    Cos::HttpResponseParser::State state = Cos::HttpResponseParser::State::StatusLine;
    Cos::HttpResponseParser::ErrorCode error = Cos::HttpResponseParser::ErrorCode::None;
    QString message;
    int status = 0;
    QByteArray reason;
    QList<QPair<QByteArray, QByteArray>> headers;
    Cos::HttpResponseParser::Framing framing = Cos::HttpResponseParser::Framing::NoBody;
    qint64 contentLength = -1;
    QByteArray body;
    bool keepAlive = false;
    qsizetype leftover = 0; ///< bytes fed but not consumed (-1 after an error)
    int interim = 0;
    QString problem; ///< the first invariant that broke, empty if none

    bool operator==(const ParserRun &o) const
    {
        return state == o.state && error == o.error && message == o.message && status == o.status
                && reason == o.reason && headers == o.headers && framing == o.framing
                && contentLength == o.contentLength && body == o.body && keepAlive == o.keepAlive
                && leftover == o.leftover && interim == o.interim && problem == o.problem;
    }
    QString describe() const
    {
        return QStringLiteral("state %1 error %2 \"%3\" status %4 body %5 bytes keepAlive %6 "
                              "leftover %7 %8")
                .arg(int(state))
                .arg(int(error))
                .arg(message)
                .arg(status)
                .arg(body.size())
                .arg(keepAlive)
                .arg(leftover)
                .arg(problem);
    }
};

/**
 * @brief Feeds @p pieces in order as a connection would deliver them, taking at most
 * @p window body bytes per feed(), and calls finish() at the end when @p close.
 */
inline ParserRun feedResponse(const QList<QByteArray> &pieces, bool head, bool close, qint64 window)
{
    using Parser = Cos::HttpResponseParser;
    Parser p;
    p.reset(head);
    ParserRun o;
    const auto expect = [&o](bool condition, const char *what) {
        if (!condition && o.problem.isEmpty())
            o.problem = QString::fromLatin1(what);
    };
    QByteArray pending;
    qint64 fed = 0;
    for (const QByteArray &piece : pieces) {
        pending += piece;
        fed += piece.size();
        for (;;) {
            const bool headBefore = p.headComplete();
            const Parser::Step step = p.feed(pending, window);
            expect(step.consumed >= 0 && step.consumed <= pending.size(), "consumed out of range");
            expect(step.body.size() <= window, "more body than the window");
            expect(step.body.isEmpty() || headBefore, "body before the head was reported");
            expect(step.body.isEmpty()
                           || (step.body.data() >= pending.constData()
                               && step.body.data() + step.body.size()
                                       <= pending.constData() + step.consumed),
                   "body is not a view into the consumed input");
            o.body += step.body;
            pending.remove(0, step.consumed);
            expect(p.bodyBytes() == o.body.size(), "bodyBytes() differs from the body");
            expect(p.framing() != Parser::Framing::Length || p.bodyBytes() <= p.contentLength(),
                   "body beyond Content-Length");
            expect(p.bytesConsumed() <= fed, "consumed more than fed");
            if (step.consumed == 0)
                break;
        }
    }
    if (close)
        p.finish();

    o.state = p.state();
    o.error = p.errorCode();
    o.message = p.errorString();
    o.status = p.statusCode();
    o.reason = p.reasonPhrase();
    o.headers = p.headers();
    o.framing = p.framing();
    o.contentLength = p.contentLength();
    o.keepAlive = p.keepAlive();
    // Where a failing run stops depends on the pieces; what it reports does not.
    o.leftover = p.hasError() ? -1 : pending.size();
    o.interim = p.interimResponses();

    // Errors: exactly when failed, short, printable ASCII; never kept alive.
    expect(p.hasError() == (o.error != Parser::ErrorCode::None), "error code without failure");
    expect(p.hasError() == !o.message.isEmpty(), "error message without failure");
    expect(o.message.size() <= 200, "error message too long");
    for (const QChar c : std::as_const(o.message))
        expect(c.unicode() >= 0x20 && c.unicode() < 0x7f, "error message not printable");
    expect(!p.hasError() || !o.keepAlive, "kept alive after an error");

    // The head stays within its limits.
    expect(o.headers.size() <= Parser::MaxHeaderCount, "too many headers kept");
    qsizetype headerBytes = 0;
    for (const auto &[name, value] : std::as_const(o.headers)) {
        expect(Parser::isToken(name), "header name is not a token");
        expect(!value.contains('\n') && !value.contains('\r') && !value.contains('\0'),
               "control character in a header value");
        headerBytes += name.size() + value.size();
    }
    expect(headerBytes <= Parser::MaxHeaderBytes, "headers beyond the limit kept");
    expect(o.interim <= Parser::MaxInterimResponses, "too many interim responses");

    // A complete response is consistent.
    if (p.isComplete()) {
        expect(p.headComplete() && o.status >= 200 && o.status <= 599, "complete without a head");
        switch (o.framing) {
        case Parser::Framing::NoBody:
            expect(o.body.isEmpty(), "body without framing");
            break;
        case Parser::Framing::Length:
            expect(o.contentLength > 0 && o.body.size() == o.contentLength,
                   "body differs from Content-Length");
            break;
        case Parser::Framing::Chunked:
            expect(o.contentLength == -1, "chunked with a length");
            break;
        case Parser::Framing::UntilClose:
            expect(close && !o.keepAlive, "until-close body complete without the close");
            break;
        }
        if (head || o.status == 204 || o.status == 304)
            expect(o.body.isEmpty(), "body for HEAD, 204 or 304");
    }
    if (!p.headComplete())
        expect(o.body.isEmpty(), "body without a head");
    return o;
}
