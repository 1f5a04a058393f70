import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// Asks for the name of a new folder in the open folder; the name is checked once edited.
AppDialog {
    id: root

    property bool edited: false
    readonly property string problem: AppController.validateFolderName(nameField.text)

    function ask(): void {
        nameField.text = "";
        root.edited = false;
        root.open();
        nameField.forceActiveFocus();
    }

    title: qsTr("New folder")
    width: Math.min(parent ? parent.width - 32 : 400, 440)
    standardButtons: Dialog.Cancel | Dialog.Ok

    onAccepted: AppController.createFolder(nameField.text)
    Component.onCompleted: {
        const ok = root.standardButton(Dialog.Ok);
        ok.text = qsTr("Create");
        ok.enabled = Qt.binding(() => root.problem.length === 0);
    }

    ColumnLayout {
        width: parent.width
        spacing: 4

        FieldLabel {
            text: qsTr("Folder name")
        }
        TextField {
            id: nameField

            objectName: "folderName"
            Layout.fillWidth: true
            onTextEdited: root.edited = true
            onAccepted: {
                if (root.problem.length === 0)
                    root.accept();
            }
        }
        // Always laid out (an empty line until there is something to say): the dialog keeps
        // its height while typing.
        FieldError {
            objectName: "folderNameError"
            Layout.fillWidth: true
            visible: true
            text: root.edited && root.problem.length > 0 ? root.problem : " "
        }
    }
}
