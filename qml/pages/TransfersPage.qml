pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Uploads and downloads with progress, speed, ETA and state; pause, resume, cancel, retry.
Page {
    id: root

    required property TransferListModel transfers

    title: qsTr("Transfers")

    // A plain pane, not a ToolBar: a Material ToolBar turns its text and icons white.
    header: Pane {
        padding: 0

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            spacing: 0

            Label {
                Layout.fillWidth: true
                text: root.transfers.activeCount > 0
                      ? qsTr("%n active", "", root.transfers.activeCount)
                      : qsTr("%n transfer(s)", "", root.transfers.count)
                color: Material.secondaryTextColor
            }
            IconButton {
                objectName: "pauseAllButton"
                iconName: "pause"
                tip: qsTr("Pause all")
                enabled: root.transfers.activeCount > 0
                onClicked: root.transfers.pauseAll()
            }
            IconButton {
                objectName: "resumeAllButton"
                iconName: "play"
                tip: qsTr("Resume all")
                enabled: root.transfers.count > 0
                onClicked: root.transfers.resumeAll()
            }
            Button {
                flat: true
                text: qsTr("Clear finished")
                enabled: root.transfers.count > root.transfers.activeCount
                onClicked: root.transfers.clearFinished()
            }
        }
    }

    ListView {
        id: list

        objectName: "transferList"
        anchors.fill: parent
        clip: true
        model: root.transfers
        delegate: TransferDelegate {
            width: ListView.view.width
            onPauseRequested: row => root.transfers.pause(row)
            onResumeRequested: row => root.transfers.resume(row)
            onCancelRequested: row => root.transfers.cancel(row)
            onRetryRequested: row => root.transfers.retry(row)
        }
        ScrollBar.vertical: ScrollBar { }

        StatePlaceholder {
            anchors.centerIn: parent
            width: Math.min(parent.width - 48, 420)
            visible: list.count === 0
            iconName: "transfers"
            title: qsTr("No transfers")
            text: qsTr("Uploads and downloads appear here. Unfinished ones come back paused when you restart the app.")
        }
    }
}
