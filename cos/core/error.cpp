#include "cos/core/error.h"

using namespace Qt::StringLiterals;

namespace Cos {

Error::Error(Kind kind, QString message)
    : m_kind(kind)
    , m_message(std::move(message))
{
    // Transport trouble is worth another attempt; everything else needs a change first.
    m_retryable = kind == Kind::Network || kind == Kind::Timeout;
}

Error Error::service(int httpStatus, const QString &code, const QString &message,
                     const QString &requestId)
{
    Error e(Kind::Service, message);
    e.m_httpStatus = httpStatus;
    e.m_code = code;
    e.m_requestId = requestId;
    // BadDigest: the body that arrived does not match its Content-MD5, i.e. it was damaged on
    // the way; a resend may succeed. (InvalidDigest, a malformed header, would fail again.)
    e.m_retryable = httpStatus >= 500 || code == "SlowDown"_L1 || code == "RequestTimeout"_L1
            || code == "RequestTimeOut"_L1 || code == "BadDigest"_L1;
    return e;
}

Error &Error::setHttpStatus(int status)
{
    m_httpStatus = status;
    return *this;
}

Error &Error::setCode(const QString &code)
{
    m_code = code;
    return *this;
}

Error &Error::setRequestId(const QString &requestId)
{
    m_requestId = requestId;
    return *this;
}

Error &Error::setRetryable(bool retryable)
{
    m_retryable = retryable;
    return *this;
}

bool Error::isCredentialExpiry() const
{
    if (m_code == "ExpiredToken"_L1 || m_code == "InvalidAccessKeyId"_L1
        || m_code == "TokenExpired"_L1)
        return true;
    return m_code == "AccessDenied"_L1 && m_message.contains("Request has expired"_L1);
}

bool Error::isClockSkew() const
{
    return m_code == "RequestTimeTooSkewed"_L1
            || (m_code == "AccessDenied"_L1 && m_message.contains("Request has expired"_L1));
}

QString Error::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return u"no error"_s;
    case Kind::InvalidInput:
        return u"invalid input"_s;
    case Kind::Network:
        return u"network error"_s;
    case Kind::Timeout:
        return u"timeout"_s;
    case Kind::Canceled:
        return u"canceled"_s;
    case Kind::Service:
        return u"service error"_s;
    case Kind::Parse:
        return u"malformed response"_s;
    case Kind::Credentials:
        return u"credentials error"_s;
    case Kind::Integrity:
        return u"integrity check failed"_s;
    case Kind::Io:
        return u"file error"_s;
    }
    return {};
}

QString Error::toString() const
{
    if (m_kind == Kind::None)
        return kindName(m_kind);
    QString s = m_code.isEmpty() ? kindName(m_kind) : m_code;
    if (m_httpStatus > 0)
        s += u" (HTTP "_s + QString::number(m_httpStatus) + u')';
    if (!m_message.isEmpty())
        s += u": "_s + m_message;
    if (!m_requestId.isEmpty())
        s += u" [request id "_s + m_requestId + u']';
    return s;
}

} // namespace Cos
