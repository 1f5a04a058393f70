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
        Presign,
        Credentials,
    };

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
};
