#include "objectactions.h"

#include "objectlistmodel.h"
#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

#include <QDir>
#include <QFileInfo>
#include <QMap>

using namespace Qt::StringLiterals;

namespace {

// "photos/2024/" -> "2024", "a/b.txt" -> "b.txt"
QString lastSegment(QString key)
{
    if (key.endsWith(u'/'))
        key.chop(1);
    return key.section(u'/', -1);
}

} // namespace

ObjectActions::ObjectActions(ObjectListModel *objects, BatchListModel::ClientFactory clientFor,
                             QObject *parent)
    : QObject(parent)
    , m_objects(objects)
    , m_selection(new ObjectSelection(objects, this))
    , m_batches(new BatchListModel(this))
    , m_clientFor(std::move(clientFor))
{
    m_batches->setClientFactory(m_clientFor);
    connect(m_batches, &BatchListModel::batchFinished, this,
            [this](const QString &name, int transferred, int failed, const QString &message) {
                if (m_objects && m_objects->client())
                    m_objects->refresh();
                if (failed > 0)
                    Q_EMIT operationFailed(
                            tr("%1: %n file(s) failed (see Transfers)", nullptr, failed).arg(name));
                else if (!message.isEmpty())
                    Q_EMIT operationFailed(tr("%1: %2").arg(name, message));
                else
                    Q_EMIT notify(tr("%1: %n file(s) transferred", nullptr, transferred).arg(name));
            });
}

ObjectActions::~ObjectActions()
{
    if (m_deleteJob) {
        disconnect(m_deleteJob, nullptr, this, nullptr);
        m_deleteJob->abort();
    }
}

QString ObjectActions::writableFolder(const QUrl &folder)
{
    const QString dir = folder.isLocalFile() ? folder.toLocalFile() : folder.toString();
    const QFileInfo info(dir);
    if (dir.isEmpty() || !info.isDir() || !info.isWritable()) {
        Q_EMIT operationFailed(tr("Cannot write to %1: choose a folder you can write to.")
                                       .arg(QDir::toNativeSeparators(dir)));
        return {};
    }
    return info.absoluteFilePath();
}

void ObjectActions::startBatch(Cos::BatchTransfer::Direction direction, const QString &localDir,
                               const QStringList &names, const QString &title)
{
    BatchListModel::Record r;
    r.direction = direction;
    r.name = title;
    r.region = m_objects->region();
    r.bucket = m_objects->bucket();
    r.prefix = m_objects->prefix();
    r.localDir = localDir;
    r.only = names;
    const int row = m_batches->add(r);
    if (m_batches->stateAt(row) == u"failed"_s) {
        Q_EMIT operationFailed(
                m_batches->data(m_batches->index(row), BatchListModel::ErrorRole).toString());
        return;
    }
    Q_EMIT notify(
            direction == Cos::BatchTransfer::Direction::Upload
                    ? tr("Uploading %1").arg(title)
                    : tr("Downloading %1 to %2").arg(title, QDir::toNativeSeparators(localDir)));
}

void ObjectActions::downloadSelection(const QUrl &folder)
{
    if (!m_objects || !m_objects->client() || m_selection->count() == 0)
        return;
    const QString dir = writableFolder(folder);
    if (dir.isEmpty())
        return;
    const QString prefix = m_objects->prefix();
    QStringList names;
    const QStringList keys = m_selection->keys();
    for (const QString &key : keys) {
        if (key.startsWith(prefix))
            names.append(key.mid(prefix.size()));
    }
    const QString title = names.size() == 1 ? lastSegment(names.constFirst())
                                            : tr("%n item(s) from %1", nullptr, int(names.size()))
                                                      .arg(m_objects->breadcrumbs().join(u'/'));
    startBatch(Cos::BatchTransfer::Direction::Download, dir, names, title);
    m_selection->clear();
}

void ObjectActions::downloadFolder(const QString &key, const QUrl &folder)
{
    if (!m_objects || !m_objects->client() || !key.endsWith(u'/')
        || !key.startsWith(m_objects->prefix()))
        return;
    const QString dir = writableFolder(folder);
    if (dir.isEmpty())
        return;
    startBatch(Cos::BatchTransfer::Direction::Download, dir, {key.mid(m_objects->prefix().size())},
               lastSegment(key));
}

void ObjectActions::uploadFolder(const QUrl &folder)
{
    uploadUrls({folder});
}

