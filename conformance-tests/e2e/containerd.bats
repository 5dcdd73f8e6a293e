#!/usr/bin/env bats
# containerd 1.6 (ctr, containerd-shim-runc-v2) driving the runtime under test with
# `ctr run --runc-binary $RUNTIME`. A private containerd (its own config.toml, root, state and
# socket under a temp dir, CRI disabled, overlayfs snapshotter) is started in setup_file and
# stopped by its pid in teardown_file; the busybox image is built here and imported.

bats_require_minimum_version 1.5.0
load e2e-helpers
load ../helpers

IMG=localhost/jrunc-e2e/busybox:latest

setup_file() {
  file_require_cmd containerd ctr || return 0
  e2e_runtime
  E2E=$(mktemp -d /tmp/jrunc-e2e-ctrd.XXXXXX)
  SOCK=$E2E/containerd.sock
  NS=jrunc-e2e-$$
  export E2E SOCK NS
  E2E_NEW_HOST_DIRS=
  [ -e /run/containerd ] || E2E_NEW_HOST_DIRS=/run/containerd
  export E2E_NEW_HOST_DIRS
  cat > "$E2E/config.toml" <<CONF
version = 2
root = "$E2E/root"
state = "$E2E/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]

[grpc]
  address = "$SOCK"

[plugins."io.containerd.internal.v1.opt"]
  path = "$E2E/opt"
CONF
  containerd --config "$E2E/config.toml" >"$E2E/containerd.log" 2>&1 &
  echo $! > "$E2E/containerd.pid"
  e2e_wait_for 20 ctr -a "$SOCK" version >/dev/null 2>&1 || { cat "$E2E/containerd.log" >&2; return 1; }
  e2e_trace_wrapper "$E2E/trace"
  busybox_archive "$E2E/busybox.tar" "$IMG"
  c images import "$E2E/busybox.tar" >/dev/null
}

teardown_file() {
  [ -n "${E2E:-}" ] || return 0
  [ -z "${E2E_TRACE_OUT:-}" ] || cp "$E2E/trace/argv.log" "$E2E_TRACE_OUT" || true
  local id pid
  if [ -S "$SOCK" ]; then
    for id in $(c task ls -q 2>/dev/null); do
      c task kill -s KILL "$id" >/dev/null 2>&1 || true
      c task delete -f "$id" >/dev/null 2>&1 || true
    done
    for id in $(c containers ls -q 2>/dev/null); do
      c containers delete "$id" >/dev/null 2>&1 || true
    done
    c images rm "$IMG" >/dev/null 2>&1 || true
  fi
  pid=$(cat "$E2E/containerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    e2e_wait_for 10 dead "$pid" || kill -9 "$pid" 2>/dev/null || true
  fi
  e2e_remove_leftovers "$NS"
}

setup() {
  skip_if_file_skipped
}

teardown() {
  e2e_show_trace
}

# c ARGS...: ctr on the private containerd, in this file's namespace
c() {
  ctr -a "$SOCK" -n "$NS" "$@"
}

# cr OPTIONS... IMAGE ID [ARGS...]: `ctr run` with the runtime under test (through the
# argv-logging wrapper); the runtime's state under $E2E
cr() {
  c run --runc-binary "$E2E/trace/runtime" --runc-root "$E2E/runc-root" "$@"
}

# ctr_left_nothing ID: no task, container, runtime state or cgroup of ID (left_nothing of
# helpers.bash, for what containerd keeps too)
ctr_left_nothing() {
  ! c task ls -q | grep -qx "$1" &&
    ! c containers ls -q | grep -qx "$1" &&
    [ -z "$("$RUNTIME" --root "$E2E/runc-root/$NS" list -q 2>/dev/null)" ] &&
    [ ! -e "/sys/fs/cgroup/memory/$NS/$1" ] && [ ! -e "/sys/fs/cgroup/pids/$NS/$1" ]
}

# task_status ID: RUNNING, PAUSED, STOPPED... as `ctr task ls` prints it
task_status() {
  c task ls | awk -v id="$1" '$1 == id { print $3 }'
}

# usr1_seen ID: the container's trap wrote /dev/shm/got-usr1; else sends USR1 again
usr1_seen() {
  c task exec --exec-id "seen-$RANDOM" "$1" test -e /dev/shm/got-usr1 && return 0
  c task kill -s USR1 "$1"
  return 1
}

@test "ctr run --rm prints the output and leaves nothing" {
  run cr --rm "$IMG" out-$$ echo hello from containerd
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from containerd" ]
  ctr_left_nothing out-$$
}

@test "ctr run: the exit code" {
  run cr --rm "$IMG" code-$$ sh -c 'exit 3'
  echo "$output"
  [ "$status" -eq 3 ]
  ctr_left_nothing code-$$
}

@test "ctr run --env --cwd" {
  run cr --rm --env FOO=bar --cwd /tmp "$IMG" env-$$ sh -c 'echo "$FOO|$(pwd)"'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "bar|/tmp" ]
}

@test "ctr run --read-only" {
  run cr --rm --read-only "$IMG" ro-$$ sh -c 'touch /rootfile 2>&1; echo "rc=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Read-only file system"* ]]
  [[ "$output" == *"rc=1"* ]]
}

