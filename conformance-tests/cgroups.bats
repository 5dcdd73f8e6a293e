#!/usr/bin/env bats
# The container's cgroup against what the host and the caller put there first: intermediate
# directories, controllers the host does not have, unified keys on a v1 host, a cgroup that is
# already frozen or already has processes. runc's behaviour and words; RUNTIME=runc passes these.
# Every cgroup a test makes is named after $CG and removed in teardown, even when the test fails.

load helpers

setup() {
  setup_runtime
  make_bundle sh -c 'echo container-ran'
  CG="cgconf-$$-$BATS_TEST_NUMBER"
  SLEEPER=
}

teardown() {
  teardown_containers
  if [ -n "$SLEEPER" ]; then
    kill -9 "$SLEEPER" 2>/dev/null || true
    wait "$SLEEPER" 2>/dev/null || true
  fi
  remove_test_cgroups
}

# remove_test_cgroups: thaws every cgroup of this test, kills what is left in them (the
# processes a failed runtime left), removes them deepest first
remove_test_cgroups() {
  local d pid
  for d in $(find /sys/fs/cgroup -maxdepth 4 -type d -path "*/$CG*" 2>/dev/null); do
    if [ -e "$d/freezer.state" ]; then echo THAWED > "$d/freezer.state" 2>/dev/null || true; fi
    if [ -e "$d/cgroup.freeze" ]; then echo 0 > "$d/cgroup.freeze" 2>/dev/null || true; fi
    for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do
      kill -9 "$pid" 2>/dev/null
    done
  done
  for d in $(find /sys/fs/cgroup -maxdepth 4 -depth -type d -path "*/$CG*" 2>/dev/null); do
    wait_for rmdir "$d" 2>/dev/null || true
  done
  return 0
}

# v1 hierarchies mounted by the host with controller $1
has_v1_controller() {
  awk -F: -v c="$1" '$2 != "" { n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) found = 1 } END { exit !found }' /proc/self/cgroup
}

# only cgroup2 mounted at /sys/fs/cgroup (runc's IsCgroup2UnifiedMode)
unified_host() {
  [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]
}

# cg_dir CONTROLLER: the directory of $CG in the hierarchy of CONTROLLER (v1), or in cgroup2
cg_dir() {
  if unified_host; then
    echo "/sys/fs/cgroup/$CG"
  else
    echo "/sys/fs/cgroup/$1/$CG"
  fi
}

@test "a cgroupsPath under a new intermediate directory runs; delete removes the container's directory, not the intermediate one" {
  edit_config ".linux.cgroupsPath = \"/$CG/ctr\""
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *container-ran* ]]
  [ -z "$("$RUNTIME" --root "$ROOT" list -q)" ]
  run find /sys/fs/cgroup -maxdepth 4 -type d -path "*/$CG/ctr"
  [ -z "$output" ]
  [ -d "$(cg_dir cpuset)" ]
}

@test "a cgroupsPath under an intermediate directory another tool made, with an empty cpuset, runs (the parent's cpus and mems are copied down)" {
  has_v1_controller cpuset || skip "no cgroup v1 cpuset hierarchy on this host"
  mkdir /sys/fs/cgroup/cpuset/"$CG"
  [ -z "$(cat /sys/fs/cgroup/cpuset/"$CG"/cpuset.cpus)" ]
  edit_config ".linux.cgroupsPath = \"/$CG/ctr\""
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *container-ran* ]]
  [[ "$output" != *"No space left"* ]]
  [ "$(cat /sys/fs/cgroup/cpuset/"$CG"/cpuset.cpus)" = "$(cat /sys/fs/cgroup/cpuset/cpuset.cpus)" ]
  [ "$(cat /sys/fs/cgroup/cpuset/"$CG"/cpuset.mems)" = "$(cat /sys/fs/cgroup/cpuset/cpuset.mems)" ]
  [ ! -e /sys/fs/cgroup/cpuset/"$CG"/ctr ]
}

