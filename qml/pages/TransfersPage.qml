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

    // Summary, tab counts and overall progress over single transfers and batches together.
    TransferOverview {
        id: overview

        transfers: root.transfers
        batches: root.batches
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
                    text: overview.summary
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
                    enabled: root.transfers.activeCount + root.batches.activeCount > 0
                    onClicked: {
                        root.transfers.pauseAll();
                        root.batches.pauseAll();
                    }
                }
                IconButton {
                    objectName: "resumeAllButton"
                    iconName: "play"
                    tip: qsTr("Resume all")
                    enabled: root.transfers.pausedCount + root.batches.pausedCount > 0
                    onClicked: {
                        root.transfers.resumeAll();
                        root.batches.resumeAll();
                    }
                }
                Button {
                    objectName: "clearFinishedButton"
                    flat: true
                    text: qsTr("Clear")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Remove finished, failed and canceled transfers")
                    ToolTip.delay: 600
                    enabled: overview.finishedCount + overview.failedCount > 0
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
                visible: overview.text.length > 0
                spacing: 2

                ProgressBar {
                    Layout.fillWidth: true
                    value: Math.max(0, overview.progress)
                    indeterminate: overview.progress < 0
                }
                Label {
                    objectName: "overallText"
                    Layout.fillWidth: true
                    text: overview.text
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                    elide: Text.ElideRight
                }
            }
            // The filter tabs apply to the batch rows below them and to the single transfers.
            TabBar {
                id: filterBar

                objectName: "transferFilter"
                Layout.fillWidth: true
                visible: root.transfers.count + root.batches.count > 0
                currentIndex: ["all", "active", "failed", "finished"].indexOf(root.filter)
                onCurrentIndexChanged: root.filter = ["all", "active", "failed", "finished"][currentIndex]

                TabButton {
                    objectName: "filterAll"
                    text: qsTr("All")
                }
                TabButton {
                    objectName: "filterActive"
                    text: qsTr("Active %1").arg(overview.activeCount)
                }
                TabButton {
                    objectName: "filterFailed"
                    text: qsTr("Failed %1").arg(overview.failedCount)
                }
                TabButton {
                    objectName: "filterFinished"
                    text: qsTr("Done %1").arg(overview.finishedCount)
                }
            }
            // At most 40 % of the page; it scrolls beyond.
            ListView {
                id: batchList

                objectName: "batchList"
                Layout.fillWidth: true
                Layout.preferredHeight: Math.min(batchList.contentHeight, root.height * 0.4)
                visible: batchView.count > 0
                clip: true
                // Active first, then failed and finished ones, newest first; the tab's filter.
                model: TransferFilterModel {
                    id: batchView

                    objectName: "batchView"
                    source: root.batches
                    stateRoleName: "batchState"
                    filter: root.filter
                }
                delegate: BatchDelegate {
                    width: ListView.view.width
                    onPauseRequested: row => root.batches.pause(row)
                    onResumeRequested: row => root.batches.resume(row)
                    onCancelRequested: row => root.batches.cancel(row)
                    onShowFolderRequested: folder => Qt.openUrlExternally(folder)
                }
                ScrollBar.vertical: ScrollBar { }
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
            visible: list.count === 0 && batchView.count === 0
            iconName: "transfers"
            title: root.transfers.count + root.batches.count === 0 ? qsTr("No transfers")
                 : root.filter === "failed" ? qsTr("Nothing failed")
                 : root.filter === "active" ? qsTr("Nothing running")
                 : qsTr("Nothing finished yet")
            text: root.transfers.count + root.batches.count === 0
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
