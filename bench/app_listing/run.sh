#!/usr/bin/env bash
# The app's object list over a folder of COUNT objects (default 100,000) on the sandbox:
# first page on screen after its response, scrolling to the end (time, pages, RSS), filtering.
#
#   eval "$(scripts/sandbox.sh start DIR)"      # COS_SANDBOX_STORE=memstore recommended
#   bench/app_listing/run.sh [BUILD_DIR] [RUNS]
#
# The first run seeds bucket bench-app-listing-COUNT with COUNT empty objects (64 PUTs in
# flight); later runs reuse it. Each run is a fresh process (offscreen, software renderer,
# 1280x800) under /usr/bin/time -v, whose peak RSS is printed with the program's own figures.
set -euo pipefail

build=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
runs=${2:-3}
count=${COUNT:-100000}
bench=$build/bin/bench_app_listing
[ -x "$bench" ] || bench=$build/bench/bench_app_listing
[ -x "$bench" ] || { echo "no bench_app_listing under $build; build it first" >&2; exit 1; }
: "${COS_ENDPOINT:?run eval \"\$(scripts/sandbox.sh start DIR)\" first}"
export QT_QPA_PLATFORM=offscreen

bucket=bench-app-listing-$count
echo "command: QT_QPA_PLATFORM=offscreen $bench --bucket $bucket --seed $count"
for ((i = 1; i <= runs; i++)); do
    echo "run $i:"
    /usr/bin/time -f "process: wall %e s, peak RSS %M KiB" "$bench" --bucket "$bucket" --seed "$count"
done
