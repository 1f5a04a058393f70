#include "cos/protocol/httpresponseparser.h"

#include "cos/signing/percentencoding.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Cos {

namespace {

// RFC 9110 field-value characters: visible ASCII, obs-text, space and tab.
bool isFieldValue(QByteArrayView value)
{
    return std::all_of(value.begin(), value.end(), [](char c) {
        const auto u = uchar(c);
        return u >= 0x20 ? u != 0x7f : c == '\t';
    });
}

QByteArrayView chopCr(QByteArrayView line)
{
    return line.endsWith('\r') ? line.chopped(1) : line;
}

} // namespace

void HttpResponseParser::reset(bool headRequest)
{
    *this = HttpResponseParser();
    m_headRequest = headRequest;
}

bool HttpResponseParser::parseDecimal(QByteArrayView text, qint64 *out)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    qint64 v = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
}

bool HttpResponseParser::isToken(QByteArrayView name)
{
    if (name.isEmpty())
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        const auto u = uchar(c);
        return u > 0x20 && u < 0x7f && c != ':' && c != '(' && c != ')' && c != ',' && c != ';'
                && c != '"' && c != '/' && c != '[' && c != ']' && c != '=' && c != '{' && c != '}'
                && c != '\\' && c != '<' && c != '>' && c != '?' && c != '@';
    });
}

bool HttpResponseParser::hasToken(QByteArrayView list, QByteArrayView token)
{
    while (!list.isEmpty()) {
        const qsizetype comma = list.indexOf(',');
        const QByteArrayView item = (comma < 0 ? list : list.first(comma)).trimmed();
        if (item.compare(token, Qt::CaseInsensitive) == 0)
            return true;
        list = comma < 0 ? QByteArrayView() : list.sliced(comma + 1);
    }
    return false;
}

QString HttpResponseParser::excerpt(QByteArrayView bytes)
{
    QString out;
    for (const char c : bytes.first(std::min<qsizetype>(bytes.size(), 80))) {
        const auto u = uchar(c);
        out += (u >= 0x20 && u < 0x7f) ? QLatin1Char(c) : QLatin1Char('?');
    }
    if (bytes.size() > 80)
        out += u"..."_s;
    return out;
}

QByteArray HttpResponseParser::headerValue(QByteArrayView name) const
{
    QByteArray out;
    bool first = true;
    for (const auto &[n, v] : m_headers) {
        if (QByteArrayView(n).compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!first)
            out += ", ";
        out += v;
        first = false;
    }
    return out;
}

bool HttpResponseParser::keepAlive() const
{
    if (m_state == State::Failed || !m_headDone || m_framing == Framing::UntilClose
        || m_closeRequested)
        return false;
    if (m_minor == 0)
        return hasToken(headerValue("Connection"), "keep-alive");
    return true;
}

void HttpResponseParser::fail(ErrorCode code, const QString &message)
{
    m_state = State::Failed;
    m_error = code;
    m_errorString = message;
    m_line.clear();
    m_line.squeeze();
}

bool HttpResponseParser::takeLine(QByteArrayView data, qsizetype *pos, qsizetype limit,
                                  bool *tooLong)
{
    const qsizetype nl = data.indexOf('\n', *pos);
    const qsizetype end = nl < 0 ? data.size() : nl;
    // The line so far with its LF, when there is one, must fit in the limit.
    if (m_line.size() + (end - *pos) + (nl < 0 ? 0 : 1) > limit) {
        *tooLong = true;
        return false;
    }
    m_line.append(data.sliced(*pos, end - *pos));
    *pos = nl < 0 ? data.size() : nl + 1;
    return nl >= 0;
}

