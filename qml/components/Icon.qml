import QtQuick
import QtQuick.Controls.Material
import CosDemo

// A 24x24 Material outline icon drawn from SVG path data (no SVG image plugin needed), by C++:
// rows create two each, and a Canvas would run JavaScript for every one.
PathIcon {
    color: Material.foreground
}
