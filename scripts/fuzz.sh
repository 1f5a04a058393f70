#!/usr/bin/env bash
# Builds the libFuzzer target for the XML parsers with clang (ASan + UBSan) in build-fuzz and runs
# it for a bounded time, seeded with the bodies in tests/data. See docs/fuzzing.md.
# Usage: scripts/fuzz.sh [SECONDS]   (default 60). Exit status non-zero when the fuzzer finds
# something; the input is saved in build-fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: $0 [SECONDS]" >&2; exit 2; }
build=build-fuzz

cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCOS_FUZZ=ON -DCOS_BUILD_APP=OFF \
    -DCOS_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target fuzz_xmlparsers

# The first directory collects new interesting inputs and persists between runs; the others
# are read-only seeds.
mkdir -p "$build/corpus" "$build/artifacts"
seeds=()
for d in tests/data/cos-docs tests/data/rgw tests/data/hostile; do
    [ -d "$d" ] && seeds+=("$d")
done
exec "$build/fuzz/fuzz_xmlparsers" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=tests/fuzz/xml.dict -artifact_prefix="$build/artifacts/" -print_final_stats=1 \
    "$build/corpus" "${seeds[@]}"
