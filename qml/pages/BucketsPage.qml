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

    signal bucketChosen(string name, string region)
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
                enabled: AppController.connected
                onClicked: root.createRequested()
            }
        }
        InlineMessage {
            Layout.fillWidth: true
            Layout.margins: 8
            visible: root.buckets.errorMessage.length > 0 && root.defaultBucket.length > 0
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
                width: ListView.view.width
                current: name === root.currentBucket
                onClicked: root.bucketChosen(name, region)
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
                visible: !root.buckets.loading && root.buckets.loaded && list.count === 0
                         && !(root.buckets.errorMessage.length > 0 && root.defaultBucket.length > 0)
                isError: root.buckets.errorMessage.length > 0
                iconName: root.buckets.errorMessage.length > 0
                          ? (root.buckets.accessDenied ? "lock" : "error")
                          : (root.buckets.filter.length > 0 ? "search" : "bucket")
                title: root.buckets.errorMessage.length > 0 ? qsTr("Cannot list buckets")
                       : root.buckets.filter.length > 0 ? qsTr("No bucket matches \"%1\"").arg(root.buckets.filter)
                       : qsTr("No buckets here yet")
                text: root.buckets.errorMessage.length > 0 ? root.buckets.errorMessage
                      : root.buckets.filter.length > 0 ? ""
                      : qsTr("Create a bucket to store objects in this region.")
                actionText: root.buckets.errorMessage.length > 0 ? qsTr("Retry")
                            : root.buckets.filter.length > 0 ? "" : qsTr("New bucket")
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
                isError: true
                iconName: "settings"
                title: qsTr("Not connected")
                text: AppController.connectionError
                actionText: qsTr("Open Settings")
                onActionTriggered: root.settingsRequested()
            }
        }
    }
}
