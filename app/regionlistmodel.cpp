#include "regionlistmodel.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {
QString groupName(Cos::RegionGroup group)
{
    switch (group) {
    case Cos::RegionGroup::Mainland:
        return QCoreApplication::translate("RegionListModel", "Chinese mainland");
    case Cos::RegionGroup::Finance:
        return QCoreApplication::translate("RegionListModel", "Financial cloud");
    case Cos::RegionGroup::Outside:
        return QCoreApplication::translate("RegionListModel", "Outside the Chinese mainland");
    case Cos::RegionGroup::Other:
        return QCoreApplication::translate("RegionListModel", "Other");
    }
    return {};
}
} // namespace

RegionListModel::RegionListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    setRegions(Cos::RegionCatalog(), false, {});
}

void RegionListModel::setRegions(const Cos::RegionCatalog &catalog, bool s3, const QString &region)
{
    beginResetModel();
    m_rows.clear();
    m_rows.append({QString(), s3 ? tr("All buckets") : tr("All regions"), QString(), true});
    if (s3) {
        if (!region.isEmpty())
            m_rows.append({region, region, tr("Endpoint region"), true});
    } else {
        for (const Cos::RegionInfo &r : catalog.regions())
            m_rows.append({r.id, r.name, groupName(r.group), r.seen});
    }
    endResetModel();
    Q_EMIT countChanged();
}

int RegionListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant RegionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case NameRole:
        return r.name;
    case RegionIdRole:
        return r.id;
    case GroupRole:
        return r.group;
    case SeenRole:
        return r.seen;
    }
    return {};
}

QHash<int, QByteArray> RegionListModel::roleNames() const
{
    return {{RegionIdRole, "regionId"_ba},
            {NameRole, "name"_ba},
            {GroupRole, "group"_ba},
            {SeenRole, "seen"_ba}};
}

QString RegionListModel::nameOf(const QString &id) const
{
    const int row = indexOf(id);
    return row < 0 ? id : m_rows.at(row).name;
}

int RegionListModel::indexOf(const QString &id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

QString RegionListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}
