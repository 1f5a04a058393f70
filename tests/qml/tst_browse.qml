import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// Opening a bucket, a folder, the breadcrumbs back, and the filter, on the real sandbox.
TestCase {
    id: testCase

    name: "Browse"
    when: windowShown
    width: 800
    height: 700
    visible: true

    Component {
        id: pageComponent

        ObjectsPage {
            width: 800
            height: 700
            objects: AppController.objects
            wide: true
        }
    }

    function initTestCase() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        tryVerify(() => AppController.connected, 20000, "not connected: " + AppController.connectionError);
    }

    function openSeedBucket(page) {
        AppController.openBucket(TestSeed.bucket, TestSeed.region);
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        compare(AppController.objects.errorMessage, "");
        const list = findChild(page, "objectList");
        tryCompare(list, "count", 8);
        return list;
    }

    function test_openFolderAndBreadcrumbs() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = openSeedBucket(page);
        compare(AppController.objects.breadcrumbs, [TestSeed.bucket]);

        // The first row is the folder "docs": a click opens it.
        list.positionViewAtBeginning();
        const docs = list.itemAtIndex(0);
        verify(docs !== null);
        compare(docs.name, "docs");
        compare(docs.isFolder, true);
        mouseClick(docs, 40, docs.height / 2);
        compare(AppController.objects.prefix, "docs/");
        compare(AppController.objects.breadcrumbs, [TestSeed.bucket, "docs"]);
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        tryCompare(list, "count", 2);
        list.forceLayout();
        compare(list.itemAtIndex(0).name, "2026");
        compare(list.itemAtIndex(1).name, "data.json");
        compare(list.itemAtIndex(1).typeName, "JSON");

        // The bucket crumb goes back to the root.
        const crumbs = findChild(page, "breadcrumbs");
        crumbs.levelClicked(0);
        compare(AppController.objects.prefix, "");
        tryCompare(list, "count", 8);
    }

    // Desktop: a click on a column header sorts by it, a second click turns the order round;
    // phone: the sort menu.
    function test_sort() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = openSeedBucket(page);
        const size = findChild(page, "sizeHeader");
        mouseClick(size);
        compare(AppController.objects.sortKey, "size");
        compare(AppController.objects.sortDescending, true);
        verify(size.text.indexOf("↓") > 0, size.text);
        list.forceLayout();
        compare(list.itemAtIndex(3).name, "report.json"); // after the three folders
        mouseClick(size);
        compare(AppController.objects.sortDescending, false);
        list.forceLayout();
        compare(list.itemAtIndex(7).name, "report.json");

        page.wide = false;
        const button = findChild(page, "sortButton");
        verify(button.visible);
        mouseClick(button);
        const menu = findChild(page, "sortMenu");
        tryVerify(() => menu.opened, 5000);
        compare(menu.count, 6);
        menu.itemAt(0).triggered(); // name, A to Z
        compare(AppController.objects.sortKey, "name");
        compare(AppController.objects.sortDescending, false);
        menu.close();
        list.forceLayout();
        compare(list.itemAtIndex(3).name, "a.bin");
    }

    function test_filter() {
        const page = createTemporaryObject(pageComponent, testCase);
        const list = openSeedBucket(page);
        const filter = findChild(page, "objectFilter");
        filter.forceActiveFocus();
        keyClick(Qt.Key_R);
        keyClick(Qt.Key_E);
        compare(AppController.objects.filter, "re");
        tryCompare(list, "count", 2);
        filter.text = "";
        filter.textEdited();
        tryCompare(list, "count", 8);
    }

    function test_emptyFolderShowsPlaceholder() {
        const page = createTemporaryObject(pageComponent, testCase);
        openSeedBucket(page);
        AppController.objects.openFolder("empty/");
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        const placeholder = findChild(page, "objectsPlaceholder");
        verify(placeholder.visible);
        compare(placeholder.title, "This folder is empty");
    }

    function test_missingBucketShowsActionableError() {
        const page = createTemporaryObject(pageComponent, testCase);
        AppController.openBucket("no-such-bucket-qml-test", TestSeed.region);
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        const placeholder = findChild(page, "objectsPlaceholder");
        verify(placeholder.visible);
        verify(placeholder.isError);
        verify(placeholder.text.indexOf("does not exist") >= 0, placeholder.text);
        compare(placeholder.actionText, "Retry");
    }
}
