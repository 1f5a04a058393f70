#!/usr/bin/env bash
# The deployment of deploy/, tested: nginx (Debian nginx-light) with the site of
# deploy/nginx-cos-signer.conf terminates TLS on loopback with a throw-away CA, cos-signer runs
# behind it with deploy/cos-signer.json and --trusted-proxy 127.0.0.1/32 (the fake Tencent STS
# upstream), and cosctl fetches credentials through https, trusting the CA through --ca-file and
# COS_CA_FILE. Also: X-Forwarded-For names the real client and cannot be forged, nginx's limits
# answer 413/429, and systemd-analyze verify passes on deploy/cos-signer.service.
# Usage: deploy_nginx.sh COS_SIGNER COSCTL FAKE_TENCENT_STS. Exits 77 (skip) when nginx, openssl
# or python3 is missing, unless COS_DEPLOY_REQUIRED=1 (scripts/bootstrap.sh installs them).
set -uo pipefail

signer=${1:?usage: deploy_nginx.sh COS_SIGNER COSCTL FAKE_TENCENT_STS}
cosctl=${2:?usage: deploy_nginx.sh COS_SIGNER COSCTL FAKE_TENCENT_STS}
fakests=${3:?usage: deploy_nginx.sh COS_SIGNER COSCTL FAKE_TENCENT_STS}
here=$(cd "$(dirname "$0")" && pwd)
deploy=$here/../deploy

skip() {
    if [ "${COS_DEPLOY_REQUIRED:-0}" = 1 ]; then
        echo "FAIL - $1 (COS_DEPLOY_REQUIRED=1)"
        exit 1
    fi
    echo "SKIP - $1"
    exit 77
}
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || skip "nginx not found (scripts/bootstrap.sh installs nginx-light)"
for tool in openssl python3 curl; do
    command -v "$tool" >/dev/null || skip "$tool not found"
done

