#pragma once

#include "stsbackend.h"

#include "cos/core/credentialscope.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

namespace Signer {

/** @brief An error the signer answers with: HTTP status, a stable code, a specific message. */
struct SignerError
{
    int status = 0; ///< 0: no error
    QString code; ///< e.g. "InvalidScope", "Unauthorized", "UpstreamTimeout"
    QString message;
    QString upstreamCode; ///< the STS error code, when the upstream refused
    QString requestId; ///< the upstream request id, when known
    int retryAfter = 0; ///< seconds, for 429/503

    [[nodiscard]] bool isError() const { return status != 0; }
    explicit operator bool() const { return isError(); }
    static SignerError make(int status, const QString &code, const QString &message)
    {
        SignerError e;
        e.status = status;
        e.code = code;
        e.message = message;
        return e;
    }
};

/** @brief Maps an upstream (back end) failure to 502/504 with a specific message. */
SignerError upstreamError(const Cos::Error &error);

/**
 * @brief The legacy cossign shape:
 * {"code":0,"message":"","codeDesc":"Success","data":{"credentials":{...},"expiredTime":N}},
 * plus "scope" (see Cos::CredentialScope) when @p scope is not empty.
 */
QJsonObject legacyJson(const TempCredentials &creds, const QJsonArray &scope = {});
/** @brief Legacy error: {"code":<status>,"codeDesc":<code>,"message":<message>}. */
QJsonObject legacyErrorJson(const SignerError &error);

/**
 * @brief The modern STS-SDK shape: {"credentials":{...},"startTime","expiredTime","expiration",
 * "requestId"}; startTime is @p serverTime (the signer's clock now), 10-digit seconds; plus
 * "scope" (see Cos::CredentialScope) when @p scope is not empty. The official SDKs ignore it.
 */
QJsonObject modernJson(const TempCredentials &creds, qint64 serverTime,
                       const QJsonArray &scope = {});
/** @brief Modern error: {"error":{"code","message"[,"upstreamCode"]},"requestId"}. */
QJsonObject modernErrorJson(const SignerError &error);

/**
 * @brief @p text made safe for a one-line log: at most @p max characters, with every
 * control, format (bidi, zero-width), unpaired surrogate or otherwise non-printable character,
 * the double quote and the backslash written as \xNN, \uNNNN or \U{N}.
 */
QString escapeForLog(const QString &text, int max = 160);

/** @brief A JSON 404 that satisfies both shapes' clients. */
QJsonObject notFoundJson(const QString &path);

} // namespace Signer