@test "ctr run --mount: rw and ro bind mounts" {
  mkdir -p "$E2E/vol-rw" "$E2E/vol-ro"
  echo from-host > "$E2E/vol-ro/in"
  run cr --rm --mount "type=bind,src=$E2E/vol-rw,dst=/rw,options=rbind:rw" \
    --mount "type=bind,src=$E2E/vol-ro,dst=/ro,options=rbind:ro" "$IMG" bind-$$ \
    sh -c 'echo from-container > /rw/out && cat /ro/in; (echo x > /ro/new) 2>/dev/null; echo "ro=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  e2e_check_binds
}

@test "ctr run --seccomp loads containerd's default profile" {
  run cr --rm --seccomp "$IMG" seccomp-$$ grep '^Seccomp:' /proc/self/status
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*2 ]]
  run cr --rm "$IMG" noseccomp-$$ grep '^Seccomp:' /proc/self/status
  [[ "$output" == *"Seccomp:"*0 ]]
}

@test "ctr run --cap-drop" {
  run cr --rm --cap-drop CAP_CHOWN "$IMG" capdrop-$$ sh -c 'grep "^CapEff:" /proc/self/status; chown 1000 /tmp 2>&1; echo "rc=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  local eff
  eff=$(echo "$output" | awk '/^CapEff:/ { print $2 }')
  [ $(( 0x$eff & 1 )) -eq 0 ]
  [ $(( 0x$eff & 2 )) -eq 2 ]
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "ctr run --memory-limit is set and enforced" {
  require_cgroup_file memory memory.limit_in_bytes
  run cr --rm --memory-limit 33554432 "$IMG" mem-$$ sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /proc/self/cgroup'
  echo "$output"
  [ "$status" -eq 0 ]
  run cr -d --memory-limit 33554432 "$IMG" memd-$$ sleep 100
  [ "$(cat "/sys/fs/cgroup/memory/$NS/memd-$$/memory.limit_in_bytes")" = 33554432 ]
  c task kill -s KILL memd-$$
  e2e_wait_for 10 sh -c "[ \"\$(ctr -a $SOCK -n $NS task ls | awk '\$1 == \"memd-$$\" { print \$3 }')\" = STOPPED ]"
  c task delete memd-$$
  c containers delete memd-$$
  run cr --rm --memory-limit 33554432 "$IMG" hog-$$ tail /dev/zero
  echo "$output"
  [ "$status" -eq 137 ]
  ctr_left_nothing hog-$$
}

@test "ctr run -t gets a terminal" {
  require_cmd script
  run script -qec "ctr -a $SOCK -n $NS run --runc-binary $E2E/trace/runtime --runc-root $E2E/runc-root --rm -t $IMG tty-$$ sh -c 'tty; test -t 0 && echo stdin-tty'" /dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/0"* ]]
  [[ "$output" == *stdin-tty* ]]
}

@test "ctr run -d, task exec, ps, pause, resume, kill -s, delete" {
  require_cmd script
  require_cgroup_file freezer freezer.state
  local id=detached-$$
  run cr -d "$IMG" "$id" sh -c 'trap "echo usr1 > /dev/shm/got-usr1" USR1; while :; do sleep 0.1; done'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(task_status "$id")" = RUNNING ]
  local pid
  pid=$(c task ls | awk -v id="$id" '$1 == id { print $2 }')
  [ "$(cat "/proc/$pid/comm")" = sh ]
  # exec: output, exit code, --user, stdin, -t
  run c task exec --exec-id e1 "$id" echo exec output
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "exec output" ]
  run c task exec --exec-id e2 "$id" sh -c 'exit 42'
  [ "$status" -eq 42 ]
  run c task exec --exec-id e3 --user 1000 "$id" id -u
  [ "$output" = 1000 ]
  run bash -c 'echo piped | ctr -a "$0" -n "$1" task exec --exec-id e4 "$2" cat' "$SOCK" "$NS" "$id"
  echo "$output"
  [ "$output" = piped ]
  run script -qec "ctr -a $SOCK -n $NS task exec -t --exec-id e5 $id tty" /dev/null
  echo "$output"
  [[ "$output" == *"/dev/pts/"* ]]
  # ps: the init's pid
  run c task ps "$id"
  echo "$output"
  [[ "$output" == *"$pid"* ]]
  # pause, resume
  run c task pause "$id"
  [ "$status" -eq 0 ]
  [ "$(task_status "$id")" = PAUSED ]
  [ "$(cat "/sys/fs/cgroup/freezer/$NS/$id/freezer.state")" = FROZEN ]
  run c task resume "$id"
  [ "$status" -eq 0 ]
  [ "$(task_status "$id")" = RUNNING ]
  # kill -s (the mark goes to /dev/shm: after an exec as user 1000 the trap cannot create it in
  # the overlay /tmp, with runc too); sent again until seen
  run c task kill -s USR1 "$id"
  [ "$status" -eq 0 ]
  e2e_wait_for 10 usr1_seen "$id"
  run c task kill -s KILL "$id"
  [ "$status" -eq 0 ]
  e2e_wait_for 10 sh -c "[ \"\$(ctr -a $SOCK -n $NS task ls | awk '\$1 == \"$id\" { print \$3 }')\" = STOPPED ]"
  run c task delete "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  run c containers delete "$id"
  [ "$status" -eq 0 ]
  ctr_left_nothing "$id"
  dead "$pid"
}
