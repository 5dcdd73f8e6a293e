#!/usr/bin/env bats
# The systemd cgroup driver (--systemd-cgroup) on a host with systemd as pid 1, cgroup v2 or
# v1/hybrid: the container's cgroup is a transient scope with the limits as unit properties
# (v2: MemoryMax, CPUWeight; v1: MemoryLimit, CPUShares) and in its cgroup files (v1: in each
# controller's hierarchy, the scope's directory in every one); update changes the unit; delete
# stops it; pause/resume freeze the scope's cgroup (v1: its freezer); a cgroupsPath not of runc's
# slice:prefix:name form is refused in runc's words. Skipped where systemd is not pid 1 (the
# development VM): run it in v2lab's systemd mode (v2) and systemd-hybrid mode (v1/hybrid).
# RUNTIME=runc passes these too.

bats_require_minimum_version 1.5.0
load helpers
load e2e/e2e-helpers

setup() {
  require_root
  [ -d /run/systemd/system ] || skip "needs systemd as pid 1 (/run/systemd/system)"
  require_cmd systemctl
  setup_runtime
  make_bundle sleep 100
  UNITS=()
}

teardown() {
  local u f
  # the hooks a failed test left sleeping
  for f in "${WORK:-/nonexistent}"/hook*.pid; do
    if [ -s "$f" ]; then kill -KILL "$(cat "$f")" 2>/dev/null || true; fi
  done
  if [ -n "${ROOT:-}" ] && [ -d "$ROOT" ]; then
    for id in $("$RUNTIME" --root "$ROOT" list -q 2>/dev/null); do
      "$RUNTIME" --root "$ROOT" --systemd-cgroup delete --force "$id" >/dev/null 2>&1 || true
    done
  fi
  # whatever a failed runtime left: the test's own units only
  for u in "${UNITS[@]}"; do
    systemctl stop "$u" >/dev/null 2>&1 || true
    systemctl reset-failed "$u" >/dev/null 2>&1 || true
  done
  if [ -n "${E2E:-}" ] && [ -d "$E2E" ]; then
    podman rm -a -f -t 0 >/dev/null 2>&1 || true
    e2e_remove_leftovers jrunc-sd-none
  fi
  teardown_runtime
}

# create_sd CGROUPSPATH [JQ-FILTER]: creates this test's container with --systemd-cgroup; sets $id, $pid
create_sd() {
  id=$(cid)
  edit_config ".linux.cgroupsPath = \"$1\" ${2:+| $2}"
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
}

# cg_of PID: the process's cgroup path (v2) or its name=systemd one (v1/hybrid)
cg_of() {
  if cgroup_v2_host; then
    awk -F: '$1 == 0 { print $3 }' "/proc/$1/cgroup"
  else
    awk -F: '$2 == "name=systemd" { print $3 }' "/proc/$1/cgroup"
  fi
}

# in_scope_everywhere PID PATH: on v1/hybrid, PID's cgroup is PATH in every hierarchy whose
# controller runc handles (and in the unified one); on v2 its one cgroup is PATH
in_scope_everywhere() {
  local line wrong=0
  while IFS= read -r line; do
    case ${line#*:} in
      # no controller of runc's (misc: runc knows none; the kernel's list grows)
      misc:*) continue;;
    esac
    if [ "${line##*:}" != "$2" ]; then
      echo "in_scope_everywhere: $line, not $2" >&2
      wrong=1
    fi
  done <"/proc/$1/cgroup"
  [ "$wrong" = 0 ]
}

# v1_file CONTROLLER UNIT-PATH FILE: the content of FILE of the unit's cgroup in the v1 hierarchy of CONTROLLER
v1_file() {
  cat "/sys/fs/cgroup/$1$2/$3"
}

# no_scope_dir UNIT: no directory of the unit in any hierarchy
no_scope_dir() {
  local left
  left=$(find /sys/fs/cgroup -maxdepth 4 -type d -name "$1" 2>/dev/null)
  [ -z "$left" ] || { echo "no_scope_dir: left $left" >&2; return 1; }
}

# prop UNIT NAME: the unit's property as systemctl shows it
prop() {
  systemctl show -p "$2" --value "$1"
}

