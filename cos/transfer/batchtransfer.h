#pragma once

#include "cos/core/error.h"
#include "cos/net/job.h"
#include "cos/net/operations.h"
#include "cos/transfer/downloadtask.h"
#include "cos/transfer/localwalk.h"
#include "cos/transfer/pathfilter.h"
#include "cos/transfer/requestbudget.h"
#include "cos/transfer/uploadtask.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QRegularExpression>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <memory>

namespace Cos {

/** @brief Tunables of a BatchTransfer. */
struct BatchOptions
{
    static constexpr int DefaultFilesInFlight = 8; ///< see docs/benchmarks.md, Folders

    int filesInFlight = DefaultFilesInFlight; ///< files transferring at once (1..256)
    bool force = false; ///< transfer even when the destination already has the same content
    bool deleteExtra = false; ///< delete destination files that the source does not have
    bool dryRun = false; ///< plan and report, change nothing
    bool followSymlinks = false; ///< upload: follow symbolic links (default: skip them)
    int listPageSize = 0; ///< keys per listing request, 1..1000 (0: the server's default, 1000)
    /** Local folder entries held per folder while walking (LocalWalk's chunk, 1..1000000). */
    int walkChunk = LocalWalk::DefaultChunk;
    /**
     * Top-level entries to take (names in the local folder or under the prefix: "file.txt",
     * "photos/" for a folder); empty: all. Lets a batch move a selection of files and folders
     * of one folder without walking the rest, and without glob quoting.
     */
    QStringList only;
    QStringList include; ///< PathFilter globs
    QStringList exclude;
    UploadOptions upload;
    DownloadOptions download;
};

/** @brief Counters of a batch, for progress lines. */
struct BatchProgress
{
    qint64 filesSeen = 0; ///< files found so far (the walk may not be over)
    qint64 filesDone = 0; ///< transferred, skipped, deleted or failed
    qint64 filesTransferred = 0;
    qint64 filesSkipped = 0;
    qint64 filesDeleted = 0;
    qint64 filesFailed = 0;
    qint64 bytesTotal = 0; ///< bytes of the files to transfer found so far
    qint64 bytesDone = 0; ///< of those, done or in flight
    qint64 bytesResumed = 0; ///< of bytesDone, found done by resumed files (not moved now)
    double bytesPerSecond = 0;
    qint64 etaSeconds = -1; ///< -1 while the walk goes on or nothing moves
    bool walkDone = false; ///< everything has been listed and walked
};

/**
 * @brief Uploads a local folder to a prefix, or downloads a prefix to a local folder, file by
 * file through UploadTask / DownloadTask, optionally deleting what the source does not have.
 *
 * The prefix is listed flat (no delimiter), one page of up to 1,000 keys at a time, the next
 * page asked for while a page of keys still waits. An upload without deleteExtra needs only the
 * keys of its local files: a page starts just before the next local file's key (when that is
 * further on) and the listing ends with the walk. Uploads and deleteExtra also walk the local
 * folder lazily with LocalWalk, which yields files in the listing's order (by code point of the
 * relative path), so the two sorted streams are merged entry by entry: a path on both sides, on
 * the source only, or on the destination only. A download without deleteExtra looks up the
 * local file of each key instead. With BatchOptions::only, each selected entry is one such
 * merge (its own listing prefix and local start). Memory holds about two pages of keys,
 * walkChunk local names per open folder, 2 x filesInFlight planned files and up to a page of
 * deletions, whatever the number of files or the size of one folder (peakEntries()). Each
 * file is planned:
 *  - destination missing or of another size, or force: transfer;
 *  - same size: hash the local file on a worker thread and compare with the ETag (a plain MD5,
 *    or MD5-of-part-MD5s "-N" for each part size that gives N parts: this batch's, the
 *    PartPlan table's, 5 and 8 MiB; at most four, hashed in one pass); when
 *    the ETag cannot decide and the server is COS, HEAD the object and compare CRC64. Equal:
 *    skip; different: transfer;
 *  - only on the destination, with deleteExtra: delete (DeleteObjects, a page of keys a
 *    request; local files with QFile::remove, except "*.part", downloads in progress). Nothing
 *    is deleted when the source is empty (refused), after a listing error, or under a local
 *    folder that cannot be read.
 *
 * Tasks share the Client's connections and keep their own retries. An upload's parts share one
 * RequestBudget of partsInFlight requests, as one large file has (small files go as one PUT each,
 * outside it); a download's ranges and one-GET files share one of max(filesInFlight,
 * rangesInFlight). A tree of large files never has files x parts requests in flight. A file that
 * fails after its retries is reported by fileFinished() and counted; the batch goes on and finishes
 * with an error naming how many failed (Kind of the first failure). A listing that fails counts as
 * one failed entry; an invalid bucket name, a listing error no request gets past (no such bucket,
 * rejected keys) and a download whose first listing page fails end the batch at once.
 *
 * Symbolic links are not followed unless followSymlinks: they are reported as skipped. Empty
 * folders are not uploaded (object stores have no folders); a zero-byte key ending in "/" (a
 * folder marker) is skipped on download. Keys that cannot be a relative path ("..", ".", empty
 * segments) fail on download rather than write outside the folder. An upload stats the file
 * before and after: when size or mtime changed, it is sent again once, then reported as failed.
 *
 * abort() pauses the running tasks (multipart checkpoints stay) and finishes with Canceled; a
 * rerun skips what is already there and resumes the rest.
 *
 * @verbatim
 *   start()
 *     |
 *     v
 *   pump() <------------------------------------------------------------+
 *     |-- fewer than 2 x filesInFlight planned, entries left:            |
 *     |     merge(next key of [List page], next file of LocalWalk) -> plan
 *     |     (less than a page of keys left: [List next page] ------------+)
 *     |-- a free slot and a planned file:                                |
 *     |     same size? --yes--> [hash local] (--COS, no ETag verdict--> [HEAD] CRC64)
 *     |        |no                 |differs              |same -> skipped |
 *     |        v                   v                                     |
 *     |     [UploadTask / DownloadTask] -- done / failed after retries --+
 *     |-- planned deletions: [DeleteObjects] / QFile::remove ------------+
 *     +-- nothing planned, running or listed, nothing left --> finish()
 *
 *   abort(): pause tasks (checkpoints stay), stop listings -> finished (Canceled)
 * @endverbatim
 */
class BatchTransfer : public Job
{
    Q_OBJECT
public:
    enum class Direction { Upload, Download };
    Q_ENUM(Direction)
    /** @brief What happened to one file (on a dry run: what would happen). */
    enum class Action { Transferred, Skipped, Deleted, Failed };
    Q_ENUM(Action)