void ObjectActions::uploadUrls(const QList<QUrl> &urls)
{
    if (!m_objects || !m_objects->client() || m_objects->bucket().isEmpty()) {
        Q_EMIT operationFailed(tr("Open a bucket first."));
        return;
    }
    // One batch per local parent folder, over the dropped names only.
    QMap<QString, QStringList> byParent;
    for (const QUrl &url : urls) {
        const QString path = url.isLocalFile() ? url.toLocalFile() : url.toString();
        const QFileInfo info(QDir::cleanPath(path));
        if (!info.exists() || !info.isReadable() || (!info.isDir() && !info.isFile())) {
            Q_EMIT operationFailed(tr("Cannot read %1: not a readable file or folder.")
                                           .arg(QDir::toNativeSeparators(path)));
            continue;
        }
        const QString parent = info.absolutePath();
        if (info.isRoot() || info.fileName().isEmpty()) {
            Q_EMIT operationFailed(tr("Cannot upload %1: choose a folder inside it.")
                                           .arg(QDir::toNativeSeparators(path)));
            continue;
        }
        byParent[parent].append(info.isDir() ? info.fileName() + u'/' : info.fileName());
    }
    for (auto it = byParent.cbegin(); it != byParent.cend(); ++it) {
        const QStringList &names = it.value();
        const QString title = names.size() == 1
                ? lastSegment(names.constFirst())
                : tr("%n item(s) from %1", nullptr, int(names.size()))
                          .arg(QFileInfo(it.key()).fileName());
        startBatch(Cos::BatchTransfer::Direction::Upload, it.key(), names, title);
    }
}

void ObjectActions::deleteSelection()
{
    if (isDeleting() || !m_objects || !m_objects->client() || m_selection->count() == 0)
        return;
    m_deleteBucket = m_objects->bucket();
    m_deleteFiles = m_selection->fileKeys();
    m_deleteFolders = m_selection->folderKeys();
    m_deletedKeys.clear();
    m_deletedObjects = 0;
    m_deleteError.clear();
    deleteNext();
    Q_EMIT deletingChanged();
}

void ObjectActions::deleteNext()
{
    Cos::Client *client = m_objects ? m_objects->client() : nullptr;
    if (!client || m_objects->bucket() != m_deleteBucket
        || (m_deleteFiles.isEmpty() && m_deleteFolders.isEmpty())) {
        finishDelete();
        return;
    }
    const QString subject = m_deleteBucket + u'/';
    if (!m_deleteFiles.isEmpty()) {
        const QStringList keys = std::exchange(m_deleteFiles, {});
        Cos::DeleteObjectsJob *job = client->deleteObjects(m_deleteBucket, keys, this);
        m_deleteJob = job;
        connect(job, &Cos::Job::finished, this, [this, job, keys, subject] {
            job->deleteLater();
            QStringList refused;
            for (const Cos::DeleteFailure &f : job->failures())
                refused.append(f.key);
            for (const QString &key : keys) {
                if (!job->error() && !refused.contains(key))
                    m_deletedKeys.append(key);
            }
            m_deletedObjects += job->deletedCount();
            if (m_deleteError.isEmpty() && (job->error() || !job->failures().isEmpty())) {
                const Cos::DeleteFailure first = job->failures().isEmpty()
                        ? Cos::DeleteFailure()
                        : job->failures().first();
                const Cos::Error e = job->error()
                        ? job->error()
                        : Cos::Error::service(403, first.code, first.message);
                m_deleteError = Presentation::errorText(e, Presentation::Operation::Delete,
                                                        subject
                                                                + (first.key.isEmpty()
                                                                           ? keys.constFirst()
                                                                           : first.key));
            }
            deleteNext();
        });
        job->start();
        return;
    }
    const QString folder = m_deleteFolders.takeFirst();
    auto *job = new Cos::DeletePrefixJob(client, m_deleteBucket, folder, this);
    m_deleteJob = job;
    connect(job, &Cos::Job::finished, this, [this, job, folder, subject] {
        job->deleteLater();
        m_deletedObjects += job->deletedCount();
        if (!job->error() && job->failureCount() == 0)
            m_deletedKeys.append(folder);
        if (m_deleteError.isEmpty() && (job->error() || job->failureCount() > 0)) {
            const Cos::DeleteFailure first = job->failures().isEmpty() ? Cos::DeleteFailure()
                                                                       : job->failures().first();
            const Cos::Error e = job->error() ? job->error()
                                              : Cos::Error::service(403, first.code, first.message);
            m_deleteError = Presentation::errorText(e, Presentation::Operation::Delete,
                                                    subject
                                                            + (first.key.isEmpty() ? folder
                                                                                   : first.key));
        }
        deleteNext();
    });
    job->start();
}

