#!/usr/bin/env bats
# The systemd cgroup driver rootless (--systemd-cgroup as an unprivileged user): the container's
# cgroup is a transient scope of the user's own systemd manager (user@UID.service), reached over
# the user's D-Bus ($XDG_RUNTIME_DIR/bus), with the limits in its cgroup files; delete stops it.
# A test user is made for the file (its /etc lines taken out again in teardown_file) and its
# manager started with systemctl. Needs systemd as pid 1 and cgroup v2: skipped on the
# development VM; the v2 lab's --systemd boot runs it. RUNTIME=runc passes these too.

bats_require_minimum_version 1.5.0
load helpers
load e2e/e2e-helpers

# (bats 1.8 cannot skip from setup_file: file_skip, and each test's setup skips; helpers.bash)
setup_file() {
  if [ "$(id -u)" -ne 0 ]; then file_skip "needs root to create the test user"; return 0; fi
  if [ ! -d /run/systemd/system ]; then file_skip "needs systemd as pid 1 (/run/systemd/system)"; return 0; fi
  if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
    file_skip "needs a cgroup v2 host (the user's systemd delegates only v2)"; return 0
  fi
  local tool
  for tool in systemctl useradd userdel setpriv newuidmap newgidmap; do
    if ! command -v "$tool" >/dev/null; then file_skip "needs $tool"; return 0; fi
  done
  e2e_runtime
  E2E=$(mktemp -d /tmp/jrunc-sd-rootless.XXXXXX)
  export E2E
  rl_user_add
  if ! systemctl start "user@$RL_UID.service"; then
    file_skip "the user's systemd manager (user@$RL_UID.service) does not start here"
    return 0
  fi
  RL_XDG=/run/user/$RL_UID
  export RL_XDG
  # $RL_RUNTIME: the runtime where the user reaches it (e2e-helpers)
  rl_runtime
}

teardown_file() {
  [ -n "${E2E:-}" ] || return 0
  if [ -n "${RL_UID:-}" ]; then
    systemctl stop "user@$RL_UID.service" >/dev/null 2>&1 || true
  fi
  rl_user_remove
  rl_remove_dir
}

setup() {
  skip_if_file_skipped
  id=sdrl$$-$BATS_TEST_NUMBER
  B=$E2E/u/b-$BATS_TEST_NUMBER
  busybox_rootfs "$B/rootfs"
  chown -R "$RL_UID:$RL_GID" "$B"
  (cd "$B" && as_user "$RL_RUNTIME" spec --rootless)
}

teardown() {
  [ -z "${FILE_SKIP:-}" ] || return 0
  as_user "$RL_RUNTIME" --root "$E2E/u/state" --systemd-cgroup delete --force "$id" </dev/null >/dev/null 2>&1 || true
  as_user systemctl --user stop "jrunc-$id.scope" >/dev/null 2>&1 || true
}

# as_user CMD...: CMD as the test user in its login environment: its runtime dir and its
# manager's bus (what a rootless engine runs the runtime with), from the bundle when there is one
as_user() {
  (cd "${B:-$E2E/u}" 2>/dev/null || cd "$E2E/u"
   exec setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin USER="$RL_USER" LOGNAME="$RL_USER" \
    HOME="$E2E/u/home" XDG_RUNTIME_DIR="$RL_XDG" DBUS_SESSION_BUS_ADDRESS="unix:path=$RL_XDG/bus" "$@")
}

# user_rt ARGS...: the runtime as the user with the test's state root; $status and $output (through
# a file: a created container's init keeps create's stdio, and `run` would wait for its end)
user_rt() {
  local out=$E2E/u/rt-$BATS_TEST_NUMBER.out
  status=0
  as_user "$RL_RUNTIME" --root "$E2E/u/state" "$@" </dev/null >"$out" 2>&1 || status=$?
  output=$(cat "$out")
}

# edit JQ-FILTER: the bundle's config.json
edit() {
  jq "$1" "$B/config.json" > "$B/config.json.new"
  mv "$B/config.json.new" "$B/config.json"
  chown "$RL_UID:$RL_GID" "$B/config.json"
}

@test "rootless --systemd-cgroup: a scope of the user's manager with the limits, stopped by delete" {
  local cg
  edit ".process.terminal = false | .process.args = [\"sleep\", \"100\"]
        | .linux.cgroupsPath = \"user.slice:jrunc:$id\"
        | .linux.resources = {\"pids\": {\"limit\": 50}, \"memory\": {\"limit\": 67108864}}"
  user_rt --systemd-cgroup create --bundle "$B" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  run as_user systemctl --user show -p ActiveState --value "jrunc-$id.scope"
  echo "scope state: $output"
  [ "$output" = active ]
  cg=$(as_user systemctl --user show -p ControlGroup --value "jrunc-$id.scope")
  echo "scope cgroup: $cg"
  # under the user's manager, in the slice asked for
  [[ "$cg" == /user.slice/user-$RL_UID.slice/user@$RL_UID.service/user.slice/jrunc-$id.scope ]]
  [ "$(cat "/sys/fs/cgroup$cg/pids.max")" = 50 ]
  [ "$(cat "/sys/fs/cgroup$cg/memory.max")" = 67108864 ]
  grep -qx "$(as_user "$RL_RUNTIME" --root "$E2E/u/state" state "$id" | jq -r .pid)" "/sys/fs/cgroup$cg/cgroup.procs"
  user_rt --systemd-cgroup delete --force "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  run as_user systemctl --user show -p ActiveState --value "jrunc-$id.scope"
  echo "scope state after delete: $output"
  [ "$output" != active ]
  [ ! -d "/sys/fs/cgroup$cg" ]
  [ ! -e "$E2E/u/state/$id" ]
}

@test "rootless --systemd-cgroup run: the container's output, its cgroup namespace rooted at the scope" {
  edit ".process.terminal = false | .process.args = [\"sh\", \"-c\", \"echo hello; cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max\"]
        | .linux.cgroupsPath = \"user.slice:jrunc:$id\" | .linux.resources = {\"pids\": {\"limit\": 42}}"
  run as_user "$RL_RUNTIME" --root "$E2E/u/state" --systemd-cgroup run --bundle "$B" "$id" </dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  # (runc warns on stderr first about devices systemd cannot be given)
  printf '%s\n' "$output" | grep -qx hello
  printf '%s\n' "$output" | grep -qx '0::/'
  printf '%s\n' "$output" | grep -qx 42
  [ ! -e "$E2E/u/state/$id" ]
}

@test "rootless --systemd-cgroup without the user's bus: refused, nothing left" {
  edit ".process.terminal = false | .linux.cgroupsPath = \"user.slice:jrunc:$id\""
  RL_XDG=$E2E/u/no-such-dir user_rt --systemd-cgroup create --bundle "$B" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" != *java.* ]]
  [ ! -e "$E2E/u/state/$id" ]
  run as_user systemctl --user show -p ActiveState --value "jrunc-$id.scope"
  [ "$output" != active ]
}
