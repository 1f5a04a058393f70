pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Everything about one object: the full key (names are elided in the list), and what HEAD
// reports (size, ETag, content type, storage class, CRC64, user metadata); download and a
// link with a chosen expiry.
AppDialog {
    id: root

    property string key: ""
    property string name: ""
    property bool isFolder: false
    property bool loading: false
    property string error: ""
    property var details: ({})
    // The last link made here (Copy link), shown as a QR code for phones.
    property string link: ""
    property bool linkRequested: false

    signal downloadRequested(string key)

    function show(objectKey: string, objectName: string, folder: bool): void {
        root.key = objectKey;
        root.name = objectName;
        root.isFolder = folder;
        root.details = {};
        root.error = "";
        root.link = "";
        root.linkRequested = false;
        root.loading = !folder;
        root.open();
        if (!folder)
            AppController.fetchDetails(objectKey);
    }

    title: root.isFolder ? qsTr("Folder") : qsTr("Object details")
    width: Math.min(parent ? parent.width - 32 : 480, 520)
    standardButtons: Dialog.Close

    Connections {
        target: AppController

        function onDetailsFetched(key: string, details: var): void {
            if (key !== root.key)
                return;
            root.loading = false;
            root.details = details;
        }
        function onLinkCopied(url: string): void {
            if (root.opened && root.linkRequested) {
                root.link = url;
                root.linkRequested = false;
            }
        }
        function onDetailsFailed(key: string, message: string): void {
            if (key !== root.key)
                return;
            root.loading = false;
            root.error = message;
        }
    }

    contentItem: ScrollView {
        id: scroll

        implicitHeight: Math.min(body.implicitHeight, root.parent ? root.parent.height * 0.6 : 480)
        contentWidth: availableWidth
        clip: true

        ColumnLayout {
            id: body

            width: scroll.availableWidth
            spacing: 8

            Label {
                objectName: "detailsName"
                Layout.fillWidth: true
                text: root.name
                wrapMode: Text.WrapAnywhere
                textFormat: Text.PlainText
                horizontalAlignment: Text.AlignLeft
                font.pixelSize: 16
                font.weight: Font.Medium
            }
            GridLayout {
                Layout.fillWidth: true
                columns: 2
                columnSpacing: 12
                rowSpacing: 6

                Repeater {
                    model: [
                        [qsTr("Key"), root.key],
                        [qsTr("Size"), root.details.sizeText || ""],
                        [qsTr("Modified"), root.details.modified || ""],
                        [qsTr("Content type"), root.details.contentType || ""],
                        [qsTr("ETag"), root.details.etag || ""],
                        [qsTr("Storage class"), root.details.storageClass || ""],
                        [qsTr("CRC64"), root.details.crc64 || ""],
                        [qsTr("Metadata"), root.details.metadata || ""]
                    ].filter(row => row[1].length > 0)

                    delegate: RowLayout {
                        id: row

                        required property var modelData

                        Layout.columnSpan: 2
                        Layout.fillWidth: true
                        spacing: 12

                        Label {
                            Layout.preferredWidth: 96
                            Layout.alignment: Qt.AlignTop
                            text: row.modelData[0]
                            color: Material.secondaryTextColor
                            font.pixelSize: 12
                        }
                        Label {
                            Layout.fillWidth: true
                            text: row.modelData[1]
                            wrapMode: Text.WrapAnywhere
                            textFormat: Text.PlainText
                            horizontalAlignment: Text.AlignLeft
                            font.pixelSize: 13
                        }
                    }
                }
            }
            BusyIndicator {
                Layout.alignment: Qt.AlignHCenter
                running: root.loading
                visible: running
            }
            FieldError {
                Layout.fillWidth: true
                text: root.error
            }
            RowLayout {
                Layout.fillWidth: true
                visible: !root.isFolder
                spacing: 8

                ComboBox {
                    id: expiryBox

                    objectName: "linkExpiryBox"
                    Layout.fillWidth: true
                    textRole: "text"
                    valueRole: "seconds"
                    currentIndex: 1
                    model: [
                        { seconds: 300, text: qsTr("Link valid 5 minutes") },
                        { seconds: 3600, text: qsTr("Link valid 1 hour") },
                        { seconds: 86400, text: qsTr("Link valid 1 day") },
                        { seconds: 604800, text: qsTr("Link valid 7 days") }
                    ]
                    // A code of another expiry would mislead.
                    onActivated: root.link = ""
                }
                Button {
                    objectName: "copyLinkButton"
                    text: qsTr("Copy link")
                    flat: true
                    onClicked: {
                        root.linkRequested = true;
                        AppController.copyLink(root.key, expiryBox.currentValue);
                    }
                }
            }
            Image {
                id: qrCode

                objectName: "linkQrCode"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: 200
                Layout.preferredHeight: 200
                visible: root.link.length > 0
                source: root.link.length > 0 ? QrCode.source(root.link) : ""
                sourceSize: Qt.size(200, 200)
                fillMode: Image.PreserveAspectFit
                smooth: false
            }
            Label {
                objectName: "linkQrHint"
                Layout.fillWidth: true
                visible: root.link.length > 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: qrCode.status === Image.Error ? QrCode.errorFor(root.link)
                      : qsTr("Scan to open the link on a phone (%1).").arg(expiryBox.currentText.toLowerCase())
                color: Material.secondaryTextColor
                font.pixelSize: 12
            }
            Button {
                objectName: "detailsDownloadButton"
                visible: !root.isFolder
                text: qsTr("Download…")
                flat: true
                onClicked: {
                    root.close();
                    root.downloadRequested(root.key);
                }
            }
        }
    }
}
