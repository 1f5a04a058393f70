import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material

// The main action of a view: a filled button. Flat colour instead of a shadow: the shadow is a
// shader effect that the software renderer (offscreen, --screenshot) does not draw. In the dark
// theme the light accent (for text on dark backgrounds) would give white labels too little
// contrast, so the fill is a deeper blue there (white on it: 4.6:1).
Button {
    highlighted: true
    Material.elevation: 0
    Material.accent: Material.theme === Material.Dark ? "#1f6feb" : "#0052d9"
}
