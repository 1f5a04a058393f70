#!/usr/bin/env bash
# cosctl end to end against the sandbox's RGW: mb, ls, rm, presign (URLs used with curl),
# credentials (masked, from the environment and from a signing URL), and the exit codes of bad
# input. Usage: tst_cosctl.sh PATH/TO/cosctl. Reads the COS_* variables of scripts/sandbox.sh;
# exits 77 (skip) without them, unless COS_SANDBOX_REQUIRED=1.
set -uo pipefail

cosctl=${1:?usage: tst_cosctl.sh PATH/TO/cosctl}
# shellcheck source=tests/support/cosctl_harness.sh
source "$(dirname "$0")/support/cosctl_harness.sh"
http_pid=
cleanup_extra() { [ -n "$http_pid" ] && kill "$http_pid" 2>/dev/null; }

# --- help and usage -----------------------------------------------------------------------------
run "help" 0 --help
contains "help lists exit codes" "$tmp/out" "Exit codes"
contains "help lists COS_CREDENTIALS_URL" "$tmp/out" "COS_CREDENTIALS_URL"
run "no command" 2
run "unknown command" 2 frobnicate
contains "unknown command message" "$tmp/err" "unknown command 'frobnicate'"
run "unknown global option" 2 --bogus ls
run "bad dialect" 2 --dialect ftp ls
run "ls --help" 0 ls --help
contains "ls help" "$tmp/out" "recursive"

# --- round trip ---------------------------------------------------------------------------------
key='dir/hello wörld+1.txt'
head -c 100000 /dev/urandom >"$tmp/payload"

run "mb" 0 mb "$bucket"
contains "mb prints bucket" "$tmp/out" "make_bucket: $bucket"
run "ls buckets" 0 ls
contains "ls shows new bucket" "$tmp/out" "$bucket"

run "presign PUT" 0 presign "$bucket/$key" --method PUT --expires 120
put_url=$(cat "$tmp/out")
code=$(curl -sS -o /dev/null -w '%{http_code}' -T "$tmp/payload" "$put_url")
[ "$code" = 200 ] && pass "curl PUT to presigned URL" || fail "curl PUT to presigned URL: HTTP $code"

run "ls bucket" 0 ls "$bucket"
contains "ls groups by prefix" "$tmp/out" "PRE  dir/"
run "ls prefix" 0 ls "s3://$bucket/dir/"
contains "ls prefix shows key" "$tmp/out" "100000  $key"
run "ls recursive" 0 ls -r "$bucket"
contains "ls -r shows full key" "$tmp/out" "$key"

run "presign GET" 0 presign "$bucket/$key" --expires 60
curl -sS -o "$tmp/fetched" "$(cat "$tmp/out")"
cmp -s "$tmp/payload" "$tmp/fetched" && pass "presigned GET returns the bytes" || fail "presigned GET bytes differ"

# An object stored with Content-Encoding: gzip downloads as the stored bytes (no decoding).
if command -v gzip >/dev/null; then
    head -c 20000 /dev/zero | tr '\0' 'z' | gzip -c >"$tmp/stored.gz"
    run "presign PUT gzip object" 0 presign "$bucket/gz/data.txt" --method PUT --expires 120
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H 'Content-Encoding: gzip' -T "$tmp/stored.gz" "$(cat "$tmp/out")")
    [ "$code" = 200 ] && pass "curl PUT gzip-encoded object" || fail "curl PUT gzip-encoded object: HTTP $code"
    COS_CHECKPOINT_DIR="$tmp/ckpt" run "get gzip-encoded object" 0 -q get "$bucket/gz/data.txt" "$tmp/got.gz"
    cmp -s "$tmp/stored.gz" "$tmp/got.gz" && pass "gzip-encoded object is byte-identical" \
        || fail "gzip-encoded object differs ($(wc -c <"$tmp/got.gz" 2>/dev/null) bytes)"
    run "rm gzip object" 0 rm "$bucket/gz/data.txt"
fi

run "rm" 0 rm "$bucket/$key"
contains "rm prints key" "$tmp/out" "delete: $bucket/$key"
run "ls after rm" 0 ls -r "$bucket"
lacks "key gone" "$tmp/out" "$key"