HttpResponseParser::Step HttpResponseParser::feed(QByteArrayView data, qint64 maxBody)
{
    Step step;
    qsizetype pos = 0;
    const auto done = [&] {
        step.consumed = pos;
        m_consumed += pos;
        return step;
    };
    while (m_state != State::Complete && m_state != State::Failed) {
        if (m_state == State::StatusLine || m_state == State::Headers) {
            if (pos == data.size())
                return done();
            bool tooLong = false;
            const bool line = takeLine(data, &pos, MaxHeaderBytes - m_headBytes, &tooLong);
            if (tooLong) {
                fail(ErrorCode::HeadersTooLarge,
                     u"The response headers are larger than %1 KiB"_s.arg(MaxHeaderBytes / 1024));
                return done();
            }
            if (!line)
                return done();
            m_headBytes += m_line.size() + 1;
            const QByteArray text = std::exchange(m_line, {});
            if (m_state == State::StatusLine)
                statusLine(chopCr(text));
            else
                headerLine(chopCr(text));
            if (m_headDone)
                return done(); // the caller looks at the head before any body byte
            continue;
        }

        // Body
        const qint64 avail = data.size() - pos;
        if (m_framing == Framing::Length || m_framing == Framing::UntilClose
            || (m_framing == Framing::Chunked && m_chunkState == ChunkState::Data)) {
            qint64 n = std::min(avail, maxBody);
            if (m_framing != Framing::UntilClose)
                n = std::min(n, m_bodyLeft);
            if (n <= 0)
                return done();
            step.body = data.sliced(pos, qsizetype(n));
            pos += qsizetype(n);
            m_bodyBytes += n;
            if (m_framing != Framing::UntilClose) {
                m_bodyLeft -= n;
                if (m_bodyLeft == 0) {
                    if (m_framing == Framing::Length)
                        m_state = State::Complete;
                    else
                        m_chunkState = ChunkState::DataEnd;
                }
            }
            return done();
        }
        if (avail == 0)
            return done();
        switch (m_chunkState) {
        case ChunkState::Size: {
            bool tooLong = false;
            const bool line = takeLine(data, &pos, MaxChunkSizeLine, &tooLong);
            if (tooLong) {
                fail(ErrorCode::ChunkSizeLineTooLong,
                     u"A chunk size line in the response is longer than %1 bytes"_s.arg(
                             MaxChunkSizeLine));
                return done();
            }
            if (!line)
                return done();
            chunkSizeLine(chopCr(std::exchange(m_line, {})));
            break;
        }
        case ChunkState::DataEnd: {
            // CRLF (or a bare LF) after the chunk data; a CR may end one piece of input.
            const char c = data.at(pos);
            if (c == '\n') {
                ++pos;
                m_line.clear();
                m_chunkState = ChunkState::Size;
            } else if (c == '\r' && m_line.isEmpty()) {
                ++pos;
                m_line = "\r";
            } else {
                fail(ErrorCode::MissingChunkTerminator,
                     u"A chunk in the response is not followed by CRLF"_s);
                return done();
            }
            break;
        }
        case ChunkState::Trailer: {
            bool tooLong = false;
            const bool line = takeLine(data, &pos, MaxHeaderBytes - m_trailerBytes, &tooLong);
            if (tooLong) {
                fail(ErrorCode::TrailersTooLarge,
                     u"The response trailers are larger than %1 KiB"_s.arg(MaxHeaderBytes / 1024));
                return done();
            }
            if (!line)
                return done();
            m_trailerBytes += m_line.size() + 1;
            trailerLine(chopCr(std::exchange(m_line, {})));
            break;
        }
        case ChunkState::Data:
            break; // handled above
        }
    }
    return done();
}

void HttpResponseParser::statusLine(QByteArrayView line)
{
    // "HTTP/1.x NNN reason"; the reason may be empty, with or without its space.
    const bool ok = line.size() >= 12 && line.startsWith("HTTP/1.") && line[7] >= '0'
            && line[7] <= '9' && line[8] == ' ' && line[9] >= '1' && line[9] <= '5'
            && line[10] >= '0' && line[10] <= '9' && line[11] >= '0' && line[11] <= '9'
            && (line.size() == 12 || line[12] == ' ') && isFieldValue(line);
    if (!ok) {
        fail(ErrorCode::MalformedStatusLine,
             u"Malformed status line in the response: \"%1\""_s.arg(excerpt(line)));
        return;
    }
    m_status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    m_reason = line.size() > 13 ? line.sliced(13).toByteArray() : QByteArray();
    m_minor = line[7] - '0';
    m_state = State::Headers;
}

void HttpResponseParser::headerLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        endOfHead();
        return;
    }
    if (!isFieldValue(line)) {
        fail(ErrorCode::MalformedHeader,
             u"A header line in the response has control characters: \"%1\""_s.arg(excerpt(line)));
        return;
    }
    if (line[0] == ' ' || line[0] == '\t') {
        // Obsolete line folding: the line continues the previous field's value.
        if (m_headers.isEmpty()) {
            fail(ErrorCode::MalformedHeader,
                 u"Malformed header line in the response: \"%1\""_s.arg(excerpt(line)));
            return;
        }
        m_headers.last().second += ' ' + line.trimmed().toByteArray();
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon))) {
        fail(ErrorCode::MalformedHeader,
             u"Malformed header line in the response: \"%1\""_s.arg(excerpt(line)));
        return;
    }
    if (m_headers.size() >= MaxHeaderCount) {
        fail(ErrorCode::TooManyHeaders,
             u"The response has more than %1 header fields"_s.arg(MaxHeaderCount));
        return;
    }
    m_headers.append(qMakePair(line.first(colon).toByteArray(),
                               line.sliced(colon + 1).trimmed().toByteArray()));
}

