import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// Multi-select (Ctrl/Shift-click, checkbox, long press), batch delete and download of a
// selection, folder upload and a dropped set of files and folders, each batch one row in
// Transfers; on the real sandbox. Everything this test uploads goes under "objects-qml/" and is
// deleted again (by the multi-select delete under test).
TestCase {
    id: testCase

    name: "Objects"
    when: windowShown
    width: 800
    height: 700
    visible: true

    readonly property ObjectSelection selection: AppController.actions.selection
    readonly property BatchListModel batches: AppController.actions.batches

    Component {
        id: pageComponent

        ObjectsPage {
            width: 800
            height: 700
            objects: AppController.objects
            wide: true
        }
    }
    Component {
        id: transfersComponent

        TransfersPage {
            width: 600
            height: 700
            transfers: AppController.transfers
        }
    }

    function initTestCase() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        tryVerify(() => AppController.connected, 20000, "not connected: " + AppController.connectionError);
    }

    function cleanup() {
        testCase.selection.clear();
    }

    function waitLoaded() {
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        compare(AppController.objects.errorMessage, "");
    }

    function open(page, prefix) {
        AppController.openBucket(TestSeed.bucket, TestSeed.region);
        waitLoaded();
        if (prefix.length > 0) {
            AppController.objects.openFolder(prefix);
            waitLoaded();
        }
        return findChild(page, "objectList");
    }

    function rowNamed(list, name) {
        list.forceLayout();
        for (let i = 0; i < list.count; ++i) {
            list.positionViewAtIndex(i, ListView.Contain);
            const item = list.itemAtIndex(i);
            if (item && item.name === name)
                return item;
        }
        fail("no row " + name);
    }

    function waitBatch(row) {
        tryVerify(() => testCase.batches.stateAt(row) !== "running", 60000);
        compare(testCase.batches.stateAt(row), "succeeded",
                testCase.batches.data(testCase.batches.index(row, 0), BatchListModel.ErrorRole));
    }

    function test_folderUploadAndMultiSelectDelete() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = open(page, "objects-qml/");
        compare(list.count, 0);

        // The toolbar's folder button opens the folder picker.
        const button = findChild(page, "uploadFolderButton");
        verify(button.enabled);
        mouseClick(button);
        const picker = findChild(page, "uploadFolderDialog");
        tryVerify(() => picker.visible, 5000);
        picker.reject();
        tryVerify(() => !picker.visible, 5000);

        // A folder: one batch with all three files, paused and resumed as a whole.
        const row = testCase.batches.count;
        AppController.actions.uploadFolder(TestSeed.makeTree("up1"));
        compare(testCase.batches.count, row + 1);
        testCase.batches.pause(row);
        compare(testCase.batches.stateAt(row), "paused");
        testCase.batches.resume(row);
        waitBatch(row);
        tryCompare(list, "count", 1);
        compare(rowNamed(list, "up1").isFolder, true);

        // Transfers shows it as one expandable row with its file count.
        const transfers = createTemporaryObject(transfersComponent, testCase);
        const batchList = findChild(transfers, "batchList");
        verify(batchList.visible);
        batchList.forceLayout();
        // Finished rows are listed newest first: find the row by its source row.
        let entry = null;
        for (let i = 0; i < batchList.count; ++i) {
            const item = batchList.itemAtIndex(i);
            if (item && item.sourceRow === row)
                entry = item;
        }
        verify(entry !== null);
        compare(entry.name, "up1");
        compare(entry.filesText, "3 of 3 files");
        compare(entry.progress, 1);
        transfers.destroy();

        // A drop of a file and a folder from different local folders: one batch each.
        const dropRow = testCase.batches.count;
        AppController.actions.uploadUrls([TestSeed.smallFile, TestSeed.makeTree("up2")]);
        compare(testCase.batches.count, dropRow + 2);
        waitBatch(dropRow);
        waitBatch(dropRow + 1);
        tryCompare(list, "count", 3);

        // Ctrl-click selects without opening; Shift-click extends over the rows between.
        const up1 = rowNamed(list, "up1");
        mouseClick(up1, up1.width / 2, up1.height / 2, Qt.LeftButton, Qt.ControlModifier);
        compare(testCase.selection.count, 1);
        compare(AppController.objects.prefix, "objects-qml/");
        const small = rowNamed(list, "small.txt");
        mouseClick(small, small.width / 2, small.height / 2, Qt.LeftButton, Qt.ShiftModifier);
        compare(testCase.selection.count, 3);
        const up2 = rowNamed(list, "up2");
        mouseClick(up2, up2.width / 2, up2.height / 2, Qt.LeftButton, Qt.ControlModifier);
        compare(testCase.selection.count, 2);
        compare(testCase.selection.keys, ["objects-qml/small.txt", "objects-qml/up1/"]);
        verify(rowNamed(list, "up1").selected);
        verify(!rowNamed(list, "up2").selected);

        // The selection bar's Delete asks first, then deletes files and folders.
        const bar = findChild(page, "selectionBar");
        verify(bar.visible);
        mouseClick(findChild(bar, "deleteSelectionButton"));
        const dialog = findChild(page, "deleteDialog");
        tryVerify(() => dialog.opened, 5000);
        compare(dialog.title, "Delete 2 items?");
        dialog.accept();
        tryVerify(() => !AppController.actions.deleting, 30000);
        compare(testCase.selection.count, 0);
        verify(!bar.visible);
        tryCompare(list, "count", 1);
        compare(rowNamed(list, "up2").isFolder, true);

        // Select all, delete: the folder is empty and gone.
        testCase.selection.selectAll();
        compare(testCase.selection.count, 1);
        page.confirmDeleteSelection();
        tryVerify(() => dialog.opened, 5000);
        dialog.accept();
        tryVerify(() => !AppController.actions.deleting, 30000);
        AppController.objects.reload();
        waitLoaded();
        compare(list.count, 0);
        AppController.objects.openLevel(0);
        waitLoaded();
        tryCompare(list, "count", 8); // the seed as it was
    }

    function test_multiSelectDownload() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = open(page, "");
        tryCompare(list, "count", 8);

        // A Ctrl-click enters the selection mode; then every row shows its checkbox.
        const docs = rowNamed(list, "docs");
        mouseClick(docs, docs.width / 2, docs.height / 2, Qt.LeftButton, Qt.ControlModifier);
        compare(testCase.selection.count, 1);
        compare(AppController.objects.prefix, "");
        const readme = rowNamed(list, "readme.txt");
        const box = findChild(readme, "selectBox");
        verify(box.visible);
        mouseClick(box);
        compare(testCase.selection.keys, ["docs/", "readme.txt"]);

        // Download opens the folder picker; the chosen folder gets the selection, folders
        // with everything under them.
        mouseClick(findChild(page, "downloadSelectionButton"));
        const picker = findChild(page, "downloadFolderDialog");
        tryVerify(() => picker.visible, 5000);
        compare(picker.key, "");
        picker.reject();
        tryVerify(() => !picker.visible, 5000);
        const folder = TestSeed.newFolder("dl1");
        const row = testCase.batches.count;
        AppController.actions.downloadSelection(folder);
        compare(testCase.batches.count, row + 1);
        compare(testCase.selection.count, 0);
        waitBatch(row);
        compare(TestSeed.localFiles(folder), ["docs/2026/notes.txt", "docs/data.json", "readme.txt"]);

        // One folder from the row menu's Download.
        const folder2 = TestSeed.newFolder("dl2");
        AppController.actions.downloadFolder("docs/", folder2);
        waitBatch(row + 1);
        compare(TestSeed.localFiles(folder2), ["docs/2026/notes.txt", "docs/data.json"]);

        // A folder that cannot be written to is refused with a message.
        let failed = "";
        const onFailed = message => failed = message;
        AppController.operationFailed.connect(onFailed);
        testCase.selection.toggle("readme.txt", false);
        AppController.actions.downloadSelection("file:///nonexistent-folder-for-test");
        AppController.operationFailed.disconnect(onFailed);
        verify(failed.indexOf("Cannot write to") === 0, failed);
        compare(testCase.batches.count, row + 2);
    }

    function names(list) {
        list.forceLayout();
        const out = [];
        for (let i = 0; i < list.count; ++i) {
            list.positionViewAtIndex(i, ListView.Contain);
            out.push(list.itemAtIndex(i).name);
        }
        return out;
    }

    function waitCopy() {
        tryVerify(() => !AppController.actions.copying, 30000);
        AppController.objects.reload();
        waitLoaded();
    }

    // Rename, copy and move through server-side copies, for a file and a folder (all its keys).
    function test_renameCopyMove() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = open(page, "rename-qml/");
        const row = testCase.batches.count;
        AppController.actions.uploadUrls([TestSeed.smallFile, TestSeed.makeTree("r1")]);
        waitBatch(row);
        waitBatch(row + 1);
        tryCompare(list, "count", 2);

        // A file, through the dialog: the name is preselected without its extension.
        const dialog = findChild(page, "moveDialog");
        page.askMove("rename", "rename-qml/small.txt", "small.txt", false);
        tryVerify(() => dialog.opened, 5000);
        const field = findChild(dialog.contentItem, "moveValue");
        compare(field.selectedText, "small");
        compare(dialog.problem, "Enter a new name.");
        field.text = "a/b";
        verify(dialog.problem.indexOf("/") > 0, dialog.problem);
        field.text = "renamed.txt";
        compare(dialog.problem, "");
        dialog.accept();
        waitCopy();
        compare(names(list), ["r1", "renamed.txt"]);

        // A folder: every key under it, as one batch.
        page.askMove("rename", "rename-qml/r1/", "r1", true);
        tryVerify(() => dialog.opened, 5000);
        field.text = "r2";
        dialog.accept();
        waitCopy();
        compare(names(list), ["r2", "renamed.txt"]);
        AppController.objects.openFolder("rename-qml/r2/sub/");
        waitLoaded();
        compare(names(list), ["deep", "b.txt"]);
        AppController.objects.openFolder("rename-qml/");
        waitLoaded();

        // A folder cannot move into itself: the dialog says so and the command refuses.
        page.askMove("move", "rename-qml/r2/", "r2", true);
        tryVerify(() => dialog.opened, 5000);
        compare(field.text, "rename-qml/");
        compare(dialog.problem, "It is already there.");
        field.text = "rename-qml/r2/sub";
        compare(dialog.problem, "A folder cannot go into itself.");
        dialog.reject();
        let failed = "";
        const onFailed = message => failed = message;
        AppController.operationFailed.connect(onFailed);
        AppController.actions.moveTo("rename-qml/r2/", true, "rename-qml/r2/sub/");
        compare(failed, "A folder cannot go into itself.");

        // Copy a file into the folder, then once more: the name is taken there.
        AppController.actions.copyTo("rename-qml/renamed.txt", false, "rename-qml/r2");
        waitCopy();
        failed = "";
        AppController.actions.copyTo("rename-qml/renamed.txt", false, "rename-qml/r2/");
        tryVerify(() => failed.length > 0, 20000);
        verify(failed.indexOf("already exists") > 0, failed);
        AppController.operationFailed.disconnect(onFailed);

        // Move a file: gone here, there in the sub-folder.
        AppController.actions.moveTo("rename-qml/renamed.txt", false, "rename-qml/r2/sub/");
        waitCopy();
        compare(names(list), ["r2"]);
        AppController.objects.openFolder("rename-qml/r2/sub/");
        waitLoaded();
        compare(names(list), ["deep", "b.txt", "renamed.txt"]);
        AppController.objects.openFolder("rename-qml/r2/");
        waitLoaded();
        compare(names(list), ["sub", "a.txt", "renamed.txt"]);

        // Clean up with the multi-select delete.
        AppController.objects.openFolder("rename-qml/");
        waitLoaded();
        testCase.selection.selectAll();
        AppController.actions.deleteSelection();
        tryVerify(() => !AppController.actions.deleting, 30000);
        AppController.objects.reload();
        waitLoaded();
        compare(list.count, 0);
    }

    // Delete bucket: refused with a clear message while it has objects; an empty one goes
    // from its empty page after a confirmation.
    function test_deleteBucket() {
        const page = createTemporaryObject(pageComponent, testCase);
        let failed = "";
        let notified = "";
        const onFailed = message => failed = message;
        const onNotify = message => notified = message;
        AppController.operationFailed.connect(onFailed);
        AppController.notify.connect(onNotify);
        AppController.actions.deleteBucket(TestSeed.bucket, TestSeed.region);
        tryVerify(() => failed.length > 0, 20000);
        verify(failed.indexOf("is not empty") > 0, failed);

        const name = "qml-del-" + Date.now() % 100000000;
        let created = "";
        const onCreated = bucket => created = bucket;
        AppController.bucketCreated.connect(onCreated);
        AppController.createBucket(name, TestSeed.region, "private");
        tryVerify(() => created.length > 0, 20000, failed);
        AppController.bucketCreated.disconnect(onCreated);
        AppController.openBucket(created, TestSeed.region);
        waitLoaded();
        const placeholder = findChild(page, "objectsPlaceholder");
        tryVerify(() => placeholder.visible, 5000);
        compare(placeholder.title, "This bucket is empty");
        compare(placeholder.secondaryActionText, "Delete bucket");
        placeholder.secondaryActionTriggered();
        const dialog = findChild(page, "deleteDialog");
        tryVerify(() => dialog.opened, 5000);
        compare(dialog.title, "Delete bucket?");
        notified = "";
        dialog.accept();
        tryVerify(() => notified === "Deleted bucket " + created, 20000, failed);
        compare(AppController.objects.bucket, "");
        AppController.operationFailed.disconnect(onFailed);
        AppController.notify.disconnect(onNotify);

        AppController.openBucket(created, TestSeed.region);
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        verify(AppController.objects.errorMessage.indexOf("does not exist") >= 0, AppController.objects.errorMessage);
    }

    // Touch: a long press enters the selection mode, then taps toggle rows.
    function test_longPressSelects() {
        const page = createTemporaryObject(pageComponent, testCase, { wide: false });
        const list = open(page, "");
        tryCompare(list, "count", 8);
        const docs = rowNamed(list, "docs");
        mousePress(docs, docs.width / 2, docs.height / 2);
        wait(Qt.styleHints.mousePressAndHoldInterval + 300);
        mouseRelease(docs, docs.width / 2, docs.height / 2);
        compare(testCase.selection.count, 1);
        compare(AppController.objects.prefix, "");
        verify(findChild(docs, "selectBox").visible);
        const media = rowNamed(list, "media");
        mouseClick(media);
        compare(testCase.selection.count, 2);
        mouseClick(media);
        compare(testCase.selection.count, 1);
        mouseClick(findChild(page, "clearSelectionButton"));
        compare(testCase.selection.count, 0);
        // Out of selection mode a tap opens the folder again.
        mouseClick(rowNamed(list, "docs"));
        compare(AppController.objects.prefix, "docs/");
        AppController.objects.openLevel(0);
    }
}
