#pragma once

#include "cos/core/credentials.h"
#include "cos/net/job.h"
#include "cos/net/requestsigner.h"
#include "cos/protocol/xmlparsers.h"

#include <QDateTime>
#include <QPointer>
#include <QStringList>

#include <algorithm>
#include <functional>

namespace Cos {

/**
 * @brief GET Service: all buckets, or (COS) those of one region; follows markers.
 * The Locations seen are merged into Client::regions().
 */
class ListBucketsJob : public Job
{
    Q_OBJECT
public:
    ListBucketsJob(Client *client, const ListBucketsParams &params, QObject *parent = nullptr);

    /** @brief All buckets of all pages. */
    [[nodiscard]] const QList<BucketInfo> &buckets() const { return m_buckets; }
    [[nodiscard]] const QString &ownerId() const { return m_ownerId; }

protected:
    void doStart() override;
    void doAbort() override;

private:
    void fetchPage();

    QPointer<Client> m_client;
    ListBucketsParams m_params;
    QPointer<RequestJob> m_page;
    QList<BucketInfo> m_buckets;
    QString m_ownerId;
    int m_pages = 0;
};

/**
 * @brief GET Bucket (list objects) over one or more pages.
 *
 * Pages with marker (v1) or continuation token (v2). Each page is announced with
 * pageReceived() (for streaming output); unless setKeepResults(false), result() accumulates all
 * pages. result() always ends with the last page's isTruncated / nextMarker /
 * nextContinuationToken, so a caller can continue where a limited listing stopped.
 */
class ListObjectsJob : public Job
{
    Q_OBJECT
public:
    ListObjectsJob(Client *client, const QString &bucket, const ListObjectsParams &params,
                   int maxPages, QObject *parent = nullptr);

    /** @brief Whether result() accumulates entries (default true). */
    void setKeepResults(bool keep) { m_keep = keep; }
    [[nodiscard]] const ListObjectsResult &result() const { return m_result; }
    [[nodiscard]] int pagesFetched() const { return m_pages; }

Q_SIGNALS:
    /** @brief One page arrived. */
    void pageReceived(const Cos::ListObjectsResult &page);

protected:
    void doStart() override;
    void doAbort() override;

private:
    void fetchPage();

    QPointer<Client> m_client;
    QString m_bucket;
    ListObjectsParams m_params;
    int m_maxPages;
    bool m_keep = true;
    QPointer<RequestJob> m_page;
    ListObjectsResult m_result;
    int m_pages = 0;
};

/** @brief What HEAD Object tells about an object. */
struct ObjectMetadata
{
    qint64 size = -1;
    QString etag; ///< without quotes
    QDateTime lastModified;
    QString contentType;
    QString crc64; ///< x-cos-hash-crc64ecma (decimal), empty when absent
    QString versionId;
    QString storageClass;
    QList<QPair<QString, QString>> userMetadata; ///< x-cos-meta-* / x-amz-meta-* without prefix
};

/** @brief HEAD Object; HEAD answers carry no body, so 404 fails with code NotFound and 403 with
 * code AccessDenied (after the skew and credential retries a bodyless 403 allows). */
class HeadObjectJob : public RequestJob
{
    Q_OBJECT
public:
    using RequestJob::RequestJob;
    [[nodiscard]] const ObjectMetadata &metadata() const { return m_metadata; }

protected:
    Error handleSuccess() override;

private:
    ObjectMetadata m_metadata;
};

/**
 * @brief PUT Object - Copy (a server-side copy). A 200 whose body is an <Error> fails (and is
 * retried when the code is InternalError or ServiceUnavailable), as parseCopyObject() says.
 */
class CopyObjectJob : public RequestJob
{
    Q_OBJECT
public:
    using RequestJob::RequestJob;
    [[nodiscard]] const CopyObjectResult &result() const { return m_result; }

protected:
    Error handleSuccess() override;

private:
    CopyObjectResult m_result;
};

/** @brief One key that delete objects could not delete. */
struct DeleteFailure
{
    QString key;
    QString code;
    QString message;
};

/**
 * @brief Deletes keys with POST ?delete (quiet), 1000 keys per request, one request at a time.
 * The job succeeds when every request succeeded; keys the server refused are in failures().
 */
class DeleteObjectsJob : public Job
{
    Q_OBJECT
public:
    DeleteObjectsJob(Client *client, const QString &bucket, const QStringList &keys,
                     QObject *parent = nullptr);

