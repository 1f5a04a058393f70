import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts

// One folder or object: icon, name, and size, type and date (in columns when wide).
ItemDelegate {
    id: root

    required property int index
    required property string key
    required property string name
    required property bool isFolder
    required property string sizeText
    required property real size
    required property string modified
    required property string typeName
    required property string iconName
    // image://cospreview/ URL for image objects; loaded only while the row exists (in view).
    required property string thumbnail
    property bool wide: false
    // Column widths, shared with the list header of the page so both line up.
    property int typeWidth: 120
    property int sizeWidth: 90
    property int dateWidth: 130
    property int gap: 12
    property int menuWidth: 40
    // Multi-select: this row is picked; the list is in selection mode (rows show checkboxes).
    property bool selected: false
    property bool selecting: false

    signal menuRequested(Item anchor)
    // Ctrl-click, the checkbox, a long press (touch) or a tap in selection mode.
    signal toggleRequested()
    // Shift-click: from the last toggled row to this one.
    signal rangeRequested()

    // Dense rows on the desktop, touch-sized (48 px) on a phone.
    implicitHeight: root.wide ? 40 : 48
    topPadding: 0
    bottomPadding: 0
    leftPadding: 16
    rightPadding: 4
    // Names are elided in the row; the desktop shows the full key on hover (touch: details).
    ToolTip.visible: root.wide && root.hovered && nameLabel.truncated
    ToolTip.text: root.key
    ToolTip.delay: 500
    Accessible.name: root.isFolder ? qsTr("Folder %1").arg(root.name) : qsTr("File %1").arg(root.name)
    highlighted: root.selected
    onPressAndHold: root.toggleRequested()
    // A plain background instead of Material's, whose Ripple makes every row a circle as wide
    // as the row: under the software renderer each is a pixmap of width x width pixels (1280 x
    // 1280 x 4 bytes per row at desktop width, 150 MiB for a page on screen).
    background: Rectangle {
        color: root.highlighted ? root.Material.listHighlightColor
               : root.down || root.hovered ? root.Material.rippleColor
               : "transparent"
    }

    // A plain click or tap (not one with Ctrl or Shift, which select).
    signal activated()

    property bool modifierTap: false
    onClicked: {
        if (root.modifierTap)
            root.modifierTap = false;
        else
            root.activated();
    }
    // The handlers see the tap before the delegate's clicked(), which then does nothing. (With
    // an exclusive grab they would not get the tap at all: the delegate takes the press.)
    TapHandler {
        acceptedModifiers: Qt.ControlModifier
        onTapped: {
            root.modifierTap = true;
            root.toggleRequested();
        }
    }
    TapHandler {
        acceptedModifiers: Qt.ShiftModifier
        onTapped: {
            root.modifierTap = true;
            root.rangeRequested();
        }
    }

    contentItem: RowLayout {
        spacing: root.gap

        // The icon; a checkbox in its place in selection mode and, on the desktop, on hover.
        Item {
            Layout.preferredWidth: 24
            Layout.preferredHeight: 24

            Icon {
                anchors.fill: parent
                // The icon stays until the thumbnail is ready (and when it fails).
                visible: !checkBox.visible && thumb.status !== Image.Ready
                name: root.iconName
                color: root.isFolder ? Material.color(Material.Amber, Material.Shade700)
                                     : Material.color(Material.BlueGrey)
            }
            CheckBox {
                id: checkBox

                objectName: "selectBox"
                anchors.centerIn: parent
                visible: root.selecting || root.selected || (root.wide && root.hovered)
                checked: root.selected
                padding: 0
                Accessible.name: qsTr("Select %1").arg(root.name)
                onClicked: {
                    checkBox.checked = Qt.binding(() => root.selected);
                    root.toggleRequested();
                }
            }
            Image {
                id: thumb

                objectName: "thumbnail"
                // A little larger than the icon, over the padding, so the columns keep their
                // places.
                anchors.centerIn: parent
                width: 32
                height: 32
                source: root.thumbnail
                sourceSize: Qt.size(64, 64)
                fillMode: Image.PreserveAspectCrop
                asynchronous: true
                clip: true
                visible: status === Image.Ready && !checkBox.visible
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0

            Label {
                id: nameLabel

                objectName: "nameLabel"
                Layout.fillWidth: true
                text: root.name
                elide: Text.ElideMiddle
                // Column alignment also for right-to-left names (their text still runs RTL).
                horizontalAlignment: Text.AlignLeft
            }
            Label {
                Layout.fillWidth: true
                visible: !root.wide
                text: root.isFolder ? root.typeName
                                    : [root.sizeText, root.modified].filter(s => s.length > 0).join(" · ")
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignLeft
            }
        }
        Label {
            objectName: "typeLabel"
            visible: root.wide
            Layout.preferredWidth: root.typeWidth
            text: root.typeName
            color: Material.secondaryTextColor
            elide: Text.ElideRight
        }
        Label {
            objectName: "sizeLabel"
            visible: root.wide
            Layout.preferredWidth: root.sizeWidth
            horizontalAlignment: Text.AlignRight
            text: root.sizeText
            color: Material.secondaryTextColor
        }
        Label {
            objectName: "dateLabel"
            visible: root.wide
            Layout.preferredWidth: root.dateWidth
            horizontalAlignment: Text.AlignRight
            text: root.modified
            color: Material.secondaryTextColor
        }
        IconButton {
            id: menuButton

            Layout.preferredWidth: root.menuWidth
            iconName: "more"
            tip: qsTr("Actions")
            onClicked: root.menuRequested(menuButton)
        }
    }
}
