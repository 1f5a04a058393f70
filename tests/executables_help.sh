#!/usr/bin/env bash
# Each shipped executable starts, answers --help with its usage and exits 0.
set -u
bin=${1:?usage: executables_help.sh BIN_DIR}
export QT_QPA_PLATFORM=offscreen
fail=0
for exe in cosdemo cos-signer cosctl; do
    if [ ! -x "$bin/$exe" ]; then
        echo "FAIL $exe: not built at $bin/$exe"; fail=1; continue
    fi
    out=$("$bin/$exe" --help 2>&1); rc=$?
    if [ $rc -ne 0 ]; then echo "FAIL $exe --help exited $rc"; fail=1; continue; fi
    if ! grep -q "^Usage: .*$exe" <<<"$out"; then echo "FAIL $exe --help printed no usage:"; echo "$out"; fail=1; continue; fi
    echo "ok   $exe --help"
done
# Without any display (no offscreen platform, no X server): --help and --version still answer
# instead of aborting in the platform plugin.
for arg in --help --version; do
    out=$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=xcb "$bin/cosdemo" $arg 2>&1); rc=$?
    if [ $rc -ne 0 ]; then echo "FAIL cosdemo $arg without a display exited $rc: $out"; fail=1; continue; fi
    echo "ok   cosdemo $arg without a display"
done
exit $fail
