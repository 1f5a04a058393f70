import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The app's modal dialog: centred, a plain background with a complete border, and a dim that
// darkens the window in both themes.
Dialog {
    id: root

    modal: true
    anchors.centerIn: Overlay.overlay
    // A plain background: the Material shadow is a shader the software renderer skips, which
    // left the dialog body see-through offscreen.
    background: Rectangle {
        radius: 4
        color: root.Material.dialogColor
        border.color: root.Material.theme === Material.Dark ? "#5f6368" : "#c4c7c5"
    }
    // Material's header and footer paint their own backgrounds over the dialog's border.
    header: Label {
        text: root.title
        visible: root.title.length > 0
        elide: Label.ElideRight
        padding: 24
        bottomPadding: 0
        font.bold: true
        font.pixelSize: 16
    }
    footer: DialogButtonBox {
        visible: count > 0
        background: null
    }
    // Material's dark dim is a light tint that greys the window; darken in both themes.
    Overlay.modal: Rectangle {
        color: Qt.rgba(0, 0, 0, 0.5)
    }
}
