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

@test "create --pid-file in a missing directory: no such file or directory, nothing left" {
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" --pid-file "$WORK/missing/dir/pid" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"$WORK/missing/dir/"*": no such file or directory"* ]]
  left_nothing "$id"
}

@test "a config.json that is a directory: is a directory" {
  rm "$BUNDLE/config.json"
  mkdir "$BUNDLE/config.json"
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"config.json: is a directory"* ]]
  left_nothing "$id"
}

@test "a config.json that is a device or a fifo is refused at once, without reading it" {
  # runc 1.1 reads a config.json linked to /dev/zero until memory runs out, and blocks on a fifo
  if is_runc; then skip "runc reads any file as config.json (jrunc refuses all but regular files)"; fi
  id=$(cid)
  rm "$BUNDLE/config.json"
  ln -s /dev/zero "$BUNDLE/config.json"
  run timeout 30 "$RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [ "$status" -ne 124 ] # not cut by the timeout: refused by the runtime
  no_class_name
  [[ "$output" == *"config.json: not a regular file"* ]]
  left_nothing "$id"
  rm "$BUNDLE/config.json"
  mkfifo "$BUNDLE/config.json"
  run timeout 30 "$RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [ "$status" -ne 124 ]
  [[ "$output" == *"config.json: not a regular file"* ]]
  left_nothing "$id"
}

@test "a missing rootfs: invalid rootfs: stat ROOTFS: no such file or directory" {
  rm -rf "$BUNDLE/rootfs"
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"invalid rootfs: stat $BUNDLE/rootfs: no such file or directory"* ]]
  left_nothing "$id"
}

@test "a missing bundle: chdir BUNDLE: no such file or directory" {
  id=$(cid)
  rt_quiet create --bundle "$WORK/no-bundle" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"chdir $WORK/no-bundle: no such file or directory"* ]]
  left_nothing "$id"
}

@test "a bundle that is a file: chdir BUNDLE: not a directory" {
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE/config.json" "$id"
  [ "$status" -ne 0 ]
  no_class_name
  [[ "$output" == *"chdir $BUNDLE/config.json: not a directory"* ]]
  left_nothing "$id"
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
