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
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
}

# A busybox bundle in $WORK/bundle made from the host's busybox-static, with the runtime's
# own `spec` (terminal off) and the given args; every container id gets a per-test suffix.
make_bundle() {
  BUNDLE="$WORK/bundle"
  mkdir -p "$BUNDLE/rootfs/bin" "$BUNDLE/rootfs/etc" "$BUNDLE/rootfs/tmp"
  cp /bin/busybox "$BUNDLE/rootfs/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$BUNDLE/rootfs/bin/$applet"
  done
  # run by an unprivileged user (the rootless pass of rootless.bats): runc's rootless config
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$BUNDLE" && "$RUNTIME" spec)
  else
    (cd "$BUNDLE" && "$RUNTIME" spec --rootless)
  fi
  set_args "$@"
  export BUNDLE
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

# dead PID: the process is gone or a zombie (pid 1 of this VM may not reap orphans)
dead() {
  [ ! -e "/proc/$1/status" ] || grep -q '^State:[[:space:]]*[ZX]' "/proc/$1/status"
}

# --- helpers of the feature files (namespaces, mounts, devices, security, runtime) ---

# runc_before MAJOR.MINOR: true when RUNTIME is runc older than that version (never for jrunc)
runc_before() {
  local v want_major=${1%%.*} want_minor=${1#*.}
  v=$("$RUNTIME" --version 2>/dev/null | sed -n 's/^runc version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
  [ -n "$v" ] || return 1
  set -- $v
  [ "$1" -lt "$want_major" ] || { [ "$1" -eq "$want_major" ] && [ "$2" -lt "$want_minor" ]; }
}

# run_ct [ID-SUFFIX]: `run`s the bundle in the foreground; prints the output (shown when a test fails)
run_ct() {
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid "$@")"
  echo "status=$status output:"
  echo "$output"
}

# left_nothing ID: no container, state directory or cgroup of ID remains
left_nothing() {
  [ -z "$("$RUNTIME" --root "$ROOT" list -q 2>/dev/null)" ] && [ ! -e "$ROOT/$1" ] && cgroup_gone "$1"
}

# wait_for CMD...: polls CMD every 20 ms for up to 5 s (a test of a value that changes: wait_for eval '[ ... ]',
# since the arguments are expanded once)
wait_for() {
  local i
  for i in $(seq 250); do
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
