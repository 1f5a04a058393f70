#pragma once

#include "cos/core/error.h"

#include <QString>
#include <QStringList>

namespace Cos {
class Client;
class Job;
} // namespace Cos

/**
 * @brief cosctl's exit codes (documented in `cosctl --help` and docs/cosctl.md).
 */
namespace ExitCode {
inline constexpr int Ok = 0;
inline constexpr int Generic = 1; ///< any other failure (service error, I/O, ...)
inline constexpr int Usage = 2; ///< bad command line or invalid input (bucket name, key, ...)
inline constexpr int NotFound = 3; ///< no such bucket, key or file
inline constexpr int AccessDenied = 4; ///< access denied, bad or missing credentials
inline constexpr int Network = 5; ///< network error or timeout after retries
inline constexpr int Integrity = 6; ///< size, ETag or CRC64 mismatch
/// A batch (rm -r, put -r, get -r, sync) ran to its end but some files failed (each is
/// reported on stderr); the others succeeded.
inline constexpr int Partial = 7;
inline constexpr int Interrupted = 130; ///< canceled (SIGINT / SIGTERM)
} // namespace ExitCode

/**
 * @brief What every cosctl command gets: the configured client (or why there is none) and
 * facts about the terminal.
 */
struct CliContext
{
    /** The client; null when the configuration is unusable (see configError). */
    Cos::Client *client = nullptr;
    /** Why there is no client (missing endpoint, keys, ...), printed by requireClient(). */
    Cos::Error configError;
    /** Where the credentials come from, e.g. "static keys (environment)". */
    QString credentialSource;
    /** What the embedded signer's keys allow, as Signer::describeScopes() words it; empty for
     * the other credential sources. */
    QString grantedScope;
    bool stdoutIsTerminal = false;
    bool stderrIsTerminal = false;
    bool quiet = false; ///< --quiet: no progress output

    /** @brief The client, or prints configError and returns null. */
    [[nodiscard]] Cos::Client *requireClient() const;
};

/** @brief The exit code for an engine error (see ExitCode). */
int exitCodeFor(const Cos::Error &error);

/** @brief @p text without the control characters that could drive a terminal (keeps \n, \t). */
QString terminalSafe(const QString &text);

/** @brief Prints "cosctl: <message>" to stderr, without terminal control characters. */
void printError(const QString &message);

/** @brief Replaces the generic hint reportError() prints after an access-denied answer. */
void setAccessDeniedHint(const QString &hint);

/** @brief Prints "cosctl: <context>: <error>" and returns exitCodeFor(error). */
int reportError(const QString &context, const Cos::Error &error);

/** @brief Prints a plain line to stdout (without terminal control characters on a terminal). */
void printLine(const QString &line);

/**
 * @brief Starts @p job (if not started) and runs an event loop until it finished.
 * SIGINT/SIGTERM abort the job (it then finishes with Kind::Canceled).
 */
void runToCompletion(Cos::Job *job);

/**
 * @brief Splits "BUCKET/KEY" (or "BUCKET" when @p keyRequired is false). Accepts an optional
 * "cos://" or "s3://" prefix. Returns false with @p error set for malformed input.
 */
bool splitBucketKey(const QString &arg, bool keyRequired, QString *bucket, QString *key,
                    QString *error);
