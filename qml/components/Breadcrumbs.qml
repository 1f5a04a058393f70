pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The path of the open folder: bucket / folder / sub-folder; every crumb but the last is a link.
ListView {
    id: root

    required property list<string> crumbs

    signal levelClicked(int level)

    implicitHeight: 40
    orientation: ListView.Horizontal
    clip: true
    spacing: 0
    boundsBehavior: Flickable.StopAtBounds
    model: root.crumbs
    // Keep the deepest level in view on narrow screens.
    onCountChanged: root.positionViewAtEnd()
    onWidthChanged: root.positionViewAtEnd()

    delegate: Row {
        id: crumb

        required property string modelData
        required property int index
        readonly property bool last: crumb.index === root.count - 1

        height: root.height

        Icon {
            visible: crumb.index > 0
            anchors.verticalCenter: parent.verticalCenter
            width: 18
            height: 18
            name: "chevron"
            color: Material.hintTextColor
        }
        ToolButton {
            anchors.verticalCenter: parent.verticalCenter
            visible: !crumb.last
            text: crumb.modelData
            font.capitalization: Font.MixedCase
            Material.foreground: Material.accentColor
            Accessible.name: qsTr("Open %1").arg(crumb.modelData)
            onClicked: root.levelClicked(crumb.index)
        }
        Label {
            anchors.verticalCenter: parent.verticalCenter
            visible: crumb.last
            leftPadding: 8
            rightPadding: 8
            text: crumb.modelData
            font.weight: Font.Medium
            font.pixelSize: 15
        }
    }
}
