import QtQuick
import QtQuick.Controls
import QtTest
import CosDemo
import CosDemoTest

// The Settings page: fields bound to a SettingsForm, messages once a field was edited (or on
// Save), and Save refused (nothing written) while a field has a problem.
TestCase {
    id: testCase

    name: "Settings"
    when: windowShown
    width: 1280
    height: 900
    visible: true

    Component {
        id: pageComponent

        SettingsPage {
            width: 480
            height: 900
            settings: AppController.settings
        }
    }

    function field(page, name) {
        const item = findChild(page, name);
        verify(item !== null, "no child named " + name);
        return item;
    }

    function test_signingUrlValidation() {
        const page = createTemporaryObject(pageComponent, testCase);
        mouseClick(field(page, "sourceUrl"));
        compare(page.embedded, false);
        const url = field(page, "signingUrlField");
        const error = field(page, "signingUrlError");
        const save = field(page, "saveButton");

        // Nothing is marked red before the field is changed, even when it is not valid yet.
        compare(error.text, "");
        url.text = "x";
        url.text = "";
        verify(error.text.indexOf("Enter the URL") >= 0, error.text);
        verify(!page.form.valid);

        url.text = "ftp://example.com/sts";
        verify(error.text.indexOf("http") >= 0, error.text);
        verify(!page.form.valid);

        url.text = "http://signer.example.com/sts";
        verify(error.text.indexOf("https://") >= 0, error.text);
        // Save refuses an invalid form: nothing is written, the page stays.
        const savedUrl = AppController.settings.signingUrl;
        const saved = createTemporaryObject(savedSpy, testCase, { target: page });
        mouseClick(save);
        compare(saved.count, 0);
        compare(AppController.settings.signingUrl, savedUrl);

        url.text = "http://127.0.0.1:5000/sts";
        compare(error.text, "");
        compare(error.visible, false);
    }

    function test_endpointAndRegion() {
        const page = createTemporaryObject(pageComponent, testCase);
        mouseClick(field(page, "dialectS3"));
        compare(page.form.dialect, "s3");
        const endpoint = field(page, "endpointField");
        verify(endpoint.visible);
        verify(field(page, "pathStyleSwitch").visible);
        verify(!field(page, "appIdField").visible);
        endpoint.text = "";
        verify(field(page, "endpointError").text.indexOf("S3 endpoint") >= 0);
        endpoint.text = "http://127.0.0.1:7480/some/path";
        verify(field(page, "endpointError").text.indexOf("/some/path") >= 0);
        endpoint.text = "http://127.0.0.1:7480";
        compare(field(page, "endpointError").text, "");

        const region = field(page, "regionField");
        region.text = "Not A Region";
        verify(field(page, "regionError").text.length > 0);
        verify(!page.form.valid);
        region.text = "us-east-1";
        compare(field(page, "regionError").text, "");

        mouseClick(field(page, "dialectCos"));
        verify(!endpoint.visible);
        const appId = field(page, "appIdField");
        verify(appId.visible);
        appId.text = "12ab";
        verify(field(page, "appIdError").text.indexOf("digits") >= 0);
        appId.text = "1250000000";
        compare(field(page, "appIdError").text, "");
    }

    function test_endpointOptions() {
        const page = createTemporaryObject(pageComponent, testCase);
        mouseClick(field(page, "dialectCos"));
        field(page, "regionField").text = "ap-guangzhou";
        field(page, "appIdField").text = "1250000000";
        const domain = field(page, "domainField");
        const error = field(page, "endpointOptionsError");
        verify(!domain.visible); // folded away while nothing is set
        field(page, "endpointOptionsBox").checked = true;
        verify(domain.visible);
        verify(field(page, "accelerateBox").visible);
        verify(field(page, "backupDomainBox").checked);
        domain.text = "{Bucket}.{Zone}.example.com";
        verify(error.text.indexOf("unknown placeholder") >= 0, error.text);
        verify(!page.form.valid);
        domain.text = "{Bucket}.cos.{Region}.tencentcos.cn";
        compare(error.text, "");
        // Set rather than clicked: with the environment's notes the box may be below the fold.
        field(page, "accelerateBox").checked = true;
        verify(error.text.indexOf("Choose one") >= 0, error.text);
        field(page, "accelerateBox").checked = false;
        compare(error.text, "");
        const connectTo = field(page, "connectToField");
        connectTo.text = "127.0.0.1:port";
        verify(error.text.indexOf("HOST[:PORT]") >= 0, error.text);
        connectTo.text = "127.0.0.1:8080";
        compare(error.text, "");
        compare(page.form.domain, "{Bucket}.cos.{Region}.tencentcos.cn");
        compare(page.form.connectTo, "127.0.0.1:8080");
        compare(page.form.backupDomain, true);
        // S3: the COS options are hidden; connect-to stays.
        mouseClick(field(page, "dialectS3"));
        verify(!domain.visible);
        verify(connectTo.visible);
    }

    function test_embeddedSignerWarnsAndHidesKeys() {
        const page = createTemporaryObject(pageComponent, testCase);
        mouseClick(field(page, "sourceEmbedded"));
        compare(page.embedded, true);
        compare(page.form.source, AppSettings.EmbeddedSigner);
        const warning = field(page, "developmentWarning");
        verify(warning.visible);
        verify(warning.text.indexOf("development") >= 0);
        if (!AppController.settings.keysFromEnvironment) {
            const key = field(page, "secretKeyField");
            compare(key.echoMode, TextInput.Password);
            key.text = "short";
            verify(field(page, "secretKeyError").text.length > 0);
        }
    }

    function test_permanentKeysAndEmbeddedSigner() {
        const page = createTemporaryObject(pageComponent, testCase);
        const signerBox = field(page, "embeddedSignerBox");
        const warning = field(page, "developmentWarning");
        // Plain keys: the warning, no grant to choose.
        mouseClick(field(page, "sourceKeys"));
        compare(page.embedded, false);
        compare(page.keys, true);
        verify(warning.visible);
        verify(warning.text.indexOf("permanent key on the device") >= 0, warning.text);
        verify(!signerBox.visible);
        // The embedded signer: the same key fields, plus back end and grant.
        mouseClick(field(page, "sourceEmbedded"));
        verify(signerBox.visible);
        verify(warning.text.indexOf("temporary keys") >= 0, warning.text);
        page.form.dialect = "s3";
        field(page, "stsEndpointField").text = "http://127.0.0.1:7480";
        field(page, "roleArnField").text = "arn:aws:iam:::role/cos-signer";
        field(page, "grantPrefixField").text = "uploads/";
        field(page, "durationField").text = "900";
        for (const name of ["signerBackendError", "stsEndpointError", "roleArnError", "grantPrefixError", "grantActionsError", "keyLifetimeError"])
            compare(field(page, name).text, "", name);
        compare(page.form.grantActions, "upload,download,list");
        compare(page.form.grantPrefix, "uploads/");
        // Each field that cannot work says so under itself, and the form is not valid.
        field(page, "grantPrefixField").text = "../x/";
        verify(field(page, "grantPrefixError").text.indexOf("prefix") >= 0, field(page, "grantPrefixError").text);
        compare(field(page, "roleArnError").text, "");
        verify(!page.form.valid);
        field(page, "grantPrefixField").text = "uploads/";
        compare(field(page, "grantPrefixError").text, "");
        field(page, "roleArnField").text = "";
        verify(field(page, "roleArnError").text.indexOf("ARN") >= 0, field(page, "roleArnError").text);
        compare(field(page, "grantPrefixError").text, "");
        field(page, "roleArnField").text = "arn:aws:iam:::role/cos-signer";
        for (const name of ["grantUpload", "grantDownload", "grantList"])
            field(page, name).checked = false;
        compare(page.form.grantActions, "");
        verify(field(page, "grantActionsError").text.length > 0);
        field(page, "grantUpload").checked = true;
        compare(field(page, "grantActionsError").text, "");
        field(page, "durationField").text = "5000.7";
        verify(field(page, "keyLifetimeError").text.indexOf("lifetime") >= 0, field(page, "keyLifetimeError").text);
        compare(field(page, "grantActionsError").text, "");
    }

    // What is stored is a status line, never a value; Replace and Forget only for a stored key.
    function test_storedKeyStatus() {
        const page = createTemporaryObject(pageComponent, testCase);
        mouseClick(field(page, "sourceKeys"));
        const status = field(page, "secretKeyStatusText");
        verify(status.visible);
        if (AppController.settings.keysFromEnvironment) {
            verify(status.text.indexOf("environment") >= 0, status.text);
            verify(status.text.indexOf(AppController.settings.maskedSecretId) >= 0, status.text);
        } else {
            compare(page.form.hasStoredSecretKey, false);
            verify(status.text.indexOf("No key") >= 0, status.text);
            verify(field(page, "secretKeyField").visible);
        }
        verify(!field(page, "forgetKeysButton").visible);
        verify(!field(page, "replaceKeysButton").visible);
    }

    function test_testConnectionGivesSpecificResult() {
        if (!TestSeed.sandbox)
            skip("no sandbox");
        const page = createTemporaryObject(pageComponent, testCase);
        const spy = createTemporaryObject(spyComponent, testCase, { target: page.form });
        // The loaded settings (sandbox keys from the environment) work.
        const test = field(page, "testButton");
        verify(test.enabled);
        mouseClick(test);
        spy.wait(30000);
        compare(spy.signalArguments[0][0], true, spy.signalArguments[0][1]);
        verify(field(page, "testResult").text.indexOf("Connected") >= 0);
        // Every step is listed with its own result.
        verify(page.form.testSteps.length >= 2, JSON.stringify(page.form.testSteps));
        verify(page.form.testSteps[0].ok);

        // A closed port: the message names the failure, not just "error".
        page.form.dialect = "s3";
        field(page, "endpointField").text = "http://127.0.0.1:9";
        mouseClick(test);
        spy.wait(30000);
        compare(spy.signalArguments[1][0], false);
        verify(spy.signalArguments[1][1].indexOf("Cannot reach") >= 0, spy.signalArguments[1][1]);
        compare(page.form.testPassed, false);
        compare(page.form.testSteps[page.form.testSteps.length - 1].ok, false);
    }

    // Images of the page at phone and desktop width, for a human to look at.
    function test_zz_grabPages() {
        for (const size of [[360, 720], [1280, 800]]) {
            const page = createTemporaryObject(pageComponent, testCase, { width: size[0], height: size[1] });
            mouseClick(field(page, "sourceEmbedded"));
            waitForRendering(page);
            grabImage(page).save(TestSeed.screenshotDir + "/settings-" + size[0] + ".png");
            // Nothing is wider than the page: a long check box text once widened the form
            // past a phone's edge.
            const box = field(page, "endpointOptionsBox");
            const right = box.mapToItem(page, box.width, 0).x;
            verify(right <= size[0], "the form reaches x=" + right + " on a " + size[0] + " px page");
        }
    }

    Component {
        id: spyComponent

        SignalSpy {
            signalName: "testFinished"
        }
    }
    Component {
        id: savedSpy

        SignalSpy {
            signalName: "saved"
        }
    }
}
