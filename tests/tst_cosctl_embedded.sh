#!/usr/bin/env bash
# cosctl's embedded signer mode against the sandbox's RGW and its STS: cosctl runs the signer
# core in process with the permanent key from COS_SIGNER_SECRET_ID/KEY and signs every request
# with the temporary keys it issues. Checks: the keys are temporary and not the permanent ones,
# `credentials` shows the grant, uploads inside the granted prefix work, outside it give a clear
# 403 (exit 4), 3-second keys are refreshed during a 40 MiB upload, usage errors, and neither the
# permanent key id nor the secret appears in any output.
# Usage: tst_cosctl_embedded.sh PATH/TO/cosctl. Reads the COS_* variables of scripts/sandbox.sh;
# exits 77 (skip) without them, unless COS_SANDBOX_REQUIRED=1.
set -uo pipefail

cosctl=${1:?usage: tst_cosctl_embedded.sh PATH/TO/cosctl}
# shellcheck source=tests/support/cosctl_harness.sh
source "$(dirname "$0")/support/cosctl_harness.sh"
for v in COS_STS_ENDPOINT COS_ROLE_ARN; do
    [ -n "${!v:-}" ] || skip "$v is not set"
done
permanent_id=$COS_SECRET_ID
permanent_key=$COS_SECRET_KEY
proxy_pid=
cleanup_extra() { [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null; }

# Every output of every embedded run is collected here and searched for the permanent key.
all_output=$tmp/all-output
: >"$all_output"
# embedded NAME EXPECTED_CODE ARGS... : cosctl with the permanent key only in COS_SIGNER_*.
embedded() {
    local name=$1 expected=$2
    shift 2
    env -u COS_SECRET_ID -u COS_SECRET_KEY -u COS_SESSION_TOKEN -u COS_CREDENTIALS_URL \
        COS_SIGNER_SECRET_ID="$permanent_id" COS_SIGNER_SECRET_KEY="$permanent_key" \
        "$cosctl" "$@" >"$tmp/out" 2>"$tmp/err"
    local code=$?
    cat "$tmp/out" "$tmp/err" >>"$all_output"
    if [ "$code" = "$expected" ]; then
        pass "$name (exit $code)"
    else
        fail "$name: exit $code, expected $expected; stderr: $(head -c 600 "$tmp/err")"
    fi
}
signer=(--embedded-signer --backend s3-sts --sts-endpoint "$COS_STS_ENDPOINT"
    --role-arn "$COS_ROLE_ARN" --bucket "$bucket" --allow-prefix granted/)

run "mb with the permanent keys" 0 mb "$bucket"
run "credentials with the permanent keys" 0 credentials
permanent_masked=$(grep '^secret id:' "$tmp/out")

# --- credentials ---------------------------------------------------------------------------------
embedded "credentials" 0 "${signer[@]}" credentials
contains "source is the embedded signer" "$tmp/out" "source:        embedded signer"
contains "keys are temporary" "$tmp/out" "temporary:     yes"
contains "grant shown" "$tmp/out" "granted:       $bucket/granted/* [upload,download,list]"
contains "expiry shown" "$tmp/out" "expires:       20"
embedded_masked=$(grep '^secret id:' "$tmp/out")
[ -n "$embedded_masked" ] && [ "$embedded_masked" != "$permanent_masked" ] &&
    pass "temporary key id differs from the permanent one" ||
    fail "temporary key id '$embedded_masked' vs permanent '$permanent_masked'"

COS_EMBEDDED_SIGNER=1 embedded "COS_EMBEDDED_SIGNER=1" 0 --backend s3-sts \
    --sts-endpoint "$COS_STS_ENDPOINT" --role-arn "$COS_ROLE_ARN" --bucket "$bucket" \
    --allow-prefix granted/ --actions upload credentials
contains "variable turns the mode on" "$tmp/out" "source:        embedded signer"
contains "actions as given" "$tmp/out" "granted:       $bucket/granted/* [upload]"

# COS_STS_ENDPOINT and COS_ROLE_ARN (as scripts/sandbox.sh exports them) stand in for the flags,
# and the s3 dialect picks the s3-sts back end.
embedded "STS settings from the environment" 0 --embedded-signer --bucket "$bucket" \
    --allow-prefix granted/ credentials
contains "temporary from environment settings" "$tmp/out" "temporary:     yes"

# --- inside and outside the grant ---------------------------------------------------------------
head -c 100000 /dev/urandom >"$tmp/small"
embedded "put inside the granted prefix" 0 "${signer[@]}" put "$tmp/small" "$bucket/granted/small.txt"
embedded "get inside the granted prefix" 0 "${signer[@]}" get "$bucket/granted/small.txt" "$tmp/small.back"
same "round trip inside the grant" "$tmp/small" "$tmp/small.back"
embedded "ls inside the granted prefix" 0 "${signer[@]}" ls "$bucket/granted/"
contains "ls shows the object" "$tmp/out" "small.txt"

embedded "put outside the granted prefix" 4 "${signer[@]}" put "$tmp/small" "$bucket/other/small.txt"
contains "403 named" "$tmp/err" "403"
contains "access denied named" "$tmp/err" "AccessDenied"
contains "the grant is named in the hint" "$tmp/err" "$bucket/granted/*"
embedded "download-only grant refuses put" 4 "${signer[@]}" --actions download \
    put "$tmp/small" "$bucket/granted/refused.txt"
contains "download-only 403" "$tmp/err" "403"

# --- 3-second keys across a 40 MiB upload --------------------------------------------------------
# Two parts at a time, each through a proxy connection that passes 3 MiB/s towards RGW: the
# upload lasts about 7 s, and both part streams need new keys while it runs (the engine renews
# them with half their lifetime left, one fetch for all waiting requests).
if command -v python3 >/dev/null; then
    rgw=${COS_ENDPOINT#*://}
    rgw=${rgw%%/*}
    python3 -u "$(dirname "$0")/support/throttle_proxy.py" "${rgw%:*}" "${rgw##*:}" $((3 * 1024 * 1024)) \
        >"$tmp/proxy.log" 2>&1 &
    proxy_pid=$!
    proxy_port=
    for _ in $(seq 50); do
        proxy_port=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$tmp/proxy.log" 2>/dev/null)
        [ -n "$proxy_port" ] && break
        sleep 0.1
    done
    [ -n "$proxy_port" ] || fail "throttling proxy did not start: $(cat "$tmp/proxy.log")"
    head -c $((40 * 1024 * 1024)) /dev/urandom >"$tmp/big"
    start=$(date +%s)
    embedded "40 MiB upload with 3 s keys" 0 -v "${signer[@]}" --duration 3 \
        --connect-to "127.0.0.1:$proxy_port" \
        put "$tmp/big" "$bucket/granted/big.bin" --part-size 5M --parallel 2 --no-resume
    elapsed=$(($(date +%s) - start))
    issued=$(grep -c "embedded signer issued temporary keys" "$tmp/err")
    keys=$(grep -o "embedded signer issued temporary keys [^ ]*" "$tmp/err" | sort -u | wc -l)
    echo "# the upload took ${elapsed} s; the embedded signer issued $issued key(s), $keys distinct"
    [ "$elapsed" -ge 4 ] && pass "upload outlived the 3 s keys" ||
        fail "upload took only ${elapsed} s: the keys were not refreshed during it"
    [ "$keys" -ge 2 ] && pass "new keys issued during the upload" ||
        fail "upload of ${elapsed} s with 3 s keys used $keys distinct key(s)"
    kill "$proxy_pid" 2>/dev/null
    wait "$proxy_pid" 2>/dev/null
    embedded "get the 40 MiB object" 0 "${signer[@]}" get "$bucket/granted/big.bin" "$tmp/big.back"
    same "40 MiB round trip" "$tmp/big" "$tmp/big.back"
else
    echo "# python3 not found: the 40 MiB upload with 3 s keys is skipped"
fi

# --- usage errors ---------------------------------------------------------------------------------
embedded "signer option without the mode" 2 --bucket "$bucket" credentials
contains "explains the missing mode" "$tmp/err" "--embedded-signer"
embedded "mode without a bucket" 4 --embedded-signer credentials
contains "explains the missing bucket" "$tmp/err" "--bucket"
embedded "bad duration" 2 "${signer[@]}" --duration 3.5 credentials
contains "explains the duration" "$tmp/err" "--duration"
embedded "unknown back end" 4 "${signer[@]/s3-sts/nope}" credentials
contains "explains the back end" "$tmp/err" "nope"
embedded "prefix with .." 4 --embedded-signer --bucket "$bucket" --allow-prefix ../x/ credentials
contains "explains the prefix" "$tmp/err" "prefix"
embedded "secret id flag refused" 2 "${signer[@]}" --secret-id X credentials
contains "keys only from the environment" "$tmp/err" "COS_SIGNER_SECRET_ID"
env -u COS_SECRET_ID -u COS_SECRET_KEY COS_SIGNER_SECRET_ID= COS_SIGNER_SECRET_KEY= \
    "$cosctl" "${signer[@]}" credentials >"$tmp/out" 2>"$tmp/err"
[ $? = 4 ] && pass "no permanent key (exit 4)" || fail "no permanent key: expected exit 4"
contains "explains the permanent key" "$tmp/err" "COS_SIGNER_SECRET_KEY"

# A wrong permanent key: RGW's STS refuses it; the message must not carry the key.
env -u COS_SECRET_ID -u COS_SECRET_KEY COS_SIGNER_SECRET_ID="$permanent_id" \
    COS_SIGNER_SECRET_KEY="wrong-$permanent_key" \
    "$cosctl" "${signer[@]}" credentials >"$tmp/out" 2>"$tmp/err"
[ $? = 4 ] && pass "rejected permanent key (exit 4)" || fail "rejected permanent key: expected exit 4"
cat "$tmp/out" "$tmp/err" >>"$all_output"
lacks "rejected key not echoed" "$tmp/err" "wrong-$permanent_key"

# --- no permanent key id or secret anywhere -------------------------------------------------------
lacks "no permanent key id in any output" "$all_output" "$permanent_id"
lacks "no permanent secret in any output" "$all_output" "$permanent_key"
lacks "no masked permanent key id in any output" "$all_output" "${permanent_masked#secret id:     }"

finish
