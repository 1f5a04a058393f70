pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import CosDemo

// The window: a header, then either stacked pages (phone: regions -> buckets -> objects) or
// side-by-side panes (desktop: buckets | objects). Transfers and Settings open on top.
ApplicationWindow {
    id: root

    readonly property bool wide: root.width >= 840
    readonly property AppSettings settings: AppController.settings
    readonly property ObjectListModel objects: AppController.objects
    readonly property BucketListModel buckets: AppController.buckets
    // Phone: the region list is a step of its own only when there is a choice; an S3 endpoint
    // has one region, and its buckets are the first page.
    readonly property bool regionStep: AppController.regions.count > 2
    readonly property bool settingsOpen: stack.currentItem !== null && stack.currentItem.objectName === "settingsPage"
    readonly property bool welcome: root.settingsOpen && stack.currentItem.firstRun === true

    // Read by the --screenshot mode: the first page has its data (or its error).
    readonly property bool pageReady: {
        if (!AppController.connected)
            return AppController.connectionError.length > 0;
        if (root.wide && !root.buckets.loaded)
            return false;
        if (root.objects.bucket.length > 0)
            return root.objects.loaded;
        return true;
    }
    readonly property string pageError: {
        if (!AppController.connected)
            return root.settings.configured ? AppController.connectionError : "";
        // On a wide window the bucket pane is on screen too.
        if (root.wide && root.buckets.errorMessage.length > 0)
            return root.buckets.errorMessage;
        if (root.objects.bucket.length > 0)
            return root.objects.errorMessage;
        return "";
    }

    function resetStack(): void {
        stack.clear(StackView.Immediate);
        if (root.wide) {
            stack.push(objectsPage, {}, StackView.Immediate);
        } else {
            stack.push(root.regionStep ? regionsPage : bucketsPage, {}, StackView.Immediate);
            if (root.objects.bucket.length > 0) {
                if (root.regionStep)
                    stack.push(bucketsPage, {}, StackView.Immediate);
                stack.push(objectsPage, {}, StackView.Immediate);
            }
        }
        if (!root.settings.configured)
            stack.push(settingsPage, { firstRun: true }, StackView.Immediate);
    }

    // The screenshot tour (cosdemo --tour): every page, dialog and menu, one at a time.
    property bool tourTransfersStarted: false
    property int themeBeforeTour: -1
    readonly property list<string> tourScenes: ["objects", "menu", "details", "preview", "delete", "createBucket",
                                                "upload", "selection", "buckets", "transfers",
                                                "settings", "network", "networkDetails"]

    function findPage(name: string): Item {
        return stack.find(item => item.objectName === name);
    }

    // Untyped parameters: the C++ tour calls these with QVariant arguments.
    function showScene(scene): void {
        for (const popup of [createDialog, snackbar])
            popup.close();
        const objectsPage = root.findPage("objectsPage");
        if (objectsPage)
            objectsPage.closePopups();
        if (scene === "transfers") {
            // Restored transfers come back paused: run them, keep the second one paused, so the
            // page shows running, paused and (for a missing key) failed rows.
            if (!root.tourTransfersStarted && AppController.transfers.count >= 3) {
                root.tourTransfersStarted = true;
                AppController.transfers.resumeAll();
                AppController.transfers.pause(1);
            }
            // A restored (paused) folder upload runs while this page is shown.
            AppController.actions.batches.resumeAll();
            root.openPage(transfersPage, "transfersPage");
            return;
        }
        // Only while the Transfers page is shown: its requests and the list refresh when it
        // ends would change the network and object lists under the next scenes' checks.
        AppController.actions.batches.pauseAll();
        if (scene === "settings") {
            root.openPage(settingsPage, "settingsPage");
            return;
        }
        // The network scenes hold the list still: the tour's running upload adds rows meanwhile.
        AppController.networkLog.live = scene !== "network" && scene !== "networkDetails";
        if (scene === "network" || scene === "networkDetails") {
            root.openPage(networkPage, "networkPage");
            const network = root.findPage("networkPage");
            if (scene === "networkDetails")
                network.showFirstExplained();
            else
                network.selectedId = -1;
            return;
        }
        // Back to the browsing pages without recreating them (their lists stay loaded).
        const base = root.findPage("objectsPage");
        if (base)
            stack.pop(base, StackView.Immediate);
        else
            root.resetStack();
        if (scene === "buckets") {
            if (!root.wide && root.objects.bucket.length > 0)
                stack.pop(root.findPage("bucketsPage"), StackView.Immediate);
            return;
        }
        if (scene === "createBucket") {
            createDialog.openFor(root.buckets.region);
            return;
        }
        const page = root.findPage("objectsPage");
        if (!page)
            return;
        if (scene === "menu")
            page.openFirstFileMenu();
        else if (scene === "details")
            page.firstFileDetails();
        else if (scene === "preview")
            page.firstPreview();
        else if (scene === "delete")
            page.confirmDelete("docs/", "docs", true);
        else if (scene === "upload")
            page.openUploadDialog();
        else if (scene === "selection")
            page.selectFirstRows(3);
    }
    function setTourTheme(dark): void {
        if (root.themeBeforeTour < 0)
            root.themeBeforeTour = root.settings.theme;
        root.settings.theme = dark ? AppSettings.DarkTheme : AppSettings.LightTheme;
    }
    function endTour(): void {
        AppController.networkLog.live = true;
        if (root.themeBeforeTour >= 0)
            root.settings.theme = root.themeBeforeTour;
    }

    function goBack(): void {
        const page = stack.currentItem;
        if (page && page.objectName === "objectsPage" && page.goUp())
            return;
        if (page && page.objectName === "networkPage" && page.goBack())
            return;
        if (stack.depth > 1)
            stack.pop();
    }

    function openPage(component: Component, name: string): void {
        if (stack.currentItem && stack.currentItem.objectName === name)
            return;
        stack.push(component);
    }

    width: 1280
    height: 800
    minimumWidth: 320
    minimumHeight: 480
    visible: true
    title: qsTr("COS Demo")
    Material.theme: root.settings.theme === AppSettings.DarkTheme ? Material.Dark
                  : root.settings.theme === AppSettings.LightTheme ? Material.Light
                  : Material.System
    Material.primary: "#0052d9"
    // Dark theme: a light blue for text and flat buttons on dark surfaces (4.7:1 on dialogs);
    // filled buttons use PrimaryButton's deeper blue under white text.
    Material.accent: root.Material.theme === Material.Dark ? "#8ab4f8" : "#0052d9"
    // White rather than Material's #fafafa: secondary text reaches 4.6:1 instead of 4.49:1.
    Material.background: root.Material.theme === Material.Dark ? "#303030" : "#ffffff"

    onWideChanged: root.resetStack()
    onRegionStepChanged: {
        if (!root.wide && !root.settingsOpen)
            root.resetStack();
    }
    Component.onCompleted: root.resetStack()

    Connections {
        target: AppController

        function onNotify(message: string): void {
            snackbar.show(message, false);
        }
        function onOperationFailed(message: string): void {
            snackbar.show(message, true);
        }
    }
    Connections {
        target: root.objects

        // The default bucket opens once the connection is up: show it on the phone too.
        function onLocationChanged(): void {
            if (root.wide || root.objects.bucket.length === 0)
                return;
            for (let i = 0; i < stack.depth; ++i) {
                const page = stack.get(i, StackView.DontLoad);
                if (page && page.objectName === "objectsPage")
                    return;
            }
            if (stack.currentItem && stack.currentItem.objectName !== "bucketsPage")
                stack.push(bucketsPage, {}, StackView.Immediate);
            stack.push(objectsPage, {}, StackView.Immediate);
        }
    }

    header: ToolBar {
        objectName: "appHeader"
        Material.foreground: "white"
        background: Rectangle {
            implicitHeight: 56
            color: root.Material.theme === Material.Dark ? "#1b2433" : "#0052d9"
        }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 4
            anchors.rightMargin: 4
            spacing: 0

            IconButton {
                objectName: "backButton"
                // Not on the welcome page: there is nothing behind it to go back to yet.
                visible: !root.welcome && (stack.depth > 1 || (stack.currentItem !== null && stack.currentItem.objectName === "objectsPage"
                                                               && root.objects.prefix.length > 0))
                iconName: "back"
                tip: qsTr("Back")
                iconColor: "white"
                onClicked: root.goBack()
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.leftMargin: 12
                spacing: 0

                Label {
                    Layout.fillWidth: true
                    text: root.wide || !stack.currentItem ? qsTr("COS Demo") : stack.currentItem.title
                    font.pixelSize: 18
                    font.weight: Font.Medium
                    elide: Text.ElideRight
                    color: "white"
                }
                // The connection, or what stops it from working (then in amber). Not while
                // Settings is open: it would ask to open Settings.
                Label {
                    objectName: "headerStatus"
                    Layout.fillWidth: true
                    visible: (root.wide || AppController.problem.length > 0) && !root.settingsOpen && text.length > 0
                    text: AppController.problem.length > 0
                          ? qsTr("Not working: %1").arg(AppController.problem)
                          : AppController.connected ? AppController.connectionSummary : AppController.connectionError
                    font.pixelSize: 12
                    elide: Text.ElideRight
                    color: AppController.problem.length > 0 ? "#ffd180" : "#d0e0ff"
                }
            }
            IconButton {
                objectName: "transfersButton"
                iconName: "transfers"
                tip: qsTr("Transfers")
                iconColor: "white"
                onClicked: root.openPage(transfersPage, "transfersPage")

                Rectangle {
                    visible: AppController.transfers.activeCount > 0
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: 6
                    width: Math.max(16, badge.implicitWidth + 8)
                    height: 16
                    radius: 8
                    // White on deep orange: 5.6:1 (on Material orange it was 2.2:1).
                    color: "#bf360c"

                    Label {
                        id: badge

                        anchors.centerIn: parent
                        text: AppController.transfers.activeCount
                        font.pixelSize: 10
                        color: "white"
                    }
                }
            }
            IconButton {
                objectName: "networkButton"
                iconName: "network"
                tip: qsTr("Network")
                iconColor: "white"
                onClicked: root.openPage(networkPage, "networkPage")
            }
            IconButton {
                objectName: "settingsButton"
                iconName: "settings"
                tip: qsTr("Settings")
                iconColor: "white"
                onClicked: root.openPage(settingsPage, "settingsPage")
            }
        }
    }

    RowLayout {
        anchors.fill: parent
        spacing: 0

        BucketsPage {
            objectName: "sideBuckets"
            Layout.preferredWidth: 340
            Layout.fillHeight: true
            visible: root.wide
            buckets: root.buckets
            regions: AppController.regions
            showRegionPicker: true
            settingsOpen: root.settingsOpen
            objectsCause: root.objects.errorCause
            currentBucket: root.objects.bucket
            defaultBucket: root.settings.defaultBucket
            onBucketChosen: (name, region) => {
                AppController.openBucket(name, region);
                if (stack.currentItem && stack.currentItem.objectName !== "objectsPage")
                    root.resetStack();
            }
            onCreateRequested: createDialog.openFor(root.buckets.region)
            onSettingsRequested: root.openPage(settingsPage, "settingsPage")
        }
        Rectangle {
            visible: root.wide
            Layout.preferredWidth: 1
            Layout.fillHeight: true
            color: root.Material.dividerColor
        }
        StackView {
            id: stack

            objectName: "stack"
            Layout.fillWidth: true
            Layout.fillHeight: true
            focus: true
            Keys.onBackPressed: event => {
                event.accepted = stack.depth > 1;
                root.goBack();
            }
        }
    }

    Component {
        id: regionsPage

        RegionsPage {
            objectName: "regionsPage"
            regions: AppController.regions
            onRegionChosen: regionId => {
                AppController.openRegion(regionId);
                stack.push(bucketsPage);
            }
        }
    }
    Component {
        id: bucketsPage

        BucketsPage {
            objectName: "bucketsPage"
            buckets: root.buckets
            regions: AppController.regions
            currentBucket: root.objects.bucket
            defaultBucket: root.settings.defaultBucket
            onBucketChosen: (name, region) => {
                AppController.openBucket(name, region);
                stack.push(objectsPage);
            }
            onCreateRequested: createDialog.openFor(root.buckets.region)
            onSettingsRequested: root.openPage(settingsPage, "settingsPage")
        }
    }
    Component {
        id: objectsPage

        ObjectsPage {
            objectName: "objectsPage"
            objects: root.objects
            wide: root.wide
            onSettingsRequested: root.openPage(settingsPage, "settingsPage")
        }
    }
    Component {
        id: transfersPage

        TransfersPage {
            objectName: "transfersPage"
            transfers: AppController.transfers
        }
    }
    Component {
        id: networkPage

        NetworkPage {
            objectName: "networkPage"
            log: AppController.networkLog
        }
    }
    Component {
        id: settingsPage

        SettingsPage {
            objectName: "settingsPage"
            settings: root.settings
            onSaved: {
                if (stack.depth > 1)
                    stack.pop();
                else
                    root.resetStack();
            }
        }
    }

    CreateBucketDialog {
        id: createDialog

        regions: AppController.regions
    }
    Snackbar {
        id: snackbar
    }
}
