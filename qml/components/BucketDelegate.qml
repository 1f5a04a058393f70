import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One bucket: name, region and creation date.
ItemDelegate {
    id: root

    required property string name
    required property string region
    required property string regionName
    required property string created
    property bool current: false

    highlighted: root.current
    Accessible.name: qsTr("Bucket %1").arg(root.name)

    contentItem: RowLayout {
        spacing: 14

        Icon {
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: "bucket"
            color: root.current ? Material.accentColor : Material.color(Material.BlueGrey)
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2

            Label {
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideMiddle
                font.weight: Font.Medium
            }
            Label {
                Layout.fillWidth: true
                text: [root.regionName.length > 0 ? root.regionName + " (" + root.region + ")" : "",
                       root.created.length > 0 ? qsTr("created %1").arg(root.created) : ""]
                      .filter(s => s.length > 0).join(" · ")
                visible: text.length > 0
                elide: Text.ElideRight
                color: Material.secondaryTextColor
                font.pixelSize: 12
            }
        }
    }
}
