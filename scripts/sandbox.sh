#!/usr/bin/env bash
# A real S3 + STS + IAM server on loopback for tests and demos: Ceph RGW with one mon (a), one
# OSD (0) and one radosgw (client.rgw.a); no mgr, no cephx, no systemd. Every file it creates
# (conf, data, logs, pid files, run dir, admin sockets) lives in DIR.
#
#   scripts/sandbox.sh start  [DIR]   start (or reuse) the sandbox; prints only `export` lines
#   scripts/sandbox.sh stop   [DIR]   stop rgw, osd, mon (only the processes this DIR started)
#   scripts/sandbox.sh status [DIR]   exit 0 when running, 1 when not
#   scripts/sandbox.sh env    [DIR]   print the export lines of a running sandbox
#
# DIR defaults to <repo>/.sandbox. Environment:
#   COS_SANDBOX_PORT      RGW port (default: a free port, remembered in DIR)
#   COS_SANDBOX_MON_PORT  mon port (default: a free port, remembered in DIR)
#   COS_SANDBOX_STORE     bluestore (default; data survives stop/start) or memstore (RAM, fast;
#                         a stopped memstore DIR is rebuilt from scratch on start)
#   COS_SANDBOX_CEPH_ARGS extra arguments for every ceph daemon and tool (CEPH_ARGS is ignored)
# Usage: eval "$(scripts/sandbox.sh start)"
set -euo pipefail

readonly access_key=COSSANDBOXACCESSKEY1
readonly secret_key=cosSandboxSecretKey0000000000000000000000
readonly user_id=cos-sandbox
readonly role_name=cos-sandbox-role
readonly region=us-east-1
readonly sts_key=cosSandboxSTSkey # rgw_sts_key must be exactly 16 characters

log() { printf 'sandbox: %s\n' "$*" >&2; }
die() {
    printf 'sandbox: error: %s\n' "$*" >&2
    exit 1
}
usage() {
    sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ $# -ge 1 ] || usage
cmd=$1
[ $# -le 2 ] || usage
dir=${2:-$root/.sandbox}
case $cmd in start | stop | status | env) ;; -h | --help | help) usage ;; *) usage ;; esac

if [ "$cmd" = start ]; then
    mkdir -p "$dir"
elif [ ! -d "$dir" ]; then
    case $cmd in
    stop) exit 0 ;;
    status)
        echo "not running ($dir does not exist)"
        exit 1
        ;;
    env) die "no sandbox in $dir (start it with: scripts/sandbox.sh start $dir)" ;;
    esac
fi
dir=$(cd "$dir" && pwd)
conf=$dir/ceph.conf
state=$dir/state # key=value lines: store, rgw_port, mon_port, fsid
rundir=$dir/run
logdir=$dir/log

# A CEPH_ARGS meant for another cluster (--id, --keyring, ...) would break this one; extra
# arguments for debugging go through COS_SANDBOX_CEPH_ARGS instead.
export CEPH_ARGS=${COS_SANDBOX_CEPH_ARGS:-}

python=$(command -v /usr/bin/python3 || command -v python3 || true)

# --- small helpers ----------------------------------------------------------------------------

state_get() {
    [ -f "$state" ] || return 0
    sed -n "s/^$1=//p" "$state" | tail -n 1
}

# Exit 0 when something listens on (or has bound) 127.0.0.1:PORT.
port_in_use() {
    if [ -n "$python" ]; then
        "$python" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

free_port() {
    if [ -n "$python" ]; then
        "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    else
        local p
        for _ in $(seq 50); do
            p=$((20000 + RANDOM % 20000))
            port_in_use "$p" || {
                echo "$p"
                return
            }
        done
        die "found no free port on 127.0.0.1"
    fi
}

valid_port() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }

comm_of() { local c; c=$(cat "/proc/$1/comm" 2>/dev/null) && echo "$c"; }

# Prints the pid of daemon NAME (mon|osd|rgw) when its pid file names a live process that is
# really that daemon of this DIR; a reused pid is never reported.
daemon_pid() {
    local name=$1 exe pid
    case $name in mon) exe=ceph-mon ;; osd) exe=ceph-osd ;; rgw) exe=radosgw ;; esac
    [ -f "$rundir/$name.pid" ] || return 1
    pid=$(tr -dc 0-9 <"$rundir/$name.pid")
    [ -n "$pid" ] || return 1
    [ "$(comm_of "$pid")" = "$exe" ] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$conf" || return 1
    echo "$pid"
}

