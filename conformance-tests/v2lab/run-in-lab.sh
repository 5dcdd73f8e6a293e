#!/bin/bash
# run-in-lab.sh [plain] [systemd] [systemd-hybrid]: the cgroup v2 tests in the v2lab VM
# (../shared/v2lab/run.sh from the repository, a pure cgroup2 Debian 6.1 kernel under QEMU; read
# its README). One boot per mode (default: plain, then systemd); inside, guest.sh runs the
# conformance files, podman as root and rootless podman and buildah against the runtime (see
# guest.sh). systemd-hybrid boots systemd on a cgroup v1/hybrid hierarchy instead (hybrid-boot.sh)
# and runs the systemd driver's tests there (systemd.bats, cgroups.bats).
#
# Writes $V2LAB_OUT/v2lab-MODE.tap (default target/) and prints, per mode,
#   v2lab (MODE): N passed, M failed (K skipped)
# A VM that timed out or gave no status counts as one failure. Exit status 0 when nothing failed.
# Needs root (the lab's 9p passthrough of /). Each VM runs under flock $V2LAB_LOCK (default
# /tmp/v2lab.lock: one VM at a time on a small host). TERM/INT stop the VM too.
#
# Environment:
#   RUNTIME             runtime under test (default target/jrunc; a bare name is looked up on PATH).
#                       It is copied into the share dir with jrunc-init beside it; a JVM launcher
#                       with the jar, its libraries and libjrunc.so, its paths rewritten.
#   V2LAB               the lab's run.sh (default ../shared/v2lab/run.sh from the repository)
#   V2LAB_TIMEOUT       bound of one VM run, seconds (default 1650: both modes within CI's 55 minutes
#                       left; systemd-hybrid 600)
#   V2LAB_MEM           guest memory, MB (default 3072: the overlay of / and podman's storage live in it)
#   V2LAB_SYSTEMD_DRIVER  1 (default): in systemd mode also podman with its systemd cgroup manager (the
#                       runtime gets --systemd-cgroup); 0 leaves that group out
#   V2LAB_FILES, V2LAB_PODMAN_FILTER, V2LAB_ROOTLESS_FILTER, V2LAB_GROUPS, V2LAB_GROUP_TIMEOUT:
#                       what runs inside, see guest.sh (defaults below)
set -uo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$REPO/conformance-tests/v2lab
V2LAB=${V2LAB:-$REPO/../shared/v2lab/run.sh}
OUT=${V2LAB_OUT:-$REPO/target}
LOCK=${V2LAB_LOCK:-/tmp/v2lab.lock}

# What runs in the lab, chosen for time: everything there is 10-30x slower (TCG, no KVM).
#  - conformance: the files where cgroup v2 changes the code path (v1-only tests skip there).
#    Not resources.bats: every one of its tests reads v1 files and skips on v2, at ~10 s a skip
#    in the lab; cgroup-v2.bats holds their v2 counterparts. (V2LAB_FILES="... resources" adds it.)
#  - podman as root: one test per feature podman hands the runtime (run/exit codes, stdin, user
#    and env, mounts, seccomp, caps, detached with exec, signals and stop, limits); the other
#    tests of podman.bats exercise the same runtime calls again and cost 20-60 s each there.
#  - rootless: all of podman-rootless.bats and buildah-rootless.bats (a rootless runtime on a v2
#    host without a delegated cgroup is what a v1 host cannot show).
#  - the engines run in the plain boot only (default_groups below).
#  - the systemd boot adds systemd.bats and systemd-rootless.bats (the --systemd-cgroup driver, root and
#    as a user) when V2LAB_FILES is not given.
V2LAB_FILES_GIVEN=${V2LAB_FILES+1}
: "${V2LAB_FILES:=cgroup-v2 cgroups control exec lifecycle rootless}"
: "${V2LAB_PODMAN_FILTER:=prints the output|exit code, 126|passes stdin|-e -w --user|rw and ro bind|default seccomp|cap-drop ALL|-m: the limit|--pids-limit is enforced|--cpu-shares|-d, ps, inspect|pause, unpause|update changes}"
: "${V2LAB_ROOTLESS_FILTER:=.}"

# The engines (podman as root with cgroupfs, rootless podman and buildah) in the plain boot only:
# systemd as pid 1 changes nothing they hand the runtime, and they are the slowest part (a podman
# run is 15-60 s there). The systemd boot adds podman's systemd manager (V2LAB_SYSTEMD_DRIVER=0: not).
declare -A default_groups=([plain]="conformance podman rootless" [systemd]="conformance podman-systemd"
                          [systemd-hybrid]="conformance")
# systemd-hybrid: the systemd driver on v1 (systemd.bats; its podman test is the systemd-manager
# check) and cgroups.bats (the cgroup paths of both drivers), ~5 minutes there
HYBRID_FILES="systemd cgroups"

[ "$(id -u)" = 0 ] || { echo "run-in-lab.sh: needs root (the lab's 9p passthrough of /)" >&2; exit 2; }
[ -x "$V2LAB" ] || { echo "run-in-lab.sh: no lab at $V2LAB (../shared/v2lab beside the repository)" >&2; exit 2; }
MODES=("$@")
[ ${#MODES[@]} -gt 0 ] || MODES=(plain systemd)
for m in "${MODES[@]}"; do
  case $m in plain|systemd|systemd-hybrid) ;; *) echo "run-in-lab.sh: mode $m: plain, systemd or systemd-hybrid" >&2; exit 2;; esac
done

