# Shared by the transfer benchmarks (source it): tool configuration for the sandbox, timing
# under /usr/bin/time -v, medians and RGW garbage collection. Needs $work (a scratch folder).
# shellcheck shell=bash

: "${COS_ENDPOINT:?run eval \"\$(scripts/sandbox.sh start DIR)\" first}"
command -v rclone >/dev/null || apt-get install -y -qq rclone >/dev/null
aws=/usr/bin/aws

export AWS_ACCESS_KEY_ID=$COS_SECRET_ID AWS_SECRET_ACCESS_KEY=$COS_SECRET_KEY
export AWS_DEFAULT_REGION=$COS_REGION AWS_PAGER=
export COS_CHECKPOINT_DIR=$work/checkpoints
export RCLONE_CONFIG=$work/rclone.conf
cat >"$RCLONE_CONFIG" <<CONF
[sandbox]
type = s3
provider = Ceph
access_key_id = $COS_SECRET_ID
secret_access_key = $COS_SECRET_KEY
endpoint = $COS_ENDPOINT
region = $COS_REGION
force_path_style = true
CONF

measure() { # COMMAND -> "wall cpu rss_mib"
    local t=$work/time.txt
    /usr/bin/time -v -o "$t" bash -c "$1" >/dev/null
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
                /User time/ { u = $2 } /System time/ { s = $2 } /Maximum resident/ { r = $2 }
                END { printf "%.2f %.2f %.1f\n", w, u + s, r / 1024 }' "$t"
}
# Memstore keeps deleted data until RGW's garbage collector runs: collect after deleting, or a
# few large overwrites fill the sandbox's 4 GiB store.
collect_garbage() {
    if [ -n "${COS_SANDBOX_DIR:-}" ]; then
        radosgw-admin -c "$COS_SANDBOX_DIR/ceph.conf" gc process --include-all >/dev/null 2>&1 || true
    fi
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
