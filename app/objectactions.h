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
    /** A rename, copy or move is running. */
    Q_PROPERTY(bool copying READ isCopying NOTIFY copyingChanged)

public:
    /** @brief @p objects is the list the commands work on (not owned). */
    ObjectActions(ObjectListModel *objects, BatchListModel::ClientFactory clientFor,
                  QObject *parent = nullptr);
    ~ObjectActions() override;

    [[nodiscard]] ObjectSelection *selection() const { return m_selection; }
    [[nodiscard]] BatchListModel *batches() const { return m_batches; }
    [[nodiscard]] bool isDeleting() const { return !m_deleteJob.isNull(); }
    [[nodiscard]] bool isCopying() const { return !m_copyJob.isNull(); }

    /** @brief Why @p name cannot be the new name of an object or folder ("" when it can). */
    Q_INVOKABLE QString validateName(const QString &name) const;
    /**
     * @brief Why @p key cannot be copied or moved to folder @p folder ("" or "a/b/" of the open
     * bucket; "" when it can): a folder into itself, or where it already is.
     */
    Q_INVOKABLE QString validateDestination(const QString &key, bool isFolder,
                                            const QString &folder) const;
    /**
     * @brief Renames @p key (a file, or a folder ending in "/") of the open folder to
     * @p newName: server-side copy, then delete (a folder: every key under it, as a batch).
     * Refused when the new name is taken.
     */
    Q_INVOKABLE void rename(const QString &key, bool isFolder, const QString &newName);
    /**
     * @brief Deletes bucket @p bucket of @p region, which must be empty: a bucket with objects
     * (or unfinished multipart uploads) is refused by the server with BucketNotEmpty, and
     * operationFailed() says so. bucketDeleted() follows success.
     */
    Q_INVOKABLE void deleteBucket(const QString &bucket, const QString &region);
    /** @brief Copies @p key (file or folder) into folder @p folder of the open bucket. */
    Q_INVOKABLE void copyTo(const QString &key, bool isFolder, const QString &folder);
    /** @brief Moves @p key (file or folder) into folder @p folder of the open bucket. */
    Q_INVOKABLE void moveTo(const QString &key, bool isFolder, const QString &folder);

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
    void copyingChanged();
    void bucketDeleted(const QString &bucket, const QString &region);
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
    /** copyTo() or (@p move) moveTo(). */
    void copyInto(const QString &key, bool isFolder, const QString &folder, bool move);
    /** Copies (@p move: moves) @p key to @p target, unless @p target exists; then reports. */
    void copyObject(const QString &key, bool isFolder, const QString &target, bool move,
                    const QString &doneText);
    void startCopy(const QString &key, bool isFolder, const QString &target, bool move,
                   const QString &doneText);
    void finishCopy(Cos::Job *job, const QString &subject, const QString &doneText, qint64 count);
    void finishDelete();

    QPointer<ObjectListModel> m_objects;
    ObjectSelection *m_selection;
    BatchListModel *m_batches;
    BatchListModel::ClientFactory m_clientFor;

    // The delete of a selection: files first (one DeleteObjects job), then folder by folder.
    QPointer<Cos::Job> m_deleteJob;
    QPointer<Cos::Job> m_copyJob; // the existence check, then the copy
    QString m_deleteBucket;
    QStringList m_deleteFiles;
    QStringList m_deleteFolders;
    QStringList m_deletedKeys; // selection entries done
    qint64 m_deletedObjects = 0;
    QString m_deleteError;
};
