#!/usr/bin/env bash
# Smoke test of the sandbox S3 + STS server, with plain curl --aws-sigv4 (no project code):
# bucket create, PUT/GET round trip, STS AssumeRole with an inline session policy, and that
# policy enforced (inside allowed/ -> 200, outside -> 403). Reads the COS_* variables printed by
# scripts/sandbox.sh; exits 77 (skip) when they are absent, unless COS_SANDBOX_REQUIRED=1.
set -euo pipefail

skip() {
    if [ "${COS_SANDBOX_REQUIRED:-0}" = 1 ]; then
        echo "FAIL - $1 (COS_SANDBOX_REQUIRED=1)"
        exit 1
    fi
    echo "SKIP - $1; run: eval \"\$(scripts/sandbox.sh start)\""
    exit 77
}
for v in COS_ENDPOINT COS_SECRET_ID COS_SECRET_KEY COS_ROLE_ARN; do
    [ -n "${!v:-}" ] || skip "$v is not set"
done
[ "${COS_DIALECT:-s3}" = s3 ] || skip "COS_DIALECT=$COS_DIALECT, this test needs an S3 endpoint"
command -v curl >/dev/null || skip "curl not found"
curl --help all 2>/dev/null | grep -q -- --aws-sigv4 || skip "curl has no --aws-sigv4 (needs curl >= 7.75)"

endpoint=${COS_ENDPOINT%/}
sts_endpoint=${COS_STS_ENDPOINT:-$endpoint}
sts_endpoint=${sts_endpoint%/}
region=${COS_REGION:-us-east-1}
tmp=$(mktemp -d)
bucket=smoke-$(date +%s)-$$-$RANDOM
failures=0

# Credentials and the session token go to curl through a config file on a pipe, never on argv.
# Sets $code and leaves the body in $tmp/body.
# req ACCESS_KEY SECRET TOKEN METHOD PATH [curl args...]
req() {
    local ak=$1 sk=$2 token=$3 method=$4 path=$5
    shift 5
    code=$(curl -sS -X "$method" -o "$tmp/body" -w '%{http_code}' --max-time 30 \
        --aws-sigv4 "aws:amz:$region:s3" \
        -K <(
            printf 'user = "%s:%s"\n' "$ak" "$sk"
            [ -z "$token" ] || printf 'header = "x-amz-security-token: %s"\n' "$token"
        ) \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "$endpoint$path") || code=curl-failed
}
s3() { req "$COS_SECRET_ID" "$COS_SECRET_KEY" "" "$@"; }
tmp_s3() { req "$tak" "$tsk" "$ttok" "$@"; }

check() { # DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        echo "ok - $1"
    else
        echo "FAIL - $1: expected $2, got $3"
        if [ -s "$tmp/body" ]; then
            echo "       body: $(head -c 300 "$tmp/body" | tr -d '\n')"
        fi
        failures=$((failures + 1))
    fi
}
xml_value() { sed -n "s|.*<$1>\([^<]*\)</$1>.*|\1|p" "$tmp/body" | head -n 1; }

cleanup() {
    set +e
    for key in plain.bin allowed/inside.txt outside.txt; do s3 DELETE "/$bucket/$key"; done
    s3 DELETE "/$bucket"
    [ "$code" = 204 ] || [ "$code" = 404 ] || echo "warning: could not delete bucket $bucket (HTTP $code)"
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "# endpoint $endpoint, bucket $bucket"

s3 PUT "/$bucket"
check "create bucket $bucket" 200 "$code"
[ "$code" = 200 ] || exit 1

head -c 70000 /dev/urandom >"$tmp/payload"
s3 PUT "/$bucket/plain.bin" --data-binary "@$tmp/payload"
check "PUT plain.bin (70000 random bytes)" 200 "$code"

s3 GET "/$bucket/plain.bin"
check "GET plain.bin" 200 "$code"
if cmp -s "$tmp/payload" "$tmp/body"; then same=identical; else same=different; fi
check "GET plain.bin returns the bytes that were PUT" identical "$same"

policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":["arn:aws:s3:::'$bucket'/allowed/*"]}]}'
code=$(curl -sS -o "$tmp/body" -w '%{http_code}' --max-time 30 --aws-sigv4 "aws:amz:$region:sts" \
    -K <(printf 'user = "%s:%s"\n' "$COS_SECRET_ID" "$COS_SECRET_KEY") \
    --data-urlencode Action=AssumeRole --data-urlencode Version=2011-06-15 \
    --data-urlencode "RoleArn=$COS_ROLE_ARN" --data-urlencode "RoleSessionName=smoke-$$" \
    --data-urlencode DurationSeconds=900 --data-urlencode "Policy=$policy" \
    "$sts_endpoint/") || code=curl-failed
check "STS AssumeRole with an inline session policy" 200 "$code"
tak=$(xml_value AccessKeyId)
tsk=$(xml_value SecretAccessKey)
ttok=$(xml_value SessionToken)
if [ -n "$tak" ] && [ -n "$tsk" ] && [ -n "$ttok" ]; then creds=present; else creds=missing; fi
check "AssumeRole returned AccessKeyId, SecretAccessKey and SessionToken" present "$creds"
[ "$creds" = present ] || exit 1

printf 'inside the policy\n' >"$tmp/small"
tmp_s3 PUT "/$bucket/allowed/inside.txt" --data-binary "@$tmp/small"
check "temporary credentials: PUT allowed/inside.txt" 200 "$code"

tmp_s3 GET "/$bucket/allowed/inside.txt"
check "temporary credentials: GET allowed/inside.txt" 200 "$code"

tmp_s3 PUT "/$bucket/outside.txt" --data-binary "@$tmp/small"
check "temporary credentials: PUT outside.txt (outside the policy)" 403 "$code"

req "$tak" "$tsk" "" PUT "/$bucket/allowed/no-token.txt" --data-binary "@$tmp/small"
check "temporary credentials without the session token are refused" 403 "$code"

if [ "$failures" -gt 0 ]; then
    echo "# $failures check(s) failed"
    exit 1
fi
echo "# all checks passed"
