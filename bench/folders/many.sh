#!/usr/bin/env bash
# Peak memory of cosctl over one flat folder of many files (default 100,000 empty files):
# put -r, sync up --delete with nothing to do, sync up --delete after 1% of the files were
# removed locally, rm -r --dry-run and rm -r. With a second build (OLD_BUILD) each step runs with
# both builds in turn, each on its own prefix, so the figures compare like with like.
#
#   eval "$(scripts/sandbox.sh start DIR)"      # COS_SANDBOX_STORE=memstore
#   bench/folders/many.sh BUILD_DIR [OLD_BUILD_DIR]
#
# env FILES (default 100000), FILES_IN_FLIGHT (put -r --files, default 64). The tree is made in
# /dev/shm (tmpfs) with touch. Prints one line per step and build: wall s, CPU s, peak RSS MiB.
set -euo pipefail

build=${1:?BUILD_DIR}
old=${2:-}
files=${FILES:-100000}
in_flight=${FILES_IN_FLIGHT:-64}

work=$(mktemp -d /tmp/bench-many.XXXXXX)
tree=$(mktemp -d /dev/shm/bench-many.XXXXXX)
trap 'rm -rf "$work" "$tree"' EXIT
source "$(dirname "$0")/../common.sh"
bucket=bench-many-$RANDOM$RANDOM
"$build/bin/cosctl" mb "$bucket" >/dev/null

mkdir -p "$tree/flat"
(cd "$tree/flat" && seq -f 'f%06g' 0 $((files - 1)) | xargs touch)

builds=(new)
declare -A dirs=([new]=$build)
if [ -n "$old" ]; then
    builds+=(old)
    dirs[old]=$old
fi

step() { # NAME ARGS... (the prefix is substituted for @P@, cosctl for @C@)
    local name=$1 b cmd
    shift
    for b in "${builds[@]}"; do
        cmd="$*"
        cmd=${cmd//@C@/${dirs[$b]}/bin/cosctl}
        cmd=${cmd//@P@/$bucket/many-$b}
        printf '%-28s %-4s %s\n' "$name" "$b" "$(measure "$cmd")"
    done
}

echo "step                         build wall-s cpu-s rss-MiB   ($files files in one folder, load $(cut -d' ' -f1-3 /proc/loadavg))"
step "put -r" "@C@ -q put -r $tree @P@ --files $in_flight"
step "sync up --delete (same)" "@C@ -q sync $tree s3://@P@ --delete --files $in_flight"
(cd "$tree/flat" && seq -f 'f%06g' 0 100 $((files - 1)) | xargs rm -f)
step "sync up --delete (1% gone)" "@C@ -q sync $tree s3://@P@ --delete --files $in_flight"
step "rm -r --dry-run" "@C@ -q rm -r @P@ --dry-run"
step "rm -r" "@C@ -q rm -r @P@"
collect_garbage
