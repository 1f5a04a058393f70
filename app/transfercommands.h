#pragma once

#include "batchlistmodel.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

class ObjectListModel;
class PickedFileStager;
class TransferListModel;

/**
 * @brief Single-file uploads and downloads: adds them to the TransferListModel (picked files
 * that only a Qt file engine can read staged into the cache first by a PickedFileStager), gives
 * its queue the engine tasks, says once per batch how it went, and (on phones) pauses what runs
 * while the app is suspended and resumes it afterwards.
 */
class TransferCommands : public QObject
{
    Q_OBJECT
public:
    /** @brief @p objects is the open folder, @p transfers the list (neither owned). */
    TransferCommands(ObjectListModel *objects, TransferListModel *transfers,
                     BatchListModel::ClientFactory clientFor, QObject *parent = nullptr);

    /** @brief Uploads @p files (local file URLs) into the open bucket and folder. */
    void upload(const QList<QUrl> &files);
    /** @brief Downloads @p key of the open bucket into @p folder; never overwrites a file. */
    void download(const QString &key, const QUrl &folder);
    /** @brief Downloads on desktops, Documents on phones (the app's own, always writable). */
    [[nodiscard]] QUrl defaultDownloadFolder() const;
    /** @brief Removes staged copies no saved transfer refers to (after a restore). */
    void pruneStagedCopies();

Q_SIGNALS:
    void notify(const QString &message);
    void operationFailed(const QString &message);

private:
    ObjectListModel *m_objects;
    TransferListModel *m_transfers;
    PickedFileStager *m_picked;
    bool m_resumeOnActive = false; // mobile: transfers paused because the app was suspended
};
