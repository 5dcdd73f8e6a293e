#!/usr/bin/env bats
# Process attributes, checked from inside the container: oomScoreAdj, HOME, personality, time
# namespace offsets, scheduler, ioPriority, the CPU affinity of the init, and the errors of bad
# values. runc 1.1.5 lacks several of these: those tests skip for runc older than the release
# that brought them, never for another runtime.

load helpers

setup() {
  setup_runtime
  make_bundle true
}

teardown() {
  teardown_containers
}

@test "oomScoreAdj is written; without it the caller's value is inherited" {
  set_args cat /proc/self/oom_score_adj
  edit_config '.process.oomScoreAdj = 345'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "345" ]

  edit_config 'del(.process.oomScoreAdj)'
  run bash -c 'echo 77 > /proc/self/oom_score_adj && exec "$0" --root "$1" run --bundle "$2" "$3"' \
    "$RUNTIME" "$ROOT" "$BUNDLE" "$(cid 2)"
  [ "$status" -eq 0 ]
  [ "$output" = "77" ]
}

@test "HOME comes from the container's /etc/passwd, else /, unless the env sets it" {
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'app:x:1000:1000:App:/home/app:/bin/sh' > "$BUNDLE/rootfs/etc/passwd"
  set_args sh -c 'echo "HOME=$HOME"'
  edit_config '.process.user.uid = 1000 | .process.user.gid = 1000 | .process.env = ["PATH=/bin", "HOME="]'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "HOME=/home/app" ]

  edit_config '.process.user.uid = 4242'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "HOME=/" ]

  edit_config '.process.env = ["PATH=/bin", "HOME=/mine"]'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "HOME=/mine" ]
}

@test "personality LINUX32: uname -m reports a 32-bit machine" {
  if runc_before 1.2.0; then skip "runc < 1.2 ignores linux.personality"; fi
  [ "$(uname -m)" = x86_64 ] || skip "LINUX32 is checked on x86_64 hosts"
  set_args sh -c 'uname -m; cat /proc/self/personality'
  edit_config '.linux.personality = {"domain": "LINUX32"}'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'i686\n00000008')" ]

  # runc sets the domain only, and warns about flags
  edit_config '.linux.personality.flags = ["ADDR_NO_RANDOMIZE"]'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"ignoring unsupported personality flags: [ADDR_NO_RANDOMIZE]"* ]]
  [[ "$output" == *"00000008"* ]]
}

@test "timeOffsets apply in a new time namespace; offsets without one are refused" {
  if runc_before 1.2.0; then skip "runc < 1.2 has no time namespace support"; fi
  require_ns time
  set_args cat /proc/self/timens_offsets
  edit_config '.linux.namespaces += [{"type": "time"}]
    | .linux.timeOffsets = {"monotonic": {"secs": 7881, "nanosecs": 2718281}, "boottime": {"secs": -1337, "nanosecs": 3141519}}'
  run_ct
  [ "$status" -eq 0 ]
  grep -Eq '^monotonic +7881 +2718281$' <<<"$output"
  grep -Eq '^boottime +-1337 +3141519$' <<<"$output"

  edit_config '.linux.namespaces |= map(select(.type != "time"))'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"time namespace offsets specified, but time namespace isn't enabled in the config"* ]]
  left_nothing
}

@test "scheduler: policy and nice are applied; runc's rules refuse bad combinations" {
  if runc_before 1.2.0; then skip "runc < 1.2 ignores process.scheduler"; fi
  set_args sh -c 'grep -E "^policy" /proc/self/sched | tr -d " "; cut -d" " -f19 /proc/self/stat'
  edit_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'policy:3\n5')" ]

  edit_config '.process.scheduler = {"policy": "SCHED_OTHER", "priority": 5}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"scheduler.priority can only be specified for SchedFIFO or SchedRR policy"* ]]
  left_nothing

  edit_config '.process.scheduler = {"policy": "SCHED_RR", "priority": 1, "runtime": 1000}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"scheduler runtime/deadline/period can only be specified for SchedDeadline policy"* ]]
  left_nothing
}

@test "ioPriority: class and level are applied; a level above 7 is refused" {
  if runc_before 1.2.0; then skip "runc < 1.2 ignores process.ioPriority"; fi
  require_busybox_applet ionice
  set_args ionice
  edit_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "best-effort: prio 6" ]

  edit_config '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "idle" ]

  edit_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 8}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"invalid ioPriority.Priority: 8"* ]]
  left_nothing
}

@test "the init does not keep the caller's CPU affinity, and execCPUAffinity is not for the init" {
  if runc_before 1.2.7; then skip "runc < 1.2.7 lets the container inherit runc's CPU affinity"; fi
  require_cmd taskset nproc
  [ "$(nproc --all)" -gt 1 ] || skip "needs two CPUs"
  mine=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
  [ "$mine" != 0 ] || skip "this shell is itself pinned to CPU 0"
  set_args grep Cpus_allowed_list: /proc/self/status
  edit_config '.process.execCPUAffinity = {"initial": "0", "final": "0"}'
  run taskset -c 0 "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'Cpus_allowed_list:\t%s' "$mine")" ]
}

@test "a malformed execCPUAffinity list is refused" {
  if runc_before 1.3.0; then skip "runc < 1.3 ignores process.execCPUAffinity"; fi
  edit_config '.process.execCPUAffinity = {"initial": "3-1"}'
  run_ct
  [ "$status" -ne 0 ]
  left_nothing
}

@test "a cwd only root can enter works for another user, in run and in exec --user (runc chdirs before the user changes)" {
  mkdir -p "$BUNDLE/rootfs/root"
  chmod 0700 "$BUNDLE/rootfs/root"
  set_args sh -c 'pwd; id -u'
  edit_config '.process.cwd = "/root" | .process.user = {uid: 1000, gid: 1000}'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '/root\n1000')" ]

  set_args sleep 100
  edit_config '.process.cwd = "/" | .process.user = {uid: 0, gid: 0}'
  id=$(cid 2)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" exec --user 1000:1000 --cwd /root "$id" sh -c 'pwd; id -u' </dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf '/root\n1000')" ]
  # a cwd that does not exist is still an error
  run "$RUNTIME" --root "$ROOT" exec --user 1000:1000 --cwd /nowhere "$id" true </dev/null
  echo "$output"
  [ "$status" -ne 0 ]
  # (runc's text log escapes the quotes)
  [[ "$output" == *'chdir to cwd ('*'/nowhere'*') set in config.json failed: no such file or directory'* ]]
}
