#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <limits>

namespace Cos {

/**
 * @brief An incremental, socket-free HTTP/1.1 response parser: bytes in; status, headers, body
 * bytes, completion and errors out.
 *
 * The caller feeds what the connection delivers, in pieces of any size; the parser consumes a
 * prefix of each piece and stops at points the caller must act on. Splitting a response at any
 * byte gives the same result. Memory is bounded whatever the input: an unfinished line is kept
 * only up to the head, chunk-size and trailer limits, and body bytes are never copied (they are
 * views into the fed data).
 *
 * @code
 *            feed()
 *   +-------------+  line   +---------+ blank line, 1xx (not 101): next response
 *   | StatusLine  |-------->| Headers |----------------------------------+
 *   +-------------+         +---------+                                  |
 *         ^                      | blank line, final status              |
 *         +----------------------|---------------------------------------+
 *                                v
 *                   framing: HEAD, 204, 304 or Content-Length 0 ------------+
 *                                |                                          |
 *        +-----------------------+-----------------------+                  |
 *        v Content-Length        v chunked               v neither          |
 *   +----------+     +---------+  size   +------+   +------------+          |
 *   |  Length  |     |  Chunk  |-------->| Data |   | UntilClose |          |
 *   +----------+     |  Size   |<--CRLF--+------+   +------------+          |
 *        |           +---------+                         | finish()         |
 *        | all bytes      | 0                            | (peer closed)    |
 *        |                v                              |                  |
 *        |           +----------+ blank line             |                  |
 *        |           | Trailers |-------------+          |                  |
 *        |           +----------+             |          |                  |
 *        v                                    v          v                  v
 *   +-------------------------------------------------------------------------+
 *   |                                Complete                                 |
 *   +-------------------------------------------------------------------------+
 *   Any state --(malformed input, a limit, finish() before the end)--> Failed
 * @endcode
 * (Length, Chunk Size, Data, Trailers and UntilClose are state() Body; the chunk states are
 * kept inside.)
 *
 * feed() returns after the final head (headComplete() turns true, before any body byte, so
 * the caller can look at the status and headers first), after each piece of body (Step::body),
 * at completion, on an error, or when the data runs out. Interim 1xx responses are skipped;
 * 101 is an error (nothing asked to switch protocols). Limits: a head of at most
 * MaxHeaderBytes and MaxHeaderCount fields, MaxInterimResponses 1xx answers, chunk-size lines
 * of MaxChunkSizeLine bytes, chunks of at most MaxChunkSize bytes, trailers of MaxHeaderBytes.
 * A Content-Length together with Transfer-Encoding, differing Content-Length values, and a
 * Content-Length that is not a plain decimal number are errors. Error messages are short and
 * quote at most 80 printable characters of the input.
 */
class HttpResponseParser
{
public:
    static constexpr qsizetype MaxHeaderBytes = 64 * 1024;
    static constexpr int MaxHeaderCount = 256;
    static constexpr int MaxInterimResponses = 32;
    static constexpr qsizetype MaxChunkSizeLine = 4096;
    static constexpr qint64 MaxChunkSize = qint64(1) << 40; // 1 TiB
    static constexpr qint64 Unlimited = std::numeric_limits<qint64>::max();

    enum class State { StatusLine, Headers, Body, Complete, Failed };
    /** @brief How the body of the final response is delimited. */
    enum class Framing { NoBody, Length, Chunked, UntilClose };
    enum class ErrorCode {
        None,
        MalformedStatusLine,
        SwitchingProtocols,
        TooManyInterimResponses,
        MalformedHeader,
        HeadersTooLarge,
        TooManyHeaders,
        InvalidContentLength,
        ContentLengthWithTransferEncoding,
        ChunkSizeLineTooLong,
        InvalidChunkSize,
        ChunkTooLarge,
        MissingChunkTerminator,
        MalformedTrailer,
        TrailersTooLarge,
        EndedEarly,
    };

    /** @brief What one feed() call did. */
    struct Step
    {
        qsizetype consumed = 0; ///< bytes of the fed data used; the caller keeps the rest
        QByteArrayView body; ///< body bytes, a view into the fed data (may be empty)
    };

    HttpResponseParser() = default;

    /** @brief Starts over for a new response; @p headRequest: the request was HEAD. */
    void reset(bool headRequest = false);

    /**
     * @brief Consumes a prefix of @p data and returns how much, and the body bytes in it (at
     * most @p maxBody of them).
     *
     * Stops after the final head, after one piece of body, at completion, on an error, or at
     * the end of @p data. Feeding after completion or an error consumes nothing.
     */
    Step feed(QByteArrayView data, qint64 maxBody = Unlimited);

