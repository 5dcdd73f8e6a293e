#!/usr/bin/env bats
# Robustness under load and faults: a corrupt state.json, parallel lifecycles, and create killed
# with SIGKILL half-way. After each, nothing may be left: state directory, cgroup, process, mount,
# open file of the bundle. Bounded: every wait is bounded, the counts are fixed.

load helpers

setup() {
  require_root
  setup_runtime
  make_bundle sleep 1000
  IDS=()
}

teardown() {
  local id
  # a state.json a test corrupted is put back first (runc cannot delete the container without it)
  for id in "${IDS[@]}"; do
    if [ -f "$WORK/good.$id" ] && [ -d "$ROOT/$id" ]; then
      cp "$WORK/good.$id" "$ROOT/$id/state.json"
    fi
  done
  # half-created containers (no state.json) are not listed: delete them by id too
  for id in "${IDS[@]}"; do
    "$RUNTIME" --root "$ROOT" delete --force "$id" >/dev/null 2>&1 || true
  done
  teardown_containers
}

# pids_in_cgroups ID: the pids of every cgroup directory named ID, in every hierarchy
pids_in_cgroups() {
  local d
  for d in $(find /sys/fs/cgroup -maxdepth 4 -type d -name "$1" 2>/dev/null); do
    cat "$d/cgroup.procs" 2>/dev/null
  done
}

# rootfs_processes: pids of processes whose root is this test's rootfs (a container left running)
rootfs_processes() {
  local p root
  root=$(readlink -f "$BUNDLE/rootfs")
  for p in /proc/[0-9]*; do
    if [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ]; then
      echo "${p#/proc/}"
    fi
  done
}

# nothing_left ID...: no state directory, cgroup, process, mount or open fd of this test's work
# dir remains for the IDs; says what is left on stderr
nothing_left() {
  local id left=0 procs fds
  for id in "$@"; do
    if [ -e "$ROOT/$id" ]; then
      echo "left: state directory $ROOT/$id" >&2
      left=1
    fi
    if ! cgroup_gone "$id"; then
      echo "left: cgroups $(find /sys/fs/cgroup -maxdepth 4 -type d -name "$id" | tr '\n' ' ') (pids: $(pids_in_cgroups "$id" | tr '\n' ' '))" >&2
      left=1
    fi
  done
  procs=$(rootfs_processes)
  if [ -n "$procs" ]; then
    echo "left: processes in the rootfs: $procs" >&2
    left=1
  fi
  if grep -q " $WORK" /proc/self/mountinfo; then
    echo "left: mounts under $WORK: $(grep " $WORK" /proc/self/mountinfo)" >&2
    left=1
  fi
  fds=$(find /proc/[0-9]*/fd -lname "$WORK/*" 2>/dev/null | grep -v "^/proc/$$/" || true)
  if [ -n "$fds" ]; then
    echo "left: open files under $WORK: $fds" >&2
    left=1
  fi
  [ "$left" -eq 0 ]
}

# corrupt_state ID: replaces state.json with a wrong-typed document (pid a string, phase a
# number); the good one is kept for teardown
corrupt_state() {
  [ -f "$WORK/good.$1" ] || cp "$ROOT/$1/state.json" "$WORK/good.$1"
  printf '{"id": 5, "pid": "x", "phase": 3, "cgroupPaths": [1]}' > "$ROOT/$1/state.json"
}

@test "a corrupt state.json: list names it and lists the other containers, state fails" {
  a=$(cid a) b=$(cid b)
  IDS=("$a" "$b")
  rt_quiet create --bundle "$BUNDLE" "$a"
  [ "$status" -eq 0 ]
  rt_quiet create --bundle "$BUNDLE" "$b"
  [ "$status" -eq 0 ]
  corrupt_state "$a"
  run "$RUNTIME" --root "$ROOT" list
  [ "$status" -eq 0 ]
  [[ "$output" == *"$b"*created* ]]
  # runc: "load container ID: json: cannot unmarshal ..."; jrunc: the file's path and why
  [[ "$output" == *"$a"* ]]
  [[ "$output" != *java.* && "$output" != *Exception* && "$output" != *"internal error"* ]]
  run "$RUNTIME" --root "$ROOT" state "$a"
  [ "$status" -ne 0 ]
  [[ "$output" != *java.* && "$output" != *Exception* && "$output" != *"internal error"* ]]
  if ! is_runc; then
    [[ "$output" == *"corrupt state file $ROOT/$a/state.json: "* ]]
  fi
  bad_states=('' '{"id":' 'not json' '[]' '{"pid": 99999999999999999999}')
  if ! is_runc; then
    # runc 1.1.5's list panics (nil pointer dereference) on a state.json of null
    bad_states+=('null')
  fi
  for bad in "${bad_states[@]}"; do
    printf '%s' "$bad" > "$ROOT/$a/state.json"
    run "$RUNTIME" --root "$ROOT" list -q
    [ "$status" -eq 0 ]
    [[ "$output" == *"$b"* ]]
    run "$RUNTIME" --root "$ROOT" state "$a"
    [ "$status" -ne 0 ]
    [[ "$output" != *java.* && "$output" != *Exception* && "$output" != *"internal error"* ]]
  done
}

