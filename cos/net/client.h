#pragma once

#include "cos/digest/digestpool.h"
#include "cos/net/clock.h"
#include "cos/net/requestjournal.h"
#include "cos/protocol/endpoint.h"
#include "cos/protocol/regions.h"
#include "cos/protocol/requestbuilder.h"

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

QT_BEGIN_NAMESPACE
class QNetworkAccessManager;
class QUrl;
QT_END_NAMESPACE

namespace Cos {

class CredentialCache;
class DirectConnectionPool;
class CredentialProvider;
class CopyObjectJob;
class DeleteObjectsJob;
class HeadObjectJob;
class ListBucketsJob;
class ListObjectsJob;
class PresignJob;
class RequestJob;

/**
 * @brief The engine's entry point: one endpoint, one credential source, one network manager.
 *
 * Owns the QNetworkAccessManager (shared by all its jobs, on the thread that created the
 * Client), the Clock, the CredentialCache and the provider. Operations come back as jobs that
 * are not started yet: connect to finished(), then call start(). A job's parent is the given
 * @p parent, or the Client when none is given; jobs must not outlive the Client (they fail with
 * Kind::Canceled-like errors if they do).
 *
 * Defaults: transfer timeout 60 s of inactivity, 3 attempts, backoff from 200 ms, direct
 * uploads on.
 */
class Client : public QObject
{
    Q_OBJECT
public:
    static constexpr int DefaultTransferTimeoutMs = 60000;
    static constexpr int DefaultRetryBaseDelayMs = 200;
    static constexpr int MaxRetryDelayMs = 8000;

    /** @brief Takes ownership of @p provider (reparents it). */
    Client(const Endpoint &endpoint, CredentialProvider *provider, QObject *parent = nullptr);
    ~Client() override;

    [[nodiscard]] const Endpoint &endpoint() const { return m_builder.endpoint(); }
    [[nodiscard]] const RequestBuilder &builder() const { return m_builder; }
    /**
     * @brief Trusts the CA certificates of the PEM bundle @p pemFile, on top of the system
     * roots, for every TLS connection the process opens from now on: COS/S3 endpoints, signing
     * URLs and the direct upload path (it extends QSslConfiguration::defaultConfiguration(),
     * which every QNetworkRequest starts from). False with @p error when the file cannot be
     * read or holds no certificate.
     */
    static bool addTrustedCaFile(const QString &pemFile, QString *error);
    /**
     * @brief addTrustedCaFile() for the file named by COS_CA_FILE, once per process; true when
     * the variable is unset. Every Client calls it on construction.
     */
    static bool addTrustedCaFileFromEnvironment(QString *error);

    [[nodiscard]] QNetworkAccessManager *networkAccessManager() const { return m_manager; }
    [[nodiscard]] Clock &clock() { return m_clock; }
    [[nodiscard]] const Clock &clock() const { return m_clock; }
    [[nodiscard]] CredentialCache *credentials() const { return m_credentials; }
    [[nodiscard]] CredentialProvider *credentialProvider() const { return m_provider; }
    /**
     * @brief Replaces the credential provider (takes ownership) and starts a new, empty cache.
     * Call it before starting jobs (e.g. for a UrlCredentialProvider that uses this Client's
     * networkAccessManager()).
     */
    void setCredentialProvider(CredentialProvider *provider);
    /**
     * @brief Records every request of this Client (and of its signing-URL provider) into
     * @p journal (not owned; null: record nothing, the default, which costs nothing).
     */
    void setJournal(RequestJournal *journal);
    [[nodiscard]] RequestJournal *journal() const { return m_journal; }

    /**
     * @brief The hashing passes shared by this client's uploads, so that the parts of several
     * files fill the SIMD lanes of one pass (DigestLanePool).
     */
    [[nodiscard]] DigestLanePool *digestLanePool() { return &m_digestLanePool; }
    /** @brief Built-in regions merged with the bucket locations seen by listBuckets(). */
    [[nodiscard]] RegionCatalog &regions() { return m_regions; }

