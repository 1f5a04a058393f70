pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Every request the app sent, newest first, live: filters by status class and operation; a
// request's details (URL, headers and signing inputs with secrets redacted, status, timing,
// retries, clock offset, error body), "Copy as curl" and, for common errors, "Explain".
// Wide: list and details side by side; narrow: the details replace the list until Back.
Page {
    id: root

    required property NetworkLogModel log
    readonly property bool split: root.width >= 760
    // The request shown in the details (-1: none).
    property real selectedId: -1
    property bool explaining: false
    // Bumped on every change of the log, so that the details follow a running request.
    property int revision: 0
    readonly property var fields: root.selectedId >= 0 && root.revision >= 0 ? root.log.details(root.selectedId) : []
    readonly property string explanation: root.selectedId >= 0 && root.revision >= 0 ? root.log.explain(root.selectedId) : ""
    readonly property list<string> classes: ["all", "ok", "4xx", "5xx", "network"]

    // Narrow: Back closes the details first. True when it did.
    function goBack(): bool {
        if (root.split || root.selectedId < 0)
            return false;
        root.selectedId = -1;
        return true;
    }
    function show(id: real): void {
        root.explaining = false;
        root.selectedId = id;
    }
    // The tour: the request most worth showing, explained when there is an explanation.
    function showFirstExplained(): void {
        const id = root.log.mostInteresting();
        if (id < 0)
            return;
        root.show(id);
        root.explaining = root.log.explain(id).length > 0;
    }
    function statusColor(statusClass: string): color {
        const dark = root.Material.theme === Material.Dark;
        if (statusClass === "ok")
            return Material.color(Material.Green, dark ? Material.Shade200 : Material.Shade800);
        if (statusClass === "4xx")
            return Material.color(Material.DeepOrange, dark ? Material.Shade200 : Material.Shade900);
        if (statusClass === "5xx" || statusClass === "network")
            return Material.color(Material.Red, dark ? Material.Shade200 : Material.Shade800);
        return root.Material.secondaryTextColor;
    }

    title: qsTr("Network")

    Connections {
        target: root.log

        function onCountChanged(): void {
            root.revision++;
        }
        function onCurlCopied(text: string): void {
            copiedNote.text = qsTr("Copied: %1").arg(text.split("\n").pop().slice(0, 60) + "…");
        }
        function onCurlFailed(message: string): void {
            copiedNote.text = message;
        }
    }

    header: Pane {
        objectName: "listHeader"
        padding: 0

        ColumnLayout {
            anchors.fill: parent
            spacing: 0

            TabBar {
                objectName: "networkFilter"
                Layout.fillWidth: true
                currentIndex: root.classes.indexOf(root.log.statusFilter)
                onCurrentIndexChanged: root.log.statusFilter = root.classes[currentIndex]

                Repeater {
                    model: [qsTr("All %1"), qsTr("OK %1"), qsTr("4xx %1"), qsTr("5xx %1"), qsTr("Net %1")]

                    TabButton {
                        required property string modelData
                        required property int index

                        // Five tabs share a phone's width: less padding than Material's.
                        leftPadding: 4
                        rightPadding: 4
                        text: modelData.arg(root.log.classCounts[root.classes[index]] || 0)
                        ToolTip.visible: hovered && index === 4
                        ToolTip.text: qsTr("Requests that got no response")
                        ToolTip.delay: 600
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 4
                spacing: 8

                ComboBox {
                    id: operationBox

                    objectName: "operationFilter"
                    Layout.fillWidth: true
                    model: [qsTr("All operations")].concat(root.log.operations)
                    currentIndex: Math.max(0, root.log.operations.indexOf(root.log.operationFilter) + 1)
                    onActivated: index => root.log.operationFilter = index === 0 ? "" : root.log.operations[index - 1]
                }
                IconButton {
                    objectName: "liveButton"
                    iconName: root.log.live ? "pause" : "play"
                    tip: root.log.live ? qsTr("Pause the list") : qsTr("Follow new requests again")
                    onClicked: root.log.live = !root.log.live
                }
                Button {
                    objectName: "clearNetworkLog"
                    flat: true
                    text: qsTr("Clear")
                    enabled: root.log.classCounts.all > 0
                    onClicked: {
                        root.selectedId = -1;
                        root.log.clear();
                    }
                }
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        ListView {
            id: list

            objectName: "networkList"
            Layout.fillHeight: true
            Layout.fillWidth: !root.split
            Layout.preferredWidth: root.split ? Math.round(root.width * 0.45) : -1
            visible: root.split || root.selectedId < 0
            clip: true
            model: root.log
            delegate: ItemDelegate {
                id: row

                required property real entryId
                required property string operation
                required property string method
                required property string target
                required property string statusText
                required property string statusClass
                required property string summary
                required property bool hasExplanation

                width: ListView.view.width
                highlighted: root.selectedId === row.entryId
                onClicked: root.show(row.entryId)

                contentItem: ColumnLayout {
                    spacing: 2

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 8

                        Label {
                            text: row.statusText
                            color: root.statusColor(row.statusClass)
                            font.weight: Font.Medium
                            elide: Text.ElideRight
                            Layout.maximumWidth: row.width * 0.45
                        }
                        Label {
                            Layout.fillWidth: true
                            text: row.method + " " + row.operation
                            elide: Text.ElideRight
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: row.target
                        elide: Text.ElideMiddle
                        font.pixelSize: 12
                        color: root.Material.secondaryTextColor
                    }
                    Label {
                        Layout.fillWidth: true
                        text: row.summary
                        elide: Text.ElideRight
                        font.pixelSize: 12
                        color: root.Material.secondaryTextColor
                    }
                }
            }
            ScrollBar.vertical: ScrollBar { }

            StatePlaceholder {
                anchors.centerIn: parent
                width: Math.min(parent.width - 48, 420)
                visible: list.count === 0
                iconName: "network"
                title: root.log.classCounts.all > 0 ? qsTr("No request matches") : qsTr("No requests yet")
                text: root.log.classCounts.all > 0 ? qsTr("Other requests are under All and All operations.")
                                                  : qsTr("Every request the app sends appears here as it happens, with what was signed and what came back.")
            }
        }
        Rectangle {
            visible: root.split
            Layout.preferredWidth: 1
            Layout.fillHeight: true
            color: root.Material.dividerColor
        }
        ScrollView {
            id: detailsView

            objectName: "networkDetails"
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: root.split || root.selectedId >= 0
            contentWidth: availableWidth
            clip: true

            ColumnLayout {
                id: detailsColumn

                width: detailsView.availableWidth
                spacing: 8

                Label {
                    Layout.fillWidth: true
                    Layout.margins: 16
                    visible: root.selectedId < 0
                    text: qsTr("Choose a request to see what was sent and what came back.")
                    wrapMode: Text.Wrap
                    color: root.Material.secondaryTextColor
                }
                Flow {
                    Layout.fillWidth: true
                    Layout.leftMargin: 12
                    Layout.rightMargin: 12
                    Layout.topMargin: 8
                    visible: root.selectedId >= 0
                    spacing: 8

                    Button {
                        objectName: "backToList"
                        visible: !root.split
                        flat: true
                        text: qsTr("All requests")
                        onClicked: root.selectedId = -1
                    }
                    Button {
                        objectName: "copyAsCurl"
                        text: qsTr("Copy as curl")
                        onClicked: root.log.copyAsCurl(root.selectedId)
                    }
                    Button {
                        objectName: "explainButton"
                        visible: root.explanation.length > 0
                        checkable: true
                        checked: root.explaining
                        text: qsTr("Explain")
                        onToggled: root.explaining = checked
                    }
                }
                Label {
                    id: copiedNote

                    objectName: "copiedNote"
                    Layout.fillWidth: true
                    Layout.leftMargin: 16
                    Layout.rightMargin: 16
                    visible: root.selectedId >= 0 && text.length > 0
                    wrapMode: Text.WrapAnywhere
                    font.pixelSize: 12
                    color: root.Material.secondaryTextColor
                }
                Label {
                    objectName: "explanation"
                    Layout.fillWidth: true
                    Layout.leftMargin: 16
                    Layout.rightMargin: 16
                    visible: root.explaining && root.explanation.length > 0
                    text: root.explanation
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                    font.family: root.explanation.indexOf("\n") >= 0 ? "monospace" : root.font.family
                }
                Repeater {
                    model: root.fields

                    ColumnLayout {
                        id: fieldItem

                        required property var modelData

                        Layout.fillWidth: true
                        Layout.leftMargin: 16
                        Layout.rightMargin: 16
                        spacing: 2

                        Label {
                            Layout.fillWidth: true
                            text: fieldItem.modelData.label
                            font.pixelSize: 12
                            color: root.Material.secondaryTextColor
                        }
                        Label {
                            Layout.fillWidth: true
                            text: fieldItem.modelData.value
                            textFormat: Text.PlainText
                            wrapMode: Text.WrapAnywhere
                            font.family: fieldItem.modelData.mono ? "monospace" : root.font.family
                            font.pixelSize: fieldItem.modelData.mono ? 12 : 14
                        }
                    }
                }
                Item {
                    Layout.preferredHeight: 16
                }
            }
        }
    }
}
