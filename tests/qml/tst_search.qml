import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// The object list's search field on the sandbox: the filter's counts while pages are not loaded,
// and the server-side search by key prefix across the bucket or a folder (unicode keys, more
// than one page of results, opening a result).
TestCase {
    id: testCase

    name: "Search"
    when: windowShown
    width: 800
    height: 700
    visible: true

    // A short page (about four rows in view, no cache buffer): a first page of six rows does
    // not fit, so the list asks for the next page only when scrolled to its end.
    Component {
        id: pageComponent

        ObjectsPage {
            width: 800
            height: 360
            objects: AppController.objects
            wide: true
        }
    }

    function initTestCase() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        tryVerify(() => AppController.connected, 20000, "not connected: " + AppController.connectionError);
    }

    function cleanup() {
        TestSeed.setPageSizes(AppController.objects, 100, 1000);
    }

    function openPage() {
        const page = createTemporaryObject(pageComponent, testCase);
        findChild(page, "objectList").cacheBuffer = 0;
        AppController.openBucket(TestSeed.searchBucket, TestSeed.region);
        waitForList();
        compare(AppController.objects.bucket, TestSeed.searchBucket);
        return page;
    }

    function waitForList() {
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        compare(AppController.objects.errorMessage, "");
    }

    function waitForSearch(page) {
        tryVerify(() => page.search.loaded && !page.search.loading, 20000);
        compare(page.search.errorMessage, "");
    }

    function setMode(page, mode) {
        const box = findChild(page, "searchMode");
        box.activated(["filter", "folder", "bucket"].indexOf(mode));
        compare(page.searchMode, mode);
    }

    function names(list) {
        const out = [];
        for (let i = 0; i < list.count; ++i) {
            list.positionViewAtIndex(i, ListView.Contain);
            out.push(list.itemAtIndex(i).name);
        }
        list.positionViewAtBeginning();
        return out;
    }

    // The filter covers the loaded rows only, and its count says so.
    function test_filterCountsWithUnloadedPages() {
        TestSeed.setPageSizes(AppController.objects, 2, 2);
        const page = openPage();
        const status = findChild(page, "searchStatus");
        const field = findChild(page, "objectFilter");
        verify(!status.visible);
        field.text = "a+b";
        field.textEdited();
        compare(AppController.objects.filter, "a+b");
        // Loaded again under the filter: the first page (the folder Grüße and Grüßen.txt) has
        // no match, no row is shown, so the list asks for nothing more.
        AppController.objects.reload();
        waitForList();
        compare(AppController.objects.totalCount, 2);
        verify(AppController.objects.canFetchMore);
        verify(status.visible);
        compare(status.text, "0 results in the loaded 2 of this folder");
        const placeholder = findChild(page, "objectsPlaceholder");
        verify(placeholder.visible);
        compare(placeholder.text, "None of the first 2 loaded items matches; load more to search further.");
        compare(placeholder.actionText, "Load more");
        placeholder.actionTriggered();
        // The rest arrives (the button, then the list itself as rows appear, or the test).
        for (let guard = 0; guard < 10 && (AppController.objects.canFetchMore || AppController.objects.loading); ++guard) {
            tryVerify(() => !AppController.objects.loading, 20000);
            if (AppController.objects.canFetchMore)
                AppController.objects.loadMore();
        }
        compare(AppController.objects.totalCount, 6);
        compare(status.text, "1 result of 6 in this folder");
        const list = findChild(page, "objectList");
        compare(names(list), ["a+b c.txt"]);
        // Clearing the field ends the filter.
        field.cleared();
        compare(AppController.objects.filter, "");
        verify(!status.visible);
    }

    // The whole bucket, by key prefix, page by page; names are full keys.
    function test_searchBucketPages() {
        const page = openPage();
        TestSeed.setPageSizes(page.search, 6, 6);
        setMode(page, "bucket");
        const field = findChild(page, "objectFilter");
        const status = findChild(page, "searchStatus");
        const list = findChild(page, "objectList");
        compare(field.placeholderText, "Keys starting with…");
        field.text = "Grüße";
        field.textEdited();
        // The server is asked once typing pauses.
        verify(!page.search.active);
        tryVerify(() => page.search.active, 2000);
        compare(page.search.keyPrefix, "Grüße");
        waitForSearch(page);
        compare(list.model, page.search);
        compare(page.search.count, 6);
        verify(page.search.canFetchMore);
        compare(status.text, "6 results so far, more on the server");
        // The rows' delegates are made at the next layout: make them now.
        list.forceLayout();
        compare(list.itemAtIndex(0).name, "Grüße/brief-01.txt");
        compare(list.itemAtIndex(0).key, "Grüße/brief-01.txt");
        const more = findChild(page, "moreBar");
        verify(more.visible);

        // Scrolling to the end loads the rest.
        list.positionViewAtEnd();
        tryVerify(() => !page.search.canFetchMore && !page.search.loading, 20000);
        compare(page.search.count, 11);
        compare(status.text, "11 results");
        compare(names(list), ["Grüße/brief-01.txt", "Grüße/brief-02.txt", "Grüße/brief-03.txt",
                              "Grüße/brief-04.txt", "Grüße/brief-05.txt", "Grüße/brief-06.txt",
                              "Grüße/brief-07.txt", "Grüße/empty/", "Grüße/日本/写真-1.png",
                              "Grüße/日本/写真-2.png", "Grüßen.txt"]);
        verify(!more.visible);
        // The folder list underneath is untouched, and back when the field is cleared.
        compare(AppController.objects.filter, "");
        field.cleared();
        verify(!page.search.active);
        compare(list.model, AppController.objects);
        compare(list.count, 6);
    }

    // Case as typed; nothing found says what the search compares.
    function test_searchWithoutMatch() {
        const page = openPage();
        setMode(page, "bucket");
        const field = findChild(page, "objectFilter");
        field.text = "grüße";
        field.accepted(); // Enter: at once
        verify(page.search.active);
        waitForSearch(page);
        const list = findChild(page, "objectList");
        compare(names(list), ["grüße-lower.txt"]);
        compare(findChild(page, "searchStatus").text, "1 result");

        field.text = "GRÜSSE";
        field.accepted();
        waitForSearch(page);
        compare(list.count, 0);
        const placeholder = findChild(page, "objectsPlaceholder");
        verify(placeholder.visible);
        compare(placeholder.title, "No key starts with \"GRÜSSE\"");
        verify(placeholder.text.indexOf("upper and lower case") >= 0, placeholder.text);
        compare(findChild(page, "searchStatus").text, "0 results");

        // Text no key can start with: said so, nothing asked.
        field.text = "tab\there";
        field.accepted();
        verify(!page.search.loading);
        compare(placeholder.title, "Cannot search for this text");
        verify(placeholder.text.indexOf("U+0009") >= 0, placeholder.text);
        compare(placeholder.actionText, "");
        compare(findChild(page, "searchStatus").text, "Not searched: the server cannot match this text.");

        // Back to the filter: the text filters the folder's loaded rows by name instead.
        setMode(page, "filter");
        verify(!page.search.active);
        compare(AppController.objects.filter, "tab\there");
        field.text = "lower";
        field.textEdited();
        compare(names(list), ["grüße-lower.txt"]);
    }

    // "Search folder": the open folder and its sub-folders.
    function test_searchFolder() {
        const page = openPage();
        AppController.objects.openFolder("other/");
        waitForList();
        setMode(page, "folder");
        const field = findChild(page, "objectFilter");
        compare(field.placeholderText, "Keys here starting with…");
        field.text = "Grü";
        field.accepted();
        compare(page.search.keyPrefix, "other/Grü");
        waitForSearch(page);
        compare(names(findChild(page, "objectList")), ["other/Grüße.txt"]);
        // Going up widens the search to the bucket's top.
        AppController.objects.openLevel(0);
        compare(page.search.keyPrefix, "Grü");
        waitForSearch(page);
        compare(page.search.count, 11);
    }

    // A folder result opens the folder, a file previews, "Show in folder" opens its folder.
    function test_openResults() {
        const page = openPage();
        setMode(page, "bucket");
        const field = findChild(page, "objectFilter");
        const list = findChild(page, "objectList");
        field.text = "Grüße/";
        field.accepted();
        waitForSearch(page);
        compare(page.search.count, 10);

        list.positionViewAtBeginning();
        const letter = list.itemAtIndex(0);
        compare(letter.name, "Grüße/brief-01.txt");
        mouseClick(letter, 60, letter.height / 2);
        const preview = findChild(page, "previewDialog");
        tryVerify(() => preview.opened, 5000);
        preview.close();
        tryVerify(() => !preview.visible, 5000);

        list.positionViewAtIndex(8, ListView.Contain);
        const photo = list.itemAtIndex(8);
        compare(photo.key, "Grüße/日本/写真-1.png");
        page.openMenu(photo, photo.key, photo.name, false);
        const menu = findChild(page, "objectMenu");
        tryVerify(() => menu.opened, 5000);
        const showItem = findChild(menu.contentItem, "showInFolderItem");
        verify(showItem.visible);
        verify(!findChild(menu.contentItem, "renameItem").visible);
        showItem.triggered();
        menu.close();
        verify(!page.search.active);
        compare(page.searchMode, "filter");
        compare(AppController.objects.prefix, "Grüße/日本/");
        waitForList();
        compare(names(list), ["写真-1.png", "写真-2.png"]);

        AppController.objects.openLevel(0);
        waitForList();
        setMode(page, "bucket");
        field.text = "Grüße/";
        field.accepted();
        waitForSearch(page);
        list.positionViewAtIndex(7, ListView.Contain);
        const folder = list.itemAtIndex(7);
        compare(folder.key, "Grüße/empty/");
        verify(folder.isFolder);
        mouseClick(folder, 60, folder.height / 2);
        verify(!page.search.active);
        compare(AppController.objects.prefix, "Grüße/empty/");
        waitForList();
        compare(list.count, 0);
    }
}
