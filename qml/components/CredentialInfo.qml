import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// The keys the app signs with now (AppController.credentialInfo): source, masked key id,
// expiry and, for the embedded signer, the granted bucket, prefix and actions.
ColumnLayout {
    id: root

    required property var info

    objectName: "credentialInfo"
    visible: root.info.source !== undefined
    spacing: 2

    Label {
        Layout.fillWidth: true
        text: qsTr("In use now")
        color: Material.secondaryTextColor
        font.pixelSize: 12
    }
    Label {
        objectName: "credentialInfoText"
        Layout.fillWidth: true
        wrapMode: Text.Wrap
        textFormat: Text.PlainText
        text: {
            const lines = [qsTr("Source: %1").arg(root.info.source)];
            if (root.info.keyId !== undefined)
                lines.push(qsTr("Key id: %1").arg(root.info.keyId));
            if (root.info.temporary === true)
                lines.push(qsTr("Temporary keys, valid until %1").arg(root.info.expires));
            else if (root.info.temporary === false)
                lines.push(qsTr("Permanent key (does not expire)"));
            if (root.info.granted)
                lines.push(qsTr("Granted: %1").arg(root.info.granted));
            return lines.join("\n");
        }
    }
}
