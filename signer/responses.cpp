#include "responses.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Signer {

SignerError upstreamError(const Cos::Error &error)
{
    SignerError e;
    e.requestId = error.requestId();
    switch (error.kind()) {
    case Cos::Error::Kind::Timeout:
        e.status = 504;
        e.code = u"UpstreamTimeout"_s;
        e.message = error.message();
        break;
    case Cos::Error::Kind::Network:
        e.status = 502;
        e.code = u"UpstreamUnavailable"_s;
        e.message = error.message();
        break;
    case Cos::Error::Kind::Service:
        e.status = 502;
        e.code = u"UpstreamError"_s;
        e.upstreamCode = error.code();
        e.message = u"STS refused the request: %1%2"_s.arg(error.code(),
                                                           error.message().isEmpty()
                                                                   ? QString()
                                                                   : u": "_s + error.message());
        break;
    default:
        e.status = 502;
        e.code = u"UpstreamBadResponse"_s;
        e.message = error.message();
        break;
    }
    return e;
}

static QJsonObject credentialsObject(const TempCredentials &c)
{
    return QJsonObject {{u"tmpSecretId"_s, c.tmpSecretId},
                        {u"tmpSecretKey"_s, c.tmpSecretKey},
                        {u"sessionToken"_s, c.sessionToken}};
}

static QJsonObject withScope(QJsonObject answer, const QJsonArray &scope)
{
    if (!scope.isEmpty())
        answer.insert(u"scope"_s, scope);
    return answer;
}

QJsonObject legacyJson(const TempCredentials &creds, const QJsonArray &scope)
{
    return withScope(QJsonObject {{u"code"_s, 0},
                                  {u"message"_s, u""_s},
                                  {u"codeDesc"_s, u"Success"_s},
                                  {u"data"_s,
                                   QJsonObject {{u"credentials"_s, credentialsObject(creds)},
                                                {u"expiredTime"_s, creds.expiredTime}}}},
                     scope);
}

QJsonObject legacyErrorJson(const SignerError &error)
{
    QJsonObject o {{u"code"_s, error.status},
                   {u"codeDesc"_s, error.code},
                   {u"message"_s, error.message}};
    if (!error.upstreamCode.isEmpty())
        o.insert(u"upstreamCode"_s, error.upstreamCode);
    return o;
}

QJsonObject modernJson(const TempCredentials &creds, qint64 serverTime, const QJsonArray &scope)
{
    return withScope(QJsonObject {{u"credentials"_s, credentialsObject(creds)},
                                  {u"startTime"_s, serverTime},
                                  {u"expiredTime"_s, creds.expiredTime},
                                  {u"expiration"_s, creds.expiration},
                                  {u"requestId"_s, creds.requestId}},
                     scope);
}

QJsonObject modernErrorJson(const SignerError &error)
{
    QJsonObject inner {{u"code"_s, error.code}, {u"message"_s, error.message}};
    if (!error.upstreamCode.isEmpty())
        inner.insert(u"upstreamCode"_s, error.upstreamCode);
    return QJsonObject {{u"error"_s, inner}, {u"requestId"_s, error.requestId}};
}

QString escapeForLog(const QString &text, int max)
{
    // Most fields (addresses, request ids, paths) are short printable ASCII: handed back as
    // they are, shared, without a copy or a Unicode property lookup per character.
    if (text.size() <= max && std::all_of(text.cbegin(), text.cend(), [](QChar c) {
            const char16_t u = c.unicode();
            return u >= 0x20 && u < 0x7f && u != u'"' && u != u'\\';
        }))
        return text;
    QString out;
    out.reserve(qMin<qsizetype>(text.size(), max) + 8);
    qsizetype i = 0;
    for (; i < text.size() && out.size() < max; ++i) {
        const QChar c = text.at(i);
        char32_t ucs4 = c.unicode();
        bool pair = false;
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            ucs4 = QChar::surrogateToUcs4(c, text.at(i + 1));
            pair = true;
        }
        const bool plain = ucs4 >= 0x20 && ucs4 != 0x7f && ucs4 != u'"' && ucs4 != u'\\'
                && !QChar::isSurrogate(ucs4) && QChar::isPrint(ucs4)
                && QChar::category(ucs4) != QChar::Other_Format;
        if (plain) {
            out += c;
            if (pair)
                out += text.at(++i);
        } else if (ucs4 < 0x80) {
            out += u"\\x%1"_s.arg(uint(ucs4), 2, 16, QChar(u'0'));
        } else if (ucs4 <= 0xffff) {
            out += u"\\u%1"_s.arg(uint(ucs4), 4, 16, QChar(u'0'));
        } else {
            out += u"\\U{%1}"_s.arg(uint(ucs4), 0, 16);
            ++i;
        }
    }
    if (i < text.size())
        out += u"..."_s;
    return out;
}

QJsonObject notFoundJson(const QString &path)
{
    Q_UNUSED(path)
    // codeDesc/message as the official sts-server.js demo; "error" for modern clients.
    return QJsonObject {
            {u"code"_s, 404},
            {u"codeDesc"_s, u"PageNotFound"_s},
            {u"message"_s, u"404 page not found"_s},
            {u"error"_s,
             QJsonObject {{u"code"_s, u"NotFound"_s},
                          {u"message"_s,
                           u"no such route; use GET /sign, GET|POST /sts or GET /healthz"_s}}},
    };
}

} // namespace Signer
