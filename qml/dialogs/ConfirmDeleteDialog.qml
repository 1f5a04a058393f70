import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Asks before deleting an object or a whole folder; deleting cannot be undone.
AppDialog {
    id: root

    property string key: ""
    property string name: ""
    property bool isFolder: false

    function ask(objectKey: string, objectName: string, folder: bool): void {
        root.key = objectKey;
        root.name = objectName;
        root.isFolder = folder;
        root.open();
    }

    title: root.isFolder ? qsTr("Delete folder?") : qsTr("Delete object?")
    width: Math.min(parent ? parent.width - 32 : 400, 440)
    standardButtons: Dialog.Cancel | Dialog.Ok

    onAccepted: AppController.deleteObject(root.key, root.isFolder)
    Component.onCompleted: {
        const ok = root.standardButton(Dialog.Ok);
        ok.text = qsTr("Delete");
        ok.Material.foreground = Qt.binding(() => Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800));
    }

    Label {
        width: parent.width
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
        text: root.isFolder
              ? qsTr("\"%1\" and every object in it will be deleted from the bucket. This cannot be undone.").arg(root.name)
              : qsTr("\"%1\" will be deleted from the bucket. This cannot be undone.").arg(root.name)
    }
}
