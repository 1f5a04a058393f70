#pragma once

#include "cos/core/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace Cos {

/** @brief [first, end) byte intervals, kept sorted and merged. */
class ByteRanges
{
public:
    /** @brief Adds [first, end); overlapping and touching intervals merge. */
    void add(qint64 first, qint64 end);
    /** @brief Total number of bytes covered. */
    [[nodiscard]] qint64 covered() const;
    /** @brief True when [0, size) is covered completely. */
    [[nodiscard]] bool covers(qint64 size) const;
    /** @brief The gaps of [0, size) that are not covered, as [first, end) intervals. */
    [[nodiscard]] QList<std::pair<qint64, qint64>> missing(qint64 size) const;
    [[nodiscard]] const QList<std::pair<qint64, qint64>> &intervals() const { return m_ranges; }
    [[nodiscard]] bool isEmpty() const { return m_ranges.isEmpty(); }
    void clear() { m_ranges.clear(); }

private:
    QList<std::pair<qint64, qint64>> m_ranges;
};

/** @brief One finished part of a multipart upload, as remembered by the checkpoint. */
struct CheckpointPart
{
    int number = 0;
    qint64 size = 0;
    QString etag; ///< without quotes, as the server returned it
    QByteArray md5; ///< 16 raw bytes of the part's MD5
    quint64 crc64 = 0; ///< CRC64 of the part (computed locally)
};

/**
 * @brief Everything needed to resume a multipart upload after a crash (cos-cpp-sdk-v5 style).
 *
 * The source is identified by path, size and modification time; a change of either means the
 * parts on the server belong to another version of the file and the upload restarts.
 */
struct UploadCheckpoint
{
    QString endpoint; ///< identifies the service (scheme://host:port plus dialect)
    QString bucket;
    QString key;
    QString uploadId;
    QString sourcePath; ///< absolute
    qint64 size = 0;
    qint64 mtimeMs = 0; ///< source modification time, ms since the epoch (UTC)
    qint64 partSize = 0;
    QMap<int, CheckpointPart> parts;
    QDateTime created;

    [[nodiscard]] QJsonObject toJson() const;
    /** @brief Parses @p json (with its self-check already verified); Kind::Parse on bad fields. */
    static Error fromJson(const QJsonObject &json, UploadCheckpoint *out);
};

/**
 * @brief Everything needed to resume a download: which object version, which bytes are done.
 *
 * Bytes are recorded as done only after they were written (and flushed) to the .part file.
 */
struct DownloadCheckpoint
{
    QString endpoint;
    QString bucket;
    QString key;
    QString targetPath; ///< absolute; the data lives in targetPath + ".part"
    QString etag; ///< with quotes, as sent in If-Match
    qint64 size = 0;
    QString crc64; ///< the object's x-cos-hash-crc64ecma (decimal) when the server sent one
    ByteRanges done;
    QDateTime created;

    [[nodiscard]] QJsonObject toJson() const;
    static Error fromJson(const QJsonObject &json, DownloadCheckpoint *out);
};

/**
 * @brief Saves and loads checkpoints as JSON files in one folder.
 *
 * A checkpoint's name is a hash of (endpoint, bucket, key, local path), so rerunning the same
 * transfer finds it. Writes are atomic (QSaveFile: a temporary file renamed over the old one),
 * so a crash leaves either the old or the new checkpoint, never half of one. Each file carries a
 * SHA-256 of its own content ("check"); a file that fails the check, has another version or
 * describes another transfer is ignored as corrupt (the transfer then starts afresh).
 */
class CheckpointStore
{
public:
    static constexpr int FormatVersion = 1;

    /** @brief A store in @p directory; empty means defaultDirectory(). */
    explicit CheckpointStore(const QString &directory = {});

    /** @brief QStandardPaths::AppDataLocation + "/checkpoints". */
    [[nodiscard]] static QString defaultDirectory();
    [[nodiscard]] const QString &directory() const { return m_directory; }

    [[nodiscard]] QString uploadFile(const QString &endpoint, const QString &bucket,
                                     const QString &key, const QString &sourcePath) const;
    [[nodiscard]] QString downloadFile(const QString &endpoint, const QString &bucket,
                                       const QString &key, const QString &targetPath) const;

    Error save(const UploadCheckpoint &checkpoint) const;
    Error save(const DownloadCheckpoint &checkpoint) const;

    /**
     * @brief Loads the upload checkpoint for the given transfer.
     * @return true when one exists, passes its self-check and matches the four identifiers;
     *         @p problem (optional) says why an existing file was rejected.
     */
    bool loadUpload(const QString &endpoint, const QString &bucket, const QString &key,
                    const QString &sourcePath, UploadCheckpoint *out,
                    QString *problem = nullptr) const;
    bool loadDownload(const QString &endpoint, const QString &bucket, const QString &key,
                      const QString &targetPath, DownloadCheckpoint *out,
                      QString *problem = nullptr) const;

    bool removeUpload(const QString &endpoint, const QString &bucket, const QString &key,
                      const QString &sourcePath) const;
    bool removeDownload(const QString &endpoint, const QString &bucket, const QString &key,
                        const QString &targetPath) const;

    /** @brief Writes @p json with its self-check to @p path atomically. */
    static Error writeJson(const QString &path, QJsonObject json);
    /** @brief Reads @p path and verifies its self-check and version. */
    static Error readJson(const QString &path, QJsonObject *json);

private:
    QString fileFor(const char *kind, const QString &endpoint, const QString &bucket,
                    const QString &key, const QString &localPath) const;

    QString m_directory;
};

} // namespace Cos
