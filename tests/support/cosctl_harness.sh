# For cosctl shell tests on the sandbox (source it after setting $cosctl): skip without one,
# a temporary folder $tmp and a fresh bucket name $bucket (deleted with its objects on exit,
# after the test's own cleanup_extra, if it defines one), the checks of tests/cosctl_checks.sh,
# equals and finish.
# shellcheck shell=bash

skip() {
    if [ "${COS_SANDBOX_REQUIRED:-0}" = 1 ]; then
        echo "FAIL - $1 (COS_SANDBOX_REQUIRED=1)"
        exit 1
    fi
    echo "SKIP - $1"
    exit 77
}
for v in COS_ENDPOINT COS_SECRET_ID COS_SECRET_KEY; do
    [ -n "${!v:-}" ] || skip "$v is not set"
done
[ "${COS_DIALECT:-s3}" = s3 ] || skip "this test needs the S3 sandbox"
command -v curl >/dev/null || skip "curl not found"
[ -x "$cosctl" ] || {
    echo "FAIL - $cosctl is not executable"
    exit 1
}

tmp=$(mktemp -d)
bucket=cosctl-$(date +%s)-$$
# curl_s3 ARGS...: curl signed with the sandbox's keys (SigV4), secrets kept out of argv.
curl_s3() {
    curl -sS --aws-sigv4 "aws:amz:${COS_REGION:-us-east-1}:s3" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
        -K <(printf 'user = "%s:%s"\n' "$COS_SECRET_ID" "$COS_SECRET_KEY") "$@"
}
cleanup() {
    declare -F cleanup_extra >/dev/null && cleanup_extra
    "$cosctl" -q rm -r "$bucket" >/dev/null 2>&1
    curl_s3 -o /dev/null -X DELETE "${COS_ENDPOINT%/}/$bucket" 2>/dev/null
    chmod -R u+rwx "$tmp" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

# shellcheck source=tests/cosctl_checks.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cosctl_checks.sh"
# equals NAME ACTUAL EXPECTED
equals() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: '$2', expected '$3'"; fi; }

# finish: the verdict and exit code.
finish() {
    if [ "$failures" -gt 0 ]; then
        echo "$failures check(s) failed"
        exit 1
    fi
    echo "all checks passed"
    exit 0
}
