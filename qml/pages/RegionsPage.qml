pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import CosDemo

// Phone layout, first level: all regions, grouped; "All regions" on top.
Page {
    id: root

    required property RegionListModel regions

    signal regionChosen(string regionId)

    title: qsTr("Regions")

    ListView {
        id: list

        anchors.fill: parent
        clip: true
        model: root.regions
        section.property: "group"
        // Created from its own file: Qt 6.4 refuses to instantiate a section delegate that is a
        // bound inline component ("outside its creation context").
        section.delegate: Qt.createComponent("SectionHeader.qml")
        delegate: RegionDelegate {
            width: ListView.view.width
            onClicked: root.regionChosen(regionId)
        }
        ScrollIndicator.vertical: ScrollIndicator { }
    }
}
