#!/usr/bin/env bash
# cosctl on folders against the sandbox's RGW: rm -r (dry run, globs, a prefix is a folder);
# put -r / get -r round trip (nested, unicode, space and '+' names, empty folder, symbolic link);
# reruns transfer only what is missing; sync both ways with --delete and --dry-run; SIGKILL in
# the middle of a 500-file upload, then a rerun that sends only the rest; Ctrl-C (exit 130);
# files refused by a bucket policy (exit 7, the others uploaded); usage errors.
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
equals "dry run deleted nothing" "$(keys r | wc -l)" 6
run "rm -r --exclude" 0 rm -r "$bucket/r" --exclude '*.log'
contains "rm -r names a key" "$tmp/out" "delete: $bucket/r/a.txt"
lacks "excluded key kept" "$tmp/out" "r/b.log"
equals "a prefix is a folder (r2/, rx stay)" "$(keys "" | tr '\n' ,)" "r/b.log,r2/keep.txt,rx,"
run "rm -r --include" 0 rm -r "$bucket/r/" --include '*.log'
equals "include deleted r/b.log" "$(keys "" | tr '\n' ,)" "r2/keep.txt,rx,"
run "rm -r of nothing" 0 rm -r "$bucket/nothing/"
contains "nothing deleted" "$tmp/out" "deleted 0 object(s)"
run "rm -r missing bucket" 3 rm -r "nosuchbucket-$$/x"
run "rm --dry-run without -r" 2 rm --dry-run "$bucket/rx"
contains "needs -r explained" "$tmp/err" "need -r"
run "rm -r bad glob" 2 rm -r "$bucket/r" --include ''
contains "bad glob explained" "$tmp/err" "empty glob"

# --- put -r / get -r ----------------------------------------------------------------------------
src=$tmp/src
mkdir -p "$src/a/b/c" "$src/ü n+i" "$src/empty/inner"
for i in $(seq 1 12); do head -c $((i * 997)) /dev/urandom >"$src/a/f$i.bin"; done
for i in $(seq 1 5); do head -c $((i * 50)) /dev/urandom >"$src/a/b/c/g$i.txt"; done
echo hello >"$src/ü n+i/hello wörld+1.txt"
: >"$src/zero"
head -c $((3 * 1024 * 1024 + 5)) /dev/urandom >"$src/big.bin"
ln -s "$src/zero" "$src/link"
nfiles=20
export COS_CHECKPOINT_DIR=$tmp/ck

run "put -r" 0 put -r "$src" "$bucket/tree" --multipart-threshold 1M --part-size 1M
contains "put -r names a file" "$tmp/out" "upload: $src/ü n+i/hello wörld+1.txt -> $bucket/tree/ü n+i/hello wörld+1.txt"
contains "put -r summary" "$tmp/out" "uploaded $nfiles files"
contains "symbolic link skipped and said" "$tmp/err" "skipped $src/link: symbolic link not followed"
equals "every file is a key, no folder markers" "$(keys tree/ | wc -l)" $nfiles
lacks "no key for the empty folder" <(keys tree/) "empty"
run "put -r again" 0 put -r "$src" "$bucket/tree" --multipart-threshold 1M --part-size 1M
contains "rerun sends nothing" "$tmp/out" "uploaded 0 files (0 B), skipped 21"
run "put -r --force" 0 put -r "$src" "$bucket/tree" --force --include '*.txt'
contains "force sends the selected again" "$tmp/out" "uploaded 6 files"

run "get -r" 0 get -r "$bucket/tree" "$tmp/dst"
contains "get -r summary" "$tmp/out" "downloaded $nfiles files"
diff -r --no-dereference -x link -x empty "$src" "$tmp/dst" >/dev/null && pass "tree identical" || fail "tree differs"
run "get -r again" 0 get -r "$bucket/tree/" "$tmp/dst"
contains "rerun fetches nothing" "$tmp/out" "downloaded 0 files (0 B), skipped $nfiles"
rm "$tmp/dst/a/f3.bin" "$tmp/dst/a/b/c/g1.txt"
head -c 997 /dev/urandom >"$tmp/dst/a/f1.bin" # same size, other bytes
run "get -r after damage" 0 get -r "$bucket/tree" "$tmp/dst"
contains "only the missing and changed come" "$tmp/out" "downloaded 3 files"
diff -r -x link -x empty "$src" "$tmp/dst" >/dev/null && pass "tree repaired" || fail "tree not repaired"

