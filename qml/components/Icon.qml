import QtQuick
import QtQuick.Controls.Material
import "IconPaths.js" as IconPaths

// A 24x24 Material outline icon drawn from SVG path data (no SVG image plugin needed).
Canvas {
    id: root

    property string name: "file"
    property color color: Material.foreground

    implicitWidth: 24
    implicitHeight: 24
    renderStrategy: Canvas.Immediate

    onNameChanged: root.requestPaint()
    onColorChanged: root.requestPaint()
    onWidthChanged: root.requestPaint()
    onHeightChanged: root.requestPaint()

    onPaint: {
        const ctx = root.getContext("2d");
        ctx.reset();
        ctx.scale(root.width / 24, root.height / 24);
        ctx.fillStyle = root.color;
        ctx.path = IconPaths.path(root.name);
        ctx.fill();
    }
}
