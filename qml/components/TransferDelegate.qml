import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One transfer: direction, name, progress bar, bytes, speed, ETA, state, and its commands. The
// commands sit in a column of fixed width, so every row's progress bar is equally long; on a
// phone the status takes two lines (state and bytes, then speed and time left).
ItemDelegate {
    id: root

    required property int index
    required property int sourceRow
    required property string name
    required property string direction
    required property string bucket
    required property string key
    required property url localUrl
    required property url folderUrl
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

    readonly property bool narrow: root.width < 480
    readonly property bool succeeded: root.transferState === "succeeded"

    signal pauseRequested(int row)
    signal resumeRequested(int row)
    signal cancelRequested(int row)
    signal retryRequested(int row)
    signal openRequested(url file)
    signal moreRequested(Item anchorItem)

    hoverEnabled: false
    Accessible.name: qsTr("%1 %2: %3").arg(root.direction).arg(root.name).arg(root.stateText)

    contentItem: RowLayout {
        spacing: 12

        Icon {
            Layout.alignment: Qt.AlignTop
            Layout.topMargin: 4
            Layout.minimumWidth: 24
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: root.direction === "upload" ? "upload" : "download"
            color: root.transferState === "failed" ? Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
                 : root.succeeded ? Material.color(Material.Green)
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
                objectName: "transferProgress"
                Layout.fillWidth: true
                value: root.progress
                indeterminate: root.transferState === "running" && root.progress <= 0
                visible: root.transferState !== "canceled"
            }
            Label {
                objectName: "statusLine"
                Layout.fillWidth: true
                text: (root.narrow ? [root.stateText, root.bytesText]
                                   : [root.stateText, root.bytesText, root.speedText, root.etaText])
                      .filter(s => s.length > 0).join(" · ")
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Label {
                objectName: "speedLine"
                Layout.fillWidth: true
                visible: root.narrow && text.length > 0
                text: [root.speedText, root.etaText].filter(s => s.length > 0).join(" · ")
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
        // Room for two commands in every row, used or not.
        RowLayout {
            objectName: "transferActions"
            Layout.preferredWidth: 96
            Layout.minimumWidth: 96
            Layout.maximumWidth: 96
            Layout.alignment: Qt.AlignTop
            spacing: 0

            Item { Layout.fillWidth: true }
            IconButton {
                objectName: "pauseButton"
                visible: root.canPause
                iconName: "pause"
                tip: qsTr("Pause")
                onClicked: root.pauseRequested(root.sourceRow)
            }
            IconButton {
                objectName: "resumeButton"
                visible: root.canResume
                iconName: "play"
                tip: qsTr("Resume")
                onClicked: root.resumeRequested(root.sourceRow)
            }
            IconButton {
                objectName: "retryButton"
                visible: root.canRetry
                iconName: "refresh"
                tip: qsTr("Retry")
                onClicked: root.retryRequested(root.sourceRow)
            }
            IconButton {
                objectName: "cancelButton"
                visible: root.canCancel
                iconName: "close"
                tip: qsTr("Cancel")
                onClicked: root.cancelRequested(root.sourceRow)
            }
            IconButton {
                objectName: "openButton"
                visible: root.succeeded
                iconName: "file"
                tip: qsTr("Open")
                onClicked: root.openRequested(root.localUrl)
            }
            IconButton {
                id: moreButton

                objectName: "moreButton"
                visible: root.succeeded
                iconName: "more"
                tip: qsTr("More")
                onClicked: root.moreRequested(moreButton)
            }
        }
    }
}