# stopped ID: the container's status is stopped
stopped() {
  [ "$(state "$1" .status)" = stopped ]
}

# unit_gone UNIT: systemd no longer has the unit loaded
unit_gone() {
  local s
  s=$(systemctl show -p LoadState --value "$1")
  [ "$s" = not-found ]
}

@test "--systemd-cgroup: the container runs in a delegated scope with its limits as unit properties and in its cgroup files" {
  UNITS+=("jrunc-test-$(cid).scope")
  create_sd "system.slice:jrunc-test:$(cid)" \
    '.linux.resources = {"memory": {"limit": 67108864, "swap": 67108864}, "pids": {"limit": 50}, "cpu": {"shares": 1024, "quota": 50000, "period": 100000}}'
  unit="jrunc-test-$id.scope"
  [ "$(cg_of "$pid")" = "/system.slice/$unit" ]
  in_scope_everywhere "$pid" "/system.slice/$unit"
  [ "$(prop "$unit" ActiveState)" = active ]
  [ "$(prop "$unit" Delegate)" = yes ]
  [ "$(prop "$unit" Slice)" = system.slice ]
  [ "$(prop "$unit" TasksMax)" = 50 ]
  [ "$(prop "$unit" CPUQuotaPerSecUSec)" = 500ms ]
  if cgroup_v2_host; then
    [ "$(prop "$unit" MemoryMax)" = 67108864 ]
    [ "$(prop "$unit" CPUWeight)" = 39 ]
    dir="/sys/fs/cgroup/system.slice/$unit"
    [ "$(cat "$dir/memory.max")" = 67108864 ]
    # swap == limit: no swap
    [ "$(cat "$dir/memory.swap.max")" = 0 ]
    [ "$(cat "$dir/pids.max")" = 50 ]
    [ "$(cat "$dir/cpu.max")" = "50000 100000" ]
    [ "$(cat "$dir/cpu.weight")" = 39 ]
  else
    [ "$(prop "$unit" MemoryLimit)" = 67108864 ]
    [ "$(prop "$unit" CPUShares)" = 1024 ]
    [ "$(v1_file memory "/system.slice/$unit" memory.limit_in_bytes)" = 67108864 ]
    # swap == limit: memory+swap is the limit (where the kernel accounts swap)
    if [ -e "/sys/fs/cgroup/memory/system.slice/$unit/memory.memsw.limit_in_bytes" ]; then
      [ "$(v1_file memory "/system.slice/$unit" memory.memsw.limit_in_bytes)" = 67108864 ]
    fi
    [ "$(v1_file pids "/system.slice/$unit" pids.max)" = 50 ]
    [ "$(v1_file cpu "/system.slice/$unit" cpu.cfs_quota_us)" = 50000 ]
    [ "$(v1_file cpu "/system.slice/$unit" cpu.cfs_period_us)" = 100000 ]
    [ "$(v1_file cpu "/system.slice/$unit" cpu.shares)" = 1024 ]
  fi
  rt_quiet --systemd-cgroup delete --force "$id"
  [ "$status" -eq 0 ]
  unit_gone "$unit"
  no_scope_dir "$unit"
  left_nothing "$id"
}

@test "--systemd-cgroup run: the container's process runs in the scope and the scope goes with the container" {
  id=$(cid)
  UNITS+=("jrunc-test-$id.scope")
  set_args sh -c 'cat /proc/self/cgroup'
  edit_config ".linux.cgroupsPath = \"system.slice:jrunc-test:$id\""
  rt_quiet --systemd-cgroup run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  # the container has its own cgroup namespace (runc's spec): its root is the scope, in every
  # hierarchy on v1/hybrid (the lines of /proc/self/cgroup: runc warns first of devices it
  # cannot give systemd)
  echo "$output" | grep -E '^[0-9]+:' | grep -v -E '^[0-9]+:misc:' >"$WORK/cg"
  [ "$(tail -n 1 "$WORK/cg" | cut -d: -f1)" = 0 ]
  want=/
  if is_runc && ! cgroup_v2_host; then
    # runc 1.1 on v1 with the systemd driver makes the container's cgroup namespace before the
    # scope holds the process (seen in the lab): it sees the scope's full path
    want="/system.slice/jrunc-test-$id.scope"
  fi
  [ -z "$(awk -F: -v w="$want" '$3 != w' "$WORK/cg")" ]
  unit_gone "jrunc-test-$id.scope"
  left_nothing "$id"
}

