#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, starts a fresh sandbox (memstore,
# free ports), runs every test with ctest, and stops the sandbox again, also on failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${COS_BUILD_DIR:-$root/build}

"$root/scripts/bootstrap.sh"

cmake -S "$root" -B "$build" -G Ninja -DCOS_WERROR=ON
cmake --build "$build"

sandbox=$(mktemp -d "${TMPDIR:-/tmp}/cos-test-sandbox.XXXXXX")
cleanup() {
    "$root/scripts/sandbox.sh" stop "$sandbox" || true
    rm -rf "$sandbox"
}
trap cleanup EXIT
COS_SANDBOX_STORE=memstore "$root/scripts/sandbox.sh" start "$sandbox" > "$sandbox.env"
# shellcheck disable=SC1090
source "$sandbox.env"
rm -f "$sandbox.env"
export COS_SANDBOX_REQUIRED=1

cd "$build"
ctest --output-on-failure --timeout 600 "$@"
