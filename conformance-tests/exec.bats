#!/usr/bin/env bats
# exec: a new process in a running container. Output, exit status, user/cwd/env, --process,
# namespaces and cgroup shared with the init, -d with --pid-file, capabilities and
# no_new_privs, and the errors (exit 255, runc's texts) that leave nothing behind.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  setup_runtime
  make_bundle sleep 1000
  edit_config '.root.readonly = false'
  ID=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  INIT=$("$RUNTIME" --root "$ROOT" state "$ID" | jq -r .pid)
}

teardown() {
  local p
  for p in ${HELPER_PIDS:-}; do kill "$p" 2>/dev/null || true; done
  teardown_containers
}

ex() { # exec ARGS... with stdin from /dev/null; sets $status and $output
  run "$RUNTIME" --root "$ROOT" exec "$@" </dev/null
  echo "status=$status output:"
  echo "$output"
}

# pids of the live processes in the container's pid namespace
procs() {
  local ns p
  ns=$(readlink /proc/$INIT/ns/pid)
  for p in /proc/[0-9]*; do
    if [ "$(readlink $p/ns/pid 2>/dev/null)" = "$ns" ] && ! dead "${p#/proc/}"; then
      echo "${p#/proc/}"
    fi
  done
  return 0
}

@test "exec: output and exit status; 128+N when killed by signal N" {
  ex "$ID" sh -c 'echo hello; echo err >&2; exit 7'
  [ "$status" -eq 7 ]
  [[ "$output" == *hello* ]]
  [[ "$output" == *err* ]]
  ex "$ID" sh -c 'kill -9 $$'
  [ "$status" -eq 137 ]
  ex "$ID" true
  [ "$status" -eq 0 ]
}

@test "exec: --user, --additional-gids, --cwd, --env; HOME from /etc/passwd or /" {
  [ "$(id -u)" -eq 0 ] || skip "container uids other than 0 and additional gids: a rootless config maps only the caller"
  echo 'u:x:1000:100:u:/home/u:/bin/sh' > "$BUNDLE/rootfs/etc/passwd"
  mkdir -p "$BUNDLE/rootfs/work"
  ex -u 1000:100 -g 7 --cwd /work -e FOO=bar "$ID" sh -c 'echo "$(id -u) $(id -g) $(id -G)"; pwd; echo "$FOO $HOME"'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "1000 100 100 7" ]
  [ "${lines[1]}" = /work ]
  [ "${lines[2]}" = "bar /home/u" ]
  ex -u 5 "$ID" sh -c 'echo "$(id -u) $(id -g) $HOME"'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "5 0 /" ]
}

@test "exec: same namespaces and cgroup as the init; the init is pid 1 inside" {
  ex "$ID" sh -c 'readlink /proc/self/ns/pid; tr "\0" " " < /proc/1/cmdline; echo; cat /proc/self/cgroup > /tmp/self; cat /proc/1/cgroup > /tmp/init; cmp /tmp/self /tmp/init && echo same-cgroup'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$(readlink /proc/$INIT/ns/pid)" ]
  [ "${lines[1]}" = "sleep 1000 " ]
  [ "${lines[2]}" = same-cgroup ]
  for ns in mnt uts ipc net cgroup; do
    ex "$ID" readlink /proc/self/ns/$ns
    [ "${lines[0]}" = "$(readlink /proc/$INIT/ns/$ns)" ]
  done
}

@test "exec -d --pid-file: returns at once, the process runs in the container's cgroup" {
  require_cgroup_v1 pids
  rt_quiet exec -d --pid-file "$WORK/exec.pid" "$ID" sleep 50
  [ "$status" -eq 0 ]
  pid=$(cat "$WORK/exec.pid")
  [ -n "$pid" ]
  grep -q 'sleep' "/proc/$pid/cmdline"
  [ "$(readlink /proc/$pid/ns/pid)" = "$(readlink /proc/$INIT/ns/pid)" ]
  [ "$(grep -E '^[0-9]+:pids:' /proc/$pid/cgroup)" = "$(grep -E '^[0-9]+:pids:' /proc/$INIT/cgroup)" ]
}

@test "exec --process FILE: the process JSON replaces the config's" {
  [ "$(id -u)" -eq 0 ] || skip "container uid 5: a rootless config maps only the caller"
  cat > "$WORK/p.json" <<'J'
{"args": ["sh", "-c", "echo from-process $X $(id -u)"], "cwd": "/tmp", "env": ["X=1", "PATH=/bin"], "user": {"uid": 5, "gid": 5}}
J
  ex --process "$WORK/p.json" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"from-process 1 5"* ]]
}

@test "exec --cap adds to the config's sets; --no-new-privs" {
  ex --cap CAP_SYS_ADMIN --no-new-privs "$ID" grep -E 'CapEff|NoNewPrivs' /proc/self/status
  [ "$status" -eq 0 ]
  eff=$(echo "$output" | awk '/CapEff/ {print $2}')
  (( (0x$eff >> 21) & 1 ))
  [[ "$output" == *"NoNewPrivs:"*1* ]]
  ex "$ID" grep -E 'CapEff|NoNewPrivs' /proc/self/status
  eff=$(echo "$output" | awk '/CapEff/ {print $2}')
  (( ! ((0x$eff >> 21) & 1) ))
}

