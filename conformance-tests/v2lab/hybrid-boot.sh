#!/bin/bash
# hybrid-boot.sh [run.sh options] -- COMMAND [ARG...]: the v2lab VM (../shared/v2lab/run.sh, read
# its README) booted with systemd as pid 1 on a cgroup v1/hybrid hierarchy (systemd 252 mounts the
# v1 controllers, name=systemd and a cgroup2 at /sys/fs/cgroup/unified), for the systemd cgroup
# driver on v1. Options, exit status and output are run.sh's (--systemd is implied).
#
# The shared run.sh always boots with "cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1" and takes
# no option or variable for the kernel command line, and the lab is not the project's to edit. So
# this script runs it unchanged with a qemu-system-x86_64 of its own first on PATH: this very
# script (under that name), which swaps those words for "systemd.unified_cgroup_hierarchy=0" in
# -append and execs the real QEMU. If run.sh's command line ever changes, it stops (exit 3)
# instead of booting v2.
#
# One VM at a time: takes flock $V2LAB_LOCK (default /tmp/v2lab.lock) unless fd 9 already holds
# that file (run-in-lab.sh opens and locks it on fd 9 before it calls this).
# Environment: V2LAB (the lab's run.sh, default ../shared/v2lab/run.sh beside the repository).
set -uo pipefail
# (the host's /.dockerenv shows through the guest's root, so systemd takes itself for a container
# and reads pid 1's argv instead of /proc/cmdline: the kernel hands SYSTEMD_PROC_CMDLINE, a
# parameter without a dot, to pid 1 as an environment variable, which systemd reads first)
COLD="cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1"
HYBRID="systemd.unified_cgroup_hierarchy=0 SYSTEMD_PROC_CMDLINE=systemd.unified_cgroup_hierarchy=0"

if [ "$(basename "$0")" = qemu-system-x86_64 ]; then
  # the shim: run.sh -> timeout -> this -> exec the real QEMU
  args=() prev="" seen=0
  for a in "$@"; do
    if [ "$prev" = -append ]; then
      [[ "$a" == *"$COLD"* ]] || { echo "hybrid-boot: run.sh's kernel command line has no \"$COLD\": $a" >&2; exit 3; }
      a=${a/"$COLD"/"$HYBRID"}
      seen=1
    fi
    args+=("$a")
    prev=$a
  done
  [ "$seen" = 1 ] || { echo "hybrid-boot: run.sh gave QEMU no -append" >&2; exit 3; }
  exec "${V2LAB_HYBRID_QEMU:?}" "${args[@]}"
fi

REPO=$(cd "$(dirname "$0")/../.." && pwd)
V2LAB=${V2LAB:-$REPO/../shared/v2lab/run.sh}
LOCK=${V2LAB_LOCK:-/tmp/v2lab.lock}
[ -x "$V2LAB" ] || { echo "hybrid-boot: no lab at $V2LAB" >&2; exit 2; }
V2LAB_HYBRID_QEMU=$(command -v qemu-system-x86_64) || { echo "hybrid-boot: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 3; }
export V2LAB_HYBRID_QEMU
if [ "$(readlink /proc/self/fd/9 2>/dev/null)" != "$(readlink -f "$LOCK")" ]; then
  exec 9>"$LOCK"
fi
flock 9 || { echo "hybrid-boot: flock $LOCK failed" >&2; exit 2; }

SHIM=$(mktemp -d /tmp/v2lab-hybrid.XXXXXX) || exit 3
ln -s "$REPO/conformance-tests/v2lab/hybrid-boot.sh" "$SHIM/qemu-system-x86_64"
# run.sh in the background so that a TERM to this script reaches it (it then kills QEMU)
PATH=$SHIM:$PATH "$V2LAB" --systemd "$@" &
RPID=$!
trap 'kill -TERM "$RPID" 2>/dev/null; wait "$RPID"; rm -rf "$SHIM"; exit 130' INT TERM HUP
wait "$RPID"
rc=$?
rm -rf "$SHIM"
exit "$rc"
