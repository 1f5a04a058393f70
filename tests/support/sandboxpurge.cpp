#include "sandboxpurge.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

#include <QSignalSpy>

using namespace Qt::StringLiterals;

namespace {

bool runToEnd(Cos::Job *job)
{
    QSignalSpy done(job, &Cos::Job::finished);
    job->start();
    return job->isFinished() || done.wait(60000);
}

} // namespace

QString purgeSandboxBucket(Cos::Client *client, const QString &bucket)
{
    if (!client || bucket.isEmpty())
        return {};
    Cos::ListObjectsJob *list = client->listObjects(bucket, {}, 0);
    if (!runToEnd(list))
        return u"listing %1 timed out"_s.arg(bucket);
    if (list->error())
        return list->error().toString();
    QStringList keys;
    for (const Cos::ObjectInfo &o : list->result().objects)
        keys.append(o.key);
    list->deleteLater();
    if (!keys.isEmpty()) {
        Cos::DeleteObjectsJob *del = client->deleteObjects(bucket, keys);
        if (!runToEnd(del))
            return u"deleting the objects of %1 timed out"_s.arg(bucket);
        if (del->error())
            return del->error().toString();
        del->deleteLater();
    }
    Cos::RequestJob *rb = client->deleteBucket(bucket);
    if (!runToEnd(rb))
        return u"deleting bucket %1 timed out"_s.arg(bucket);
    const QString error = rb->error() ? rb->error().toString() : QString();
    rb->deleteLater();
    return error;
}
