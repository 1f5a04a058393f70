#include "browsecommands.h"

#include "appsettings.h"
#include "bucketlistmodel.h"
#include "objectlistmodel.h"
#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QLocale>

using namespace Qt::StringLiterals;

BrowseCommands::BrowseCommands(const Models &models, BatchListModel::ClientFactory clientFor,
                               QObject *parent)
    : QObject(parent)
    , m_settings(models.settings)
    , m_buckets(models.buckets)
    , m_objects(models.objects)
    , m_clientFor(std::move(clientFor))
{ }

QString BrowseCommands::fullBucketName(const QString &name) const
{
    Cos::Error e;
    const Cos::Endpoint ep = m_settings->endpoint(&e);
    return ep.fullBucketName(name.trimmed());
}

QString BrowseCommands::validateBucketName(const QString &input) const
{
    const QString name = input.trimmed();
    if (name.isEmpty())
        return tr("Enter a bucket name.");
    Cos::Error e;
    const Cos::Endpoint ep = m_settings->endpoint(&e);
    if (ep.dialect == Cos::Dialect::S3) {
        if (name.size() < 3 || name.size() > 63)
            return tr("A bucket name has 3 to 63 characters.");
    } else {
        const QString appId = ep.appId;
        const QString suffix = u"-"_s + appId;
        const QString base = !appId.isEmpty() && name.endsWith(suffix) ? name.chopped(suffix.size())
                                                                       : name;
        for (const QChar c : base) {
            if (!(c.isDigit() || (c >= u'a' && c <= u'z') || c == u'-'))
                return tr("Use only lower-case letters a-z, digits and '-' (found \"%1\").").arg(c);
        }
        if (base.startsWith(u'-') || base.endsWith(u'-'))
            return tr("The name must not start or end with '-'.");
        if (appId.isEmpty())
            return tr("Set your APPID in Settings: COS bucket names end in -APPID.");
        const QString full = base + suffix;
        if (full.size() > 50)
            return tr("Too long: \"%1\" has %2 characters; with -APPID at most 50 are allowed "
                      "(so at most %3 before the suffix).")
                    .arg(full)
                    .arg(full.size())
                    .arg(50 - suffix.size());
    }
    const Cos::Error error = ep.validateBucket(name);
    return error ? error.message() : QString();
}

void BrowseCommands::createBucket(const QString &name, const QString &region, const QString &acl)
{
    const QString problem = validateBucketName(name);
    if (!problem.isEmpty()) {
        Q_EMIT operationFailed(problem);
        return;
    }
    QString error;
    Cos::Client *client = m_clientFor(region, &error);
    if (!client) {
        Q_EMIT operationFailed(error);
        return;
    }
    const QString full = client->endpoint().fullBucketName(name.trimmed());
    Cos::RequestJob *job = client->createBucket(name.trimmed(), acl, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, full, region] {
        if (job->error()) {
            Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                           Presentation::Operation::CreateBucket,
                                                           full));
            return;
        }
        Q_EMIT notify(tr("Bucket %1 created").arg(full));
        Q_EMIT bucketCreated(full, region);
        m_buckets->reload();
    });
    job->start();
}

QString BrowseCommands::validateFolderName(const QString &name) const
{
    if (name.isEmpty())
        return tr("Enter a name.");
    if (name.contains(u'/') || name.contains(u'\\'))
        return tr("A folder name cannot contain / or \\.");
    if (name == "."_L1 || name == ".."_L1)
        return tr("\".\" and \"..\" are not folder names.");
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control)
            return tr("A folder name cannot contain control characters.");
    }
    // Keys are at most 1024 UTF-8 bytes (S3 and COS); leave the rest for the files in it.
    const qsizetype bytes = name.toUtf8().size();
    if (bytes > 255)
        return tr("At most 255 bytes in UTF-8; this name has %1.").arg(bytes);
    return {};
}

void BrowseCommands::createFolder(const QString &name)
{
    const QString problem = validateFolderName(name);
    if (!problem.isEmpty()) {
        Q_EMIT operationFailed(problem);
        return;
    }
    Cos::Client *client = m_objects->client();
    const QString bucket = m_objects->bucket();
    if (!client || bucket.isEmpty()) {
        Q_EMIT operationFailed(tr("Open a bucket first."));
        return;
    }
    const QString key = m_objects->prefix() + name + u'/';
    Cos::PutObjectParams params;
    params.contentLength = 0;
    Cos::RequestJob *job = client->newRequestJob(client->builder().putObject(bucket, key, params),
                                                 this);
    job->setBody(QByteArray());
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, bucket, key, name] {
        if (job->error()) {
            Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                           Presentation::Operation::Upload,
                                                           bucket + u'/' + key));
            return;
        }
        Q_EMIT notify(tr("Folder %1 created").arg(name));
        Q_EMIT folderCreated(key);
        m_objects->refresh();
    });
    job->start();
}

