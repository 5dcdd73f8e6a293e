#!/usr/bin/env bats
# The runtime's own contract: --pid-file, --preserve-fds, state JSON, annotations, cgroupsPath,
# kill --all, the exec fifo, run -d / --keep, and the host-side hooks (prestart, createRuntime,
# poststart, poststop).

load helpers

setup() {
  setup_runtime
  make_bundle true
  edit_config '.root.readonly = false'
  CGDIRS=()
  SLEEPERS=()
}

teardown() {
  local p
  for p in "${SLEEPERS[@]}"; do
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  teardown_containers
  local d
  for d in "${CGDIRS[@]}"; do
    find /sys/fs/cgroup/*/"$d" /sys/fs/cgroup/"$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}

status_is() { # ID STATUS
  [ "$(state "$1" .status 2>/dev/null)" = "$2" ]
}

@test "--pid-file: create and run -d write the init's pid; a relative path is from the cwd" {
  id=$(cid)
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" --pid-file "$WORK/create.pid" "$id"
  [ "$status" -eq 0 ]
  [ "$(cat "$WORK/create.pid")" = "$(state "$id" .pid)" ]
  [ "$(cat "$WORK/create.pid" | wc -l)" -le 1 ]
  cd "$WORK"
  rt_quiet run -d --bundle "$BUNDLE" --pid-file rel.pid "$(cid 2)"
  [ "$status" -eq 0 ]
  pid=$(cat "$WORK/rel.pid")
  [ "$pid" = "$(state "$(cid 2)" .pid)" ]
  grep -q sleep "/proc/$pid/cmdline"
}

@test "a created container's init runs from an executable nobody can write (CVE-2019-5736)" {
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  # the attack: hold the init's executable, wait until nothing runs it, then write to it
  exec 9<"/proc/$pid/exe"
  rt_quiet delete --force "$id"
  [ "$status" -eq 0 ]
  run sh -c 'echo corrupted >> /dev/fd/9'
  exec 9<&-
  [ "$status" -ne 0 ]
}

@test "--preserve-fds N passes fds 3..3+N-1; without it fd 3 is closed" {
  echo preserved-content > "$WORK/fd3"
  set_args sh -c 'cat <&3'
  (
    set +e
    exec 3<"$WORK/fd3"
    "$RUNTIME" --root "$ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$(cid)" >"$WORK/out" 2>&1 </dev/null
    echo "rc=$?" >>"$WORK/out"
    "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid 2)" >"$WORK/out2" 2>&1 </dev/null
    echo "rc=$?" >>"$WORK/out2"
  )
  cat "$WORK/out" "$WORK/out2"
  [ "$(cat "$WORK/out")" = "$(printf 'preserved-content\nrc=0')" ]
  grep -q "rc=[1-9]" "$WORK/out2"
  ! grep -q preserved-content "$WORK/out2"
}

@test "state: ociVersion, id, status, pid, absolute bundle, rootfs, created, annotations" {
  id=$(cid)
  set_args sleep 100
  edit_config '.annotations = {"org.example.key": "value", "other": ""}'
  cd "$WORK"
  rt_quiet create --bundle bundle "$id"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" state "$id"
  [ "$status" -eq 0 ]
  echo "$output"
  [ "$(jq -r .id <<<"$output")" = "$id" ]
  [ "$(jq -r .status <<<"$output")" = created ]
  [[ "$(jq -r .ociVersion <<<"$output")" =~ ^1\.[0-9]+\.[0-9]+ ]]
  [ "$(jq -r .pid <<<"$output")" -gt 1 ]
  [ "$(jq -r .bundle <<<"$output")" = "$WORK/bundle" ]
  [ "$(jq -r .rootfs <<<"$output")" = "$WORK/bundle/rootfs" ]
  [[ "$(jq -r .created <<<"$output")" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T ]]
  [ "$(jq -c .annotations <<<"$output")" = '{"org.example.key":"value","other":""}' ]
  run "$RUNTIME" --root "$ROOT" list --format json
  [ "$(jq -r '.[0].id' <<<"$output")" = "$id" ]
  [ "$(jq -r '.[0].annotations["org.example.key"]' <<<"$output")" = value ]
}

@test "the exec fifo: a created container's process has not run until start" {
  id=$(cid)
  set_args touch /tmp/started
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  [ ! -e "$BUNDLE/rootfs/tmp/started" ]
  status_is "$id" created
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  wait_for test -e "$BUNDLE/rootfs/tmp/started"
  wait_for status_is "$id" stopped
}

@test "run -d returns while the container runs; run --keep leaves it stopped" {
  id=$(cid)
  set_args sleep 100
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  status_is "$id" running
  kill -0 "$(state "$id" .pid)"
  set_args sh -c 'exit 3'
  rt_quiet run --keep --bundle "$BUNDLE" "$(cid keep)"
  [ "$status" -eq 3 ]
  status_is "$(cid keep)" stopped
  run "$RUNTIME" --root "$ROOT" delete "$(cid keep)"
  [ "$status" -eq 0 ]
  cgroup_gone "$(cid keep)"
}

@test "delete of a running container without --force fails with runc's text" {
  id=$(cid)
  set_args sleep 100
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  run "$RUNTIME" --root "$ROOT" delete "$id"
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot delete container $id that is not stopped: running"* ]]
  status_is "$id" running
}

@test "kill --all signals every process of the container" {
  id=$(cid)
  set_args sh -c 'sleep 100 & sleep 100 & wait'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  wait_for eval '[ "$(cat /proc/$pid/task/$pid/children 2>/dev/null | wc -w)" -eq 2 ]'
  children=$(cat /proc/$pid/task/$pid/children)
  run "$RUNTIME" --root "$ROOT" kill --all "$id" KILL
  [ "$status" -eq 0 ]
  for p in $pid $children; do
    wait_for dead "$p"
  done
  wait_for status_is "$id" stopped
}

@test "an absolute cgroupsPath is the container's cgroup; delete removes it" {
  require_cgroup_v1 pids
  id=$(cid)
  cg="conf-cg-$$-$BATS_TEST_NUMBER"
  CGDIRS+=("$cg")
  set_args sleep 100
  edit_config '.linux.cgroupsPath = "/'"$cg"'/leaf"'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  grep -qx "$pid" "/sys/fs/cgroup/pids/$cg/leaf/cgroup.procs"
  grep -q ":pids:/$cg/leaf$" "/proc/$pid/cgroup"
  run "$RUNTIME" --root "$ROOT" delete --force "$id"
  [ "$status" -eq 0 ]
  [ ! -d "/sys/fs/cgroup/pids/$cg/leaf" ]
}

@test "a relative cgroupsPath ends the container's cgroup path" {
  require_cgroup_v1 pids
  id=$(cid)
  cg="conf-rel-$$-$BATS_TEST_NUMBER"
  CGDIRS+=("$cg")
  edit_config '.linux.cgroupsPath = "'"$cg"'/leaf"'
  edit_config 'del(.linux.namespaces[] | select(.type == "cgroup"))'
  set_args grep :pids: /proc/self/cgroup
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"/$cg/leaf" ]]
}

# cgroup_mounts: the mount point of every cgroup hierarchy
cgroup_mounts() {
  awk '{ split($0, a, " - "); split(a[2], t, " "); split(a[1], f, " ") }
       t[1] == "cgroup" || t[1] == "cgroup2" { print f[5] }' /proc/self/mountinfo
}

# private_cgroup REL: makes the cgroup REL (a path of CGDIRS' first entry) in every hierarchy;
# a new v1 cpuset level gets its parent's cpus and mems (an empty one refuses tasks)
private_cgroup() {
  local m d rel part
  for m in $(cgroup_mounts); do
    d=$m
    rel=$1
    for part in ${rel//\// }; do
      d="$d/$part"
      if [ ! -d "$d" ]; then
        mkdir "$d"
        if [ -f "$d/cpuset.cpus" ]; then
          cat "$(dirname "$d")/cpuset.cpus" > "$d/cpuset.cpus"
          cat "$(dirname "$d")/cpuset.mems" > "$d/cpuset.mems"
        fi
      fi
    done
  done
}

# in_cgroup REL CMD...: runs CMD as a process of the cgroup REL in every hierarchy (exit 97 if
# it cannot join)
IN_CGROUP='rel=$1; shift; for m in $(awk '"'"'{ split($0, a, " - "); split(a[2], t, " "); split(a[1], f, " ") }
    t[1] == "cgroup" || t[1] == "cgroup2" { print f[5] }'"'"' /proc/self/mountinfo); do
    echo $$ > "$m/$rel/cgroup.procs" || exit 97; done; exec "$@"'
in_cgroup() {
  sh -c "$IN_CGROUP" sh "$@"
}

# sleeper_in REL: a sleeping process of the cgroup REL (the caller's other process), in SLEEPERS
sleeper_in() {
  sh -c "$IN_CGROUP" sh "$1" sleep 1000 &
  SLEEPERS+=($!)
  wait_for grep -qx "$!" "$(cgroup_mounts | head -n 1)/$1/cgroup.procs"
}

# rt_in_cgroup REL ARGS...: rt_quiet, with the runtime in the cgroup REL
rt_in_cgroup() {
  local rel=$1
  shift
  set +e
  in_cgroup "$rel" "$RUNTIME" --root "$ROOT" "$@" </dev/null >"$WORK/rt.out" 2>&1
  status=$?
  set -e
  output=$(cat "$WORK/rt.out")
}

@test "a cgroupsPath that holds the runtime's own cgroup (., itself, an ancestor) is refused; nothing in it is killed" {
  if is_runc; then
    skip "runc makes the container in its own cgroup or an ancestor as asked (its delete and kill --all then signal the caller too)"
  fi
  id=$(cid)
  cg="conf-self-$$-$BATS_TEST_NUMBER"
  CGDIRS+=("$cg")
  private_cgroup "$cg/inner"
  # the caller's other process, beside the runtime
  sleeper_in "$cg/inner"
  set_args sleep 100
  for path in . "/$cg/inner" "/$cg" "/$cg/inner/"; do
    edit_config '.linux.cgroupsPath = "'"$path"'"'
    rt_in_cgroup "$cg/inner" create --bundle "$BUNDLE" "$id"
    echo "$path: status=$status $output"
    [ "$status" -ne 0 ]
    [ "$status" -ne 97 ]
    [[ "$output" == *"invalid cgroupsPath $path: "*" holds the cgroup this runtime runs in"* ]]
    left_nothing "$id"
    kill -0 "${SLEEPERS[0]}"
  done
  # a cgroup below it is the container's own, as before
  edit_config '.linux.cgroupsPath = "ctr"'
  rt_in_cgroup "$cg/inner" run -d --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  grep -qx "$pid" "$(cgroup_mounts | head -n 1)/$cg/inner/ctr/cgroup.procs"
  rt_in_cgroup "$cg/inner" delete --force "$id"
  [ "$status" -eq 0 ]
  kill -0 "${SLEEPERS[0]}"
  for m in $(cgroup_mounts); do
    [ -d "$m/$cg/inner" ]
  done
}

@test "delete and kill --all run from inside the container's cgroup signal neither the runtime nor its caller" {
  id=$(cid)
  cg="conf-self-$$-$BATS_TEST_NUMBER"
  CGDIRS+=("$cg")
  set_args sleep 100
  edit_config '.linux.cgroupsPath = "/'"$cg"'/ct"'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  # a process of the caller's joins the container's cgroup, and the runtime is run from there
  sleeper_in "$cg/ct"
  if ! is_runc; then
    # runc freezes the cgroup, itself in it, and never returns. Bounded: a runtime still there
    # after 60 s is thawed (it froze itself) and the test fails
    in_cgroup "$cg/ct" "$RUNTIME" --root "$ROOT" kill --all "$id" KILL </dev/null >"$WORK/kill.out" 2>&1 &
    killer=$!
    SECONDS=0
    while kill -0 "$killer" 2>/dev/null && [ "$SECONDS" -lt 60 ]; do sleep 0.2; done
    if kill -0 "$killer" 2>/dev/null; then
      if [ -f "/sys/fs/cgroup/freezer/$cg/ct/freezer.state" ]; then
        echo THAWED > "/sys/fs/cgroup/freezer/$cg/ct/freezer.state"
      fi
      if [ -f "/sys/fs/cgroup/$cg/ct/cgroup.freeze" ]; then
        echo 0 > "/sys/fs/cgroup/$cg/ct/cgroup.freeze"
      fi
      echo "kill --all froze itself in the container's cgroup"
      false
    fi
    status=0
    wait "$killer" || status=$?
    cat "$WORK/kill.out"
    [ "$status" -ne 0 ]
    grep -q "holds this runtime" "$WORK/kill.out"
    kill -0 "$pid"
  fi
  rt_in_cgroup "$cg/ct" delete --force "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
  kill -0 "${SLEEPERS[0]}"
  left_nothing "$id"
}

@test "a container's default cgroup is named after its id and removed by delete" {
  require_cgroup_v1 pids
  id=$(cid)
  set_args sleep 100
  edit_config 'del(.linux.namespaces[] | select(.type == "cgroup"))'
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  pid=$(state "$id" .pid)
  grep -q ":pids:.*/$id$" "/proc/$pid/cgroup"
  run "$RUNTIME" --root "$ROOT" delete --force "$id"
  [ "$status" -eq 0 ]
  cgroup_gone "$id"
}

