#!/usr/bin/env bash
# The main job on the local sandbox: install what is missing, build, start the sandbox with a
# persistent store, start cos-signer against it, create a demo bucket with a few objects, and
# launch cosdemo pointed at the signer. Without a display, cosdemo renders offscreen, saves a
# screenshot and this script prints its path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${COS_BUILD_DIR:-$root/build}
sandbox=${COS_SANDBOX_DIR:-$root/.sandbox}
bucket=${COS_DEMO_BUCKET:-cosdemo}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

say "Installing packages (only what is missing)"
"$root/scripts/bootstrap.sh"

say "Building"
cmake -S "$root" -B "$build" -G Ninja > /dev/null
cmake --build "$build"

say "Starting the sandbox (Ceph RGW, persistent store) in $sandbox"
exports=$(COS_SANDBOX_STORE=${COS_SANDBOX_STORE:-bluestore} "$root/scripts/sandbox.sh" start "$sandbox")
eval "$exports"

s3() { # s3 METHOD PATH [curl args...]: a SigV4-signed request to the sandbox with the admin key
    local method=$1 path=$2; shift 2
    curl -sS -o /dev/null -w '%{http_code}' -X "$method" \
        --aws-sigv4 "aws:amz:$COS_REGION:s3" --user "$COS_SECRET_ID:$COS_SECRET_KEY" \
        -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "$@" "$COS_ENDPOINT$path"
}

say "Creating demo bucket '$bucket' with a few objects"
code=$(s3 PUT "/$bucket")
case $code in 200|409) ;; *) echo "demo: creating bucket $bucket failed with HTTP $code" >&2; exit 1;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'Hello from the COS demo.\n' > "$tmp/readme.txt"
head -c 3145728 /dev/urandom > "$tmp/random-3MiB.bin"
printf '{"name":"demo","items":[1,2,3]}\n' > "$tmp/data.json"
for f in readme.txt:readme.txt random-3MiB.bin:media/random-3MiB.bin data.json:docs/data.json \
         readme.txt:docs/2026/notes.txt; do
    code=$(s3 PUT "/$bucket/${f#*:}" --data-binary "@$tmp/${f%%:*}")
    [ "$code" = 200 ] || { echo "demo: uploading ${f#*:} failed with HTTP $code" >&2; exit 1; }
done

signer_port=${COS_SIGNER_PORT:-5000}
say "Starting cos-signer on 127.0.0.1:$signer_port (S3-style STS, scoped to bucket '$bucket')"
pidfile="$sandbox/cos-signer.pid"
if [ -f "$pidfile" ] && [ "$(cat "/proc/$(cat "$pidfile")/comm" 2>/dev/null)" = cos-signer ]; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    sleep 0.3
fi
COS_SIGNER_SECRET_ID=$COS_SECRET_ID COS_SIGNER_SECRET_KEY=$COS_SECRET_KEY \
    "$build/bin/cos-signer" --backend s3-sts --sts-endpoint "$COS_STS_ENDPOINT" \
    --role-arn "$COS_ROLE_ARN" --region "$COS_REGION" --bucket "$bucket" --allow-prefix '*' --actions upload,download,list,delete \
    --port "$signer_port" > "$sandbox/cos-signer.log" 2>&1 &
echo $! > "$pidfile"
for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$signer_port/healthz" > /dev/null 2>&1 && break
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "demo: cos-signer exited; its log ($sandbox/cos-signer.log):" >&2
        tail -n 20 "$sandbox/cos-signer.log" >&2; exit 1
    fi
    sleep 0.1
done

export COS_CREDENTIALS_URL="http://127.0.0.1:$signer_port/sts"
export COS_DEFAULT_BUCKET=$bucket
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${COS_DEMO_SCREENSHOT:-}" ]; then
    say "Launching cosdemo (signing URL $COS_CREDENTIALS_URL)"
    exec "$build/bin/cosdemo"
fi
shot=${COS_DEMO_SCREENSHOT:-$root/build/cosdemo-screenshot.png}
say "No display: rendering cosdemo offscreen"
QT_QPA_PLATFORM=offscreen "$build/bin/cosdemo" --screenshot "$shot" --window-size 1280x800 > /dev/null
echo "Screenshot: $shot"
echo "The sandbox and cos-signer keep running; stop them with: scripts/sandbox.sh stop $sandbox"
