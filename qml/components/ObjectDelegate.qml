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

    signal menuRequested(Item anchor)

    Accessible.name: root.isFolder ? qsTr("Folder %1").arg(root.name) : qsTr("File %1").arg(root.name)

    contentItem: RowLayout {
        spacing: 14

        Icon {
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: root.iconName
            color: root.isFolder ? Material.color(Material.Amber, Material.Shade700)
                                 : Material.color(Material.BlueGrey)
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2

            Label {
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideMiddle
            }
            Label {
                Layout.fillWidth: true
                visible: !root.wide
                text: root.isFolder ? root.typeName
                                    : [root.sizeText, root.modified].filter(s => s.length > 0).join(" · ")
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
        Label {
            visible: root.wide
            Layout.preferredWidth: 120
            text: root.typeName
            color: Material.secondaryTextColor
            elide: Text.ElideRight
        }
        Label {
            visible: root.wide
            Layout.preferredWidth: 90
            horizontalAlignment: Text.AlignRight
            text: root.sizeText
            color: Material.secondaryTextColor
        }
        Label {
            visible: root.wide
            Layout.preferredWidth: 130
            horizontalAlignment: Text.AlignRight
            text: root.modified
            color: Material.secondaryTextColor
        }
        IconButton {
            id: menuButton

            iconName: "more"
            tip: qsTr("Actions")
            onClicked: root.menuRequested(menuButton)
        }
    }
}
