#!/usr/bin/env bash
# Each shipped executable starts, answers --help with its usage and exits 0; cos-signer refuses
# malformed numeric options by name instead of truncating them.
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
# cos-signer: a numeric flag that is not a whole number in range is refused with exit 2 and a
# message naming the flag (never truncated or wrapped into another value).
for args in "--port 5000.7" "--port 70000" "--port 1e3" "--port -1" "--max-body 1e300" \
            "--rate nan" "--header-timeout ５"; do
    # shellcheck disable=SC2086 # the flag and its value are two words
    out=$(COS_SIGNER_SECRET_ID=AKIDexample COS_SIGNER_SECRET_KEY=example \
          "$bin/cos-signer" $args 2>&1 </dev/null); rc=$?
    flag=${args%% *}
    if [ $rc -ne 2 ] || ! grep -q -- "$flag: " <<<"$out"; then
        echo "FAIL cos-signer $args: exit $rc, expected 2 and a message naming $flag: $out"; fail=1; continue
    fi
    echo "ok   cos-signer $args refused"
done
exit $fail