    /**
     * @brief The input ended (the peer closed the connection). Completes a body delimited by
     * the close; anything else not complete yet becomes an EndedEarly error. Returns
     * isComplete().
     */
    bool finish();

    [[nodiscard]] State state() const { return m_state; }
    /** @brief Whether the final status line and headers were read. */
    [[nodiscard]] bool headComplete() const { return m_headDone; }
    [[nodiscard]] bool isComplete() const { return m_state == State::Complete; }
    [[nodiscard]] bool hasError() const { return m_state == State::Failed; }
    [[nodiscard]] ErrorCode errorCode() const { return m_error; }
    /** @brief A short, specific message for the error (at most about 200 characters). */
    [[nodiscard]] QString errorString() const { return m_errorString; }

    /** @brief Bytes consumed so far, interim responses included. */
    [[nodiscard]] qint64 bytesConsumed() const { return m_consumed; }
    /** @brief Interim 1xx responses skipped so far. */
    [[nodiscard]] int interimResponses() const { return m_interim; }

    // The final response (valid once headComplete()).
    [[nodiscard]] int statusCode() const { return m_status; }
    [[nodiscard]] QByteArray reasonPhrase() const { return m_reason; }
    /** @brief 0 for HTTP/1.0, 1 for HTTP/1.1 (and later 1.x). */
    [[nodiscard]] int minorVersion() const { return m_minor; }
    /** @brief Header fields in order, names as sent, values trimmed, folded lines joined. */
    [[nodiscard]] const QList<QPair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    /** @brief The values of every field named @p name (any case), joined with ", ". */
    [[nodiscard]] QByteArray headerValue(QByteArrayView name) const;
    [[nodiscard]] Framing framing() const { return m_framing; }
    /** @brief The declared body length, or -1 (chunked, until close, or no Content-Length). */
    [[nodiscard]] qint64 contentLength() const { return m_contentLength; }
    /** @brief Body bytes handed out so far. */
    [[nodiscard]] qint64 bodyBytes() const { return m_bodyBytes; }
    /**
     * @brief Whether the connection may carry another request after this response: HTTP/1.1
     * without "Connection: close", or HTTP/1.0 with "Connection: keep-alive"; never for a
     * body delimited by the close or after an error.
     */
    [[nodiscard]] bool keepAlive() const;

    /**
     * @brief Parses a Content-Length value: 1 to 18 ASCII digits, nothing else (no sign, no
     * space, no overflow). False leaves @p out alone.
     */
    [[nodiscard]] static bool parseDecimal(QByteArrayView text, qint64 *out);
    /** @brief Whether the comma-separated @p list holds @p token (any case). */
    [[nodiscard]] static bool hasToken(QByteArrayView list, QByteArrayView token);
    /** @brief Whether @p name is an RFC 9110 token (a valid method or field name). */
    [[nodiscard]] static bool isToken(QByteArrayView name);
    /** @brief Up to 80 bytes of @p bytes, non-printable ones as '?', for messages. */
    [[nodiscard]] static QString excerpt(QByteArrayView bytes);

private:
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    // Takes one line (without its LF) from @p data into m_line; false when more input is
    // needed (the partial line is kept, within @p limit bytes of line so far).
    bool takeLine(QByteArrayView data, qsizetype *pos, qsizetype limit, bool *tooLong);
    void headLine(QByteArrayView line);
    void statusLine(QByteArrayView line);
    void headerLine(QByteArrayView line);
    void endOfHead();
    void chunkSizeLine(QByteArrayView line);
    void trailerLine(QByteArrayView line);
    void fail(ErrorCode code, const QString &message);

    State m_state = State::StatusLine;
    ErrorCode m_error = ErrorCode::None;
    QString m_errorString;
    bool m_headRequest = false;
    bool m_headDone = false;
    QByteArray m_line; // the unfinished line, bounded by the limit of the current state
    qsizetype m_headBytes = 0; // of the current head, status line included
    qsizetype m_trailerBytes = 0;
    qint64 m_consumed = 0;
    int m_interim = 0;

    int m_status = 0;
    int m_minor = 1;
    QByteArray m_reason;
    QList<QPair<QByteArray, QByteArray>> m_headers;
    Framing m_framing = Framing::NoBody;
    bool m_closeRequested = false;
    qint64 m_contentLength = -1;
    qint64 m_bodyLeft = 0; // Length: of the body; Chunked: of the current chunk
    qint64 m_bodyBytes = 0;
    ChunkState m_chunkState = ChunkState::Size;
};

} // namespace Cos