# hook NAME: a hook that saves the state it reads on stdin to $WORK/NAME.json
hook() {
  echo '{"path": "/bin/sh", "args": ["sh", "-c", "cat > '"$WORK/$1"'.json"]}'
}

@test "hooks: createRuntime and prestart at create, poststart at start, poststop at delete" {
  id=$(cid)
  set_args sleep 100
  edit_config ".hooks = {\"createRuntime\": [$(hook createRuntime)], \"prestart\": [$(hook prestart)],
    \"poststart\": [$(hook poststart)], \"poststop\": [$(hook poststop)]}"
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$(state "$id" .pid)
  for h in createRuntime prestart; do
    [ "$(jq -r .id "$WORK/$h.json")" = "$id" ]
    [ "$(jq -r .pid "$WORK/$h.json")" = "$pid" ]
    [ "$(jq -r .bundle "$WORK/$h.json")" = "$BUNDLE" ]
  done
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  wait_for test -s "$WORK/poststart.json"
  [ "$(jq -r .id "$WORK/poststart.json")" = "$id" ]
  [ "$(jq -r .pid "$WORK/poststart.json")" = "$pid" ]
  [ ! -e "$WORK/poststop.json" ]
  run "$RUNTIME" --root "$ROOT" delete --force "$id"
  [ "$status" -eq 0 ]
  wait_for test -s "$WORK/poststop.json"
  [ "$(jq -r .id "$WORK/poststop.json")" = "$id" ]
}

