#!/usr/bin/env bash
# ctest tst_signer_node: installs the official cos-nodejs-sdk-v5 from npm into the build tree,
# runs cos-signer against the fake Tencent STS and checks that the SDK's getAuthorization
# callback accepts the /sts (and /sign) JSON. Exit 77 (skip) when node/npm are missing.
set -u
signer=${1:?usage: run_node_check.sh COS_SIGNER FAKE_STS NODE_DIR}
fake=${2:?}
nodedir=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIP: node and npm are needed for the cos-nodejs-sdk-v5 check (apt-get install nodejs npm)"
    exit 77
fi
mkdir -p "$nodedir"
if [ ! -f "$nodedir/node_modules/cos-nodejs-sdk-v5/package.json" ]; then
    if ! npm install --prefix "$nodedir" --no-audit --no-fund cos-nodejs-sdk-v5 >"$nodedir/npm.log" 2>&1; then
        echo "SKIP: npm install cos-nodejs-sdk-v5 failed (offline?); see $nodedir/npm.log"
        exit 77
    fi
fi
echo "cos-nodejs-sdk-v5 $(node -p "require('$nodedir/node_modules/cos-nodejs-sdk-v5/package.json').version")"

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

FAKE_STS_SECRET_ID=AKIDnodecheck FAKE_STS_SECRET_KEY=nodecheck-secret "$fake" >"$work/fake.out" &
pids+=($!)
for _ in $(seq 50); do grep -q PORT "$work/fake.out" && break; sleep 0.1; done
fport=$(awk '/PORT/{print $2}' "$work/fake.out")
[ -n "$fport" ] || { echo "FAIL: fake STS did not start"; exit 1; }

COS_SIGNER_SECRET_ID=AKIDnodecheck COS_SIGNER_SECRET_KEY=nodecheck-secret \
    "$signer" --port 0 --appid 1250000000 --bucket examplebucket --region ap-guangzhou \
    --sts-endpoint "http://127.0.0.1:$fport/" >"$work/signer.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q 'listening on' "$work/signer.log" && break; sleep 0.1; done
sport=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/signer.log")
[ -n "$sport" ] || { echo "FAIL: cos-signer did not start:"; cat "$work/signer.log"; exit 1; }

NODE_PATH="$nodedir/node_modules" node "$here/check_sts.js" "http://127.0.0.1:$sport"
rc=$?
[ $rc -eq 0 ] || cat "$work/signer.log"
exit $rc
