pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// First run and Settings: credential source, endpoint dialect, default region and bucket.
// Every field is validated as you type; Save is enabled only when the form is valid.
Page {
    id: root

    required property AppSettings settings
    property bool firstRun: false

    // The draft; written to the settings only on Save.
    property int source: AppSettings.SigningUrl
    property bool loaded: false
    property string dialect: "cos"
    readonly property bool s3: root.dialect === "s3"
    readonly property bool embedded: root.source === AppSettings.EmbeddedSigner
    // Both the embedded signer and the plain keys need the permanent key on the device.
    readonly property bool keys: root.source !== AppSettings.SigningUrl

    readonly property string signingUrlError: root.keys ? "" : root.settings.validateSigningUrl(signingUrlField.text)
    readonly property string bearerError: root.keys ? "" : root.settings.validateBearerToken(bearerField.text)
    readonly property string secretIdError: !root.keys || root.settings.keysFromEnvironment
                                             || (secretIdField.text.length === 0 && AppController.hasStoredSecretKey)
                                             ? "" : root.settings.validateSecretId(secretIdField.text)
    readonly property string secretKeyError: !root.keys || root.settings.keysFromEnvironment
                                              ? "" : root.settings.validateSecretKey(secretKeyField.text, AppController.hasStoredSecretKey)
    readonly property string signerError: root.embedded ? root.settings.validateEmbeddedSigner(root.dialect, root.signerOptions()) : ""
    readonly property string endpointError: root.settings.validateEndpointUrl(root.dialect, endpointField.text)
    readonly property string regionError: root.settings.validateRegion(regionField.text)
    readonly property string appIdError: root.settings.validateAppId(root.dialect, appIdField.text)
    readonly property string endpointOptionsError: root.settings.validateEndpointOptions(
        root.dialect, regionField.text, appIdField.text, root.endpointOptions())
    // Validation messages appear once a field was changed (not on an untouched first-run form).
    function shown(field: Item, error: string): string {
        return field.edited ? error : "";
    }

    readonly property bool valid: root.signingUrlError === "" && root.bearerError === ""
                                  && root.secretIdError === "" && root.secretKeyError === ""
                                  && root.endpointError === "" && root.regionError === ""
                                  && root.appIdError === "" && root.endpointOptionsError === ""
                                  && root.signerError === ""

    signal saved()

    // The COS endpoint options of the draft, named like the AppSettings properties.
    function endpointOptions(): var {
        return {
            protocol: httpBox.checked ? "http" : "",
            domain: domainField.text,
            serviceDomain: serviceDomainField.text,
            accelerate: accelerateBox.checked,
            internal: internalBox.checked,
            connectTo: connectToField.text,
            backupDomain: backupDomainBox.checked
        };
    }

    // The embedded signer's options of the draft, named like AppSettings.embeddedSigner.
    function signerOptions(): var {
        const actions = [];
        for (const box of [uploadBox, downloadBox, listBox, deleteBox]) {
            if (box.checked)
                actions.push(box.grant);
        }
        return {
            backend: backendPicker.currentValue,
            stsEndpoint: stsEndpointField.text,
            roleArn: roleArnField.text,
            bucket: grantBucketField.text,
            prefix: grantPrefixField.text,
            actions: actions.join(","),
            durationSeconds: durationField.text
        };
    }

    function load(): void {
        root.source = root.settings.credentialSource;
        root.dialect = root.settings.dialect;
        signingUrlField.text = root.settings.signingUrl;
        bearerField.text = "";
        secretIdField.text = "";
        secretKeyField.text = "";
        endpointField.text = root.settings.endpointUrl;
        pathStyleSwitch.checked = root.settings.pathStyle;
        regionField.text = root.settings.defaultRegion;
        appIdField.text = root.settings.appId;
        bucketField.text = root.settings.defaultBucket;
        httpBox.checked = root.settings.protocol.toLowerCase().startsWith("http") && !root.settings.protocol.toLowerCase().startsWith("https");
        domainField.text = root.settings.domain;
        serviceDomainField.text = root.settings.serviceDomain;
        accelerateBox.checked = root.settings.accelerate;
        internalBox.checked = root.settings.internal;
        connectToField.text = root.settings.connectTo;
        backupDomainBox.checked = root.settings.backupDomain;
        const signer = root.settings.embeddedSigner;
        backendPicker.currentIndex = Math.max(0, backendPicker.indexOfValue(signer.backend));
        stsEndpointField.text = signer.stsEndpoint;
        roleArnField.text = signer.roleArn;
        grantBucketField.text = signer.bucket;
        grantPrefixField.text = signer.prefix;
        const actions = signer.actions.split(",");
        for (const box of [uploadBox, downloadBox, listBox, deleteBox])
            box.checked = actions.indexOf(box.grant) >= 0;
        durationField.text = signer.durationSeconds;
        advancedBox.checked = httpBox.checked || domainField.text !== "" || serviceDomainField.text !== ""
                              || accelerateBox.checked || internalBox.checked || connectToField.text !== ""
                              || !backupDomainBox.checked;
        testResult.text = "";
        for (const f of [signingUrlField, bearerField, secretIdField, secretKeyField, endpointField, regionField, appIdField, bucketField])
            f.edited = false;
        root.loaded = true;
    }

    function save(): void {
        AppController.saveSettings(root.source, signingUrlField.text, bearerField.text,
                                   clearTokenBox.checked, root.dialect, endpointField.text,
                                   pathStyleSwitch.checked, regionField.text, appIdField.text,
                                   secretIdField.text, secretKeyField.text, bucketField.text,
                                   root.endpointOptions(), root.signerOptions());
        bearerField.text = "";
        secretKeyField.text = "";
        secretIdField.text = "";
        root.saved();
    }

    function test(): void {
        testResult.text = "";
        AppController.testConnection(root.source, signingUrlField.text, bearerField.text,
                                     root.dialect, endpointField.text, pathStyleSwitch.checked,
                                     regionField.text, appIdField.text, secretIdField.text,
                                     secretKeyField.text, bucketField.text, root.endpointOptions(),
                                     root.signerOptions());
    }

    title: root.firstRun ? qsTr("Welcome") : qsTr("Settings")
    Component.onCompleted: root.load()

    Connections {
        target: AppController

        function onTestFinished(ok: bool, message: string): void {
            testResult.ok = ok;
            testResult.text = message;
        }
    }

    // Always in view (also on a phone with the keyboard open): the test result, Test and Save.
    footer: Pane {
        objectName: "settingsActions"
        padding: 8
        leftPadding: 16
        rightPadding: 16
        Material.elevation: 0

        ColumnLayout {
            anchors.fill: parent
            spacing: 4

            RowLayout {
                Layout.fillWidth: true
                visible: testResult.text.length > 0
                spacing: 8

                Icon {
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredWidth: 20
                    Layout.preferredHeight: 20
                    name: testResult.ok ? "check" : "error"
                    color: testResult.ok ? Material.color(Material.Green) : Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
                }
                Label {
                    id: testResult

                    property bool ok: false

                    objectName: "testResult"
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 8

                Button {
                    objectName: "testButton"
                    text: qsTr("Test connection")
                    Material.elevation: 0
                    enabled: root.valid && !AppController.testing
                    onClicked: root.test()
                }
                BusyIndicator {
                    Layout.preferredWidth: 32
                    Layout.preferredHeight: 32
                    running: AppController.testing
                    visible: running
                }
                Item {
                    Layout.fillWidth: true
                }
                PrimaryButton {
                    objectName: "saveButton"
                    text: qsTr("Save")
                    enabled: root.valid
                    onClicked: root.save()
                }
            }
        }
    }

    ScrollView {
        id: scroll

        anchors.fill: parent
        contentWidth: availableWidth

        ColumnLayout {
            width: Math.min(scroll.availableWidth - 32, 640)
            x: (scroll.availableWidth - width) / 2
            spacing: 6

            Label {
                Layout.fillWidth: true
                Layout.topMargin: 16
                visible: root.firstRun
                text: qsTr("Connect to Tencent Cloud COS or an S3-compatible store. The recommended way is a signing service that hands out short-lived keys (for example cos-signer from this project).")
                wrapMode: Text.Wrap
            }
            InlineMessage {
                Layout.fillWidth: true
                Layout.topMargin: 8
                isError: false
                text: root.settings.environmentOverrides.length > 0
                      ? qsTr("Set in the environment for this run (they win over saved values): %1").arg(root.settings.environmentOverrides.join(", "))
                      : ""
            }

            // --- Credentials -------------------------------------------------------------
            Label {
                Layout.topMargin: 16
                text: qsTr("Credentials")
                font.pixelSize: 16
                font.weight: Font.Medium
                color: Material.accentColor
            }
            CredentialInfo {
                Layout.fillWidth: true
                info: AppController.credentialInfo
            }
            RadioButton {
                objectName: "sourceUrl"
                text: qsTr("Signing URL (temporary keys)")
                checked: !root.keys
                onClicked: root.source = AppSettings.SigningUrl
            }
            RadioButton {
                objectName: "sourceEmbedded"
                text: qsTr("Embedded signer (development)")
                checked: root.embedded
                onClicked: root.source = AppSettings.EmbeddedSigner
            }
            RadioButton {
                objectName: "sourceKeys"
                text: qsTr("Permanent keys (no signer)")
                checked: root.source === AppSettings.PermanentKeys
                onClicked: root.source = AppSettings.PermanentKeys
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 8
                visible: !root.keys
                spacing: 4

                FieldLabel {
                    text: qsTr("Signing URL")
                }
                TextField {
                    id: signingUrlField

                    property bool edited: false

                    onTextChanged: edited = root.loaded

                    objectName: "signingUrlField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("e.g. http://127.0.0.1:5000/sts")
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    selectByMouse: true
                }
                FieldError {
                    objectName: "signingUrlError"
                    Layout.fillWidth: true
                    text: root.shown(signingUrlField, root.signingUrlError)
                }
                FieldLabel {
                    text: AppController.hasBearerToken ? qsTr("Bearer token: stored; type a new one to replace it") : qsTr("Bearer token (optional)")
                }
                TextField {
                    id: bearerField

                    property bool edited: false

                    onTextChanged: edited = root.loaded

                    objectName: "bearerField"
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    selectByMouse: true
                }
                FieldError {
                    Layout.fillWidth: true
                    text: root.shown(bearerField, root.bearerError)
                }
                CheckBox {
                    id: clearTokenBox

                    visible: AppController.hasBearerToken
                    text: qsTr("Remove the stored bearer token")
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 8
                visible: root.keys
                spacing: 4

                InlineMessage {
                    objectName: "developmentWarning"
                    Layout.fillWidth: true
                    isError: true
                    text: root.embedded
                          ? qsTr("For development only. This puts a permanent key on the device: the app runs the signer itself and signs requests only with the temporary keys it issues for the grant below, but anyone with the device can take the permanent key. Ship apps with a signing service instead; never put keys into a build.")
                          : qsTr("For development only. This puts a permanent key on the device, and the app signs every request with it: it may do everything the key's owner may do. Ship apps with a signing service instead; never put keys into a build.")
                }
                Label {
                    Layout.fillWidth: true
                    visible: root.settings.keysFromEnvironment
                    text: root.embedded
                          ? qsTr("The permanent key comes from the environment (%1).").arg(root.settings.maskedSecretId)
                          : qsTr("Keys come from COS_SECRET_ID and COS_SECRET_KEY (%1).").arg(root.settings.maskedSecretId)
                    wrapMode: Text.Wrap
                    color: Material.secondaryTextColor
                }
                FieldLabel {
                    visible: !root.settings.keysFromEnvironment
                    text: root.settings.maskedSecretId.length > 0
                          ? qsTr("SecretId: %1 stored; type a new one to replace it").arg(root.settings.maskedSecretId)
                          : qsTr("SecretId")
                }
                TextField {
                    id: secretIdField

                    property bool edited: false

                    onTextChanged: edited = root.loaded

                    objectName: "secretIdField"
                    Layout.fillWidth: true
                    visible: !root.settings.keysFromEnvironment
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                    selectByMouse: true
                }
                FieldError {
                    objectName: "secretIdError"
                    Layout.fillWidth: true
                    text: root.shown(secretIdField, root.secretIdError)
                }
                FieldLabel {
                    visible: !root.settings.keysFromEnvironment
                    text: AppController.hasStoredSecretKey
                          ? qsTr("SecretKey: stored in the %1; type a new one to replace it").arg(AppController.secretStoreName)
                          : qsTr("SecretKey")
                }
                TextField {
                    id: secretKeyField

                    property bool edited: false

                    onTextChanged: edited = root.loaded

                    objectName: "secretKeyField"
                    Layout.fillWidth: true
                    visible: !root.settings.keysFromEnvironment
                    echoMode: TextInput.Password
                    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                }
                FieldError {
                    objectName: "secretKeyError"
                    Layout.fillWidth: true
                    text: root.shown(secretKeyField, root.secretKeyError)
                }
                Label {
                    Layout.fillWidth: true
                    visible: !root.settings.keysFromEnvironment
                    text: qsTr("Keys are kept in the %1 and are not shown again.").arg(AppController.secretStoreName)
                    wrapMode: Text.Wrap
                    color: Material.secondaryTextColor
                    font.pixelSize: 12
                }
                Button {
                    visible: AppController.hasStoredSecretKey
                    flat: true
                    text: qsTr("Forget stored keys")
                    onClicked: AppController.forgetSecrets()
                }
            }

            // The embedded signer: the STS back end it asks and the grant of its keys.
            ColumnLayout {
                objectName: "embeddedSignerBox"
                Layout.fillWidth: true
                Layout.leftMargin: 8
                visible: root.embedded
                spacing: 4

                FieldLabel {
                    text: qsTr("STS back end (automatic: Tencent STS for COS, S3 STS for S3)")
                }
                ComboBox {
                    id: backendPicker

                    objectName: "backendPicker"
                    Layout.fillWidth: true
                    textRole: "text"
                    valueRole: "value"
                    model: [
                        { value: "", text: qsTr("Automatic") },
                        { value: "tencent", text: qsTr("Tencent STS") },
                        { value: "s3-sts", text: qsTr("S3 STS") }
                    ]
                }
                FieldLabel {
                    text: qsTr("STS endpoint (empty: Tencent's public STS)")
                }
                TextField {
                    id: stsEndpointField

                    objectName: "stsEndpointField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("e.g. http://127.0.0.1:7480")
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    selectByMouse: true
                }
                FieldLabel {
                    text: qsTr("Role ARN (required for S3 STS)")
                }
                TextField {
                    id: roleArnField

                    objectName: "roleArnField"
                    Layout.fillWidth: true
                    placeholderText: qsTr("e.g. arn:aws:iam:::role/cos-signer")
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    selectByMouse: true
                }
                FieldLabel {
                    text: qsTr("Granted bucket (empty: the default bucket)")
                }
                TextField {
                    id: grantBucketField

                    objectName: "grantBucketField"
                    Layout.fillWidth: true
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    selectByMouse: true
                }
                FieldLabel {
                    text: qsTr("Granted prefix (${uid} is %1; * is the whole bucket)").arg(root.settings.embeddedSignerUid)
                }
                TextField {
                    id: grantPrefixField

                    objectName: "grantPrefixField"
                    Layout.fillWidth: true
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    selectByMouse: true
                }
                FieldLabel {
                    text: qsTr("Granted actions")
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 0

                    CheckBox {
                        id: uploadBox

                        readonly property string grant: "upload"

                        objectName: "grantUpload"
                        text: qsTr("Upload")
                    }
                    CheckBox {
                        id: downloadBox

                        readonly property string grant: "download"

                        objectName: "grantDownload"
                        text: qsTr("Download")
                    }
                    CheckBox {
                        id: listBox

                        readonly property string grant: "list"

                        objectName: "grantList"
                        text: qsTr("List")
                    }
                    CheckBox {
                        id: deleteBox

                        readonly property string grant: "delete"

                        objectName: "grantDelete"
                        text: qsTr("Delete")
                    }
                }
                FieldLabel {
                    text: qsTr("Key lifetime (seconds)")
                }
                TextField {
                    id: durationField

                    objectName: "durationField"
                    Layout.fillWidth: true
                    inputMethodHints: Qt.ImhDigitsOnly
                    selectByMouse: true
                }
                FieldError {
                    objectName: "signerError"
                    Layout.fillWidth: true
                    text: root.signerError
                }
            }

            // --- Endpoint ----------------------------------------------------------------
            Label {
                Layout.topMargin: 16
                text: qsTr("Endpoint")
                font.pixelSize: 16
                font.weight: Font.Medium
                color: Material.accentColor
            }
            RowLayout {
                spacing: 8

                RadioButton {
                    objectName: "dialectCos"
                    text: qsTr("Tencent COS")
                    checked: !root.s3
                    onClicked: root.dialect = "cos"
                }
                RadioButton {
                    objectName: "dialectS3"
                    text: qsTr("S3-compatible")
                    checked: root.s3
                    onClicked: root.dialect = "s3"
                }
            }
            FieldLabel {
                visible: root.s3
                text: qsTr("Endpoint URL")
            }
            TextField {
                id: endpointField

                property bool edited: false

                onTextChanged: edited = root.loaded

                objectName: "endpointField"
                Layout.fillWidth: true
                visible: root.s3
                placeholderText: qsTr("e.g. http://127.0.0.1:7480")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            FieldError {
                objectName: "endpointError"
                Layout.fillWidth: true
                text: root.shown(endpointField, root.endpointError)
            }
            // A CheckBox rather than a Switch: Material's switch handle is drawn through a
            // shader effect that the software renderer (offscreen, screenshots) leaves out.
            CheckBox {
                id: pathStyleSwitch

                objectName: "pathStyleSwitch"
                visible: root.s3
                text: qsTr("Path-style addressing")
            }
            Label {
                Layout.fillWidth: true
                visible: root.s3
                text: qsTr("The bucket goes into the path instead of the host name; most local servers (MinIO, Ceph RGW) need this.")
                wrapMode: Text.Wrap
                color: Material.secondaryTextColor
                font.pixelSize: 12
            }
            FieldLabel {
                text: root.s3 ? qsTr("Region") : qsTr("Default region")
            }
            // COS: a picker over the region list; S3: the endpoint's own region name, typed.
            ComboBox {
                id: regionPicker

                objectName: "regionPicker"
                Layout.fillWidth: true
                visible: !root.s3
                model: AppController.regions
                textRole: "name"
                valueRole: "regionId"
                currentIndex: regionField.text.length > 0 ? AppController.regions.indexOf(regionField.text) : -1
                displayText: currentIndex > 0 ? currentText + " (" + currentValue + ")"
                                              : regionField.text.length > 0 ? regionField.text : qsTr("Choose a region")
                onActivated: index => regionField.text = AppController.regions.idAt(index)
            }
            TextField {
                id: regionField

                property bool edited: false

                onTextChanged: edited = root.loaded

                objectName: "regionField"
                Layout.fillWidth: true
                visible: root.s3
                placeholderText: qsTr("e.g. us-east-1")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                selectByMouse: true
            }
            FieldError {
                objectName: "regionError"
                Layout.fillWidth: true
                text: root.shown(regionField, root.regionError)
            }
            FieldLabel {
                visible: !root.s3
                text: qsTr("APPID")
            }
            TextField {
                id: appIdField

                property bool edited: false

                onTextChanged: edited = root.loaded

                objectName: "appIdField"
                Layout.fillWidth: true
                visible: !root.s3
                placeholderText: qsTr("e.g. 1250000000")
                inputMethodHints: Qt.ImhDigitsOnly
                selectByMouse: true
            }
            FieldError {
                objectName: "appIdError"
                Layout.fillWidth: true
                text: root.shown(appIdField, root.appIdError)
            }
            // COS endpoint options (docs/cosctl.md, "COS endpoints"): the SDKs' Domain,
            // UseAccelerate, ServiceDomain, Ip, AutoSwitchHost and Protocol. Folded away
            // unless one is set.
            CheckBox {
                id: advancedBox

                Layout.fillWidth: true

                objectName: "endpointOptionsBox"
                text: qsTr("Endpoint options (domain, acceleration, private network, connect to)")
            }
            FieldLabel {
                visible: advancedBox.checked && !root.s3
                text: qsTr("Domain (optional)")
            }
            TextField {
                id: domainField

                objectName: "domainField"
                Layout.fillWidth: true
                visible: advancedBox.checked && !root.s3
                placeholderText: qsTr("e.g. {Bucket}.cos.{Region}.tencentcos.cn or a custom domain")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            FieldLabel {
                visible: advancedBox.checked && !root.s3
                text: qsTr("Service domain for the bucket list (optional)")
            }
            TextField {
                id: serviceDomainField

                objectName: "serviceDomainField"
                Layout.fillWidth: true
                visible: advancedBox.checked && !root.s3
                placeholderText: qsTr("e.g. service.cos.tencentcos.cn")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            CheckBox {
                id: accelerateBox

                Layout.fillWidth: true

                objectName: "accelerateBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Global acceleration (cos.accelerate.myqcloud.com)")
            }
            CheckBox {
                id: internalBox

                Layout.fillWidth: true

                objectName: "internalBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Private network (from inside Tencent Cloud)")
            }
            CheckBox {
                id: backupDomainBox

                Layout.fillWidth: true

                objectName: "backupDomainBox"
                visible: advancedBox.checked && !root.s3
                checked: true
                text: qsTr("Retry on the backup domain (tencentcos.cn) when COS does not answer")
            }
            CheckBox {
                id: httpBox

                Layout.fillWidth: true

                objectName: "httpBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Plain HTTP (no TLS; for proxies and test servers)")
            }
            FieldLabel {
                visible: advancedBox.checked
                text: qsTr("Connect to HOST[:PORT] instead (optional; keeps the host name)")
            }
            TextField {
                id: connectToField

                objectName: "connectToField"
                Layout.fillWidth: true
                visible: advancedBox.checked
                placeholderText: qsTr("e.g. 10.0.0.5:443")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            FieldError {
                objectName: "endpointOptionsError"
                Layout.fillWidth: true
                text: root.endpointOptionsError
            }
            FieldLabel {
                text: qsTr("Default bucket (optional; opened at start)")
            }
            TextField {
                id: bucketField

                property bool edited: false

                onTextChanged: edited = root.loaded

                objectName: "defaultBucketField"
                Layout.fillWidth: true
                placeholderText: root.s3 ? qsTr("e.g. photos") : qsTr("e.g. photos-1250000000")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                selectByMouse: true
            }

            // --- Appearance --------------------------------------------------------------
            Label {
                Layout.topMargin: 16
                text: qsTr("Appearance")
                font.pixelSize: 16
                font.weight: Font.Medium
                color: Material.accentColor
            }
            ComboBox {
                id: themeBox

                Layout.fillWidth: true
                model: [qsTr("System theme"), qsTr("Light"), qsTr("Dark")]
                currentIndex: root.settings.theme
                onActivated: index => root.settings.theme = index
            }

        }
    }
}