@test "a limit of a controller the host does not mount is refused in runc's words, leaving nothing" {
  unified_host && skip "cgroup v2 host: every limit goes to the unified hierarchy"
  local tried=0 c filter
  for c in net_cls net_prio hugetlb rdma; do
    has_v1_controller "$c" && continue
    case $c in
      net_cls) filter='.linux.resources.network = {"classID": 1048577}' ;;
      net_prio) filter='.linux.resources.network = {"priorities": [{"name": "lo", "priority": 5}]}' ;;
      hugetlb) filter='.linux.resources.hugepageLimits = [{"pageSize": "2MB", "limit": 2097152}]' ;;
      rdma) filter='.linux.resources.rdma = {"mlx5_1": {"hcaHandles": 3}}' ;;
    esac
    tried=$((tried + 1))
    cp "$BUNDLE/config.json" "$WORK/config.saved"
    edit_config "$filter"
    id=$(cid "$c")
    rt_quiet run --bundle "$BUNDLE" "$id"
    echo "$c: status=$status $output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"cannot set $c limit: container could not join or create cgroup"* ]]
    [[ "$output" != *container-ran* ]]
    left_nothing "$id"
    mv "$WORK/config.saved" "$BUNDLE/config.json"
  done
  [ "$tried" -gt 0 ] || skip "the host mounts net_cls, net_prio, hugetlb and rdma"
}

@test "unified keys on a cgroup v1 host are refused in runc's words, leaving nothing" {
  unified_host && skip "cgroup v2 host: unified keys are written"
  edit_config '.linux.resources.unified = {"memory.high": "100000000"}'
  id=$(cid)
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"invalid configuration: cannot use unified on cgroup v1"* ]]
  [[ "$output" != *container-ran* ]]
  left_nothing "$id"
}

@test "create in a cgroup that is already frozen is refused in runc's words, leaving nothing (the frozen cgroup stays as it was)" {
  local dir
  if unified_host; then
    dir=/sys/fs/cgroup/$CG
    mkdir "$dir"
    [ -e "$dir/cgroup.freeze" ] || skip "cgroup v2 without cgroup.freeze"
    echo 1 > "$dir/cgroup.freeze"
    wait_for grep -qx 'frozen 1' "$dir/cgroup.events"
  else
    has_v1_controller freezer || skip "no cgroup v1 freezer hierarchy on this host"
    dir=/sys/fs/cgroup/freezer/$CG
    mkdir "$dir"
    echo FROZEN > "$dir/freezer.state"
    wait_for grep -qx FROZEN "$dir/freezer.state"
  fi
  edit_config ".linux.cgroupsPath = \"/$CG\""
  id=$(cid)
  # the bound only keeps a hang from stopping the suite; it is not what is tested
  set +e
  timeout -s KILL 100 "$RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >"$WORK/rt.out" 2>&1
  status=$?
  set -e
  cat "$WORK/rt.out"
  [ "$status" -ne 0 ]
  [ "$status" -ne 137 ]
  grep -q "container's cgroup unexpectedly frozen" "$WORK/rt.out"
  [ -z "$("$RUNTIME" --root "$ROOT" list -q 2>/dev/null)" ]
  [ ! -e "$ROOT/$id" ]
  [ -d "$dir" ]
  [ -z "$(cat "$dir/cgroup.procs")" ]
  run find /sys/fs/cgroup -maxdepth 3 -type d -name "$CG"
  [ "$output" = "$dir" ]
}

@test "create in a cgroup that already has processes warns in runc's words and goes on" {
  local dir
  if unified_host; then
    dir=/sys/fs/cgroup/$CG
  else
    has_v1_controller devices || skip "no cgroup v1 devices hierarchy (where runc counts the processes)"
    dir=/sys/fs/cgroup/devices/$CG
  fi
  mkdir "$dir"
  sleep 300 &
  SLEEPER=$!
  echo "$SLEEPER" > "$dir/cgroup.procs"
  set_args sleep 1000
  edit_config ".linux.cgroupsPath = \"/$CG\""
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"container's cgroup is not empty: 1 process(es) found"* ]]
  [ "$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .status)" = created ]
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  grep -qx "$pid" "$dir/cgroup.procs"
  rt_quiet delete --force "$id"
  echo "$output"
  [ ! -e "$ROOT/$id" ]
}
