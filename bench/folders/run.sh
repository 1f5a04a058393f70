#!/usr/bin/env bash
# Folder benchmark: cosctl put -r / get -r / ls -r vs awscli s3 cp --recursive / s3 ls
# --recursive vs rclone copy / ls against the sandbox RGW.
#
#   eval "$(scripts/sandbox.sh start DIR)"      # COS_SANDBOX_STORE=memstore recommended
#   bench/folders/run.sh [BUILD_DIR] [RUNS]
#
# Trees: FILES files of FILE_KIB KiB (default 2,000 x 64 KiB) in 20 folders, each with a
# subfolder; and LARGE_FILES files of LARGE_MIB MiB (default 20 x 32 MiB; LARGE_FILES=0 skips
# it), taking turns round by round with "single", a folder of one file of the same total size,
# so that the large tree's time is compared with one file's on the same machine minutes (the
# "large / single" table: medians of the ratios of each round). Each tool uploads the tree to
# its own prefix and downloads it into an empty folder, RUNS times (default 3), the tools
# taking turns within a round; every download is compared with the source (diff -r). Listing: LIST_COPIES copies of the small tree (default 4: 8,000
# keys) listed recursively by each tool. Prints wall time, CPU and peak RSS (medians) as a
# Markdown table, then the exact command lines. TOOLS="cosctl awscli rclone" limits the tools.
# OLD_BUILD=DIR adds the tool "cosctl-old" (that build's cosctl, same commands) for A/B runs:
# TOOLS="cosctl cosctl-old rclone" OLD_BUILD=<old> LARGE_FILES=0 bench/folders/run.sh <build>
set -euo pipefail

build=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
runs=${2:-3}
files=${FILES:-2000}
file_kib=${FILE_KIB:-64}
large_files=${LARGE_FILES:-20}
large_mib=${LARGE_MIB:-32}
list_copies=${LIST_COPIES:-4}
cosctl=$build/bin/cosctl
[ -x "$cosctl" ] || { echo "no $cosctl; build first" >&2; exit 1; }