@test "--systemd-cgroup update: SetUnitProperties changes the unit and the cgroup files" {
  UNITS+=("jrunc-test-$(cid).scope")
  create_sd "system.slice:jrunc-test:$(cid)" '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 50}}'
  unit="jrunc-test-$id.scope"
  rt_quiet --systemd-cgroup update --memory 134217728 --pids-limit 20 "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(prop "$unit" TasksMax)" = 20 ]
  if cgroup_v2_host; then
    [ "$(prop "$unit" MemoryMax)" = 134217728 ]
    [ "$(cat "/sys/fs/cgroup/system.slice/$unit/memory.max")" = 134217728 ]
    [ "$(cat "/sys/fs/cgroup/system.slice/$unit/pids.max")" = 20 ]
  else
    [ "$(prop "$unit" MemoryLimit)" = 134217728 ]
    [ "$(v1_file memory "/system.slice/$unit" memory.limit_in_bytes)" = 134217728 ]
    [ "$(v1_file pids "/system.slice/$unit" pids.max)" = 20 ]
  fi
}

@test "--systemd-cgroup pause and resume freeze and thaw the scope's cgroup" {
  UNITS+=("jrunc-test-$(cid).scope")
  create_sd "system.slice:jrunc-test:$(cid)"
  rel="/system.slice/jrunc-test-$id.scope"
  rt_quiet --systemd-cgroup pause "$id"
  [ "$status" -eq 0 ]
  [ "$(state "$id" .status)" = paused ]
  if cgroup_v2_host; then
    grep -qx 'frozen 1' "/sys/fs/cgroup$rel/cgroup.events"
  else
    [ "$(v1_file freezer "$rel" freezer.state)" = FROZEN ]
  fi
  rt_quiet --systemd-cgroup resume "$id"
  [ "$status" -eq 0 ]
  [ "$(state "$id" .status)" = created ]
  if cgroup_v2_host; then
    grep -qx 'frozen 0' "/sys/fs/cgroup$rel/cgroup.events"
  else
    [ "$(v1_file freezer "$rel" freezer.state)" = THAWED ]
  fi
}

@test "--systemd-cgroup: an empty cgroupsPath is the runtime's default scope in system.slice" {
  id=$(cid)
  # runc names it runc-ID.scope; jrunc jrunc-ID.scope
  prefix=jrunc
  if is_runc; then prefix=runc; fi
  UNITS+=("$prefix-$id.scope")
  create_sd ""
  [ "$(cg_of "$pid")" = "/system.slice/$prefix-$id.scope" ]
  in_scope_everywhere "$pid" "/system.slice/$prefix-$id.scope"
  [ "$(prop "$prefix-$id.scope" ActiveState)" = active ]
}

@test "--systemd-cgroup: a nested slice is expanded (a-b.slice under a.slice)" {
  id=$(cid)
  UNITS+=("p-$id.scope" "jrunctest-a.slice" "jrunctest.slice")
  create_sd "jrunctest-a.slice:p:$id"
  [ "$(cg_of "$pid")" = "/jrunctest.slice/jrunctest-a.slice/p-$id.scope" ]
  # (runc 1.1 on v1 joins the pid to the slice's devices cgroup, not the scope's, when the slice
  # is nested: seen in the lab)
  if cgroup_v2_host || ! is_runc; then
    in_scope_everywhere "$pid" "/jrunctest.slice/jrunctest-a.slice/p-$id.scope"
  fi
}

@test "--systemd-cgroup: a cgroupsPath not of the slice:prefix:name form is refused with runc's words, nothing left" {
  id=$(cid)
  edit_config '.linux.cgroupsPath = "/jrunc-test/bad"'
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  # (the quotes are escaped in the log line)
  [[ "$output" == *'expected cgroupsPath to be of format '*'slice:prefix:name'*' for systemd cgroups, got '*'/jrunc-test/bad'*' instead'* ]]
  [ -z "$(systemctl list-units --all --no-legend "*$id*")" ]
  left_nothing "$id"
}

