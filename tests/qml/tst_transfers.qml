import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// Starting, pausing, resuming and cancelling transfers from the Transfers page.
TestCase {
    id: testCase

    name: "Transfers"
    when: windowShown
    width: 600
    height: 600
    visible: true

    Component {
        id: pageComponent

        TransfersPage {
            width: 600
            height: 600
            transfers: AppController.transfers
        }
    }

    function initTestCase() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        tryVerify(() => AppController.connected, 20000, "not connected: " + AppController.connectionError);
        AppController.openBucket(TestSeed.bucket, TestSeed.region);
        tryVerify(() => AppController.objects.loaded, 20000);
    }

    function cleanup() {
        AppController.transfers.pauseAll();
    }

    function rowItem(list, row) {
        list.forceLayout();
        list.positionViewAtIndex(row, ListView.Contain);
        const item = list.itemAtIndex(row);
        verify(item !== null, "no delegate for row " + row);
        return item;
    }

    function test_uploadPauseResume() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = findChild(page, "transferList");
        const model = AppController.transfers;
        const row = model.count;
        AppController.upload([TestSeed.bigFile]);
        compare(model.count, row + 1);
        compare(model.stateAt(row), "running");

        // Pause from the row's own button, before the event loop lets the upload run: however
        // fast the loopback, it cannot finish first.
        let item = rowItem(list, row);
        const pause = findChild(item, "pauseButton");
        verify(pause.visible);
        mouseClick(pause);
        tryCompare(model, "activeCount", 0, 10000);
        compare(model.stateAt(row), "paused");
        item = rowItem(list, row);
        compare(item.transferState, "paused");
        verify(item.progress < 1);

        // Resume continues; the upload finishes and the object appears in the bucket.
        const resume = findChild(item, "resumeButton");
        verify(resume.visible);
        mouseClick(resume);
        tryVerify(() => model.stateAt(row) === "succeeded", 120000, "state " + model.stateAt(row));
        compare(rowItem(list, row).progress, 1);
    }

    function test_downloadAndCancel() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = findChild(page, "transferList");
        const model = AppController.transfers;

        const row = model.count;
        AppController.download("readme.txt", TestSeed.downloadFolder);
        tryVerify(() => model.stateAt(row) === "succeeded", 30000, "state " + model.stateAt(row));

        const second = model.count;
        AppController.upload([TestSeed.bigFile]);
        const item = rowItem(list, second);
        const cancel = findChild(item, "cancelButton");
        verify(cancel.visible);
        mouseClick(cancel);
        tryVerify(() => model.stateAt(second) === "canceled", 30000, "state " + model.stateAt(second));
        compare(model.activeCount, 0);
    }

    // After the other tests: an image of the page with finished, paused and canceled rows.
    function test_zz_grabPage() {
        const page = createTemporaryObject(pageComponent, testCase, { width: 360, height: 600 });
        const model = AppController.transfers;
        const row = model.count;
        AppController.upload([TestSeed.bigFile]);
        model.pause(row);
        waitForRendering(page);
        grabImage(page).save(TestSeed.screenshotDir + "/transfers-360.png");
        model.cancel(row);
        tryVerify(() => model.stateAt(row) === "canceled", 30000);
    }

    function test_uploadSeveralFiles() {
        const model = AppController.transfers;
        const first = model.count;
        AppController.upload([TestSeed.smallFile, TestSeed.smallFile]);
        compare(model.count, first + 2);
        tryVerify(() => model.stateAt(first) === "succeeded" && model.stateAt(first + 1) === "succeeded",
                  30000);
    }
}
