#include "objectsearchmodel.h"

#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

using namespace Qt::StringLiterals;

ObjectSearchModel::ObjectSearchModel(QObject *parent)
    : QueryModel(parent)
{ }

ObjectSearchModel::~ObjectSearchModel()
{
    abortJob();
}

void ObjectSearchModel::setSource(ObjectListModel *source)
{
    if (m_source == source)
        return;
    if (m_source)
        m_source->disconnect(this);
    m_source = source;
    if (m_source) {
        connect(m_source, &ObjectListModel::locationChanged, this,
                &ObjectSearchModel::onLocationChanged);
    }
    Q_EMIT sourceChanged();
    onLocationChanged();
}

void ObjectSearchModel::onLocationChanged()
{
    Cos::Client *client = m_source ? m_source->client() : nullptr;
    const QString bucket = m_source ? m_source->bucket() : QString();
    const QString region = m_source ? m_source->region() : QString();
    if (client == m_client && bucket == m_bucket && region == m_region)
        return; // only the folder of the list changed
    m_client = client;
    m_bucket = bucket;
    m_region = region;
    // Another bucket: the old query and its results mean nothing there.
    if (!m_query.isEmpty() || !m_folder.isEmpty()) {
        m_query.clear();
        m_folder.clear();
        Q_EMIT queryChanged();
    }
    reload();
}

void ObjectSearchModel::setQuery(const QString &query)
{
    if (m_query == query)
        return;
    m_query = query;
    Q_EMIT queryChanged();
    reload();
}

void ObjectSearchModel::setFolder(const QString &folder)
{
    const QString f = ObjectListModel::asFolder(folder);
    if (m_folder == f)
        return;
    m_folder = f;
    Q_EMIT queryChanged();
    if (!m_query.isEmpty())
        reload();
}

QString ObjectSearchModel::folderOf(const QString &key)
{
    // The folder of "a/b/" (a placeholder) is "a/", as for "a/b/c.txt" it is "a/b/".
    const qsizetype slash = key.lastIndexOf(u'/', key.endsWith(u'/') ? key.size() - 2 : -1);
    return slash < 0 ? QString() : key.left(slash + 1);
}

int ObjectSearchModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ObjectSearchModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return ObjectListModel::entryData(m_rows.at(index.row()), role, m_region, m_bucket);
}

QHash<int, QByteArray> ObjectSearchModel::roleNames() const
{
    return ObjectListModel::objectRoleNames();
}

void ObjectSearchModel::abortJob()
{
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
    }
    m_job = nullptr;
}

QString ObjectSearchModel::queryProblem() const
{
    if (m_query.isEmpty())
        return {};
    const QString prefix = keyPrefix();
    if (!QStringView(prefix).isValidUtf16())
        return tr("The search text is not valid Unicode.");
    const qsizetype bytes = prefix.toUtf8().size();
    if (bytes > MaxPrefixBytes) {
        return tr("The search text is too long: keys have at most %1 bytes in UTF-8, and this "
                  "search starts with %2.")
                .arg(MaxPrefixBytes)
                .arg(bytes);
    }
    for (const QChar c : prefix) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            return tr("The search text contains a control character (U+%1); keys cannot.")
                    .arg(uint(c.unicode()), 4, 16, QChar(u'0'));
        }
    }
    return {};
}

void ObjectSearchModel::reload()
{
    abortJob();
    if (!m_rows.isEmpty()) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
    }
    m_nextMarker.clear();
    clearError();
    setHasMore(false);
    setLoaded(false);
    setLoading(false);
    if (!m_client || m_bucket.isEmpty() || m_query.isEmpty())
        return;
    const QString problem = queryProblem();
    if (!problem.isEmpty()) {
        setError(Cos::Error(Cos::Error::Kind::InvalidInput, problem),
                 Presentation::Operation::ListObjects, m_bucket);
        setLoaded(true);
        return;
    }
    startPage();
}

void ObjectSearchModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || !m_client)
        return;
    startPage();
}

void ObjectSearchModel::startPage()
{
    Cos::ListObjectsParams params;
    params.prefix = keyPrefix();
    // No delimiter: the keys of every sub-folder, in key order.
    params.marker = m_nextMarker;
    params.maxKeys = m_nextMarker.isEmpty() ? m_pageSize : m_morePageSize;
    params.urlEncoding = true;
    m_job = m_client->listObjects(m_bucket, params, 1, this);
    m_job->setAutoDelete(true);
    connect(m_job, &Cos::Job::finished, this, [this, job = m_job.data()] {
        m_job = nullptr;
        setLoading(false);
        setLoaded(true);
        if (job->error()) {
            setError(job->error(), Presentation::Operation::ListObjects,
                     m_bucket + u'/' + keyPrefix());
            setHasMore(false);
            return;
        }
        addPage(job->result());
    });
    setLoading(true);
    m_job->start();
}

void ObjectSearchModel::addPage(const Cos::ListObjectsResult &page)
{
    // Paging state first: a view may ask for the next page from its rowsInserted handler.
    m_nextMarker = page.nextMarker;
    setHasMore(page.isTruncated && !m_nextMarker.isEmpty());
    const QString prefix = keyPrefix();
    QList<ObjectListModel::Entry> rows;
    rows.reserve(page.objects.size());
    for (const Cos::ObjectInfo &o : page.objects) {
        if (!o.key.startsWith(prefix))
            continue;
        ObjectListModel::Entry e;
        e.key = o.key;
        e.folder = o.key.endsWith(u'/');
        e.size = o.size;
        e.modified = o.lastModified;
        rows.append(e);
    }
    if (rows.isEmpty()) {
        Q_EMIT countChanged(); // the "so far" of the count changed with hasMore
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows += rows;
    endInsertRows();
}