# --- sync ---------------------------------------------------------------------------------------
echo extra >"$tmp/dst/extra.txt"
rm "$tmp/dst/a/f2.bin"
run "sync down --delete --dry-run" 0 sync "s3://$bucket/tree" "$tmp/dst" --delete --dry-run
contains "dry run would delete" "$tmp/out" "(dry run) delete: $tmp/dst/extra.txt"
contains "dry run would download" "$tmp/out" "(dry run) download: $bucket/tree/a/f2.bin -> $tmp/dst/a/f2.bin"
equals "dry run lists exactly that" "$(grep -c '^(dry run)' "$tmp/out")" 2
[ -e "$tmp/dst/extra.txt" ] && [ ! -e "$tmp/dst/a/f2.bin" ] && pass "dry run changed nothing" || fail "dry run changed files"
run "sync down --delete" 0 sync "s3://$bucket/tree" "$tmp/dst" --delete
[ ! -e "$tmp/dst/extra.txt" ] && [ -e "$tmp/dst/a/f2.bin" ] && pass "sync down made the folder alike" || fail "sync down"
rm "$src/a/f4.bin"
echo new >"$src/a/new.txt"
run "sync up --delete --dry-run" 0 sync "$src" "s3://$bucket/tree" --delete --dry-run
contains "up dry run would delete" "$tmp/out" "(dry run) delete: $bucket/tree/a/f4.bin"
equals "up dry run lists exactly that" "$(grep -c '^(dry run)' "$tmp/out")" 2
run "sync up --delete" 0 sync "$src" "cos://$bucket/tree" --delete
equals "sync up made the prefix alike" "$(keys tree/ | wc -l)" $nfiles
lacks "f4 gone" <(keys tree/) "a/f4.bin"
run "sync --delete from an empty prefix" 2 sync "s3://$bucket/typo" "$tmp/dst" --delete
contains "empty source refused" "$tmp/err" "is empty: nothing is deleted"
[ -e "$tmp/dst/a/f2.bin" ] && pass "nothing deleted from an empty source" || fail "an empty source deleted files"
run "sync without a bucket side" 2 sync "$src" "$tmp/dst"
contains "sync explains" "$tmp/err" "one local folder and one s3://"

# --- usage --------------------------------------------------------------------------------------
run "put a folder without -r" 2 put "$src" "$bucket/x"
contains "put a folder explained" "$tmp/err" "use put -r"
run "--files without -r" 2 put "$src/zero" "$bucket/x" --files 3
run "--files 0" 2 put -r "$src" "$bucket/x" --files 0
run "put -r missing folder" 2 put -r "$tmp/nope" "$bucket/x"
contains "missing folder explained" "$tmp/err" "no such folder"
run "get -r missing bucket" 3 get -r "nosuchbucket-$$/x" "$tmp/nope"
contains "missing bucket named once" "$tmp/err" "NoSuchBucket (HTTP 404): cannot list nosuchbucket-$$/x/"
lacks "no summary for a batch that never began" "$tmp/out" "downloaded 0 files"
run "put -r missing bucket" 3 put -r "$src" "nosuchbucket-$$/x"
equals "missing bucket: one error, no file failed" "$(grep -c . "$tmp/err")" 1
contains "missing bucket explained" "$tmp/err" "NoSuchBucket (HTTP 404): cannot list nosuchbucket-$$/x/"
run "put -r invalid bucket name" 2 put -r "$src" "Bad_Bucket/x"
equals "invalid bucket: one error" "$(grep -c . "$tmp/err")" 1
contains "invalid bucket explained" "$tmp/err" "Bucket name \"Bad_Bucket\" is invalid"

