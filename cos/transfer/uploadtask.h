#pragma once

#include "cos/transfer/checkpoint.h"
#include "cos/digest/filedigest.h"
#include "cos/transfer/filewindowdevice.h"
#include "cos/digest/partdigests.h"
#include "cos/transfer/partplan.h"
#include "cos/protocol/requestbuilder.h"
#include "cos/transfer/transfertask.h"
#include "cos/protocol/xmlparsers.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace Cos {

class RequestJob;

/** @brief Tunables of an upload. */
struct UploadOptions
{
    static constexpr int DefaultPartsInFlight = 4; ///< see docs/benchmarks.md, Transfers

    qint64 multipartThreshold = PartPlan::DefaultMultipartThreshold;
    qint64 partSize = PartPlan::DefaultPartSize; ///< preferred; the table may raise it
    int partsInFlight = DefaultPartsInFlight;
    bool contentMd5 = true; ///< send Content-MD5 with every part and simple PUT
    bool verify = true; ///< HEAD the object at the end and compare size, ETag and CRC64
    bool resume = true; ///< use (and write) checkpoints
    QString checkpointDirectory; ///< empty: CheckpointStore::defaultDirectory()
    int stepRetries = 6; ///< retries of a step (part, complete, ...) after the job's own
    int stepRetryBaseMs =
            500; ///< first delay of those, doubled each time, capped at Client::MaxRetryDelayMs
    QString contentType;
};

/**
 * @brief Uploads one file: a single PUT below the threshold, a resumable multipart upload above.
 *
 * @verbatim
 *  run()
 *   |
 *   +-- stat the file; PartPlan --------- small ----> hash, [PUT Object + Content-MD5]
 *   |                                     (without Content-MD5: PUT while hashing)
 *   |                                      --> compare ETag (MD5) and CRC64 --> Succeeded
 *   |
 *   v multipart
 *  checkpoint for (endpoint, bucket, key, path)?
 *   |-- none ------------------------------------------------------------+
 *   |-- source size/mtime changed --> [Abort old upload], drop checkpoint +
 *   |-- same source --> [ListParts, paged]                                |
 *   |                     |-- 404 NoSuchUpload/NoSuchKey: drop it --------+
 *   |                     v                                               v
 *   |        reconcile: keep parts whose ETag and size match;     [Initiate] -> save
 *   |        adopt server-only parts whose ETag = local MD5               |
 *   |                     |                                               |
 *   |                     v                                               |
 *   +------------> [UploadPart x partsInFlight] <-------------------------+
 *                   | each: MD5+CRC64 (PartDigestQueue, several parts per pass on a
 *                   | worker thread, a few parts ahead), PUT the FileWindowDevice, with
 *                   | Content-MD5 if the digest is ready (the first wave goes before),
 *                   | compare ETag (MD5) and x-cos-hash-crc64ecma once both are there
 *                   | (neither can tell: send it again with Content-MD5), save the
 *                   | checkpoint; retryable errors (BadDigest too): again after backoff
 *                   v all parts done
 *                 [Complete] (sorted parts; an <Error> inside a 200 body is an error;
 *                   |          404 on a retried Complete: maybe done already -> verify)
 *                   v
 *                 [HEAD] size, ETag = MD5(part MD5s)-N when the server uses that form,
 *                   |     CRC64 = combine(part CRC64s) when the server sends one
 *                   v
 *                 drop checkpoint -> Succeeded
 *
 *  pause(): abort the parts in flight, keep the checkpoint (finished parts stay done).
 *  cancel(): abort the parts in flight, [Abort Multipart Upload], drop the checkpoint.
 * @endverbatim
 */
class UploadTask : public TransferTask
{
    Q_OBJECT

public:
    UploadTask(Client *client, const QString &localPath, const QString &bucket, const QString &key,
               const UploadOptions &options = {}, QObject *parent = nullptr);
    ~UploadTask() override;

    [[nodiscard]] Direction direction() const override { return Direction::Upload; }
    [[nodiscard]] const UploadOptions &options() const { return m_options; }
    [[nodiscard]] const QString &uploadId() const { return m_checkpoint.uploadId; }
    [[nodiscard]] const PartPlan &plan() const { return m_plan; }
    /** @brief Parts this task sent successfully (in this process). */
    [[nodiscard]] int partsSent() const { return m_partsSent; }
    /** @brief Parts taken over from a checkpoint or the server instead of being sent. */
    [[nodiscard]] int partsReused() const { return m_partsReused; }
    /** @brief True when the upload id came from a checkpoint. */
    [[nodiscard]] bool resumedUpload() const { return m_resumed; }
    /** @brief ETag of the finished object (without quotes). */
    [[nodiscard]] const QString &etag() const { return m_etag; }

Q_SIGNALS:
    void partUploaded(int partNumber);

protected:
    void run() override;
    void halt() override;
    void discard() override;
    void saveCheckpoint(bool force) override;

private:
    // A part in flight. It is sent at once when its digest is not ready yet (the first wave
    // of a fresh upload), else with Content-MD5 once hashed; a part sent unhashed is checked
    // when both its response and its digest are there.
    struct Slot
    {
        int partNumber = 0;
        QPointer<RequestJob> job;
        QObject *digestGuard = nullptr; // deleted to drop a digest result
        WindowDigest digest; // empty until hashed
        bool sendWhenHashed = false; // not sent yet: send as soon as the digest comes
        bool md5Sent = false; // the last send carried Content-MD5
        bool answered = false; // the last send succeeded; its check waits for the digest
        QString answerEtag;
        QByteArray answerCrc64;
        qint64 sent = 0;
        int retries = 0;
        [[nodiscard]] bool hashed() const { return !digest.md5.isEmpty(); }
    };

    void startSimple();
    void sendSimple();
    void checkSimple();
    void loadOrInitiate();
    void listParts(int marker);
    void reconcile();
    void adoptNext();
    void initiate();
    [[nodiscard]] int firstDigestBatch() const;
    void newDigestQueue();
    void beginParts();
    void pumpParts();
    void startParts();
    void startPart(int partNumber);
    void sendPart(Slot *slot);
    void onPartFinished(Slot *slot);
    void checkPart(Slot *slot);
    void retryPart(Slot *slot, Error err);
    void complete();
    void verify(const QString &completeEtag);
    void finishSuccess();
    void dropSlot(Slot *slot);
    void updateProgress();
    RequestJob *newJob(const BuildResult &build);

    // The single PUT: its digest and the server's answer, checked when both are there.
    struct SimplePut
    {
        WindowDigest digest; // empty until hashed
        bool answered = false;
        QString etag;
        QByteArray crc64;
        [[nodiscard]] bool hashed() const { return !digest.md5.isEmpty(); }
    };

    UploadOptions m_options;
    SimplePut m_simple;
    CheckpointStore m_store;
    PartPlan m_plan;
    UploadCheckpoint m_checkpoint;
    qint64 m_mtimeMs = 0;
    QList<PartInfo> m_serverParts; // ListParts while reconciling
    QList<PartInfo> m_adoptCandidates;
    QList<int> m_pending; // part numbers still to send, ascending
    QList<Slot *> m_slots;
    PartDigestQueue *m_digests = nullptr; // from initiate (or resume) until the parts are sent
    qint64 m_digestPartSize = -1; // the part size m_digests hashes
    bool m_dirty = false;
    bool m_hashBeforeSending = false; // the server's answers cannot check a part sent unhashed
    int m_completeAttempts = 0;
    int m_partsSent = 0;
    int m_partsReused = 0;
    bool m_resumed = false;
    QString m_etag;
};

} // namespace Cos
