#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

#include "cos/core/error.h"

/**
 * @brief Text for the views: sizes, dates, speeds, file types, and error messages that say
 * what to do.
 */
class Presentation
{
    Q_DECLARE_TR_FUNCTIONS(Presentation)
public:
    /** @brief What the user was doing when an error happened; it decides the advice. */
    enum class Operation {
        TestConnection,
        ListBuckets,
        ListObjects,
        CreateBucket,
        Upload,
        Download,
        Delete,
        Copy, ///< server-side copy (rename, copy, move)
        DeleteBucket,
        Presign,
        Credentials,
    };

    /** @brief The real cause behind an error, which decides the title and the fixing action. */
    enum class Cause {
        None,
        SignerUnreachable, ///< the signing URL does not answer (down, wrong host, timeout)
        SignerRefused, ///< the signing URL answered without keys (401/403, error, bad JSON)
        CredentialsRejected, ///< the server rejected the keys (expired, unknown, bad signature)
        AccessDenied, ///< the keys work but may not do this (403)
        EndpointUnreachable, ///< the COS/S3 endpoint does not answer
        NotFound, ///< the bucket or key does not exist
        Other,
    };

    /** @brief Classifies @p error; errors of the credential provider name the signing URL. */
    static Cause causeOf(const Cos::Error &error);
    /** @brief A stable name for QML: "signer-unreachable", "access-denied", ... ("" for None). */
    static QString causeName(Cause cause);
    /** @brief A short title: "Signing service unreachable", "Access denied", ... */
    static QString causeTitle(Cause cause, const Cos::Error &error = {});
    /** @brief True when nothing can work until the cause is fixed (signer, keys, endpoint). */
    static bool blocksEverything(Cause cause);

    /** @brief 0 B, 999 B, 1.5 KiB, 3.0 MiB ... */
    static QString formatSize(qint64 bytes);
    /** @brief "2026-11-22 08:27" in local time; empty for an invalid date. */
    static QString formatDate(const QDateTime &utc);
    /** @brief "1.2 MiB/s"; empty for a negative speed. */
    static QString formatSpeed(double bytesPerSecond);
    /** @brief "12 s", "3 min 5 s", "1 h 2 min"; empty when unknown (negative). */
    static QString formatDuration(qint64 seconds);
    /** @brief A short type for an object key: "Folder", "PNG image", "JSON", "File". */
    static QString typeName(const QString &key, bool isFolder);
    /** @brief An icon name from resources/icons (without extension) for an object key. */
    static QString iconName(const QString &key, bool isFolder);

    /**
     * @brief One or two sentences: what failed and what to change.
     *
     * A 403 names the permission the credential likely lacks for @p operation (the COS action
     * and its S3 equivalent), a 404 names what does not exist, network errors name the host.
     * Never contains secrets.
     */
    static QString errorText(const Cos::Error &error, Operation operation,
                             const QString &subject = {});

    /** @brief The permission an operation needs, e.g. "cos:GetBucket (s3:ListBucket)". */
    static QString permissionFor(Operation operation);

    /**
     * @brief What the keys in use allow ("bucket/prefix* [upload,list]", from the embedded
     * signer); an access-denied text then names it. Empty: unknown.
     */
    static void setGrantedScope(const QString &scope);
    [[nodiscard]] static QString grantedScope();
};
