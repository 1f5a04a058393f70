#pragma once

#include <QString>

namespace Cos {

/**
 * @brief The one error type of the engine.
 *
 * Every job, parser and provider reports failure through it, so callers make their decision
 * (retry, refresh credentials, show a message) from one place: isRetryable() and the kind.
 */
class Error
{
public:
    enum class Kind {
        None, ///< no error
        InvalidInput, ///< the caller gave something unusable (bad name, missing file, ...)
        Network, ///< connection refused/reset, DNS, TLS
        Timeout, ///< no progress within the transfer timeout
        Canceled, ///< aborted on request
        Service, ///< the server answered with an error status or an <Error> body
        Parse, ///< a response body could not be parsed
        Credentials, ///< no usable credentials (fetch failed, expired, rejected)
        Integrity, ///< size, ETag or CRC64 mismatch
        Io, ///< local file error
    };

    Error() = default;
    Error(Kind kind, QString message);

    /** @brief A service error; retryability follows from the status and code. */
    static Error service(int httpStatus, const QString &code, const QString &message,
                         const QString &requestId = {});

    [[nodiscard]] bool isError() const { return m_kind != Kind::None; }
    explicit operator bool() const { return isError(); }

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] int httpStatus() const { return m_httpStatus; }
    [[nodiscard]] const QString &code() const { return m_code; }
    [[nodiscard]] const QString &message() const { return m_message; }
    [[nodiscard]] const QString &requestId() const { return m_requestId; }
    [[nodiscard]] bool isRetryable() const { return m_retryable; }

    Error &setHttpStatus(int status);
    Error &setCode(const QString &code);
    Error &setRequestId(const QString &requestId);
    Error &setRetryable(bool retryable);

    /** @brief True for the codes that mean "fetch new credentials and try once more". */
    [[nodiscard]] bool isCredentialExpiry() const;
    /** @brief True for the codes that mean "the request time is off; re-sign with server time". */
    [[nodiscard]] bool isClockSkew() const;

    /** @brief One line for logs and UIs: "AccessDenied (HTTP 403): message [request id ...]". */
    [[nodiscard]] QString toString() const;
    [[nodiscard]] static QString kindName(Kind kind);

private:
    Kind m_kind = Kind::None;
    int m_httpStatus = 0;
    QString m_code;
    QString m_message;
    QString m_requestId;
    bool m_retryable = false;
};

} // namespace Cos
