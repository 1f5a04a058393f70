import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtTest
import CosDemo
import CosDemoTest

// Every dialog opens offscreen, where Qt has no native file dialog and uses its own QML one
// (which needs Qt.labs.folderlistmodel), and closes again; at phone and desktop width.
TestCase {
    id: testCase

    name: "Dialogs"
    when: windowShown
    width: 800
    height: 700
    visible: true

    Component {
        id: pageComponent

        ObjectsPage {
            objects: AppController.objects
        }
    }
    Component {
        id: createComponent

        CreateBucketDialog {
            regions: AppController.regions
        }
    }

    function init_data() {
        return [{ tag: "phone", w: 360, h: 720, wide: false }, { tag: "desktop", w: 1280, h: 800, wide: true }];
    }

    function makePage(data) {
        testCase.width = data.w;
        testCase.height = data.h;
        return createTemporaryObject(pageComponent, testCase, { width: data.w, height: data.h, wide: data.wide });
    }

    function openAndClose(dialog, opened) {
        verify(dialog !== null);
        tryVerify(opened, 5000, "did not open: " + dialog.objectName);
        dialog.reject();
        tryVerify(() => !opened(), 5000, "did not close: " + dialog.objectName);
    }

    function test_uploadFileDialog_data() { return init_data(); }
    function test_uploadFileDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "uploadDialog");
        page.openUploadDialog();
        openAndClose(dialog, () => dialog.visible);
        // Twice: the second open reuses the QML dialog the first one created.
        page.openUploadDialog();
        openAndClose(dialog, () => dialog.visible);
    }

    function test_downloadFolderDialog_data() { return init_data(); }
    function test_downloadFolderDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "downloadFolderDialog");
        page.openDownloadDialog("docs/data.json");
        compare(dialog.key, "docs/data.json");
        openAndClose(dialog, () => dialog.visible);
    }

    function test_uploadFolderDialog_data() { return init_data(); }
    function test_uploadFolderDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "uploadFolderDialog");
        page.openUploadFolderDialog();
        openAndClose(dialog, () => dialog.visible);
    }

    function test_deleteSelectionDialog_data() { return init_data(); }
    function test_deleteSelectionDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "deleteDialog");
        dialog.askSelection(3, 1);
        openAndClose(dialog, () => dialog.opened);
        compare(dialog.title, "Delete 3 items?");
        // A single object afterwards is asked about as before.
        page.confirmDelete("a.bin", "a.bin", false);
        openAndClose(dialog, () => dialog.opened);
        compare(dialog.title, "Delete object?");
    }

    function test_moveDialog_data() { return init_data(); }
    function test_moveDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "moveDialog");
        page.askMove("rename", "docs/data.json", "data.json", false);
        openAndClose(dialog, () => dialog.opened);
        compare(dialog.title, "Rename");
        page.askMove("move", "docs/", "docs", true);
        openAndClose(dialog, () => dialog.opened);
        compare(dialog.title, "Move \"docs\" to");
    }

    function test_deleteBucketDialog_data() { return init_data(); }
    function test_deleteBucketDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "deleteDialog");
        dialog.askBucket("some-bucket", "ap-guangzhou");
        openAndClose(dialog, () => dialog.opened);
        compare(dialog.title, "Delete bucket?");
    }

    function test_deleteDialog_data() { return init_data(); }
    function test_deleteDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "deleteDialog");
        page.confirmDelete("docs/", "docs", true);
        openAndClose(dialog, () => dialog.opened);
        compare(dialog.title, "Delete folder?");
    }

    function test_detailsDialog_data() { return init_data(); }
    function test_detailsDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "detailsDialog");
        const longName = "年度报告-" + "very-long-name-".repeat(8) + ".pdf";
        page.showDetails("reports/" + longName, longName, false);
        tryVerify(() => dialog.opened, 5000);
        // The full name is shown, wrapped rather than elided.
        const name = findChild(dialog.contentItem, "detailsName");
        compare(name.text, longName);
        verify(name.lineCount > 1 || name.contentWidth <= name.width);
        dialog.reject();
        tryVerify(() => !dialog.visible, 5000);
    }

    function test_createFolderDialog_data() { return init_data(); }
    function test_createFolderDialog(data) {
        const page = makePage(data);
        const dialog = findChild(page, "createFolderDialog");
        dialog.ask();
        tryVerify(() => dialog.opened, 5000);
        const field = findChild(dialog.contentItem, "folderName");
        const error = findChild(dialog.contentItem, "folderNameError");
        const ok = dialog.standardButton(Dialog.Ok);
        // Nothing typed: no error yet, but Create waits for a name.
        compare(error.text.trim(), "");
        verify(!ok.enabled);
        const height = dialog.height;
        field.forceActiveFocus();
        keyClick(Qt.Key_A);
        verify(ok.enabled);
        keyClick(Qt.Key_Slash);
        verify(error.text.indexOf("/") >= 0, error.text);
        verify(!ok.enabled);
        // The error line was laid out from the start: the dialog does not jump.
        compare(dialog.height, height);
        dialog.reject();
        tryVerify(() => !dialog.visible, 5000);
    }

    function test_createBucketDialog_data() { return init_data(); }
    function test_createBucketDialog(data) {
        testCase.width = data.w;
        testCase.height = data.h;
        const dialog = createTemporaryObject(createComponent, testCase);
        dialog.openFor("");
        openAndClose(dialog, () => dialog.opened);
    }
}
