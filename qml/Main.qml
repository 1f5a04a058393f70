pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CosDemo

ApplicationWindow {
    id: root

    width: 1280
    height: 800
    visible: true
    title: qsTr("COS Demo")

    ColumnLayout {
        anchors.centerIn: parent
        spacing: 12

        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("COS Demo")
            font.pixelSize: 28
        }
        Label {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("Version %1").arg(AppController.version)
            opacity: 0.7
        }
    }
}
