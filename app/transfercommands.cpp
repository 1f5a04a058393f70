#include "transfercommands.h"

#include "objectlistmodel.h"
#include "pickedfilestager.h"
#include "transferlistmodel.h"

#include "cos/net/client.h"
#include "cos/transfer/downloadtask.h"
#include "cos/transfer/uploadtask.h"

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

TransferCommands::TransferCommands(ObjectListModel *objects, TransferListModel *transfers,
                                   BatchListModel::ClientFactory clientFor, QObject *parent)
    : QObject(parent)
    , m_objects(objects)
    , m_transfers(transfers)
    , m_picked(PickedFileStager::createForPlatform(this))
{
    connect(m_transfers, &TransferListModel::uploadSourceReleased, m_picked,
            [this](const QString &localPath) { m_picked->release(localPath); });
    m_transfers->setTaskFactory([clientFor](const TransferListModel::Record &record,
                                            QString *error) -> Cos::TransferTask * {
        Cos::Client *client = clientFor(record.region, error);
        if (!client)
            return nullptr;
        if (record.direction == TransferListModel::Direction::Upload)
            return new Cos::UploadTask(client, record.localPath, record.bucket, record.key);
        return new Cos::DownloadTask(client, record.bucket, record.key, record.localPath);
    });
    // One message per batch (when nothing runs or waits any more), not one per file.
    connect(m_transfers, &TransferListModel::batchFinished, this,
            [this](int succeeded, int failed, const QString &firstFailure) {
                if (failed == 0)
                    Q_EMIT notify(tr("%n transfer(s) finished", nullptr, succeeded));
                else if (failed == 1 && succeeded == 0)
                    Q_EMIT operationFailed(firstFailure);
                else
                    Q_EMIT operationFailed(
                            tr("%n transfer(s) failed", nullptr, failed)
                            + (succeeded > 0 ? tr(", %n finished", nullptr, succeeded) : QString())
                            + u". "_s + tr("First: %1").arg(firstFailure));
            });
    connect(m_transfers, &TransferListModel::transferFinished, this,
            [this](const QString &, bool ok, const QString &) {
                if (ok && m_objects->client())
                    m_objects->refresh();
            });
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    // Mobile systems cut the sockets of a suspended app: pause cleanly (checkpoints saved) and
    // resume what was running when the app comes back.
    connect(qGuiApp, &QGuiApplication::applicationStateChanged, this,
            [this](Qt::ApplicationState state) {
                if (state == Qt::ApplicationSuspended && m_transfers->activeCount() > 0) {
                    m_resumeOnActive = true;
                    m_transfers->pauseAll();
                } else if (state == Qt::ApplicationActive && m_resumeOnActive) {
                    m_resumeOnActive = false;
                    m_transfers->resumeAll();
                }
            });
#endif
}

void TransferCommands::upload(const QList<QUrl> &files)
{
    const QString bucket = m_objects->bucket();
    if (!m_objects->client() || bucket.isEmpty()) {
        Q_EMIT operationFailed(tr("Open a bucket first."));
        return;
    }
    // Picked files that only a Qt file engine can read (Android content: URLs), or any file
    // on mobile, are copied into the cache first; see PickedFileStager.
    const QString region = m_objects->region();
    const QString prefix = m_objects->prefix();
    m_picked->stage(files,
                    [this, bucket, region, prefix](const QList<PickedFileStager::Staged> &staged) {
                        int added = 0;
                        for (const PickedFileStager::Staged &s : staged) {
                            if (!s.error.isEmpty()) {
                                Q_EMIT operationFailed(s.error);
                                continue;
                            }
                            TransferListModel::Record r;
                            r.direction = TransferListModel::Direction::Upload;
                            r.bucket = bucket;
                            r.region = region;
                            r.key = prefix + s.name;
                            r.localPath = s.localPath;
                            m_transfers->add(r);
                            ++added;
                        }
                        if (added > 0)
                            Q_EMIT notify(tr("%n upload(s) started", nullptr, added));
                    });
}

void TransferCommands::pruneStagedCopies()
{
    m_picked->prune(m_transfers->uploadSources());
}

QUrl TransferCommands::defaultDownloadFolder() const
{
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    // The sandboxed app can always write its own Documents folder.
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
#else
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
#endif
    if (dir.isEmpty())
        dir = QDir::homePath();
    return QUrl::fromLocalFile(dir);
}

void TransferCommands::download(const QString &key, const QUrl &folder)
{
    const QString bucket = m_objects->bucket();
    if (!m_objects->client() || bucket.isEmpty())
        return;
    const QString dir = folder.isLocalFile() ? folder.toLocalFile() : folder.toString();
    if (!QFileInfo(dir).isDir() || !QFileInfo(dir).isWritable()) {
        Q_EMIT operationFailed(tr("Cannot write to %1: choose a folder you can write to.").arg(dir));
        return;
    }
    // Never overwrite: "name (1).ext", "name (2).ext", ...
    const QString name = key.section(u'/', -1);
    QString path = QDir(dir).filePath(name);
    const QFileInfo base(name);
    for (int i = 1; QFileInfo::exists(path) && i < 1000; ++i) {
        const QString suffix = base.completeSuffix().isEmpty() ? QString()
                                                               : u"."_s + base.completeSuffix();
        path = QDir(dir).filePath(u"%1 (%2)%3"_s.arg(base.baseName()).arg(i).arg(suffix));
    }
    TransferListModel::Record r;
    r.direction = TransferListModel::Direction::Download;
    r.bucket = bucket;
    r.region = m_objects->region();
    r.key = key;
    r.localPath = path;
    m_transfers->add(r);
    Q_EMIT notify(tr("Downloading %1 to %2").arg(name, QDir::toNativeSeparators(dir)));
}
