#pragma once

#include "cos/transfer/checkpoint.h"
#include "cos/digest/crc64.h"
#include "cos/digest/filedigest.h"
#include "cos/digest/prefixdigest.h"
#include "cos/net/operations.h"
#include "cos/transfer/transfertask.h"

#include <QList>
#include <QPointer>
#include <QTimer>

#include <QCryptographicHash>

#include <functional>
#include <memory>
#include <optional>

namespace Cos {

class RequestJob;

/** @brief Tunables of a download. */
struct DownloadOptions
{
    static constexpr qint64 DefaultRangeSize = 8 * 1024 * 1024;
    static constexpr int DefaultRangesInFlight = 4; ///< see docs/benchmarks.md, Transfers

    qint64 rangeSize = DefaultRangeSize;
    int rangesInFlight = DefaultRangesInFlight;
    /** Objects smaller than this are fetched with one GET (resumed with one Range). */
    qint64 parallelThreshold = 16 * 1024 * 1024;
    bool verify = true; ///< CRC64 / MD5 of the finished file when the server gives one
    bool resume = true;
    QString checkpointDirectory;
    int stepRetries = 6;
    int stepRetryBaseMs = 500;
};

/**
 * @brief Downloads one object to a file, resumably: ranges into "<file>.part", then a rename.
 *
 * @verbatim
 *  run()
 *   |
 *   v
 *  [HEAD] size, ETag, CRC64 ----- error: retry, then Failed
 *   |
 *   v
 *  checkpoint + .part for (endpoint, bucket, key, file) with the same ETag and size?
 *   |-- yes: keep the recorded byte ranges
 *   |-- no:  new .part of the object's size, empty checkpoint
 *   v
 *  [GET Range: bytes=a-b, If-Match: ETag] x rangesInFlight over the missing bytes
 *   |  each: Content-Range and ETag checked before the first byte is written; bytes go
 *   |  straight to the file at their offset (bounded buffers); the checkpoint records what
 *   |  was written, also of ranges in flight, at most every 500 ms;
 *   |  network error: the rest of the range again after backoff;
 *   |  412 (the object changed): start over once
 *   v all bytes there
 *  verify: size; CRC64 (x-cos-hash-crc64ecma) and MD5 (a plain-MD5 ETag) over the file,
 *  hashed from its start while the ranges arrive (PrefixDigest, on a worker thread, reading
 *  the file back); an object fetched with one GET from its first byte is hashed as its bytes
 *  are written instead, on this thread (no second read, no thread hand-off per small file)
 *   |
 *   v
 *  rename .part over the file (atomic), drop checkpoint -> Succeeded
 * @endverbatim
 */
class DownloadTask : public TransferTask
{
    Q_OBJECT

public:
    DownloadTask(Client *client, const QString &bucket, const QString &key,
                 const QString &localPath, const DownloadOptions &options = {},
                 QObject *parent = nullptr);
    ~DownloadTask() override;

    [[nodiscard]] Direction direction() const override { return Direction::Download; }
    [[nodiscard]] const DownloadOptions &options() const { return m_options; }
    /** @brief The object's ETag (with quotes), once known. */
    [[nodiscard]] const QString &etag() const { return m_checkpoint.etag; }
    /** @brief Body bytes received by this task in this process (not resumed ones). */
    [[nodiscard]] qint64 bytesReceived() const { return m_received; }
    [[nodiscard]] QString partPath() const { return m_localPath + u".part"; }
    /**
     * @brief Size and ETag already known (from a listing): the first run() skips its HEAD.
     * Used only for a plain-MD5 ETag, which the finished file is checked against; otherwise
     * (and after a 412 or a restart) the object is HEADed as usual.
     */
    void setKnownObject(qint64 size, const QString &etag);

protected:
    void run() override;
    void halt() override;
    void discard() override;
    void saveCheckpoint(bool force) override;

private:
    std::optional<ObjectMetadata> m_known; // setKnownObject(), used by the first run()

    struct Slot
    {
        qint64 first = 0;
        qint64 last = 0; ///< inclusive
        qint64 written = 0;
        qint64 jobBase = 0; ///< written when the current job started
        int retries = 0;
        QPointer<RequestJob> job;
        QObject *guard = nullptr;
    };

    void head();
    void prepare(const ObjectMetadata &meta);
    void pump();
    void startRanges();
    void startRange(Slot *slot);
    void onRangeFinished(Slot *slot);
    void finalize();
    void dropSlot(Slot *slot);
    void updateProgress();
    void restartFromScratch(const QString &why);
    [[nodiscard]] bool verifiesMd5() const;
    [[nodiscard]] bool verifiesCrc64() const;
    void feedPrefixDigest();
    void checkDigestAndRename(const WindowDigest &digest);

    DownloadOptions m_options;
    CheckpointStore m_store;
    DownloadCheckpoint m_checkpoint;
    QList<std::pair<qint64, qint64>> m_pending; // inclusive ranges still to fetch
    QList<Slot *> m_slots;
    PrefixDigest *m_digest = nullptr; // hashes the file as it fills, when there is a check
    struct InlineDigest
    {
        QCryptographicHash md5 {QCryptographicHash::Md5};
        Crc64 crc;
    };
    std::unique_ptr<InlineDigest> m_inline; // instead of m_digest: one range from byte 0
    qint64 m_received = 0;
    int m_restarts = 0;
    bool m_haveCheckpoint = false;
    bool m_createPart = false; // the first range's sink creates the .part file
};

} // namespace Cos