# --- errors and their exit codes ----------------------------------------------------------------
run "ls missing bucket" 3 ls "nosuchbucket-$$"
contains "missing bucket named" "$tmp/err" "NoSuchBucket"
run "mb invalid name" 2 mb Bad_Name
contains "invalid name explained" "$tmp/err" "Bad_Name"
run "rm without key" 2 rm "$bucket"
contains "rm without key explained" "$tmp/err" "no object key"
run "presign expires 0" 2 presign "$bucket/k" --expires 0
run "presign expires text" 2 presign "$bucket/k" --expires soon
run "presign bad method" 2 presign "$bucket/k" --method PATCH
run "ls too many args" 2 ls a b
COS_SECRET_KEY=wrong-secret run "wrong secret" 4 ls
env -u COS_SECRET_ID -u COS_SECRET_KEY "$cosctl" ls >"$tmp/out" 2>"$tmp/err"
[ $? = 4 ] && pass "no credentials (exit 4)" || fail "no credentials: expected exit 4"
contains "no credentials explained" "$tmp/err" "no credentials"
COS_ENDPOINT=http://127.0.0.1:1 run "unreachable endpoint" 5 --retries 1 --timeout 5 ls
COS_ENDPOINT=not-a-url run "bad endpoint" 2 ls
run "--ca-file missing" 2 --ca-file "$tmp/no-such-ca.pem" ls
contains "missing CA file explained" "$tmp/err" "cannot read the CA file"
printf 'not a certificate\n' >"$tmp/not-a-ca.pem"
COS_CA_FILE=$tmp/not-a-ca.pem run "COS_CA_FILE without a certificate" 2 ls
contains "CA file without certificate explained" "$tmp/err" "COS_CA_FILE: the CA file"
COS_CA_FILE=$tmp/not-a-ca.pem run "--ca-file wins over COS_CA_FILE" 0 --ca-file /etc/ssl/certs/ca-certificates.crt ls
lacks "COS_CA_FILE not read when --ca-file is given" "$tmp/err" "COS_CA_FILE"

# --- credentials --------------------------------------------------------------------------------
run "credentials" 0 credentials
contains "credentials source" "$tmp/out" "static keys (environment)"
contains "key id masked" "$tmp/out" "${COS_SECRET_ID:0:4}****${COS_SECRET_ID: -4}"
lacks "no secret printed" "$tmp/out" "$COS_SECRET_KEY"
lacks "no full key id printed" "$tmp/out" "$COS_SECRET_ID"

if command -v python3 >/dev/null; then
    now=$(date +%s)
    mkdir -p "$tmp/www"
    printf '{"credentials":{"tmpSecretId":"AKIDfromurl0123456789","tmpSecretKey":"TMPSECRETVALUE","sessionToken":"TOKENVALUE"},"startTime":%s,"expiredTime":%s}' \
        "$now" $((now + 1800)) >"$tmp/www/good.json"
    printf '{"credentials":{"tmpSecretId":"A","tmpSecretKey":"S","sessionToken":"T"},"expiredTime":%s000}' \
        $((now + 1800)) >"$tmp/www/ms.json"
    printf '{"code":4101,"message":"no permission","codeDesc":"UnauthorizedOperation"}' >"$tmp/www/denied.json"
    # Full-width digits (U+FF11...) are digits to Unicode, not to Unix time.
    printf '{"credentials":{"tmpSecretId":"A","tmpSecretKey":"S","sessionToken":"T"},"expiredTime":"\uff11\uff17\uff19\uff19\uff19\uff19\uff19\uff19\uff19\uff19"}' \
        >"$tmp/www/fullwidth.json"
    # Terminal escapes in a server's error text: colour, window title, cursor movement.
    printf '{"code":4101,"message":"\\u001b[31mred\\u001b[0m \\u001b]0;pwned\\u0007 \\u009b2J","codeDesc":"X\\u001b[1A"}' \
        >"$tmp/www/escapes.json"
    (cd "$tmp/www" && exec python3 -u -m http.server 0 --bind 127.0.0.1 >"$tmp/http.log" 2>&1) &
    http_pid=$!
    port=
    for _ in $(seq 50); do
        port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$tmp/http.log" | head -n 1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    if [ -n "$port" ]; then
        base=http://127.0.0.1:$port
        COS_CREDENTIALS_URL=$base/good.json run "credentials from URL" 0 credentials
        contains "URL source shown" "$tmp/out" "signing URL $base/good.json"
        contains "URL key masked" "$tmp/out" "AKID****6789"
        contains "URL keys temporary" "$tmp/out" "temporary:     yes"
        lacks "URL secret not printed" "$tmp/out" "TMPSECRETVALUE"
        lacks "URL token not printed" "$tmp/out" "TOKENVALUE"
        COS_CREDENTIALS_URL=$base/ms.json run "13-digit expiredTime" 4 credentials
        contains "milliseconds explained" "$tmp/err" "milliseconds"
        COS_CREDENTIALS_URL=$base/denied.json run "code != 0" 4 credentials
        contains "service code explained" "$tmp/err" "code 4101: no permission"
        COS_CREDENTIALS_URL=$base/fullwidth.json run "full-width expiredTime" 4 credentials
        contains "full-width digits refused" "$tmp/err" "10-digit"
        COS_CREDENTIALS_URL=$base/escapes.json run "escapes in error text" 4 credentials
        contains "error text kept" "$tmp/err" "red"
        if LC_ALL=C grep -q $'\x1b\|\x07\|\xc2\x9b' "$tmp/err"; then
            fail "terminal control characters printed"
        else
            echo "ok - terminal control characters stripped"
        fi
        COS_CREDENTIALS_URL=$base/missing.json run "signing URL 404" 4 credentials
        contains "HTTP status explained" "$tmp/err" "HTTP 404"
    else
        fail "python3 http.server did not start"
    fi
fi

finish
