#pragma once

#include "objectlistmodel.h"
#include "querymodel.h"

#include <QList>
#include <QPointer>

/**
 * @brief A server-side search by key prefix: every key of the bucket that starts with
 * folder() + query(), in every sub-folder (a listing without delimiter), paged on demand as
 * the object list is.
 *
 * The rows have the roles of ObjectListModel; `name` is the full key. A "name/" placeholder
 * object is a folder row. The bucket, region and client are those of source(): the search
 * follows the object list to another bucket and starts empty there. The server compares the
 * prefix byte by byte, so the search is case-sensitive; count() says how many matches arrived so
 * far and canFetchMore whether the server has more.
 *
 * The first page is small (on screen fast), later ones ask for the server's maximum. An answer
 * to a query that changed meanwhile is dropped.
 */
class ObjectSearchModel : public QueryModel
{
    Q_OBJECT
    QML_ELEMENT
    /** The object list whose bucket, region and client the search uses. */
    Q_PROPERTY(ObjectListModel *source READ source WRITE setSource NOTIFY sourceChanged)
    /** The start of the keys after folder(); empty: no search (no rows, nothing requested). */
    Q_PROPERTY(QString query READ query WRITE setQuery NOTIFY queryChanged)
    /** The folder searched with its sub-folders ("" for the whole bucket, else ends with '/'). */
    Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY queryChanged)
    /** folder() + query(): the prefix the server is asked for. */
    Q_PROPERTY(QString keyPrefix READ keyPrefix NOTIFY queryChanged)
    /** True when a query is set (the view shows the search results). */
    Q_PROPERTY(bool active READ isActive NOTIFY queryChanged)
    /**
     * Why keyPrefix() cannot be searched for (too long, a control character, broken Unicode),
     * "" when it can; such a search sends no request and shows this text as its error.
     */
    Q_PROPERTY(QString queryProblem READ queryProblem NOTIFY queryChanged)

public:
    static constexpr int PageSize = ObjectListModel::PageSize;
    static constexpr int MorePageSize = ObjectListModel::MorePageSize;
    /** Longest prefix the server can match: a key has at most 850 bytes in UTF-8 (COS). */
    static constexpr int MaxPrefixBytes = 850;

    explicit ObjectSearchModel(QObject *parent = nullptr);
    ~ObjectSearchModel() override;

    [[nodiscard]] ObjectListModel *source() const { return m_source; }
    void setSource(ObjectListModel *source);
    [[nodiscard]] QString query() const { return m_query; }
    void setQuery(const QString &query);
    [[nodiscard]] QString folder() const { return m_folder; }
    void setFolder(const QString &folder);
    [[nodiscard]] QString keyPrefix() const { return m_folder + m_query; }
    [[nodiscard]] bool isActive() const { return !m_query.isEmpty(); }
    [[nodiscard]] QString queryProblem() const;
    /** @brief Sets the page size of every page (tests use small pages to exercise paging). */
    void setPageSize(int size) { setPageSize(size, size); }
    /** @brief Sets the size of the first page and of the later ones. */
    void setPageSize(int first, int more)
    {
        m_pageSize = first;
        m_morePageSize = more;
    }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    void fetchMore(const QModelIndex &parent) override;

    /** @brief Runs the search again from the first page (Retry). */
    Q_INVOKABLE void reload() override;
    /** @brief The folder that holds @p key ("" at the top of the bucket). */
    Q_INVOKABLE static QString folderOf(const QString &key);

Q_SIGNALS:
    void sourceChanged();
    void queryChanged();

private:
    void onLocationChanged();
    void abortJob();
    void startPage();
    void addPage(const Cos::ListObjectsResult &page);

    QPointer<ObjectListModel> m_source;
    QPointer<Cos::Client> m_client;
    QPointer<Cos::ListObjectsJob> m_job;
    QString m_bucket;
    QString m_region;
    QString m_query;
    QString m_folder;
    QString m_nextMarker;
    int m_pageSize = PageSize;
    int m_morePageSize = MorePageSize;
    QList<ObjectListModel::Entry> m_rows;
};
