#!/usr/bin/env bash
# Installs every Debian package that the build, the tests and the sandbox need.
# Idempotent: when everything is present it makes no apt traffic at all.
set -euo pipefail

build_packages=(
    cmake ninja-build g++ pkg-config git
    qt6-base-dev qt6-declarative-dev qt6-httpserver-dev qt6-websockets-dev qtkeychain-qt6-dev
    qt6-qpa-plugins libgl-dev
    # cosdemo's QR codes of share links
    libqrencode-dev
)
runtime_packages=(
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
    qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
    qml6-module-qtquick-dialogs qml6-module-qt-labs-folderlistmodel qml6-module-qtcore qml6-module-qttest
    qml6-module-qtquick-shapes
    # Latin text, and a small CJK fallback (about 5 MB) so Chinese, Japanese and Korean object
    # names do not render as boxes on a desktop without one (fonts-noto-cjk is about 90 MB).
    fonts-dejavu-core fonts-wqy-microhei
)
tool_packages=(
    clang clang-format libclang-rt-14-dev curl jq uuid-runtime awscli procps ccache
    nginx-light openssl python3 systemd
    # zbarimg: tst_app_qr decodes the app's QR codes with an independent reader
    zbar-tools
)
sandbox_packages=(
    ceph-mon ceph-osd radosgw ceph-common
)
all_packages=("${build_packages[@]}" "${runtime_packages[@]}" "${tool_packages[@]}" "${sandbox_packages[@]}")

missing=()
for pkg in "${all_packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "bootstrap: all ${#all_packages[@]} packages present"
    exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
fi

echo "bootstrap: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