# --- one file refused: exit 7, the others go -----------------------------------------------------
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:PutObject"],"Resource":["arn:aws:s3:::'$bucket'/refused/a/b/*"]}]}'
code=$(curl_s3 -o "$tmp/policy.out" -w '%{http_code}' -X PUT --data-binary "$policy" "${COS_ENDPOINT%/}/$bucket?policy=")
[ "$code" = 204 ] || [ "$code" = 200 ] && pass "bucket policy set" || fail "bucket policy: HTTP $code $(cat "$tmp/policy.out")"
run "put -r with refused files" 7 --retries 1 put -r "$src" "$bucket/refused"
contains "refused file named" "$tmp/err" "failed: $src/a/b/c/g1.txt"
contains "partial failure explained" "$tmp/err" "5 of 21 files failed"
equals "the others uploaded" "$(keys refused/ | wc -l)" 15
curl_s3 -o /dev/null -X DELETE "${COS_ENDPOINT%/}/$bucket?policy="

# --- the listing refused: put -r sends every file and reports the listing (exit 7) ---------------
policy='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:ListBucket"],"Resource":["arn:aws:s3:::'$bucket'"]}]}'
code=$(curl_s3 -o "$tmp/policy.out" -w '%{http_code}' -X PUT --data-binary "$policy" "${COS_ENDPOINT%/}/$bucket?policy=")
[ "$code" = 204 ] || [ "$code" = 200 ] && pass "list policy set" || fail "list policy: HTTP $code $(cat "$tmp/policy.out")"
run "put -r with the listing refused" 7 --retries 1 put -r "$src" "$bucket/nolist"
contains "refused listing named" "$tmp/err" "cosctl: failed: AccessDenied (HTTP 403): cannot list $bucket/nolist/"
run "get -r with the listing refused" 4 --retries 1 get -r "$bucket/nolist" "$tmp/nolist"
contains "refused listing ends get -r" "$tmp/err" "AccessDenied (HTTP 403): cannot list $bucket/nolist/"
curl_s3 -o /dev/null -X DELETE "${COS_ENDPOINT%/}/$bucket?policy="
equals "every file uploaded without the listing" "$(keys nolist/ | wc -l)" 20

# --- SIGKILL in the middle of 500 files, then a rerun -------------------------------------------
many=$tmp/many
for d in $(seq 1 10); do
    mkdir -p "$many/d$d"
    for i in $(seq 1 50); do head -c 2000 /dev/urandom >"$many/d$d/f$i"; done
done
# start_until PREFIX LINES: starts put -r of $many in the background ($pid) and returns once it
# printed LINES upload lines (or ended).
start_until() {
    "$cosctl" put -r "$many" "$bucket/$1" --files 2 >"$tmp/bg.out" 2>"$tmp/bg.err" &
    pid=$!
    for _ in $(seq 600); do
        [ "$(grep -c '^upload:' "$tmp/bg.out")" -ge "$2" ] && break
        kill -0 $pid 2>/dev/null || break
        sleep 0.05
    done
}
start_until many 100
kill -9 $pid 2>/dev/null && pass "killed mid-batch" || fail "the batch ended before the kill"
wait $pid 2>/dev/null
before=$(keys many/ | wc -l)
[ "$before" -ge 100 ] && [ "$before" -lt 500 ] && pass "part uploaded before the kill ($before)" || fail "keys before the rerun: $before"
run "rerun after SIGKILL" 0 put -r "$many" "$bucket/many" --files 4
equals "the rerun sends only the rest" "$(grep -c '^upload:' "$tmp/out")" $((500 - before))
contains "the rest is counted as skipped" "$tmp/out" "skipped $before,"
equals "500 keys" "$(keys many/ | wc -l)" 500
run "rm -r the 500" 0 -q rm -r "$bucket/many"
equals "all deleted" "$(keys many/ | wc -l)" 0

# --- Ctrl-C in the middle: exit 130, then a rerun finishes -----------------------------------
start_until int 50
kill -INT $pid 2>/dev/null
wait $pid
equals "Ctrl-C exits 130" "$?" 130
contains "Ctrl-C explained" "$tmp/bg.err" "interrupted; run the same command again"
run "rerun after Ctrl-C" 0 put -r "$many" "$bucket/int"
equals "500 keys after the rerun" "$(keys int/ | wc -l)" 500

finish
