import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The validation message under a form field (hidden when empty).
Label {
    visible: text.length > 0
    color: Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
    wrapMode: Text.Wrap
    font.pixelSize: 12
    textFormat: Text.PlainText
}