tmp=$(mktemp -d)
pids=()
cleanup() {
    [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=tests/cosctl_checks.sh
. "$(dirname "$0")/cosctl_checks.sh"
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_for FILE REGEX: the first capture group of REGEX once it appears in FILE (30 s at most).
wait_for() {
    local i value
    for i in $(seq 300); do
        value=$(sed -n -E "s#.*$2.*#\\1#p" "$1" 2>/dev/null | head -n 1)
        [ -n "$value" ] && { echo "$value"; return 0; }
        sleep 0.1
    done
    return 1
}

# --- the unit -----------------------------------------------------------------------------------
if command -v systemd-analyze >/dev/null; then
    # verify checks that ExecStart= is executable: point it at the binary under test.
    sed "s|^ExecStart=/usr/local/bin/cos-signer|ExecStart=$signer|" "$deploy/cos-signer.service" \
        >"$tmp/cos-signer.service"
    if systemd-analyze verify "$tmp/cos-signer.service" >"$tmp/verify.log" 2>&1 && [ ! -s "$tmp/verify.log" ]; then
        pass "systemd-analyze verify"
    else
        fail "systemd-analyze verify: $(cat "$tmp/verify.log")"
    fi
    # Overall exposure 0 (locked down) .. 10 (unsafe), in tenths here.
    if systemd-analyze security --offline=true --threshold=20 "$tmp/cos-signer.service" \
        >"$tmp/security.log" 2>&1; then
        pass "systemd-analyze security: $(grep -o 'exposure level.*' "$tmp/security.log")"
    else
        fail "systemd-analyze security: $(tail -n 3 "$tmp/security.log")"
    fi
else
    echo "SKIP - systemd-analyze not found: unit not verified"
fi

# --- a throw-away CA and a certificate for 127.0.0.1 ---------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cos-signer test CA" \
    -keyout "$tmp/ca.key" -out "$tmp/ca.pem" >/dev/null 2>&1 || skip "openssl cannot make a CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$tmp/server.key" -out "$tmp/server.csr" >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$tmp/ext.cnf"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
    -days 2 -extfile "$tmp/ext.cnf" -out "$tmp/server.pem" >/dev/null 2>&1 \
    || skip "openssl cannot sign a certificate"

# --- fake STS, then cos-signer with the deployed configuration ----------------------------------
sts_id=AKIDdeployPermanentId
sts_key=deploy-PERMANENT-secret-key
FAKE_STS_SECRET_ID=$sts_id FAKE_STS_SECRET_KEY=$sts_key "$fakests" >"$tmp/sts.out" 2>"$tmp/sts.err" &
pids+=($!)
sts_port=$(wait_for "$tmp/sts.out" 'PORT ([0-9]+)') || {
    echo "FAIL - fake STS did not start: $(cat "$tmp/sts.err")"
    exit 1
}
alice_token=alice-deploy-token-0123456789abcdef
bob_token=bob-deploy-token-0123456789abcdef
printf 'alice:%s\nbob:%s\n' "$alice_token" "$bob_token" >"$tmp/tokens"
chmod 600 "$tmp/tokens"
COS_SIGNER_SECRET_ID=$sts_id COS_SIGNER_SECRET_KEY=$sts_key \
    "$signer" --config "$deploy/cos-signer.json" --port 0 --tokens-file "$tmp/tokens" \
    --sts-endpoint "http://127.0.0.1:$sts_port/" --trusted-proxy 127.0.0.1/32 \
    >"$tmp/signer.out" 2>"$tmp/signer.log" &
pids+=($!)
signer_port=$(wait_for "$tmp/signer.log" 'listening on http://127\.0\.0\.1:([0-9]+)') || {
    echo "FAIL - cos-signer did not start: $(cat "$tmp/signer.log")"
    exit 1
}

# --- nginx with the site of deploy/, moved to loopback ports and this run's certificate ---------
https_port=$(free_port)
http_port=$(free_port)
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e '/listen \[::\]/d' \
    -e "s|server 127.0.0.1:5000;|server 127.0.0.1:$signer_port;|" \
    -e "s|/etc/ssl/certs/signer.example.com.pem|$tmp/server.pem|" \
    -e "s|/etc/ssl/private/signer.example.com.key|$tmp/server.key|" \
    "$deploy/nginx-cos-signer.conf" >"$tmp/site.conf"
grep -q "127.0.0.1:$https_port ssl" "$tmp/site.conf" && grep -q "127.0.0.1:$signer_port;" "$tmp/site.conf" \
    || fail "the site's listen, upstream or certificate lines changed: update this test"
mkdir -p "$tmp/nginx"
{
    [ "$(id -u)" = 0 ] && echo "user root;"
    cat <<EOF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 256; }
http {
    access_log $tmp/nginx-access.log;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    include $tmp/site.conf;
}
EOF
} >"$tmp/nginx.conf"
if ! "$nginx" -t -p "$tmp/nginx" -c "$tmp/nginx.conf" >"$tmp/nginx-t.log" 2>&1; then
    echo "FAIL - nginx -t: $(cat "$tmp/nginx-t.log")"
    exit 1
fi
pass "nginx -t accepts the site"
"$nginx" -p "$tmp/nginx" -c "$tmp/nginx.conf" -g 'daemon off;' 2>>"$tmp/nginx-error.log" &
pids+=($!)
base=https://127.0.0.1:$https_port
for i in $(seq 100); do
    curl -s -o /dev/null --cacert "$tmp/ca.pem" "$base/healthz" && break
    sleep 0.1
done

# --- through https -------------------------------------------------------------------------------
code=$(curl -sS -o "$tmp/healthz" -w '%{http_code}' --cacert "$tmp/ca.pem" "$base/healthz")
[ "$code" = 200 ] && pass "GET /healthz through nginx" || fail "GET /healthz through nginx: HTTP $code"
contains "healthz body" "$tmp/healthz" '"status":"ok"'
code=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/sts")
[ "$code" = 301 ] && pass "plain http redirected to https" || fail "plain http: HTTP $code, expected 301"

# run NAME EXPECTED_CODE ARGS... : cosctl with the signing URL, output in $tmp/out and $tmp/err.
run() {
    local name=$1 expected=$2
    shift 2
    # Under ASan: whole stacks, so that tests/lsan.supp can match OpenSSL's per-thread state
    # (slow: about 20 s per run with the system CA list parsed).
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}fast_unwind_on_malloc=0 \
        COS_ENDPOINT=https://127.0.0.1:1 COS_PATH_STYLE=1 COS_REGION=ap-guangzhou \
        "$cosctl" "$@" >"$tmp/out" 2>"$tmp/err"
    local code=$?
    if [ "$code" = "$expected" ]; then
        pass "$name (exit $code)"
    else
        fail "$name: exit $code, expected $expected; stderr: $(head -c 400 "$tmp/err")"
    fi
}
run "cosctl without the CA" 5 --credentials-url "$base/sts" --credentials-token "$alice_token" \
    credentials
