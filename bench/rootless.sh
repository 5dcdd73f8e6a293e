#!/bin/bash
# Rootless `run /bin/true`: jrunc vs runc vs crun, each run by this unprivileged user, N times in
# a row on one busybox bundle made with `jrunc spec --rootless` (container root = this user;
# no cgroup limits: the runtimes leave out the cgroups the user may not write). Median and
# total wall time per runtime, and jrunc's ratio to each other one.
# A runtime that cannot run rootless here is reported and left out (crun 1.8.1 refuses a
# hybrid cgroup host: "cgroups in hybrid mode not supported"; as root bench/lifecycle.sh
# unmounts cgroup2 for it, which an unprivileged user cannot).
#
# usage, as the unprivileged user (jrunc, runc and /bin/busybox readable by it):
#   bench/rootless.sh
# from root, e.g.:  setpriv --reuid U --regid U --init-groups env XDG_RUNTIME_DIR=/tmp/x bench/rootless.sh
# env: N (100 runs), JRUNC (target/jrunc), RUNC, CRUN, XDG_RUNTIME_DIR (else a temporary one)
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" != 0 ] || { echo "bench/rootless.sh runs as an unprivileged user (see its header)" >&2; exit 1; }
RUNS=${N:-100}
JRUNC=$(readlink -f "${JRUNC:-target/jrunc}")
RUNC=${RUNC:-$(command -v runc || command -v /usr/sbin/runc || true)}
CRUN=${CRUN:-$(command -v crun || true)}
TMP=$(mktemp -d /tmp/jrunc-rootless.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "$XDG_RUNTIME_DIR" ]; then
    export XDG_RUNTIME_DIR=$TMP/xdg
    mkdir -m 700 "$XDG_RUNTIME_DIR"
fi

B=$TMP/bundle
mkdir -p "$B/rootfs/bin"
cp /bin/busybox "$B/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && "$JRUNC" spec --rootless)
# crun 1.8.1 refuses ociVersion 1.3.0 ("unknown version specified")
jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/true"]' "$B/config.json" > "$B/c" && mv "$B/c" "$B/config.json"

names=(jrunc); bins=("$JRUNC")
[ -n "$RUNC" ] && { names+=(runc); bins+=("$RUNC"); }
[ -n "$CRUN" ] && { names+=(crun); bins+=("$CRUN"); }

median() { sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.2f", m/1000}'; }
declare -A MED TOT
for i in "${!names[@]}"; do
    name=${names[$i]} bin=${bins[$i]}
    root=$TMP/root-$name
    if ! err=$("$bin" --root "$root" run --bundle "$B" "probe-$name" </dev/null 2>&1 >/dev/null); then
        echo "$name: cannot run rootless here, left out: $(tail -1 <<<"$err")" >&2
        continue
    fi
    runs=()
    t0=$(date +%s%N)
    for n in $(seq "$RUNS"); do
        s=$(date +%s%N); "$bin" --root "$root" run --bundle "$B" "b-$name-$n" </dev/null >/dev/null; e=$(date +%s%N)
        runs+=("$(( (e - s) / 1000 ))")
    done
    t1=$(date +%s%N)
    MED[$name]=$(printf '%s\n' "${runs[@]}" | median)
    TOT[$name]=$(( (t1 - t0) / 1000000 ))
done

printf '\n%-20s' "rootless run"; for n in "${!MED[@]}"; do printf '%12s' "$n"; done; echo
printf '%-20s' "median ms"; for n in "${!MED[@]}"; do printf '%12s' "${MED[$n]}"; done; echo
printf '%-20s' "total ms"; for n in "${!MED[@]}"; do printf '%12s' "${TOT[$n]}"; done; echo
for other in runc crun; do
    if [ -n "${MED[$other]:-}" ] && [ -n "${MED[jrunc]:-}" ]; then
        echo "jrunc/$other median: $(awk -v a="${MED[jrunc]}" -v b="${MED[$other]}" 'BEGIN { printf "%.2fx", a/b }')"
    fi
done
echo "($RUNS sequential rootless runs of /bin/true per runtime, as uid $(id -u); jrunc: $("$JRUNC" --version | head -1))"