    /** @brief The outcome for one file or folder. */
    struct FileResult
    {
        /// relative to the folder / prefix, with "/"; empty for a failure of the batch's
        /// listing rather than of one file (the error names the prefix)
        QString path;
        Action action = Action::Failed;
        qint64 size = 0;
        QString reason; ///< why skipped ("same", "symlink", ...), or the failure
        Error error;
        bool dryRun = false;
    };

    /** @brief Failures kept in failures(); later ones are only counted. */
    static constexpr int MaxKeptFailures = 1000;

    BatchTransfer(Client *client, Direction direction, const QString &localDir,
                  const QString &bucket, const QString &prefix, const BatchOptions &options = {},
                  QObject *parent = nullptr);
    ~BatchTransfer() override;

    [[nodiscard]] Direction direction() const { return m_direction; }
    [[nodiscard]] const QString &bucket() const { return m_bucket; }
    /** @brief The key prefix, "" or ending in "/". */
    [[nodiscard]] const QString &prefix() const { return m_prefix; }
    [[nodiscard]] BatchProgress progress() const;
    /** @brief The first MaxKeptFailures failures. */
    [[nodiscard]] const QList<FileResult> &failures() const { return m_failures; }
    /** @brief Tasks alive now (never more than filesInFlight). */
    [[nodiscard]] int tasksAlive() const { return int(m_active.size()); }
    /** @brief The parts and ranges the tasks share (capacity, peak). */
    [[nodiscard]] const RequestBudget &requestBudget() const { return *m_requestBudget; }
    /** @brief The most files planned but not started at any time (bounded by the walk). */
    [[nodiscard]] qint64 peakPlanned() const { return m_peakPlanned; }
    /**
     * @brief The most entries held at any time: planned files and deletions, listed keys not
     * yet planned, local folder entries read and not yet planned. Bounded by the options (about
     * two listing pages, walkChunk per open local folder, 2 x filesInFlight), never by the
     * number of files.
     */
    [[nodiscard]] qint64 peakEntries() const { return m_peakEntries; }

