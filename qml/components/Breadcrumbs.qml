pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The path of the open folder: bucket / folder / sub-folder; every crumb but the last is a link.
// When the path is wider than the bar, the deepest levels that fit stay in view (never a cut
// crumb) and a "…" button lists every level.
Item {
    id: root

    required property list<string> crumbs

    signal levelClicked(int level)

    // Scrolls so the last crumb is in view and the first visible crumb is whole.
    function fit(): void {
        list.positionViewAtEnd();
        // By index: Qt 6.4's compiled QML takes a null item from itemAt() for true.
        const index = list.indexAt(list.contentX + 1, list.height / 2);
        if (index < 0 || index >= list.count - 1)
            return;
        const first = list.itemAtIndex(index);
        if (first.x < list.contentX)
            list.contentX = Math.min(first.x + first.width, Math.max(0, list.contentWidth - list.width));
    }

    implicitHeight: 40
    clip: true

    // Once per change burst, and never after the bar is gone (unlike Qt.callLater, which in
    // Qt 6.4 may run the compiled function on a destroyed item).
    Timer {
        id: fitTimer

        interval: 0
        onTriggered: root.fit()
    }

    ToolButton {
        id: overflowButton

        objectName: "crumbOverflow"
        anchors.left: parent.left
        anchors.verticalCenter: parent.verticalCenter
        visible: list.contentWidth > root.width
        width: visible ? implicitWidth : 0
        text: "…"
        Accessible.name: qsTr("All levels")
        onClicked: levelMenu.popup(overflowButton, 0, overflowButton.height)

        Menu {
            id: levelMenu

            background: Rectangle {
                implicitWidth: 200
                radius: 4
                color: root.Material.dialogColor
                border.color: root.Material.dividerColor
            }

            Repeater {
                model: root.crumbs

                MenuItem {
                    required property string modelData
                    required property int index

                    text: modelData
                    enabled: index < root.crumbs.length - 1
                    onTriggered: root.levelClicked(index)
                }
            }
        }
    }
    ListView {
        id: list

        anchors.left: overflowButton.right
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        orientation: ListView.Horizontal
        clip: true
        spacing: 0
        boundsBehavior: Flickable.StopAtBounds
        model: root.crumbs
        onCountChanged: fitTimer.restart()
        onWidthChanged: fitTimer.restart()
        onContentWidthChanged: fitTimer.restart()

        delegate: Row {
            id: crumb

            required property string modelData
            required property int index
            readonly property bool last: crumb.index === list.count - 1

            height: list.height

            Icon {
                visible: crumb.index > 0
                anchors.verticalCenter: parent.verticalCenter
                width: 18
                height: 18
                name: "chevron"
                color: Material.secondaryTextColor
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
}
