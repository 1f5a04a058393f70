#!/usr/bin/env bash
# The COS dialect end to end: cosctl --dialect cos through --connect-to against
# tests/cos-fixture/server.js, a COS stand-in that checks every q-sign signature with the official
# cos-nodejs-sdk-v5. First the fixture's own test (the official SDK gets through, wrong keys do
# not), then cosctl: list service and region, create bucket, uploads of 0 B .. 40 MiB multipart
# with awkward keys, downloads, presigned GET/PUT with curl, gzip-encoded objects, temporary keys,
# CRC64 corruption, server clocks 20 minutes off, backup-domain failover.
# Usage: tst_cos_fixture.sh PATH/TO/cosctl NODE_DIR. Exits 77 (skip) without node, npm or curl.
set -uo pipefail

cosctl=${1:?usage: tst_cos_fixture.sh PATH/TO/cosctl NODE_DIR}
nodedir=${2:?usage: tst_cos_fixture.sh PATH/TO/cosctl NODE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
fixture=$here/cos-fixture/server.js
for tool in node npm curl; do
    command -v $tool >/dev/null || {
        echo "SKIP - $tool not found (apt-get install nodejs npm curl)"
        exit 77
    }
done
mkdir -p "$nodedir"
if [ ! -f "$nodedir/node_modules/cos-nodejs-sdk-v5/package.json" ]; then
    if ! npm install --prefix "$nodedir" --no-audit --no-fund cos-nodejs-sdk-v5 >"$nodedir/npm.log" 2>&1; then
        echo "SKIP - npm install cos-nodejs-sdk-v5 failed (offline?); see $nodedir/npm.log"
        exit 77
    fi
fi
export NODE_PATH=$nodedir/node_modules
echo "cos-nodejs-sdk-v5 $(node -p "require('cos-nodejs-sdk-v5/package.json').version")"

tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=tests/cosctl_checks.sh
. "$(dirname "$0")/cosctl_checks.sh"

# Test keys of this run only (the fixture knows nothing else).
export FIXTURE_SECRET_ID=AKIDfixturepermanent0001 FIXTURE_SECRET_KEY=fixture-permanent-secret
export FIXTURE_TMP_ID=AKIDfixturetemporary0001 FIXTURE_TMP_KEY=fixture-temporary-secret
export FIXTURE_TMP_TOKEN=fixture-session-token-0001

# start_fixture NAME [VAR=VALUE...]: starts a fixture; sets $port and $log.
start_fixture() {
    local name=$1
    shift
    log=$tmp/$name.log
    : >"$log"
    env FIXTURE_LOG="$log" "$@" node "$fixture" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    pids+=($!)
    port=
    for _ in $(seq 100); do
        port=$(awk '/^PORT/{print $2}' "$tmp/$name.out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || {
        echo "FAIL - fixture $name did not start: $(cat "$tmp/$name.err")"
        exit 1
    }
}

# The cosctl environment for a fixture on $port.
use_fixture() {
    export COS_DIALECT=cos COS_PROTOCOL=http COS_REGION=ap-guangzhou COS_APPID=1250000000
    export COS_CONNECT_TO=127.0.0.1:$port COS_CHECKPOINT_DIR=$tmp/checkpoints
    export COS_SECRET_ID=$FIXTURE_SECRET_ID COS_SECRET_KEY=$FIXTURE_SECRET_KEY
    unset COS_SESSION_TOKEN COS_ENDPOINT COS_CREDENTIALS_URL COS_PATH_STYLE
}
# http_status URL [CURL ARGS...]: fetches a URL through the fixture, body in $tmp/body.
http_status() {
    local url=$1
    shift
    curl -sS -o "$tmp/body" -w '%{http_code}' --connect-to "::127.0.0.1:$port" "$@" "$url"
}

# --- the fixture's own test: the official SDK gets through, wrong keys do not -----------------
start_fixture self
if node "$here/cos-fixture/check_fixture.js" "$port" "$FIXTURE_SECRET_ID" "$FIXTURE_SECRET_KEY" \
    "$FIXTURE_TMP_ID" "$FIXTURE_TMP_KEY" "$FIXTURE_TMP_TOKEN" >"$tmp/check.out" 2>&1; then
    pass "fixture accepts cos-nodejs-sdk-v5 and refuses wrong keys ($(tail -n 1 "$tmp/check.out"))"
else
    fail "fixture self-test: $(cat "$tmp/check.out")"
fi

# --- service, bucket, uploads and downloads -------------------------------------------------------
start_fixture main
use_fixture
bucket=cosctl
run "ls without buckets" 0 ls
run "mb" 0 mb "$bucket"
contains "mb prints bucket" "$tmp/out" "make_bucket: $bucket"
run "ls lists the bucket" 0 ls
contains "ls shows bucket and region" "$tmp/out" "$bucket-1250000000  ap-guangzhou"
run "ls --region of the bucket" 0 ls --region ap-guangzhou
contains "ls --region shows bucket" "$tmp/out" "$bucket-1250000000"
run "ls --region elsewhere" 0 ls --region ap-beijing
lacks "ls --region filters" "$tmp/out" "$bucket-1250000000"
contains "ls --region asked the region host" "$log" "GET cos.ap-beijing.myqcloud.com / 200"
run "ls --region with a bucket" 2 ls --region ap-beijing "$bucket"
run "mb again" 1 mb "$bucket"
contains "COS error code" "$tmp/err" "BucketAlreadyExists"

: >"$tmp/f0"
printf x >"$tmp/f1"
head -c 1048576 /dev/urandom >"$tmp/f1m"
head -c $((40 * 1048576 + 123)) /dev/urandom >"$tmp/f40m"
i=0
for spec in "f0|empty" "f1|one byte" "f1m|dir/a b+c.bin" "f1m|文件/报告 100%.txt" \
    "f1m|emoji 😀/%41%.bin" "f40m|big/multipart 40m.bin"; do
    file=${spec%%|*}
    key=${spec#*|}
    i=$((i + 1))
    run "put $file as '$key'" 0 -q put "$tmp/$file" "$bucket/$key"
    run "get '$key'" 0 -q get "$bucket/$key" "$tmp/got$i"
    same "'$key' downloads byte-identical" "$tmp/$file" "$tmp/got$i"
done
contains "40 MiB went up in parts" "$log" "POST $bucket-1250000000.cos.ap-guangzhou.myqcloud.com /big/multipart%2040m.bin 200"
contains "downloads use ranges" "$log" " 206"
run "ls -r shows the keys" 0 ls -r "$bucket"
for key in "one byte" "dir/a b+c.bin" "文件/报告 100%.txt" "emoji 😀/%41%.bin" "big/multipart 40m.bin"; do
    contains "listed '$key'" "$tmp/out" "$key"
done
contains "40 MiB size listed" "$tmp/out" "$((40 * 1048576 + 123))  big/multipart 40m.bin"

# Presigned URLs, used by curl.
run "presign GET" 0 presign "$bucket/dir/a b+c.bin" --expires 60
status=$(http_status "$(cat "$tmp/out")")
[ "$status" = 200 ] && pass "curl GET presigned URL" || fail "curl GET presigned URL: HTTP $status $(head -c 300 "$tmp/body")"
same "presigned GET bytes" "$tmp/f1m" "$tmp/body"
run "presign PUT" 0 presign "$bucket/up/put via curl.bin" --method PUT --expires 60
status=$(http_status "$(cat "$tmp/out")" -T "$tmp/f1m")
[ "$status" = 200 ] && pass "curl PUT presigned URL" || fail "curl PUT presigned URL: HTTP $status $(head -c 300 "$tmp/body")"
run "get the curl upload" 0 -q get "$bucket/up/put via curl.bin" "$tmp/curlput"
same "curl upload bytes" "$tmp/f1m" "$tmp/curlput"

# An object stored with Content-Encoding: gzip downloads as stored.
if command -v gzip >/dev/null; then
    head -c 50000 /dev/zero | tr '\0' 'z' | gzip -c >"$tmp/stored.gz"
    run "presign PUT gzip object" 0 presign "$bucket/gz/data.txt" --method PUT --expires 60
    status=$(http_status "$(cat "$tmp/out")" -T "$tmp/stored.gz" -H 'Content-Encoding: gzip')
    [ "$status" = 200 ] && pass "curl PUT gzip-encoded object" || fail "curl PUT gzip object: HTTP $status"
    run "get gzip-encoded object" 0 -q get "$bucket/gz/data.txt" "$tmp/got.gz"
    same "gzip-encoded object is byte-identical" "$tmp/stored.gz" "$tmp/got.gz"
fi

# Temporary keys with their token; a wrong token and a wrong key are refused.
COS_SECRET_ID=$FIXTURE_TMP_ID COS_SECRET_KEY=$FIXTURE_TMP_KEY COS_SESSION_TOKEN=$FIXTURE_TMP_TOKEN \
    run "temporary keys put" 0 -q put "$tmp/f1m" "$bucket/temp/k.bin"
COS_SECRET_ID=$FIXTURE_TMP_ID COS_SECRET_KEY=$FIXTURE_TMP_KEY COS_SESSION_TOKEN=$FIXTURE_TMP_TOKEN \
    run "temporary keys presign" 0 presign "$bucket/temp/k.bin" --expires 60
status=$(http_status "$(cat "$tmp/out")")
[ "$status" = 200 ] && pass "presigned URL of temporary keys" || fail "presigned URL of temporary keys: HTTP $status"
COS_SECRET_ID=$FIXTURE_TMP_ID COS_SECRET_KEY=$FIXTURE_TMP_KEY COS_SESSION_TOKEN=wrong-token \
    run "wrong session token" 4 ls "$bucket"
contains "wrong token named" "$tmp/err" "InvalidToken"
lacks "token not printed" "$tmp/err" "wrong-token"
COS_SECRET_KEY=wrong-secret run "wrong secret key" 4 ls "$bucket"
contains "signature mismatch named" "$tmp/err" "SignatureDoesNotMatch"
lacks "secret not printed" "$tmp/err" "wrong-secret"
run "missing key" 3 -q get "$bucket/no/such/key" "$tmp/missing"
contains "missing key explained" "$tmp/err" "HTTP 404"

run "rm" 0 rm "$bucket/empty" "$bucket/one byte"
run "ls after rm" 0 ls -r "$bucket"
lacks "rm removed the key" "$tmp/out" "one byte"

# --- corrupted body: the CRC64 check rejects it ----------------------------------------------------
start_fixture corrupt FIXTURE_CORRUPT_PREFIX=bad/
use_fixture
run "mb (corrupting fixture)" 0 mb "$bucket"
run "put object the fixture corrupts on GET" 0 -q put "$tmp/f1m" "$bucket/bad/x.bin"
run "corrupted download rejected" 6 -q get "$bucket/bad/x.bin" "$tmp/corrupt"
contains "integrity error explained" "$tmp/err" "CRC64"
[ -e "$tmp/corrupt" ] && fail "corrupted download left the target file" || pass "no target file after a corrupted download"

# --- a server clock 20 minutes off --------------------------------------------------------------
for offset in 1200 -1200; do
    start_fixture "clock$offset" FIXTURE_CLOCK_OFFSET=$offset
    use_fixture
    run "mb, server clock $offset s" 0 mb "$bucket"
    run "put, server clock $offset s" 0 -q put "$tmp/f1m" "$bucket/clock.bin"
    run "get, server clock $offset s" 0 -q get "$bucket/clock.bin" "$tmp/clock$offset"
    same "bytes, server clock $offset s" "$tmp/f1m" "$tmp/clock$offset"
    # A fresh process knows nothing of the offset: presign asks the server's clock first.
    run "presign --expires 600, server clock $offset s" 0 presign "$bucket/clock.bin" --expires 600
    status=$(http_status "$(cat "$tmp/out")")
    [ "$status" = 200 ] && pass "presigned URL works, server clock $offset s" \
        || fail "presigned URL, server clock $offset s: HTTP $status $(head -c 300 "$tmp/body")"
    run "presign --offline, server clock $offset s" 0 presign "$bucket/clock.bin" --expires 600 --offline
    contains "--offline says it uses the local clock" "$tmp/err" "local clock"
    status=$(http_status "$(cat "$tmp/out")")
    [ "$status" = 403 ] && pass "offline URL is off by the skew (HTTP 403)" || fail "offline URL, server clock $offset s: HTTP $status"
done

# --- backup domain: the default domain refuses, *.tencentcos.cn answers ---------------------------
start_fixture failover FIXTURE_REFUSE_SUFFIX=.myqcloud.com
use_fixture
run "mb via the backup domain" 0 --retries 3 mb "$bucket"
run "put via the backup domain" 0 -q --retries 3 put "$tmp/f1m" "$bucket/failover.bin"
run "get via the backup domain" 0 -q --retries 3 get "$bucket/failover.bin" "$tmp/failover"
same "backup-domain bytes" "$tmp/f1m" "$tmp/failover"
contains "main host was tried" "$log" "$bucket-1250000000.cos.ap-guangzhou.myqcloud.com / dropped"
contains "backup host marked as a retry" "$log" "PUT $bucket-1250000000.cos.ap-guangzhou.tencentcos.cn / 200 x-cos-sdk-retry"
run "no backup domain when switched off" 5 -q --retries 2 --no-backup-domain get "$bucket/failover.bin" "$tmp/nofailover"
COS_BACKUP_DOMAIN=0 run "COS_BACKUP_DOMAIN=0" 5 -q --retries 2 get "$bucket/failover.bin" "$tmp/nofailover"

# --- option errors ---------------------------------------------------------------------------
run "bad --connect-to" 2 --connect-to "127.0.0.1:port" ls
contains "--connect-to explained" "$tmp/err" "HOST[:PORT]"
run "bad --domain placeholder" 2 --domain "{Bucket}.{Zone}.example.com" ls "$bucket"
contains "--domain explained" "$tmp/err" "unknown placeholder"
run "--accelerate with --internal" 2 --accelerate --internal ls "$bucket"
COS_DIALECT=s3 COS_ENDPOINT=http://127.0.0.1:1 run "--domain with s3" 2 --domain x.example.com ls

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
