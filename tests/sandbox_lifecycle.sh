#!/usr/bin/env bash
# Lifecycle test of scripts/sandbox.sh on its own temporary DIR (memstore, free ports): start,
# idempotent second start, status/env, a clear error for a taken port, stop leaving no process
# behind, and stop on a stopped DIR. Exits 77 (skip) when the Ceph packages are not installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sandbox=$root/scripts/sandbox.sh

for tool in ceph-mon ceph-osd radosgw curl python3; do
    command -v "$tool" >/dev/null || {
        echo "SKIP - $tool not found; run scripts/bootstrap.sh"
        exit 77
    }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cos-sandbox-lifecycle.XXXXXX")
dir=$tmp/sb
dir2=$tmp/sb-taken
listener_pid=
failures=0
cleanup() {
    set +e
    [ -z "$listener_pid" ] || kill "$listener_pid" 2>/dev/null
    "$sandbox" stop "$dir" 2>/dev/null
    "$sandbox" stop "$dir2" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# The test picks its own ports; variables from the caller's sandbox must not leak in.
unset COS_SANDBOX_PORT COS_SANDBOX_MON_PORT
export COS_SANDBOX_STORE=memstore

check() { # DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "ok - $1"
    else
        echo "FAIL - $1: expected '$2', got '$3'"
        failures=$((failures + 1))
    fi
}
now() { date +%s%N; }
ms_since() { echo $((($(now) - $1) / 1000000)); }

# Live (non-zombie) ceph-mon/ceph-osd/radosgw processes whose command line mentions DIR.
daemons_of() {
    local p comm
    for p in /proc/[0-9]*; do
        comm=$(cat "$p/comm" 2>/dev/null) || continue
        case $comm in ceph-mon | ceph-osd | radosgw) ;; *) continue ;; esac
        grep -q '^State:.*Z' "$p/status" 2>/dev/null && continue
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -qF -- "$1" && echo "${p#/proc/} $comm"
    done
    return 0
}

# --- start ---
t=$(now)
rc=0
"$sandbox" start "$dir" >"$tmp/env1" 2>"$tmp/err1" || rc=$?
check "fresh memstore start exits 0 ($(ms_since "$t") ms)" 0 "$rc"
if [ "$rc" != 0 ]; then
    sed 's/^/    /' "$tmp/err1"
    exit 1
fi
non_export=$(grep -cv '^export COS_[A-Z_]*=' "$tmp/env1" || true)
check "start prints only export lines on stdout" 0 "$non_export"
for v in COS_ENDPOINT COS_DIALECT COS_REGION COS_SECRET_ID COS_SECRET_KEY COS_STS_ENDPOINT \
    COS_ROLE_ARN COS_PATH_STYLE COS_SANDBOX_DIR; do
    n=$(grep -c "^export $v=" "$tmp/env1" || true)
    check "start exports $v" 1 "$n"
done
endpoint=$(sed -n 's/^export COS_ENDPOINT=//p' "$tmp/env1")
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$endpoint/" || true)
check "the endpoint $endpoint answers" 200 "$code"

rc=0
"$sandbox" status "$dir" >/dev/null 2>&1 || rc=$?
check "status on a running sandbox exits 0" 0 "$rc"

t=$(now)
"$sandbox" start "$dir" >"$tmp/env2" 2>/dev/null || true
ms=$(ms_since "$t")
check "second start prints identical exports" same "$(cmp -s "$tmp/env1" "$tmp/env2" && echo same || echo different)"
check "second start is fast ($ms ms, limit 2000)" yes "$([ "$ms" -lt 2000 ] && echo yes || echo no)"

"$sandbox" env "$dir" >"$tmp/env3" 2>/dev/null || true
check "env prints the same exports" same "$(cmp -s "$tmp/env1" "$tmp/env3" && echo same || echo different)"

# --- a taken port ---
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
time.sleep(600)
' >"$tmp/port" &
listener_pid=$!
for _ in $(seq 50); do
    [ -s "$tmp/port" ] && break
    sleep 0.1
done
taken=$(cat "$tmp/port")
[ -n "$taken" ] || {
    echo "FAIL - the port listener did not start"
    exit 1
}
for var in COS_SANDBOX_PORT COS_SANDBOX_MON_PORT; do
    rc=0
    env "$var=$taken" "$sandbox" start "$dir2" >"$tmp/out-taken" 2>"$tmp/err-taken" || rc=$?
    check "$var=$taken (taken) makes start fail" yes "$([ "$rc" != 0 ] && echo yes || echo no)"
    check "the error names port $taken and $var" yes \
        "$(grep -q "port $taken" "$tmp/err-taken" && grep -q "$var" "$tmp/err-taken" && echo yes || echo no)"
    check "nothing is printed on stdout" 0 "$(wc -c <"$tmp/out-taken")"
    check "no daemon was left running for $var" "" "$(daemons_of "$dir2")"
done
sed -n '1p' "$tmp/err-taken" | sed 's/^/# error was: /'
kill "$listener_pid" 2>/dev/null || true
wait "$listener_pid" 2>/dev/null || true
listener_pid=

# --- stop ---
before=$(daemons_of "$dir" | wc -l)
check "three daemons run for DIR before stop" 3 "$before"
t=$(now)
rc=0
"$sandbox" stop "$dir" 2>/dev/null || rc=$?
check "stop exits 0 ($(ms_since "$t") ms)" 0 "$rc"
check "no ceph-mon/ceph-osd/radosgw process mentions DIR after stop" "" "$(daemons_of "$dir")"
rc=0
"$sandbox" status "$dir" >/dev/null 2>&1 || rc=$?
check "status on a stopped sandbox exits 1" 1 "$rc"
rc=0
"$sandbox" env "$dir" >/dev/null 2>&1 || rc=$?
check "env on a stopped sandbox fails" yes "$([ "$rc" != 0 ] && echo yes || echo no)"
rc=0
"$sandbox" stop "$dir" 2>/dev/null || rc=$?
check "stop on a stopped DIR exits 0" 0 "$rc"
rc=0
"$sandbox" stop "$tmp/never-created" 2>/dev/null || rc=$?
check "stop on a missing DIR exits 0" 0 "$rc"

if [ "$failures" -gt 0 ]; then
    echo "# $failures check(s) failed"
    exit 1
fi
echo "# all checks passed"
