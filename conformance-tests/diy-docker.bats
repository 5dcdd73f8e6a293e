#!/usr/bin/env bats
# examples/diy-docker.sh: an image built with umoci, copied with skopeo, stored and checked out
# with OSTree, run by RUNTIME; as root and as an unprivileged user made by the test.

load helpers

SCRIPT="$BATS_TEST_DIRNAME/../examples/diy-docker.sh"

setup() {
  setup_runtime
}

teardown() {
  remove_test_user
  if [ -n "${T:-}" ]; then
    rm -rf "$T"
  fi
  teardown_runtime
}

# What every run prints: the layers in order (layer 2's /etc/layer, the whiteout applied),
# Entrypoint + Cmd as process.args, Env and WorkingDir, exec in a detached container, an empty list.
check_flow_output() {
  echo "$output" | grep -qx 'process.args: \["/bin/sh","/etc/hello.sh","from","diy-docker"\]'
  echo "$output" | grep -qx 'hello from diy-docker: uid 0 (root), hostname diy'
  echo "$output" | grep -qx '/etc/layer: layer 2'
  echo "$output" | grep -qx '/etc/doomed: whited out'
  echo "$output" | grep -qx 'whiteout files: 0'
  echo "$output" | grep -qx '/bin/busybox owner inside: 0:0'
  echo "$output" | grep -qx 'GREETING=hi cwd=/tmp'
  echo "$output" | grep -q '^exec in diy-[0-9]*-bg: pid [0-9]*, /etc/layer: layer 2$'
  echo "$output" | grep -qx 'list: empty'
  echo "$output" | grep -qx 'ostree fsck: ok'
  echo "$output" | grep -qx 'diy-docker: OK'
  [ "$(echo "$output" | grep -c '^layers/[0-9a-f]\{64\}: layer [0-9]')" -eq 2 ]
}

# left nothing under DIR: no file, no mount below it, no cgroup of the printed containers (runc
# nests them under its caller's cgroup, which may be deeper than cgroup_gone looks)
check_left_nothing() {
  local dir=$1 id
  [ -z "$(ls -A "$dir")" ]
  if grep -qF " $dir/" /proc/self/mountinfo; then
    echo "a mount below $dir is left" >&2
    false
  fi
  for id in $(echo "$output" | sed -n 's/^containers: //p'); do
    [ -z "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "$id" 2>/dev/null)" ]
  done
}

@test "diy-docker as root: umoci image, skopeo dir:, ostree layers checked out with --union --whiteouts, run, run -d, exec" {
  mkdir "$WORK/parent"
  run env RUNTIME="$RUNTIME" "$SCRIPT" "$WORK/parent"
  echo "$output"
  [ "$status" -eq 0 ]
  check_flow_output
  echo "$output" | grep -qx 'rootfs owner: 0:0 (uid 0), [0-9]* entries'
  check_left_nothing "$WORK/parent"
}

@test "diy-docker fails clearly with a runtime that does not exist, leaving nothing" {
  mkdir "$WORK/parent"
  run env RUNTIME="$WORK/no-such-runtime" "$SCRIPT" "$WORK/parent"
  [ "$status" -ne 0 ]
  [[ "$output" == *"diy-docker: RUNTIME $WORK/no-such-runtime is not executable"* ]]
  [ -z "$(ls -A "$WORK/parent")" ]
}

@test "diy-docker: a step failing with a detached container running fails clearly and removes the container" {
  mkdir "$WORK/parent"
  # the runtime under test, except that `exec` (--root STATE exec ID ...) notes the pid of the
  # container and fails
  cat > "$WORK/refusing-exec" <<EOF
#!/bin/sh
if [ "\$3" = exec ]; then
  "$RUNTIME" --root "\$2" state "\$4" | jq -r .pid > "$WORK/bg.pid"
  echo "exec refused by the test" >&2
  exit 1
fi
exec "$RUNTIME" "\$@"
EOF
  chmod +x "$WORK/refusing-exec"
  run env RUNTIME="$WORK/refusing-exec" "$SCRIPT" "$WORK/parent"
  echo "$output"
  [ "$status" -ne 0 ]
  echo "$output" | grep -q '^diy-docker: exec in diy-[0-9]*-bg failed$'
  echo "$output" | grep -qx 'diy-docker: FAILED (exit 1)'
  [[ "$output" != *'diy-docker: OK'* ]]
  check_left_nothing "$WORK/parent"
  # the detached container was running and its process is gone
  [ "$(cat "$WORK/bg.pid")" -gt 0 ]
  dead "$(cat "$WORK/bg.pid")"
}

# --- the unprivileged variant

