import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Rename, copy or move an object or a folder on the server (server-side copy): asks for the
// new name, or for the destination folder in the bucket; checked once edited.
AppDialog {
    id: root

    // "rename", "copy" or "move"
    property string mode: "rename"
    property string key: ""
    property string name: ""
    property bool isFolder: false
    property bool edited: false
    readonly property string problem: root.mode === "rename"
                                      ? (valueField.text === root.name ? qsTr("Enter a new name.")
                                                                       : AppController.actions.validateName(valueField.text))
                                      : AppController.actions.validateDestination(root.key, root.isFolder, valueField.text)

    function ask(action: string, objectKey: string, objectName: string, folder: bool, currentFolder: string): void {
        root.mode = action;
        root.key = objectKey;
        root.name = objectName;
        root.isFolder = folder;
        valueField.text = action === "rename" ? objectName : currentFolder;
        root.edited = false;
        root.open();
        valueField.forceActiveFocus();
        if (action === "rename")
            valueField.select(0, objectName.lastIndexOf(".") > 0 && !folder ? objectName.lastIndexOf(".") : objectName.length);
    }

    title: root.mode === "rename" ? (root.isFolder ? qsTr("Rename folder") : qsTr("Rename"))
           : root.mode === "copy" ? qsTr("Copy \"%1\" to").arg(root.name)
           : qsTr("Move \"%1\" to").arg(root.name)
    width: Math.min(parent ? parent.width - 32 : 400, 440)
    standardButtons: Dialog.Cancel | Dialog.Ok

    onAccepted: {
        if (root.mode === "rename")
            AppController.actions.rename(root.key, root.isFolder, valueField.text);
        else if (root.mode === "copy")
            AppController.actions.copyTo(root.key, root.isFolder, valueField.text);
        else
            AppController.actions.moveTo(root.key, root.isFolder, valueField.text);
    }
    Component.onCompleted: {
        const ok = root.standardButton(Dialog.Ok);
        ok.text = Qt.binding(() => root.mode === "rename" ? qsTr("Rename") : root.mode === "copy" ? qsTr("Copy") : qsTr("Move"));
        ok.enabled = Qt.binding(() => root.problem.length === 0 && !AppController.actions.copying);
    }

    ColumnLayout {
        width: parent.width
        spacing: 4

        FieldLabel {
            text: root.mode === "rename" ? qsTr("New name") : qsTr("Folder in the bucket (empty: the top level)")
        }
        TextField {
            id: valueField

            objectName: "moveValue"
            Layout.fillWidth: true
            placeholderText: root.mode === "rename" ? "" : "photos/2026/"
            onTextEdited: root.edited = true
            onAccepted: {
                if (root.problem.length === 0)
                    root.accept();
            }
        }
        FieldError {
            objectName: "moveError"
            Layout.fillWidth: true
            visible: true
            text: root.edited && root.problem.length > 0 ? root.problem : " "
        }
        Label {
            Layout.fillWidth: true
            visible: root.isFolder
            wrapMode: Text.Wrap
            color: Material.secondaryTextColor
            font.pixelSize: 12
            text: root.mode === "copy" ? qsTr("Every object in the folder is copied on the server.")
                                       : qsTr("Every object in the folder is copied on the server, then deleted here.")
        }
    }
}
