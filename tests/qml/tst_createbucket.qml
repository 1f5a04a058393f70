import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// The New bucket dialog checks the name as you type and creates the bucket on the sandbox.
TestCase {
    id: testCase

    name: "CreateBucket"
    when: windowShown
    width: 480
    height: 640
    visible: true

    CreateBucketDialog {
        id: dialog

        regions: AppController.regions
    }

    function test_nameValidationAndCreate() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        tryVerify(() => AppController.connected, 20000);
        dialog.openFor("");
        tryCompare(dialog, "opened", true);
        const field = findChild(dialog, "bucketNameField");
        const ok = dialog.standardButton(Dialog.Ok);
        compare(ok.text, "Create");

        field.text = "Bad_Name";
        verify(dialog.nameError.length > 0);
        verify(!ok.enabled);
        field.text = "ab";
        verify(dialog.nameError.indexOf("3 to 63") >= 0, dialog.nameError);
        verify(!ok.enabled);

        const name = "app-qml-new-" + Date.now() % 100000000;
        field.text = name;
        compare(dialog.nameError, "");
        verify(ok.enabled);
        waitForRendering(dialog.contentItem);
        grabImage(testCase).save(TestSeed.screenshotDir + "/create-bucket-480.png");

        const spy = createTemporaryObject(spyComponent, testCase);
        mouseClick(ok);
        spy.wait(20000);
        compare(spy.signalArguments[0][0], name);
        tryVerify(() => {
            for (let i = 0; i < AppController.buckets.count; ++i) {
                if (AppController.buckets.data(AppController.buckets.index(i, 0), 257) === name)
                    return true;
            }
            return false;
        }, 20000, "the new bucket is not listed");
    }

    Component {
        id: spyComponent

        SignalSpy {
            target: AppController
            signalName: "bucketCreated"
        }
    }
}
