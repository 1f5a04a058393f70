import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// A filter or search field with a search icon and a clear button.
TextField {
    id: root

    // The clear button emptied the field (a programmatic change, so no textEdited()).
    signal cleared()

    leftPadding: 36
    rightPadding: root.text.length > 0 ? 36 : 8
    selectByMouse: true
    inputMethodHints: Qt.ImhNoPredictiveText

    Icon {
        anchors.left: parent.left
        anchors.leftMargin: 8
        anchors.verticalCenter: parent.verticalCenter
        width: 20
        height: 20
        name: "search"
        color: Material.hintTextColor
    }
    IconButton {
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        visible: root.text.length > 0
        iconName: "close"
        tip: qsTr("Clear filter")
        onClicked: {
            root.clear();
            root.cleared();
        }
    }
}
