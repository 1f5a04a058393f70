import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One transfer: direction, name, progress bar, bytes, speed, ETA, state, and its commands.
ItemDelegate {
    id: root

    required property int index
    required property string name
    required property string direction
    required property string bucket
    required property string key
    required property string transferState
    required property string stateText
    required property real progress
    required property string bytesText
    required property string speedText
    required property string etaText
    required property string errorMessage
    required property bool canPause
    required property bool canResume
    required property bool canCancel
    required property bool canRetry

    signal pauseRequested(int row)
    signal resumeRequested(int row)
    signal cancelRequested(int row)
    signal retryRequested(int row)

    hoverEnabled: false
    Accessible.name: qsTr("%1 %2: %3").arg(root.direction).arg(root.name).arg(root.stateText)

    contentItem: RowLayout {
        spacing: 12

        Icon {
            Layout.alignment: Qt.AlignTop
            Layout.topMargin: 4
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: root.direction === "upload" ? "upload" : "download"
            color: root.transferState === "failed" ? Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
                 : root.transferState === "succeeded" ? Material.color(Material.Green)
                 : Material.accentColor
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4

            Label {
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideMiddle
                font.weight: Font.Medium
            }
            Label {
                Layout.fillWidth: true
                text: root.bucket + "/" + root.key
                elide: Text.ElideMiddle
                color: Material.secondaryTextColor
                font.pixelSize: 12
            }
            ProgressBar {
                Layout.fillWidth: true
                value: root.progress
                indeterminate: root.transferState === "running" && root.progress <= 0
                visible: root.transferState !== "canceled"
            }
            Label {
                Layout.fillWidth: true
                text: [root.stateText, root.bytesText, root.speedText, root.etaText]
                      .filter(s => s.length > 0).join(" · ")
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Label {
                Layout.fillWidth: true
                visible: root.errorMessage.length > 0
                text: root.errorMessage
                color: Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
                wrapMode: Text.Wrap
                font.pixelSize: 12
                textFormat: Text.PlainText
            }
        }
        IconButton {
            objectName: "pauseButton"
            visible: root.canPause
            iconName: "pause"
            tip: qsTr("Pause")
            onClicked: root.pauseRequested(root.index)
        }
        IconButton {
            objectName: "resumeButton"
            visible: root.canResume
            iconName: "play"
            tip: qsTr("Resume")
            onClicked: root.resumeRequested(root.index)
        }
        IconButton {
            objectName: "retryButton"
            visible: root.canRetry
            iconName: "refresh"
            tip: qsTr("Retry")
            onClicked: root.retryRequested(root.index)
        }
        IconButton {
            objectName: "cancelButton"
            visible: root.canCancel
            iconName: "close"
            tip: qsTr("Cancel")
            onClicked: root.cancelRequested(root.index)
        }
    }
}
