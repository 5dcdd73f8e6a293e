#!/usr/bin/env bats
# The runc command lines podman (through conmon) and containerd-shim-runc-v2 really send, as
# traced from the end-to-end suites (conformance-tests/e2e, E2E_TRACE_OUT=FILE), replayed here
# without the engines. Runs against any runtime: RUNTIME=/path/to/jrunc or RUNTIME=runc.

load helpers

setup() {
  setup_runtime
  make_bundle sleep 100
  LOG="$WORK/log.json"
}

teardown() {
  teardown_containers
}

# shim ARGS...: the containerd shim's global flags in front of ARGS (stdio on files)
shim() {
  rt_quiet --log "$LOG" --log-format json "$@"
}

@test "containerd shim: create --bundle --pid-file, start, ps --format json, exec --process --detach --pid-file, kill --all, delete" {
  id=$(cid)
  shim create --bundle "$BUNDLE" --pid-file "$WORK/init.pid" "$id"
  [ "$status" -eq 0 ]
  pid=$(cat "$WORK/init.pid")
  [ "$pid" -gt 0 ]
  [ -f "$LOG" ]
  shim start "$id"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" --log "$LOG" --log-format json ps --format json "$id"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | jq -c .)" = "[$pid]" ]
  echo '{"args": ["sleep", "50"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}' > "$WORK/process.json"
  shim exec --process "$WORK/process.json" --detach --pid-file "$WORK/exec.pid" "$id"
  [ "$status" -eq 0 ]
  epid=$(cat "$WORK/exec.pid")
  [ "$(cat "/proc/$epid/comm")" = sleep ]
  run "$RUNTIME" --root "$ROOT" ps --format json "$id"
  [ "$(echo "$output" | jq -c 'sort')" = "$(printf '%s\n' "$pid" "$epid" | sort -n | jq -s -c .)" ]
  shim kill --all "$id" 9
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
  wait_for dead "$epid"
  wait_for sh -c "\"$RUNTIME\" --root \"$ROOT\" state $id | jq -e '.status == \"stopped\"'"
  shim delete "$id"
  [ "$status" -eq 0 ]
  left_nothing "$id"
  # nothing failed: the log holds no error
  ! grep -q '"level":"error"' "$LOG"
}

@test "podman: flags in the --flag=value form, exec --process --detach --pid-file" {
  id=$(cid)
  rt_quiet --log="$LOG" --log-format=json create --bundle="$BUNDLE" --pid-file="$WORK/init.pid" "$id"
  [ "$status" -eq 0 ]
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  echo '{"args": ["sleep", "50"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}' > "$WORK/process.json"
  rt_quiet exec --pid-file="$WORK/exec.pid" --process="$WORK/process.json" --detach "$id"
  [ "$status" -eq 0 ]
  [ "$(cat "/proc/$(cat "$WORK/exec.pid")/comm")" = sleep ]
  rt_quiet kill "$id" 15
  [ "$status" -eq 0 ]
  rt_quiet delete --force "$id"
  [ "$status" -eq 0 ]
  left_nothing "$id"
}

@test "a failed exec is logged as JSON with the text podman maps to 127" {
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  rt_quiet start "$id"
  echo '{"args": ["/no/such/binary"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}' > "$WORK/process.json"
  rt_quiet --log "$LOG" --log-format json exec --process "$WORK/process.json" --detach "$id"
  [ "$status" -ne 0 ]
  run jq -r 'select(.level == "error") | .msg' "$LOG"
  echo "$output"
  [[ "$output" == *"no such file or directory"* ]]
}

# force_delete_in STATE: a container brought to STATE (created, running, paused or stopped) is
# removed by delete --force, its process with it
force_delete_in() {
  local s=$1 id pid
  id=$(cid "$s")
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  if [ "$s" != created ]; then
    rt_quiet start "$id"
    [ "$status" -eq 0 ]
  fi
  if [ "$s" = paused ]; then
    rt_quiet pause "$id"
    [ "$status" -eq 0 ]
  fi
  if [ "$s" = stopped ]; then
    rt_quiet kill "$id" 9
    [ "$status" -eq 0 ]
    wait_for sh -c "\"$RUNTIME\" --root \"$ROOT\" state $id | jq -e '.status == \"stopped\"'"
  fi
  [ "$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .status)" = "$s" ]
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .pid)
  rt_quiet delete --force "$id"
  echo "$s: $output"
  [ "$status" -eq 0 ]
  left_nothing "$id"
  if [ "$pid" != 0 ]; then
    wait_for dead "$pid"
  fi
}

@test "delete --force: created, running, stopped and missing containers" {
  local s
  for s in created running stopped; do
    force_delete_in "$s"
  done
  # a missing container: runc 1.1 succeeds quietly with --force
  rt_quiet delete --force "$(cid missing)"
  [ "$status" -eq 0 ]
  rt_quiet delete "$(cid missing)"
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "delete --force: a paused container" {
  require_cgroup_file freezer freezer.state
  force_delete_in paused
}

@test "state: the fields the engines read" {
  id=$(cid)
  edit_config '.annotations = {"org.example.key": "value"}'
  rt_quiet create --bundle "$BUNDLE" "$id"
  run "$RUNTIME" --root "$ROOT" state "$id"
  [ "$status" -eq 0 ]
  echo "$output"
  [ "$(echo "$output" | jq -r '.id')" = "$id" ]
  [ "$(echo "$output" | jq -r '.status')" = created ]
  [ "$(echo "$output" | jq -r '.pid')" -gt 0 ]
  [ "$(echo "$output" | jq -r '.bundle')" = "$BUNDLE" ]
  [ "$(echo "$output" | jq -r '.rootfs')" = "$BUNDLE/rootfs" ]
  [ "$(echo "$output" | jq -r '.owner')" = "" ]
  [[ "$(echo "$output" | jq -r '.ociVersion')" == 1.* ]]
  [[ "$(echo "$output" | jq -r '.created')" == 20*Z ]]
  [ "$(echo "$output" | jq -r '.annotations["org.example.key"]')" = value ]
}

@test "--systemd-cgroup is accepted as a global flag by the commands that do not create" {
  run "$RUNTIME" --root "$ROOT" --systemd-cgroup list -q
  [ "$status" -eq 0 ]
}
