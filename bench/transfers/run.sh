#!/usr/bin/env bash
# Transfer benchmark: cosctl vs curl --aws-sigv4 vs awscli vs rclone against the sandbox RGW.
#
#   eval "$(scripts/sandbox.sh start DIR)"      # COS_SANDBOX_STORE=memstore recommended
#   bench/transfers/run.sh [BUILD_DIR] [SIZE_MIB] [RUNS]
#
# For each tool: upload and download SIZE_MIB (default 512) of random data RUNS times (default 5)
# under /usr/bin/time -v; prints wall, user+sys CPU and peak RSS per run and the median, as a
# Markdown table, plus the exact command lines. Every download is compared with the source
# (cmp). Installs rclone with apt-get when it is missing. Also measures cosctl's peak RSS for a
# 2 GiB file (BIG_MIB, default 2048; 0 skips it). TOOLS="cosctl curl" limits the tools compared.
# OLD_BUILD=DIR adds the tool "cosctl-old" (that build's cosctl, same commands) for A/B runs:
# TOOLS="cosctl cosctl-old curl" OLD_BUILD=<old> bench/transfers/run.sh <build> 256 5
set -euo pipefail

build=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
size_mib=${2:-512}
runs=${3:-5}
big_mib=${BIG_MIB:-2048}
cosctl=$build/bin/cosctl
[ -x "$cosctl" ] || { echo "no $cosctl; build first" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-transfers.XXXXXX)
trap 'rm -rf "$work"' EXIT
bucket=bench-$RANDOM$RANDOM
src=$work/src.bin
head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$src"
source "$(dirname "$0")/../common.sh"
"$cosctl" mb "$bucket" >/dev/null

sig="aws:amz:$COS_REGION:s3"
declare -A up down
up[cosctl]="$cosctl -q put $src $bucket/cosctl.bin"
down[cosctl]="$cosctl -q get $bucket/cosctl.bin $work/out.bin"
up[curl]="curl -sS -f --aws-sigv4 $sig --user $COS_SECRET_ID:\$COS_SECRET_KEY -H x-amz-content-sha256:UNSIGNED-PAYLOAD -T $src $COS_ENDPOINT/$bucket/curl.bin"
down[curl]="curl -sS -f --aws-sigv4 $sig --user $COS_SECRET_ID:\$COS_SECRET_KEY -H x-amz-content-sha256:UNSIGNED-PAYLOAD -o $work/out.bin $COS_ENDPOINT/$bucket/curl.bin"
up[awscli]="$aws --endpoint-url $COS_ENDPOINT s3 cp --only-show-errors $src s3://$bucket/awscli.bin"
down[awscli]="$aws --endpoint-url $COS_ENDPOINT s3 cp --only-show-errors s3://$bucket/awscli.bin $work/out.bin"
up[rclone]="env -u AWS_CA_BUNDLE rclone copyto $src sandbox:$bucket/rclone.bin"
down[rclone]="env -u AWS_CA_BUNDLE rclone copyto sandbox:$bucket/rclone.bin $work/out.bin"
if [ -n "${OLD_BUILD:-}" ]; then
    up[cosctl-old]="$OLD_BUILD/bin/cosctl -q put $src $bucket/cosctl-old.bin"
    down[cosctl-old]="$OLD_BUILD/bin/cosctl -q get $bucket/cosctl-old.bin $work/out.bin"
fi

cleanup() { # KEY
    "$cosctl" -q rm "$bucket/$1" >/dev/null 2>&1 || true
    collect_garbage
}

# Rounds interleave the tools (each round: every tool up, then down), so a change in the load
# of the shared machine hits all tools alike instead of whichever ran during it.
declare -A walls cpus rsss
read -r -a tools <<<"${TOOLS:-cosctl curl awscli rclone}"
for ((i = 0; i < runs; i++)); do
    for tool in "${tools[@]}"; do
        for dir in up down; do
            if [ $dir = up ]; then cmd=${up[$tool]}; else cmd=${down[$tool]}; fi
            rm -f "$work/out.bin"
            read -r w c r < <(measure "$cmd")
            if [ $dir = down ]; then
                cmp -s "$src" "$work/out.bin" || { echo "$tool download differs" >&2; exit 1; }
            fi
            walls[$tool.$dir]+="$w " cpus[$tool.$dir]+="$c " rsss[$tool.$dir]+="$r "
        done
        cleanup "$tool.bin"
    done
done

echo "| tool | direction | wall s (median) | CPU s (median) | peak RSS MiB (median) | runs (wall) |"
echo "|---|---|---|---|---|---|"
for tool in "${tools[@]}"; do
    for dir in up down; do
        k=$tool.$dir
        printf '| %s | %s | %s | %s | %s | %s |\n' "$tool" "$dir" \
            "$(printf '%s\n' ${walls[$k]} | median)" "$(printf '%s\n' ${cpus[$k]} | median)" \
            "$(printf '%s\n' ${rsss[$k]} | median)" "${walls[$k]% }"
    done
done

if [ "$big_mib" -gt 0 ]; then
    head -c $((big_mib * 1024 * 1024)) /dev/urandom >"$work/big.bin"
    read -r w c r < <(measure "$cosctl -q put $work/big.bin $bucket/big.bin")
    echo
    echo "cosctl put of $big_mib MiB: wall $w s, CPU $c s, peak RSS $r MiB"
    read -r w c r < <(measure "$cosctl -q get $bucket/big.bin $work/big.out")
    cmp -s "$work/big.bin" "$work/big.out" || { echo "big download differs" >&2; exit 1; }
    echo "cosctl get of $big_mib MiB: wall $w s, CPU $c s, peak RSS $r MiB"
    cleanup big.bin
fi

echo
echo "Command lines (\$COS_SECRET_KEY elided):"
for tool in "${tools[@]}"; do
    echo "    ${up[$tool]}"
    echo "    ${down[$tool]}"
done
"$cosctl" -q rm "$bucket/cosctl.bin" "$bucket/curl.bin" "$bucket/awscli.bin" "$bucket/rclone.bin" "$bucket/big.bin" >/dev/null 2>&1 || true
