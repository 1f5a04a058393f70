#!/usr/bin/env bash
# The COS dialect end to end: cosctl --dialect cos through --connect-to against
# tests/cos-fixture/server.js, a COS stand-in that checks every q-sign signature with the official
# cos-nodejs-sdk-v5. First the fixture's own test (the official SDK gets through, wrong keys do
# not), then cosctl: list service and region, create bucket, uploads of 0 B .. 40 MiB multipart
# with awkward keys, downloads, presigned GET/PUT with curl, gzip-encoded objects, temporary keys,
# CRC64 corruption, server clocks 20 minutes off, put and get killed with SIGKILL and resumed,
# 4-second keys refreshed during an upload, backup-domain failover, https with a throw-away CA
# trusted through --ca-file / COS_CA_FILE.
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
    [ -n "${KEEP_TMP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
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
start_fixture main FIXTURE_COPY_ERROR_PREFIX=copy-retry/
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

# Server-side copy (x-cos-copy-source with the key percent-encoded) and move, signed as the
# official SDK signs; a 200 with an <Error> InternalError body is retried, a missing source fails.
run "cp a unicode key" 0 cp "$bucket/文件/报告 100%.txt" "$bucket/copies/副本 a+b.txt"
contains "cp prints what it copied" "$tmp/out" "copy: $bucket/文件/报告 100%.txt -> $bucket/copies/副本 a+b.txt"
run "get the copy" 0 -q get "$bucket/copies/副本 a+b.txt" "$tmp/copied"
same "the copy has the source's bytes" "$tmp/f1m" "$tmp/copied"
run "cp answered 200 with an error body" 0 cp "$bucket/one byte" "$bucket/copy-retry/x"
contains "the 200 error was retried" "$log" "PUT $bucket-1250000000.cos.ap-guangzhou.myqcloud.com /copy-retry/x 200 x-cos-sdk-retry"
run "cp of a missing key" 3 cp "$bucket/no such key" "$bucket/copies/nothing"
contains "cp names NoSuchKey" "$tmp/err" "NoSuchKey"
run "mv" 0 mv "$bucket/copies/副本 a+b.txt" "$bucket/moved/b.txt"
run "mv removed the source" 0 ls -r "$bucket/copies/"
lacks "source gone after mv" "$tmp/out" "副本"
run "get the moved key" 0 -q get "$bucket/moved/b.txt" "$tmp/moved"
same "the moved key has the bytes" "$tmp/f1m" "$tmp/moved"
run "cp onto itself" 2 cp "$bucket/one byte" "$bucket/one byte"

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

# --- SIGKILL mid-transfer, then the same command resumes -------------------------------------------
# Parts are answered 700 ms late and slow/ bodies trickle out, so there is time to kill cosctl.
start_fixture resume FIXTURE_PART_DELAY_MS=700 FIXTURE_SLOW_GET_PREFIX=slow/
use_fixture
run "mb (resume fixture)" 0 mb "$bucket"
key="slow/killed 40m.bin"
# 4 MiB parts, two at a time: eleven parts over about four seconds.
small_parts=(--part-size 4M --parallel 2)
"$cosctl" -q put "${small_parts[@]}" "$tmp/f40m" "$bucket/$key" >"$tmp/kill.out" 2>&1 &
victim=$!
for _ in $(seq 300); do
    [ "$(grep -c "^PUT .* /slow/killed%2040m.bin 200 q=partNumber,uploadId" "$log")" -ge 2 ] && break
    sleep 0.1
done
kill -9 $victim 2>/dev/null
wait $victim 2>/dev/null
sleep 1 # parts the fixture had received are answered (to nobody) and logged
done_parts=$(grep -c "^PUT .* /slow/killed%2040m.bin 200 q=partNumber,uploadId" "$log")
[ "$done_parts" -ge 2 ] && pass "put killed with $done_parts parts uploaded" || fail "put was killed before two parts were uploaded"
before=$(wc -l <"$log")
run "put resumes after SIGKILL" 0 -q put "${small_parts[@]}" "$tmp/f40m" "$bucket/$key"
tail -n +"$((before + 1))" "$log" >"$tmp/after-kill.log"
lacks "resumed put starts no new upload" "$tmp/after-kill.log" " q=uploads"
contains "resumed put asks which parts are there" "$tmp/after-kill.log" "GET $bucket-1250000000.cos.ap-guangzhou.myqcloud.com /slow/killed%2040m.bin 200 q=uploadId"
again=$(grep -c "^PUT .* /slow/killed%2040m.bin 200 q=partNumber,uploadId" "$tmp/after-kill.log")
[ "$again" -le $((11 - done_parts)) ] && pass "resumed put sent only the $again missing parts of 11" \
    || fail "resumed put sent $again parts though $done_parts of 11 were there"
run "get the resumed upload" 0 -q get "$bucket/$key" "$tmp/resumed-put"
same "resumed upload is byte-identical" "$tmp/f40m" "$tmp/resumed-put"

# The download: 8 MiB ranges at about 5 MiB/s each, two at a time; killed once a third range
# was asked for (so at least one range is complete), resumed with ranges.
before=$(wc -l <"$log")
"$cosctl" -q get --parallel 2 "$bucket/$key" "$tmp/killed-get" >"$tmp/kill.out" 2>&1 &
victim=$!
for _ in $(seq 300); do
    [ "$(tail -n +"$((before + 1))" "$log" | grep -c "^GET .* /slow/killed%2040m.bin 206")" -ge 3 ] && break
    sleep 0.1
done
kill -9 $victim 2>/dev/null
wait $victim 2>/dev/null
[ -e "$tmp/killed-get" ] && fail "killed get left the target file" || pass "killed get left no target file"
before=$(wc -l <"$log")
run "get resumes after SIGKILL" 0 -q get --parallel 2 "$bucket/$key" "$tmp/killed-get"
same "resumed download is byte-identical" "$tmp/f40m" "$tmp/killed-get"
tail -n +"$((before + 1))" "$log" >"$tmp/after-kill.log"
# Bytes asked for by the resumed run (ranges, or the whole object without one).
asked=$(awk -v size=$((40 * 1048576 + 123)) '$1 == "GET" && $3 ~ /killed/ && $4 ~ /^20/ {
    if (match($0, /range=bytes=[0-9]*-[0-9]*/)) {
        split(substr($0, RSTART + 12, RLENGTH - 12), r, "-")
        sum += (r[2] == "" ? size - 1 : r[2]) - r[1] + 1
    } else sum += size
} END { print sum + 0 }' "$tmp/after-kill.log")
[ "$asked" -gt 0 ] && [ "$asked" -lt $((40 * 1048576 + 123)) ] \
    && pass "resumed get fetched only the missing $asked bytes" \
    || fail "resumed get fetched $asked bytes of $((40 * 1048576 + 123))"

# --- temporary keys that expire every 4 seconds, refreshed in the middle of an upload ----------
# Eleven 4 MiB parts, two at a time, each answered 1 s late: the upload takes about six seconds,
# so keys that live four seconds must be replaced while it runs.
start_fixture sts FIXTURE_STS_SECONDS=4 FIXTURE_PART_DELAY_MS=1000
use_fixture
unset COS_SECRET_ID COS_SECRET_KEY
export COS_CREDENTIALS_URL=http://127.0.0.1:$port/sts
run "mb with 4-second keys" 0 mb "$bucket"
run "40 MiB upload outlives its keys" 0 -q put "${small_parts[@]}" "$tmp/f40m" "$bucket/sts/long.bin"
run "get with 4-second keys" 0 -q get "$bucket/sts/long.bin" "$tmp/sts-got"
same "bytes with 4-second keys" "$tmp/f40m" "$tmp/sts-got"
keys_used=$(grep -E '^(PUT|POST) .* /sts/long.bin ' "$log" | grep -o ' ak=AKIDfixturests[0-9]*' | sort -u | wc -l)
[ "$keys_used" -ge 2 ] && pass "the upload was signed with $keys_used successive keys" \
    || fail "only $keys_used key signed the upload: no refresh happened"
unset COS_CREDENTIALS_URL

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

# --- https with a private CA: trusted through --ca-file / COS_CA_FILE only ----------------------
if command -v openssl >/dev/null; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cos fixture test CA" \
        -keyout "$tmp/ca.key" -out "$tmp/ca.pem" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -subj "/CN=cos.ap-guangzhou.myqcloud.com" \
        -keyout "$tmp/tls.key" -out "$tmp/tls.csr" >/dev/null 2>&1
    printf 'subjectAltName=DNS:service.cos.myqcloud.com,DNS:cos.ap-guangzhou.myqcloud.com,DNS:*.cos.ap-guangzhou.myqcloud.com\n' >"$tmp/tls.ext"
    openssl x509 -req -in "$tmp/tls.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
        -days 2 -extfile "$tmp/tls.ext" -out "$tmp/tls.pem" >/dev/null 2>&1
    start_fixture tls FIXTURE_TLS_CERT="$tmp/tls.pem" FIXTURE_TLS_KEY="$tmp/tls.key"
    use_fixture
    export COS_PROTOCOL=https
    run "https without the CA is refused" 5 -q --retries 1 --no-backup-domain ls
    contains "the refusal names TLS" "$tmp/err" "SSL"
    run "https ls with --ca-file" 0 --ca-file "$tmp/ca.pem" ls
    COS_BACKUP_DOMAIN=maybe run "a flag wins over a bad switch variable" 0 --ca-file "$tmp/ca.pem" \
        --no-backup-domain ls
    run "https mb with --ca-file" 0 --ca-file "$tmp/ca.pem" mb "$bucket"
    COS_CA_FILE=$tmp/ca.pem run "https put with COS_CA_FILE" 0 -q put "$tmp/f40m" "$bucket/tls/big.bin"
    COS_CA_FILE=$tmp/ca.pem run "https get with COS_CA_FILE" 0 -q get "$bucket/tls/big.bin" "$tmp/tls-got"
    same "https bytes" "$tmp/f40m" "$tmp/tls-got"
    contains "the upload went in parts over https" "$log" "POST $bucket-1250000000.cos.ap-guangzhou.myqcloud.com /tls/big.bin 200"
    run "presign over https" 0 --ca-file "$tmp/ca.pem" presign "$bucket/tls/big.bin" --expires 60
    status=$(http_status "$(cat "$tmp/out")" --cacert "$tmp/ca.pem")
    [ "$status" = 200 ] && pass "curl GET presigned https URL with the CA" || fail "curl GET presigned https URL: HTTP $status"
    same "presigned https bytes" "$tmp/f40m" "$tmp/body"
    unset COS_PROTOCOL
else
    fail "openssl not found (scripts/bootstrap.sh installs it)"
fi

# --- option errors ---------------------------------------------------------------------------
run "bad --connect-to" 2 --connect-to "127.0.0.1:port" ls
contains "--connect-to explained" "$tmp/err" "HOST[:PORT]"
run "bad --domain placeholder" 2 --domain "{Bucket}.{Zone}.example.com" ls "$bucket"
contains "--domain explained" "$tmp/err" "unknown placeholder"
run "--accelerate with --internal" 2 --accelerate --internal ls "$bucket"
COS_DIALECT=s3 COS_ENDPOINT=http://127.0.0.1:1 run "--domain with s3" 2 --domain x.example.com ls
# An endpoint URL is the S3 server's: with the cos dialect it is refused, not used for its scheme
# alone (the hosts would still be the real COS ones).
COS_ENDPOINT=http://127.0.0.1:$port run "endpoint URL with the cos dialect" 2 ls
contains "endpoint URL with cos explained" "$tmp/err" "COS_ENDPOINT: the cos dialect takes no endpoint URL"
run "--endpoint with the cos dialect" 2 --endpoint "http://127.0.0.1:$port" ls
contains "--endpoint with cos named" "$tmp/err" "--endpoint: the cos dialect takes no endpoint URL"
# A switch is on or off; anything else is refused instead of being read as off.
COS_INTERNAL=maybe run "switch neither on nor off" 2 ls "$bucket"
contains "switch explained" "$tmp/err" 'COS_INTERNAL: "maybe" is not a switch'

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
