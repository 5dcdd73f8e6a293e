#!/usr/bin/env bats
# linux.resources on cgroup v1 (cgroupfs) and the update command: the limits are in the
# container's cgroup files (found through /proc/PID/cgroup, so this works for any runtime's
# cgroup layout) and enforced. RUNTIME=runc passes these too.

load helpers

setup() {
  setup_runtime
  make_bundle sleep 100
}

teardown() {
  teardown_containers
}

# cgfile PID CONTROLLER FILE: the content of FILE in the v1 cgroup of PID for CONTROLLER
cgfile() {
  local path
  path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
  cat "/sys/fs/cgroup/$2$path/$3"
}

@test "memory, cpu, pids and blkio limits are in the container's cgroup files" {
  edit_config '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432, "swap": 67108864, "swappiness": 10}
    | .linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"}
    | .linux.resources.pids = {"limit": 42}'
  # a kernel without CFQ/BFQ (6.x with none/mq-deadline/kyber) has no blkio weight file:
  # runc refuses the weight there too
  if [ -e /sys/fs/cgroup/blkio/blkio.weight ]; then
    edit_config '.linux.resources.blockIO = {"weight": 300}'
  fi
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" != *"not applied"* ]]
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  [ "$(cgfile "$pid" memory memory.limit_in_bytes)" = 67108864 ]
  [ "$(cgfile "$pid" memory memory.memsw.limit_in_bytes)" = 67108864 ]
  [ "$(cgfile "$pid" memory memory.soft_limit_in_bytes)" = 33554432 ]
  [ "$(cgfile "$pid" memory memory.swappiness)" = 10 ]
  [ "$(cgfile "$pid" cpu cpu.shares)" = 512 ]
  [ "$(cgfile "$pid" cpu cpu.cfs_quota_us)" = 50000 ]
  [ "$(cgfile "$pid" cpu cpu.cfs_period_us)" = 100000 ]
  [ "$(cgfile "$pid" cpuset cpuset.cpus)" = 0 ]
  [ "$(cgfile "$pid" pids pids.max)" = 42 ]
  if [ -e /sys/fs/cgroup/blkio/blkio.weight ]; then
    [ "$(cgfile "$pid" blkio blkio.weight)" = 300 ]
  fi
  rt_quiet delete --force "$id"
  [ "$status" -eq 0 ]
  left_nothing "$id"
}

@test "a memory hog over a 64 MiB limit without swap is OOM-killed" {
  set_args sh -c 'head -c 200m /dev/zero | tail >/dev/null; echo "tail=$?"'
  edit_config '.linux.resources.memory = {"limit": 67108864, "swap": 67108864}'
  run_ct
  [[ "$output" == *"tail=137"* ]]
  set_args sh -c 'head -c 20m /dev/zero | tail >/dev/null; echo "tail=$?"'
  run_ct 2
  [[ "$output" == *"tail=0"* ]]
}

@test "the pids limit stops a fork bomb" {
  set_args sh -c 'for i in $(seq 20); do sleep 5 & done; wait'
  edit_config '.linux.resources.pids = {"limit": 10}'
  run_ct
  [[ "$output" == *"can't fork"* ]]
}

@test "update changes the live memory and pids limits" {
  edit_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  rt_quiet update --memory 128m --pids-limit 17 "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(cgfile "$pid" memory memory.limit_in_bytes)" = 134217728 ]
  [ "$(cgfile "$pid" pids pids.max)" = 17 ]
  echo '{"pids": {"limit": 23}, "cpu": {"shares": 300}, "hugepageLimits": [{"pageSize": "nosuch", "limit": 1}]}' > "$WORK/r.json"
  rt_quiet update -r "$WORK/r.json" "$id"
  [ "$status" -eq 0 ]
  [ "$(cgfile "$pid" pids pids.max)" = 23 ]
  [ "$(cgfile "$pid" cpu cpu.shares)" = 300 ]
  [ "$(cgfile "$pid" memory memory.limit_in_bytes)" = 134217728 ]
  rt_quiet update --memory lots "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"invalid value for memory"* ]]
  rt_quiet update --pids-limit 5 "nosuch-$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
  rt_quiet delete --force "$id"
  left_nothing "$id"
}

@test "an impossible limit fails create and leaves nothing" {
  edit_config '.linux.resources.cpu = {"cpus": "999"}'
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cpuset.cpus"* ]]
  left_nothing "$id"
}

@test "device rules: the default spec's deny-all plus runc's defaults" {
  set_args sh -c 'echo x > /dev/null && echo ok; head -c 1 /dev/zero >/dev/null && echo zero'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *ok*zero* ]]
  set_args sh -c 'mknod /dev/m b 7 0 && head -c 1 /dev/m'
  run_ct 2
  [ "$status" -ne 0 ]
  [[ "$output" == *"ermitted"* ]]
}

@test "update with an impossible limit (memory below usage, cpuset outside the host) fails and leaves the container as it was" {
  set_args sh -c 'head -c 16777216 /dev/zero > /dev/shm/fill; echo filled; sleep 100'
  edit_config '.root.readonly = false | .linux.resources.memory = {"limit": 134217728} | .linux.resources.pids = {"limit": 40}'
  id=$(cid)
  "$RUNTIME" --root "$ROOT" run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  filled() { [ "$(cgfile "$pid" memory memory.usage_in_bytes)" -gt 16000000 ]; }
  wait_for filled
  cpus=$(cgfile "$pid" cpuset cpuset.cpus)
  rt_quiet update --memory 1048576 "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"memory"* ]]
  rt_quiet update --cpuset-cpus 999 "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cpuset.cpus"* ]]
  [ "$(cgfile "$pid" memory memory.limit_in_bytes)" = 134217728 ]
  [ "$(cgfile "$pid" cpuset cpuset.cpus)" = "$cpus" ]
  [ "$(cgfile "$pid" pids pids.max)" = 40 ]
  [ "$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .status)" = running ]
}

@test "device rules: the cgroup's list is runc's (linux.devices get no rule), kept by update" {
  edit_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}]'
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  expected=$(printf '%s\n' 'b *:* m' 'c *:* m' 'c 1:3 rwm' 'c 1:5 rwm' 'c 1:7 rwm' 'c 1:8 rwm' 'c 1:9 rwm' 'c 5:0 rwm' \
    'c 5:2 rwm' 'c 10:200 rwm' 'c 136:* rwm' | sort)
  list=$(cgfile "$pid" devices devices.list | sort)
  echo "$list"
  [ "$list" = "$expected" ]
  "$RUNTIME" --root "$ROOT" update --pids-limit 20 "$id"
  [ "$(cgfile "$pid" devices devices.list | sort)" = "$expected" ]
}
