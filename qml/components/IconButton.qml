import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// A flat tool button that shows an Icon and a tooltip.
ToolButton {
    id: root

    required property string iconName
    property string tip: ""
    property color iconColor: root.enabled ? Material.foreground : Material.hintTextColor

    Accessible.name: root.tip
    ToolTip.visible: root.hovered && root.tip.length > 0
    ToolTip.text: root.tip
    ToolTip.delay: 600

    contentItem: Item {
        implicitWidth: 24
        implicitHeight: 24

        Icon {
            anchors.centerIn: parent
            width: 24
            height: 24
            name: root.iconName
            color: root.iconColor
        }
    }
}
