pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Dialogs
import QtQuick.Layouts
import CosDemo

// One folder of a bucket: breadcrumbs, filter, upload, and the list that pages as it scrolls.
Page {
    id: root

    required property ObjectListModel objects
    property bool wide: false
    // Multi-select and batches (AppController.actions).
    readonly property ObjectActions actions: AppController.actions
    readonly property ObjectSelection selection: AppController.actions.selection

    signal settingsRequested()

    // Proportional columns (desktop), shared by the list header and the rows.
    readonly property int typeWidth: Math.max(90, Math.min(200, root.width * 0.14))
    readonly property int sizeWidth: Math.max(72, Math.min(120, root.width * 0.08))
    readonly property int dateWidth: Math.max(130, Math.min(170, root.width * 0.13))

    title: root.objects.bucket.length > 0 ? root.objects.bucket : qsTr("Objects")

    // Goes one folder up; false at the bucket root (the caller then leaves the page).
    function goUp(): bool {
        return root.objects.goUp();
    }

    // Entry points of the dialogs (the row menu, the toolbar and the tests use them).
    function openUploadDialog(): void {
        uploadDialog.open();
    }
    // @p key: a file, a folder (ends with "/"), or "" for the selection.
    function openDownloadDialog(key: string): void {
        folderDialog.key = key;
        folderDialog.open();
    }
    function openUploadFolderDialog(): void {
        uploadFolderDialog.open();
    }
    // @p action: "rename", "copy" or "move".
    function askMove(action: string, key: string, name: string, isFolder: bool): void {
        moveDialog.ask(action, key, name, isFolder, root.objects.prefix);
    }
    function confirmDeleteSelection(): void {
        deleteDialog.askSelection(root.selection.count, root.selection.folderCount);
    }
    function confirmDelete(key: string, name: string, isFolder: bool): void {
        deleteDialog.ask(key, name, isFolder);
    }
    function showDetails(key: string, name: string, isFolder: bool): void {
        detailsDialog.show(key, name, isFolder);
    }
    // Images and text open in the preview, other files in the details.
    function openObject(key: string, name: string, size: real): void {
        if (AppController.previews.kindName(key).length > 0)
            previewDialog.show(root.objects.region, root.objects.bucket, key, name, size);
        else
            root.showDetails(key, name, false);
    }

    // The row menu of the first file in view (the screenshot tour shows it).
    function openFirstFileMenu(): void {
        for (let i = 0; i < list.count; ++i) {
            const row = list.itemAtIndex(i);
            if (row && !row.isFolder) {
                root.openMenu(row, row.key, row.name, false);
                return;
            }
        }
    }
    function firstFileDetails(): void {
        for (let i = 0; i < list.count; ++i) {
            const row = list.itemAtIndex(i);
            if (row && !row.isFolder) {
                root.showDetails(row.key, row.name, false);
                return;
            }
        }
    }
    // The preview of the first image or text file in view (the screenshot tour shows it).
    function firstPreview(): void {
        for (let i = 0; i < list.count; ++i) {
            const row = list.itemAtIndex(i);
            if (row && !row.isFolder && AppController.previews.kindName(row.key).length > 0) {
                root.openObject(row.key, row.name, row.size);
                return;
            }
        }
    }

    // Selection mode with the first @p n rows picked (the screenshot tour shows it).
    function selectFirstRows(n: int): void {
        root.selection.clear();
        if (list.count === 0)
            return;
        const first = list.itemAtIndex(0);
        root.selection.toggle(first.key, first.isFolder);
        root.selection.extendTo(Math.min(n, list.count) - 1);
    }

    function closePopups(): void {
        root.selection.clear();
        for (const popup of [objectMenu, deleteDialog, detailsDialog, folderNameDialog, sortMenu, moveDialog, previewDialog])
            popup.close();
        uploadDialog.close();
        uploadFolderDialog.close();
        folderDialog.close();
    }

    function sortBy(key: string): void {
        if (root.objects.sortKey === key)
            root.objects.sortDescending = !root.objects.sortDescending;
        else {
            root.objects.sortKey = key;
            root.objects.sortDescending = key !== "name";
        }
    }
    function sortMark(key: string): string {
        return root.objects.sortKey !== key ? "" : root.objects.sortDescending ? " ↓" : " ↑";
    }

    function openMenu(anchorItem: Item, key: string, name: string, isFolder: bool): void {
        objectMenu.key = key;
        objectMenu.name = name;
        objectMenu.isFolder = isFolder;
        objectMenu.popup(anchorItem, 0, anchorItem.height);
    }

    // A plain pane, not a ToolBar: a Material ToolBar turns its text and icons white.
    header: Pane {
        padding: 0
        visible: root.objects.bucket.length > 0

        ColumnLayout {
            anchors.fill: parent
            spacing: 0

            // In selection mode the selection's commands take the toolbar's place.
            SelectionBar {
                objectName: "selectionBar"
                Layout.fillWidth: true
                visible: root.selection.count > 0
                count: root.selection.count
                canModify: AppController.canModify && !root.actions.deleting
                onCloseRequested: root.selection.clear()
                onSelectAllRequested: root.selection.selectAll()
                onDownloadRequested: root.openDownloadDialog("")
                onDeleteRequested: root.confirmDeleteSelection()
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 4
                visible: root.selection.count === 0
                spacing: 0

                Breadcrumbs {
                    id: crumbs

                    objectName: "breadcrumbs"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 44
                    crumbs: root.objects.breadcrumbs
                    onLevelClicked: level => root.objects.openLevel(level)
                }
                IconButton {
                    iconName: "refresh"
                    tip: qsTr("Refresh")
                    enabled: !root.objects.loading
                    onClicked: root.objects.reload()
                }
                IconButton {
                    id: sortButton

                    objectName: "sortButton"
                    iconName: "sort"
                    tip: qsTr("Sort")
                    visible: !root.wide
                    onClicked: sortMenu.popup(sortButton, 0, sortButton.height)
                }
                IconButton {
                    objectName: "newFolderButton"
                    iconName: "newfolder"
                    tip: qsTr("New folder")
                    enabled: AppController.canModify
                    onClicked: folderNameDialog.ask()
                }
                IconButton {
                    objectName: "uploadButton"
                    iconName: "upload"
                    tip: qsTr("Upload files")
                    enabled: AppController.canModify
                    onClicked: root.openUploadDialog()
                }
                IconButton {
                    objectName: "uploadFolderButton"
                    iconName: "folderupload"
                    tip: qsTr("Upload a folder")
                    enabled: AppController.canModify
                    onClicked: root.openUploadFolderDialog()
                }
            }
            SearchField {
                id: filterField

                objectName: "objectFilter"
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
                Layout.bottomMargin: 4
                placeholderText: qsTr("Filter by name")
                text: root.objects.filter
                onTextEdited: root.objects.filter = filterField.text
            }
            // The same paddings and widths as ObjectDelegate: 16 + icon 24 + gap on the left,
            // gap + menu button 40 + 4 on the right.
            RowLayout {
                objectName: "listHeader"
                Layout.fillWidth: true
                Layout.leftMargin: 16 + 24 + 12
                Layout.rightMargin: 12 + 40 + 4
                Layout.preferredHeight: 28
                visible: root.wide && list.count > 0
                spacing: 12

                Label {
                    objectName: "nameHeader"
                    // A click sorts by this column; a second click turns the order around.
                    TapHandler {
                        onTapped: root.sortBy("name")
                    }
                    Layout.fillWidth: true
                    text: qsTr("Name") + root.sortMark("name")
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                }
                Label {
                    objectName: "typeHeader"
                    Layout.preferredWidth: root.typeWidth
                    text: qsTr("Type")
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                }
                Label {
                    objectName: "sizeHeader"
                    // A click sorts by this column; a second click turns the order around.
                    TapHandler {
                        onTapped: root.sortBy("size")
                    }
                    Layout.preferredWidth: root.sizeWidth
                    horizontalAlignment: Text.AlignRight
                    text: qsTr("Size") + root.sortMark("size")
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                }
                Label {
                    objectName: "dateHeader"
                    // A click sorts by this column; a second click turns the order around.
                    TapHandler {
                        onTapped: root.sortBy("modified")
                    }
                    Layout.preferredWidth: root.dateWidth
                    horizontalAlignment: Text.AlignRight
                    text: qsTr("Modified") + root.sortMark("modified")
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                }
            }
        }
    }

    // The "load more" bar sits below the list rather than in ListView.footer: Qt 6.4 cannot
    // instantiate a footer that is a bound inline component.
    Pane {
        id: moreBar

        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        objectName: "moreBar"
        visible: root.objects.canFetchMore || (root.objects.loading && list.count > 0)
        height: visible ? 48 : 0
        padding: 0
        Material.elevation: 0

        BusyIndicator {
            anchors.centerIn: parent
            implicitWidth: 36
            implicitHeight: 36
            running: root.objects.loading && list.count > 0
            visible: running
        }
        Button {
            anchors.centerIn: parent
            visible: root.objects.canFetchMore && !root.objects.loading
            flat: true
            font.capitalization: Font.MixedCase
            text: qsTr("Load more (%n loaded)", "", root.objects.totalCount)
            onClicked: root.objects.loadMore()
        }
    }

    ListView {
        id: list

        objectName: "objectList"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: moreBar.top
        clip: true
        model: root.objects
        onAtYEndChanged: {
            if (list.atYEnd && root.objects.canFetchMore)
                root.objects.loadMore();
        }
        delegate: ObjectDelegate {
            width: ListView.view.width
            wide: root.wide
            typeWidth: root.typeWidth
            sizeWidth: root.sizeWidth
            dateWidth: root.dateWidth
            selected: root.selection.revision >= 0 && root.selection.isSelected(key)
            selecting: root.selection.count > 0
            onToggleRequested: root.selection.toggle(key, isFolder)
            onRangeRequested: root.selection.extendTo(index)
            onActivated: {
                if (root.selection.count > 0)
                    root.selection.toggle(key, isFolder);
                else if (isFolder)
                    root.objects.openFolder(key);
                else
                    root.openObject(key, name, size);
            }
            onMenuRequested: anchorItem => root.openMenu(anchorItem, key, name, isFolder)
        }
        ScrollBar.vertical: ScrollBar { }

        // Desktop: files and folders dropped on the list are uploaded into the open folder.
        DropArea {
            id: dropArea

            objectName: "uploadDropArea"
            anchors.fill: parent
            enabled: AppController.canModify && root.objects.bucket.length > 0
            keys: ["text/uri-list"]
            onDropped: drop => {
                if (drop.hasUrls) {
                    root.actions.uploadUrls(drop.urls);
                    drop.acceptProposedAction();
                }
            }
        }
        Rectangle {
            anchors.fill: parent
            visible: dropArea.containsDrag
            color: "transparent"
            border.width: 2
            border.color: root.Material.accentColor
        }

        BusyIndicator {
            anchors.centerIn: parent
            running: root.objects.loading && list.count === 0
            visible: running
        }
        StatePlaceholder {
            objectName: "objectsPlaceholder"
            anchors.centerIn: parent
            width: Math.min(parent.width - 48, 460)
            visible: !root.objects.loading && list.count === 0
            isError: root.objects.errorMessage.length > 0
            iconName: root.objects.bucket.length === 0 ? "bucket"
                      : root.objects.errorMessage.length > 0 ? (root.objects.accessDenied ? "lock" : "error")
                      : root.objects.filter.length > 0 ? "search" : "empty"
            title: root.objects.bucket.length === 0 ? qsTr("Choose a bucket")
                   : root.objects.errorMessage.length > 0 ? root.objects.errorTitle
                   : root.objects.filter.length > 0 ? qsTr("Nothing matches \"%1\"").arg(root.objects.filter)
                   : root.objects.prefix.length > 0 ? qsTr("This folder is empty")
                   : qsTr("This bucket is empty")
            text: root.objects.bucket.length === 0 ? qsTr("Pick a bucket on the left to see its objects.")
                  : root.objects.errorMessage.length > 0 ? root.objects.errorMessage
                  : root.objects.filter.length > 0
                    ? (root.objects.canFetchMore ? qsTr("None of the first %n loaded item(s) matches; load more to search further.", "", root.objects.totalCount)
                                                 : qsTr("None of the %n item(s) in this folder matches.", "", root.objects.totalCount))
                  : qsTr("Upload files to add them here.")
            actionText: root.objects.bucket.length === 0 ? ""
                        : root.objects.errorMessage.length > 0 ? qsTr("Retry")
                        : root.objects.filter.length > 0 ? (root.objects.canFetchMore ? qsTr("Load more") : "")
                        : AppController.canModify ? qsTr("Upload files") : ""
            // Signer, keys, endpoint and permissions are fixed in Settings.
            // An empty bucket (no error, no filter, at the top) can be deleted from here.
            readonly property bool emptyBucket: root.objects.bucket.length > 0 && root.objects.errorMessage.length === 0
                                                && root.objects.filter.length === 0 && root.objects.prefix.length === 0
            secondaryActionText: root.objects.errorCause.length > 0 && root.objects.errorCause !== "not-found"
                                 && root.objects.errorCause !== "other" ? qsTr("Open Settings")
                                 : emptyBucket && AppController.canModify ? qsTr("Delete bucket") : ""
            onSecondaryActionTriggered: {
                if (emptyBucket)
                    deleteDialog.askBucket(root.objects.bucket, root.objects.region);
                else
                    root.settingsRequested();
            }
            onActionTriggered: {
                if (root.objects.errorMessage.length > 0)
                    root.objects.reload();
                else if (root.objects.filter.length > 0)
                    root.objects.loadMore();
                else
                    root.openUploadDialog();
            }
        }
    }

    Menu {
        id: objectMenu

        property string key: ""
        property string name: ""
        property bool isFolder: false

        objectName: "objectMenu"
        width: Math.min(280, root.width - 16)
        // A plain background: Material's menu background is a shadowed shader item that the
        // software renderer skips, and the items then print over the list.
        background: Rectangle {
            implicitWidth: 200
            radius: 4
            color: root.Material.dialogColor
            border.color: root.Material.dividerColor
        }

        MenuItem {
            text: qsTr("Open")
            visible: objectMenu.isFolder
            height: visible ? implicitHeight : 0
            onTriggered: root.objects.openFolder(objectMenu.key)
        }
        MenuItem {
            text: qsTr("Download…")
            onTriggered: root.openDownloadDialog(objectMenu.key)
        }
        MenuItem {
            objectName: "renameItem"
            text: qsTr("Rename…")
            enabled: AppController.canModify
            onTriggered: root.askMove("rename", objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Copy to…")
            enabled: AppController.canModify
            onTriggered: root.askMove("copy", objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Move to…")
            enabled: AppController.canModify
            onTriggered: root.askMove("move", objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Select")
            onTriggered: root.selection.setSelected(objectMenu.key, objectMenu.isFolder, true)
        }
        MenuItem {
            text: qsTr("Details…")
            onTriggered: root.showDetails(objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Copy link (valid 1 hour)")
            visible: !objectMenu.isFolder
            height: visible ? implicitHeight : 0
            onTriggered: AppController.copyLink(objectMenu.key, 3600)
        }
        MenuItem {
            text: qsTr("Delete…")
            enabled: AppController.canModify
            Material.foreground: Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
            onTriggered: root.confirmDelete(objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
    }

    FileDialog {
        id: uploadDialog

        objectName: "uploadDialog"
        title: qsTr("Upload to %1").arg(root.objects.breadcrumbs.join("/"))
        fileMode: FileDialog.OpenFiles
        onAccepted: AppController.upload(uploadDialog.selectedFiles)
    }
    FolderDialog {
        id: folderDialog

        objectName: "downloadFolderDialog"
        property string key: ""

        title: qsTr("Download to folder")
        currentFolder: AppController.defaultDownloadFolder()
        onAccepted: {
            if (folderDialog.key.length === 0)
                root.actions.downloadSelection(folderDialog.selectedFolder);
            else if (folderDialog.key.endsWith("/"))
                root.actions.downloadFolder(folderDialog.key, folderDialog.selectedFolder);
            else
                AppController.download(folderDialog.key, folderDialog.selectedFolder);
        }
    }
    FolderDialog {
        id: uploadFolderDialog

        objectName: "uploadFolderDialog"
        title: qsTr("Upload a folder to %1").arg(root.objects.breadcrumbs.join("/"))
        onAccepted: root.actions.uploadFolder(uploadFolderDialog.selectedFolder)
    }
    // The phone's sort choices (the desktop sorts by clicking a column header).
    Menu {
        id: sortMenu

        objectName: "sortMenu"
        width: Math.min(260, root.width - 16)
        background: Rectangle {
            implicitWidth: 200
            radius: 4
            color: root.Material.dialogColor
            border.color: root.Material.dividerColor
        }

        Repeater {
            model: [
                { key: "name", desc: false, text: qsTr("Name, A to Z") },
                { key: "name", desc: true, text: qsTr("Name, Z to A") },
                { key: "size", desc: true, text: qsTr("Largest first") },
                { key: "size", desc: false, text: qsTr("Smallest first") },
                { key: "modified", desc: true, text: qsTr("Newest first") },
                { key: "modified", desc: false, text: qsTr("Oldest first") }
            ]
            MenuItem {
                required property var modelData

                text: modelData.text
                checkable: true
                checked: root.objects.sortKey === modelData.key && root.objects.sortDescending === modelData.desc
                onTriggered: {
                    root.objects.sortKey = modelData.key;
                    root.objects.sortDescending = modelData.desc;
                }
            }
        }
    }

    MoveDialog {
        id: moveDialog

        objectName: "moveDialog"
        parent: Overlay.overlay
    }
    CreateFolderDialog {
        id: folderNameDialog

        objectName: "createFolderDialog"
        parent: Overlay.overlay
    }
    ConfirmDeleteDialog {
        id: deleteDialog

        objectName: "deleteDialog"
        parent: Overlay.overlay
    }
    ObjectDetailsDialog {
        id: detailsDialog

        objectName: "detailsDialog"
        parent: Overlay.overlay
        onDownloadRequested: key => root.openDownloadDialog(key)
    }
    PreviewDialog {
        id: previewDialog

        objectName: "previewDialog"
        parent: Overlay.overlay
        onDetailsRequested: (key, name) => root.showDetails(key, name, false)
        onDownloadRequested: key => root.openDownloadDialog(key)
    }
}
