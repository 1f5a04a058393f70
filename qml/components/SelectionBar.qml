import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// The commands over a multi-selection of the object list: how many are picked, select all,
// download, delete, and leave the selection mode.
Pane {
    id: root

    required property int count
    property bool canModify: true

    signal selectAllRequested()
    signal downloadRequested()
    signal deleteRequested()
    signal closeRequested()

    padding: 0
    Material.elevation: 0
    Material.background: Material.theme === Material.Dark ? "#263238" : "#e3f2fd"
    implicitHeight: 44

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 4
        spacing: 0

        IconButton {
            objectName: "clearSelectionButton"
            iconName: "close"
            tip: qsTr("Clear the selection")
            onClicked: root.closeRequested()
        }
        Label {
            objectName: "selectionCount"
            Layout.fillWidth: true
            text: qsTr("%n selected", "", root.count)
            elide: Text.ElideRight
            font.weight: Font.Medium
        }
        IconButton {
            objectName: "selectAllButton"
            iconName: "selectall"
            tip: qsTr("Select all loaded")
            onClicked: root.selectAllRequested()
        }
        IconButton {
            objectName: "downloadSelectionButton"
            iconName: "download"
            tip: qsTr("Download to a folder")
            onClicked: root.downloadRequested()
        }
        IconButton {
            objectName: "deleteSelectionButton"
            iconName: "delete"
            tip: qsTr("Delete")
            enabled: root.canModify
            onClicked: root.deleteRequested()
        }
    }
}
