#!/usr/bin/env bats
# linux.resources, update, pause/resume, events --stats and device rules on a cgroup v2 host: the
# values in the container's cgroup2 files (found through /proc/PID/cgroup), runc's conversions
# (cpu shares to cpu.weight, swap to memory.swap.max) and enforcement. resources.bats and
# control.bats check the same on cgroup v1. Every test skips on a host without a pure cgroup2
# /sys/fs/cgroup: this file runs in the cgroup v2 lab (conformance-tests/v2lab). RUNTIME=runc passes.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  setup_runtime
  make_bundle sleep 1000
}

teardown() {
  teardown_containers
}

# create_v2 JQ-FILTER: create_with (helpers.bash), and $cg, the host directory of its cgroup
create_v2() {
  create_with "$1"
  cg=$(proc_cgroup_dir "$pid" memory)
  echo "cgroup: $cg"
  [ "$cg" != /sys/fs/cgroup/ ]
}

# v2 FILE: the content of FILE in the container's cgroup
v2() {
  cat "$cg/$1"
}

@test "v2: memory limit, reservation and swap are memory.max, memory.low and memory.swap.max (swap minus limit)" {
  require_cgroup_v2 memory
  create_v2 '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432, "swap": 100663296}'
  [ "$(v2 memory.max)" = 67108864 ]
  [ "$(v2 memory.low)" = 33554432 ]
  # memory.swap.max exists with swap accounting (a kernel option)
  if [ -e "$cg/memory.swap.max" ]; then
    [ "$(v2 memory.swap.max)" = 33554432 ]
  fi
  rt_quiet delete --force "$id"
  [ "$status" -eq 0 ]
  left_nothing "$id"
}

@test "v2: cpu shares, quota and period are cpu.weight (runc's conversion) and cpu.max; cpus and mems in cpuset" {
  require_cgroup_v2 cpu cpuset
  create_v2 '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"}'
  # 1 + (512 - 2) * 9999 / 262142
  [ "$(v2 cpu.weight)" = 20 ]
  [ "$(v2 cpu.max)" = "50000 100000" ]
  [ "$(v2 cpuset.cpus)" = 0 ]
  [ "$(v2 cpuset.mems)" = 0 ]
}

@test "v2: the pids limit is pids.max, unified keys are written as given" {
  require_cgroup_v2 pids memory
  create_v2 '.linux.resources.pids = {"limit": 42} | .linux.resources.unified = {"memory.high": "100000000", "pids.max": "40"}'
  # unified wins over the pids limit for the same file (runc writes unified last)
  [ "$(v2 pids.max)" = 40 ]
  [ "$(v2 memory.high)" = 99999744 ]
}

@test "v2: a unified key of a controller the cgroup does not have fails and leaves nothing" {
  require_cgroup_v2 memory
  edit_config '.linux.resources.unified = {"nosuch.file": "1"}'
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *nosuch* ]]
  left_nothing "$id"
}

@test "v2: update changes memory.max, pids.max and cpu.weight of the running container" {
  require_cgroup_v2 memory pids cpu
  edit_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  cg=$(proc_cgroup_dir "$pid" memory)
  rt_quiet update --memory 128m --pids-limit 17 "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(v2 memory.max)" = 134217728 ]
  [ "$(v2 pids.max)" = 17 ]
  echo '{"pids": {"limit": 23}, "cpu": {"shares": 300}}' > "$WORK/r.json"
  rt_quiet update -r "$WORK/r.json" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(v2 pids.max)" = 23 ]
  # 1 + (300 - 2) * 9999 / 262142
  [ "$(v2 cpu.weight)" = 12 ]
  [ "$(v2 memory.max)" = 134217728 ]
  rt_quiet delete --force "$id"
  left_nothing "$id"
}

@test "v2: a memory hog over a 64 MiB limit without swap is OOM-killed; the pids limit stops a fork bomb" {
  require_cgroup_v2 memory pids
  set_args sh -c 'head -c 200m /dev/zero | tail >/dev/null; echo "tail=$?"'
  edit_config '.linux.resources.memory = {"limit": 67108864, "swap": 67108864}'
  run_ct
  [[ "$output" == *"tail=137"* ]]
  set_args sh -c 'for i in $(seq 20); do sleep 5 & done; wait'
  edit_config 'del(.linux.resources.memory) | .linux.resources.pids = {"limit": 10}'
  run_ct 2
  [[ "$output" == *"can't fork"* ]]
}

@test "v2: pause sets cgroup.freeze (state paused, frozen), resume thaws" {
  require_cgroup_v2
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  cg=$(proc_cgroup_dir "$pid" memory)
  [ -e "$cg/cgroup.freeze" ] || skip "cgroup v2 without cgroup.freeze (Linux 5.2)"
  rt_quiet pause "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(state "$id" .status)" = paused ]
  [ "$(v2 cgroup.freeze)" = 1 ]
  grep -qx 'frozen 1' "$cg/cgroup.events"
  rt_quiet resume "$id"
  [ "$status" -eq 0 ]
  [ "$(state "$id" .status)" = running ]
  [ "$(v2 cgroup.freeze)" = 0 ]
  grep -qx 'frozen 0' "$cg/cgroup.events"
  rt_quiet pause "$id"
  [ "$status" -eq 0 ]
  # delete --force of a paused container: thawed, killed, its cgroup gone
  rt_quiet delete --force "$id"
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
  [ ! -d "$cg" ]
  left_nothing "$id"
}

@test "v2: events --stats: memory usage, pids.current and cpu usage of the container" {
  require_cgroup_v2 memory pids cpu
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" events --stats "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  echo "$output" | jq -e --arg id "$id" '.type == "stats" and .id == $id'
  echo "$output" | jq -e '.data.memory.usage.usage > 0 and .data.pids.current >= 1'
  echo "$output" | jq -e '.data.cpu.usage.total > 0'
}

@test "v2: device rules (an eBPF program): the default spec's deny-all plus runc's defaults" {
  require_cgroup_v2
  set_args sh -c 'echo x > /dev/null && echo ok; head -c 1 /dev/zero >/dev/null && echo zero'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *ok*zero* ]]
  set_args sh -c 'mknod /dev/m b 7 0 && head -c 1 /dev/m'
  run_ct 2
  [ "$status" -ne 0 ]
  [[ "$output" == *"ermitted"* ]]
}
