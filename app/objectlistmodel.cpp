#include "objectlistmodel.h"

#include "presentation.h"
#include "previewprovider.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

ObjectListModel::ObjectListModel(QObject *parent)
    : QueryModel(parent)
{ }

ObjectListModel::~ObjectListModel()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
    }
}

void ObjectListModel::setLocation(Cos::Client *client, const QString &bucket, const QString &region,
                                  const QString &prefix)
{
    m_client = client;
    m_bucket = bucket;
    m_region = region;
    m_prefix = prefix;
    m_filter.clear();
    Q_EMIT filterChanged();
    Q_EMIT locationChanged();
    reload();
}

void ObjectListModel::clear()
{
    m_client = nullptr;
    m_bucket.clear();
    m_prefix.clear();
    Q_EMIT locationChanged();
    reload();
}

void ObjectListModel::setPrefix(const QString &prefix)
{
    const QString p = asFolder(prefix);
    if (p == m_prefix)
        return;
    m_prefix = p;
    if (!m_filter.isEmpty()) {
        m_filter.clear();
        Q_EMIT filterChanged();
    }
    Q_EMIT locationChanged();
    reload();
}

QStringList ObjectListModel::breadcrumbs() const
{
    QStringList crumbs {m_bucket};
    if (!m_prefix.isEmpty())
        crumbs += m_prefix.chopped(1).split(u'/');
    return crumbs;
}

void ObjectListModel::openLevel(int level)
{
    const QStringList parts = m_prefix.isEmpty() ? QStringList() : m_prefix.chopped(1).split(u'/');
    if (level <= 0) {
        setPrefix({});
        return;
    }
    if (level > parts.size())
        return;
    setPrefix(parts.mid(0, level).join(u'/') + u'/');
}

bool ObjectListModel::goUp()
{
    if (m_prefix.isEmpty())
        return false;
    const int levels = int(m_prefix.chopped(1).split(u'/').size());
    openLevel(levels - 1);
    return true;
}

void ObjectListModel::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    Q_EMIT filterChanged();
    resetRows();
}

void ObjectListModel::setSortKey(const QString &key)
{
    const QString k = key == "size"_L1 || key == "modified"_L1 ? key : u"name"_s;
    if (k == m_sortKey)
        return;
    m_sortKey = k;
    Q_EMIT sortChanged();
    resetRows();
}

void ObjectListModel::setSortDescending(bool descending)
{
    if (descending == m_sortDescending)
        return;
    m_sortDescending = descending;
    Q_EMIT sortChanged();
    resetRows();
}

void ObjectListModel::resetRows()
{
    beginResetModel();
    rebuildRows();
    endResetModel();
}

void ObjectListModel::sortRows()
{
    if (!isSorted())
        return;
    const bool desc = m_sortDescending;
    // Folders have no size or date: by name, in the chosen direction.
    std::stable_sort(m_folderRows.begin(), m_folderRows.end(), [this, desc](int a, int b) {
        const int c = m_folders.at(a).key.compare(m_folders.at(b).key);
        return desc ? c > 0 : c < 0;
    });
    const QString key = m_sortKey;
    std::stable_sort(m_fileRows.begin(), m_fileRows.end(), [this, desc, &key](int a, int b) {
        const Entry &x = m_files.at(desc ? b : a);
        const Entry &y = m_files.at(desc ? a : b);
        if (key == "size"_L1 && x.size != y.size)
            return x.size < y.size;
        if (key == "modified"_L1 && x.modified != y.modified)
            return x.modified < y.modified;
        return x.key.compare(y.key) < 0;
    });
}

int ObjectListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_folderRows.size() + m_fileRows.size());
}

const ObjectListModel::Entry &ObjectListModel::entryAt(int row) const
{
    if (row < m_folderRows.size())
        return m_folders.at(m_folderRows.at(row));
    return m_files.at(m_fileRows.at(row - m_folderRows.size()));
}

QVariant ObjectListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return entryData(entryAt(index.row()), role, m_region, m_bucket);
}

QVariant ObjectListModel::entryData(const Entry &e, int role, const QString &region,
                                    const QString &bucket)
{
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return e.name().toString();
    case KeyRole:
        return e.key;
    case IsFolderRole:
        return e.folder;
    case SizeRole:
        return e.folder ? qint64(-1) : e.size;
    case SizeTextRole:
        return e.folder ? QString() : Presentation::formatSize(e.size);
    case ModifiedRole:
        return Presentation::formatDate(e.modified);
    case TypeRole:
        return Presentation::typeName(e.key, e.folder);
    case IconRole:
        return Presentation::iconName(e.key, e.folder);
    case ThumbnailRole:
        return e.folder ? QString()
                        : PreviewProvider::thumbnailUrl(region, bucket, e.key, e.size, e.modified);
    }
    return {};
}

QHash<int, QByteArray> ObjectListModel::roleNames() const
{
    return objectRoleNames();
}

QHash<int, QByteArray> ObjectListModel::objectRoleNames()
{
    return {{KeyRole, "key"_ba},
            {NameRole, "name"_ba},
            {IsFolderRole, "isFolder"_ba},
            {SizeRole, "size"_ba},
            {SizeTextRole, "sizeText"_ba},
            {ModifiedRole, "modified"_ba},
            {TypeRole, "typeName"_ba},
            {IconRole, "iconName"_ba},
            {ThumbnailRole, "thumbnail"_ba}};
}