# Creates user $TUSER (no home, own group, no automatic subordinate ids) and gives it a free
# subordinate uid/gid range; remove_test_user takes all of it back, /etc is left as found.
add_test_user() {
  TUSER="jrdiy$$"
  local f
  ETC_SAVE="$WORK/etc-save"
  mkdir -p "$ETC_SAVE"
  # useradd/userdel rewrite the backup copies (passwd- ...): keep them to put them back
  for f in passwd- group- shadow- gshadow- subuid- subgid-; do
    if [ -e "/etc/$f" ]; then
      cp -p "/etc/$f" "$ETC_SAVE/$f"
    fi
  done
  touch "$ETC_SAVE/.saved"
  useradd -M -U -d /nonexistent -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$TUSER"
  TUID=$(id -u "$TUSER")
  TGID=$(id -g "$TUSER")
  # a range starting where the last one given ends (other users' tests may use 100000 too)
  local start
  start=$(cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: 'BEGIN { m = 100000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }')
  echo "$TUSER:$start:65536" >> /etc/subuid
  echo "$TUSER:$start:65536" >> /etc/subgid
  export TUSER TUID TGID
}

remove_test_user() {
  [ -n "${TUSER:-}" ] || return 0
  if id "$TUSER" >/dev/null 2>&1; then
    # the JVM (jrunc's launcher) keeps its perf data in /tmp/hsperfdata_USER whatever TMPDIR is
    if [ "$(stat -c %u "/tmp/hsperfdata_$TUSER" 2>/dev/null)" = "$(id -u "$TUSER")" ]; then
      rm -rf "/tmp/hsperfdata_$TUSER"
    fi
    userdel "$TUSER" 2>/dev/null || true
  fi
  local f
  for f in /etc/subuid /etc/subgid; do
    if grep -q "^$TUSER:" "$f" 2>/dev/null; then
      sed -i "/^$TUSER:/d" "$f"
    fi
  done
  if [ -e "${ETC_SAVE:-}/.saved" ]; then
    for f in passwd- group- shadow- gshadow- subuid- subgid-; do
      if [ -e "$ETC_SAVE/$f" ]; then
        cp -p "$ETC_SAVE/$f" "/etc/$f"
      else
        rm -f "/etc/$f"
      fi
    done
  fi
  TUSER=
}

# A world-traversable copy of what the user runs (the checkout may sit under a 0700 directory):
# the script, and the runtime; jrunc's JVM launcher names its jar, libraries and init by
# absolute path: they are copied beside it and the launcher is rewritten to point there.
copy_runtime_for_user() {
  T=$(mktemp -d /tmp/diy-docker-user.XXXXXX)
  chmod 755 "$T"
  mkdir -p "$T/bin" "$T/rt" "$T/work" "$T/run" "$T/home"
  cp "$SCRIPT" "$T/bin/diy-docker.sh"
  local dir name
  dir=$(dirname "$(readlink -f "$RUNTIME")")
  name=$(basename "$RUNTIME")
  cp "$RUNTIME" "$T/rt/$name"
  if [[ "$name" == jrunc* ]]; then
    if [ -e "$dir/jrunc-init" ]; then cp "$dir/jrunc-init" "$T/rt/"; fi
    if [ -e "$dir/jrunc.jar" ]; then cp "$dir/jrunc.jar" "$T/rt/"; fi
    if [ -d "$dir/lib" ]; then cp -r "$dir/lib" "$T/rt/"; fi
    if [ -d "$dir/native" ]; then
      mkdir -p "$T/rt/native"
      cp "$dir"/native/*.so "$T/rt/native/"
    fi
    if [ "$(head -c 2 "$RUNTIME")" = "#!" ]; then
      sed -i "s#$dir/#$T/rt/#g" "$T/rt/$name"
    fi
  fi
  chmod -R a+rX "$T/bin" "$T/rt"
  chown "$TUID:$TGID" "$T/work" "$T/run" "$T/home"
  chmod 700 "$T/run"
  USER_RUNTIME="$T/rt/$name"
}

@test "diy-docker as an unprivileged user: umoci --rootless, ostree bare-user, spec --rootless" {
  require_root
  # as the user, the script cannot apt-get what is missing
  require_cmd setpriv useradd userdel skopeo ostree umoci jq
  add_test_user
  copy_runtime_for_user
  run setpriv --reuid="$TUID" --regid="$TGID" --clear-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$T/home" USER="$TUSER" LOGNAME="$TUSER" \
    XDG_RUNTIME_DIR="$T/run" TMPDIR="$T/work" RUNTIME="$USER_RUNTIME" \
    bash "$T/bin/diy-docker.sh" "$T/work"
  echo "$output"
  [ "$status" -eq 0 ]
  check_flow_output
  # on the host the files belong to the user, inside its user namespace to root (checked above)
  echo "$output" | grep -qx "rootfs owner: $TUID:$TGID (uid $TUID), [0-9]* entries"
  echo "$output" | grep -q '^== 5\. .* spec --rootless, run'
  check_left_nothing "$T/work"
  # no process of the user is left (zombies aside: pid 1 may not reap orphans)
  local p
  for p in $(pgrep -u "$TUID"); do
    dead "$p"
  done
}