    [[nodiscard]] const QList<DeleteFailure> &failures() const { return m_failures; }
    /** @brief Keys sent in requests that succeeded, minus failures. */
    [[nodiscard]] int deletedCount() const { return m_deleted; }

    /** @brief Parses a DeleteResult body (quiet or verbose) into deleted keys and failures. */
    static Error parseDeleteResult(QByteArrayView xml, QStringList *deleted,
                                   QList<DeleteFailure> *failures);

protected:
    void doStart() override;
    void doAbort() override;

private:
    void sendBatch();

    QPointer<Client> m_client;
    QString m_bucket;
    QStringList m_keys;
    qsizetype m_next = 0;
    QPointer<RequestJob> m_batch;
    QList<DeleteFailure> m_failures;
    int m_deleted = 0;
};

/**
 * @brief Deletes every key under a prefix: lists a page of up to 1000 keys, deletes them with
 * one DeleteObjects request, and lists the next page while that request runs.
 *
 * Memory stays at two pages whatever the number of keys. An empty prefix means the whole
 * bucket; pass a prefix ending in "/" to stay inside one folder ("photos" also matches
 * "photos2/..."). With setDryRun(true) nothing is deleted: every key that would go is announced
 * by deleted() all the same. setFilter() keeps keys for which it returns false. The job
 * succeeds when every request succeeded; keys the server refused one by one are announced by
 * failed() and counted (the first MaxKeptFailures are kept in failures()). A request that fails
 * as a whole (after its retries) fails the job.
 *
 * @verbatim
 *   start() --> [List page (prefix, marker)] --not truncated, all deleted--> finish()
 *                  |  keys (filtered)      ^
 *                  v                       | next page listed meanwhile
 *                [DeleteObjects <= 1000 keys] (skipped on a dry run)
 * @endverbatim
 */
class DeletePrefixJob : public Job
{
    Q_OBJECT
public:
    /** @brief Refused keys kept in failures(); later ones are only counted. */
    static constexpr int MaxKeptFailures = 1000;

    DeletePrefixJob(Client *client, const QString &bucket, const QString &prefix,
                    QObject *parent = nullptr);

    /** @brief List only; deleted() names what a real run would delete. */
    void setDryRun(bool dryRun) { m_dryRun = dryRun; }
    /** @brief Only keys for which @p filter returns true are deleted. */
    void setFilter(std::function<bool(const QString &key)> filter) { m_filter = std::move(filter); }

    /** @brief The first MaxKeptFailures keys the server refused. */
    [[nodiscard]] const QList<DeleteFailure> &failures() const { return m_failures; }
    /** @brief How many keys the server refused. */
    [[nodiscard]] qint64 failureCount() const { return m_failureCount; }
    /** @brief Keys deleted (or, on a dry run, that would be). */
    [[nodiscard]] qint64 deletedCount() const { return m_deleted; }
    /** @brief Listing pages fetched so far. */
    [[nodiscard]] int pagesListed() const { return m_pagesListed; }

Q_SIGNALS:
    /** @brief These keys are gone (dry run: would go), one signal per request. */
    void deleted(const QStringList &keys);
    /** @brief The server refused to delete these keys. */
    void failed(const QList<Cos::DeleteFailure> &failures);

protected:
    void doStart() override;
    void doAbort() override;

private:
    void pump();
    void listPage();
    void deleteKeys(const QStringList &keys);

