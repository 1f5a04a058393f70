import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// The label above a form field: it stays when the field has text (a placeholder does not).
Label {
    Layout.fillWidth: true
    Layout.topMargin: 4
    color: Material.secondaryTextColor
    font.pixelSize: 12
    elide: Text.ElideRight
}
