#!/usr/bin/env bash
# Every QML module the app and its QML tests import, directly or through the QML of the modules
# they use (QtQuick.Dialogs' own file dialog imports Qt.labs.folderlistmodel), is installed and
# comes from a Debian package that scripts/bootstrap.sh lists (or that one of those depends on).
# A missing module makes the app fail, or crash, only when the view that needs it opens.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
qmldir_root=${QML_IMPORT_ROOT:-$(qtpaths6 --query QT_INSTALL_QML 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/qt6/qml)}
own_modules="CosDemo CosDemoTest"
# Built into libQt6Qml (no qmldir of their own).
builtin_modules="QtQml QML"

# The packages bootstrap.sh installs: the words inside its *_packages=( ... ) arrays.
listed=$(sed -n '/_packages=(/,/)/p' "$root/scripts/bootstrap.sh" \
    | sed -e 's/.*_packages=(//' -e 's/).*//' | tr ' ' '\n' | grep -E '^[a-z0-9][a-z0-9.+-]+$' | sort -u)
[ -n "$listed" ] || { echo "FAIL cannot read the package lists of scripts/bootstrap.sh"; exit 1; }
# Plus what they pull in (shared libraries such as libqt6qml6 ship some module folders);
# computed only when a module comes from a package that is not listed.
closure=
installed_by_bootstrap() {
    grep -qx "$1" <<<"$listed" && return 0
    [ -n "$closure" ] || closure=$(apt-cache depends --recurse --no-recommends --no-suggests \
        --no-conflicts --no-breaks --no-replaces --no-enhances $listed 2>/dev/null \
        | grep -E '^[a-z0-9]' | sed 's/:.*//' | sort -u)
    grep -qx "$1" <<<"$closure"
}

imports_of() { # files... -> module names
    grep -hE '^[[:space:]]*import[[:space:]]+[A-Za-z]' "$@" 2>/dev/null \
        | sed -E 's/^[[:space:]]*import[[:space:]]+([A-Za-z0-9_.]+).*/\1/'
}
qmldir_deps() { # qmldir -> module names it needs ("optional import" lines are platform styles)
    grep -E '^(depends|import|default import)[[:space:]]' "$1" 2>/dev/null \
        | sed -E 's/^(default )?(depends|import)[[:space:]]+([A-Za-z0-9_.]+).*/\3/'
}
module_files() { # module dir -> its .qml/.js files and those of its implementation sub-modules
    # (impl, quickimpl); other sub-modules are modules of their own, designer/ is Qt Design Studio's
    find "$1" -mindepth 1 -type d \( -name designer -o \( ! -name impl ! -name quickimpl ! -name qml \
        -exec test -e '{}/qmldir' \; \) \) -prune -o -type f \( -name '*.qml' -o -name '*.js' \) -print
}

mapfile -t queue < <(imports_of $(find "$root/qml" "$root/tests/qml" -name '*.qml') | sort -u)
declare -A seen
fail=0
while [ ${#queue[@]} -gt 0 ]; do
    m=${queue[0]}; queue=("${queue[@]:1}")
    [ -n "${seen[$m]:-}" ] && continue
    seen[$m]=1
    case " $own_modules $builtin_modules " in *" $m "*) continue ;; esac
    dir="$qmldir_root/${m//.//}"
    if [ ! -f "$dir/qmldir" ]; then
        echo "FAIL $m: not installed ($dir/qmldir missing); add its package to scripts/bootstrap.sh"
        fail=1; continue
    fi
    pkg=$(dpkg -S "$dir/qmldir" 2>/dev/null | head -1 | sed 's/:.*//')
    if [ -z "$pkg" ]; then
        echo "FAIL $m: $dir/qmldir belongs to no Debian package"; fail=1
    elif installed_by_bootstrap "$pkg"; then
        echo "ok   $m ($pkg)"
    else
        echo "FAIL $m: package $pkg is not installed by scripts/bootstrap.sh"; fail=1
    fi
    mapfile -t more < <( (qmldir_deps "$dir/qmldir"
        for sub in "$dir"/impl "$dir"/quickimpl; do [ -f "$sub/qmldir" ] && qmldir_deps "$sub/qmldir"; done
        mapfile -t files < <(module_files "$dir")
        [ ${#files[@]} -gt 0 ] && imports_of "${files[@]}") | sort -u)
    queue+=("${more[@]}")
done
exit $fail
