#!/usr/bin/env bats
# Hooks of every kind: what each one sees (the state on stdin, argv[0], env, the mount
# namespace, the paths), their order, and what a failing or slow hook does to the lifecycle.
# Every hook is /bin/busybox run with args[0] "sh": busybox picks its applet from argv[0], so a
# runtime that passes the path as argv[0] runs no hook at all. The script is the host's
# $WORK/hook.sh, or /hook.sh in the rootfs for startContainer (it runs after pivot_root).

bats_require_minimum_version 1.5.0
load helpers

setup() {
  setup_runtime
  make_bundle sh -c 'echo process >> /marks/order'
  MARKS="$WORK/marks"
  mkdir -p "$MARKS" "$BUNDLE/rootfs/marks"
  cat > "$WORK/hook.sh" <<'EOF'
kind=$1 marks=$2
state=$(cat)
{
  echo "state=$state"
  echo "env=$(env | grep '^HOOK_' | sort | tr '\n' ' ')"
  echo "mntns=$(readlink /proc/self/ns/mnt)"
  echo "cwd=$(pwd)"
  if [ -d "$HOOK_PROBE" ]; then echo "probe=yes"; else echo "probe=no"; fi
  pid=$(echo "$state" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
  echo "mounted=$(grep -c " $HOOK_PROBE/rootfs/marks " "/proc/${pid:-0}/mountinfo" 2>/dev/null)"
} > "$marks/$kind"
echo "$kind" >> "$marks/order"
echo "out-$kind"
echo "err-$kind" >&2
[ -z "$HOOK_SLEEP" ] || exec sleep "$HOOK_SLEEP"
exit "${HOOK_EXIT:-0}"
EOF
  cp "$WORK/hook.sh" "$BUNDLE/rootfs/hook.sh"
  jq_config --arg m "$MARKS" '.mounts += [{destination: "/marks", type: "bind", source: $m, options: ["rbind", "rw"]}]
    | .annotations = {"org.jrunc.test": "hooks"}'
}

teardown() {
  teardown_containers
}

# jq_config [JQ-ARGS...] FILTER: edits config.json
jq_config() {
  local filter=${*: -1}
  jq "${@:1:$#-1}" "$filter" "$BUNDLE/config.json" > "$BUNDLE/config.json.new" && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# add_hook KIND [JQ-OBJECT-MERGED-INTO-THE-HOOK]: appends a marker hook to hooks.KIND; its env
# is exactly HOOK_KIND=KIND and HOOK_PROBE=$BUNDLE (a host path) unless the object says more.
add_hook() {
  local kind=$1 extra=${2:-'{}'} script="$WORK/hook.sh" marks="$MARKS"
  if [ "$kind" = startContainer ]; then script=/hook.sh marks=/marks; fi
  jq_config --arg k "$kind" --arg s "$script" --arg m "$marks" --arg p "$BUNDLE" --argjson x "$extra" \
    '.hooks[$k] += [{path: "/bin/busybox", args: ["sh", $s, $k, $m], env: ["HOOK_KIND=" + $k, "HOOK_PROBE=" + $p]} * $x]'
}

# mark KIND FIELD: a line the hook KIND wrote
mark() {
  sed -n "s/^$2=//p" "$MARKS/$1"
}

wait_stopped() {
  for _ in $(seq 100); do
    [ "$(jq -r .status <<<"$("$RUNTIME" --root "$ROOT" state "$1" 2>/dev/null)" 2>/dev/null)" = stopped ] && return 0
    sleep 0.05
  done
  return 1
}

@test "hooks: each kind sees the state, args[0] as argv[0], exactly its env, its namespace and paths" {
  for kind in prestart createRuntime createContainer startContainer poststart poststop; do add_hook "$kind"; done
  id=$(cid)
  export HOOK_LEAK=from-the-caller
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  [[ "$output" != *out-* && "$output" != *err-* ]] # a hook's output is not shown when it succeeds
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  host_ns=$(readlink /proc/self/ns/mnt)
  container_ns=$(readlink "/proc/$pid/ns/mnt")
  [ "$host_ns" != "$container_ns" ]

  # on the host, in the runtime namespace: the container's pid as the host sees it
  for kind in prestart createRuntime; do
    state=$(mark $kind state)
    [ "$(jq -r '[.id, .status, .pid, .bundle, .annotations["org.jrunc.test"]] | join(" ")' <<<"$state")" = "$id creating $pid $BUNDLE hooks" ]
    [ "$(mark $kind mntns)" = "$host_ns" ]
    [ "$(mark $kind env)" = "HOOK_KIND=$kind HOOK_PROBE=$BUNDLE " ]
    # after the container's mounts (its /marks bind mount exists), as runc
    [ "$(mark $kind mounted)" -ge 1 ]
  done
  # createContainer: in the container's mount namespace before pivot_root (the host's paths are
  # still there, the working directory is the rootfs), its pid as the container sees it
  state=$(mark createContainer state)
  [ "$(jq -r '[.id, .status, .pid, .bundle] | join(" ")' <<<"$state")" = "$id creating 1 $BUNDLE" ]
  [ "$(mark createContainer mntns)" = "$container_ns" ]
  [ "$(mark createContainer probe)" = yes ]
  [ "$(mark createContainer cwd)" = "$BUNDLE/rootfs" ]
  [ "$(mark createContainer env)" = "HOOK_KIND=createContainer HOOK_PROBE=$BUNDLE " ]
  [ ! -e "$MARKS/startContainer" ]

  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  wait_stopped "$id"
  # startContainer: after pivot_root (the host's paths are gone), before the process
  state=$(mark startContainer state)
  [ "$(jq -r '[.id, .status, .pid, .bundle, .annotations["org.jrunc.test"]] | join(" ")' <<<"$state")" = "$id created 1 $BUNDLE hooks" ]
  [ "$(mark startContainer mntns)" = "$container_ns" ]
  [ "$(mark startContainer probe)" = no ]
  [ "$(mark startContainer cwd)" = / ]
  state=$(mark poststart state)
  [ "$(jq -r '[.id, .pid, .bundle] | join(" ")' <<<"$state")" = "$id $pid $BUNDLE" ]
  [ "$(mark poststart mntns)" = "$host_ns" ]

  rt_quiet delete "$id"
  [ "$status" -eq 0 ]
  state=$(mark poststop state)
  # stopped: runc leaves the pid out
  [ "$(jq -r '[.id, .status, (.pid // "none"), .bundle] | join(" ")' <<<"$state")" = "$id stopped none $BUNDLE" ]
  [ "$(mark poststop mntns)" = "$host_ns" ]
  [ "$(mark poststop env)" = "HOOK_KIND=poststop HOOK_PROBE=$BUNDLE " ]

  order=$(tr '\n' ' ' < "$MARKS/order")
  if runc_before 1.2; then
    # runc 1.1 runs the poststart hooks at the end of create (fixed by runc PR #5186)
    [ "$order" = "prestart createRuntime createContainer poststart startContainer process poststop " ]
  else
    [[ "$order" == "prestart createRuntime createContainer startContainer "*"poststop " ]]
    [[ "$order" == *" process "* && "$order" == *" poststart "* ]]
  fi
}

@test "hooks: several hooks of one kind run in order, with args and no args" {
  add_hook createRuntime
  edit_config '.hooks.createRuntime += [{path: "/bin/true"}]'
  add_hook createRuntime '{"args": ["sh", "'"$WORK"'/hook.sh", "second", "'"$MARKS"'"]}'
  rt_quiet run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [ "$(tr '\n' ' ' < "$MARKS/order")" = "createRuntime second process " ]
}

@test "hooks: a failing prestart, createRuntime or createContainer hook fails create and leaves nothing" {
  for kind in prestart createRuntime createContainer; do
    rm -f "$MARKS"/*
    edit_config 'del(.hooks)'
    add_hook prestart '{"env": ["HOOK_N=0"]}'
    [ "$kind" = prestart ] || add_hook "$kind" '{"env": ["HOOK_EXIT=3"]}'
    [ "$kind" != prestart ] || edit_config '.hooks.prestart[0].env = ["HOOK_EXIT=3"]'
    id=$(cid "$kind")
    rt_quiet create --bundle "$BUNDLE" "$id"
    echo "$kind: $output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"error running hook #0: error running hook: exit status 3, stdout: out-$kind"*"stderr: err-$kind"* ]]
    pid=$(jq .pid <<<"$(mark prestart state)")
    dead "$pid"
    [ -z "$("$RUNTIME" --root "$ROOT" list -q)" ]
    [ ! -e "$ROOT/$id" ]
    cgroup_gone "$id"
    [ ! -e "$MARKS/startContainer" ]
  done
}

@test "hooks: a failing startContainer hook stops the container before its process runs" {
  add_hook createRuntime
  add_hook startContainer '{"env": ["HOOK_EXIT=4"]}'
  add_hook poststop
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  rt_quiet start "$id"
  echo "$output"
  if ! is_runc; then
    # the spec: the runtime MUST generate an error (runc 1.1 only prints it on the container's stderr)
    [ "$status" -ne 0 ]
    [[ "$output" == *"error running hook #0: error running hook: exit status 4, stdout: out-startContainer"* ]]
  fi
  wait_stopped "$id"
  [ -e "$MARKS/startContainer" ]
  run ! grep -q process "$MARKS/order"
  rt_quiet delete "$id"
  [ "$status" -eq 0 ]
  [ -e "$MARKS/poststop" ]
  cgroup_gone "$id"
}

@test "hooks: a failing poststart hook fails start and stops the container" {
  if runc_before 1.2; then
    skip "runc 1.1 runs poststart hooks in create, where their failure fails create"
  fi
  set_args sleep 100
  add_hook poststart '{"env": ["HOOK_EXIT=5"]}'
  add_hook poststop
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  pid=$("$RUNTIME" --root "$ROOT" state "$id" | jq .pid)
  rt_quiet start "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"error running hook #0: error running hook: exit status 5, stdout: out-poststart"* ]]
  wait_stopped "$id"
  dead "$pid"
  rt_quiet delete "$id"
  [ "$status" -eq 0 ]
  [ -e "$MARKS/poststop" ]
}

@test "hooks: a failing poststop hook only warns: delete succeeds and removes the container" {
  add_hook poststop '{"env": ["HOOK_EXIT=6"]}'
  id=$(cid)
  rt_quiet run --bundle "$BUNDLE" --keep "$id"
  [ "$status" -eq 0 ]
  wait_stopped "$id"
  rt_quiet delete "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"error running hook #0: error running hook: exit status 6, stdout: out-poststop"* ]]
  [ -e "$MARKS/poststop" ]
  [ -z "$("$RUNTIME" --root "$ROOT" list -q)" ]
  cgroup_gone "$id"
}

@test "hooks: a hook past its timeout is killed and fails create" {
  require_cmd pgrep
  for kind in createRuntime createContainer; do
    rm -f "$MARKS"/*
    edit_config 'del(.hooks)'
    add_hook "$kind" '{"env": ["HOOK_SLEEP=29.123"], "timeout": 1}'
    id=$(cid "$kind")
    rt_quiet create --bundle "$BUNDLE" "$id"
    echo "$kind: $output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"error running hook #0: hook ran past specified timeout of 1.0s"* ]]
    [ -z "$("$RUNTIME" --root "$ROOT" list -q)" ]
    cgroup_gone "$id"
    # the hook itself (exec'd into sleep) was killed
    run ! pgrep -fx 'sleep 29\.123'
  done
}

# debug_hooks_run FORMAT ID-SUFFIX: create, start and delete with every kind of hook, --debug and
# --log-format FORMAT, every log in $WORK/debug-FORMAT.log
debug_hooks_run() {
  local id log="$WORK/debug-$1.log"
  id=$(cid "$2")
  "$RUNTIME" --root "$ROOT" --debug --log "$log" --log-format "$1" create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1
  "$RUNTIME" --root "$ROOT" --debug --log "$log" --log-format "$1" start "$id" </dev/null >/dev/null 2>&1
  wait_stopped "$id"
  "$RUNTIME" --root "$ROOT" --debug --log "$log" --log-format "$1" delete "$id" </dev/null >/dev/null 2>&1
  cat "$log"
}

@test "hooks: --debug logs a line for each kind of hook that runs, in text and json" {
  if is_runc; then skip "runc 1.1 logs no debug line for the hooks it runs"; fi
  for kind in prestart createRuntime createContainer startContainer poststart poststop; do
    add_hook "$kind"
  done
  debug_hooks_run text 1
  for kind in prestart createRuntime createContainer startContainer poststart poststop; do
    grep 'level=debug' "$WORK/debug-text.log" | grep -q "running 1 $kind hook"
  done
  debug_hooks_run json 2
  for kind in prestart createRuntime createContainer startContainer poststart poststop; do
    jq -r 'select(.level == "debug") | .msg' "$WORK/debug-json.log" | grep -q "running 1 $kind hook"
  done
  # they ran (the marks of each kind are there)
  [ "$(grep -c . "$MARKS/order")" -ge 12 ]
}
