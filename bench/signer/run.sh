#!/usr/bin/env bash
# cos-signer benchmark: GET /sts on a cached scope, cos-signer vs a minimal Express endpoint
# that returns the same bytes, with wrk; then a soak of cos-signer.
#
#   bench/signer/run.sh [BUILD_DIR]
#
# BUILD_DIR (default: build) must hold bin/cos-signer and tests/fake-tencent-sts:
#   cmake --build BUILD_DIR --target cos-signer fake-tencent-sts
#
# Environment: CONNS ("1 16 64"), DURATION (10 s per measurement), WARMUP (2 s before each),
# SOAK (60 s at SOAK_CONNS=16; 0 skips it), RSS_EVERY (5 s), NODE_DIR (where express is
# installed; default BUILD_DIR/bench-signer-node).
#
# Back end: the test-only fake Tencent STS on loopback (TC3-verified, like the real API).
# The first /sts call fills cos-signer's cache; every measured request is a cache hit
# (checked: the fake STS must have seen exactly one call, /healthz upstreamCalls == 1).
# cos-signer runs with its defaults (access log on stderr, written to a file) except
# --rate/--burst and --max-connections-per-address, raised so that the limiter and the
# connection caps run but never refuse wrk.
# Installs wrk (apt-get) and express (npm, into NODE_DIR) when missing. Pins nothing to CPUs.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
conns=${CONNS:-1 16 64}
duration=${DURATION:-10}
warmup=${WARMUP:-2}
soak=${SOAK:-60}
soak_conns=${SOAK_CONNS:-16}
rss_every=${RSS_EVERY:-5}
nodedir=${NODE_DIR:-$build/bench-signer-node}
signer=$build/bin/cos-signer
fake=$build/tests/fake-tencent-sts

[ -x "$signer" ] && [ -x "$fake" ] || {
    echo "need $signer and $fake: cmake --build $build --target cos-signer fake-tencent-sts" >&2
    exit 1
}
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
command -v node >/dev/null && command -v npm >/dev/null || {
    echo "node and npm are needed for the Express baseline" >&2
    exit 1
}
mkdir -p "$nodedir"
if [ ! -f "$nodedir/node_modules/express/package.json" ]; then
    cp "$here/package.json" "$nodedir/package.json"
    npm install --prefix "$nodedir" --no-audit --no-fund >"$nodedir/npm.log" 2>&1 || {
        echo "npm install express failed; see $nodedir/npm.log" >&2
        exit 1
    }
fi

