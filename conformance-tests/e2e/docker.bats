#!/usr/bin/env bats
# dockerd (Debian's docker.io 20.10, through its own containerd and containerd-shim-runc-v2)
# driving the runtime under test as its default runtime. A private dockerd is started in
# setup_file: its own daemon.json, data root, exec root, pid file and socket under a temp dir, no
# bridge and no iptables rules, every container under a private cgroup parent; it is stopped by
# its pid in teardown_file. The host's docker (if any) is never used. The busybox image is built
# here from busybox-static and loaded.

bats_require_minimum_version 1.5.0
load e2e-helpers
load ../helpers

IMG=jrunc-e2e/busybox:latest

setup_file() {
  file_require_cmd dockerd docker || return 0
  e2e_runtime
  E2E=$(mktemp -d /tmp/jrunc-e2e-docker.XXXXXX)
  SOCK=$E2E/docker.sock
  CGP=jrunc-e2e-docker-$$
  export E2E SOCK CGP
  E2E_NEW_HOST_DIRS=
  local d
  # dockerd writes its trust key to /etc/docker/key.json whatever its config says
  for d in /etc/docker /etc/docker/key.json /var/lib/docker /run/docker; do
    [ -e "$d" ] || E2E_NEW_HOST_DIRS="$E2E_NEW_HOST_DIRS $d"
  done
  export E2E_NEW_HOST_DIRS
  e2e_trace_wrapper "$E2E/trace"
  jq -n --arg p "$E2E/trace/runtime" --arg cgp "/$CGP" \
    '{runtimes: {e2e: {path: $p}}, "default-runtime": "e2e", "cgroup-parent": $cgp}' > "$E2E/daemon.json"
  dockerd --config-file "$E2E/daemon.json" --data-root "$E2E/data" --exec-root "$E2E/exec" \
    --pidfile "$E2E/docker.pid" -H "unix://$SOCK" --bridge=none --iptables=false --ip6tables=false \
    --storage-driver=overlay2 >"$E2E/dockerd.log" 2>&1 &
  echo $! > "$E2E/dockerd.pid"
  e2e_wait_for 30 dk version >/dev/null 2>&1 || { tail -20 "$E2E/dockerd.log" >&2; return 1; }
  busybox_archive "$E2E/busybox.tar" "$IMG"
  dk load -q -i "$E2E/busybox.tar" >/dev/null
}

teardown_file() {
  [ -n "${E2E:-}" ] || return 0
  [ -z "${E2E_TRACE_OUT:-}" ] || cp "$E2E/trace/argv.log" "$E2E_TRACE_OUT" || true
  local ids pid
  if [ -S "$SOCK" ]; then
    ids=$(dk ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || dk rm -f $ids >/dev/null 2>&1 || true
  fi
  pid=$(cat "$E2E/dockerd.pid" 2>/dev/null || true)
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    e2e_wait_for 20 dead "$pid" || kill -9 "$pid" 2>/dev/null || true
  fi
  e2e_remove_leftovers "$CGP"
}

setup() {
  skip_if_file_skipped
}

teardown() {
  e2e_show_trace
}

# dk ARGS...: the docker client on the private dockerd
dk() {
  docker -H "unix://$SOCK" "$@"
}

# drun ARGS...: `docker run` without a network (the private dockerd has no bridge)
drun() {
  dk run --network none "$@"
}

@test "docker info shows the runtime's commit (dockerd parses its --version)" {
  local commit
  commit=$("$RUNTIME" --version | sed -n 's/^commit: //p')
  echo "commit line of $RUNTIME --version: $commit"
  [ -n "$commit" ]
  run dk info --format '{{.DefaultRuntime}} {{.RuncCommit.ID}}'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "e2e $commit" ]
}

@test "docker run --rm prints the output and passes the exit code (126, 127 for a bad binary)" {
  run drun --rm "$IMG" echo hello from docker
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from docker" ]
  run drun --rm "$IMG" sh -c 'exit 3'
  [ "$status" -eq 3 ]
  run -127 drun --rm "$IMG" /no/such/binary
  echo "$output"
  run -126 drun --rm "$IMG" /etc/passwd
  echo "$output"
}

@test "docker run -t gives the container a terminal; -i passes stdin" {
  run drun --rm -t "$IMG" sh -c 'tty; [ -t 1 ] && echo is-a-tty'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == */dev/pts/0* ]]
  [[ "$output" == *is-a-tty* ]]
  run bash -c 'printf "a\nb\n" | "$@" wc -l' _ docker -H "unix://$SOCK" run --network none --rm -i "$IMG"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | tr -d ' \r')" = 2 ]
}

@test "docker run -d, exec, pause, unpause, stop, rm: a detached container's whole life, nothing left" {
  local id pid fz
  id=$(drun -d "$IMG" sleep 300)
  pid=$(dk inspect -f '{{.State.Pid}}' "$id")
  [ "$pid" -gt 0 ]
  run dk exec "$id" sh -c 'echo exec in $(hostname)'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "exec in ${id:0:12}" ]
  run dk pause "$id"
  [ "$status" -eq 0 ]
  [ "$(dk inspect -f '{{.State.Status}}' "$id")" = paused ]
  fz=$(proc_cgroup_dir "$pid" freezer)
  if [ -f "$fz/cgroup.events" ]; then
    grep -qx 'frozen 1' "$fz/cgroup.events"
  else
    [ "$(cat "$fz/freezer.state")" = FROZEN ]
  fi
  run dk unpause "$id"
  [ "$status" -eq 0 ]
  [ "$(dk inspect -f '{{.State.Status}}' "$id")" = running ]
  run dk stop -t 1 "$id"
  [ "$status" -eq 0 ]
  [ "$(dk inspect -f '{{.State.ExitCode}}' "$id")" = 137 ]
  run dk rm "$id"
  [ "$status" -eq 0 ]
  # the runtime's state (dockerd gives every runtime the root EXEC-ROOT/runtime-runc/moby) and
  # the cgroup are gone
  [ -d "$E2E/exec/runtime-runc/moby" ]
  [ ! -e "$E2E/exec/runtime-runc/moby/$id" ]
  [ -z "$(find /sys/fs/cgroup -maxdepth 3 -path "*$CGP/$id*" 2>/dev/null)" ]
  dead "$pid"
}

@test "docker run --memory and --pids-limit are written into the container's cgroup" {
  local id pid mem pids
  id=$(drun -d --memory 64m --pids-limit 42 "$IMG" sleep 300)
  pid=$(dk inspect -f '{{.State.Pid}}' "$id")
  mem=$(proc_cgroup_dir "$pid" memory)
  pids=$(proc_cgroup_dir "$pid" pids)
  echo "memory: $mem, pids: $pids"
  [[ "$mem" == *"$CGP/$id"* ]]
  if [ -f "$mem/memory.max" ]; then
    [ "$(cat "$mem/memory.max")" = 67108864 ]
  else
    [ "$(cat "$mem/memory.limit_in_bytes")" = 67108864 ]
  fi
  [ "$(cat "$pids/pids.max")" = 42 ]
  run dk rm -f "$id"
  [ "$status" -eq 0 ]
}