@test "--systemd-cgroup: a bad slice name is refused with runc's words, nothing left" {
  id=$(cid)
  edit_config ".linux.cgroupsPath = \"bad--name.slice:jrunc-test:$id\""
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *'invalid slice name: bad--name.slice'* ]]
  unit_gone "jrunc-test-$id.scope"
  left_nothing "$id"
}

@test "--systemd-cgroup: org.systemd.property.* annotations are unit properties (typed GVariant text; a ...Sec name is ...USec in seconds; they override the runtime's own)" {
  UNITS+=("jrunc-test-$(cid).scope")
  create_sd "system.slice:jrunc-test:$(cid)" \
    '.annotations = {"org.systemd.property.TimeoutStopUSec": "uint64 123456789", "org.systemd.property.CollectMode": "'"'inactive-or-failed'"'", "org.systemd.property.RuntimeMaxSec": "3600", "org.systemd.property.Description": "'"'annotated scope'"'"}'
  unit="jrunc-test-$id.scope"
  [ "$(prop "$unit" ActiveState)" = active ]
  [ "$(prop "$unit" TimeoutStopUSec)" = "2min 3.456789s" ]
  [ "$(prop "$unit" CollectMode)" = inactive-or-failed ]
  [ "$(prop "$unit" RuntimeMaxUSec)" = 1h ]
  # the runtime's own Description ("libcontainer container ID") is overridden
  [ "$(prop "$unit" Description)" = "annotated scope" ]
  rt_quiet --systemd-cgroup delete --force "$id"
  [ "$status" -eq 0 ]
  unit_gone "$unit"
  left_nothing "$id"
}

@test "--systemd-cgroup: a bad org.systemd.property.* value or name is refused with runc's words, nothing left" {
  id=$(cid)
  edit_config ".linux.cgroupsPath = \"system.slice:jrunc-test:$id\" | .annotations = {\"org.systemd.property.TimeoutStopUSec\": \"12x\"}"
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  # (the quotes are escaped in the log line)
  [[ "$output" == *'annotation org.systemd.property.TimeoutStopUSec=12x value parse error: bad number syntax: '*'12x'* ]]
  unit_gone "jrunc-test-$id.scope"
  left_nothing "$id"
  edit_config '.annotations = {"org.systemd.property.Foo1": "true"}'
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *'annotation org.systemd.property.Foo1 name incorrect: contains non-alphabetic character'* ]]
  edit_config '.annotations = {"org.systemd.property.TimeoutStopSec": "true"}'
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *'annotation org.systemd.property.TimeoutStopSec=true value parse error: not a number'* ]]
  unit_gone "jrunc-test-$id.scope"
  left_nothing "$id"
}

@test "--systemd-cgroup: an org.systemd.property.* systemd does not know fails the start of the unit, nothing left" {
  id=$(cid)
  UNITS+=("jrunc-test-$id.scope")
  edit_config ".linux.cgroupsPath = \"system.slice:jrunc-test:$id\" | .annotations = {\"org.systemd.property.NoSuchPropertyAtAll\": \"true\"}"
  rt_quiet --systemd-cgroup create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *NoSuchPropertyAtAll* ]]
  unit_gone "jrunc-test-$id.scope"
  left_nothing "$id"
}

@test "--systemd-cgroup: the device rules are the unit's DevicePolicy=strict and DeviceAllow; a device not allowed cannot be opened" {
  UNITS+=("jrunc-test-$(cid).scope")
  # CAP_MKNOD: runc's default rules allow mknod of any device ('c *:* m'); 1:5 (/dev/zero) is in
  # them, 1:11 (/dev/kmsg, opened write-only: no other permission check) is not
  set_args sh -c 'mknod /dev/z c 1 5 && head -c 3 /dev/z | wc -c; mknod /dev/k c 1 11 && echo x >/dev/k; echo "kmsg rc=$?"'
  edit_config '.process.capabilities |= with_entries(.value += ["CAP_MKNOD"])'
  id=$(cid)
  edit_config ".linux.cgroupsPath = \"system.slice:jrunc-test:$id\""
  # the container's stdio: a file of its own (rt_quiet's is truncated by the next command)
  "$RUNTIME" --root "$ROOT" --systemd-cgroup create --bundle "$BUNDLE" "$id" </dev/null >"$WORK/ct.out" 2>&1
  unit="jrunc-test-$id.scope"
  [ "$(prop "$unit" DevicePolicy)" = strict ]
  allow=$(systemctl show -p DeviceAllow "$unit")
  echo "$allow"
  [[ "$allow" == *"/dev/char/1:5 rw"* ]]
  [[ "$allow" == *"char-pts rw"* ]]
  [[ "$allow" != *"1:11"* ]]
  rt_quiet --systemd-cgroup start "$id"
  [ "$status" -eq 0 ]
  wait_for stopped "$id"
  cat "$WORK/ct.out"
  # /dev/zero read (3 bytes; the runtime's warnings come first), /dev/kmsg refused by the device rules
  tr -d ' ' <"$WORK/ct.out" | grep -qx 3
  grep -q 'Operation not permitted' "$WORK/ct.out"
  grep -qx 'kmsg rc=1' "$WORK/ct.out"
}

