import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One folder or object: icon, name, and size, type and date (in columns when wide).
ItemDelegate {
    id: root

    required property string key
    required property string name
    required property bool isFolder
    required property string sizeText
    required property string modified
    required property string typeName
    required property string iconName
    property bool wide: false
    // Column widths, shared with the list header of the page so both line up.
    property int typeWidth: 120
    property int sizeWidth: 90
    property int dateWidth: 130
    property int gap: 12
    property int menuWidth: 40

    signal menuRequested(Item anchor)

    // Dense rows on the desktop, touch-sized (48 px) on a phone.
    implicitHeight: root.wide ? 40 : 48
    topPadding: 0
    bottomPadding: 0
    leftPadding: 16
    rightPadding: 4
    // Names are elided in the row; the desktop shows the full key on hover (touch: details).
    ToolTip.visible: root.wide && root.hovered && nameLabel.truncated
    ToolTip.text: root.key
    ToolTip.delay: 500
    Accessible.name: root.isFolder ? qsTr("Folder %1").arg(root.name) : qsTr("File %1").arg(root.name)

    contentItem: RowLayout {
        spacing: root.gap

        Icon {
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: root.iconName
            color: root.isFolder ? Material.color(Material.Amber, Material.Shade700)
                                 : Material.color(Material.BlueGrey)
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0

            Label {
                id: nameLabel

                objectName: "nameLabel"
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideMiddle
                // Column alignment also for right-to-left names (their text still runs RTL).
                horizontalAlignment: Text.AlignLeft
            }
            Label {
                Layout.fillWidth: true
                visible: !root.wide
                text: root.isFolder ? root.typeName
                                    : [root.sizeText, root.modified].filter(s => s.length > 0).join(" · ")
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignLeft
            }
        }
        Label {
            objectName: "typeLabel"
            visible: root.wide
            Layout.preferredWidth: root.typeWidth
            text: root.typeName
            color: Material.secondaryTextColor
            elide: Text.ElideRight
        }
        Label {
            objectName: "sizeLabel"
            visible: root.wide
            Layout.preferredWidth: root.sizeWidth
            horizontalAlignment: Text.AlignRight
            text: root.sizeText
            color: Material.secondaryTextColor
        }
        Label {
            objectName: "dateLabel"
            visible: root.wide
            Layout.preferredWidth: root.dateWidth
            horizontalAlignment: Text.AlignRight
            text: root.modified
            color: Material.secondaryTextColor
        }
        IconButton {
            id: menuButton

            Layout.preferredWidth: root.menuWidth
            iconName: "more"
            tip: qsTr("Actions")
            onClicked: root.menuRequested(menuButton)
        }
    }
}