@test "exec errors: exit 255 with runc's texts, no process left behind" {
  before=$(procs | sort)
  [ "$before" = "$INIT" ]
  ex -u foo "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'exec failed: parsing foo as int for uid failed: strconv.Atoi: parsing \"foo\": invalid syntax'* ]]
  ex -u 1:x "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'parsing x as int for gid failed'* ]]
  ex "$ID"
  [ "$status" -eq 255 ]
  [[ "$output" == *'exec failed: process args cannot be empty'* ]]
  ex "$ID" nosuch
  [ "$status" -eq 255 ]
  [[ "$output" == *'exec: \"nosuch\": executable file not found in $PATH'* ]]
  ex --cwd rel "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'Cwd must be an absolute path'* ]]
  ex --cwd /nonexistent "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'chdir to cwd (\"/nonexistent\") set in config.json failed: no such file or directory'* ]]
  echo '{"args": "notalist", "cwd": "/"}' > "$WORK/bad.json"
  ex --process "$WORK/bad.json" "$ID"
  [ "$status" -eq 255 ]
  [[ "$output" == *'exec failed:'* ]]
  ex --process "$WORK/none.json" "$ID"
  [ "$status" -eq 255 ]
  [[ "$output" == *"open $WORK/none.json: no such file or directory"* ]]
  ex nope-$ID true
  [ "$status" -eq 255 ]
  [[ "$output" == *'exec failed: container does not exist'* ]]
  [ "$(procs | sort)" = "$before" ]
}

@test "exec into a stopped container: cannot exec in a stopped container" {
  rt_quiet kill "$ID" KILL
  wait_for dead "$INIT"
  ex "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'exec failed: cannot exec in a stopped container'* ]]
}

@test "exec --preserve-fds: fd 3 reaches the process; exec into a created container" {
  echo preserved > "$WORK/fd3"
  run "$RUNTIME" --root "$ROOT" exec --preserve-fds 1 "$ID" cat /proc/self/fd/3 3<"$WORK/fd3" </dev/null
  [ "$status" -eq 0 ]
  [ "$output" = preserved ]
  id2=$(cid 2)
  rt_quiet create --bundle "$BUNDLE" "$id2"
  [ "$status" -eq 0 ]
  ex "$id2" sh -c 'echo in-created; tr "\0" " " < /proc/1/cmdline'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = in-created ]
  # pid 1 is the init still waiting for start, not the process yet
  [[ "${lines[1]}" == *init* ]]
  [[ "${lines[1]}" != *sleep* ]]
}

@test "exec -t -d --console-socket: the receiver gets the pty master; no /dev/console is made" {
  require_static_cc
  HELPER="$WORK/sockhelper"
  gcc -static -O2 -o "$HELPER" "$BATS_TEST_DIRNAME/sockhelper.c"
  "$HELPER" recvtty "$WORK/console.sock" "$WORK/tty.out" &
  HELPER_PIDS=$!
  wait_for test -S "$WORK/console.sock"
  rt_quiet exec -t -d --console-socket "$WORK/console.sock" "$ID" sh -c 'tty; ls -l /proc/self/fd/0 /proc/self/fd/1; [ -e /dev/console ] || echo no-console'
  [ "$status" -eq 0 ]
  [ "$(cat "$WORK/tty.out.name")" = /dev/ptmx ]
  wait_for dead "$HELPER_PIDS"
  out=$(tr -d '\r' < "$WORK/tty.out")
  echo "$out"
  [[ "$(sed -n 1p <<<"$out")" == /dev/pts/* ]]
  [ "$(grep -c -- '-> /dev/pts/' <<<"$out")" -eq 2 ]
  grep -qx no-console <<<"$out"
  # runc's checkTerminal
  ex -t -d "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'cannot allocate tty if runc will detach without setting console socket'* ]]
  ex --console-socket "$WORK/console.sock" "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *'cannot use console socket if runc will not detach or allocate tty'* ]]
}

@test "exec --cgroup: an existing sub-cgroup of one controller; runc's errors for a bad argument" {
  require_root
  require_cgroup_v1 memory
  local mem
  mem=$(cgroup_dir "$INIT" memory)
  [ -d "$mem" ]
  mkdir "$mem/sub"
  ex --cgroup memory:sub "$ID" cat /proc/self/cgroup
  local out=$output st=$status
  ex --cgroup memory:/sub "$ID" cat /proc/self/cgroup
  local out2=$output st2=$status
  ex --cgroup memory:nosuch "$ID" true
  local st3=$status
  ex --cgroup bogus:sub "$ID" true
  local st4=$status out4=$output
  ex --cgroup memory:../.. "$ID" true
  local st5=$status out5=$output
  ex --cgroup a --cgroup b "$ID" true
  local st6=$status out6=$output
  wait_for eval '[ "$(cat "$mem/sub/cgroup.procs")" = "" ]'
  rmdir "$mem/sub"
  [ "$st" -eq 0 ]
  echo "$out" | grep -E '^[0-9]+:memory:.*/sub$'
  # only the memory cgroup is the sub-cgroup
  run ! grep -E '^[0-9]+:pids:.*/sub$' <<<"$out"
  [ "$st2" -eq 0 ]
  echo "$out2" | grep -E '^[0-9]+:memory:.*/sub$'
  [ "$st3" -ne 0 ]
  [ "$st4" -ne 0 ]
  [[ "$out4" == *"unknown controller bogus"* ]]
  [ "$st5" -ne 0 ]
  [[ "$out5" == *"is not a sub cgroup path"* ]]
  [ "$st6" -ne 0 ]
  [[ "$out6" == *"missing <controller>: prefix"* ]]
  # nothing of the failed execs is left in the container
  [ "$(procs | wc -l)" -eq 1 ]
}