    QPointer<Client> m_client;
    QString m_bucket;
    ListObjectsParams m_params;
    std::function<bool(const QString &)> m_filter;
    bool m_dryRun = false;
    QPointer<ListObjectsJob> m_listing;
    QPointer<DeleteObjectsJob> m_deleting;
    QStringList m_ready; // listed, waiting for the running delete request to finish
    bool m_more = false; // pages left to list
    Error m_listError;
    QList<DeleteFailure> m_failures;
    qint64 m_failureCount = 0;
    qint64 m_deleted = 0;
    int m_pagesListed = 0;
};

/**
 * @brief Copies (or moves) every key under one prefix to another prefix of the same bucket with
 * server-side copies: a folder's rename, copy or move.
 *
 * Lists a page of up to 1000 keys (no delimiter), copies them, copiesInFlight at once, each to
 * destination + the part of the key after the source prefix; on a move, the page's copied keys
 * are then deleted with one DeleteObjects request, before the next page is listed. Memory stays
 * at one page. A destination inside the source ("a/" into "a/b/") is refused: the copies would
 * be listed and copied again. A key that fails to copy (after the usual retries) is counted and
 * kept in failures() (the first MaxKeptFailures), its source is not deleted, and the job goes on
 * and finishes with an error naming how many failed.
 *
 * @verbatim
 *   start() --> [List page] --> [CopyObject x copiesInFlight] --page done--> (move: [DeleteObjects
 *                  ^                                                          copied keys])
 *                  +--------------------- truncated: next page <-----------------+
 *               not truncated, nothing running --> finish()
 * @endverbatim
 */
class CopyPrefixJob : public Job
{
    Q_OBJECT
public:
    static constexpr int DefaultCopiesInFlight = 8;
    static constexpr int MaxKeptFailures = 1000;

    CopyPrefixJob(Client *client, const QString &bucket, const QString &sourcePrefix,
                  const QString &destinationPrefix, bool move, QObject *parent = nullptr);

    /** @brief Copies running at once (1..64). */
    void setCopiesInFlight(int n) { m_inFlight = std::clamp(n, 1, 64); }
    /** @brief Keys copied (and, on a move, deleted at the source or about to be). */
    [[nodiscard]] qint64 copiedCount() const { return m_copied; }
    /** @brief Keys that could not be copied, or (move) whose source could not be deleted. */
    [[nodiscard]] qint64 failureCount() const { return m_failureCount; }
    [[nodiscard]] const QList<DeleteFailure> &failures() const { return m_failures; }

Q_SIGNALS:
    /** @brief A key was copied or failed. */
    void progressChanged();

protected:
    void doStart() override;
    void doAbort() override;

private:
    void pump();
    void listPage();
    void copyNext();
    void fail(const QString &key, const Error &error);

    QPointer<Client> m_client;
    QString m_bucket;
    QString m_source;
    QString m_destination;
    bool m_move;
    int m_inFlight = DefaultCopiesInFlight;
    ListObjectsParams m_params;
    bool m_more = true;
    QStringList m_queue; // keys of the page still to copy
    QStringList m_copiedOfPage; // move: to delete once the page is done
    QList<QPointer<Job>> m_running;
    QPointer<ListObjectsJob> m_listing;
    QPointer<DeleteObjectsJob> m_deleting;
    qint64 m_copied = 0;
    qint64 m_failureCount = 0;
    QList<DeleteFailure> m_failures;
    Error m_firstError;
};

/**
 * @brief Makes a presigned URL once credentials are available (a fetch may be needed).
 *
 * The URL is valid on the server's clock: when the Client has not seen a server time yet, one
 * unsigned HEAD of the URL's host asks for it first (its Date header; the answer itself, often a
 * 403, does not matter). If that gives no time, or with setOffline(true), the URL uses the
 * device clock and localClockReason() says why.
 */
class PresignJob : public Job
{
    Q_OBJECT
public:
    PresignJob(Client *client, const QByteArray &method, const QString &bucket, const QString &key,
               int expiresSeconds, QObject *parent = nullptr);
    ~PresignJob() override;

    /** @brief Skip the request for the server's time (the URL uses the clock as it is). */
    void setOffline(bool offline) { m_offline = offline; }

    [[nodiscard]] const QUrl &url() const { return m_url; }
    /** @brief Why the URL used the device clock rather than a known server time; empty when
     * the server's time was known. */
    [[nodiscard]] const QString &localClockReason() const { return m_localClockReason; }

protected:
    void doStart() override;
    void doAbort() override;

private:
    void learnServerTime(const HttpRequest &request);
    void sign(const HttpRequest &request);

    QPointer<Client> m_client;
    QByteArray m_method;
    QString m_bucket;
    QString m_key;
    int m_expires;
    bool m_offline = false;
    QUrl m_url;
    QString m_localClockReason;
    QPointer<QNetworkReply> m_probe;
};

} // namespace Cos
