pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// A look at one object without downloading it: an image scaled to fit, or a text file (up to
// 1 MiB, its encoding detected); anything else, or a failure, says why and offers the details.
AppDialog {
    id: root

    property string region: ""
    property string bucket: ""
    property string key: ""
    property string name: ""
    property real size: 0
    // "image" or "text" (PreviewProvider.kindName)
    property string kind: ""
    property bool loading: false
    property string text: ""
    property string encoding: ""
    property string error: ""

    signal detailsRequested(string key, string name)
    signal downloadRequested(string key)

    function show(objectRegion: string, objectBucket: string, objectKey: string,
                  objectName: string, objectSize: real): void {
        root.region = objectRegion;
        root.bucket = objectBucket;
        root.key = objectKey;
        root.name = objectName;
        root.size = objectSize;
        root.kind = AppController.previews.kindName(objectKey);
        root.text = "";
        root.encoding = "";
        root.error = "";
        root.loading = root.kind === "text";
        root.open();
        if (root.kind === "text")
            AppController.previews.loadText(objectRegion, objectBucket, objectKey, objectSize);
    }

    title: root.name
    width: Math.min(parent ? parent.width - 32 : 640, 960)
    height: Math.min(parent ? parent.height - 48 : 640, 760)
    standardButtons: Dialog.Close
    onClosed: {
        // Frees the image and the text.
        root.kind = "";
        root.text = "";
    }

    Connections {
        target: AppController.previews

        function onTextLoaded(key: string, text: string, encoding: string): void {
            if (key !== root.key || root.kind !== "text")
                return;
            root.loading = false;
            root.text = text;
            root.encoding = encoding;
        }
        function onTextFailed(key: string, message: string): void {
            if (key !== root.key || root.kind !== "text")
                return;
            root.loading = false;
            root.error = message;
        }
    }

    contentItem: ColumnLayout {
        spacing: 8

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 120

            Image {
                id: image

                objectName: "previewImage"
                anchors.fill: parent
                visible: root.kind === "image"
                source: root.kind === "image" && root.opened
                        ? AppController.previews.imageUrl(root.region, root.bucket, root.key, root.size) : ""
                // Decoded at most this large, whatever the object's pixel count.
                sourceSize: Qt.size(2048, 2048)
                fillMode: Image.PreserveAspectFit
                asynchronous: true
                cache: false
            }
            ScrollView {
                id: textScroll

                anchors.fill: parent
                visible: root.kind === "text" && root.text.length > 0
                clip: true

                TextArea {
                    objectName: "previewText"
                    text: root.text
                    readOnly: true
                    selectByMouse: true
                    wrapMode: TextEdit.Wrap
                    textFormat: TextEdit.PlainText
                    font.family: "monospace"
                    font.pixelSize: 13
                    background: null
                }
            }
            BusyIndicator {
                anchors.centerIn: parent
                running: root.loading || (root.kind === "image" && image.status === Image.Loading)
                visible: running
            }
            Label {
                objectName: "previewMessage"
                anchors.centerIn: parent
                width: Math.min(parent.width - 32, 420)
                visible: text.length > 0
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: root.error.length > 0 ? root.error
                      : root.kind === "image" && image.status === Image.Error
                        ? AppController.previews.imageError(image.source.toString())
                      : root.kind === "text" && !root.loading && root.text.length === 0 ? qsTr("This file is empty.")
                      : root.kind === "" && root.opened ? qsTr("No preview for this type of file.")
                      : ""
            }
        }
        Label {
            objectName: "previewInfo"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.kind === "image" && image.status === Image.Ready
                  ? qsTr("Image, shown at %1 × %2").arg(image.implicitWidth).arg(image.implicitHeight)
                  : root.encoding.length > 0 ? qsTr("Text, %1").arg(root.encoding) : ""
            color: Material.secondaryTextColor
            elide: Text.ElideRight
        }
        RowLayout {
            Layout.alignment: Qt.AlignRight
            spacing: 8

            Button {
                objectName: "previewDetailsButton"
                text: qsTr("Details…")
                flat: true
                onClicked: {
                    root.close();
                    root.detailsRequested(root.key, root.name);
                }
            }
            Button {
                objectName: "previewDownloadButton"
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
