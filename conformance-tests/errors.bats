#!/usr/bin/env bats
# Error texts: bad input fails with runc's reason (Go's strerror words: "no such file or
# directory", "is a directory", "invalid argument", ...), exits non-zero, leaves nothing behind,
# and never shows a Java class name ("java.", "Exception").
# Runs against any runtime: RUNTIME=/path/to/jrunc (default target/jrunc) or RUNTIME=runc.

load helpers

setup() {
  setup_runtime
  make_bundle sleep 300
}

teardown() {
  teardown_containers
}

# no_class_name: $output names no Java class
no_class_name() {
  if [[ "$output" == *java.* || "$output" == *Exception* ]]; then
    echo "a Java class name in: $output" >&2
    return 1
  fi
}

# nothing_left ID: no container, state directory or cgroup of ID remains
nothing_left() {
  run "$RUNTIME" --root "$ROOT" list -q
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e "$ROOT/$1" ]
  cgroup_gone "$1"
}

@test "create --pid-file in a missing directory: no such file or directory, nothing left" {
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" --pid-file "$WORK/missing/dir/pid" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"$WORK/missing/dir/"*": no such file or directory"* ]]
  nothing_left "$id"
}

@test "a config.json that is a directory: is a directory" {
  rm "$BUNDLE/config.json"
  mkdir "$BUNDLE/config.json"
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"config.json: is a directory"* ]]
  nothing_left "$id"
}

@test "a missing rootfs: invalid rootfs: stat ROOTFS: no such file or directory" {
  rm -rf "$BUNDLE/rootfs"
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"invalid rootfs: stat $BUNDLE/rootfs: no such file or directory"* ]]
  nothing_left "$id"
}

@test "a missing bundle: chdir BUNDLE: no such file or directory" {
  id=$(cid)
  rt_quiet create --bundle "$WORK/no-bundle" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"chdir $WORK/no-bundle: no such file or directory"* ]]
  nothing_left "$id"
}

@test "a bundle that is a file: chdir BUNDLE: not a directory" {
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE/config.json" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"chdir $BUNDLE/config.json: not a directory"* ]]
  nothing_left "$id"
}

@test "a state root under a regular file: not a directory" {
  touch "$WORK/file"
  id=$(cid)
  set +e
  "$RUNTIME" --root "$WORK/file/root" create --bundle "$BUNDLE" "$id" </dev/null >"$WORK/rt.out" 2>&1
  status=$?
  set -e
  output=$(cat "$WORK/rt.out")
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *": not a directory"* ]]
  cgroup_gone "$id"
}

@test "update and exec of a running container with bad input: runc's reasons" {
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]

  run "$RUNTIME" --root "$ROOT" update -r "$WORK/missing.json" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"$WORK/missing.json: no such file or directory"* ]]

  run "$RUNTIME" --root "$ROOT" exec --process "$WORK/missing-process.json" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"$WORK/missing-process.json: no such file or directory"* ]]

  mkdir "$WORK/process-dir"
  run "$RUNTIME" --root "$ROOT" exec --process "$WORK/process-dir" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"process-dir: is a directory"* ]]

  # the container runs on
  run "$RUNTIME" --root "$ROOT" state "$id"
  [ "$status" -eq 0 ]
  [[ "$output" == *'"status": "running"'* ]]
}

@test "a cgroup write the kernel refuses: failed to write, the file, invalid argument" {
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
    grep -qw cpu /sys/fs/cgroup/cgroup.controllers || skip "no cpu controller on this cgroup v2 host"
  else
    [ -d /sys/fs/cgroup/cpu ] || skip "no cpu hierarchy on this cgroup v1 host"
  fi
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  # the kernel's minimum CFS period is 1000us: 500 is EINVAL on v1 and v2
  run "$RUNTIME" --root "$ROOT" update --cpu-period 500 "$id"
  [ "$status" -ne 0 ]
  no_class_name
  # (the text log format escapes the quotes around the value)
  [[ "$output" == *'failed to write '*'500'*': write /sys/fs/cgroup/'*': invalid argument'* ]]
}

@test "a memory limit below the usage (cgroup v1): runc's words, no class name" {
  [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] || skip "cgroup v1 memory only (v2 takes the limit and reclaims)"
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" update --memory 4096 "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"unable to set memory limit to 4096 (current usage: "* ]]
}
