#!/bin/bash
# `docker run --rm busybox true` wall time with jrunc vs runc vs crun as dockerd's runtime, in one
# hyperfine run, against a private dockerd: its own data root, exec root, socket and pid file
# under a temp dir, no bridge and no iptables rules, the runtimes registered by path in its own
# daemon.json. The host's docker (if any) is not touched; the private dockerd is stopped at exit.
# The busybox image is the e2e tests' docker-archive of busybox-static (docker load).
#
# usage: bench/docker.sh                 (root, from the repository, after make)
# env:   RUNS (10), JRUNC (target/jrunc), RUNC, CRUN (found on PATH), DOCKERD, DOCKER,
#        OUT (bench/results/docker-DATE.json)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
JRUNC=$(readlink -f "${JRUNC:-target/jrunc}")
RUNC=${RUNC:-$(command -v runc || true)}
CRUN=${CRUN:-$(command -v crun || true)}
DOCKERD=${DOCKERD:-$(command -v dockerd || true)}
DOCKER=${DOCKER:-$(command -v docker || true)}
[ "$(id -u)" = 0 ] || { echo "bench/docker.sh needs root (dockerd)" >&2; exit 1; }
[ -n "$DOCKERD" ] || { echo "dockerd is not installed (Debian: docker.io)" >&2; exit 1; }
[ -n "$DOCKER" ] || { echo "the docker client is not installed" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 1; }
mkdir -p bench/results
OUT=${OUT:-bench/results/docker-$(date +%Y%m%d-%H%M%S).json}

D=$(mktemp -d /tmp/jrunc-bench-docker.XXXXXX)
CGP=
# dockerd writes its trust key to /etc/docker/key.json whatever its config says: removed at exit when new
KEY_EXISTED=/nonexistent
[ ! -e /etc/docker/key.json ] || KEY_EXISTED=/etc/docker/key.json
SOCK=$D/docker.sock
dpid=
cleanup() {
    if [ -n "$dpid" ]; then
        "$DOCKER" -H "unix://$SOCK" rm -f $("$DOCKER" -H "unix://$SOCK" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
        kill "$dpid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$dpid" 2>/dev/null || break; sleep 0.1; done
    fi
    umount -R "$D/data" 2>/dev/null || true
    rm -rf "$D"
    local c
    if [ -n "$CGP" ]; then
        for c in /sys/fs/cgroup/"$CGP" /sys/fs/cgroup/*/"$CGP"; do
            [ ! -d "$c" ] || rmdir "$c" 2>/dev/null || true
        done
    fi
    [ -e "$KEY_EXISTED" ] || rm -f /etc/docker/key.json
}
trap cleanup EXIT

runtimes='{}'
add_runtime() { runtimes=$(jq --arg n "$1" --arg p "$2" '. + {($n): {path: $p}}' <<<"$runtimes"); }
add_runtime jrunc "$JRUNC"
[ -z "$RUNC" ] || add_runtime bench-runc "$RUNC"
[ -z "$CRUN" ] || add_runtime bench-crun "$CRUN"
# containers under a private cgroup parent (dockerd's default, /docker, would stay on the host)
CGP=jrunc-bench-docker-$$
jq -n --argjson r "$runtimes" --arg cgp "/$CGP" '{runtimes: $r, "cgroup-parent": $cgp}' > "$D/daemon.json"

"$DOCKERD" --config-file "$D/daemon.json" --data-root "$D/data" --exec-root "$D/exec" \
    --pidfile "$D/docker.pid" -H "unix://$SOCK" --bridge=none --iptables=false --ip6tables=false \
    --storage-driver=overlay2 >"$D/dockerd.log" 2>&1 &
dpid=$!
for _ in $(seq 300); do "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1 && break; sleep 0.1; done
"$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1 || { echo "private dockerd did not start: $(tail -3 "$D/dockerd.log")" >&2; exit 1; }

# shellcheck source=../conformance-tests/e2e/e2e-helpers.bash
source conformance-tests/e2e/e2e-helpers.bash
E2E=$D
IMG=jrunc-bench/busybox:latest
busybox_archive "$D/busybox.tar" "$IMG"
"$DOCKER" -H "unix://$SOCK" load -q -i "$D/busybox.tar" >/dev/null

args=()
# add NAME RUNTIME: measured when one `docker run` with it works here, else skipped with why
add() {
    local out cmd="$DOCKER -H unix://$SOCK run --rm --network none --runtime $2 $IMG true"
    if out=$($cmd 2>&1); then args+=(-n "$1" "$cmd"); else echo "skipping $1: docker run fails with it here: $out" >&2; fi
}
add "jrunc (native)" jrunc
[ -z "$RUNC" ] || add runc bench-runc
[ -z "$CRUN" ] || add crun bench-crun
[ ${#args[@]} -gt 0 ] || { echo "nothing to measure" >&2; exit 1; }
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT" "${args[@]}"
echo "results: $OUT"
