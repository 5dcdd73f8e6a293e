#!/bin/bash
# Container lifecycle of jrunc (native) vs runc vs crun, in one run, on one busybox bundle:
#   - N sequential `run` of /bin/true per runtime, the runtimes interleaved run by run (median and total wall time);
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

# Measures all runtimes in one private mount namespace (see above), interleaved: run i of every
# runtime before run i+1 of any, the order rotating each round, so a drift of the machine (load,
# frequency, another tenant of the host) reaches all of them alike. Times come from bash's
# $EPOCHREALTIME: no `date` process is forked inside the timed interval.
# Prints "name key value" lines.
measure_all() {
    unshare -m --propagation private bash -s "$B" "$RUNS" "$CYCLES" "$TMP" "$TIME" "${names[@]}" -- "${bins[@]}" <<'INNER'
set -euo pipefail
B=$1 RUNS=$2 CYCLES=$3 TMP=$4 TIME=$5; shift 5
names=(); while [ "$1" != -- ]; do names+=("$1"); shift; done; shift
bins=("$@"); n=${#names[@]}
umount /sys/fs/cgroup/unified 2>/dev/null || true
median() { sort -n | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; printf "%.2f", m/1000}'; }
for k in "${!names[@]}"; do mkdir -p "$TMP/root-${names[$k]}"; done
declare -A lat

us() { echo "${1/[.,]/}"; }   # $EPOCHREALTIME (seconds, locale's decimal sign) in microseconds
timed() { # timed NAME KEY CMD...: runs CMD, adds its microseconds to lat[NAME,KEY]
    local name=$1 key=$2; shift 2
    local s=$EPOCHREALTIME; "$@"; local e=$EPOCHREALTIME
    lat[$name,$key]+="$(( $(us "$e") - $(us "$s") )) "
}
samples() { tr ' ' '\n' <<<"${lat[$1,$2]}" | grep .; }   # samples NAME KEY: one per line

cp "$B/true.json" "$B/config.json"
for i in $(seq "$RUNS"); do
    for j in $(seq 0 $((n - 1))); do
        k=$(( (i + j) % n )); name=${names[$k]} bin=${bins[$k]}
        timed "$name" run "$bin" --root "$TMP/root-$name" run --bundle "$B" "b-$name-$i" </dev/null >/dev/null
    done
done
for name in "${names[@]}"; do
    echo "$name run_median $(samples "$name" run | median)"
    echo "$name run_total $(samples "$name" run | awk '{t += $1} END {printf "%d", t/1000}')"
done

cp "$B/sleep.json" "$B/config.json"
for i in $(seq "$CYCLES"); do
    for j in $(seq 0 $((n - 1))); do
        k=$(( (i + j) % n )); name=${names[$k]} bin=${bins[$k]} root=$TMP/root-$name id=c-$name-$i
        timed "$name" create "$bin" --root "$root" create --bundle "$B" --pid-file "$TMP/pid-$name" "$id" </dev/null >/dev/null 2>&1
        if [ "$i" = 1 ]; then
            echo "$name init_rss_kb $(awk '/VmRSS/ {print $2}' "/proc/$(cat "$TMP/pid-$name")/status")"
        fi
        timed "$name" start "$bin" --root "$root" start "$id" </dev/null >/dev/null 2>&1
        timed "$name" exec "$bin" --root "$root" exec "$id" /bin/true </dev/null >/dev/null 2>&1
        timed "$name" state "$bin" --root "$root" state "$id" </dev/null >/dev/null
        timed "$name" list "$bin" --root "$root" list </dev/null >/dev/null
        timed "$name" version "$bin" --version </dev/null >/dev/null
        timed "$name" kill "$bin" --root "$root" kill "$id" KILL </dev/null
        for _ in $(seq 400); do   # at most 2 s for the init to be reaped
            [ "$("$bin" --root "$root" state "$id" | jq -r .status)" = stopped ] && break
            sleep 0.005
        done
        timed "$name" delete "$bin" --root "$root" delete "$id" </dev/null
    done
done
for name in "${names[@]}"; do
    for key in create start exec state list kill delete version; do
        echo "$name ${key}_median $(samples "$name" "$key" | median)"
    done
done
if [ -n "$TIME" ]; then
    for k in "${!names[@]}"; do
        name=${names[$k]} bin=${bins[$k]}
        "$TIME" -f '%M' -o "$TMP/maxrss-$name" "$bin" --root "$TMP/root-$name" create --bundle "$B" "rss-$name" </dev/null >/dev/null 2>&1
        echo "$name create_peak_rss_kb $(tail -1 "$TMP/maxrss-$name")"
        "$bin" --root "$TMP/root-$name" delete --force "rss-$name"
    done
fi
INNER
}

declare -A R
while read -r name k v; do R[$name,$k]=$v; done < <(measure_all)

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
echo "(times in ms: run_* over $RUNS sequential runs of /bin/true, the runtimes interleaved; podman/docker_run_rm: hyperfine medians of"
echo " RUNS=${RUNS_ENGINE:-10} \`run --rm busybox true\`; others medians of $CYCLES; RSS in kB; load before: $LOAD, after: $(cut -d" " -f1-3 /proc/loadavg))"