void BrowseCommands::deleteObject(const QString &key, bool isFolder)
{
    Cos::Client *client = m_objects->client();
    const QString bucket = m_objects->bucket();
    if (!client || bucket.isEmpty())
        return;
    if (!isFolder) {
        Cos::RequestJob *job = client->deleteObject(bucket, key, this);
        job->setAutoDelete(true);
        connect(job, &Cos::Job::finished, this, [this, job, key, bucket] {
            if (job->error()) {
                Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                               Presentation::Operation::Delete,
                                                               bucket + u'/' + key));
                return;
            }
            if (m_objects->bucket() == bucket)
                m_objects->removeKey(key);
            Q_EMIT notify(tr("Deleted %1").arg(key.section(u'/', -1)));
        });
        job->start();
        return;
    }
    // A folder is every key under its prefix: listed page by page and deleted 1,000 keys a
    // request, however many there are.
    auto *job = new Cos::DeletePrefixJob(client, bucket, key, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, bucket, key] {
        if (job->error() || job->failureCount() > 0) {
            const Cos::DeleteFailure first = job->failures().isEmpty() ? Cos::DeleteFailure()
                                                                       : job->failures().first();
            const Cos::Error e = job->error() ? job->error()
                                              : Cos::Error::service(403, first.code, first.message);
            Q_EMIT operationFailed(
                    Presentation::errorText(e, Presentation::Operation::Delete,
                                            bucket + u'/'
                                                    + (first.key.isEmpty() ? key : first.key)));
            m_objects->refresh();
            return;
        }
        if (m_objects->bucket() == bucket)
            m_objects->removeKey(key);
        Q_EMIT notify(tr("Deleted folder %1 (%n object(s))", nullptr, int(job->deletedCount()))
                              .arg(key.chopped(1).section(u'/', -1)));
    });
    job->start();
}

void BrowseCommands::copyLink(const QString &key, int expiresSeconds)
{
    copyObjectLink(m_objects->bucket(), m_objects->region(), key, expiresSeconds);
}

void BrowseCommands::copyObjectLink(const QString &bucket, const QString &region,
                                    const QString &key, int expiresSeconds)
{
    QString error;
    Cos::Client *client = m_clientFor(region, &error);
    if (!client || bucket.isEmpty()) {
        Q_EMIT operationFailed(client ? tr("Open a bucket first.") : error);
        return;
    }
    Cos::PresignJob *job = client->presign("GET"_ba, bucket, key, expiresSeconds, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, key, bucket, expiresSeconds] {
        if (job->error()) {
            Q_EMIT operationFailed(Presentation::errorText(job->error(),
                                                           Presentation::Operation::Presign,
                                                           bucket + u'/' + key));
            return;
        }
        const QString url = job->url().toString(QUrl::FullyEncoded);
        if (QGuiApplication::clipboard())
            QGuiApplication::clipboard()->setText(url);
        Q_EMIT linkCopied(url);
        Q_EMIT notify(
                tr("Link copied; valid for %1").arg(Presentation::formatDuration(expiresSeconds)));
    });
    job->start();
}

void BrowseCommands::fetchDetails(const QString &key)
{
    Cos::Client *client = m_objects->client();
    const QString bucket = m_objects->bucket();
    if (!client || bucket.isEmpty()) {
        Q_EMIT detailsFailed(key, tr("Open a bucket first."));
        return;
    }
    Cos::HeadObjectJob *job = client->headObject(bucket, key, {}, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, key, bucket] {
        if (job->error()) {
            Q_EMIT detailsFailed(key,
                                 Presentation::errorText(job->error(),
                                                         Presentation::Operation::Download,
                                                         bucket + u'/' + key));
            return;
        }
        const Cos::ObjectMetadata &m = job->metadata();
        QStringList metadata;
        for (const auto &[name, value] : m.userMetadata)
            metadata.append(name + u": "_s + value);
        Q_EMIT detailsFetched(key,
                              {{u"sizeText"_s,
                                m.size < 0 ? QString()
                                           : tr("%1 (%2 bytes)")
                                                     .arg(Presentation::formatSize(m.size),
                                                          QLocale().toString(m.size))},
                               {u"modified"_s, Presentation::formatDate(m.lastModified)},
                               {u"contentType"_s, m.contentType},
                               {u"etag"_s, m.etag},
                               {u"storageClass"_s,
                                m.storageClass.isEmpty() ? tr("STANDARD") : m.storageClass},
                               {u"crc64"_s, m.crc64},
                               {u"metadata"_s, metadata.join(u'\n')}});
    });
    job->start();
}
