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
exit $fail
