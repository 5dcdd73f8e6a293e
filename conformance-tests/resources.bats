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

# delete_created: the container of create_with goes, with its cgroups
delete_created() {
  rt_quiet delete --force "$id"
  [ "$status" -eq 0 ]
  left_nothing "$id"
}

@test "memory limit, reservation and swappiness are in the container's cgroup files" {
  require_cgroup_file memory memory.limit_in_bytes memory.soft_limit_in_bytes memory.swappiness
  create_with '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432, "swappiness": 10}'
  [ "$(cgfile "$pid" memory memory.limit_in_bytes)" = 67108864 ]
  [ "$(cgfile "$pid" memory memory.soft_limit_in_bytes)" = 33554432 ]
  [ "$(cgfile "$pid" memory memory.swappiness)" = 10 ]
  delete_created
}

@test "the memory+swap limit is in memory.memsw.limit_in_bytes" {
  require_cgroup_file memory memory.memsw.limit_in_bytes
  create_with '.linux.resources.memory = {"limit": 67108864, "swap": 100663296}'
  [ "$(cgfile "$pid" memory memory.limit_in_bytes)" = 67108864 ]
  [ "$(cgfile "$pid" memory memory.memsw.limit_in_bytes)" = 100663296 ]
  delete_created
}

@test "cpu shares, CFS quota and period are in the container's cgroup files" {
  require_cgroup_file cpu cpu.shares cpu.cfs_quota_us cpu.cfs_period_us
  create_with '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000}'
  [ "$(cgfile "$pid" cpu cpu.shares)" = 512 ]
  [ "$(cgfile "$pid" cpu cpu.cfs_quota_us)" = 50000 ]
  [ "$(cgfile "$pid" cpu cpu.cfs_period_us)" = 100000 ]
  delete_created
}

@test "the cpu realtime runtime and period are in the container's cgroup files" {
  require_cgroup_file cpu cpu.rt_runtime_us cpu.rt_period_us
  # a cgroup takes no more realtime runtime than its parent gives away: the container's cgroup is
  # made right below the root (a runtime's default parent may have none to give)
  [ "$(cat "$(cgroup_v1_dir cpu)/cpu.rt_runtime_us")" -ge 10000 ] || skip "the root cpu cgroup has no realtime runtime to give"
  create_with '.linux.cgroupsPath = "/'"$(cid)"'" | .linux.resources.cpu = {"realtimePeriod": 100000, "realtimeRuntime": 10000}'
  [ "$(cgfile "$pid" cpu cpu.rt_period_us)" = 100000 ]
  [ "$(cgfile "$pid" cpu cpu.rt_runtime_us)" = 10000 ]
  delete_created
}

@test "cpuset cpus and mems are in the container's cgroup files" {
  require_cgroup_file cpuset cpuset.cpus cpuset.mems
  create_with '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
  [ "$(cgfile "$pid" cpuset cpuset.cpus)" = 0 ]
  [ "$(cgfile "$pid" cpuset cpuset.mems)" = 0 ]
  delete_created
}

@test "the pids limit is in the container's pids.max" {
  require_cgroup_file pids pids.max
  create_with '.linux.resources.pids = {"limit": 42}'
  [ "$(cgfile "$pid" pids pids.max)" = 42 ]
  delete_created
}

@test "the blkio weight is in blkio.weight (or blkio.bfq.weight with BFQ)" {
  # blkio.weight came with CFQ (gone since Linux 5.0), blkio.bfq.weight comes with the BFQ
  # scheduler: a kernel with neither (mq-deadline, kyber, none) has no blkio weight at all
  require_cgroup_file_any blkio blkio.weight blkio.bfq.weight
  create_with '.linux.resources.blockIO = {"weight": 300}'
  local dir
  dir=$(cgroup_dir "$pid" blkio)
  if [ -e "$dir/blkio.weight" ]; then
    [ "$(cat "$dir/blkio.weight")" = 300 ]
  else
    # BFQ prints "default 300" on newer kernels, "300" on older ones
    [[ "$(cat "$dir/blkio.bfq.weight")" =~ ^(default\ )?300$ ]]
  fi
  delete_created
}