work=$(mktemp -d /tmp/bench-signer.XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # FILE PATTERN
    for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1:" >&2
    cat "$1" >&2
    exit 1
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- servers -------------------------------------------------------------------------------
FAKE_STS_SECRET_ID=AKIDbenchsigner FAKE_STS_SECRET_KEY=bench-signer-secret "$fake" \
    >"$work/fake.out" 2>"$work/fake.err" &
pids+=($!)
wait_for "$work/fake.out" PORT
fport=$(awk '/PORT/{print $2}' "$work/fake.out")

signer_cmd=("$signer" --port 0 --appid 1250000000 --bucket examplebucket --region ap-guangzhou
    --allow-prefix 'users/${uid}/' --actions upload,download,list
    --sts-endpoint "http://127.0.0.1:$fport/" --rate 1000000 --burst 1000000)
# wrk's connections all come from 127.0.0.1: like the rate limit, the per-address connection
# cap (default 32) is raised above the largest connection count (binaries without it: as is).
# The help text is read whole first: with pipefail, `--help | grep -q` fails whenever grep exits
# before cos-signer has written all of it (SIGPIPE), and the cap then silently stayed at 32.
signer_help=$("$signer" --help 2>/dev/null || true)
if grep -q -- --max-connections-per-address <<<"$signer_help"; then
    signer_cmd+=(--max-connections-per-address 1000)
fi
COS_SIGNER_SECRET_ID=AKIDbenchsigner COS_SIGNER_SECRET_KEY=bench-signer-secret \
    "${signer_cmd[@]}" 2>"$work/signer.log" &
spid=$!
pids+=($spid)
wait_for "$work/signer.log" 'listening on'
sport=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/signer.log")
surl=http://127.0.0.1:$sport/sts

# First call fills the cache (miss); the second is a hit and is the body Express will serve.
curl -sSf -o /dev/null "$surl"
curl -sSf -D "$work/signer.headers" -o "$work/body.json" "$surl"
grep -q 'cache=hit' <(tail -n 1 "$work/signer.log") || {
    echo "second /sts call was not a cache hit:" >&2
    tail -n 3 "$work/signer.log" >&2
    exit 1
}

NODE_PATH="$nodedir/node_modules" node "$here/express_sts.js" "$work/body.json" 0 >"$work/express.out" 2>&1 &
epid=$!
pids+=($epid)
wait_for "$work/express.out" PORT
eport=$(awk '/PORT/{print $2}' "$work/express.out")
eurl=http://127.0.0.1:$eport/sts
curl -sSf -D "$work/express.headers" -o "$work/express.json" "$eurl"
cmp -s "$work/body.json" "$work/express.json" || {
    echo "Express does not return the captured bytes" >&2
    exit 1
}

echo "## cos-signer vs Express, GET /sts (cached scope)"
echo
echo "- date: $(date -u +%FT%TZ); machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -r); client and servers share these CPUs, nothing pinned"
echo "- cos-signer $("$signer" --version | awk '{print $NF}') ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt"), Qt $(qtpaths6 --qt-version 2>/dev/null || echo 6)), node $(node --version), express $(node -p "require('$nodedir/node_modules/express/package.json').version"), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-3)"
echo "- response body: $(wc -c <"$work/body.json") bytes (identical for both); headers: cos-signer $(($(wc -c <"$work/signer.headers") - 2)) bytes, Express $(($(wc -c <"$work/express.headers") - 2)) bytes"
echo "- wrk -t1, ${warmup} s warm-up then ${duration} s measured per cell; servers alternate per connection count"
echo "- cos-signer: COS_SIGNER_SECRET_ID=... COS_SIGNER_SECRET_KEY=... $(printf '%q ' "${signer_cmd[@]}" | sed "s|^$build/||; s|127.0.0.1:$fport|127.0.0.1:\$FAKE_STS_PORT|")"
echo "- fake STS: FAKE_STS_SECRET_ID=... FAKE_STS_SECRET_KEY=... tests/fake-tencent-sts (prints its port)"
echo "- express: node bench/signer/express_sts.js BODY.json 0"
echo
results=$work/results.txt
: >"$results"

run_wrk() { # NAME URL CONNS SECONDS -> RESULT line on stdout, full output in $work
    local name=$1 url=$2 c=$3 secs=$4
    wrk -t1 -c"$c" -d"${secs}s" --latency -s "$here/report.lua" "$url" >"$work/wrk-$name-$c.txt" 2>&1
    grep '^RESULT' "$work/wrk-$name-$c.txt"
}

for c in $conns; do
    for name in cos-signer express; do
        url=$surl
        [ "$name" = express ] && url=$eurl
        run_wrk warm "$url" "$c" "$warmup" >/dev/null
        l=$(load)
        r=$(run_wrk "$name" "$url" "$c" "$duration")
        echo "$name $c load=${l// /,} $r" >>"$results"
        echo "$name c=$c load $l: $r" >&2
    done
done

upstream=$(curl -sSf "http://127.0.0.1:$sport/healthz" | sed -n 's/.*"upstreamCalls":\([0-9]*\).*/\1/p')
[ "$upstream" = 1 ] || echo "WARNING: cos-signer made $upstream upstream calls (expected 1)" >&2

val() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
echo "| server | conns | req/s | p50 ms | p99 ms | max ms | errors | load (1/5/15 min) |"
echo "|---|---|---|---|---|---|---|---|"
while read -r name c loadf rest; do
    line=" $rest"
    errs=$(($(val "$line" connect) + $(val "$line" read) + $(val "$line" write) + $(val "$line" timeout) + $(val "$line" status)))
    printf '| %s | %s | %.0f | %s | %s | %s | %s | %s |\n' "$name" "$c" "$(val "$line" rps)" \
        "$(ms "$(val "$line" p50_us)")" "$(ms "$(val "$line" p99_us)")" "$(ms "$(val "$line" max_us)")" \
        "$errs" "${loadf#load=}"
done <"$results"
echo
echo "| conns | cos-signer / express req/s | cos-signer p99 < 5 ms |"
echo "|---|---|---|"
for c in $conns; do
    s=" $(grep "^cos-signer $c " "$results" | cut -d' ' -f4-)"
    e=" $(grep "^express $c " "$results" | cut -d' ' -f4-)"
    awk -v c="$c" -v s="$(val "$s" rps)" -v e="$(val "$e" rps)" -v p="$(val "$s" p99_us)" \
        'BEGIN { printf "| %s | %.2fx %s | %s (%.2f ms) |\n", c, s / e, (s >= 2 * e ? "(>= 2x: met)" : "(< 2x: missed)"), (p < 5000 ? "met" : "missed"), p / 1000 }'
done

# --- soak ----------------------------------------------------------------------------------
[ "$soak" -gt 0 ] || exit 0
echo
echo "## Soak: cos-signer, ${soak} s at ${soak_conns} connections"
echo
rss() { awk '/^VmRSS/{print $2}' "/proc/$spid/status"; }
lines_before=$(wc -l <"$work/signer.log")
l=$(load)
rss_series=()
wrk -t1 -c"$soak_conns" -d"${soak}s" --latency -s "$here/report.lua" "$surl" >"$work/wrk-soak.txt" 2>&1 &
wpid=$!
start=$(date +%s)
rss_series+=("0s:$(rss)")
while kill -0 "$wpid" 2>/dev/null; do
    sleep "$rss_every"
    t=$(($(date +%s) - start))
    [ "$t" -le "$soak" ] && rss_series+=("${t}s:$(rss)")
done
wait "$wpid"
rss_series+=("after:$(rss)")
r=" $(grep '^RESULT' "$work/wrk-soak.txt")"
access=$(tail -n +"$((lines_before + 1))" "$work/signer.log")
n_access=$(grep -c 'status=' <<<"$access" || true)
n_non200=$(grep 'status=' <<<"$access" | grep -vc 'status=200 ' || true)
sock=$(($(val "$r" connect) + $(val "$r" read) + $(val "$r" write) + $(val "$r" timeout)))
echo "- load before: $l; requests: $(val "$r" requests), $(printf '%.0f' "$(val "$r" rps)") req/s, p50 $(ms "$(val "$r" p50_us)") ms, p99 $(ms "$(val "$r" p99_us)") ms, max $(ms "$(val "$r" max_us)") ms"
echo "- wrk: socket errors $sock (connect $(val "$r" connect), read $(val "$r" read), write $(val "$r" write), timeout $(val "$r" timeout)), HTTP status >= 400: $(val "$r" status)"
echo "- cos-signer access log during the soak: $n_access lines, $n_non200 not status=200"
echo "- VmRSS (KiB), every ${rss_every} s: ${rss_series[*]}"
upstream=$(curl -sSf "http://127.0.0.1:$sport/healthz" | sed -n 's/.*"upstreamCalls":\([0-9]*\).*/\1/p')
echo "- upstream STS calls over the whole run: $upstream"
if [ "$sock" -eq 0 ] && [ "$(val "$r" status)" -eq 0 ] && [ "$n_non200" -eq 0 ]; then
    echo "- errors: 0"
else
    echo "- errors: NOT zero"
fi