all_running() { daemon_pid mon >/dev/null && daemon_pid osd >/dev/null && daemon_pid rgw >/dev/null; }
any_running() { daemon_pid mon >/dev/null || daemon_pid osd >/dev/null || daemon_pid rgw >/dev/null; }

print_env() {
    local port
    port=$(state_get rgw_port)
    printf 'export %s=%q\n' \
        COS_ENDPOINT "http://127.0.0.1:$port" \
        COS_DIALECT s3 \
        COS_REGION "$region" \
        COS_SECRET_ID "$access_key" \
        COS_SECRET_KEY "$secret_key" \
        COS_STS_ENDPOINT "http://127.0.0.1:$port" \
        COS_ROLE_ARN "arn:aws:iam:::role/$role_name" \
        COS_PATH_STYLE 1 \
        COS_SANDBOX_DIR "$dir"
}

# PID is still the process EXE and not yet a zombie.
alive_as() {
    [ "$(comm_of "$1")" = "$2" ] || return 1
    ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

stop_daemon() {
    local name=$1 pid exe asok
    case $name in mon) exe=ceph-mon asok=mon.a ;; osd) exe=ceph-osd asok=osd.0 ;; rgw) exe=radosgw asok=client.rgw.a ;; esac
    if pid=$(daemon_pid "$name"); then
        kill -TERM "$pid" 2>/dev/null || true
        # 10 s of SIGTERM grace, then SIGKILL.
        for _ in $(seq 100); do
            alive_as "$pid" "$exe" || break
            sleep 0.1
        done
        if alive_as "$pid" "$exe"; then
            log "$exe (pid $pid) ignored SIGTERM for 10 s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 50); do
                alive_as "$pid" "$exe" || break
                sleep 0.1
            done
            ! alive_as "$pid" "$exe" || log "$exe (pid $pid) survived SIGKILL"
        fi
    fi
    # A fast OSD shutdown leaves its admin socket behind.
    rm -f "$rundir/$name.pid" "$rundir/$asok.asok"
}

# scripts/demo.sh runs a cos-signer against this sandbox and leaves its pid in DIR.
stop_signer() {
    local pid
    [ -f "$dir/cos-signer.pid" ] || return 0
    pid=$(tr -dc 0-9 <"$dir/cos-signer.pid")
    if [ -n "$pid" ] && [ "$(comm_of "$pid")" = cos-signer ]; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do alive_as "$pid" cos-signer || break; sleep 0.1; done
        log "stopped cos-signer (pid $pid)"
    fi
    rm -f "$dir/cos-signer.pid"
}

stop_all() {
    stop_daemon rgw
    stop_daemon osd
    stop_daemon mon
}

# --- commands that do not start anything ------------------------------------------------------

case $cmd in
stop)
    stop_signer
    if any_running; then
        stop_all
        log "stopped ($dir)"
    else
        rm -f "$rundir"/{mon,osd,rgw}.pid
    fi
    exit 0
    ;;
status)
    if all_running; then
        port=$(state_get rgw_port)
        if curl -s -o /dev/null --max-time 3 "http://127.0.0.1:$port/"; then
            echo "running: http://127.0.0.1:$port (store $(state_get store), dir $dir)"
            exit 0
        fi
        echo "not answering: processes are up but http://127.0.0.1:$port/ does not answer ($dir)"
        exit 1
    fi
    if any_running; then
        running=()
        for d in mon osd rgw; do daemon_pid "$d" >/dev/null && running+=("$d"); done
        echo "partially running (${running[*]} up) ($dir); run: scripts/sandbox.sh stop $dir"
        exit 1
    fi
    echo "not running ($dir)"
    exit 1
    ;;
env)
    all_running || die "the sandbox in $dir is not running (start it with: scripts/sandbox.sh start $dir)"
    print_env
    exit 0
    ;;
esac

# --- start ------------------------------------------------------------------------------------

for tool in ceph-mon ceph-osd radosgw ceph radosgw-admin monmaptool curl uuidgen setsid flock; do
    command -v "$tool" >/dev/null || die "$tool not found; run scripts/bootstrap.sh first"
done

