#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/), starts a fresh sandbox (memstore, free ports), runs
# every test with ctest, and stops the sandbox again, also on failure. Any sanitizer report aborts
# the process that made it, so it fails its test. Extra arguments go to ctest (-R NAME, -L LABEL).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${COS_BUILD_DIR:-$root/build-asan}

"$root/scripts/bootstrap.sh"

# ccache (when installed) shares objects between checkouts of the tree.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$build" -G Ninja -DCOS_WERROR=ON -DCOS_SANITIZE=ON
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
