#!/usr/bin/env bash
# cosctl on folders against the sandbox's RGW: rm -r (dry run, globs, a prefix is a folder).
# Usage: tst_cosctl_tree.sh PATH/TO/cosctl. Reads the COS_* variables of scripts/sandbox.sh;
# exits 77 (skip) without them, unless COS_SANDBOX_REQUIRED=1.
set -uo pipefail

cosctl=${1:?usage: tst_cosctl_tree.sh PATH/TO/cosctl}
source "$(dirname "$0")/support/cosctl_harness.sh"

# keys PREFIX: the keys under BUCKET/PREFIX, one a line, sorted.
keys() { "$cosctl" ls -r "$bucket/$1" | awk '{ $1 = ""; $2 = ""; sub(/^  /, ""); print }' | sort; }

run "mb" 0 mb "$bucket"

# --- rm -r --------------------------------------------------------------------------------------
head -c 1000 /dev/urandom >"$tmp/small"
for k in "r/a.txt" "r/b.log" "r/sub/c.txt" "r/sub/deeper/d é+f.txt" "r2/keep.txt" "rx"; do
    "$cosctl" -q put "$tmp/small" "$bucket/$k" >/dev/null 2>&1 || fail "put $k"
done
run "rm -r --dry-run" 0 rm -r --dry-run "$bucket/r"
contains "dry run names a key" "$tmp/out" "(dry run) delete: $bucket/r/sub/deeper/d é+f.txt"
contains "dry run summary" "$tmp/out" "would delete 4 object(s) under $bucket/r/"
same "dry run deleted nothing" "$(keys r | wc -l)" 6
run "rm -r --exclude" 0 rm -r "$bucket/r" --exclude '*.log'
contains "rm -r names a key" "$tmp/out" "delete: $bucket/r/a.txt"
lacks "excluded key kept" "$tmp/out" "r/b.log"
same "a prefix is a folder (r2/, rx stay)" "$(keys "" | tr '\n' ,)" "r/b.log,r2/keep.txt,rx,"
run "rm -r --include" 0 rm -r "$bucket/r/" --include '*.log'
same "include deleted r/b.log" "$(keys "" | tr '\n' ,)" "r2/keep.txt,rx,"
run "rm -r of nothing" 0 rm -r "$bucket/nothing/"
contains "nothing deleted" "$tmp/out" "deleted 0 object(s)"
run "rm -r missing bucket" 3 rm -r "nosuchbucket-$$/x"
run "rm --dry-run without -r" 2 rm --dry-run "$bucket/rx"
contains "needs -r explained" "$tmp/err" "need -r"
run "rm -r bad glob" 2 rm -r "$bucket/r" --include ''
contains "bad glob explained" "$tmp/err" "empty glob"

finish
