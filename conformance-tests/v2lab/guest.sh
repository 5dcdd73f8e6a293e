#!/bin/bash
# guest.sh: runs INSIDE the cgroup-v2 lab VM, started by run-in-lab.sh (never on the host: the
# rootless files edit /etc, which is a RAM overlay only in the lab). Runs, against the runtime
# copied to $V2LAB_SHARE/rt, the conformance files, then podman as root (cgroupfs manager; in
# systemd mode also podman's systemd manager, unless V2LAB_SYSTEMD_DRIVER=0), then rootless podman and
# buildah. The TAP of every group goes to stdout (the host's log) and to $V2LAB_SHARE/$V2LAB_MODE.tap,
# which ends with "# v2lab: done" when every group ran. Exit status: 0 when no test failed.
#
# Environment (run-in-lab.sh passes these with run.sh -e):
#   V2LAB_SHARE, V2LAB_MODE   set by the lab (the --share dir; plain or systemd)
#   V2LAB_LAB_MODE            run-in-lab.sh's mode (systemd-hybrid is the lab's systemd mode
#                             booted v1/hybrid): names the TAP file
#   V2LAB_RUNTIME_NAME        the runtime's file name in $V2LAB_SHARE/rt (jrunc, runc), or an
#                             absolute path of the host's / (by hand: two runtimes in one boot)
#   V2LAB_FILES               conformance files to run (names without .bats)
#   V2LAB_PODMAN_FILTER       bats --filter for e2e/podman.bats (the subset run as root)
#   V2LAB_ROOTLESS_FILTER     bats --filter for e2e/podman-rootless.bats and buildah-rootless.bats
#   V2LAB_SYSTEMD_DRIVER      1 (default): in systemd mode also the podman subset with cgroup_manager=systemd
#   V2LAB_GROUP_TIMEOUT       bound of one bats run, seconds (a hang costs that group, not the VM)
#   V2LAB_GROUPS              which groups to run (default: conformance podman podman-systemd rootless)
set -uo pipefail
SHARE=${V2LAB_SHARE:?run by run-in-lab.sh inside the v2lab VM}
MODE=${V2LAB_MODE:?}
TAP=$SHARE/${V2LAB_LAB_MODE:-$MODE}.tap
: >"$TAP"

# /tmp as a tmpfs of its own: the guest's / (and so /tmp) is an overlayfs, which overlayfs does not
# take as an upper layer, and the lab loads no fuse module for fuse-overlayfs: podman's overlay
# storage (under /tmp in the e2e files) needs it. The share, mounted under /tmp, is bound back.
if [ "$(stat -f -c %T /tmp)" != tmpfs ]; then
  mkdir -p /run/v2lab-share
  mount --bind "$SHARE" /run/v2lab-share
  mount -t tmpfs -o mode=1777 tmpfs /tmp
  mkdir -p "$SHARE"
  mount --bind /run/v2lab-share "$SHARE"
  cd "$SHARE" || exit 1
fi