@test "hooks: poststart runs after the process started, not at create" {
  if runc_before 1.2; then skip "runc < 1.2 runs poststart hooks at create"; fi
  id=$(cid)
  set_args sleep 100
  edit_config ".hooks = {\"poststart\": [$(hook poststart)]}"
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  [ ! -e "$WORK/poststart.json" ]
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  [ -s "$WORK/poststart.json" ]
  [ "$(jq -r .status "$WORK/poststart.json")" = running ]
}

@test "hooks run in order, with their args and env" {
  id=$(cid)
  edit_config '.hooks.prestart = [
    {"path": "/bin/sh", "args": ["sh", "-c", "echo first $0 $HOOKVAR >> '"$WORK"'/order", "arg0"], "env": ["HOOKVAR=v1"]},
    {"path": "/bin/sh", "args": ["sh", "-c", "echo second >> '"$WORK"'/order"]}]'
  run_ct
  [ "$status" -eq 0 ]
  [ "$(cat "$WORK/order")" = "$(printf 'first arg0 v1\nsecond')" ]
}

@test "a failing prestart hook fails create and leaves nothing" {
  id=$(cid)
  set_args sleep 100
  edit_config '.hooks.prestart = [{"path": "/bin/sh", "args": ["sh", "-c", "exit 7"]}]'
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  left_nothing "$id"
}

@test "a hook that times out fails create and leaves nothing" {
  id=$(cid)
  set_args sleep 100
  edit_config '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "exec sleep 30"], "timeout": 1}]'
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  # the hook would exit 0 after 30 s: a create that waited for it would succeed
  [ "$status" -ne 0 ]
  [[ "$output" == *"timeout"* ]]
  left_nothing "$id"
}
