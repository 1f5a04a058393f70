#include "cos/net/connectiontestjob.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/operations.h"

#include <utility>

using namespace Qt::StringLiterals;

namespace Cos {

ConnectionTestJob::ConnectionTestJob(Client *client, QObject *parent)
    : Job(parent)
    , m_client(client)
{ }

void ConnectionTestJob::setFallbackBucket(const QString &bucket, const QString &prefix)
{
    m_fallbackBucket = bucket;
    m_fallbackPrefix = prefix;
}

void ConnectionTestJob::doStart()
{
    m_elapsed.start();
    m_stepTimer.start();
    if (!m_client) {
        finish(clientDestroyed());
        return;
    }
    m_client->credentials()->request(this, [this](const Credentials &keys, const Error &error) {
        if (isFinished())
            return;
        StepResult result;
        result.step = Step::Credentials;
        result.error = error;
        if (!error) {
            m_maskedKeyId = maskKeyId(keys.secretId);
            m_temporary = keys.isTemporary();
            m_secondsLeft = keys.expiredTime > 0 && m_client
                    ? keys.secondsLeft(m_client->clock().nowSeconds())
                    : -1;
            m_scope = keys.scope;
        }
        endStep(result);
        if (error) {
            finish(error);
            return;
        }
        if (!m_client) {
            finish(clientDestroyed());
            return;
        }
        // Keys that name what they allow are tested on that: GET Service is often not allowed.
        if (!m_scope.isEmpty()) {
            const CredentialScope::Grant &grant = m_scope.grants.constFirst();
            listBucket(grant.bucket, grant.prefix);
            return;
        }
        listBuckets();
    });
}

void ConnectionTestJob::doAbort()
{
    if (m_buckets)
        m_buckets->abort();
    if (m_objects)
        m_objects->abort();
}

void ConnectionTestJob::listBuckets()
{
    m_stepTimer.start();
    ListBucketsJob *job = m_client->listBuckets({}, this);
    m_buckets = job;
    connect(job, &Job::finished, this, [this, job] {
        job->deleteLater();
        if (isFinished())
            return;
        StepResult result;
        result.step = Step::ListBuckets;
        result.error = job->error();
        result.count = int(job->buckets().size());
        endStep(result);
        if (!job->error()) {
            m_bucketCount = result.count;
            finish();
            return;
        }
        const bool denied = job->error().httpStatus() == 403
                && job->error().code() == "AccessDenied"_L1;
        if (!denied || m_fallbackBucket.isEmpty() || !m_client) {
            finish(job->error());
            return;
        }
        m_fallingBack = true;
        listBucket(m_fallbackBucket, m_fallbackPrefix);
    });
    job->start();
}

void ConnectionTestJob::listBucket(const QString &bucket, const QString &prefix)
{
    m_stepTimer.start();
    ListObjectsParams params;
    params.maxKeys = 1;
    params.prefix = prefix;
    params.delimiter = u"/"_s;
    ListObjectsJob *job = m_client->listObjects(bucket, params, 1, this);
    m_objects = job;
    connect(job, &Job::finished, this, [this, job, bucket, prefix] {
        job->deleteLater();
        if (isFinished())
            return;
        StepResult result;
        result.step = Step::ListBucket;
        result.error = job->error();
        result.bucket = bucket;
        result.prefix = prefix;
        result.count = int(job->result().objects.size() + job->result().commonPrefixes.size());
        m_serviceDenied = m_fallingBack && !job->error();
        endStep(result);
        finish(job->error());
    });
    job->start();
}

void ConnectionTestJob::endStep(StepResult result)
{
    result.elapsedMs = m_stepTimer.elapsed();
    m_steps.append(result);
    Q_EMIT stepFinished(m_steps.constLast());
}

} // namespace Cos
