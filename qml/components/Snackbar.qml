import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// A short message at the bottom of the window; errors stay longer and can be dismissed.
Popup {
    id: root

    property string text: ""
    property bool isError: false

    function show(message: string, error: bool): void {
        root.text = message;
        root.isError = error;
        hideTimer.interval = error ? 8000 : 3000;
        root.open();
        hideTimer.restart();
    }

    x: (parent.width - width) / 2
    y: parent.height - height - 16
    width: Math.min(parent.width - 32, 560)
    padding: 12
    closePolicy: Popup.CloseOnEscape
    modal: false
    focus: false
    // The opposite of the window's theme, so it stands out: dark on light, light on dark.
    readonly property bool onDark: root.parent ? root.parent.Material.theme === Material.Dark : false
    Material.theme: root.onDark && !root.isError ? Material.Light : Material.Dark
    background: Rectangle {
        radius: 4
        color: root.isError ? "#8e2424" : root.onDark ? "#e8eaed" : "#323232"
        border.color: root.onDark ? "#9aa0a6" : "transparent"
    }

    contentItem: RowLayout {
        spacing: 8

        Label {
            Layout.fillWidth: true
            text: root.text
            wrapMode: Text.Wrap
            color: root.onDark && !root.isError ? "#202124" : "white"
            textFormat: Text.PlainText
        }
        Button {
            flat: true
            text: qsTr("Dismiss")
            onClicked: root.close()
        }
    }

    Timer {
        id: hideTimer

        onTriggered: root.close()
    }
}
