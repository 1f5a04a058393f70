import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// Previews on the real sandbox: the thumbnail of an image row, the image and a text file
// opened from the list, at desktop and phone width.
TestCase {
    id: testCase

    name: "Preview"
    when: windowShown
    width: 800
    height: 700
    visible: true

    Component {
        id: pageComponent

        ObjectsPage {
            width: testCase.width
            height: testCase.height
            objects: AppController.objects
        }
    }

    function initTestCase() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        tryVerify(() => AppController.connected, 20000, "not connected: " + AppController.connectionError);
    }

    function init_data() {
        return [{ tag: "desktop", wide: true }, { tag: "phone", wide: false }];
    }

    function openPreviewBucket(wide) {
        const page = createTemporaryObject(pageComponent, testCase, { wide: wide });
        AppController.openBucket(TestSeed.previewBucket, TestSeed.region);
        tryVerify(() => AppController.objects.loaded && !AppController.objects.loading, 20000);
        compare(AppController.objects.errorMessage, "");
        const list = findChild(page, "objectList");
        tryCompare(list, "count", 2);
        list.forceLayout();
        return page;
    }

    function row(page, name) {
        const list = findChild(page, "objectList");
        for (let i = 0; i < list.count; ++i) {
            const item = list.itemAtIndex(i);
            if (item && item.name === name)
                return item;
        }
        return null;
    }

    function test_thumbnailAndImage_data() { return init_data(); }
    function test_thumbnailAndImage(data) {
        const page = openPreviewBucket(data.wide);
        const photo = row(page, "photo.png");
        verify(photo !== null);
        verify(photo.thumbnail.startsWith("image://cospreview/thumb/"), photo.thumbnail);
        // The thumbnail replaces the icon once decoded (64 px wide, 300x200 scaled).
        const thumb = findChild(photo, "thumbnail");
        tryCompare(thumb, "status", Image.Ready, 20000);
        verify(thumb.visible);
        compare(thumb.implicitWidth, 64);
        compare(thumb.implicitHeight, 42);
        // A text row has no thumbnail.
        compare(row(page, "hello.txt").thumbnail, "");

        mouseClick(photo, photo.width / 2, photo.height / 2);
        const dialog = findChild(page, "previewDialog");
        tryVerify(() => dialog.opened, 5000);
        compare(dialog.kind, "image");
        const image = findChild(dialog.contentItem, "previewImage");
        tryCompare(image, "status", Image.Ready, 20000);
        compare(image.implicitWidth, 300);
        compare(image.implicitHeight, 200);
        verify(image.width > 0 && image.height > 0);
        compare(findChild(dialog.contentItem, "previewMessage").visible, false);
        dialog.close();
        tryVerify(() => !dialog.visible, 5000);
    }

    function test_text_data() { return init_data(); }
    function test_text(data) {
        const page = openPreviewBucket(data.wide);
        const hello = row(page, "hello.txt");
        mouseClick(hello, hello.width / 2, hello.height / 2);
        const dialog = findChild(page, "previewDialog");
        tryVerify(() => dialog.opened, 5000);
        compare(dialog.kind, "text");
        const text = findChild(dialog.contentItem, "previewText");
        tryCompare(text, "text", "Grüße, 世界\nsecond line\n", 20000);
        verify(text.visible);
        compare(findChild(dialog.contentItem, "previewInfo").text, "Text, UTF-8");
        // Details… hands over to the details dialog.
        mouseClick(findChild(dialog.contentItem, "previewDetailsButton"));
        const details = findChild(page, "detailsDialog");
        tryVerify(() => details.opened, 5000);
        compare(details.key, "hello.txt");
        details.close();
        tryVerify(() => !details.visible, 5000);
    }

    // Copy link in the details also shows the link as a QR code; another expiry hides it.
    function test_linkQrCode() {
        const page = openPreviewBucket(true);
        page.showDetails("hello.txt", "hello.txt", false);
        const dialog = findChild(page, "detailsDialog");
        tryVerify(() => dialog.opened, 5000);
        const qr = findChild(dialog.contentItem, "linkQrCode");
        verify(!qr.visible);
        mouseClick(findChild(dialog.contentItem, "copyLinkButton"));
        tryVerify(() => dialog.link.length > 0, 20000);
        verify(dialog.link.indexOf("hello.txt") > 0, dialog.link);
        compare(qr.source.toString(), QrCode.source(dialog.link));
        tryCompare(qr, "status", Image.Ready, 5000);
        verify(qr.visible);
        verify(qr.implicitWidth > 100 && qr.implicitWidth <= 200, qr.implicitWidth);
        verify(findChild(dialog.contentItem, "linkQrHint").text.indexOf("Scan") === 0);
        const expiry = findChild(dialog.contentItem, "linkExpiryBox");
        expiry.currentIndex = 2;
        expiry.activated(2);
        compare(dialog.link, "");
        verify(!qr.visible);
        dialog.close();
        tryVerify(() => !dialog.visible, 5000);
    }
}
