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
    Material.theme: Material.Dark
    background: Rectangle {
        radius: 4
        color: root.isError ? "#8e2424" : "#323232"
    }

    contentItem: RowLayout {
        spacing: 8

        Label {
            Layout.fillWidth: true
            text: root.text
            wrapMode: Text.Wrap
            color: "white"
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