void ObjectListModel::clearRows()
{
    beginResetModel();
    m_folders.clear();
    m_files.clear();
    m_folderRows.clear();
    m_fileRows.clear();
    endResetModel();
}

void ObjectListModel::reload()
{
    m_refreshing = false;
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
    }
    clearRows();
    m_nextMarker.clear();
    clearError();
    setHasMore(false);
    setLoaded(false);
    setLoading(false);
    if (!m_client || m_bucket.isEmpty())
        return;
    startPage();
}

void ObjectListModel::refresh()
{
    if (!m_client || m_bucket.isEmpty() || !isLoaded() || !errorMessage().isEmpty()
        || m_refreshing) {
        reload();
        return;
    }
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
        setLoading(false);
    }
    m_refreshing = true;
    m_nextMarker.clear();
    startPage();
}

void ObjectListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    startPage();
}

void ObjectListModel::startPage()
{
    Cos::ListObjectsParams params;
    params.prefix = m_prefix;
    params.delimiter = u"/"_s;
    params.marker = m_nextMarker;
    params.maxKeys = m_nextMarker.isEmpty() ? m_pageSize : m_morePageSize;
    // Keys with control characters or odd bytes survive the XML only when URL-encoded.
    params.urlEncoding = true;
    m_job = m_client->listObjects(m_bucket, params, 1, this);
    m_job->setAutoDelete(true);
    connect(m_job, &Cos::Job::finished, this, [this, job = m_job.data()] {
        setLoading(false);
        if (std::exchange(m_refreshing, false)) {
            // The old rows go in the same turn of the event loop the new ones arrive.
            clearRows();
        }
        if (job->error()) {
            const QString where = m_prefix.isEmpty() ? m_bucket : m_bucket + u'/' + m_prefix;
            setError(job->error(), Presentation::Operation::ListObjects, where);
            setHasMore(false);
            setLoaded(true);
            return;
        }
        setLoaded(true);
        addPage(job->result());
    });
    setLoading(true);
    m_job->start();
}

bool ObjectListModel::matches(const Entry &e) const
{
    return m_filter.isEmpty() || e.name().contains(m_filter, Qt::CaseInsensitive);
}

void ObjectListModel::rebuildRows()
{
    m_folderRows.clear();
    m_fileRows.clear();
    for (int i = 0; i < m_folders.size(); ++i) {
        if (matches(m_folders.at(i)))
            m_folderRows.append(i);
    }
    for (int i = 0; i < m_files.size(); ++i) {
        if (matches(m_files.at(i)))
            m_fileRows.append(i);
    }
    sortRows();
}

void ObjectListModel::addPage(const Cos::ListObjectsResult &page)
{
    // The paging state moves on before rows are inserted: a view (or a model tester) may call
    // fetchMore() from its rowsInserted handler, and must then ask for the next page.
    m_nextMarker = page.nextMarker;
    setHasMore(page.isTruncated && !m_nextMarker.isEmpty());
    QList<Entry> folders;
    for (const QString &p : page.commonPrefixes) {
        if (!p.startsWith(m_prefix) || p == m_prefix)
            continue;
        Entry e;
        e.key = p;
        e.nameStart = int(m_prefix.size());
        e.folder = true;
        e.trimSlash = true;
        folders.append(e);
    }
    QList<Entry> files;
    for (const Cos::ObjectInfo &o : page.objects) {
        // The folder placeholder ("docs/" itself) is not a file of the folder.
        if (o.key == m_prefix || !o.key.startsWith(m_prefix))
            continue;
        Entry e;
        e.key = o.key;
        e.nameStart = int(m_prefix.size());
        e.size = o.size;
        e.modified = o.lastModified;
        files.append(e);
    }

    if (isSorted()) {
        // New rows may belong anywhere in the order.
        beginResetModel();
        m_folders += folders;
        m_files += files;
        rebuildRows();
        endResetModel();
        return;
    }
    QList<int> newFolderRows;
    for (const Entry &e : std::as_const(folders)) {
        m_folders.append(e);
        if (matches(e))
            newFolderRows.append(int(m_folders.size() - 1));
    }
    if (!newFolderRows.isEmpty()) {
        const int first = int(m_folderRows.size());
        beginInsertRows({}, first, first + int(newFolderRows.size()) - 1);
        m_folderRows += newFolderRows;
        endInsertRows();
    }
    QList<int> newFileRows;
    for (const Entry &e : std::as_const(files)) {
        m_files.append(e);
        if (matches(e))
            newFileRows.append(int(m_files.size() - 1));
    }
    if (!newFileRows.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + int(newFileRows.size()) - 1);
        m_fileRows += newFileRows;
        endInsertRows();
    }
    // Hidden-by-filter rows still count: totalCount changed even if no row was inserted.
    if (newFolderRows.isEmpty() && newFileRows.isEmpty())
        Q_EMIT countChanged();
}

void ObjectListModel::removeKey(const QString &key)
{
    for (int row = 0; row < rowCount(); ++row) {
        if (entryAt(row).key != key)
            continue;
        beginRemoveRows({}, row, row);
        if (row < m_folderRows.size()) {
            const int idx = m_folderRows.takeAt(row);
            m_folders.removeAt(idx);
            for (int &r : m_folderRows)
                r = r > idx ? r - 1 : r;
        } else {
            const int idx = m_fileRows.takeAt(row - m_folderRows.size());
            m_files.removeAt(idx);
            for (int &r : m_fileRows)
                r = r > idx ? r - 1 : r;
        }
        endRemoveRows();
        return;
    }
}
