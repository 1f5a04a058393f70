#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz and runs each for a
# bounded time, one after another, seeded from tests/fuzz/seeds/<target> and tests/data.
# See docs/fuzzing.md.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default 60 s each, all targets:
#        fuzz_xmlparsers fuzz_httpresponse fuzz_credentialjson fuzz_signerrequest)
# Exit status non-zero when a fuzzer finds something; the input is saved in
# build-fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
all=(fuzz_xmlparsers fuzz_httpresponse fuzz_credentialjson fuzz_signerrequest)
usage="usage: $0 [SECONDS] [TARGET...]   targets: ${all[*]}"
seconds=60
if [ $# -gt 0 ] && [[ $1 =~ ^[0-9]+$ ]]; then
    seconds=$1
    shift
fi
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
    [[ " ${all[*]} " == *" $t "* ]] || { echo "unknown target '$t'; $usage" >&2; exit 2; }
done
build=build-fuzz

cmake -S . -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCOS_FUZZ=ON -DCOS_BUILD_APP=OFF \
    -DCOS_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target "${targets[@]}"

status=0
for t in "${targets[@]}"; do
    # Per target: a dictionary, an input size cap, and read-only seed directories.
    case $t in
        fuzz_xmlparsers)
            dict=tests/fuzz/xml.dict max_len=65536
            seeds=(tests/data/cos-docs tests/data/rgw tests/data/hostile) ;;
        fuzz_httpresponse)
            dict=tests/fuzz/http.dict max_len=131072
            seeds=(tests/fuzz/seeds/fuzz_httpresponse) ;;
        fuzz_credentialjson)
            dict=tests/fuzz/json.dict max_len=16384
            seeds=(tests/fuzz/seeds/fuzz_credentialjson tests/data/hostile) ;;
        fuzz_signerrequest)
            dict=tests/fuzz/signer.dict max_len=20480
            seeds=(tests/fuzz/seeds/fuzz_signerrequest) ;;
    esac
    existing=()
    for d in "${seeds[@]}"; do
        [ -d "$d" ] && existing+=("$d")
    done
    # The first directory collects new interesting inputs and persists between runs.
    mkdir -p "$build/corpus/$t" "$build/artifacts/$t"
    echo "== $t for $seconds s"
    if ! "$build/fuzz/$t" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -dict="$dict" -artifact_prefix="$build/artifacts/$t/" -print_final_stats=1 \
        "$build/corpus/$t" "${existing[@]}"; then
        echo "== $t: FINDING (see $build/artifacts/$t/)"
        status=1
    else
        echo "== $t: clean"
    fi
done
exit $status
