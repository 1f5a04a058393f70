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
    // What the search field does: "filter" (the loaded rows of this folder, by name), "folder"
    // (the server: keys under this folder, in every sub-folder, that start with the text) or
    // "bucket" (the server: keys of the whole bucket that start with the text).
    property string searchMode: "filter"
    readonly property ObjectSearchModel search: searchResults
    // The rows on screen (an ObjectSearchModel or the ObjectListModel): the search results
    // while a search runs, else the folder.
    readonly property QtObject shown: searchResults.active ? searchResults : root.objects

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

    // Applies the search field's text in the current mode (at once; typing waits a moment).
    function applySearchText(text: string): void {
        searchDelay.stop();
        if (root.searchMode === "filter") {
            searchResults.query = "";
            root.objects.filter = text;
        } else {
            root.objects.filter = "";
            if (text.length > 0)
                root.selection.clear(); // the selection is made of the folder's rows
            searchResults.query = text;
        }
    }
    function setSearchMode(mode: string): void {
        root.searchMode = mode;
        root.applySearchText(filterField.text);
    }
    // Leaves the search and opens @p folder ("" for the top of the bucket).
    function openFolderFromSearch(folder: string): void {
        root.searchMode = "filter";
        root.applySearchText("");
        root.objects.openFolder(folder);
    }

    function sortBy(key: string): void {
        if (searchResults.active)
            return; // results come in key order, page by page
        if (root.objects.sortKey === key)
            root.objects.sortDescending = !root.objects.sortDescending;
        else {
            root.objects.sortKey = key;
            root.objects.sortDescending = key !== "name";
        }
    }
    function sortMark(key: string): string {
        if (searchResults.active)
            return "";
        return root.objects.sortKey !== key ? "" : root.objects.sortDescending ? " ↓" : " ↑";
    }

    function openMenu(anchorItem: Item, key: string, name: string, isFolder: bool): void {
        objectMenu.key = key;
        objectMenu.name = name;
        objectMenu.isFolder = isFolder;
        objectMenu.popup(anchorItem, 0, anchorItem.height);
    }

    ObjectSearchModel {
        id: searchResults

        source: root.objects
        folder: root.searchMode === "folder" ? root.objects.prefix : ""
    }
    Timer {
        id: searchDelay

        interval: 300
        onTriggered: root.applySearchText(filterField.text)
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
                    visible: !root.wide && !searchResults.active
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
            RowLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                Layout.rightMargin: 12
                Layout.bottomMargin: 4
                spacing: 8

                SearchField {
                    id: filterField

                    objectName: "objectFilter"
                    Layout.fillWidth: true
                    placeholderText: root.searchMode === "filter" ? qsTr("Filter by name")
                                     : root.searchMode === "folder" ? qsTr("Keys here starting with…")
                                     : qsTr("Keys starting with…")
                    text: root.searchMode === "filter" ? root.objects.filter : searchResults.query
                    // The filter follows each key stroke; a server search waits for a pause
                    // in typing (or Enter).
                    onTextEdited: {
                        if (root.searchMode === "filter")
                            root.applySearchText(filterField.text);
                        else
                            searchDelay.restart();
                    }
                    onAccepted: root.applySearchText(filterField.text)
                    onCleared: root.applySearchText("")
                }
                ComboBox {
                    id: searchModeBox

                    objectName: "searchMode"
                    // Wide enough for the longest mode, so that no label is cut off.
                    implicitContentWidthPolicy: ComboBox.WidestText
                    Layout.preferredWidth: Math.min(implicitWidth, root.width * 0.45)
                    flat: true
                    textRole: "text"
                    valueRole: "mode"
                    model: [
                        { mode: "filter", text: qsTr("Filter folder") },
                        { mode: "folder", text: qsTr("Search folder") },
                        { mode: "bucket", text: qsTr("Search bucket") }
                    ]
                    currentIndex: ["filter", "folder", "bucket"].indexOf(root.searchMode)
                    Accessible.name: qsTr("Search mode")
                    ToolTip.visible: searchModeBox.hovered
                    ToolTip.delay: 600
                    ToolTip.text: qsTr("Filter: names in the loaded rows of this folder. Search: keys on the server that start with the text, in every sub-folder.")
                    onActivated: index => root.setSearchMode(["filter", "folder", "bucket"][index])
                }
            }
            // How many rows the filter or the search found, and whether that is all of them.
            Label {
                id: searchStatus

                objectName: "searchStatus"
                Layout.fillWidth: true
                Layout.leftMargin: 16
                Layout.rightMargin: 16
                Layout.bottomMargin: 4
                visible: searchResults.active || root.objects.filter.length > 0
                color: Material.secondaryTextColor
                font.pixelSize: 12
                elide: Text.ElideRight
                text: {
                    if (searchResults.active) {
                        if (searchResults.queryProblem.length > 0)
                            return qsTr("Not searched: the server cannot match this text.");
                        if (searchResults.errorMessage.length > 0)
                            return qsTr("The search failed.");
                        if (!searchResults.loaded)
                            return qsTr("Searching for keys starting with \"%1\"…").arg(searchResults.keyPrefix);
                        return searchResults.canFetchMore || searchResults.loading
                               ? qsTr("%n result(s) so far, more on the server", "", searchResults.count)
                               : qsTr("%n result(s)", "", searchResults.count);
                    }
                    const total = root.objects.totalCount.toLocaleString(Qt.locale(), "f", 0);
                    return root.objects.canFetchMore || root.objects.loading
                           ? qsTr("%n result(s) in the loaded %1 of this folder", "", root.objects.count).arg(total)
                           : qsTr("%n result(s) of %1 in this folder", "", root.objects.count).arg(total);
                }
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
                        enabled: !searchResults.active
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
                        enabled: !searchResults.active
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
                        enabled: !searchResults.active
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
        visible: root.shown.canFetchMore || (root.shown.loading && list.count > 0)
        height: visible ? 48 : 0
        padding: 0
        Material.elevation: 0

        BusyIndicator {
            anchors.centerIn: parent
            implicitWidth: 36
            implicitHeight: 36
            running: root.shown.loading && list.count > 0
            visible: running
        }
        Button {
            anchors.centerIn: parent
            visible: root.shown.canFetchMore && !root.shown.loading
            flat: true
            font.capitalization: Font.MixedCase
            text: searchResults.active ? qsTr("More results (%n so far)", "", searchResults.count)
                                     : qsTr("Load more (%n loaded)", "", root.objects.totalCount)
            onClicked: root.shown.loadMore()
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
        model: root.shown
        onAtYEndChanged: {
            if (list.atYEnd && root.shown.canFetchMore)
                root.shown.loadMore();
        }
        delegate: ObjectDelegate {
            width: ListView.view.width
            wide: root.wide
            typeWidth: root.typeWidth
            sizeWidth: root.sizeWidth
            dateWidth: root.dateWidth
            selected: root.selection.revision >= 0 && root.selection.isSelected(key)
            selecting: root.selection.count > 0 && !searchResults.active
            // The selection is made of the folder's rows, not of search results.
            onToggleRequested: {
                if (!searchResults.active)
                    root.selection.toggle(key, isFolder);
            }
            onRangeRequested: {
                if (!searchResults.active)
                    root.selection.extendTo(index);
            }
            onActivated: {
                if (searchResults.active) {
                    // A result: a folder placeholder opens, a file previews (or shows details).
                    if (isFolder)
                        root.openFolderFromSearch(key);
                    else
                        root.openObject(key, key.substring(key.lastIndexOf("/") + 1), size);
                } else if (root.selection.count > 0)
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
            visible: !root.shown.loading && list.count === 0
            isError: root.shown.errorMessage.length > 0
            readonly property bool searching: searchResults.active && root.objects.bucket.length > 0
            iconName: root.objects.bucket.length === 0 ? "bucket"
                      : root.shown.errorMessage.length > 0 ? (root.shown.accessDenied ? "lock" : "error")
                      : searching || root.objects.filter.length > 0 ? "search" : "empty"
            title: root.objects.bucket.length === 0 ? qsTr("Choose a bucket")
                   : searching && searchResults.queryProblem.length > 0 ? qsTr("Cannot search for this text")
                   : root.shown.errorMessage.length > 0 ? root.shown.errorTitle
                   : searching ? qsTr("No key starts with \"%1\"").arg(searchResults.keyPrefix)
                   : root.objects.filter.length > 0 ? qsTr("Nothing matches \"%1\"").arg(root.objects.filter)
                   : root.objects.prefix.length > 0 ? qsTr("This folder is empty")
                   : qsTr("This bucket is empty")
            text: root.objects.bucket.length === 0 ? qsTr("Pick a bucket on the left to see its objects.")
                  : root.shown.errorMessage.length > 0 ? root.shown.errorMessage
                  : searching ? qsTr("The search matches the start of the whole key (folders included), with upper and lower case as typed.")
                  : root.objects.filter.length > 0
                    ? (root.objects.canFetchMore ? qsTr("None of the first %n loaded item(s) matches; load more to search further.", "", root.objects.totalCount)
                                                 : qsTr("None of the %n item(s) in this folder matches.", "", root.objects.totalCount))
                  : qsTr("Upload files to add them here.")
            actionText: root.objects.bucket.length === 0 ? ""
                        : searching && searchResults.queryProblem.length > 0 ? ""
                        : root.shown.errorMessage.length > 0 ? qsTr("Retry")
                        : searching ? ""
                        : root.objects.filter.length > 0 ? (root.objects.canFetchMore ? qsTr("Load more") : "")
                        : AppController.canModify ? qsTr("Upload files") : ""
            // Signer, keys, endpoint and permissions are fixed in Settings.
            // An empty bucket (no error, no filter, at the top) can be deleted from here.
            readonly property bool emptyBucket: root.objects.bucket.length > 0 && root.shown.errorMessage.length === 0
                                                && !searching && root.objects.filter.length === 0
                                                && root.objects.prefix.length === 0
            secondaryActionText: root.shown.errorCause.length > 0 && root.shown.errorCause !== "not-found"
                                 && root.shown.errorCause !== "other" ? qsTr("Open Settings")
                                 : emptyBucket && AppController.canModify ? qsTr("Delete bucket") : ""
            onSecondaryActionTriggered: {
                if (emptyBucket)
                    deleteDialog.askBucket(root.objects.bucket, root.objects.region);
                else
                    root.settingsRequested();
            }
            onActionTriggered: {
                if (root.shown.errorMessage.length > 0)
                    root.shown.reload();
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
            onTriggered: {
                if (searchResults.active)
                    root.openFolderFromSearch(objectMenu.key);
                else
                    root.objects.openFolder(objectMenu.key);
            }
        }
        // A search result: its folder in the list (where rename, move and delete are).
        MenuItem {
            objectName: "showInFolderItem"
            text: qsTr("Show in folder")
            visible: searchResults.active
            height: visible ? implicitHeight : 0
            onTriggered: root.openFolderFromSearch(searchResults.folderOf(objectMenu.key))
        }
        MenuItem {
            text: qsTr("Download…")
            onTriggered: root.openDownloadDialog(objectMenu.key)
        }
        MenuItem {
            objectName: "renameItem"
            text: qsTr("Rename…")
            enabled: AppController.canModify
            visible: !searchResults.active
            height: visible ? implicitHeight : 0
            onTriggered: root.askMove("rename", objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Copy to…")
            enabled: AppController.canModify
            visible: !searchResults.active
            height: visible ? implicitHeight : 0
            onTriggered: root.askMove("copy", objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Move to…")
            enabled: AppController.canModify
            visible: !searchResults.active
            height: visible ? implicitHeight : 0
            onTriggered: root.askMove("move", objectMenu.key, objectMenu.name, objectMenu.isFolder)
        }
        MenuItem {
            text: qsTr("Select")
            visible: !searchResults.active
            height: visible ? implicitHeight : 0
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
            visible: !searchResults.active
            height: visible ? implicitHeight : 0
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
