import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One region of the region list (phone layout).
ItemDelegate {
    id: root

    required property string regionId
    required property string name
    required property bool seen

    Accessible.name: root.name

    contentItem: RowLayout {
        spacing: 14

        Icon {
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: root.regionId.length > 0 ? "region" : "bucket"
            color: root.seen ? Material.accentColor : Material.hintTextColor
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2

            Label {
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideRight
                font.weight: Font.Medium
            }
            Label {
                Layout.fillWidth: true
                visible: root.regionId.length > 0 && root.regionId !== root.name
                text: root.regionId
                color: Material.secondaryTextColor
                font.pixelSize: 12
            }
        }
        Icon {
            Layout.preferredWidth: 20
            Layout.preferredHeight: 20
            name: "chevron"
            color: Material.hintTextColor
        }
    }
}
