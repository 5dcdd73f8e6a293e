#!/usr/bin/env bats
# Commands on a living container: pause, resume (the processes really stop and go on), ps,
# delete --force of a paused container.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  setup_runtime
  make_bundle sh -c 'i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.05; done'
  edit_config '.root.readonly = false'
}

teardown() {
  teardown_containers
}

count() {
  cat "$BUNDLE/rootfs/tmp/count" 2>/dev/null
}

counting() { # the counter has gone past $1
  local c
  c=$(count)
  [ -n "$c" ] && [ "$c" -gt "$1" ]
}

@test "pause freezes every process (state paused), resume lets them go on (state running)" {
  require_cgroup_file freezer freezer.state
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  wait_for counting 2
  rt_quiet pause "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(state "$id" .status)" = paused ]
  [ "$("$RUNTIME" --root "$ROOT" list -f json | jq -r '.[0].status')" = paused ]
  before=$(count)
  sleep 0.5
  [ "$(count)" = "$before" ]
  grep -q '^State:[[:space:]]*D' "/proc/$(state "$id" .pid)/status"
  rt_quiet resume "$id"
  [ "$status" -eq 0 ]
  [ "$(state "$id" .status)" = running ]
  wait_for counting "$before"
}

@test "pause/resume errors: stopped, not paused, missing container; start of a paused one" {
  require_cgroup_file freezer freezer.state
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  rt_quiet resume "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"container not paused"* ]]
  rt_quiet pause "$id"
  [ "$status" -eq 0 ]
  rt_quiet pause "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"container not running"* ]]
  rt_quiet start "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot start a container in the paused state"* ]]
  rt_quiet resume "$id"
  [ "$status" -eq 0 ]
  rt_quiet kill "$id" KILL
  pid=$(state "$id" .pid)
  wait_for dead "$pid" || true
  wait_for eval '[ "$(state "$id" .status)" = stopped ]'
  rt_quiet pause "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"container not running"* ]]
  rt_quiet pause "$(cid missing)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
  rt_quiet resume "$(cid missing)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "kill KILL of a paused container kills it (thawed as runc does)" {
  require_cgroup_file freezer freezer.state
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  rt_quiet pause "$id"
  [ "$status" -eq 0 ]
  rt_quiet kill "$id" KILL
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
}

@test "delete --force of a paused container leaves no process and no cgroup" {
  require_cgroup_file freezer freezer.state
  id=$(cid)
  set_args sh -c 'sleep 1000 & while true; do sleep 0.05; done'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pids=$("$RUNTIME" --root "$ROOT" ps --format json "$id" | jq -r '.[]')
  [ -n "$pids" ]
  rt_quiet pause "$id"
  [ "$status" -eq 0 ]
  rt_quiet delete "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot delete container $id that is not stopped: paused"* ]]
  rt_quiet delete --force "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  for p in $pids; do
    wait_for dead "$p"
  done
  wait_for left_nothing "$id"
}

@test "ps --format json: the init and the processes it started" {
  id=$(cid)
  set_args sh -c 'sleep 1000 & sleep 1001 & wait'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  init=$(state "$id" .pid)
  wait_for eval '[ "$("$RUNTIME" --root "$ROOT" ps --format json "$id" | jq length)" -eq 3 ]'
  json=$("$RUNTIME" --root "$ROOT" ps --format json "$id")
  echo "$json"
  echo "$json" | jq -e --argjson p "$init" 'index($p) != null'
  for p in $(echo "$json" | jq -r '.[]'); do
    grep -q "^PPid:[[:space:]]*$init\$" "/proc/$p/status" || [ "$p" -eq "$init" ]
  done
  rt_quiet ps --format yaml "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"invalid format option"* ]]
}

@test "ps: the host ps header and exactly the container's rows; ps options after the id" {
  require_cmd ps
  id=$(cid)
  set_args sh -c 'sleep 1000 & wait'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  init=$(state "$id" .pid)
  wait_for eval '[ "$("$RUNTIME" --root "$ROOT" ps --format json "$id" | jq length)" -eq 2 ]'
  run "$RUNTIME" --root "$ROOT" ps "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$(ps -ef | head -1)" ]
  [ "${#lines[@]}" -eq 3 ]
  echo "$output" | awk -v p="$init" 'NR > 1 && $2 == p' | grep -q 'sh -c'
  echo "$output" | grep -q 'sleep 1000'
  run "$RUNTIME" --root "$ROOT" ps "$id" -o pid,comm
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *PID*COMMAND* ]]
  [ "${#lines[@]}" -eq 3 ]
}

@test "events --stats: one runc stats event with memory usage and pids.current of the container" {
  require_cgroup_file memory memory.usage_in_bytes
  require_cgroup_file pids pids.current
  require_cgroup_file cpuacct cpuacct.usage cpuacct.usage_percpu
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" events --stats "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  echo "$output" | jq -e --arg id "$id" '.type == "stats" and .id == $id'
  echo "$output" | jq -e '.data.memory.usage.usage > 0 and .data.pids.current >= 1'
  echo "$output" | jq -e '.data.cpu.usage.total > 0 and (.data.cpu.usage.percpu | length) >= 1'
  echo "$output" | jq -e '.data.memory.raw.rss >= 0 and (.data.cpu.throttling | type) == "object"'
  echo "$output" | jq -e '(.data | keys) == ["blkio","cpu","cpuset","hugetlb","intel_rdt","memory","network_interfaces","pids"]'
}

@test "events: a stats event every interval; errors of interval and of a stopped or missing container" {
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  "$RUNTIME" --root "$ROOT" events --interval 200ms "$id" >"$WORK/events" 2>&1 &
  ev=$!
  stats_lines() { jq -s 'map(select(.type == "stats")) | length' "$WORK/events" 2>/dev/null || echo 0; }
  wait_for eval '[ "$(stats_lines)" -ge 3 ]'
  kill "$ev"
  wait "$ev" || true
  cat "$WORK/events"
  [ "$(stats_lines)" -ge 3 ]
  rt_quiet events --interval 0s "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"duration interval must be greater than 0"* ]]
  rt_quiet events --stats "$(cid missing)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
  rt_quiet kill "$id" KILL
  [ "$status" -eq 0 ]
  wait_for eval '[ "$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .status)" = stopped ]'
  rt_quiet events --stats "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"container with id $id is not running"* ]]
}

@test "events: goes on while the container is stopped and ends when delete removes its cgroup" {
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  "$RUNTIME" --root "$ROOT" events --interval 100ms "$id" >"$WORK/events" 2>&1 &
  ev=$!
  sleep 0.5
  rt_quiet kill "$id" KILL
  wait_for eval '[ "$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .status)" = stopped ]'
  sleep 0.5
  # the stream is still going while the container is stopped
  run ! dead "$ev"
  rt_quiet delete "$id"
  [ "$status" -eq 0 ]
  wait_for dead "$ev"
  wait "$ev" || true
  cat "$WORK/events"
  [ "$(jq -s 'map(select(.type == "stats")) | length' "$WORK/events")" -ge 3 ]
}