void HttpResponseParser::endOfHead()
{
    // Interim answers (100 Continue, 102, 103) precede the real one.
    if (m_status >= 100 && m_status < 200 && m_status != 101) {
        if (m_interim == MaxInterimResponses) {
            fail(ErrorCode::TooManyInterimResponses,
                 u"The response has more than %1 interim (1xx) answers"_s.arg(MaxInterimResponses));
            return;
        }
        ++m_interim;
        m_state = State::StatusLine;
        m_headBytes = 0;
        m_headers.clear();
        m_status = 0;
        m_reason.clear();
        return;
    }
    if (m_status == 101) {
        fail(ErrorCode::SwitchingProtocols,
             u"The server switched protocols (101), which was not asked for"_s);
        return;
    }

    m_closeRequested = hasToken(headerValue("Connection"), "close");
    m_contentLength = -1;
    m_framing = Framing::NoBody;
    bool hasLength = false;
    bool hasCoding = false;
    for (const auto &[name, value] : std::as_const(m_headers)) {
        hasLength = hasLength || name.compare("Content-Length", Qt::CaseInsensitive) == 0;
        hasCoding = hasCoding || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0;
    }
    if (m_headRequest || m_status == 204 || m_status == 304) {
        // No body, whatever the framing headers say (for HEAD they describe a GET).
    } else if (hasCoding && hasLength) {
        // Which one frames the body is exactly what request smuggling plays on: refuse both.
        fail(ErrorCode::ContentLengthWithTransferEncoding,
             u"The response has both Content-Length and Transfer-Encoding"_s);
        return;
    } else if (hasCoding) {
        const QByteArray codings = headerValue("Transfer-Encoding");
        const qsizetype comma = codings.lastIndexOf(',');
        const QByteArrayView last =
                QByteArrayView(codings).sliced(comma < 0 ? 0 : comma + 1).trimmed();
        if (last.compare("chunked", Qt::CaseInsensitive) == 0) {
            m_framing = Framing::Chunked;
            m_chunkState = ChunkState::Size;
        } else {
            m_framing = Framing::UntilClose; // RFC 9112 6.3: read until the close
        }
    } else if (hasLength) {
        // "5, 5" or repeated equal fields are fine; differing values are not.
        const QByteArray values = headerValue("Content-Length");
        qint64 length = -1;
        const QList<QByteArray> items = values.split(',');
        for (const QByteArray &item : items) {
            qint64 n = 0;
            if (!parseDecimal(item.trimmed(), &n) || (length >= 0 && n != length)) {
                fail(ErrorCode::InvalidContentLength,
                     u"Invalid Content-Length in the response: \"%1\""_s.arg(excerpt(values)));
                return;
            }
            length = n;
        }
        m_contentLength = length;
        m_bodyLeft = length;
        m_framing = length > 0 ? Framing::Length : Framing::NoBody;
    } else {
        m_framing = Framing::UntilClose;
    }
    m_headDone = true;
    m_state = m_framing == Framing::NoBody ? State::Complete : State::Body;
}

void HttpResponseParser::chunkSizeLine(QByteArrayView line)
{
    // chunk-size [ ";" chunk-ext ]: the extensions carry nothing we use.
    const qsizetype semicolon = line.indexOf(';');
    if (semicolon >= 0)
        line = line.first(semicolon);
    line = line.trimmed();
    qint64 size = 0;
    bool ok = !line.isEmpty();
    for (const char c : line) {
        const int d = hexDigitValue(c);
        if (d < 0) {
            ok = false;
            break;
        }
        // Checked before it grows: no overflow, and a bound far above any real chunk.
        if (size > (MaxChunkSize - d) / 16) {
            fail(ErrorCode::ChunkTooLarge,
                 u"A chunk size in the response is larger than %1 TiB: \"%2\""_s
                         .arg(MaxChunkSize >> 40)
                         .arg(excerpt(line)));
            return;
        }
        size = size * 16 + d;
    }
    if (!ok) {
        fail(ErrorCode::InvalidChunkSize,
             u"Invalid chunk size in the response: \"%1\""_s.arg(excerpt(line)));
        return;
    }
    if (size == 0) {
        m_chunkState = ChunkState::Trailer;
        m_trailerBytes = 0;
    } else {
        m_bodyLeft = size;
        m_chunkState = ChunkState::Data;
    }
}

void HttpResponseParser::trailerLine(QByteArrayView line)
{
    if (line.isEmpty()) {
        m_state = State::Complete;
        return;
    }
    // Trailer fields are checked but not kept.
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)) || !isFieldValue(line)) {
        fail(ErrorCode::MalformedTrailer,
             u"Malformed trailer line in the response: \"%1\""_s.arg(excerpt(line)));
    }
}

bool HttpResponseParser::finish()
{
    switch (m_state) {
    case State::Complete:
        return true;
    case State::Failed:
        return false;
    case State::StatusLine:
        fail(ErrorCode::EndedEarly,
             m_consumed == 0 ? u"The response ended before it began"_s
                             : u"The response ended in its status line"_s);
        return false;
    case State::Headers:
        fail(ErrorCode::EndedEarly, u"The response ended in its headers"_s);
        return false;
    case State::Body:
        break;
    }
    switch (m_framing) {
    case Framing::UntilClose:
        m_state = State::Complete;
        return true;
    case Framing::Length:
        fail(ErrorCode::EndedEarly,
             u"The response ended after %1 of %2 body bytes"_s.arg(m_bodyBytes).arg(m_contentLength));
        return false;
    case Framing::Chunked:
        fail(ErrorCode::EndedEarly,
             u"The chunked response body ended after %1 bytes, before its end"_s.arg(m_bodyBytes));
        return false;
    case Framing::NoBody:
        break;
    }
    m_state = State::Complete;
    return true;
}

} // namespace Cos
