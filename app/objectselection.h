#pragma once

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

class ObjectListModel;

/**
 * @brief The rows picked in the object list (multi-select): keys of files and folders of the
 * open folder, for batch delete and download.
 *
 * Desktop: a checkbox per row, Ctrl-click toggles, Shift-click selects a range; touch: a long
 * press enters the selection mode (there is a selection), then taps toggle. The selection is
 * cleared when the list shows another bucket or folder. Delegates bind to revision, which
 * changes with every change, to re-evaluate isSelected().
 */
class ObjectSelection : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use AppController.actions.selection")
    Q_PROPERTY(int count READ count NOTIFY changed)
    Q_PROPERTY(int folderCount READ folderCount NOTIFY changed)
    Q_PROPERTY(int revision READ revision NOTIFY changed)
    Q_PROPERTY(QStringList keys READ keys NOTIFY changed)

public:
    explicit ObjectSelection(ObjectListModel *objects, QObject *parent = nullptr);

    [[nodiscard]] int count() const { return int(m_items.size()); }
    [[nodiscard]] int folderCount() const;
    [[nodiscard]] int revision() const { return m_revision; }
    /** @brief Selected keys in name order (folders end with "/"). */
    [[nodiscard]] QStringList keys() const { return m_items.keys(); }
    [[nodiscard]] QStringList fileKeys() const;
    [[nodiscard]] QStringList folderKeys() const;

    Q_INVOKABLE bool isSelected(const QString &key) const { return m_items.contains(key); }
    Q_INVOKABLE void setSelected(const QString &key, bool isFolder, bool selected);
    Q_INVOKABLE void toggle(const QString &key, bool isFolder);
    /**
     * @brief Shift-click: selects the rows from the last toggled row to @p row (rows of the
     * list as shown); just @p row when nothing was toggled yet.
     */
    Q_INVOKABLE void extendTo(int row);
    /** @brief Selects every row loaded so far (under the filter). */
    Q_INVOKABLE void selectAll();
    Q_INVOKABLE void clear();
    /** @brief Drops @p keys (after they were deleted). */
    void remove(const QStringList &keys);

Q_SIGNALS:
    void changed();

private:
    void bump();
    [[nodiscard]] int rowOf(const QString &key) const;

    QPointer<ObjectListModel> m_objects;
    QMap<QString, bool> m_items; // key -> is a folder
    QString m_anchor; // the last toggled key (Shift-click range start)
    int m_revision = 0;
};