@test "blkio throttles (read/write bps and iops of a device) are in the container's cgroup files" {
  require_cgroup_file blkio blkio.throttle.read_bps_device blkio.throttle.write_bps_device \
    blkio.throttle.read_iops_device blkio.throttle.write_iops_device
  # a block device of this host (the throttle files refuse a device the kernel does not know)
  local dev major minor
  dev=$(ls /sys/block | grep -v '^\(loop\|ram\|zram\)' | head -n 1 || true)
  [ -n "$dev" ] || skip "needs a block device (none but loop, ram or zram in /sys/block)"
  IFS=: read -r major minor < "/sys/block/$dev/dev"
  create_with '.linux.resources.blockIO = {
      "throttleReadBpsDevice": [{"major": '"$major"', "minor": '"$minor"', "rate": 1048576}],
      "throttleWriteBpsDevice": [{"major": '"$major"', "minor": '"$minor"', "rate": 2097152}],
      "throttleReadIOPSDevice": [{"major": '"$major"', "minor": '"$minor"', "rate": 300}],
      "throttleWriteIOPSDevice": [{"major": '"$major"', "minor": '"$minor"', "rate": 400}]}'
  [ "$(cgfile "$pid" blkio blkio.throttle.read_bps_device)" = "$major:$minor 1048576" ]
  [ "$(cgfile "$pid" blkio blkio.throttle.write_bps_device)" = "$major:$minor 2097152" ]
  [ "$(cgfile "$pid" blkio blkio.throttle.read_iops_device)" = "$major:$minor 300" ]
  [ "$(cgfile "$pid" blkio blkio.throttle.write_iops_device)" = "$major:$minor 400" ]
  delete_created
}

@test "a memory hog over a 64 MiB limit without swap is OOM-killed" {
  # swap = limit: no swap to escape to (the config needs swap accounting)
  require_cgroup_file memory memory.limit_in_bytes memory.memsw.limit_in_bytes
  set_args sh -c 'head -c 200m /dev/zero | tail >/dev/null; echo "tail=$?"'
  edit_config '.linux.resources.memory = {"limit": 67108864, "swap": 67108864}'
  run_ct
  [[ "$output" == *"tail=137"* ]]
  set_args sh -c 'head -c 20m /dev/zero | tail >/dev/null; echo "tail=$?"'
  run_ct 2
  [[ "$output" == *"tail=0"* ]]
}

@test "the pids limit stops a fork bomb" {
  require_cgroup_file pids pids.max
  set_args sh -c 'for i in $(seq 20); do sleep 5 & done; wait'
  edit_config '.linux.resources.pids = {"limit": 10}'
  run_ct
  [[ "$output" == *"can't fork"* ]]
}

@test "update changes the live memory and pids limits" {
  require_cgroup_file memory memory.limit_in_bytes
  require_cgroup_file pids pids.max
  require_cgroup_file cpu cpu.shares
  edit_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
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
  require_cgroup_file cpuset cpuset.cpus
  edit_config '.linux.resources.cpu = {"cpus": "999"}'
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cpuset.cpus"* ]]
  left_nothing "$id"
}

@test "device rules: the default spec's deny-all plus runc's defaults" {
  require_cgroup_v1 devices
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
  require_cgroup_file memory memory.limit_in_bytes memory.usage_in_bytes
  require_cgroup_file cpuset cpuset.cpus
  require_cgroup_file pids pids.max
  set_args sh -c 'head -c 16777216 /dev/zero > /dev/shm/fill; echo filled; sleep 100'
  edit_config '.root.readonly = false | .linux.resources.memory = {"limit": 134217728} | .linux.resources.pids = {"limit": 40}'
  id=$(cid)
  "$RUNTIME" --root "$ROOT" run -d --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
  pid=$(state "$id" .pid)
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
  require_cgroup_file devices devices.list
  require_cgroup_file pids pids.max
  edit_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}]'
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  expected=$(printf '%s\n' 'b *:* m' 'c *:* m' 'c 1:3 rwm' 'c 1:5 rwm' 'c 1:7 rwm' 'c 1:8 rwm' 'c 1:9 rwm' 'c 5:0 rwm' \
    'c 5:2 rwm' 'c 10:200 rwm' 'c 136:* rwm' | sort)
  list=$(cgfile "$pid" devices devices.list | sort)
  echo "$list"
  [ "$list" = "$expected" ]
  "$RUNTIME" --root "$ROOT" update --pids-limit 20 "$id"
  [ "$(cgfile "$pid" devices devices.list | sort)" = "$expected" ]
}