void ObjectActions::finishDelete()
{
    m_deleteJob = nullptr;
    const bool sameBucket = m_objects && m_objects->bucket() == m_deleteBucket;
    if (sameBucket) {
        for (const QString &key : std::as_const(m_deletedKeys))
            m_objects->removeKey(key);
        m_selection->remove(m_deletedKeys);
        m_objects->refresh();
    }
    if (!m_deleteError.isEmpty())
        Q_EMIT operationFailed(m_deleteError);
    else
        Q_EMIT notify(tr("Deleted %n object(s)", nullptr, int(m_deletedObjects)));
    Q_EMIT deletingChanged();
}

QString ObjectActions::validateName(const QString &name) const
{
    if (name.trimmed().isEmpty())
        return tr("Enter a name.");
    if (name.contains(u'/'))
        return tr("A name cannot contain \"/\".");
    if (name == u"."_s || name == u".."_s)
        return tr("\".\" and \"..\" cannot be names.");
    const qsizetype bytes = (m_objects ? m_objects->prefix() : QString()).toUtf8().size()
            + name.toUtf8().size();
    if (bytes > 850)
        return tr("Too long: the whole key may have at most 850 bytes (UTF-8); this one has %1.")
                .arg(bytes);
    return {};
}

QString ObjectActions::validateDestination(const QString &key, bool isFolder,
                                           const QString &folder) const
{
    QString dest = folder.trimmed();
    if (dest.startsWith(u'/'))
        dest.remove(0, 1);
    if (!dest.isEmpty() && !dest.endsWith(u'/'))
        dest += u'/';
    if (dest.contains(u"//"_s))
        return tr("A folder path cannot contain empty names (\"//\").");
    const QString target = dest + lastSegment(key) + (isFolder ? u"/"_s : QString());
    if (target == key)
        return tr("It is already there.");
    if (isFolder && target.startsWith(key))
        return tr("A folder cannot go into itself.");
    return {};
}

void ObjectActions::rename(const QString &key, bool isFolder, const QString &newName)
{
    if (!m_objects)
        return;
    if (const QString problem = validateName(newName); !problem.isEmpty()) {
        Q_EMIT operationFailed(problem);
        return;
    }
    QString parent = isFolder ? key.chopped(1) : key;
    parent = parent.left(parent.lastIndexOf(u'/') + 1);
    const QString target = parent + newName + (isFolder ? u"/"_s : QString());
    if (target == key)
        return;
    copyObject(key, isFolder, target, true, tr("Renamed %1 to %2").arg(lastSegment(key), newName));
}

void ObjectActions::copyTo(const QString &key, bool isFolder, const QString &folder)
{
    copyInto(key, isFolder, folder, false);
}

void ObjectActions::moveTo(const QString &key, bool isFolder, const QString &folder)
{
    copyInto(key, isFolder, folder, true);
}

void ObjectActions::copyInto(const QString &key, bool isFolder, const QString &folder, bool move)
{
    if (const QString problem = validateDestination(key, isFolder, folder); !problem.isEmpty()) {
        Q_EMIT operationFailed(problem);
        return;
    }
    QString dest = folder.trimmed();
    if (dest.startsWith(u'/'))
        dest.remove(0, 1);
    if (!dest.isEmpty() && !dest.endsWith(u'/'))
        dest += u'/';
    const QString name = lastSegment(key);
    copyObject(key, isFolder, dest + name + (isFolder ? u"/"_s : QString()), move,
               (move ? tr("Moved %1 to %2") : tr("Copied %1 to %2")).arg(name, u'/' + dest));
}

