import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The group title above a run of list rows (e.g. "Chinese mainland" in the region list).
Label {
    id: root

    required property string section

    width: ListView.view ? ListView.view.width : implicitWidth
    visible: root.section.length > 0
    height: root.section.length > 0 ? implicitHeight : 0
    leftPadding: 16
    topPadding: 12
    bottomPadding: 4
    text: root.section
    color: Material.accentColor
    font.pixelSize: 13
    font.weight: Font.Medium
}