work=$(mktemp -d /tmp/bench-folders.XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$(dirname "$0")/../common.sh"
bucket=bench-folders-$RANDOM$RANDOM
"$cosctl" mb "$bucket" >/dev/null

# make_tree DIR COUNT SIZE_BYTES: COUNT files spread over d01..d20 and d01/sub..d20/sub.
make_tree() {
    local dir=$1 count=$2 size=$3 i folder
    for ((i = 0; i < count; i++)); do
        folder=$(printf 'd%02d' $((i % 20 + 1)))
        [ $((i / 20 % 2)) = 1 ] && folder=$folder/sub
        mkdir -p "$dir/$folder"
        head -c "$size" /dev/urandom >"$dir/$folder/f$i.bin"
    done
}

declare -A walls cpus rsss
read -r -a tools <<<"${TOOLS:-cosctl awscli rclone}"
# bench_round NAME DIR ROUND: every tool up and down once.
bench_round() {
    local name=$1 src=$2 i=$3 tool dir cmd w c r
    for tool in "${tools[@]}"; do
        local prefix=$name-$tool out=$work/out-$tool
        declare -A cmds=(
            [cosctl.up]="$cosctl -q put -r $src $bucket/$prefix"
            [cosctl.down]="$cosctl -q get -r $bucket/$prefix $out"
            [cosctl-old.up]="${OLD_BUILD:-}/bin/cosctl -q put -r $src $bucket/$prefix"
            [cosctl-old.down]="${OLD_BUILD:-}/bin/cosctl -q get -r $bucket/$prefix $out"
            [awscli.up]="$aws --endpoint-url $COS_ENDPOINT s3 cp --recursive --only-show-errors $src s3://$bucket/$prefix"
            [awscli.down]="$aws --endpoint-url $COS_ENDPOINT s3 cp --recursive --only-show-errors s3://$bucket/$prefix $out"
            [rclone.up]="env -u AWS_CA_BUNDLE rclone copy $src sandbox:$bucket/$prefix"
            [rclone.down]="env -u AWS_CA_BUNDLE rclone copy sandbox:$bucket/$prefix $out"
        )
        for dir in up down; do
            cmd=${cmds[$tool.$dir]}
            rm -rf "$out"
            read -r w c r < <(measure "$cmd")
            if [ $dir = down ]; then
                diff -r "$src" "$out" >/dev/null || { echo "$tool: $name download differs" >&2; exit 1; }
            fi
            walls[$name.$tool.$dir]+="$w " cpus[$name.$tool.$dir]+="$c " rsss[$name.$tool.$dir]+="$r "
            [ "$i" = 0 ] && [ "$name" != single ] && commands+=("$cmd")
        done
        rm -rf "$out"
        "$cosctl" -q rm -r "$bucket/$prefix" >/dev/null
        collect_garbage
    done
}
print_rows() { # NAME
    local tool dir k
    for tool in "${tools[@]}"; do
        for dir in up down; do
            k=$1.$tool.$dir
            printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$tool" "$dir" \
                "$(printf '%s\n' ${walls[$k]} | median)" "$(printf '%s\n' ${cpus[$k]} | median)" \
                "$(printf '%s\n' ${rsss[$k]} | median)" "${walls[$k]% }"
        done
    done
}

commands=()
make_tree "$work/small" "$files" $((file_kib * 1024))
for ((i = 0; i < runs; i++)); do bench_round small "$work/small" "$i"; done
if [ "$large_files" -gt 0 ]; then
    make_tree "$work/large" "$large_files" $((large_mib * 1024 * 1024))
    mkdir -p "$work/single"
    head -c $((large_files * large_mib * 1024 * 1024)) /dev/urandom >"$work/single/one.bin"
    for ((i = 0; i < runs; i++)); do
        bench_round large "$work/large" "$i"
        bench_round single "$work/single" "$i"
    done
    rm -rf "$work/large" "$work/single"
fi

# Listing: LIST_COPIES copies of the small tree under list/.
for ((i = 0; i < list_copies; i++)); do
    "$cosctl" -q put -r "$work/small" "$bucket/list/c$i" --files 16 >/dev/null
done
keys=$((files * list_copies))
declare -A lists=(
    [cosctl]="$cosctl ls -r $bucket/list/"
    [cosctl-old]="${OLD_BUILD:-}/bin/cosctl ls -r $bucket/list/"
    [awscli]="$aws --endpoint-url $COS_ENDPOINT s3 ls --recursive s3://$bucket/list/"
    [rclone]="env -u AWS_CA_BUNDLE rclone ls sandbox:$bucket/list/"
)
for ((i = 0; i < runs; i++)); do
    for tool in "${tools[@]}"; do
        n=$(bash -c "${lists[$tool]}" | wc -l)
        [ "$n" = "$keys" ] || { echo "$tool listed $n keys, not $keys" >&2; exit 1; }
        read -r w c r < <(measure "${lists[$tool]}")
        walls[list.$tool]+="$w " cpus[list.$tool]+="$c " rsss[list.$tool]+="$r "
    done
done

echo "| tree | tool | direction | wall s (median) | CPU s (median) | peak RSS MiB (median) | runs (wall) |"
echo "|---|---|---|---|---|---|---|"
print_rows small
if [ "$large_files" -gt 0 ]; then
    print_rows large
    print_rows single
    echo
    echo "| large / single | tool | direction | ratio (median of rounds) | ratios |"
    echo "|---|---|---|---|---|"
    for tool in "${tools[@]}"; do
        for dir in up down; do
            read -r -a l <<<"${walls[large.$tool.$dir]}"
            read -r -a o <<<"${walls[single.$tool.$dir]}"
            ratios=$(for ((i = 0; i < runs; i++)); do echo "${l[i]} ${o[i]}"; done |
                awk '{ printf "%.2f\n", $1 / $2 }')
            printf '| %s x %s MiB | %s | %s | %s | %s |\n' "$large_files" "$large_mib" "$tool" "$dir" \
                "$(echo "$ratios" | median)" "$(echo $ratios)"
        done
    done
fi
echo
echo "| list $keys keys | wall s (median) | CPU s (median) | peak RSS MiB (median) | runs (wall) |"
echo "|---|---|---|---|---|"
for tool in "${tools[@]}"; do
    k=list.$tool
    printf '| %s | %s | %s | %s | %s |\n' "$tool" "$(printf '%s\n' ${walls[$k]} | median)" \
        "$(printf '%s\n' ${cpus[$k]} | median)" "$(printf '%s\n' ${rsss[$k]} | median)" "${walls[$k]% }"
done
echo
echo "Command lines:"
printf '    %s\n' "${commands[@]}"
for tool in "${tools[@]}"; do echo "    ${lists[$tool]}"; done
"$cosctl" -q rm -r "$bucket" >/dev/null 2>&1 || true
collect_garbage
