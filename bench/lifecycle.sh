#!/bin/bash
# Container lifecycle of jrunc (native) vs runc vs crun, in one run, on one busybox bundle:
#   - N sequential `run` of /bin/true (median and total wall time);
#   - median latency of create, start, exec (/bin/true in the running container), state, list
#     (one container in the root), kill, delete (a `sleep` container, CYCLES times), and --version;
#   - RSS of the init while the container waits in `created` (VmRSS of its pid 1);
#   - peak RSS of the `create` process (GNU time's %M);
#   - `podman run --rm busybox true` wall with each runtime (bench/podman.sh's medians; PODMAN=0
#     leaves it out) and `docker run --rm busybox true` (bench/docker.sh; DOCKER=0 leaves it out).
# One table: each runtime's value and jrunc's ratio to runc's and crun's.
# crun refuses this host's hybrid cgroups, so its runs happen in a private mount namespace with
# /sys/fs/cgroup/unified unmounted (unshare -m); the same is done for every runtime, for fairness.
#
# The bundle says ociVersion 1.0.2: crun 1.8.1 refuses 1.3.0 ("unknown version specified").
# usage: bench/lifecycle.sh           (root; after make)
# env:   N (100 runs), CYCLES (21 lifecycles), JRUNC (target/jrunc), RUNC, CRUN, PODMAN, DOCKER
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/lifecycle.sh needs root" >&2; exit 1; }
RUNS=${N:-100}
CYCLES=${CYCLES:-21}
JRUNC=$(readlink -f "${JRUNC:-target/jrunc}")
RUNC=${RUNC:-$(command -v runc || true)}
CRUN=${CRUN:-$(command -v crun || true)}
TIME=$(command -v /usr/bin/time || true)
TMP=$(mktemp -d /tmp/jrunc-lifecycle.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# one bundle for all: busybox-static with relative applet links
B=$TMP/bundle
mkdir -p "$B/rootfs/bin"
cp /bin/busybox "$B/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$B/rootfs/bin/$a"; done
(cd "$B" && "$JRUNC" spec)
jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/true"]' "$B/config.json" > "$B/true.json"
jq '.ociVersion = "1.0.2" | .process.terminal = false | .process.args = ["/bin/sleep", "1000"]' "$B/config.json" > "$B/sleep.json"

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
names=(jrunc); bins=("$JRUNC")
[ -n "$RUNC" ] && { names+=(runc); bins+=("$RUNC"); }
[ -n "$CRUN" ] && { names+=(crun); bins+=("$CRUN"); }

# Runs the measurement of one runtime inside a private mount namespace (see above).
measure() {
    local name=$1 bin=$2
    unshare -m --propagation private bash -s "$name" "$bin" "$B" "$RUNS" "$CYCLES" "$TMP" "$TIME" <<'INNER'
set -euo pipefail
name=$1 bin=$2 B=$3 RUNS=$4 CYCLES=$5 TMP=$6 TIME=$7
umount /sys/fs/cgroup/unified 2>/dev/null || true
root=$TMP/root-$name; mkdir -p "$root"
ms() { echo $(( ($2 - $1) / 1000 )); }   # microseconds
median() { sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.2f", m/1000}'; }

cp "$B/true.json" "$B/config.json"
runs=()
t0=$(date +%s%N)
for i in $(seq "$RUNS"); do
    s=$(date +%s%N); "$bin" --root "$root" run --bundle "$B" "b-$name-$i" </dev/null >/dev/null; e=$(date +%s%N)
    runs+=("$(ms "$s" "$e")")
done
t1=$(date +%s%N)
echo "run_median $(printf '%s\n' "${runs[@]}" | median)"
echo "run_total $(( (t1 - t0) / 1000000 ))"

cp "$B/sleep.json" "$B/config.json"
declare -A lat
for i in $(seq "$CYCLES"); do
    id=c-$name-$i
    s=$(date +%s%N); "$bin" --root "$root" create --bundle "$B" --pid-file "$TMP/pid-$name" "$id" </dev/null >/dev/null 2>&1; e=$(date +%s%N); lat[create]+="$(ms "$s" "$e") "
    if [ "$i" = 1 ]; then
        echo "init_rss_kb $(awk '/VmRSS/ {print $2}' "/proc/$(cat "$TMP/pid-$name")/status")"
    fi
    s=$(date +%s%N); "$bin" --root "$root" start "$id" </dev/null >/dev/null 2>&1; e=$(date +%s%N); lat[start]+="$(ms "$s" "$e") "
    s=$(date +%s%N); "$bin" --root "$root" exec "$id" /bin/true </dev/null >/dev/null 2>&1; e=$(date +%s%N); lat[exec]+="$(ms "$s" "$e") "
    s=$(date +%s%N); "$bin" --root "$root" state "$id" </dev/null >/dev/null; e=$(date +%s%N); lat[state]+="$(ms "$s" "$e") "
    s=$(date +%s%N); "$bin" --root "$root" list </dev/null >/dev/null; e=$(date +%s%N); lat[list]+="$(ms "$s" "$e") "
    s=$(date +%s%N); "$bin" --version </dev/null >/dev/null; e=$(date +%s%N); lat[version]+="$(ms "$s" "$e") "
    s=$(date +%s%N); "$bin" --root "$root" kill "$id" KILL </dev/null; e=$(date +%s%N); lat[kill]+="$(ms "$s" "$e") "
    while [ "$("$bin" --root "$root" state "$id" | jq -r .status)" != stopped ]; do sleep 0.005; done
    s=$(date +%s%N); "$bin" --root "$root" delete "$id" </dev/null; e=$(date +%s%N); lat[delete]+="$(ms "$s" "$e") "
done
for k in create start exec state list kill delete version; do echo "${k}_median $(tr ' ' '\n' <<<"${lat[$k]}" | grep . | median)"; done
if [ -n "$TIME" ]; then
    "$TIME" -f '%M' -o "$TMP/maxrss-$name" "$bin" --root "$root" create --bundle "$B" "rss-$name" </dev/null >/dev/null 2>&1
    echo "create_peak_rss_kb $(tail -1 "$TMP/maxrss-$name")"
    "$bin" --root "$root" delete --force "rss-$name"
fi
INNER
}

declare -A R
for i in "${!names[@]}"; do
    while read -r k v; do R[${names[$i]},$k]=$v; done < <(measure "${names[$i]}" "${bins[$i]}")
done

# engines: median wall of `<engine> run --rm busybox true` per runtime, from the hyperfine JSON of
# bench/podman.sh / bench/docker.sh (names there: "jrunc (native)", "runc", "crun")
engine() {
    local key=$1 script=$2 out=$TMP/$1.json
    if ! RUNS=${RUNS_ENGINE:-10} OUT=$out JRUNC=$JRUNC RUNC=$RUNC CRUN=$CRUN "$script" >"$TMP/$key.log" 2>&1; then
        echo "$key: left out: $(grep -v '^ ' "$TMP/$key.log" | tail -1)" >&2
        return 0
    fi
    for n in "${names[@]}"; do
        v=$(jq -r --arg n "$n" '.results[] | select(.command == $n or (.command | startswith($n + " "))) | .median * 1000' "$out" | head -1)
        [ -z "$v" ] || R[$n,$key]=$(printf '%.1f' "$v")
    done
}
if [ "${PODMAN:-1}" != 0 ]; then engine podman_run_rm bench/podman.sh; fi
if [ "${DOCKER:-1}" != 0 ]; then engine docker_run_rm bench/docker.sh; fi

printf '\n%-24s' "metric"; for n in "${names[@]}"; do printf '%14s' "$n"; done
[ -n "$RUNC" ] && printf '%14s' "jrunc/runc"; [ -n "$CRUN" ] && printf '%14s' "jrunc/crun"; echo
for k in run_median run_total create_median start_median exec_median state_median list_median kill_median delete_median \
        version_median init_rss_kb create_peak_rss_kb podman_run_rm docker_run_rm; do
    [ -n "${R[jrunc,$k]:-}${R[runc,$k]:-}" ] || continue
    printf '%-24s' "$k"
    for n in "${names[@]}"; do printf '%14s' "${R[$n,$k]:--}"; done
    for other in runc crun; do
        [ "$other" = runc ] && [ -z "$RUNC" ] && continue
        [ "$other" = crun ] && [ -z "$CRUN" ] && continue
        if [ -n "${R[$other,$k]:-}" ] && [ -n "${R[jrunc,$k]:-}" ]; then
            printf '%14s' "$(awk -v a="${R[jrunc,$k]}" -v b="${R[$other,$k]}" 'BEGIN { if (b > 0) printf "%.2fx", a/b; else print "-" }')"
        else
            printf '%14s' -
        fi
    done
    echo
done
echo "(times in ms: run_* over $RUNS sequential runs of /bin/true; podman/docker_run_rm: hyperfine medians of"
echo " RUNS=${RUNS_ENGINE:-10} \`run --rm busybox true\`; others medians of $CYCLES; RSS in kB; load before: $LOAD, after: $(cut -d" " -f1-3 /proc/loadavg))"
