pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// New bucket: name (checked live against the COS rules, -APPID added), region and ACL.
AppDialog {
    id: root

    required property RegionListModel regions
    property string region: ""

    readonly property string nameError: nameField.text.length > 0
                                        ? AppController.validateBucketName(nameField.text) : ""
    readonly property bool s3: AppController.settings.dialect === "s3"

    function openFor(regionId: string): void {
        nameField.text = "";
        root.region = regionId.length > 0 ? regionId : AppController.settings.defaultRegion;
        aclBox.currentIndex = 0;
        root.open();
        nameField.forceActiveFocus();
    }

    title: qsTr("New bucket")
    width: Math.min(parent ? parent.width - 32 : 420, 460)
    standardButtons: Dialog.Cancel | Dialog.Ok

    onAccepted: AppController.createBucket(nameField.text, root.region,
                                           aclBox.currentValue)
    Component.onCompleted: {
        const ok = root.standardButton(Dialog.Ok);
        ok.text = qsTr("Create");
        ok.enabled = Qt.binding(() => nameField.text.length > 0 && root.nameError.length === 0);
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        Label {
            text: qsTr("Name")
            font.pixelSize: 12
            color: Material.secondaryTextColor
        }
        TextField {
            id: nameField

            objectName: "bucketNameField"
            Layout.fillWidth: true
            placeholderText: qsTr("e.g. photos-2026")
            selectByMouse: true
            inputMethodHints: Qt.ImhLowercaseOnly | Qt.ImhNoPredictiveText
        }
        FieldError {
            Layout.fillWidth: true
            text: root.nameError
        }
        Label {
            Layout.fillWidth: true
            visible: !root.s3 && nameField.text.length > 0 && root.nameError.length === 0
            text: qsTr("Full name: %1").arg(AppController.fullBucketName(nameField.text))
            color: Material.secondaryTextColor
            font.pixelSize: 12
            elide: Text.ElideMiddle
        }
        Label {
            Layout.fillWidth: true
            visible: !root.s3
            text: qsTr("Lower-case letters, digits and '-'; at most 50 characters including the -APPID suffix, which is added for you.")
            wrapMode: Text.Wrap
            color: Material.secondaryTextColor
            font.pixelSize: 12
        }
        Label {
            Layout.topMargin: 8
            visible: !root.s3
            text: qsTr("Region")
            font.pixelSize: 12
            color: Material.secondaryTextColor
        }
        ComboBox {
            id: regionBox

            Layout.fillWidth: true
            visible: !root.s3
            model: root.regions
            textRole: "name"
            valueRole: "regionId"
            currentIndex: Math.max(1, root.regions.indexOf(root.region))
            onActivated: root.region = regionBox.currentValue
        }
        Label {
            Layout.topMargin: 8
            text: qsTr("Access")
            font.pixelSize: 12
            color: Material.secondaryTextColor
        }
        ComboBox {
            id: aclBox

            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [
                { value: "private", text: qsTr("Private (recommended)") },
                { value: "public-read", text: qsTr("Public read") },
                { value: "public-read-write", text: qsTr("Public read and write (not recommended)") }
            ]
        }
    }
}
