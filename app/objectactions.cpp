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