# The runtime and the tests in guest RAM (the share is 9p with cache=none: slow to read, and
# the rootless users must traverse every directory up to them). run-in-lab.sh already rewrote the
# JVM launcher's paths to $LAB.
LAB=/opt/jrunc-v2lab
rm -rf "$LAB"
mkdir -p "$LAB"
cp -a "$SHARE/rt/." "$LAB/"
cp -a "$SHARE/tests" "$LAB/tests"
chmod -R a+rX "$LAB"
# an absolute V2LAB_RUNTIME_NAME: a runtime of the host's / (runc), used where it is
case ${V2LAB_RUNTIME_NAME:?} in
  /*) export RUNTIME=$V2LAB_RUNTIME_NAME;;
  *) export RUNTIME=$LAB/$V2LAB_RUNTIME_NAME;;
esac
TESTS=$LAB/tests

# The lab's pid 1 (busybox sh in plain mode) leaves the kernel's default nofile limit (1024/4096);
# podman's private config of e2e-helpers.bash asks for 20000 as the host's does.
# plain mode's /dev (a devtmpfs) lacks the /dev/fd links bash's process substitution (and bats) use
for l in fd:/proc/self/fd stdin:/proc/self/fd/0 stdout:/proc/self/fd/1 stderr:/proc/self/fd/2; do
  [ -e "/dev/${l%%:*}" ] || ln -s "${l#*:}" "/dev/${l%%:*}"
done
ulimit -Hn 1048576 2>/dev/null && ulimit -Sn 1048576 2>/dev/null

# the bounds of wait_for and e2e_wait_for (5 s on the host) times 20: the CPU is emulated here
export CONFORMANCE_WAIT_SCALE=${CONFORMANCE_WAIT_SCALE:-20}

say() { echo "$*" | tee -a "$TAP"; }

if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  say "# v2lab: mode=${V2LAB_LAB_MODE:-$MODE} kernel=$(uname -r) cgroup=$(stat -f -c %T /sys/fs/cgroup) controllers=$(cat /sys/fs/cgroup/cgroup.controllers)"
else
  say "# v2lab: mode=${V2LAB_LAB_MODE:-$MODE} kernel=$(uname -r) cgroup v1 hierarchies: $(awk -F: '$1 != 0 { printf "%s ", $2 }' /proc/self/cgroup)+ cgroup2 at /sys/fs/cgroup/unified"
fi
say "# v2lab: runtime $("$RUNTIME" --version 2>&1 | head -n 1)"

failed_groups=0
# group NAME [VAR=VALUE...] -- BATS-ARGS...: one bats run, its TAP appended, bounded
group() {
  local name=$1 envs=() t0 rc nok
  shift
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  say "# v2lab: group $name: bats $*"
  t0=$(date +%s)
  nok=$(grep -c '^not ok ' "$TAP")
  (cd "$TESTS" && timeout -k 10 "${V2LAB_GROUP_TIMEOUT:-900}" env "${envs[@]}" bats --tap --timing "$@") 2>&1 | tee -a "$TAP"
  rc=${PIPESTATUS[0]}
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    say "not ok - v2lab group $name: killed after ${V2LAB_GROUP_TIMEOUT:-900}s (the tests after the last ok did not run)"
  elif [ "$rc" != 0 ] && [ "$(grep -c '^not ok ' "$TAP")" = "$nok" ]; then
    say "not ok - v2lab group $name: bats exited $rc without a failing test (its output is above)"
  fi
  [ "$rc" = 0 ] || failed_groups=$((failed_groups + 1))
  say "# v2lab: group $name: rc=$rc in $(( $(date +%s) - t0 ))s"
}

wants() { [[ " ${V2LAB_GROUPS:-conformance podman podman-systemd rootless} " == *" $1 "* ]]; }

files=()
for f in ${V2LAB_FILES:-cgroup-v2 cgroups control exec lifecycle rootless}; do files+=("$f.bats"); done
# the systemd cgroup driver (--systemd-cgroup) needs systemd as pid 1: only that boot runs it
if [ "$MODE" = systemd ] && [ -z "${V2LAB_FILES:-}" ]; then
  files+=(systemd.bats systemd-rootless.bats)
fi
if wants conformance; then
  group conformance -- "${files[@]}"
fi
if wants podman; then
  group podman-cgroupfs E2E_CGROUP_MANAGER=cgroupfs -- --filter "${V2LAB_PODMAN_FILTER:-.}" e2e/podman.bats
fi
if wants podman-systemd && [ "$MODE" = systemd ]; then
  if [ "${V2LAB_SYSTEMD_DRIVER:-1}" = 1 ]; then
    group podman-systemd E2E_CGROUP_MANAGER=systemd -- --filter "${V2LAB_PODMAN_FILTER:-.}" e2e/podman.bats
  else
    say "# v2lab: podman with the systemd cgroup manager not run (V2LAB_SYSTEMD_DRIVER=0)"
  fi
fi
if wants rootless; then
  group rootless-engines -- --filter "${V2LAB_ROOTLESS_FILTER:-.}" e2e/podman-rootless.bats e2e/buildah-rootless.bats
fi
say "# v2lab: done ($failed_groups group(s) with failures)"
[ "$failed_groups" = 0 ]
