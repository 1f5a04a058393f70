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

    // The delegate of the model's row @p row (the list shows it sorted: active first).
    function rowItem(list, row) {
        list.forceLayout();
        const at = list.model.viewRow(row);
        verify(at >= 0, "row " + row + " is filtered out");
        list.positionViewAtIndex(at, ListView.Contain);
        const item = list.itemAtIndex(at);
        verify(item !== null, "no delegate for row " + row);
        compare(item.sourceRow, row);
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

    // A finished, a paused and a failed row: active first, progress bars of one width whatever
    // the buttons, Retry only where it can help, filters, plurals in the summary.
    function test_orderFiltersAndRows() {
        const model = AppController.transfers;
        model.clearFinished();
        AppController.actions.batches.clearFinished(); // the summary counts batches too
        const done = model.count;
        AppController.upload([TestSeed.smallFile]);
        tryVerify(() => model.stateAt(done) === "succeeded", 30000, "state " + model.stateAt(done));
        const missing = model.count;
        AppController.download("no-such-key-" + Date.now() + ".bin", TestSeed.downloadFolder);
        tryVerify(() => model.stateAt(missing) === "failed", 30000, "state " + model.stateAt(missing));
        const paused = model.count;
        AppController.upload([TestSeed.bigFile]);
        model.pause(paused);
        tryCompare(model, "activeCount", 0, 10000);

        const page = createTemporaryObject(pageComponent, testCase, { width: 360, height: 600 });
        const list = findChild(page, "transferList");
        waitForRendering(page);
        // The newest, still unfinished transfer is at the top, not below the history.
        compare(list.model.sourceRow(0), paused);
        verify(list.model.viewRow(missing) < list.model.viewRow(done));

        const pausedItem = rowItem(list, paused);
        const failedItem = rowItem(list, missing);
        const doneItem = rowItem(list, done);
        const widths = [pausedItem, failedItem, doneItem].map(
                  item => findChild(item, "transferProgress").width);
        compare(widths[1], widths[0]);
        compare(widths[2], widths[0]);
        verify(!findChild(failedItem, "retryButton").visible, "Retry offered for a missing key");
        verify(findChild(doneItem, "openButton").visible);
        verify(findChild(doneItem, "moreButton").visible);
        // On a phone the status line and the speed line are separate.
        verify(pausedItem.narrow);

        const summary = findChild(page, "transferSummary");
        verify(summary.text.indexOf("(s)") < 0, summary.text);
        verify(summary.text.indexOf("1 paused") >= 0, summary.text);
        verify(summary.text.indexOf("1 failed") >= 0, summary.text);

        mouseClick(findChild(page, "filterFailed"));
        compare(page.filter, "failed");
        compare(list.count, model.failedCount);
        compare(list.model.sourceRow(0), missing);
        mouseClick(findChild(page, "filterFinished"));
        compare(list.count, model.finishedCount);
        mouseClick(findChild(page, "filterActive"));
        compare(list.count, model.pausedCount + model.queuedCount + model.runningCount);
        mouseClick(findChild(page, "filterAll"));
        compare(list.count, model.count);
        model.cancel(paused);
        tryVerify(() => model.stateAt(paused) === "canceled", 30000);
    }

    // Batch rows: the unfinished one first, filtered by the tabs and counted in the summary;
    // Show in folder on a finished row, Resume and Cancel on a paused one.
    function test_batchRows() {
        const batches = AppController.actions.batches;
        AppController.transfers.clearFinished();
        batches.clearFinished();
        const done = batches.count;
        AppController.actions.uploadUrls([TestSeed.smallFile]);
        tryVerify(() => batches.stateAt(done) === "succeeded", 30000, "state " + batches.stateAt(done));
        const paused = batches.count;
        AppController.actions.uploadUrls([TestSeed.bigFile]);
        batches.pause(paused);
        compare(batches.stateAt(paused), "paused");

        const page = createTemporaryObject(pageComponent, testCase, { width: 360, height: 600 });
        const list = findChild(page, "batchList");
        waitForRendering(page);
        verify(list.visible);
        compare(list.model.sourceRow(0), paused);
        const pausedItem = rowItem(list, paused);
        const doneItem = rowItem(list, done);
        verify(findChild(pausedItem, "batchResumeButton").visible);
        verify(findChild(pausedItem, "batchCancelButton").visible);
        verify(!findChild(pausedItem, "batchFolderButton").visible);
        verify(findChild(doneItem, "batchFolderButton").visible);
        verify(!findChild(doneItem, "batchResumeButton").visible);
        verify(pausedItem.narrow);
        compare(findChild(pausedItem, "batchProgress").width, findChild(doneItem, "batchProgress").width);
        const summary = findChild(page, "transferSummary");
        verify(summary.text.indexOf("1 paused") >= 0, summary.text);

        mouseClick(findChild(page, "filterFinished"));
        compare(list.count, 1);
        compare(list.model.sourceRow(0), done);
        mouseClick(findChild(page, "filterActive"));
        compare(list.count, 1);
        compare(list.model.sourceRow(0), paused);
        mouseClick(findChild(page, "filterFailed"));
        compare(list.count, 0);
        verify(!list.visible);
        mouseClick(findChild(page, "filterAll"));
        compare(list.count, 2);
        batches.cancel(paused);
        compare(batches.stateAt(paused), "canceled");
        batches.clearFinished();
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