contains "untrusted certificate explained" "$tmp/err" "certificate"
run "cosctl --ca-file" 0 --credentials-url "$base/sts" --credentials-token "$alice_token" \
    --ca-file "$tmp/ca.pem" credentials
contains "credentials from the signing URL" "$tmp/out" "$base/sts"
lacks "no token printed" "$tmp/out" "$alice_token"
COS_CA_FILE=$tmp/ca.pem COS_CREDENTIALS_URL=$base/sts COS_CREDENTIALS_TOKEN=$bob_token \
    run "cosctl with COS_CA_FILE" 0 credentials
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/ca.pem" \
    -H "Authorization: Bearer wrong-token" "$base/sts")
[ "$code" = 401 ] && pass "wrong token through nginx: 401" || fail "wrong token: HTTP $code"

# Each caller gets their own credentials behind the one proxy address.
curl -sS --cacert "$tmp/ca.pem" -H "Authorization: Bearer $alice_token" "$base/sts" >"$tmp/alice.json"
curl -sS --cacert "$tmp/ca.pem" -H "Authorization: Bearer $bob_token" "$base/sts" >"$tmp/bob.json"
alice_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["credentials"]["tmpSecretId"])' "$tmp/alice.json" 2>/dev/null)
bob_id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["credentials"]["tmpSecretId"])' "$tmp/bob.json" 2>/dev/null)
if [ -n "$alice_id" ] && [ -n "$bob_id" ] && [ "$alice_id" != "$bob_id" ]; then
    pass "alice and bob get different credentials through the proxy"
else
    fail "per-caller credentials: alice '$alice_id', bob '$bob_id'"
fi

# --- X-Forwarded-For ---------------------------------------------------------------------------
if curl -sS -o /dev/null --interface 127.0.0.2 --cacert "$tmp/ca.pem" \
    -H "Authorization: Bearer $alice_token" -H "X-Forwarded-For: 203.0.113.9" "$base/sts"; then
    sleep 0.3
    contains "signer logs the client behind the proxy" "$tmp/signer.log" "client=127.0.0.2"
    lacks "a client's own X-Forwarded-For is not believed" "$tmp/signer.log" "203.0.113.9"
else
    echo "SKIP - cannot connect from 127.0.0.2"
fi

# --- nginx's own limits ---------------------------------------------------------------------------
head -c 65536 /dev/zero | tr '\0' 'x' >"$tmp/big"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/ca.pem" -X POST \
    -H "Authorization: Bearer $alice_token" --data-binary @"$tmp/big" "$base/sts")
[ "$code" = 413 ] && pass "64 KiB body refused by nginx" || fail "64 KiB body: HTTP $code, expected 413"
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/ca.pem" "$base/admin")
[ "$code" = 404 ] && pass "only the signer's paths are proxied" || fail "GET /admin: HTTP $code"
# One address, 60 requests at once: past the burst, nginx answers 429 itself.
: >"$tmp/codes"
burst=()
for i in $(seq 60); do
    curl -s -o /dev/null -w '%{http_code}\n' --interface 127.0.0.4 --cacert "$tmp/ca.pem" \
        "$base/healthz" >>"$tmp/codes" &
    burst+=($!)
done
wait "${burst[@]}"
if grep -qx 429 "$tmp/codes"; then
    pass "nginx rate-limits one address ($(grep -cx 429 "$tmp/codes") of 60 got 429)"
else
    fail "no 429 from nginx for 60 parallel requests: $(sort "$tmp/codes" | uniq -c | tr '\n' ' ')"
fi
code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tmp/ca.pem" "$base/healthz")
[ "$code" = 200 ] && pass "other addresses unaffected" || fail "/healthz after the burst: HTTP $code"

# --- nothing secret in the logs --------------------------------------------------------------------
for f in signer.log nginx-access.log nginx-error.log; do
    for secret in "$alice_token" "$bob_token" "$sts_key"; do
        lacks "$f holds no secret" "$tmp/$f" "$secret"
    done
done

if [ "$failures" -gt 0 ]; then
    echo "$failures check(s) failed"
    echo "--- cos-signer log (tail)"
    tail -n 20 "$tmp/signer.log"
    echo "--- nginx error log (tail)"
    tail -n 20 "$tmp/nginx-error.log"
    exit 1
fi
echo "all checks passed"
