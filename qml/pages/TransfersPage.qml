pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Uploads and downloads: active ones first, an overall progress line, filters by state; per row
// progress, speed, ETA and state with pause, resume, cancel, retry, and for finished rows open,
// show in folder and copy link.
Page {
    id: root

    required property TransferListModel transfers
    // Folder and multi-selection transfers, one row per batch, above the single transfers.
    property BatchListModel batches: AppController.actions.batches
    // Which rows the list shows: "all", "active", "failed" or "finished".
    property string filter: "all"

    title: qsTr("Transfers")

    function summaryText(): string {
        const t = root.transfers;
        const parts = [];
        if (t.runningCount > 0)
            parts.push(qsTr("%n running", "", t.runningCount));
        if (t.queuedCount > 0)
            parts.push(qsTr("%n queued", "", t.queuedCount));
        if (t.pausedCount > 0)
            parts.push(qsTr("%n paused", "", t.pausedCount));
        if (t.failedCount > 0)
            parts.push(qsTr("%n failed", "", t.failedCount));
        if (parts.length === 0 && t.finishedCount > 0)
            parts.push(qsTr("%n finished", "", t.finishedCount));
        return parts.join(", ");
    }

    // A plain pane, not a ToolBar: a Material ToolBar turns its text and icons white.
    header: Pane {
        padding: 0

        ColumnLayout {
            anchors.fill: parent
            spacing: 0

            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                spacing: 0

                Label {
                    objectName: "transferSummary"
                    Layout.fillWidth: true
                    text: root.summaryText()
                    color: Material.secondaryTextColor
                    // Two lines on a phone rather than "1 running, 1 paused, 1 f…".
                    wrapMode: Text.WordWrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
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
                    enabled: root.transfers.pausedCount > 0
                    onClicked: root.transfers.resumeAll()
                }
                Button {
                    objectName: "clearFinishedButton"
                    flat: true
                    text: qsTr("Clear")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Remove finished, failed and canceled transfers")
                    ToolTip.delay: 600
                    enabled: root.transfers.finishedCount + root.transfers.failedCount > 0
                             || root.batches.count > root.batches.activeCount
                    onClicked: {
                        root.transfers.clearFinished();
                        root.batches.clearFinished();
                    }
                }
            }
            // Overall progress of what is not finished yet.
            ColumnLayout {
                objectName: "overallProgress"
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
                Layout.bottomMargin: 4
                visible: root.transfers.overallText.length > 0
                spacing: 2

                ProgressBar {
                    Layout.fillWidth: true
                    value: Math.max(0, root.transfers.overallProgress)
                    indeterminate: root.transfers.overallProgress < 0
                }
                Label {
                    objectName: "overallText"
                    Layout.fillWidth: true
                    text: root.transfers.overallText
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                    elide: Text.ElideRight
                }
            }
            // At most 40 % of the page; it scrolls beyond.
            ListView {
                id: batchList

                objectName: "batchList"
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(batchList.contentHeight, root.height * 0.4)
                visible: root.batches.count > 0
                clip: true
                model: root.batches
                delegate: BatchDelegate {
                    width: ListView.view.width
                    onPauseRequested: row => root.batches.pause(row)
                    onResumeRequested: row => root.batches.resume(row)
                    onCancelRequested: row => root.batches.cancel(row)
                }
                ScrollBar.vertical: ScrollBar { }
            }
            TabBar {
                id: filterBar

                objectName: "transferFilter"
                Layout.fillWidth: true
                visible: root.transfers.count > 0
                currentIndex: ["all", "active", "failed", "finished"].indexOf(root.filter)
                onCurrentIndexChanged: root.filter = ["all", "active", "failed", "finished"][currentIndex]

                TabButton {
                    objectName: "filterAll"
                    text: qsTr("All")
                }
                TabButton {
                    objectName: "filterActive"
                    text: qsTr("Active %1").arg(root.transfers.runningCount + root.transfers.queuedCount + root.transfers.pausedCount)
                }
                TabButton {
                    objectName: "filterFailed"
                    text: qsTr("Failed %1").arg(root.transfers.failedCount)
                }
                TabButton {
                    objectName: "filterFinished"
                    text: qsTr("Done %1").arg(root.transfers.finishedCount)
                }
            }
        }
    }

    TransferFilterModel {
        id: view

        objectName: "transferView"
        source: root.transfers
        filter: root.filter
    }

    ListView {
        id: list

        objectName: "transferList"
        anchors.fill: parent
        clip: true
        model: view
        delegate: TransferDelegate {
            width: ListView.view.width
            onPauseRequested: row => root.transfers.pause(row)
            onResumeRequested: row => root.transfers.resume(row)
            onCancelRequested: row => root.transfers.cancel(row)
            onRetryRequested: row => root.transfers.retry(row)
            onOpenRequested: file => Qt.openUrlExternally(file)
            onMoreRequested: anchorItem => {
                finishedMenu.row = sourceRow;
                finishedMenu.bucket = bucket;
                finishedMenu.key = key;
                finishedMenu.folderUrl = folderUrl;
                finishedMenu.popup(anchorItem, 0, anchorItem.height);
            }
        }
        ScrollBar.vertical: ScrollBar { }

        StatePlaceholder {
            anchors.centerIn: parent
            width: Math.min(parent.width - 48, 420)
            visible: list.count === 0 && (root.batches.count === 0 || root.transfers.count > 0)
            iconName: "transfers"
            title: root.transfers.count === 0 ? qsTr("No transfers")
                 : root.filter === "failed" ? qsTr("Nothing failed")
                 : root.filter === "active" ? qsTr("Nothing running")
                 : qsTr("Nothing finished yet")
            text: root.transfers.count === 0
                  ? qsTr("Uploads and downloads appear here. Unfinished ones come back paused when you restart the app.")
                  : qsTr("Other transfers are under All.")
        }
    }

    Menu {
        id: finishedMenu

        property int row: -1
        property string bucket: ""
        property string key: ""
        property url folderUrl

        objectName: "finishedMenu"
        width: Math.min(280, root.width - 16)
        // A plain background: Material's shadowed one is not drawn by the software renderer.
        background: Rectangle {
            implicitWidth: 200
            radius: 4
            color: root.Material.dialogColor
            border.color: root.Material.dividerColor
        }

        MenuItem {
            text: qsTr("Show in folder")
            onTriggered: Qt.openUrlExternally(finishedMenu.folderUrl)
        }
        MenuItem {
            objectName: "copyTransferLink"
            text: qsTr("Copy link (1 hour)")
            onTriggered: {
                const rec = root.transfers.regionAt(finishedMenu.row);
                AppController.copyObjectLink({ bucket: finishedMenu.bucket, region: rec, key: finishedMenu.key }, 3600);
            }
        }
    }
}
