# Shared set-up for the conformance suite. RUNTIME is the binary under test.

setup_runtime() {
  : "${RUNTIME:=$BATS_TEST_DIRNAME/../target/jrunc}"
  if [[ "$RUNTIME" != */* ]]; then
    RUNTIME=$(command -v "$RUNTIME")
  fi
  [ -x "$RUNTIME" ] || { echo "RUNTIME $RUNTIME is not executable" >&2; return 1; }
  WORK=$(mktemp -d "${BATS_TMPDIR:-/tmp}/conformance.XXXXXX")
  ROOT="$WORK/state-root"
  export RUNTIME WORK ROOT
}

teardown_runtime() {
  cd /
  if [ -n "${WORK:-}" ]; then
    rm -rf "$WORK"
  fi
}

# A busybox bundle in $WORK/bundle made from the host's busybox-static, with the runtime's
# own `spec` (terminal off) and the given args; every container id gets a per-test suffix.
make_bundle() {
  BUNDLE="$WORK/bundle"
  mkdir -p "$BUNDLE/rootfs"
  cp -a "$(busybox_template)/." "$BUNDLE/rootfs/"
  # run by an unprivileged user (the rootless pass of rootless.bats): runc's rootless config.
  # The runtime's spec is made once per bats run and copied (one runtime start less per test:
  # a JVM start costs seconds in the cgroup v2 lab)
  local spec=${BATS_RUN_TMPDIR:-$WORK}/spec-$(id -u).json
  if [ -s "$spec" ]; then
    cp "$spec" "$BUNDLE/config.json"
  else
    if [ "$(id -u)" -eq 0 ]; then
      (cd "$BUNDLE" && "$RUNTIME" spec)
    else
      (cd "$BUNDLE" && "$RUNTIME" spec --rootless)
    fi
    cp "$BUNDLE/config.json" "$spec"
  fi
  set_args "$@"
  export BUNDLE
}

# busybox_template: a directory with bin/ (the host's busybox-static and one symlink per applet),
# etc/ and tmp/, made once per bats run and copied by make_bundle: the ~400 `ln` processes cost
# under a second here but ~40 s a test under emulation (the cgroup v2 lab, conformance-tests/v2lab)
busybox_template() {
  local t=${BATS_RUN_TMPDIR:-$WORK}/busybox-rootfs applet
  if [ ! -e "$t.complete" ]; then
    rm -rf "$t"
    mkdir -p "$t/bin" "$t/etc" "$t/tmp"
    cp /bin/busybox "$t/bin/busybox"
    for applet in $(/bin/busybox --list); do
      [ "$applet" = busybox ] || ln -s busybox "$t/bin/$applet"
    done
    touch "$t.complete"
  fi
  echo "$t"
}

# set_args ARG...: replaces process.args (terminal off)
set_args() {
  local args
  args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
  jq --argjson a "$args" '.process.args = $a | .process.terminal = false' "$BUNDLE/config.json" > "$BUNDLE/config.json.new"
  mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# edit_config JQ-FILTER
edit_config() {
  jq "$1" "$BUNDLE/config.json" > "$BUNDLE/config.json.new" && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

cid() {
  echo "conf-$$-$BATS_TEST_NUMBER${1:+-$1}"
}

# Removes every container of this test's root, then the work dir.
teardown_containers() {
  if [ -n "${ROOT:-}" ] && [ -d "$ROOT" ]; then
    for id in $("$RUNTIME" --root "$ROOT" list -q 2>/dev/null); do
      "$RUNTIME" --root "$ROOT" delete --force "$id" >/dev/null 2>&1 || true
    done
  fi
  teardown_runtime
}

# cgroup_gone ID: no directory named ID under any cgroup hierarchy (the default paths)
cgroup_gone() {
  ! find /sys/fs/cgroup -maxdepth 3 -type d -name "$1" 2>/dev/null | grep -q .
}

# rt_quiet ARGS...: runs the runtime with its stdio on files (a created or detached container
# inherits them: a pipe would stay open until it exits), then sets $status and $output as `run`.
rt_quiet() {
  set +e
  "$RUNTIME" --root "$ROOT" "$@" </dev/null >"$WORK/rt.out" 2>&1
  status=$?
  set -e
  output=$(cat "$WORK/rt.out")
}

# state ID [JQ]: the container's state (a field of it, with JQ)
state() {
  "$RUNTIME" --root "$ROOT" state "$1" | jq -r "${2:-.}"
}

# cgroup_dir PID CONTROLLER: the host directory of PID's cgroup in the v1 hierarchy of CONTROLLER
cgroup_dir() {
  local rel
  rel=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
  echo "/sys/fs/cgroup/$2$rel"
}

# cgfile PID CONTROLLER FILE: the content of FILE in PID's v1 cgroup of CONTROLLER
cgfile() {
  cat "$(cgroup_dir "$1" "$2")/$3"
}

# dead PID: the process is gone or a zombie (pid 1 of this VM may not reap orphans)
dead() {
  [ ! -e "/proc/$1/status" ] || grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status"
}

# --- helpers of the feature files (namespaces, mounts, devices, security, runtime) ---

# is_runc: RUNTIME is runc (by its --version, whatever the binary is called)
is_runc() {
  "$RUNTIME" --version 2>/dev/null | grep -q '^runc version '
}

# runc_before X.Y[.Z]: true when RUNTIME is runc older than that version (never for another runtime)
runc_before() {
  local v
  v=$("$RUNTIME" --version 2>/dev/null | sed -n 's/^runc version \([0-9][0-9.]*\).*/\1/p')
  [ -n "$v" ] || return 1
  [ "$v" != "$1" ] || return 1
  [ "$(printf '%s\n%s\n' "$v" "$1" | sort -V | head -n 1)" = "$v" ]
}

# run_ct [ID-SUFFIX]: `run`s the bundle in the foreground; prints the output (shown when a test fails)
run_ct() {
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid "$@")"
  echo "status=$status output:"
  echo "$output"
}

# left_nothing [ID]: no container in the root, no state directory and no cgroup of ID (default:
# this test's $(cid)); says what is left on stderr (shown when the test fails)
left_nothing() {
  local id=${1:-$(cid)} listed
  listed=$("$RUNTIME" --root "$ROOT" list -q 2>/dev/null) || true
  if [ -n "$listed" ]; then
    echo "left_nothing: containers still listed: $listed" >&2
    return 1
  fi
  if [ -e "$ROOT/$id" ]; then
    echo "left_nothing: the state directory $ROOT/$id remains" >&2
    return 1
  fi
  if ! cgroup_gone "$id"; then
    echo "left_nothing: a cgroup named $id remains" >&2
    return 1
  fi
}

# wait_for CMD...: polls CMD every 20 ms for up to 5 s (a test of a value that changes: wait_for eval '[ ... ]',
# since the arguments are expanded once). CONFORMANCE_WAIT_SCALE=N multiplies the bound (the
# cgroup v2 lab emulates the CPU: everything there is 10-30x slower)
wait_for() {
  local i
  for i in $(seq $((250 * ${CONFORMANCE_WAIT_SCALE:-1}))); do
    "$@" && return 0
    sleep 0.02
  done
  return 1
}

# mount_opts MOUNTINFO-FILE MOUNT-POINT: "per-mount-options super-options" of the last mount there
mount_opts() {
  awk -v mp="$2" '$5 == mp { sep = 0; for (i = 7; i <= NF; i++) if ($i == "-") { sep = i; break }
    line = $6 " " $(sep + 1) " " $(sep + 3) } END { print line }' "$1"
}

