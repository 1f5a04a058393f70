#pragma once

#include "querymodel.h"

#include "cos/net/client.h"
#include "cos/net/operations.h"

#include <QDateTime>
#include <QList>
#include <QPointer>

/**
 * @brief The buckets of one region, or of all regions (region ""), filtered by name.
 *
 * GET Service returns every bucket in one answer (the job pages internally), so there is no
 * fetchMore here. On S3 endpoints the region filter is ignored (RGW sends no location).
 *
 * When the keys come with a scope (cos-signer's "scope" field, the embedded signer's grant),
 * the list is exactly the granted buckets and GET Service, which such keys usually may not
 * call, is not asked.
 */
class BucketListModel : public QueryModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.buckets")
    Q_PROPERTY(QString region READ region WRITE setRegion NOTIFY regionChanged)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY countChanged)
    /** True when the list is the keys' scope (the signer named the buckets), not GET Service. */
    Q_PROPERTY(bool fromScope READ isFromScope NOTIFY scopeChanged)

public:
    enum Roles { NameRole = Qt::UserRole + 1, RegionRole, RegionNameRole, CreatedRole };
    Q_ENUM(Roles)

    explicit BucketListModel(QObject *parent = nullptr);
    ~BucketListModel() override;

    /** @brief The client to list with (not owned); reloads. */
    void setClient(Cos::Client *client);

    [[nodiscard]] QString region() const { return m_region; }
    void setRegion(const QString &region);
    [[nodiscard]] QString filter() const { return m_filter; }
    void setFilter(const QString &filter);
    /** @brief Buckets before filtering. */
    [[nodiscard]] int totalCount() const { return int(m_all.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    void fetchMore(const QModelIndex &) override { }

    Q_INVOKABLE void reload() override;
    /** @brief The region of @p bucket as listed (empty when unknown). */
    Q_INVOKABLE QString regionOf(const QString &bucket) const;
    [[nodiscard]] bool isFromScope() const { return !m_scope.isEmpty(); }
    /** @brief The keys' scope behind the list (empty: GET Service or not loaded). */
    [[nodiscard]] const Cos::CredentialScope &scope() const { return m_scope; }

Q_SIGNALS:
    void regionChanged();
    void filterChanged();
    void scopeChanged();

private:
    struct Bucket
    {
        QString name;
        QString region;
        QDateTime created;
    };
    void applyFilter();
    void listBuckets();
    void setBuckets(QList<Bucket> buckets);
    void setScope(const Cos::CredentialScope &scope);

    QPointer<Cos::Client> m_client;
    QPointer<Cos::ListBucketsJob> m_job;
    QString m_region;
    QString m_filter;
    QList<Bucket> m_all;
    QList<int> m_rows; // indexes into m_all that pass the filter
    Cos::CredentialScope m_scope;
    quint64 m_generation = 0; // a reload() drops the answers of earlier ones
};