# One start at a time per DIR. The daemons are started with fd 9 closed so they never hold it.
exec 9>"$dir/lock"
flock -w 300 9 || die "another start on $dir did not finish within 300 s"

if all_running; then
    want=${COS_SANDBOX_PORT:-}
    if [ -n "$want" ] && [ "$want" != "$(state_get rgw_port)" ]; then
        log "already running on port $(state_get rgw_port), ignoring COS_SANDBOX_PORT=$want"
    fi
    if [ -n "${COS_SANDBOX_STORE:-}" ] && [ "$COS_SANDBOX_STORE" != "$(state_get store)" ]; then
        log "already running with store $(state_get store), ignoring COS_SANDBOX_STORE=$COS_SANDBOX_STORE"
    fi
    print_env
    exit 0
fi

t0=$EPOCHREALTIME
if any_running; then
    log "partially running; stopping the rest before starting again"
    stop_all
fi

old_store=$(state_get store)
store=${COS_SANDBOX_STORE:-${old_store:-bluestore}}
case $store in memstore | bluestore) ;; *) die "COS_SANDBOX_STORE must be memstore or bluestore, not '$store'" ;; esac
if [ "$old_store" = bluestore ] && [ "$store" != bluestore ] && [ -d "$dir/osd/0" ]; then
    die "$dir holds a bluestore sandbox whose data would be lost; use COS_SANDBOX_STORE=bluestore or remove $dir"
fi

fresh=1
if [ "$store" = bluestore ] && [ "$old_store" = bluestore ] && [ -d "$dir/mon/a/store.db" ] &&
    [ -f "$dir/.initialized" ]; then
    fresh=0
fi

# Ports: an explicit port must be free; a remembered one is reused when free. The mon port of an
# existing bluestore sandbox is fixed (it is in the monmap).
pick_port() { # VAR_NAME ENV_VALUE REMEMBERED WHAT
    local env=$2 old=$3 what=$4
    if [ -n "$env" ]; then
        valid_port "$env" || die "$what '$env' is not a port number"
        if port_in_use "$env"; then
            die "port $env ($what) on 127.0.0.1 is already in use; free it, or choose another with $what=PORT, or unset $what to pick a free port"
        fi
        printf -v "$1" %s "$env"
    elif [ -n "$old" ] && ! port_in_use "$old"; then
        printf -v "$1" %s "$old"
    else
        printf -v "$1" %s "$(free_port)"
    fi
}

if [ "$fresh" = 0 ]; then
    mon_port=$(state_get mon_port)
    if [ -n "${COS_SANDBOX_MON_PORT:-}" ] && [ "$COS_SANDBOX_MON_PORT" != "$mon_port" ]; then
        die "the bluestore sandbox in $dir uses mon port $mon_port (it is in its monmap); unset COS_SANDBOX_MON_PORT or remove $dir"
    fi
    if port_in_use "$mon_port"; then
        die "port $mon_port (the mon port of the bluestore sandbox in $dir) on 127.0.0.1 is already in use; free it or remove $dir"
    fi
else
    pick_port mon_port "${COS_SANDBOX_MON_PORT:-}" "$(state_get mon_port)" COS_SANDBOX_MON_PORT
fi
pick_port rgw_port "${COS_SANDBOX_PORT:-}" "$(state_get rgw_port)" COS_SANDBOX_PORT
if [ "$rgw_port" = "$mon_port" ]; then
    [ -z "${COS_SANDBOX_PORT:-}" ] || die "COS_SANDBOX_PORT and COS_SANDBOX_MON_PORT must differ (both $rgw_port)"
    while [ "$rgw_port" = "$mon_port" ]; do rgw_port=$(free_port); done
fi

if [ "$fresh" = 1 ]; then
    # Remove only what this script creates, never DIR itself or foreign files in it.
    rm -rf "$conf" "$state" "$dir/.initialized" "$dir/monmap" "$dir/mon" "$dir/osd" "$dir/rgw" \
        "$rundir" "$logdir" "$dir/crash"
    fsid=$(uuidgen)
else
    fsid=$(state_get fsid)
fi
mkdir -p "$rundir" "$logdir" "$dir/crash" "$dir/mon/a" "$dir/osd/0" "$dir/rgw"
printf 'store=%s\nrgw_port=%s\nmon_port=%s\nfsid=%s\n' "$store" "$rgw_port" "$mon_port" "$fsid" >"$state"