# --- preconditions: each one skips the test, with the reason, only when the host lacks what it
# names; the same for every RUNTIME. Call them first in a test (or in setup for a whole file).

# require_cmd CMD...: every CMD is on PATH
require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || skip "needs $c, which is not installed"
  done
}

# bats 1.8 cannot skip from setup_file (a skip there fails the whole file). A file whose
# set-up finds the host lacking something records why with file_skip REASON and returns; every
# test's setup() starts with skip_if_file_skipped, and teardown_file undoes only what was made.
file_skip() {
  export FILE_SKIP="$1"
}

skip_if_file_skipped() {
  [ -z "${FILE_SKIP:-}" ] || skip "$FILE_SKIP"
}

# file_require_cmd CMD...: in setup_file, file_skip (and status 1) when a CMD is not installed
file_require_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || { file_skip "needs $c, which is not installed"; return 1; }
  done
}

# file_require_root: in setup_file, file_skip (and status 1) when not root
file_require_root() {
  [ "$(id -u)" -eq 0 ] || { file_skip "needs root"; return 1; }
}

# require_root: the test makes host objects (cgroups, mounts, users) only root may make
require_root() {
  [ "$(id -u)" -eq 0 ] || skip "needs root"
}

# cgroup_v1_dir CONTROLLER: the root of the host's cgroup v1 hierarchy of CONTROLLER (status 1
# when no v1 hierarchy has it: a cgroup v2 host, or a controller the kernel lacks)
cgroup_v1_dir() {
  local dir
  dir=$(awk -v c="$1" '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == c) { print $2; exit } }' /proc/self/mounts)
  [ -n "$dir" ] || return 1
  echo "$dir"
}