    /** @brief Default inactivity timeout of new jobs in ms (0: none). */
    void setTransferTimeout(int ms) { m_transferTimeoutMs = ms; }
    [[nodiscard]] int transferTimeout() const { return m_transferTimeoutMs; }
    /** @brief Default attempts of new jobs for retryable errors (at least 1). */
    void setMaxAttempts(int attempts) { m_maxAttempts = attempts < 1 ? 1 : attempts; }
    [[nodiscard]] int maxAttempts() const { return m_maxAttempts; }
    /** @brief Default first backoff delay of new jobs in ms. */
    void setRetryBaseDelay(int ms) { m_retryBaseDelayMs = ms; }
    [[nodiscard]] int retryBaseDelay() const { return m_retryBaseDelayMs; }
    /** @brief The User-Agent header of every request. */
    [[nodiscard]] const QByteArray &userAgent() const { return m_userAgent; }

    /**
     * @brief Whether requests (uploads, downloads, listings, everything RequestJob sends) go
     * over this Client's own keep-alive HTTP/1.1 connections (DirectUploadReply) instead of
     * the QNetworkAccessManager, which moves a body to its thread in 16 KiB pieces and reads
     * each response head one byte per system call. Default true; the environment variable
     * COS_DIRECT_UPLOADS=0 turns the default off. Only used when the manager would use no
     * proxy for the URL.
     */
    void setDirectUploads(bool enabled) { m_directUploads = enabled; }
    [[nodiscard]] bool directUploads() const { return m_directUploads; }
    /** @brief Whether a request for @p url is sent directly. */
    [[nodiscard]] bool usesDirectUpload(const QUrl &url) const;
    /** @brief The keep-alive connections of direct requests. */
    [[nodiscard]] DirectConnectionPool *directConnectionPool() const { return m_directPool; }

    /** @brief A job for any built request (the transfer engine uses this). */
    RequestJob *newRequestJob(const BuildResult &build, QObject *parent = nullptr);

    /** @brief All buckets, or (COS) those of @p region; pages until done. */
    ListBucketsJob *listBuckets(const QString &region = {}, QObject *parent = nullptr);
    /**
     * @brief Lists objects; follows up to @p maxPages pages (0: all). The result's
     * isTruncated / nextMarker / nextContinuationToken continue where it stopped.
     */
    ListObjectsJob *listObjects(const QString &bucket, const ListObjectsParams &params = {},
                                int maxPages = 1, QObject *parent = nullptr);
    /** @brief PUT Bucket with an optional canned ACL (private, public-read, ...). */
    RequestJob *createBucket(const QString &bucket, const QString &acl = {},
                             QObject *parent = nullptr);
    /** @brief DELETE Bucket (it must be empty). */
    RequestJob *deleteBucket(const QString &bucket, QObject *parent = nullptr);
    /** @brief Server-side copy of @p sourceKey (in @p sourceBucket) to @p key in @p bucket. */
    CopyObjectJob *copyObject(const QString &bucket, const QString &key,
                              const QString &sourceBucket, const QString &sourceKey,
                              QObject *parent = nullptr);
    /** @brief DELETE Object; deleting a missing key succeeds (S3 and COS answer 204). */
    RequestJob *deleteObject(const QString &bucket, const QString &key, QObject *parent = nullptr);
    /** @brief Deletes many keys with POST ?delete, 1000 per request. */
    DeleteObjectsJob *deleteObjects(const QString &bucket, const QStringList &keys,
                                    QObject *parent = nullptr);
    /** @brief HEAD Object; a missing key fails with HTTP 404 (code NotFound). */
    HeadObjectJob *headObject(const QString &bucket, const QString &key,
                              const GetObjectParams &params = {}, QObject *parent = nullptr);
    /** @brief A presigned URL for GET or PUT of @p key valid for @p expiresSeconds. */
    PresignJob *presign(const QByteArray &method, const QString &bucket, const QString &key,
                        int expiresSeconds, QObject *parent = nullptr);

private:
    RequestBuilder m_builder;
    QNetworkAccessManager *m_manager;
    DirectConnectionPool *m_directPool;
    bool m_directUploads = true;
    Clock m_clock;
    CredentialProvider *m_provider = nullptr;
    CredentialCache *m_credentials = nullptr;
    QPointer<RequestJournal> m_journal;
    DigestLanePool m_digestLanePool;
    RegionCatalog m_regions;
    int m_transferTimeoutMs = DefaultTransferTimeoutMs;
    int m_maxAttempts = 3;
    int m_retryBaseDelayMs = DefaultRetryBaseDelayMs;
    QByteArray m_userAgent;
};

} // namespace Cos