RUNTIME=${RUNTIME:-$REPO/target/jrunc}
if [[ "$RUNTIME" != */* ]]; then RUNTIME=$(command -v "$RUNTIME") || { echo "run-in-lab.sh: no runtime $RUNTIME on PATH" >&2; exit 2; }; fi
RUNTIME=$(readlink -f "$RUNTIME")
[ -x "$RUNTIME" ] || { echo "run-in-lab.sh: RUNTIME $RUNTIME is not executable" >&2; exit 2; }

SHARE=$(mktemp -d /tmp/jrunc-v2lab.XXXXXX)
VPID=
trap 'rm -rf "$SHARE"' EXIT
trap 'echo "run-in-lab.sh: interrupted" >&2; if [ -n "$VPID" ]; then kill -TERM "$VPID" 2>/dev/null; wait "$VPID"; fi; exit 130' INT TERM HUP
chmod 755 "$SHARE"
mkdir "$SHARE/rt"
# the guest copies $SHARE/rt to this directory (guest.sh's LAB)
GUEST_RT=/opt/jrunc-v2lab
name=$(basename "$RUNTIME")
src=$(dirname "$RUNTIME")
cp "$RUNTIME" "$SHARE/rt/$name"
[ -e "$src/jrunc-init" ] && cp "$src/jrunc-init" "$SHARE/rt/"
if head -c 2 "$RUNTIME" | grep -q '#!'; then
  # the JVM launcher (make jvm): absolute paths of the jar, target/lib, libjrunc.so, jrunc-init
  [ -e "$src/jrunc.jar" ] && cp "$src/jrunc.jar" "$SHARE/rt/"
  [ -d "$src/lib" ] && cp -r "$src/lib" "$SHARE/rt/"
  [ -d "$src/native" ] && mkdir -p "$SHARE/rt/native" && cp "$src"/native/*.so "$SHARE/rt/native/"
  sed -i "s|$src/|$GUEST_RT/|g" "$SHARE/rt/$name"
fi
cp -r "$REPO/conformance-tests" "$SHARE/tests"
mkdir -p "$OUT"

total_failed=0
for mode in "${MODES[@]}"; do
  lab=$V2LAB flag=() tmo=1650 gtmo=900
  files=$V2LAB_FILES
  case $mode in
    # systemd: its conformance group holds two more files; it took 824 s of the 900 on a quiet
    # host (2026-12-07 16:30; 548 s at 04:15 with one file less: TCG's speed follows the host's)
    systemd) flag=(--systemd) gtmo=1200
             if [ -z "$V2LAB_FILES_GIVEN" ]; then files="$files systemd systemd-rootless"; fi;;
    # (hybrid-boot.sh implies --systemd and runs $V2LAB with fd 9, the lock, already held)
    systemd-hybrid) lab=$HERE/hybrid-boot.sh tmo=600 gtmo=540
             if [ -z "$V2LAB_FILES_GIVEN" ]; then files=$HYBRID_FILES; fi;;
  esac
  rm -f "$SHARE/$mode.tap"
  echo "=== v2lab ($mode): $RUNTIME"
  t0=$(date +%s)
  # the lock is held through fd 9 by run.sh and QEMU; run.sh in the background so that a signal
  # to this script reaches it (run.sh then kills QEMU by its pid)
  # (the lock belongs to the open file, so it outlives the flock process; waited for in the
  # background, as bash runs a trap only after a foreground command ends)
  exec 9>"$LOCK"
  flock 9 &
  VPID=$!
  wait "$VPID" || { echo "run-in-lab.sh: flock $LOCK failed" >&2; exit 2; }
  V2LAB=$V2LAB "$lab" "${flag[@]}" --share "$SHARE" --mem "${V2LAB_MEM:-3072}" --timeout "${V2LAB_TIMEOUT:-$tmo}" \
    -e "V2LAB_RUNTIME_NAME=$name" -e "V2LAB_LAB_MODE=$mode" -e "V2LAB_FILES=$files" -e "V2LAB_PODMAN_FILTER=$V2LAB_PODMAN_FILTER" \
    -e "V2LAB_ROOTLESS_FILTER=$V2LAB_ROOTLESS_FILTER" -e "V2LAB_SYSTEMD_DRIVER=${V2LAB_SYSTEMD_DRIVER:-1}" \
    -e "V2LAB_GROUPS=${V2LAB_GROUPS:-${default_groups[$mode]}}" \
    -e "V2LAB_GROUP_TIMEOUT=${V2LAB_GROUP_TIMEOUT:-$gtmo}" \
    -- bash "$SHARE/tests/v2lab/guest.sh" &
  VPID=$!
  wait "$VPID"
  rc=$?
  VPID=
  exec 9>&-
  tap=$OUT/v2lab-$mode.tap
  if [ -f "$SHARE/$mode.tap" ]; then cp "$SHARE/$mode.tap" "$tap"; else : >"$tap"; fi
  if ! grep -q '^# v2lab: done' "$tap"; then
    echo "not ok - v2lab ($mode): the VM run ended before the tests did (run.sh rc=$rc: 124 timeout, 125 no status)" | tee -a "$tap"
  fi
  passed=$(grep -c '^ok ' "$tap")
  failed=$(grep -c '^not ok ' "$tap")
  skipped=$(grep -c '^ok .* # skip' "$tap")
  echo "=== v2lab ($mode) took $(( $(date +%s) - t0 ))s; failed:"
  grep '^not ok ' "$tap"
  echo "v2lab ($mode): $passed passed, $failed failed ($skipped skipped)"
  total_failed=$((total_failed + failed))
done
[ "$total_failed" = 0 ]
