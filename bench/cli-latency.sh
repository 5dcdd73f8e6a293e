#!/bin/bash
# CLI latency of jrunc (native and JVM) vs runc (and crun): the median wall time of
#   --version, list, state <missing id>
# each runtime with its own empty --root, in one run. Uses hyperfine when installed (no shell
# between, 3 warm-ups), else a loop timed with date +%s%N.
#
# usage: bench/cli-latency.sh            (from the repository, after make and make jvm)
# env:   RUNS (21), JRUNC_NATIVE (target/jrunc), JRUNC_JVM (target/jrunc-jvm),
#        RUNC, CRUN (found on PATH), OUT (bench/results/cli-latency-DATE.json)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-21}
NATIVE=${JRUNC_NATIVE:-target/jrunc}
JVM=${JRUNC_JVM:-target/jrunc-jvm}
RUNC=${RUNC:-$(command -v runc || true)}
CRUN=${CRUN:-$(command -v crun || true)}
mkdir -p bench/results
OUT=${OUT:-bench/results/cli-latency-$(date +%Y%m%d-%H%M%S).json}
TMP=$(mktemp -d /tmp/jrunc-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

names=(); bins=()
add() { names+=("$1"); bins+=("$(readlink -f "$2")"); mkdir -p "$TMP/root-$1"; }
if [ -x "$NATIVE" ] && [ "$(head -c 4 "$NATIVE" | od -An -c | tr -d ' ')" = '177ELF' ]; then
    add native "$NATIVE"
else
    echo "skipping native jrunc: $NATIVE is not a native executable (no native-image here? see make help)" >&2
fi
if [ -x "$JVM" ]; then add jvm "$JVM"; else echo "skipping JVM jrunc: no $JVM (make jvm)" >&2; fi
if [ -n "$RUNC" ]; then add runc "$RUNC"; else echo "skipping runc: not installed" >&2; fi
if [ -n "$CRUN" ]; then add crun "$CRUN"; else echo "skipping crun: not installed" >&2; fi
[ ${#names[@]} -gt 0 ] || { echo "nothing to measure" >&2; exit 1; }

commands=("--version" "list" "state no-such-container")
# argv of runtime i for command c (global options before the command, as podman passes them)
argv() {
    local i=$1 c=$2
    case $c in
        --version) echo "${bins[$i]} --version" ;;
        *) echo "${bins[$i]} --root $TMP/root-${names[$i]} $c" ;;
    esac
}

# exit status of each runtime per command, so that the table says which runs failed (a failing
# command may be fast because it did nothing)
declare -A status
for c in "${commands[@]}"; do
    for i in "${!names[@]}"; do
        set +e; $(argv "$i" "$c") >/dev/null 2>&1; status[$c,$i]=$?; set -e
    done
done

declare -A median   # ms
if command -v hyperfine >/dev/null; then
    n=0
    for c in "${commands[@]}"; do
        args=(); for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "$(argv "$i" "$c")"); done
        hyperfine -N -i --warmup 3 --runs "$RUNS" --style none --export-json "$TMP/h$n.json" "${args[@]}" >/dev/null 2>&1 || \
          hyperfine -i --warmup 3 --runs "$RUNS" --style none --export-json "$TMP/h$n.json" "${args[@]}" >/dev/null
        for i in "${!names[@]}"; do
            median[$c,$i]=$(jq -r --arg n "${names[$i]}" '.results[] | select(.command == $n) | .median * 1000' "$TMP/h$n.json")
        done
        jq --arg c "$c" '{command: $c, results: .results}' "$TMP/h$n.json" > "$TMP/r$n.json"
        n=$((n + 1))
    done
    jq -s '{tool: "hyperfine", runs: '"$RUNS"', benchmarks: .}' "$TMP"/r*.json > "$OUT"
    tool="hyperfine -N, $RUNS runs + 3 warm-ups"
else
    for c in "${commands[@]}"; do
        for i in "${!names[@]}"; do
            cmd=$(argv "$i" "$c")
            for w in 1 2 3; do $cmd >/dev/null 2>&1 || true; done
            times=()
            for r in $(seq "$RUNS"); do
                t0=$(date +%s%N); $cmd >/dev/null 2>&1 || true; t1=$(date +%s%N)
                times+=($(( (t1 - t0) / 1000 )))
            done
            mid=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
            median[$c,$i]=$(awk -v us="$mid" 'BEGIN { printf "%.3f", us / 1000 }')
        done
    done
    { echo '{"tool": "date loop", "runs": '"$RUNS"', "medians_ms": {'
      first=1
      for c in "${commands[@]}"; do for i in "${!names[@]}"; do
          [ $first = 1 ] || echo ','; first=0
          printf '"%s %s": %s' "${names[$i]}" "$c" "${median[$c,$i]}"
      done; done
      echo '}}'; } > "$OUT"
    tool="date +%s%N loop (hyperfine not installed), $RUNS runs + 3 warm-ups"
fi

# table: median ms per command and runtime, ratio to runc's median
runc_i=-1; for i in "${!names[@]}"; do [ "${names[$i]}" = runc ] && runc_i=$i; done
echo "CLI latency, median of $RUNS ($tool); each runtime with an empty private --root"
printf '%-26s' "command"; for i in "${!names[@]}"; do printf '%22s' "${names[$i]}"; done; echo
notes=()
for c in "${commands[@]}"; do
    printf '%-26s' "$c"
    for i in "${!names[@]}"; do
        m=${median[$c,$i]}
        if [ "$runc_i" -ge 0 ] && [ "$i" != "$runc_i" ]; then
            cell=$(awk -v m="$m" -v r="${median[$c,$runc_i]}" 'BEGIN { printf "%.1f ms (%.2fx)", m, m / r }')
        else
            cell=$(awk -v m="$m" 'BEGIN { printf "%.1f ms", m }')
        fi
        s=${status[$c,$i]}
        if [ "$runc_i" -ge 0 ] && [ "$s" != "${status[$c,$runc_i]}" ]; then
            cell="$cell*"; notes+=("${names[$i]} '$c' exited $s (runc: ${status[$c,$runc_i]})")
        fi
        printf '%22s' "$cell"
    done
    echo
done
[ "$runc_i" -ge 0 ] && echo "(x = median / runc's median)"
for n in "${notes[@]+"${notes[@]}"}"; do echo "* $n"; done
echo "raw results: $OUT"
