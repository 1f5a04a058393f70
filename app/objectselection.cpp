#include "objectselection.h"

#include "objectlistmodel.h"

#include <algorithm>

ObjectSelection::ObjectSelection(ObjectListModel *objects, QObject *parent)
    : QObject(parent)
    , m_objects(objects)
{
    // Another bucket or folder: the picked keys are not on screen any more.
    connect(objects, &ObjectListModel::locationChanged, this, &ObjectSelection::clear);
}

int ObjectSelection::folderCount() const
{
    return int(std::count(m_items.cbegin(), m_items.cend(), true));
}

QStringList ObjectSelection::fileKeys() const
{
    QStringList out;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        if (!it.value())
            out.append(it.key());
    }
    return out;
}

QStringList ObjectSelection::folderKeys() const
{
    QStringList out;
    for (auto it = m_items.cbegin(); it != m_items.cend(); ++it) {
        if (it.value())
            out.append(it.key());
    }
    return out;
}

void ObjectSelection::bump()
{
    ++m_revision;
    Q_EMIT changed();
}

void ObjectSelection::setSelected(const QString &key, bool isFolder, bool selected)
{
    if (key.isEmpty() || m_items.contains(key) == selected)
        return;
    if (selected)
        m_items.insert(key, isFolder);
    else
        m_items.remove(key);
    bump();
}

void ObjectSelection::toggle(const QString &key, bool isFolder)
{
    m_anchor = key;
    setSelected(key, isFolder, !m_items.contains(key));
}

int ObjectSelection::rowOf(const QString &key) const
{
    for (int row = 0; m_objects && row < m_objects->rowCount(); ++row) {
        if (m_objects->data(m_objects->index(row), ObjectListModel::KeyRole).toString() == key)
            return row;
    }
    return -1;
}

void ObjectSelection::extendTo(int row)
{
    if (!m_objects || row < 0 || row >= m_objects->rowCount())
        return;
    int from = m_anchor.isEmpty() ? -1 : rowOf(m_anchor);
    if (from < 0)
        from = row;
    bool added = false;
    for (int r = std::min(from, row); r <= std::max(from, row); ++r) {
        const QModelIndex i = m_objects->index(r);
        const QString key = m_objects->data(i, ObjectListModel::KeyRole).toString();
        if (!m_items.contains(key)) {
            m_items.insert(key, m_objects->data(i, ObjectListModel::IsFolderRole).toBool());
            added = true;
        }
    }
    if (m_anchor.isEmpty())
        m_anchor = m_objects->data(m_objects->index(row), ObjectListModel::KeyRole).toString();
    if (added)
        bump();
}

void ObjectSelection::selectAll()
{
    if (!m_objects)
        return;
    const int before = count();
    for (int r = 0; r < m_objects->rowCount(); ++r) {
        const QModelIndex i = m_objects->index(r);
        m_items.insert(m_objects->data(i, ObjectListModel::KeyRole).toString(),
                       m_objects->data(i, ObjectListModel::IsFolderRole).toBool());
    }
    if (count() != before)
        bump();
}

void ObjectSelection::clear()
{
    m_anchor.clear();
    if (m_items.isEmpty())
        return;
    m_items.clear();
    bump();
}

void ObjectSelection::remove(const QStringList &keys)
{
    const int before = count();
    for (const QString &key : keys)
        m_items.remove(key);
    if (count() != before)
        bump();
}
