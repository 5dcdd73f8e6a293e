#!/bin/bash
# `podman run --rm busybox true` wall time with jrunc vs runc vs crun as podman's runtime, in
# one hyperfine run. podman (with conmon) calls the runtime create, start and delete --force
# for each container, so a JVM launcher pays its start-up three times: numbers from the JVM
# launcher say little about the native executable.
#
# podman uses a private storage and configuration under a temp dir (as conformance-tests/e2e/
# podman.bats), a busybox image built from busybox-static and a private cgroup parent; the
# host's podman storage is not touched.
#
# usage: bench/podman.sh                 (from the repository, after make)
# env:   RUNS (10), JRUNC (target/jrunc), RUNC, CRUN (found on PATH),
#        OUT (bench/results/podman-DATE.json)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-10}
JRUNC=${JRUNC:-target/jrunc}
RUNC=${RUNC:-$(command -v runc || true)}
CRUN=${CRUN:-$(command -v crun || true)}
command -v podman >/dev/null || { echo "podman is not installed" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 1; }
mkdir -p bench/results
OUT=${OUT:-bench/results/podman-$(date +%Y%m%d-%H%M%S).json}

E2E=$(mktemp -d /tmp/jrunc-bench-podman.XXXXXX)
CGP=jrunc-bench-podman-$$
new_dirs=
for d in /run/containers /var/lib/containers; do [ -e "$d" ] || new_dirs="$new_dirs $d"; done
cleanup() {
    podman rm -a -f -t 0 >/dev/null 2>&1 || true
    podman rmi -a -f >/dev/null 2>&1 || true
    rm -rf "$E2E"
    for d in /sys/fs/cgroup/*/"$CGP"; do
        [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
    done
    for d in $new_dirs; do rm -rf "$d"; done
}
trap cleanup EXIT
# shellcheck source=../conformance-tests/e2e/e2e-helpers.bash
source conformance-tests/e2e/e2e-helpers.bash
podman_private_config "$E2E"
IMG=localhost/jrunc-bench/busybox:latest
busybox_archive "$E2E/busybox.tar" "$IMG"
podman load -q -i "$E2E/busybox.tar" >/dev/null

args=(); kind=
# add NAME RUNTIME: measured when one `podman run` with it works here, else skipped with why
add() {
    local out
    if out=$(podman --runtime "$2" run --rm --cgroup-parent="/$CGP" "$IMG" true 2>&1); then
        args+=(-n "$1" "podman --runtime $2 run --rm --cgroup-parent=/$CGP $IMG true")
    else
        echo "skipping $1: podman run fails with it here: $out" >&2
    fi
}
if [ -x "$JRUNC" ]; then
    JRUNC=$(readlink -f "$JRUNC")
    if [ "$(head -c 4 "$JRUNC" | od -An -c | tr -d ' ')" = '177ELF' ]; then kind=native; else kind=JVM; fi
    add "jrunc ($kind)" "$JRUNC"
else
    echo "skipping jrunc: no $JRUNC (make)" >&2
fi
[ -z "$RUNC" ] || add runc "$RUNC"
[ -z "$CRUN" ] || add crun "$CRUN"
[ ${#args[@]} -gt 0 ] || { echo "nothing to measure" >&2; exit 1; }
[ "$kind" != JVM ] || echo "note: target/jrunc is the JVM launcher: podman starts it 3 times per container" >&2

hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT" "${args[@]}"
echo "results: $OUT"
