#!/usr/bin/env bash
# The engine (cos/) stays Qt Core + Network only: no GUI, QML or Quick header, no such link.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
fail=0
hits=$(grep -nE '^\s*#\s*include\s*[<"](Qt(Gui|Qml|Quick|QuickControls2|Widgets)/|Q(Gui|Qml|Quick)[A-Za-z]*[>"]|QQml|QQuick|QImage|QPixmap|QColor|QGuiApplication)' \
    "$root"/cos/*/*.h "$root"/cos/*/*.cpp)
if [ -n "$hits" ]; then
    echo "FAIL cos/ includes GUI/QML headers:"; echo "$hits"; fail=1
fi
if grep -nE 'Qt6::(Gui|Qml|Quick|Widgets)' "$root/cos/CMakeLists.txt"; then
    echo "FAIL cos/CMakeLists.txt links a GUI/QML module"; fail=1
fi
[ $fail -eq 0 ] && echo "ok   cos/ uses Qt Core and Network only ($(ls "$root"/cos/*/*.h "$root"/cos/*/*.cpp | wc -l) files)"
exit $fail
