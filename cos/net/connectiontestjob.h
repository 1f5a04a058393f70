#pragma once

#include "cos/core/credentials.h"
#include "cos/net/job.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QString>

namespace Cos {

class Client;
class ListBucketsJob;
class ListObjectsJob;

/**
 * @brief "Test connection": fetches credentials, then lists what the keys may list, and reports
 * every step with its own result.
 *
 * @verbatim
 *   start() --> [Credentials] --error--> finish(error)
 *                    |
 *                    |-- the keys carry a scope --> [ListBucket: first grant's bucket/prefix]
 *                    v
 *               [ListBuckets (GET Service)] --ok--> finish()
 *                    |
 *                    |-- 403 AccessDenied and a fallback bucket --> [ListBucket: fallback]
 *                    +-- any other error --> finish(error)
 *
 *   [ListBucket] (one key, one page) --ok--> finish()   --error--> finish(error)
 * @endverbatim
 *
 * Keys that say what they allow (CredentialScope, from cos-signer or the embedded signer) are
 * tested on what they allow: GET Service is not asked for then. The job fails with the error of
 * the first step that failed, except a GET Service refused with AccessDenied that a listing of
 * the fallback bucket then passes (serviceDenied() says so). Use a Client with few attempts and
 * a short transfer timeout: a test should answer fast. The keys themselves are not kept: only
 * what may be shown (masked id, expiry, scope).
 */
class ConnectionTestJob : public Job
{
    Q_OBJECT
public:
    enum class Step {
        Credentials, ///< the provider gave keys (signing URL, embedded signer, static keys)
        ListBuckets, ///< GET Service
        ListBucket, ///< GET Bucket with max-keys 1 on a bucket and prefix
    };
    Q_ENUM(Step)

    /** @brief The outcome of one step. */
    struct StepResult
    {
        Step step = Step::Credentials;
        Error error; ///< Kind::None when the step worked
        QString bucket; ///< ListBucket: the bucket listed
        QString prefix; ///< ListBucket: the prefix listed
        int count = 0; ///< ListBuckets: buckets seen; ListBucket: keys and folders seen (<= 1)
        qint64 elapsedMs = 0; ///< time the step took
    };

    /** @brief @p client is not owned; it must outlive the job or the job fails as canceled. */
    explicit ConnectionTestJob(Client *client, QObject *parent = nullptr);

    /**
     * @brief The bucket (and prefix in it) listed when GET Service is refused with
     * AccessDenied; keys limited to one bucket may still list that bucket.
     */
    void setFallbackBucket(const QString &bucket, const QString &prefix = {});

    /** @brief The steps that ran, in order; the last one decided the outcome. */
    [[nodiscard]] const QList<StepResult> &steps() const { return m_steps; }
    /** @brief True when GET Service was refused but the fallback bucket could be listed. */
    [[nodiscard]] bool serviceDenied() const { return m_serviceDenied; }
    /** @brief The key id of the fetched keys, masked (maskKeyId()); empty before. */
    [[nodiscard]] const QString &maskedKeyId() const { return m_maskedKeyId; }
    /** @brief Whether the fetched keys are temporary (they carry a session token). */
    [[nodiscard]] bool temporaryKeys() const { return m_temporary; }
    /** @brief Validity left of the fetched keys when fetched (seconds; -1 for permanent keys). */
    [[nodiscard]] qint64 secondsLeft() const { return m_secondsLeft; }
    /** @brief What the issuer said the keys allow (empty when it did not say). */
    [[nodiscard]] const CredentialScope &scope() const { return m_scope; }
    /** @brief The buckets GET Service listed (ListBuckets step passed). */
    [[nodiscard]] int bucketCount() const { return m_bucketCount; }
    /** @brief Time from start() to the end of the last step. */
    [[nodiscard]] qint64 elapsedMs() const { return m_elapsed.isValid() ? m_elapsed.elapsed() : 0; }

Q_SIGNALS:
    /** @brief A step ended (successfully or not); emitted before finished(). */
    void stepFinished(const Cos::ConnectionTestJob::StepResult &result);

protected:
    void doStart() override;
    void doAbort() override;

private:
    void listBuckets();
    void listBucket(const QString &bucket, const QString &prefix);
    /** @brief Records @p result and announces it. */
    void endStep(StepResult result);

    QPointer<Client> m_client;
    QString m_fallbackBucket;
    QString m_fallbackPrefix;
    QPointer<ListBucketsJob> m_buckets;
    QPointer<ListObjectsJob> m_objects;
    QList<StepResult> m_steps;
    QElapsedTimer m_elapsed;
    QElapsedTimer m_stepTimer;
    QString m_maskedKeyId;
    bool m_temporary = false;
    qint64 m_secondsLeft = -1;
    CredentialScope m_scope;
    int m_bucketCount = 0;
    bool m_fallingBack = false; // GET Service was denied: the fallback bucket is listed
    bool m_serviceDenied = false;
};

} // namespace Cos

Q_DECLARE_METATYPE(Cos::ConnectionTestJob::StepResult)
