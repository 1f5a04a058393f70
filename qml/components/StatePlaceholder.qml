import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// Centered empty / error state: an icon, a title, an explanation and an optional action.
ColumnLayout {
    id: root

    property string iconName: "empty"
    property string title: ""
    property string text: ""
    property string actionText: ""
    property bool isError: false

    signal actionTriggered()

    spacing: 12

    Icon {
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: 56
        Layout.preferredHeight: 56
        name: root.iconName
        color: root.isError ? Material.color(Material.Red) : Material.hintTextColor
    }
    Label {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        text: root.title
        font.pixelSize: 18
        font.weight: Font.Medium
    }
    Label {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        visible: root.text.length > 0
        text: root.text
        color: Material.secondaryTextColor
        textFormat: Text.PlainText
    }
    Button {
        Layout.alignment: Qt.AlignHCenter
        visible: root.actionText.length > 0
        text: root.actionText
        highlighted: true
        // Flat colour instead of a shadow: the shadow is a shader effect, which the software
        // renderer (offscreen, --screenshot) does not draw, and the button would vanish.
        Material.elevation: 0
        onClicked: root.actionTriggered()
    }
}