void ObjectActions::copyObject(const QString &key, bool isFolder, const QString &target, bool move,
                               const QString &doneText)
{
    Cos::Client *client = m_objects ? m_objects->client() : nullptr;
    if (!client || isCopying())
        return;
    // Never overwrite: a file must not exist, a folder must have no key under it.
    Cos::ListObjectsParams params;
    params.prefix = target;
    params.maxKeys = 1;
    Cos::ListObjectsJob *check = client->listObjects(m_objects->bucket(), params, 1, this);
    m_copyJob = check;
    Q_EMIT copyingChanged();
    const QString subject = m_objects->bucket() + u'/' + target;
    connect(check, &Cos::Job::finished, this,
            [this, check, key, isFolder, target, move, doneText, subject] {
                check->deleteLater();
                m_copyJob = nullptr;
                if (check->error()) {
                    Q_EMIT operationFailed(
                            Presentation::errorText(check->error(),
                                                    Presentation::Operation::ListObjects, subject));
                    Q_EMIT copyingChanged();
                    return;
                }
                const QList<Cos::ObjectInfo> &found = check->result().objects;
                const bool taken = isFolder ? !found.isEmpty()
                                            : std::any_of(found.cbegin(), found.cend(),
                                                          [&target](const Cos::ObjectInfo &o) {
                                                              return o.key == target;
                                                          });
                if (taken) {
                    Q_EMIT operationFailed(tr("%1 already exists: choose another name or folder.")
                                                   .arg(lastSegment(target)));
                    Q_EMIT copyingChanged();
                    return;
                }
                startCopy(key, isFolder, target, move, doneText);
            });
    check->start();
}

void ObjectActions::startCopy(const QString &key, bool isFolder, const QString &target, bool move,
                              const QString &doneText)
{
    Cos::Client *client = m_objects ? m_objects->client() : nullptr;
    if (!client) {
        Q_EMIT copyingChanged();
        return;
    }
    const QString bucket = m_objects->bucket();
    const QString subject = bucket + u'/' + key;
    if (isFolder) {
        auto *job = new Cos::CopyPrefixJob(client, bucket, key, target, move, this);
        m_copyJob = job;
        connect(job, &Cos::Job::finished, this, [this, job, subject, doneText] {
            finishCopy(job, subject, doneText, job->copiedCount());
        });
        job->start();
        return;
    }
    Cos::CopyObjectJob *copy = client->copyObject(bucket, target, bucket, key, this);
    m_copyJob = copy;
    connect(copy, &Cos::Job::finished, this,
            [this, copy, client, bucket, key, move, subject, doneText] {
                if (copy->error() || !move) {
                    finishCopy(copy, subject, doneText, 1);
                    return;
                }
                copy->deleteLater();
                Cos::RequestJob *del = client->deleteObject(bucket, key, this);
                m_copyJob = del;
                connect(del, &Cos::Job::finished, this,
                        [this, del, subject, doneText] { finishCopy(del, subject, doneText, 1); });
                del->start();
            });
    copy->start();
}

void ObjectActions::finishCopy(Cos::Job *job, const QString &subject, const QString &doneText,
                               qint64 count)
{
    job->deleteLater();
    m_copyJob = nullptr;
    if (job->error())
        Q_EMIT operationFailed(
                Presentation::errorText(job->error(), Presentation::Operation::Copy, subject));
    else
        Q_EMIT notify(count == 1 ? doneText
                                 : doneText + u' ' + tr("(%n object(s))", nullptr, int(count)));
    if (m_objects && m_objects->client())
        m_objects->refresh();
    Q_EMIT copyingChanged();
}

void ObjectActions::deleteBucket(const QString &bucket, const QString &region)
{
    QString error;
    Cos::Client *client = m_clientFor ? m_clientFor(region, &error) : nullptr;
    if (!client) {
        Q_EMIT operationFailed(error.isEmpty() ? tr("Not connected: check Settings.") : error);
        return;
    }
    Cos::RequestJob *job = client->deleteBucket(bucket, this);
    job->setAutoDelete(true);
    connect(job, &Cos::Job::finished, this, [this, job, bucket, region] {
        const Cos::Error &e = job->error();
        if (e.code() == u"BucketNotEmpty"_s) {
            Q_EMIT operationFailed(tr("The bucket %1 is not empty: only an empty bucket can be "
                                      "deleted. Delete its objects (and unfinished uploads) "
                                      "first.")
                                           .arg(bucket));
        } else if (e) {
            Q_EMIT operationFailed(
                    Presentation::errorText(e, Presentation::Operation::DeleteBucket, bucket));
        } else {
            Q_EMIT notify(tr("Deleted bucket %1").arg(bucket));
            Q_EMIT bucketDeleted(bucket, region);
        }
    });
    job->start();
}
