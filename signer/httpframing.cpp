#include "httpframing.h"

#include <QByteArray>
#include <QList>

using namespace Qt::StringLiterals;

namespace Signer {

namespace {

bool isTokenChar(char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

HeadVerdict refuse(int status, const QString &code, const QString &message)
{
    HeadVerdict v;
    v.status = status;
    v.code = code;
    v.message = message;
    return v;
}

QByteArrayView trimmedOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

} // namespace

qsizetype headerBlockEnd(QByteArrayView data)
{
    for (qsizetype i = data.indexOf('\n'); i >= 0 && i + 1 < data.size();
         i = data.indexOf('\n', i + 1)) {
        if (data[i + 1] == '\n')
            return i + 2;
        if (data[i + 1] == '\r' && i + 2 < data.size() && data[i + 2] == '\n')
            return i + 3;
    }
    return -1;
}

HeadVerdict checkRequestHead(QByteArrayView head, qint64 maxBody)
{
    int lengthHeaders = 0;
    bool transferEncoding = false;
    qint64 contentLength = 0;
    qsizetype start = head.indexOf('\n'); // the request line is QHttpServer's to judge
    while (start >= 0 && start < head.size()) {
        qsizetype end = head.indexOf('\n', start + 1);
        QByteArrayView line = head.sliced(start + 1, (end < 0 ? head.size() : end) - start - 1);
        start = end;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t')
            return refuse(400, u"BadFraming"_s, u"folded header lines are not accepted"_s);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return refuse(400, u"BadFraming"_s, u"a header line has no field name and colon"_s);
        const QByteArrayView name = line.first(colon);
        for (char c : name) {
            if (!isTokenChar(c))
                return refuse(400, u"BadFraming"_s,
                              u"a header field name contains a character that is not allowed"_s);
        }
        const QByteArrayView value = trimmedOws(line.sliced(colon + 1));
        if (name.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            ++lengthHeaders;
            if (value.isEmpty() || value.size() > 18)
                return refuse(400, u"BadFraming"_s, u"Content-Length is not a number"_s);
            qint64 n = 0;
            for (char c : value) {
                if (c < '0' || c > '9')
                    return refuse(400, u"BadFraming"_s, u"Content-Length is not a number"_s);
                n = n * 10 + (c - '0');
            }
            contentLength = n;
        } else if (name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            transferEncoding = true;
        }
    }
    if (lengthHeaders > 1)
        return refuse(400, u"BadFraming"_s, u"the request has several Content-Length headers"_s);
    if (transferEncoding && lengthHeaders > 0)
        return refuse(400, u"BadFraming"_s,
                      u"the request has both Content-Length and Transfer-Encoding"_s);
    if (transferEncoding)
        return refuse(411, u"LengthRequired"_s,
                      u"Transfer-Encoding (chunked) request bodies are not accepted; send "
                      "Content-Length"_s);
    if (contentLength > maxBody) {
        HeadVerdict v = refuse(413, u"PayloadTooLarge"_s,
                               u"request body of %1 bytes exceeds the limit of %2 bytes"_s
                                       .arg(contentLength)
                                       .arg(maxBody));
        v.contentLength = contentLength;
        return v;
    }
    HeadVerdict ok;
    ok.contentLength = contentLength;
    return ok;
}

} // namespace Signer
