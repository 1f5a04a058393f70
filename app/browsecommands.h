#pragma once

#include "batchlistmodel.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>
#include <QVariantMap>

class AppSettings;
class BucketListModel;
class ObjectListModel;

/**
 * @brief The one-shot commands on buckets and on single objects of the open folder: create a
 * bucket or folder, delete, copy a link, fetch details.
 *
 * Each command checks its input, runs one engine job, and answers with notify() or
 * operationFailed() (a message that says what to do); AppController forwards both, and offers
 * the commands to QML under its own name.
 */
class BrowseCommands : public QObject
{
    Q_OBJECT
public:
    /** @brief The models the commands read and update (not owned). */
    struct Models
    {
        AppSettings *settings = nullptr;
        BucketListModel *buckets = nullptr;
        ObjectListModel *objects = nullptr;
    };

    /** @brief @p clientFor gives the client of a region, or null with the reason. */
    BrowseCommands(const Models &models, BatchListModel::ClientFactory clientFor,
                   QObject *parent = nullptr);

    /** @brief "" when @p name is a valid bucket name here, else what is wrong. */
    [[nodiscard]] QString validateBucketName(const QString &name) const;
    /** @brief @p name with the -APPID suffix the server will see. */
    [[nodiscard]] QString fullBucketName(const QString &name) const;
    void createBucket(const QString &name, const QString &region, const QString &acl);

    /** @brief Deletes @p key of the open bucket; a folder with everything under it. */
    void deleteObject(const QString &key, bool isFolder);
    /** @brief Why @p name cannot be a folder name ("" when it can). */
    [[nodiscard]] QString validateFolderName(const QString &name) const;
    /** @brief Creates the placeholder "<prefix><name>/" in the open folder. */
    void createFolder(const QString &name);
    /** @brief Copies a presigned GET link to @p key of @p bucket to the clipboard. */
    void copyObjectLink(const QString &bucket, const QString &region, const QString &key,
                        int expiresSeconds);
    /** @brief The same for @p key of the open bucket. */
    void copyLink(const QString &key, int expiresSeconds);
    /** @brief HEAD of @p key of the open bucket: detailsFetched() or detailsFailed(). */
    void fetchDetails(const QString &key);

Q_SIGNALS:
    void notify(const QString &message);
    void operationFailed(const QString &message);
    void bucketCreated(const QString &name, const QString &region);
    void folderCreated(const QString &key);
    void linkCopied(const QString &url);
    void detailsFetched(const QString &key, const QVariantMap &details);
    void detailsFailed(const QString &key, const QString &message);

private:
    AppSettings *m_settings;
    BucketListModel *m_buckets;
    ObjectListModel *m_objects;
    BatchListModel::ClientFactory m_clientFor;
};
