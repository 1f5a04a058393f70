#include "bucketlistmodel.h"

#include "presentation.h"

#include "cos/net/client.h"
#include "cos/net/credentialprovider.h"
#include "cos/net/operations.h"

using namespace Qt::StringLiterals;

BucketListModel::BucketListModel(QObject *parent)
    : QueryModel(parent)
{ }

BucketListModel::~BucketListModel()
{
    if (m_job)
        m_job->abort();
}

void BucketListModel::setClient(Cos::Client *client)
{
    m_client = client;
    reload();
}

void BucketListModel::setRegion(const QString &region)
{
    if (m_region == region)
        return;
    m_region = region;
    Q_EMIT regionChanged();
    reload();
}

void BucketListModel::setFilter(const QString &filter)
{
    if (m_filter == filter)
        return;
    m_filter = filter;
    Q_EMIT filterChanged();
    applyFilter();
}

int BucketListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant BucketListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Bucket &b = m_all.at(m_rows.at(index.row()));
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return b.name;
    case RegionRole:
        return b.region;
    case RegionNameRole:
        if (b.region.isEmpty())
            return QString();
        return m_client ? m_client->regions().displayName(b.region) : b.region;
    case CreatedRole:
        return Presentation::formatDate(b.created);
    }
    return {};
}

QHash<int, QByteArray> BucketListModel::roleNames() const
{
    return {{NameRole, "name"_ba},
            {RegionRole, "region"_ba},
            {RegionNameRole, "regionName"_ba},
            {CreatedRole, "created"_ba}};
}

void BucketListModel::reload()
{
    ++m_generation;
    if (m_job) {
        m_job->disconnect(this);
        m_job->abort();
    }
    beginResetModel();
    m_all.clear();
    m_rows.clear();
    endResetModel();
    clearError();
    setLoaded(false);
    if (!m_client) {
        setScope({});
        setLoading(false);
        return;
    }
    setLoading(true);
    // The keys first: when they say what they allow, that is the list.
    const quint64 generation = m_generation;
    m_client->credentials()
            ->request(this,
                      [this, generation](const Cos::Credentials &keys, const Cos::Error &error) {
                          if (generation != m_generation)
                              return;
                          if (error) {
                              setScope({});
                              setLoading(false);
                              setError(error, Presentation::Operation::ListBuckets, {});
                              setLoaded(true);
                              return;
                          }
                          setScope(keys.scope);
                          if (keys.scope.isEmpty()) {
                              listBuckets();
                              return;
                          }
                          const bool s3 = m_client->endpoint().dialect == Cos::Dialect::S3;
                          QList<Bucket> buckets;
                          for (const Cos::CredentialScope::Grant &g : keys.scope.grants) {
                              if (!s3 && !m_region.isEmpty() && !g.region.isEmpty()
                                  && g.region != m_region)
                                  continue;
                              if (std::none_of(buckets.cbegin(), buckets.cend(),
                                               [&](const Bucket &b) { return b.name == g.bucket; }))
                                  buckets.append({g.bucket, g.region, {}});
                          }
                          setLoading(false);
                          setBuckets(buckets);
                      });
}

void BucketListModel::setScope(const Cos::CredentialScope &scope)
{
    if (m_scope == scope)
        return;
    m_scope = scope;
    Q_EMIT scopeChanged();
}

void BucketListModel::listBuckets()
{
    const bool s3 = m_client->endpoint().dialect == Cos::Dialect::S3;
    m_job = m_client->listBuckets(s3 ? QString() : m_region, this);
    m_job->setAutoDelete(true);
    connect(m_job, &Cos::Job::finished, this, [this, job = m_job.data()] {
        setLoading(false);
        if (job->error()) {
            setError(job->error(), Presentation::Operation::ListBuckets, {});
            setLoaded(true);
            return;
        }
        QList<Bucket> buckets;
        for (const Cos::BucketInfo &info : job->buckets()) {
            if (!m_region.isEmpty() && !info.location.isEmpty() && info.location != m_region)
                continue;
            buckets.append({info.name, info.location, info.creationDate});
        }
        setBuckets(buckets);
    });
    m_job->start();
}

void BucketListModel::setBuckets(QList<Bucket> buckets)
{
    std::sort(buckets.begin(), buckets.end(),
              [](const Bucket &a, const Bucket &b) { return a.name < b.name; });
    beginResetModel();
    m_all = buckets;
    m_rows.clear();
    for (int i = 0; i < m_all.size(); ++i) {
        if (m_filter.isEmpty() || m_all.at(i).name.contains(m_filter, Qt::CaseInsensitive))
            m_rows.append(i);
    }
    endResetModel();
    setLoaded(true);
}

QString BucketListModel::regionOf(const QString &bucket) const
{
    for (const Bucket &b : m_all) {
        if (b.name == bucket)
            return b.region;
    }
    return {};
}

void BucketListModel::applyFilter()
{
    beginResetModel();
    m_rows.clear();
    for (int i = 0; i < m_all.size(); ++i) {
        if (m_filter.isEmpty() || m_all.at(i).name.contains(m_filter, Qt::CaseInsensitive))
            m_rows.append(i);
    }
    endResetModel();
}