@test "--systemd-cgroup: delete --force of a create killed with SIGKILL stops the unit (with and without its record)" {
  if is_runc; then
    skip "runc's delete --force after a create killed half-way leaves the container's cgroups (and here the unit)"
  fi
  # the create is killed while its createRuntime hook runs (the unit exists, the record says
  # "creating"); for the second container the record is removed too, as when the kill comes
  # between the unit's start and the record (delete --force then finds the unit from the
  # config create saved)
  for n in 1 2; do
    id=$(cid "$n")
    UNITS+=("jrunc-test-$id.scope")
    edit_config ".linux.cgroupsPath = \"system.slice:jrunc-test:$id\" | .hooks.createRuntime = [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c\", \"echo \$\$ > $WORK/hook$n.pid; exec sleep 600\"]}]"
    # (3>&-: neither the create nor its hook holds bats's output open, should the test fail first)
    "$RUNTIME" --root "$ROOT" --systemd-cgroup create --bundle "$BUNDLE" "$id" </dev/null >"$WORK/create$n.out" 2>&1 3>&- &
    bg=$!
    wait_for test -s "$WORK/hook$n.pid"
    [ "$(prop "jrunc-test-$id.scope" ActiveState)" = active ]
    cpid=$(jq -r .pid "$ROOT/$id/state.json.creating")
    kill -KILL "$bg"
    wait "$bg" || true
    kill -KILL "$(cat "$WORK/hook$n.pid")"
    rm "$WORK/hook$n.pid"
    if [ "$n" = 2 ]; then rm "$ROOT/$id/state.json.creating"; fi
    rt_quiet --systemd-cgroup delete --force "$id"
    echo "$output"
    [ "$status" -eq 0 ]
    [ -z "$(systemctl list-units --all --no-legend "jrunc-test-$id.scope")" ]
    unit_gone "jrunc-test-$id.scope"
    no_scope_dir "jrunc-test-$id.scope"
    [ ! -e "/proc/$cpid" ]
    left_nothing "$id"
  done
}

@test "podman with its systemd cgroup manager runs a container through the runtime (machine.slice:libpod:ID)" {
  require_cmd podman conmon
  # podman's private storage and configuration, as e2e/podman.bats, with the systemd manager
  # on /run (a tmpfs): overlay storage cannot sit on v2lab's overlay root (/tmp there)
  E2E=$(mktemp -d /run/jrunc-sd-podman.XXXXXX)
  export E2E
  podman_private_config "$E2E"
  sed -i 's/^cgroup_manager = .*/cgroup_manager = "systemd"/' "$E2E/containers.conf"
  busybox_archive "$E2E/busybox.tar" localhost/jrunc-sd/busybox:latest
  podman load -q -i "$E2E/busybox.tar" >/dev/null
  run podman --runtime "$RUNTIME" run --rm --memory 64m --pids-limit 30 localhost/jrunc-sd/busybox:latest \
    sh -c 'cat /proc/self/cgroup; cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max 2>/dev/null ||
      cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max'
  echo "status=$status output:"
  echo "$output"
  podman rmi -a -f >/dev/null 2>&1 || true
  [ "$status" -eq 0 ]
  [[ "$output" == *"67108864"* ]]
  [[ "$output" == *"30"* ]]
}
