pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// The buckets of a region (or all), filterable; on the desktop also the region picker.
Page {
    id: root

    required property BucketListModel buckets
    required property RegionListModel regions
    property bool showRegionPicker: false
    property string currentBucket: ""
    property string defaultBucket: ""
    // Desktop pane: Settings is open beside it, and the cause the object pane already shows.
    property bool settingsOpen: false
    property string objectsCause: ""
    // The object pane shows the same blocking error in full: say it in one line here.
    readonly property bool sameErrorBeside: root.showRegionPicker && root.buckets.errorCause.length > 0
                                            && root.buckets.errorCause === root.objectsCause

    signal bucketChosen(string name, string region)

    function openBucketMenu(anchorItem: Item, name: string, region: string): void {
        bucketMenu.bucket = name;
        bucketMenu.region = region;
        bucketMenu.popup(anchorItem, 16, anchorItem.height);
    }
    // Entry point of the delete confirmation (the menu and the tests use it).
    function confirmDeleteBucket(name: string, region: string): void {
        deleteBucketDialog.askBucket(name, region);
    }
    signal createRequested()
    signal settingsRequested()

    title: root.buckets.region.length > 0 ? root.regions.nameOf(root.buckets.region)
                                          : qsTr("Buckets")

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ComboBox {
            id: regionBox

            objectName: "regionBox"
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            Layout.topMargin: 8
            visible: root.showRegionPicker
            model: root.regions
            textRole: "name"
            valueRole: "regionId"
            currentIndex: Math.max(0, root.regions.indexOf(root.buckets.region))
            onActivated: AppController.openRegion(regionBox.currentValue)
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 4
            spacing: 4

            SearchField {
                id: filterField

                objectName: "bucketFilter"
                Layout.fillWidth: true
                placeholderText: qsTr("Filter buckets")
                onTextChanged: root.buckets.filter = filterField.text
            }
            IconButton {
                iconName: "refresh"
                tip: qsTr("Refresh")
                enabled: !root.buckets.loading
                onClicked: root.buckets.reload()
            }
            IconButton {
                objectName: "newBucketButton"
                iconName: "add"
                tip: qsTr("New bucket")
                enabled: AppController.canModify
                onClicked: root.createRequested()
            }
        }
        InlineMessage {
            objectName: "bucketsShortError"
            Layout.fillWidth: true
            Layout.margins: 8
            visible: root.sameErrorBeside
            text: root.buckets.errorTitle
            actionText: qsTr("Retry")
            onActionTriggered: root.buckets.reload()
        }
        // Keys that may not list buckets can still open one by name.
        RowLayout {
            objectName: "openByName"
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            visible: root.buckets.accessDenied
            spacing: 8

            TextField {
                id: bucketNameField

                objectName: "openByNameField"
                Layout.fillWidth: true
                placeholderText: qsTr("Bucket name")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                onAccepted: openByNameButton.clicked()
            }
            Button {
                id: openByNameButton

                text: qsTr("Open")
                flat: true
                enabled: bucketNameField.text.trim().length > 0
                onClicked: root.bucketChosen(bucketNameField.text.trim(), root.buckets.region)
            }
        }
        InlineMessage {
            Layout.fillWidth: true
            Layout.margins: 8
            visible: root.buckets.errorMessage.length > 0 && root.defaultBucket.length > 0 && !root.sameErrorBeside
            // A note, not an error: the default bucket below still works.
            isError: false
            text: root.buckets.errorMessage
        }
        BucketDelegate {
            Layout.fillWidth: true
            visible: root.buckets.errorMessage.length > 0 && root.defaultBucket.length > 0
            name: root.defaultBucket
            region: AppController.settings.defaultRegion
            regionName: qsTr("Default bucket")
            created: ""
            current: root.currentBucket === root.defaultBucket
            onClicked: root.bucketChosen(root.defaultBucket, AppController.settings.defaultRegion)
        }
        ListView {
            id: list

            objectName: "bucketList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: root.buckets
            delegate: BucketDelegate {
                id: bucketRow

                width: ListView.view.width
                current: name === root.currentBucket
                onClicked: root.bucketChosen(name, region)
                // Long press (touch) or right click (desktop): the bucket's menu.
                onPressAndHold: root.openBucketMenu(bucketRow, name, region)
                TapHandler {
                    acceptedButtons: Qt.RightButton
                    onTapped: root.openBucketMenu(bucketRow, bucketRow.name, bucketRow.region)
                }
            }
            ScrollIndicator.vertical: ScrollIndicator { }

            BusyIndicator {
                anchors.centerIn: parent
                running: root.buckets.loading
                visible: running
            }
            StatePlaceholder {
                anchors.centerIn: parent
                width: Math.min(parent.width - 48, 420)
                visible: !root.buckets.loading && root.buckets.loaded && list.count === 0 && !root.sameErrorBeside
                         && !(root.buckets.errorMessage.length > 0 && root.defaultBucket.length > 0)
                isError: root.buckets.errorMessage.length > 0
                iconName: root.buckets.errorMessage.length > 0
                          ? (root.buckets.accessDenied ? "lock" : "error")
                          : (root.buckets.filter.length > 0 ? "search" : "bucket")
                title: root.buckets.errorMessage.length > 0 ? root.buckets.errorTitle
                       : root.buckets.filter.length > 0 ? qsTr("No bucket matches \"%1\"").arg(root.buckets.filter)
                       : qsTr("No buckets here yet")
                text: root.buckets.errorMessage.length > 0 ? root.buckets.errorMessage
                      : root.buckets.filter.length > 0 ? ""
                      : qsTr("Create a bucket to store objects in this region.")
                actionText: root.buckets.errorMessage.length > 0 ? qsTr("Retry")
                            : root.buckets.filter.length > 0 || !AppController.canModify ? "" : qsTr("New bucket")
                secondaryActionText: root.buckets.errorMessage.length > 0 && !root.settingsOpen ? qsTr("Open Settings") : ""
                onSecondaryActionTriggered: root.settingsRequested()
                onActionTriggered: {
                    if (root.buckets.errorMessage.length > 0)
                        root.buckets.reload();
                    else
                        root.createRequested();
                }
            }
            StatePlaceholder {
                anchors.centerIn: parent
                width: Math.min(parent.width - 48, 420)
                visible: !AppController.connected && AppController.connectionError.length > 0
                isError: AppController.settings.configured
                iconName: "settings"
                title: AppController.settings.configured ? qsTr("Not connected") : qsTr("Not set up yet")
                // While Settings is open beside this pane, do not send the user there again.
                text: root.settingsOpen ? qsTr("Finish the settings to see your buckets here.") : AppController.connectionError
                actionText: root.settingsOpen ? "" : qsTr("Open Settings")
                onActionTriggered: root.settingsRequested()
            }
        }
    }

    Menu {
        id: bucketMenu

        property string bucket: ""
        property string region: ""

        objectName: "bucketMenu"
        width: Math.min(260, root.width - 16)
        // A plain background: Material's shadowed one is not drawn by the software renderer.
        background: Rectangle {
            implicitWidth: 200
            radius: 4
            color: root.Material.dialogColor
            border.color: root.Material.dividerColor
        }

        MenuItem {
            text: qsTr("Open")
            onTriggered: root.bucketChosen(bucketMenu.bucket, bucketMenu.region)
        }
        MenuItem {
            objectName: "deleteBucketItem"
            text: qsTr("Delete bucket…")
            enabled: AppController.canModify
            Material.foreground: Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
            onTriggered: root.confirmDeleteBucket(bucketMenu.bucket, bucketMenu.region)
        }
    }
    ConfirmDeleteDialog {
        id: deleteBucketDialog

        objectName: "deleteBucketDialog"
        parent: Overlay.overlay
    }
}