# cgroup_v1_has CONTROLLER FILE: a cgroup of the v1 CONTROLLER hierarchy has FILE. Some files
# exist below the root only (blkio.bfq.weight): then this shell's own cgroup is looked at, else
# (as root) a probe cgroup made for the look and removed at once.
cgroup_v1_has() {
  local root own probe found=1
  root=$(cgroup_v1_dir "$1") || return 1
  [ -e "$root/$2" ] && return 0
  own=$(awk -F: -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' /proc/self/cgroup)
  if [ -n "$own" ] && [ "$own" != / ] && [ -e "$root$own/$2" ]; then
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || return 1
  probe="$root/conformance-probe-$$"
  mkdir "$probe" 2>/dev/null || return 1
  if [ -e "$probe/$2" ]; then found=0; fi
  rmdir "$probe"
  return "$found"
}

# require_cgroup_v1 CONTROLLER...: the host mounts a cgroup v1 hierarchy with each CONTROLLER
require_cgroup_v1() {
  local c
  for c in "$@"; do
    cgroup_v1_dir "$c" >/dev/null || skip "needs the cgroup v1 $c controller, which this host does not mount"
  done
}

# require_cgroup_file CONTROLLER FILE...: the v1 CONTROLLER hierarchy has every FILE (a kernel
# option or a block scheduler may be missing: memory.memsw.* needs swap accounting, ...)
require_cgroup_file() {
  local c=$1 f
  shift
  require_cgroup_v1 "$c"
  for f in "$@"; do
    cgroup_v1_has "$c" "$f" || skip "needs the cgroup v1 file $c/$f, which this kernel does not have"
  done
}

# require_cgroup_file_any CONTROLLER FILE...: the v1 CONTROLLER hierarchy has one of the FILEs
require_cgroup_file_any() {
  local c=$1 f
  shift
  require_cgroup_v1 "$c"
  for f in "$@"; do
    if cgroup_v1_has "$c" "$f"; then return 0; fi
  done
  skip "needs one of the cgroup v1 files $* ($c), which this kernel does not have"
}

# require_ns TYPE...: the kernel has namespaces of each TYPE (/proc/self/ns/TYPE)
require_ns() {
  local t
  for t in "$@"; do
    [ -e "/proc/self/ns/$t" ] || skip "needs $t namespaces, which this kernel does not have"
  done
}

# kernel_at_least X.Y: the running kernel is X.Y or newer
kernel_at_least() {
  local k
  k=$(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
  [ "$(printf '%s\n%s\n' "$1" "$k" | sort -V | head -n 1)" = "$1" ]
}

# require_kernel X.Y [WHAT]: the running kernel is X.Y or newer
require_kernel() {
  kernel_at_least "$1" || skip "needs Linux $1 or newer${2:+ ($2)}, this is $(uname -r)"
}

# require_static_cc: gcc that links static executables (libc.a), for sockhelper.c
require_static_cc() {
  require_cmd gcc
  [ -e "$(gcc -print-file-name=libc.a)" ] || skip "needs a static libc (libc6-dev) for gcc -static"
}

# require_busybox_applet NAME...: the host's busybox (copied into each bundle) has each applet
require_busybox_applet() {
  local a
  for a in "$@"; do
    /bin/busybox --list | grep -qx "$a" || skip "needs the busybox applet $a, which /bin/busybox lacks"
  done
}

# apparmor_enabled, selinux_enabled: the LSM is enabled on this host
apparmor_enabled() {
  [ -d /sys/kernel/security/apparmor ] && grep -q '^Y' /sys/module/apparmor/parameters/enabled 2>/dev/null
}

selinux_enabled() {
  [ -e /sys/fs/selinux/enforce ]
}

# cgroup_v2_host: /sys/fs/cgroup is a pure cgroup2 mount (runc's IsCgroup2UnifiedMode)
cgroup_v2_host() {
  [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = cgroup2fs ]
}

# require_cgroup_v2 CONTROLLER...: a cgroup v2 host whose root cgroup offers each CONTROLLER
# (the cgroup v2 lab is one: conformance-tests/v2lab)
require_cgroup_v2() {
  local c
  cgroup_v2_host || skip "needs a cgroup v2 host (/sys/fs/cgroup is not a cgroup2 mount)"
  for c in "$@"; do
    grep -qw "$c" /sys/fs/cgroup/cgroup.controllers || skip "needs the cgroup v2 $c controller, which this host does not offer"
  done
}

# proc_cgroup_dir PID CONTROLLER: the host directory of PID's cgroup: the cgroup2 one on a v2 host,
# else the one of the v1 hierarchy of CONTROLLER
proc_cgroup_dir() {
  if cgroup_v2_host; then
    echo "/sys/fs/cgroup$(sed -n 's/^0:://p' "/proc/$1/cgroup")"
  else
    cgroup_dir "$1" "$2"
  fi
}

# create_with JQ-FILTER: edits the config, creates the container (every limit applied: no
# "not applied" warning), sets $id and $pid
create_with() {
  edit_config "$1"
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" != *"not applied"* ]]
  pid=$(state "$id" .pid)
}