@test "delete --force of a container with a corrupt state.json kills its init and removes its cgroups" {
  if is_runc; then
    skip "runc refuses to delete a container whose state.json it cannot read, and leaves its init and cgroups"
  fi
  id=$(cid)
  IDS=("$id")
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  [ -n "$(pids_in_cgroups "$id")" ]
  corrupt_state "$id"
  run "$RUNTIME" --root "$ROOT" delete "$id"
  [ "$status" -ne 0 ]
  [ -d "$ROOT/$id" ]
  run "$RUNTIME" --root "$ROOT" delete --force "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
  nothing_left "$id"
}

@test "delete --force of a container whose state.json is gone (create cut short) kills and removes what it made" {
  if is_runc; then
    skip "runc removes the state directory of a container without state.json but leaves its cgroups and processes"
  fi
  id=$(cid)
  IDS=("$id")
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  rm "$ROOT/$id/state.json"
  run "$RUNTIME" --root "$ROOT" delete --force "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
  nothing_left "$id"
}

# cycles WORKER COUNT: create, start, kill, delete COUNT times; fails on the first error
cycles() {
  local w=$1 n=$2 i id
  for i in $(seq "$n"); do
    id=$(cid "w$w-$i")
    "$RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>>"$WORK/worker$w.err" || return 1
    "$RUNTIME" --root "$ROOT" start "$id" </dev/null >/dev/null 2>>"$WORK/worker$w.err" || return 1
    "$RUNTIME" --root "$ROOT" kill "$id" KILL </dev/null >/dev/null 2>>"$WORK/worker$w.err" || return 1
    "$RUNTIME" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>>"$WORK/worker$w.err" || return 1
  done
}

# stress_cycles: 100 per worker; STRESS_CYCLES overrides. A JVM launcher (a script, ~1 s per
# command on a loaded 2-core host) gets 10: 100 would take over 20 minutes there.
stress_cycles() {
  if [ -n "${STRESS_CYCLES:-}" ]; then
    echo "$STRESS_CYCLES"
  elif [ "$(head -c 2 "$RUNTIME")" = "#!" ]; then
    echo 10
  else
    echo 100
  fi
}

@test "4 parallel workers x 100 create/start/kill/delete cycles leave nothing behind" {
  n=$(stress_cycles)
  pids=()
  for w in 1 2 3 4; do
    cycles "$w" "$n" &
    pids+=("$!")
  done
  failed=0
  for p in "${pids[@]}"; do
    wait "$p" || failed=1
  done
  cat "$WORK"/worker*.err >&2 || true
  [ "$failed" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" list -q
  [ -z "$output" ]
  ids=()
  for w in 1 2 3 4; do
    for i in $(seq "$n"); do
      ids+=("$(cid "w$w-$i")")
    done
  done
  nothing_left "${ids[@]}"
}

@test "create killed with SIGKILL at random points 50 times, then delete --force: nothing left" {
  if is_runc; then
    skip "runc's delete --force after a create killed half-way leaves the container's cgroups in every hierarchy"
  fi
  # how long create runs once its state directory exists: the kill points spread over it
  id=$(cid calibrate)
  IDS=("$id")
  "$RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 &
  bg=$!
  wait_for test -d "$ROOT/$id"
  t0=$(date +%s%N)
  wait "$bg"
  span=$(( ($(date +%s%N) - t0) / 1000000 + 5 ))
  "$RUNTIME" --root "$ROOT" delete --force "$id"
  echo "create runs ${span} ms after its state directory appears"
  for i in $(seq 50); do
    id=$(cid "k$i")
    IDS=("$id") # the ones before are gone (checked below): teardown deletes only this one
    "$RUNTIME" --root "$ROOT" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 &
    bg=$!
    if [ $((i % 5)) -ne 0 ]; then
      # most kills after the state directory exists (where a kill leaves cgroups behind)
      wait_for test -d "$ROOT/$id" || true
    fi
    sleep "$(awk -v ms=$((RANDOM % span)) 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -KILL "$bg" 2>/dev/null || true
    wait "$bg" || true
    "$RUNTIME" --root "$ROOT" delete --force "$id" </dev/null >"$WORK/delete.out" 2>&1 || { cat "$WORK/delete.out"; false; }
    nothing_left "$id"
  done
}
