#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QtQml/qqmlregistration.h>

#include "cos/protocol/regions.h"

/**
 * @brief The regions to browse: "All regions" first (id ""), then COS's regions grouped
 * (mainland, finance, outside, others the server reported). For an S3 endpoint: "All
 * buckets" and the configured region only, since S3 servers list every bucket at once.
 */
class RegionListModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.regions")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles { RegionIdRole = Qt::UserRole + 1, NameRole, GroupRole, SeenRole };
    Q_ENUM(Roles)

    explicit RegionListModel(QObject *parent = nullptr);

    /** @brief Replaces the rows with @p catalog's regions (COS) or just @p region (S3). */
    void setRegions(const Cos::RegionCatalog &catalog, bool s3, const QString &region);

    [[nodiscard]] int count() const { return int(m_rows.size()); }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    /** @brief The display name of @p id ("All regions" for ""). */
    Q_INVOKABLE QString nameOf(const QString &id) const;
    /** @brief The row of @p id, -1 when absent. */
    Q_INVOKABLE int indexOf(const QString &id) const;
    /** @brief The id at @p row ("" for out of range). */
    Q_INVOKABLE QString idAt(int row) const;

Q_SIGNALS:
    void countChanged();

private:
    struct Row
    {
        QString id;
        QString name;
        QString group;
        bool seen = false;
    };
    QList<Row> m_rows;
};
