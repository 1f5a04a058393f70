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
    // A second, flat action, e.g. "Open Settings" next to "Retry".
    property string secondaryActionText: ""
    property bool isError: false

    signal actionTriggered()
    signal secondaryActionTriggered()

    spacing: 12

    Icon {
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: 56
        Layout.preferredHeight: 56
        name: root.iconName
        color: root.isError ? Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800) : Material.hintTextColor
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
    Flow {
        Layout.alignment: Qt.AlignHCenter
        Layout.maximumWidth: root.width
        spacing: 8

        PrimaryButton {
            objectName: "placeholderAction"
            visible: root.actionText.length > 0
            text: root.actionText
            onClicked: root.actionTriggered()
        }
        Button {
            objectName: "placeholderSecondaryAction"
            visible: root.secondaryActionText.length > 0
            text: root.secondaryActionText
            flat: true
            onClicked: root.secondaryActionTriggered()
        }
    }
}
