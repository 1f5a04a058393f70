#pragma once

#include <QByteArrayView>
#include <QString>

namespace Signer {

/** @brief What the connection guard decides about one request's header block. */
struct HeadVerdict
{
    int status = 0; ///< 0: accepted; otherwise the 4xx to answer with before closing
    QString code; ///< e.g. "BadFraming", "LengthRequired", "PayloadTooLarge"
    QString message;
    qint64 contentLength = 0; ///< body bytes that follow the header block (when accepted)
};

/**
 * @brief The largest header block (request line and fields) the signer reads; a larger one
 * gets 431.
 */
constexpr qsizetype kMaxHeaderBlockBytes = 16 * 1024;

/**
 * @brief Finds the blank line that ends a header block.
 * @return the index just past it (where the body starts), or -1 while it has not arrived.
 * Lines may end in CRLF or a bare LF, as the HTTP parser of QHttpServer accepts both.
 */
qsizetype headerBlockEnd(QByteArrayView data);

/**
 * @brief Decides how long the body of a request is, strictly, so that the guard and
 * QHttpServer can never disagree on where a request ends.
 *
 * @p head is the header block without the blank line. Refused: folded lines, field names
 * that are not HTTP tokens, lines without a colon (400 BadFraming); more than one
 * Content-Length, a Content-Length that is not 1-18 ASCII digits, Content-Length together
 * with Transfer-Encoding (400 BadFraming); any Transfer-Encoding (411 LengthRequired);
 * a declared length over @p maxBody (413 PayloadTooLarge).
 */
HeadVerdict checkRequestHead(QByteArrayView head, qint64 maxBody);

} // namespace Signer