# Unix socket paths are limited to 107 bytes; with a very deep DIR the admin sockets are dropped.
asok=$rundir/\$name.asok
[ ${#rundir} -lt 80 ] || asok=

rgw_endpoints="endpoint=127.0.0.1:$rgw_port"
if [ -n "$python" ] && "$python" -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
    rgw_endpoints="$rgw_endpoints endpoint=[::1]:$rgw_port"
fi

cat >"$conf" <<EOF
# Written by scripts/sandbox.sh; rewritten on every start.
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon_port
mon_initial_members = a
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
ms_mon_client_mode = crc
ms_mon_service_mode = crc
ms_mon_cluster_mode = crc
ms_client_mode = crc
ms_service_mode = crc
ms_cluster_mode = crc
keyring = /dev/null
run_dir = $rundir
crash_dir = $dir/crash
mon_data = $dir/mon/\$id
osd_data = $dir/osd/\$id
rgw_data = $dir/rgw
client_mount_timeout = 30
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_data_avail_warn = 2
mon_data_avail_crit = 1
paxos_propose_interval = 0.05
paxos_min_wait = 0.01
osd_fast_shutdown = true
osd_mon_shutdown_timeout = 1
osd_objectstore = $store
memstore_device_bytes = 4294967296
bluestore_block_create = true
bluestore_block_size = 4294967296

[mon]
log_file = $logdir/\$name.log
mon_cluster_log_file = $logdir/\$cluster.\$channel.log
admin_socket = $asok

[osd]
log_file = $logdir/\$name.log
admin_socket = $asok

[client.rgw.a]
log_file = $logdir/\$name.log
admin_socket = $asok
rgw_frontends = beast $rgw_endpoints
rgw_dns_name = localhost
rgw_s3_auth_use_sts = true
rgw_sts_key = $sts_key
rgw_sts_min_session_duration = 1
rgw_multipart_min_part_size = 1048576
rgw_gc_obj_min_wait = 30
rgw_gc_processor_period = 30
EOF

started_ok=0
on_exit() {
    if [ "$started_ok" = 0 ]; then
        log "start failed; stopping what was started"
        stop_all
    fi
}
trap on_exit EXIT

log_of() { echo "$logdir/$1.log"; }

fail_daemon() { # NAME LOGNAME WHY
    local file
    file=$(log_of "$2")
    {
        printf 'sandbox: error: %s %s\n' "$1" "$3"
        printf 'sandbox: its log: %s (and %s)\n' "$file" "$logdir/$2.out"
        for f in "$logdir/$2.out" "$file"; do
            [ -s "$f" ] || continue
            printf 'sandbox: last lines of %s:\n' "$f"
            tail -n 15 "$f" | sed 's/^/    /'
        done
    } >&2
    exit 1
}

launch() { # NAME LOGNAME COMMAND...
    local name=$1 lname=$2
    shift 2
    setsid "$@" -f -c "$conf" >>"$logdir/$lname.out" 2>&1 </dev/null 9>&- &
    echo $! >"$rundir/$name.pid"
}

ceph_cli() { timeout 60 ceph -c "$conf" --connect-timeout 30 "$@" 2>>"$logdir/cli.log"; }

# Waits until CHECK succeeds, failing when the daemon dies or after TIMEOUT seconds.
wait_for() { # NAME LOGNAME TIMEOUT CHECK...
    local name=$1 lname=$2 limit=$3 start
    shift 3
    start=$SECONDS
    until "$@"; do
        case $name in ceph-mon) d=mon ;; ceph-osd) d=osd ;; radosgw) d=rgw ;; esac
        daemon_pid "$d" >/dev/null || fail_daemon "$name" "$lname" "exited during start-up"
        [ $((SECONDS - start)) -lt "$limit" ] || fail_daemon "$name" "$lname" "did not come up within $limit s"
        sleep 0.1
    done
}

