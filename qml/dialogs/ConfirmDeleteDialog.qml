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
    // A multi-selection: how many items, of which folders (0: one object, see ask()).
    property int selectionCount: 0
    property int selectionFolders: 0
    // A bucket (its name; "" otherwise) and its region.
    property string bucket: ""
    property string region: ""

    function ask(objectKey: string, objectName: string, folder: bool): void {
        root.selectionCount = 0;
        root.bucket = "";
        root.key = objectKey;
        root.name = objectName;
        root.isFolder = folder;
        root.open();
    }
    function askSelection(count: int, folders: int): void {
        root.bucket = "";
        root.selectionCount = count;
        root.selectionFolders = folders;
        root.open();
    }

    function askBucket(name: string, bucketRegion: string): void {
        root.selectionCount = 0;
        root.bucket = name;
        root.region = bucketRegion;
        root.open();
    }

    title: root.bucket.length > 0 ? qsTr("Delete bucket?")
           : root.selectionCount > 0 ? qsTr("Delete %n item(s)?", "", root.selectionCount)
           : root.isFolder ? qsTr("Delete folder?") : qsTr("Delete object?")
    width: Math.min(parent ? parent.width - 32 : 400, 440)
    standardButtons: Dialog.Cancel | Dialog.Ok

    onAccepted: {
        if (root.bucket.length > 0)
            AppController.actions.deleteBucket(root.bucket, root.region);
        else if (root.selectionCount > 0)
            AppController.actions.deleteSelection();
        else
            AppController.deleteObject(root.key, root.isFolder);
    }
    Component.onCompleted: {
        const ok = root.standardButton(Dialog.Ok);
        ok.text = qsTr("Delete");
        ok.Material.foreground = Qt.binding(() => Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800));
    }

    Label {
        width: parent.width
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
        text: root.bucket.length > 0
              ? qsTr("The bucket \"%1\" will be deleted. Only an empty bucket can be deleted; this cannot be undone.").arg(root.bucket)
              : root.selectionCount > 0
              ? (root.selectionFolders > 0
                 ? qsTr("%n selected item(s), including every object in the selected folders, will be deleted from the bucket. This cannot be undone.", "", root.selectionCount)
                 : qsTr("%n selected object(s) will be deleted from the bucket. This cannot be undone.", "", root.selectionCount))
              : root.isFolder
              ? qsTr("\"%1\" and every object in it will be deleted from the bucket. This cannot be undone.").arg(root.name)
              : qsTr("\"%1\" will be deleted from the bucket. This cannot be undone.").arg(root.name)
    }
}