    /** @brief The key for relative path @p path: prefix + path. */
    [[nodiscard]] QString keyFor(const QString &path) const { return m_prefix + path; }

Q_SIGNALS:
    /** @brief One file is done (or, on a dry run, planned). */
    void fileFinished(const Cos::BatchTransfer::FileResult &result);
    /** @brief The counters changed; at most every 200 ms while running. */
    void progressChanged();

protected:
    void doStart() override;
    void doAbort() override;

private:
    enum class ItemKind { Transfer, DeleteRemote, DeleteLocal };
    struct Item
    {
        ItemKind kind = ItemKind::Transfer;
        QString path; // relative
        qint64 size = 0; // source size
        bool destExists = false;
        qint64 destSize = -1;
        QString destEtag; // remote ETag (upload) or source ETag (download)
        QStringList keys; // DeleteRemote: keys of one folder
    };
    struct Active
    {
        Item item;
        QPointer<TransferTask> task;
        QPointer<Job> job;
        QObject *guard = nullptr; // context of a digest in flight
        qint64 mtimeBefore = 0;
        bool resent = false;
        qint64 bytes = 0; // progress of this file
    };

    void pump();
    [[nodiscard]] bool walkPending() const;
    [[nodiscard]] const QString &currentRoot() const;
    void nextRoot();
    /** Merges the listing and the local walk into planned items, up to 2 x filesInFlight. */
    void planAhead();
    /** One step of the merge: the same relative path on either side or both. */
    void merge(const ObjectInfo *remote, const QString &remoteRel, const LocalEntry *local);
    void planItem(const Item &item);
    void addDeletion(const QString &keyOrPath);
    void flushDeletes();
    void updatePeak();
    void listNextPage();
    /** Drops the listing request in flight, if any. */
    void stopListing();
    /**
     * An upload without deleteExtra: only the keys of local files matter, so the listing may
     * start just before the next local file and end with the walk.
     */
    [[nodiscard]] bool listsOnlyLocalPaths() const;
    /** A download Item for @p object at @p rel; false when filtered out or unsafe (reported). */
    bool downloadItem(const ObjectInfo &object, const QString &rel, Item *item);
    [[nodiscard]] int pageSize() const;
    void startItem(Active *a);
    void compareContent(Active *a);
    /** Part sizes (at most MaxCandidatePartSizes) that cut @p size bytes into @p parts. */
    [[nodiscard]] QList<qint64> candidatePartSizes(qint64 size, int parts) const;
    static constexpr int MaxCandidatePartSizes = 4;
    void startTransfer(Active *a);
    void onTaskFinished(Active *a);
    void completeItem(Active *a, Action action, const QString &reason = {}, const Error &error = {});
    void report(const FileResult &result);
    // The listing of the current root failed with @p cause: an error naming BUCKET/PREFIX,
    // which ends the batch or (reportListingFailure) counts as one failed entry.
    [[nodiscard]] Error listingError(const Error &cause) const;
    void reportListingFailure(const Error &cause);
    /** A file found by the walk that is done at once (skipped or failed). */
    void reportFound(const QString &path, Action action, const QString &reason,
                     const Error &error = {});
    void sampleSpeed();
    [[nodiscard]] QString localPathFor(const QString &path) const;
    [[nodiscard]] static bool isSafeRelativePath(const QString &path);

    QPointer<Client> m_client;
    Direction m_direction;
    QString m_localDir;
    QString m_bucket;
    QString m_prefix;
    BatchOptions m_options;
    Error m_filterError; // before m_filter, whose constructor sets it
    PathFilter m_filter;

    QStringList m_roots; // "" (everything) or the entries of BatchOptions::only
    qsizetype m_rootIndex = 0;
    bool m_mergeWalk = false; // walk the local folder too (uploads, deleteExtra)
    std::unique_ptr<LocalWalk> m_walk;
    QList<ObjectInfo> m_remote; // listed keys; those before m_remotePos are merged
    qsizetype m_remotePos = 0;
    bool m_remoteDone = true;
    bool m_listFailed = false; // the listing broke off: delete nothing
    bool m_sourceSeen = false; // the source of this root has an entry
    QString m_marker; // where the next page starts
    QString m_lastKey; // the last key listed (null: none yet)
    QString m_protect; // a local folder that could not be read
    bool m_hasProtect = false;
    QList<Item> m_planned;
    QList<Active *> m_active;
    std::shared_ptr<RequestBudget> m_requestBudget; // shared by the tasks' parts and ranges
    qint64 m_bytesResumedFinished = 0; // bytesResumed() of the files done
    QPointer<ListObjectsJob> m_listing;
    QStringList m_deleteKeys; // deletions not yet planned (up to a page)
    qint64 m_peakEntries = 0;
    QString m_madeFolder; // the local folder a download last made sure of
    qint64 m_peakPlanned = 0;
    QList<FileResult> m_failures;
    Error m_firstError;
    BatchProgress m_progress;
    qint64 m_bytesFinished = 0;
    QTimer m_progressTimer;
    QElapsedTimer m_clock;
    qint64 m_speedLastBytes = 0;
    qint64 m_speedLastMs = 0;
};

} // namespace Cos
