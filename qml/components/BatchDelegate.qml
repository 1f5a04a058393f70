import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One folder or multi-selection transfer: files done of found, bytes, speed, ETA, state, one
// pause / resume / cancel for the whole batch, Retry only when it can help, Show in folder on
// finished rows, and (expanded) the files that failed.
ItemDelegate {
    id: root

    required property int sourceRow
    required property string name
    required property string direction
    required property string batchState
    required property string stateText
    required property string filesText
    required property string bytesText
    required property string speedText
    required property string etaText
    required property real progress
    required property int failedCount
    required property var failures
    required property string errorMessage
    required property bool canPause
    required property bool canResume
    required property bool canCancel
    required property bool canRetry
    required property url folderUrl

    property bool expanded: false
    readonly property bool narrow: root.width < 480
    readonly property color errorColor: Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)

    signal pauseRequested(int row)
    signal resumeRequested(int row)
    signal cancelRequested(int row)
    signal showFolderRequested(url folder)

    hoverEnabled: false
    Accessible.name: qsTr("Folder %1 %2: %3").arg(root.direction).arg(root.name).arg(root.stateText)
    onClicked: root.expanded = !root.expanded

    contentItem: RowLayout {
        spacing: 12

        Icon {
            Layout.alignment: Qt.AlignTop
            Layout.topMargin: 4
            Layout.minimumWidth: 24
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24
            name: root.direction === "upload" ? "folderupload" : "download"
            color: root.batchState === "failed" ? root.errorColor
                 : root.batchState === "succeeded" ? Material.color(Material.Green)
                 : Material.accentColor
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 4

            Label {
                objectName: "batchName"
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideMiddle
                font.weight: Font.Medium
            }
            ProgressBar {
                objectName: "batchProgress"
                Layout.fillWidth: true
                value: Math.max(0, root.progress)
                indeterminate: root.batchState === "running" && root.progress < 0
                visible: root.batchState !== "canceled"
            }
            Label {
                objectName: "batchStatus"
                Layout.fillWidth: true
                text: (root.narrow ? [root.stateText, root.filesText]
                                   : [root.stateText, root.filesText, root.bytesText, root.speedText, root.etaText])
                      .filter(s => s.length > 0).join(" · ")
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Label {
                objectName: "batchSpeed"
                Layout.fillWidth: true
                visible: root.narrow && text.length > 0
                // Speed and time left while it moves (they do not fit next to the bytes at 360 px).
                text: root.speedText.length > 0 || root.etaText.length > 0
                      ? [root.speedText, root.etaText].filter(s => s.length > 0).join(" · ")
                      : root.bytesText
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Label {
                Layout.fillWidth: true
                visible: root.errorMessage.length > 0
                text: root.errorMessage
                color: root.errorColor
                wrapMode: Text.Wrap
                font.pixelSize: 12
                textFormat: Text.PlainText
            }
            Label {
                objectName: "batchFailuresToggle"
                Layout.fillWidth: true
                visible: root.failedCount > 0
                text: root.expanded ? qsTr("Hide failed files") : qsTr("Show %n failed file(s)", "", root.failedCount)
                color: root.errorColor
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Repeater {
                objectName: "batchFailures"
                model: root.expanded ? root.failures : []

                Label {
                    required property string modelData

                    Layout.fillWidth: true
                    text: modelData
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                    textFormat: Text.PlainText
                }
            }
        }
        // The same fixed command column as a single transfer's row.
        RowLayout {
            objectName: "batchActions"
            Layout.preferredWidth: 96
            Layout.minimumWidth: 96
            Layout.maximumWidth: 96
            Layout.alignment: Qt.AlignTop
            spacing: 0

            Item { Layout.fillWidth: true }
            IconButton {
                objectName: "batchPauseButton"
                visible: root.canPause
                iconName: "pause"
                tip: qsTr("Pause")
                onClicked: root.pauseRequested(root.sourceRow)
            }
            IconButton {
                objectName: "batchResumeButton"
                visible: root.canResume
                iconName: root.canRetry ? "refresh" : "play"
                tip: root.canRetry ? qsTr("Retry") : qsTr("Resume")
                onClicked: root.resumeRequested(root.sourceRow)
            }
            IconButton {
                objectName: "batchCancelButton"
                visible: root.canCancel
                iconName: "close"
                tip: qsTr("Cancel")
                onClicked: root.cancelRequested(root.sourceRow)
            }
            IconButton {
                objectName: "batchFolderButton"
                visible: root.batchState === "succeeded" || root.batchState === "failed"
                iconName: "folder"
                tip: root.direction === "upload" ? qsTr("Show the uploaded folder") : qsTr("Show in folder")
                onClicked: root.showFolderRequested(root.folderUrl)
            }
        }
    }
}
