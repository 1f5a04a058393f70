#pragma once

#include "batchlistmodel.h"
#include "objectselection.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

class ObjectListModel;

namespace Cos {
class Job;
} // namespace Cos

/**
 * @brief Commands over several objects of the open folder: delete or download a
 * multi-selection, upload or download whole folders (also files and folders dropped on the
 * list), each as one batch in BatchListModel.
 *
 * Deleting a selection sends the files with DeleteObjects (1,000 keys a request) and every
 * selected folder through Cos::DeletePrefixJob (all keys under it, page by page). Results come
 * back as notify() and operationFailed(), as AppController's do.
 */
class ObjectActions : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.actions")
    Q_PROPERTY(ObjectSelection *selection READ selection CONSTANT)
    Q_PROPERTY(BatchListModel *batches READ batches CONSTANT)
    /** A delete of a selection is running. */
    Q_PROPERTY(bool deleting READ isDeleting NOTIFY deletingChanged)

public:
    /** @brief @p objects is the list the commands work on (not owned). */
    ObjectActions(ObjectListModel *objects, BatchListModel::ClientFactory clientFor,
                  QObject *parent = nullptr);
    ~ObjectActions() override;

    [[nodiscard]] ObjectSelection *selection() const { return m_selection; }
    [[nodiscard]] BatchListModel *batches() const { return m_batches; }
    [[nodiscard]] bool isDeleting() const { return !m_deleteJob.isNull(); }

    /** @brief Deletes every selected file and folder (a folder: every key under it). */
    Q_INVOKABLE void deleteSelection();
    /** @brief Downloads the selected files and folders into @p folder (a local folder URL). */
    Q_INVOKABLE void downloadSelection(const QUrl &folder);
    /** @brief Downloads folder @p key (ends with "/") of the open bucket into @p folder. */
    Q_INVOKABLE void downloadFolder(const QString &key, const QUrl &folder);
    /** @brief Uploads local folder @p folder (and all below it) into the open folder. */
    Q_INVOKABLE void uploadFolder(const QUrl &folder);
    /**
     * @brief Uploads local files and folders (a drop on the list) into the open folder: one
     * batch per local parent folder.
     */
    Q_INVOKABLE void uploadUrls(const QList<QUrl> &urls);

Q_SIGNALS:
    void deletingChanged();
    /** @brief A short confirmation for a snackbar. */
    void notify(const QString &message);
    /** @brief A command failed; @p message says what to do. */
    void operationFailed(const QString &message);

private:
    /** Starts a batch over @p names (folders end with "/") of the open folder. */
    void startBatch(Cos::BatchTransfer::Direction direction, const QString &localDir,
                    const QStringList &names, const QString &title);
    [[nodiscard]] QString writableFolder(const QUrl &folder);
    void deleteNext();
    void finishDelete();

    QPointer<ObjectListModel> m_objects;
    ObjectSelection *m_selection;
    BatchListModel *m_batches;
    BatchListModel::ClientFactory m_clientFor;

    // The delete of a selection: files first (one DeleteObjects job), then folder by folder.
    QPointer<Cos::Job> m_deleteJob;
    QString m_deleteBucket;
    QStringList m_deleteFiles;
    QStringList m_deleteFolders;
    QStringList m_deletedKeys; // selection entries done
    qint64 m_deletedObjects = 0;
    QString m_deleteError;
};
