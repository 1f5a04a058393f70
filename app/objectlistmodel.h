#pragma once

#include "querymodel.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

#include <QDateTime>
#include <QList>
#include <QPointer>
#include <QStringList>

/**
 * @brief One folder level of a bucket: sub-folders (common prefixes) first, then objects,
 * a page of 100 at a time as the view scrolls (fetchMore), filtered by name.
 *
 * Folders found on later pages are inserted after the folders already shown, so folders stay
 * on top. The filter matches the name within the folder, case-insensitively, over the rows
 * loaded so far.
 */
class ObjectListModel : public QueryModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.objects")
    Q_PROPERTY(QString bucket READ bucket NOTIFY locationChanged)
    Q_PROPERTY(QString region READ region NOTIFY locationChanged)
    Q_PROPERTY(QString prefix READ prefix WRITE setPrefix NOTIFY locationChanged)
    Q_PROPERTY(QStringList breadcrumbs READ breadcrumbs NOTIFY locationChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countChanged)
    /**
     * The order of the loaded rows: "name" (the server's order), "size" or "modified"; folders
     * stay on top (ordered by name). Rows of pages loaded later are merged into the order.
     */
    Q_PROPERTY(QString sortKey READ sortKey WRITE setSortKey NOTIFY sortChanged)
    Q_PROPERTY(bool sortDescending READ sortDescending WRITE setSortDescending NOTIFY sortChanged)

public:
    enum Roles {
        KeyRole = Qt::UserRole + 1,
        NameRole,
        IsFolderRole,
        SizeRole,
        SizeTextRole,
        ModifiedRole,
        TypeRole,
        IconRole,
        ThumbnailRole, ///< image://cospreview/ URL of an image object, "" otherwise
    };
    Q_ENUM(Roles)

    static constexpr int PageSize = 100;
    /** Keys of each later page: the server's maximum, so a long folder takes few requests. */
    static constexpr int MorePageSize = 1000;

    /**
     * @brief One row: a file, or a folder (its key ends with '/'). The name shown is the end of
     * the key from nameStart on (without a folder's '/' when trimSlash), not a copy of it: a
     * 100,000-row folder keeps one string per row.
     */
    struct Entry
    {
        QString key;
        QDateTime modified;
        qint64 size = 0;
        int nameStart = 0;
        bool folder = false;
        bool trimSlash = false;

        [[nodiscard]] QStringView name() const
        {
            return QStringView(key).sliced(nameStart).chopped(trimSlash ? 1 : 0);
        }
    };

    /** @brief The value of @p role for @p entry of @p bucket (the roles of roleNames()). */
    [[nodiscard]] static QVariant entryData(const Entry &entry, int role, const QString &region,
                                            const QString &bucket);
    /** @brief The role names of the object rows (also the search's). */
    [[nodiscard]] static QHash<int, QByteArray> objectRoleNames();
    /** @brief @p path as a folder prefix: "" stays "", anything else ends with '/'. */
    [[nodiscard]] static QString asFolder(const QString &path)
    {
        return path.isEmpty() || path.endsWith(u'/') ? path : path + u'/';
    }

    explicit ObjectListModel(QObject *parent = nullptr);
    ~ObjectListModel() override;

    /** @brief Shows @p bucket (in @p region) at @p prefix through @p client (not owned). */
    void setLocation(Cos::Client *client, const QString &bucket, const QString &region,
                     const QString &prefix = {});
    /** @brief Forgets the bucket (nothing to show). */
    void clear();
    /** @brief Sets the page size of every page (tests use small pages to exercise paging). */
    void setPageSize(int size) { setPageSize(size, size); }
    /** @brief Sets the size of the first page and of the later ones. */
    void setPageSize(int first, int more)
    {
        m_pageSize = first;
        m_morePageSize = more;
    }

    [[nodiscard]] QString bucket() const { return m_bucket; }
    [[nodiscard]] QString region() const { return m_region; }
    [[nodiscard]] QString prefix() const { return m_prefix; }
    void setPrefix(const QString &prefix);
    [[nodiscard]] QStringList breadcrumbs() const;
    [[nodiscard]] QString filter() const { return m_filter; }
    [[nodiscard]] QString sortKey() const { return m_sortKey; }
    void setSortKey(const QString &key);
    [[nodiscard]] bool sortDescending() const { return m_sortDescending; }
    void setSortDescending(bool descending);
    void setFilter(const QString &filter);
    [[nodiscard]] int totalCount() const { return int(m_folders.size() + m_files.size()); }
    [[nodiscard]] Cos::Client *client() const { return m_client; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    void fetchMore(const QModelIndex &parent) override;

    Q_INVOKABLE void reload() override;
    /**
     * @brief Loads the first page again but keeps the rows on screen until it arrives (after
     * an upload or a delete), so the list does not flash empty; reload() when nothing is shown.
     */
    Q_INVOKABLE void refresh();
    /** @brief Opens the sub-folder with full prefix @p prefix (ends with '/'). */
    Q_INVOKABLE void openFolder(const QString &prefix) { setPrefix(prefix); }
    /** @brief Goes to breadcrumb @p level: 0 is the bucket root. */
    Q_INVOKABLE void openLevel(int level);
    /** @brief Goes one folder up; false at the root. */
    Q_INVOKABLE bool goUp();
    /** @brief Removes the row of @p key (after a delete) without reloading. */
    void removeKey(const QString &key);

Q_SIGNALS:
    void locationChanged();
    void filterChanged();
    void sortChanged();

private:
    void startPage();
    void addPage(const Cos::ListObjectsResult &page);
    [[nodiscard]] bool matches(const Entry &e) const;
    void rebuildRows();
    [[nodiscard]] const Entry &entryAt(int row) const;

    QPointer<Cos::Client> m_client;
    QPointer<Cos::ListObjectsJob> m_job;
    QString m_bucket;
    QString m_region;
    QString m_prefix;
    QString m_filter;
    QString m_nextMarker;
    void clearRows();

    [[nodiscard]] bool isSorted() const
    {
        return m_sortKey != QLatin1String("name") || m_sortDescending;
    }
    void sortRows();
    void resetRows(); // rebuilds the visible rows after a filter or order change

    QString m_sortKey = QStringLiteral("name");
    bool m_sortDescending = false;
    bool m_refreshing = false; // the next page replaces the rows (refresh())
    int m_pageSize = PageSize; // the first page: small, on screen fast
    int m_morePageSize = MorePageSize;
    QList<Entry> m_folders;
    QList<Entry> m_files;
    QList<int> m_folderRows; // visible folders (indexes into m_folders)
    QList<int> m_fileRows; // visible files (indexes into m_files)
};
