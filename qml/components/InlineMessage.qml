import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// A banner above a list: an error (red) or a note, with an optional action button.
Pane {
    id: root

    property string text: ""
    property bool isError: true
    property string actionText: ""

    signal actionTriggered()

    visible: root.text.length > 0
    padding: 10
    Material.elevation: 0
    Material.background: root.isError ? Qt.rgba(0.9, 0.2, 0.2, 0.12) : Qt.rgba(0.2, 0.4, 0.9, 0.10)

    RowLayout {
        anchors.fill: parent
        spacing: 10

        Icon {
            Layout.alignment: Qt.AlignTop
            Layout.preferredWidth: 20
            Layout.preferredHeight: 20
            name: root.isError ? "error" : "warning"
            color: root.isError ? Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800) : Material.color(Material.Blue)
        }
        Label {
            Layout.fillWidth: true
            text: root.text
            wrapMode: Text.Wrap
            textFormat: Text.PlainText
        }
        Button {
            visible: root.actionText.length > 0
            text: root.actionText
            flat: true
            onClicked: root.actionTriggered()
        }
    }
}