mon_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$mon_port") 2>/dev/null; }
osd_up() { [ "$(ceph_cli osd stat -f json | sed -n 's/.*"num_up_osds": *\([0-9]*\).*/\1/p')" = 1 ]; }
rgw_answers() { curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$rgw_port/"; }

log "starting in $dir (store $store, rgw port $rgw_port, mon port $mon_port, $([ "$fresh" = 1 ] && echo fresh || echo existing data))"

# mon
if [ "$fresh" = 1 ]; then
    monmaptool --create --addv a "[v2:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >>"$logdir/cli.log" 2>&1 || {
        tail -n 5 "$logdir/cli.log" | sed 's/^/    /' >&2
        die "monmaptool failed; see $logdir/cli.log"
    }
    ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >>"$logdir/mon.a.out" 2>&1 ||
        fail_daemon ceph-mon mon.a "--mkfs failed"
fi
launch mon mon.a ceph-mon -i a
wait_for ceph-mon mon.a 30 mon_listening

# osd
if [ "$fresh" = 1 ]; then
    osd_uuid=$(uuidgen)
    osd_id=$(ceph_cli osd new "$osd_uuid") || fail_daemon ceph-mon mon.a "did not answer 'ceph osd new' (client log: $logdir/cli.log)"
    [ "$osd_id" = 0 ] || die "ceph osd new returned id '$osd_id', expected 0"
    ceph-osd -c "$conf" -i 0 --mkfs --osd-uuid "$osd_uuid" >>"$logdir/osd.0.out" 2>&1 ||
        fail_daemon ceph-osd osd.0 "--mkfs failed"
fi
launch osd osd.0 ceph-osd -i 0
wait_for ceph-osd osd.0 60 osd_up

# rgw
launch rgw client.rgw.a radosgw -n client.rgw.a
wait_for radosgw client.rgw.a 60 rgw_answers

# user, role and policies
if [ "$fresh" = 1 ] || ! radosgw-admin -c "$conf" user info --uid="$user_id" >/dev/null 2>>"$logdir/cli.log"; then
    radosgw-admin -c "$conf" user create --uid="$user_id" --display-name="COS sandbox user" \
        --access-key="$access_key" --secret-key="$secret_key" \
        --caps="users=*;buckets=*;metadata=*;usage=*;zone=*;roles=*;user-policy=*" \
        >/dev/null 2>>"$logdir/cli.log" || die "radosgw-admin user create failed; see $logdir/cli.log"
fi

# IAM call signed with SigV4; prints the HTTP status, the body goes to $logdir/iam.log. No
# UNSIGNED-PAYLOAD header here: RGW rejects it on IAM/STS form posts (curl signs the body hash).
iam() {
    local code
    code=$(curl -sS -o "$dir/iam.out" -w '%{http_code}' --max-time 10 \
        --aws-sigv4 "aws:amz:$region:iam" --user "$access_key:$secret_key" \
        --data-urlencode "Version=2010-05-08" "$@" "http://127.0.0.1:$rgw_port/")
    { echo "== $1 $2 -> $code"; cat "$dir/iam.out"; echo; } >>"$logdir/iam.log"
    rm -f "$dir/iam.out"
    echo "$code"
}

trust='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/'$user_id'"]},"Action":["sts:AssumeRole"]}]}'
code=$(iam --data-urlencode Action=CreateRole --data-urlencode "RoleName=$role_name" \
    --data-urlencode "MaxSessionDuration=43200" --data-urlencode "AssumeRolePolicyDocument=$trust")
case $code in 200 | 409) ;; *) die "IAM CreateRole answered HTTP $code; see $logdir/iam.log" ;; esac

role_policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}'
code=$(iam --data-urlencode Action=PutRolePolicy --data-urlencode "RoleName=$role_name" \
    --data-urlencode "PolicyName=cos-sandbox-s3-all" --data-urlencode "PolicyDocument=$role_policy")
[ "$code" = 200 ] || die "IAM PutRolePolicy answered HTTP $code; see $logdir/iam.log"

user_policy='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:GetSessionToken"],"Resource":["*"]}]}'
code=$(iam --data-urlencode Action=PutUserPolicy --data-urlencode "UserName=$user_id" \
    --data-urlencode "PolicyName=cos-sandbox-sts" --data-urlencode "PolicyDocument=$user_policy")
[ "$code" = 200 ] || die "IAM PutUserPolicy answered HTTP $code; see $logdir/iam.log"

touch "$dir/.initialized"
started_ok=1
log "ready at http://127.0.0.1:$rgw_port in $(awk "BEGIN{printf \"%.1f\", $EPOCHREALTIME - $t0}") s"
print_env
