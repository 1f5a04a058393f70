pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// First run and Settings: credential source, endpoint dialect, default region and bucket.
// The fields are bound to a SettingsForm, which validates them (each field's message appears once
// it was edited, or on Save), saves them and tests the connection.
Page {
    id: root

    required property AppSettings settings
    property bool firstRun: false
    readonly property SettingsForm form: SettingsForm {
        controller: AppController
    }
    readonly property bool s3: root.form.dialect === "s3"
    readonly property bool embedded: root.form.source === AppSettings.EmbeddedSigner
    // Both the embedded signer and the plain keys need the permanent key on the device.
    readonly property bool keys: root.form.source !== AppSettings.SigningUrl
    // Key fields: shown while no key is stored, or when the user replaces the stored one.
    property bool replacingKeys: false
    property bool replacingToken: false

    signal saved()

    function save(): void {
        if (root.form.save()) {
            root.replacingKeys = false;
            root.replacingToken = false;
            root.saved();
        }
    }

    title: root.firstRun ? qsTr("Welcome") : qsTr("Settings")
    Component.onCompleted: advancedBox.checked = root.form.hasEndpointOptions

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
                    name: root.form.testPassed ? "check" : "error"
                    color: root.form.testPassed ? Material.color(Material.Green) : Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
                }
                Label {
                    id: testResult

                    objectName: "testResult"
                    Layout.fillWidth: true
                    text: root.form.testResult
                    wrapMode: Text.Wrap
                    textFormat: Text.PlainText
                }
            }
            // Each step of the test with its own result (the failed step's reason is the text
            // above; a step's own text is its tooltip).
            Flow {
                id: stepFlow

                Layout.fillWidth: true
                Layout.leftMargin: 28
                visible: root.form.testSteps.length > 0
                spacing: 12

                Repeater {
                    model: root.form.testSteps

                    Row {
                        id: stepRow

                        required property var modelData

                        objectName: "testStep"
                        spacing: 4

                        Icon {
                            anchors.verticalCenter: parent.verticalCenter
                            width: 14
                            height: 14
                            name: stepRow.modelData.ok ? "check" : "error"
                            color: stepRow.modelData.ok ? Material.color(Material.Green) : Material.color(Material.Red, Material.theme === Material.Dark ? Material.Shade200 : Material.Shade800)
                        }
                        Label {
                            width: Math.min(implicitWidth, stepFlow.width - 18)
                            text: stepRow.modelData.name
                            elide: Text.ElideMiddle
                            font.pixelSize: 12
                            color: Material.secondaryTextColor
                            textFormat: Text.PlainText
                            ToolTip.text: stepRow.modelData.text
                            ToolTip.visible: stepHover.hovered
                            ToolTip.delay: 500

                            HoverHandler {
                                id: stepHover
                            }
                        }
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 8

                Button {
                    objectName: "testButton"
                    text: qsTr("Test connection")
                    Material.elevation: 0
                    enabled: !root.form.testing
                    onClicked: root.form.test()
                }
                BusyIndicator {
                    Layout.preferredWidth: 32
                    Layout.preferredHeight: 32
                    running: root.form.testing
                    visible: running
                }
                Item {
                    Layout.fillWidth: true
                }
                PrimaryButton {
                    objectName: "saveButton"
                    text: qsTr("Save")
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
                onClicked: root.form.source = AppSettings.SigningUrl
            }
            RadioButton {
                objectName: "sourceEmbedded"
                text: qsTr("Embedded signer (development)")
                checked: root.embedded
                onClicked: root.form.source = AppSettings.EmbeddedSigner
            }
            RadioButton {
                objectName: "sourceKeys"
                text: qsTr("Permanent keys (no signer)")
                checked: root.form.source === AppSettings.PermanentKeys
                onClicked: root.form.source = AppSettings.PermanentKeys
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

                    objectName: "signingUrlField"
                    Layout.fillWidth: true
                    text: root.form.signingUrl
                    onTextChanged: root.form.signingUrl = text
                    placeholderText: qsTr("e.g. http://127.0.0.1:5000/sts")
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    selectByMouse: true
                }
                FieldError {
                    objectName: "signingUrlError"
                    Layout.fillWidth: true
                    text: root.form.signingUrlError
                }
                FieldLabel {
                    text: qsTr("Bearer token (optional)")
                }
                // What is stored is never shown: a status line with Replace and Forget.
                RowLayout {
                    objectName: "bearerTokenStatus"
                    Layout.fillWidth: true
                    visible: root.form.hasStoredBearerToken
                    spacing: 4

                    Label {
                        objectName: "bearerTokenStatusText"
                        Layout.fillWidth: true
                        text: root.form.bearerTokenStatus
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "replaceTokenButton"
                        flat: true
                        visible: !root.replacingToken && !root.form.removeBearerToken
                        text: qsTr("Replace")
                        onClicked: root.replacingToken = true
                    }
                    Button {
                        objectName: "forgetTokenButton"
                        flat: true
                        text: root.form.removeBearerToken ? qsTr("Undo") : qsTr("Forget")
                        onClicked: root.form.removeBearerToken = !root.form.removeBearerToken
                    }
                }
                TextField {
                    id: bearerField

                    objectName: "bearerField"
                    Layout.fillWidth: true
                    visible: (!root.form.hasStoredBearerToken || root.replacingToken) && !root.form.removeBearerToken
                    text: root.form.bearerToken
                    onTextChanged: root.form.bearerToken = text
                    echoMode: TextInput.Password
                    selectByMouse: true
                }
                FieldError {
                    objectName: "bearerError"
                    Layout.fillWidth: true
                    text: root.form.bearerTokenError
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
                // The stored key's state as a status line (never the key), with Replace and Forget.
                RowLayout {
                    objectName: "secretKeyStatus"
                    Layout.fillWidth: true
                    spacing: 4

                    Icon {
                        Layout.preferredWidth: 18
                        Layout.preferredHeight: 18
                        name: root.form.hasStoredSecretKey || root.settings.keysFromEnvironment ? "check" : "warning"
                        color: Material.secondaryTextColor
                    }
                    Label {
                        objectName: "secretKeyStatusText"
                        Layout.fillWidth: true
                        text: root.form.secretKeyStatus
                        wrapMode: Text.Wrap
                    }
                    Button {
                        objectName: "replaceKeysButton"
                        flat: true
                        visible: root.form.hasStoredSecretKey && !root.settings.keysFromEnvironment
                        text: root.replacingKeys ? qsTr("Keep") : qsTr("Replace")
                        onClicked: {
                            root.replacingKeys = !root.replacingKeys;
                            if (!root.replacingKeys) {
                                root.form.secretId = "";
                                root.form.secretKey = "";
                            }
                        }
                    }
                    Button {
                        objectName: "forgetKeysButton"
                        flat: true
                        visible: root.form.hasStoredSecretKey && !root.settings.keysFromEnvironment
                        text: qsTr("Forget")
                        onClicked: root.form.forgetStoredKeys()
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    visible: !root.settings.keysFromEnvironment && (!root.form.hasStoredSecretKey || root.replacingKeys)
                    spacing: 4

                    FieldLabel {
                        text: qsTr("SecretId")
                    }
                    TextField {
                        id: secretIdField

                        objectName: "secretIdField"
                        Layout.fillWidth: true
                        text: root.form.secretId
                        onTextChanged: root.form.secretId = text
                        inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                        selectByMouse: true
                    }
                    FieldError {
                        objectName: "secretIdError"
                        Layout.fillWidth: true
                        text: root.form.secretIdError
                    }
                    FieldLabel {
                        text: qsTr("SecretKey")
                    }
                    TextField {
                        id: secretKeyField

                        objectName: "secretKeyField"
                        Layout.fillWidth: true
                        text: root.form.secretKey
                        onTextChanged: root.form.secretKey = text
                        echoMode: TextInput.Password
                        inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                    }
                    FieldError {
                        objectName: "secretKeyError"
                        Layout.fillWidth: true
                        text: root.form.secretKeyError
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("Keys are kept in the %1 and are not shown again.").arg(AppController.secrets.backendName)
                        wrapMode: Text.Wrap
                        color: Material.secondaryTextColor
                        font.pixelSize: 12
                    }
                }
            }

            // The embedded signer: the STS back end it asks and the grant of its keys, each
            // field with its own message.
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
                    currentIndex: Math.max(0, ["", "tencent", "s3-sts"].indexOf(root.form.signerBackend))
                    onActivated: root.form.signerBackend = currentValue
                }
                FieldError {
                    objectName: "signerBackendError"
                    Layout.fillWidth: true
                    text: root.form.signerBackendError
                }
                FieldLabel {
                    text: qsTr("STS endpoint (empty: Tencent's public STS)")
                }
                TextField {
                    objectName: "stsEndpointField"
                    Layout.fillWidth: true
                    text: root.form.stsEndpoint
                    onTextChanged: root.form.stsEndpoint = text
                    placeholderText: qsTr("e.g. http://127.0.0.1:7480")
                    inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                    selectByMouse: true
                }
                FieldError {
                    objectName: "stsEndpointError"
                    Layout.fillWidth: true
                    text: root.form.stsEndpointError
                }
                FieldLabel {
                    text: qsTr("Role ARN (required for S3 STS)")
                }
                TextField {
                    objectName: "roleArnField"
                    Layout.fillWidth: true
                    text: root.form.roleArn
                    onTextChanged: root.form.roleArn = text
                    placeholderText: qsTr("e.g. arn:aws:iam:::role/cos-signer")
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    selectByMouse: true
                }
                FieldError {
                    objectName: "roleArnError"
                    Layout.fillWidth: true
                    text: root.form.roleArnError
                }
                FieldLabel {
                    text: qsTr("Granted bucket (empty: the default bucket)")
                }
                TextField {
                    objectName: "grantBucketField"
                    Layout.fillWidth: true
                    text: root.form.grantBucket
                    onTextChanged: root.form.grantBucket = text
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    selectByMouse: true
                }
                FieldError {
                    objectName: "grantBucketError"
                    Layout.fillWidth: true
                    text: root.form.grantBucketError
                }
                FieldLabel {
                    text: qsTr("Granted prefix (${uid} is %1; * is the whole bucket)").arg(root.settings.embeddedSignerUid)
                }
                TextField {
                    objectName: "grantPrefixField"
                    Layout.fillWidth: true
                    text: root.form.grantPrefix
                    onTextChanged: root.form.grantPrefix = text
                    inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                    selectByMouse: true
                }
                FieldError {
                    objectName: "grantPrefixError"
                    Layout.fillWidth: true
                    text: root.form.grantPrefixError
                }
                FieldLabel {
                    text: qsTr("Granted actions")
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 0

                    Repeater {
                        model: [
                            { grant: "upload", name: "grantUpload", text: qsTr("Upload") },
                            { grant: "download", name: "grantDownload", text: qsTr("Download") },
                            { grant: "list", name: "grantList", text: qsTr("List") },
                            { grant: "delete", name: "grantDelete", text: qsTr("Delete") }
                        ]

                        CheckBox {
                            required property var modelData

                            objectName: modelData.name
                            text: modelData.text
                            checked: root.form.grantActions.split(",").indexOf(modelData.grant) >= 0
                            onCheckedChanged: root.form.setGrantAction(modelData.grant, checked)
                        }
                    }
                }
                FieldError {
                    objectName: "grantActionsError"
                    Layout.fillWidth: true
                    text: root.form.grantActionsError
                }
                FieldLabel {
                    text: qsTr("Key lifetime (seconds)")
                }
                TextField {
                    objectName: "durationField"
                    Layout.fillWidth: true
                    text: root.form.keyLifetime
                    onTextChanged: root.form.keyLifetime = text
                    inputMethodHints: Qt.ImhDigitsOnly
                    selectByMouse: true
                }
                FieldError {
                    objectName: "keyLifetimeError"
                    Layout.fillWidth: true
                    text: root.form.keyLifetimeError
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
                    onClicked: root.form.dialect = "cos"
                }
                RadioButton {
                    objectName: "dialectS3"
                    text: qsTr("S3-compatible")
                    checked: root.s3
                    onClicked: root.form.dialect = "s3"
                }
            }
            FieldLabel {
                visible: root.s3
                text: qsTr("Endpoint URL")
            }
            TextField {
                objectName: "endpointField"
                Layout.fillWidth: true
                visible: root.s3
                text: root.form.endpointUrl
                onTextChanged: root.form.endpointUrl = text
                placeholderText: qsTr("e.g. http://127.0.0.1:7480")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            FieldError {
                objectName: "endpointError"
                Layout.fillWidth: true
                text: root.form.endpointUrlError
            }
            // A CheckBox rather than a Switch: Material's switch handle is drawn through a
            // shader effect that the software renderer (offscreen, screenshots) leaves out.
            CheckBox {
                objectName: "pathStyleSwitch"
                visible: root.s3
                text: qsTr("Path-style addressing")
                checked: root.form.pathStyle
                onCheckedChanged: root.form.pathStyle = checked
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
                currentIndex: root.form.region.length > 0 ? AppController.regions.indexOf(root.form.region) : -1
                displayText: currentIndex > 0 ? currentText + " (" + currentValue + ")"
                                              : root.form.region.length > 0 ? root.form.region : qsTr("Choose a region")
                onActivated: index => root.form.region = AppController.regions.idAt(index)
            }
            TextField {
                objectName: "regionField"
                Layout.fillWidth: true
                visible: root.s3
                text: root.form.region
                onTextChanged: root.form.region = text
                placeholderText: qsTr("e.g. us-east-1")
                inputMethodHints: Qt.ImhNoAutoUppercase | Qt.ImhNoPredictiveText
                selectByMouse: true
            }
            FieldError {
                objectName: "regionError"
                Layout.fillWidth: true
                text: root.form.regionError
            }
            FieldLabel {
                visible: !root.s3
                text: qsTr("APPID")
            }
            TextField {
                objectName: "appIdField"
                Layout.fillWidth: true
                visible: !root.s3
                text: root.form.appId
                onTextChanged: root.form.appId = text
                placeholderText: qsTr("e.g. 1250000000")
                inputMethodHints: Qt.ImhDigitsOnly
                selectByMouse: true
            }
            FieldError {
                objectName: "appIdError"
                Layout.fillWidth: true
                text: root.form.appIdError
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
                objectName: "domainField"
                Layout.fillWidth: true
                visible: advancedBox.checked && !root.s3
                text: root.form.domain
                onTextChanged: root.form.domain = text
                placeholderText: qsTr("e.g. {Bucket}.cos.{Region}.tencentcos.cn or a custom domain")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            FieldLabel {
                visible: advancedBox.checked && !root.s3
                text: qsTr("Service domain for the bucket list (optional)")
            }
            TextField {
                objectName: "serviceDomainField"
                Layout.fillWidth: true
                visible: advancedBox.checked && !root.s3
                text: root.form.serviceDomain
                onTextChanged: root.form.serviceDomain = text
                placeholderText: qsTr("e.g. service.cos.tencentcos.cn")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            CheckBox {
                Layout.fillWidth: true

                objectName: "accelerateBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Global acceleration (cos.accelerate.myqcloud.com)")
                checked: root.form.accelerate
                onCheckedChanged: root.form.accelerate = checked
            }
            CheckBox {
                Layout.fillWidth: true

                objectName: "internalBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Private network (from inside Tencent Cloud)")
                checked: root.form.internal
                onCheckedChanged: root.form.internal = checked
            }
            CheckBox {
                Layout.fillWidth: true

                objectName: "backupDomainBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Retry on the backup domain (tencentcos.cn) when COS does not answer")
                checked: root.form.backupDomain
                onCheckedChanged: root.form.backupDomain = checked
            }
            CheckBox {
                Layout.fillWidth: true

                objectName: "httpBox"
                visible: advancedBox.checked && !root.s3
                text: qsTr("Plain HTTP (no TLS; for proxies and test servers)")
                checked: root.form.plainHttp
                onCheckedChanged: root.form.plainHttp = checked
            }
            FieldLabel {
                visible: advancedBox.checked
                text: qsTr("Connect to HOST[:PORT] instead (optional; keeps the host name)")
            }
            TextField {
                objectName: "connectToField"
                Layout.fillWidth: true
                visible: advancedBox.checked
                text: root.form.connectTo
                onTextChanged: root.form.connectTo = text
                placeholderText: qsTr("e.g. 10.0.0.5:443")
                inputMethodHints: Qt.ImhUrlCharactersOnly | Qt.ImhNoAutoUppercase
                selectByMouse: true
            }
            FieldError {
                objectName: "endpointOptionsError"
                Layout.fillWidth: true
                text: root.form.endpointOptionsError
            }
            FieldLabel {
                text: qsTr("Default bucket (optional; opened at start)")
            }
            TextField {
                objectName: "defaultBucketField"
                Layout.fillWidth: true
                text: root.form.defaultBucket
                onTextChanged: root.form.defaultBucket = text
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
