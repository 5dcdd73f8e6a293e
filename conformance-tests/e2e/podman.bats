#!/usr/bin/env bats
# podman (with conmon) driving the runtime under test: `podman --runtime $RUNTIME`.
# Private storage and configuration (CONTAINERS_STORAGE_CONF, CONTAINERS_CONF) under a temp dir,
# a busybox image built here from busybox-static, every container under a private cgroup parent
# (a slice with E2E_CGROUP_MANAGER=systemd, podman's systemd cgroup manager). cgroup v1 and v2
# (the v2 branches run in the cgroup v2 lab: conformance-tests/v2lab).
# The host's default podman storage is never used; what podman creates outside $E2E regardless
# (/run/containers/networks, /var/lib/containers/cache) is removed again when it was not there.

bats_require_minimum_version 1.5.0
load e2e-helpers
load ../helpers

IMG=localhost/jrunc-e2e/busybox:latest

setup_file() {
  file_require_cmd podman conmon || return 0
  e2e_runtime
  E2E=$(mktemp -d /tmp/jrunc-e2e-podman.XXXXXX)
  export E2E
  podman_private_config "$E2E"
  # host paths podman creates even with a private configuration: removed in teardown when new
  E2E_NEW_HOST_DIRS=
  local d
  for d in /run/containers /var/lib/containers; do
    [ -e "$d" ] || E2E_NEW_HOST_DIRS="$E2E_NEW_HOST_DIRS $d"
  done
  export E2E_NEW_HOST_DIRS
  # the cgroup parent: a path under the root (cgroupfs), a slice of its own (systemd; a dash in a
  # slice name means a parent slice)
  if [ "${E2E_CGROUP_MANAGER:-cgroupfs}" = systemd ]; then
    CGP=jrunc_e2e_podman_$$.slice
    CGP_OPT=--cgroup-parent=$CGP
  else
    CGP=jrunc-e2e-podman-$$
    CGP_OPT=--cgroup-parent=/$CGP
  fi
  export CGP CGP_OPT
  e2e_trace_wrapper "$E2E/trace"
  busybox_archive "$E2E/busybox.tar" "$IMG"
  podman load -q -i "$E2E/busybox.tar" >/dev/null
}

teardown_file() {
  [ -n "${E2E:-}" ] || return 0
  # E2E_TRACE_OUT=FILE keeps the runtime's argv lines of the whole file
  [ -z "${E2E_TRACE_OUT:-}" ] || cp "$E2E/trace/argv.log" "$E2E_TRACE_OUT" || true
  pm rm -a -f -t 0 >/dev/null 2>&1 || true
  pm rmi -a -f >/dev/null 2>&1 || true
  e2e_remove_leftovers "$CGP"
}

setup() {
  skip_if_file_skipped
  # conmon 2.1.6 writes an "oom" file into its working directory after an OOM kill
  cd "$E2E"
}

teardown() {
  e2e_show_trace
}

# pm ARGS...: podman with the runtime under test (through the argv-logging wrapper)
pm() {
  podman --runtime "$E2E/trace/runtime" "$@"
}

# prun ARGS...: `podman run` under the private cgroup parent
prun() {
  pm run "$CGP_OPT" "$@"
}

# ctr_cgroup CONTROLLER NAME: the host directory of the running container NAME's cgroup (of the
# v1 CONTROLLER hierarchy; on cgroup v2 the one cgroup), whatever layout the manager chose
ctr_cgroup() {
  proc_cgroup_dir "$(pm inspect -f '{{.State.Pid}}' "$2")" "$1"
}

@test "podman run --rm prints the output" {
  run prun --rm "$IMG" echo hello from the container
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from the container" ]
}

@test "podman run: exit code, 126 for a non-executable and 127 for a missing binary" {
  run prun --rm "$IMG" sh -c 'exit 3'
  [ "$status" -eq 3 ]
  run prun --rm "$IMG" /bin/notexec
  echo "$output"
  [ "$status" -eq 126 ]
  run -127 prun --rm "$IMG" /no/such/binary
  echo "$output"
  run -127 prun --rm "$IMG" nosuchcommand
  echo "$output"
}

@test "podman run -i passes stdin" {
  run bash -c 'printf "line one\nline two\n" | "$0" --runtime "$1" run "$2" -i --rm "$3" sh -c "wc -l; echo done"' \
    podman "$E2E/trace/runtime" "$CGP_OPT" "$IMG"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "2
done" ]
}

@test "podman run -e -w --user --group-add -h" {
  run prun --rm -e FOO=bar -w /home/user --user 1000:1000 --group-add 2000 -h e2e-host "$IMG" \
    sh -c 'echo "$FOO|$(pwd)|$(id -u)|$(id -G)|$(hostname)"'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "bar|/home/user|1000|1000 2000|e2e-host" ]
}

@test "podman run --read-only keeps /tmp, /run and /dev/shm writable" {
  run prun --rm --read-only "$IMG" sh -c 'touch /tmp/a /run/a /dev/shm/a && echo writable; touch /rootfile 2>&1; echo "rc=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *writable* ]]
  [[ "$output" == *"Read-only file system"* ]]
  [[ "$output" == *"rc=1"* ]]
}

@test "podman run -v: rw and ro bind mounts" {
  mkdir -p "$E2E/vol-rw" "$E2E/vol-ro"
  echo from-host > "$E2E/vol-ro/in"
  run prun --rm -v "$E2E/vol-rw:/rw" -v "$E2E/vol-ro:/ro:ro" "$IMG" \
    sh -c 'echo from-container > /rw/out && cat /ro/in; echo x > /ro/new 2>&1; echo "ro=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  e2e_check_binds
}

@test "podman run --tmpfs" {
  run prun --rm --tmpfs /scratch:size=1m "$IMG" sh -c 'grep " /scratch " /proc/mounts; echo x > /scratch/f && cat /scratch/f'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"tmpfs /scratch tmpfs"* ]]
  [[ "$output" == *"size=1024k"* ]]
  [[ "$output" == *x ]]
}

@test "podman's default seccomp filter is loaded; unconfined loads none" {
  run prun --rm "$IMG" grep '^Seccomp:' /proc/self/status
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*2 ]]
  run prun --rm --security-opt seccomp=unconfined "$IMG" grep '^Seccomp:' /proc/self/status
  echo "$output"
  [[ "$output" == *"Seccomp:"*0 ]]
}

@test "podman run --cap-drop ALL leaves no capability" {
  run prun --rm --cap-drop ALL "$IMG" sh -c 'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb):" /proc/self/status; chown 1000 /tmp 2>&1; echo "rc=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | grep -c '0000000000000000$')" -eq 5 ]
  [[ "$output" == *"Operation not permitted"* ]]
  [[ "$output" == *"rc=1"* ]]
}

@test "podman run --security-opt no-new-privileges" {
  run prun --rm --security-opt no-new-privileges "$IMG" grep '^NoNewPrivs:' /proc/self/status
  echo "$output"
  [[ "$output" == *"NoNewPrivs:"*1 ]]
  run prun --rm "$IMG" grep '^NoNewPrivs:' /proc/self/status
  [[ "$output" == *"NoNewPrivs:"*0 ]]
}

@test "podman run -m: the limit is in the cgroup, a hog is OOM-killed (137)" {
  # read inside (v1: at the memory hierarchy's path); --memory-swap needs swap accounting
  local file=/sys/fs/cgroup/memory.max
  if cgroup_v2_host; then
    require_cgroup_v2 memory
  else
    require_cgroup_file memory memory.limit_in_bytes memory.memsw.limit_in_bytes
    file=/sys/fs/cgroup/memory/memory.limit_in_bytes
  fi
  run prun --rm -m 32m "$IMG" cat "$file"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = 33554432 ]
  run prun --rm -m 32m --memory-swap 32m "$IMG" tail /dev/zero
  echo "$output"
  [ "$status" -eq 137 ]
}

@test "podman run --memory 4M busybox echo it works" {
  if is_runc; then
    # runc's own process (runc init, ~10 MB) joins the container's cgroup before the exec
    run prun --rm --memory 4M "$IMG" echo it works
    [ "$output" = "it works" ] || skip "runc's own init process runs inside the 4 MiB cgroup (exit $status)"
  fi
  run prun --rm --memory 4M "$IMG" echo it works
  echo "status=$status"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "it works" ]
}

@test "podman run --pids-limit is enforced" {
  local file=/sys/fs/cgroup/pids.max
  if cgroup_v2_host; then
    require_cgroup_v2 pids
  else
    require_cgroup_file pids pids.max
    file=/sys/fs/cgroup/pids/pids.max
  fi
  # busybox sh gives up (exit 2) when it cannot fork
  run prun --rm --pids-limit 10 "$IMG" sh -c 'cat '"$file"'; for i in $(seq 20); do sleep 5 & done 2>&1'
  echo "$output"
  [ "$(echo "$output" | head -1)" = 10 ]
  [[ "$output" == *"can't fork"* ]]
}

@test "podman run --cpu-shares" {
  if cgroup_v2_host; then
    require_cgroup_v2 cpu
    # v2 has cpu.weight: runc's conversion 1 + (shares - 2) * 9999 / 262142
    run prun --rm --cpu-shares 512 "$IMG" cat /sys/fs/cgroup/cpu.weight
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = 20 ]
  else
    require_cgroup_file cpu cpu.shares
    run prun --rm --cpu-shares 512 "$IMG" cat /sys/fs/cgroup/cpu/cpu.shares
    echo "$output"
    [ "$status" -eq 0 ]
    [ "$output" = 512 ]
  fi
}

@test "podman run -t gets a terminal" {
  require_cmd script
  run script -qec "podman --runtime $E2E/trace/runtime run $CGP_OPT --rm -t $IMG sh -c 'tty; test -t 0 && echo stdin-tty'" /dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/0"* ]]
  [[ "$output" == *stdin-tty* ]]
}

@test "podman run -d, ps, inspect, logs, exec, rm -f" {
  require_cmd script
  local name=e2e-detached-$$
  run prun -d --name "$name" "$IMG" sh -c 'echo started; while :; do sleep 0.1; done'
  echo "$output"
  [ "$status" -eq 0 ]
  local id=$output
  run pm ps --format '{{.Names}} {{.Status}}'
  echo "$output"
  [[ "$output" == *"$name Up"* ]]
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = running ]
  local pid
  pid=$(pm inspect -f '{{.State.Pid}}' "$name")
  [ "$pid" -gt 0 ]
  [ "$(cat "/proc/$pid/comm")" = sh ]
  local cgdir
  cgdir=$(proc_cgroup_dir "$pid" memory)
  [ -d "$cgdir" ]
  e2e_wait_for 5 sh -c "podman logs $name | grep -q started"
  # exec: output, exit code, -u -w -e
  run pm exec "$name" echo exec output
  [ "$status" -eq 0 ]
  [ "$output" = "exec output" ]
  run pm exec "$name" sh -c 'exit 42'
  [ "$status" -eq 42 ]
  run pm exec -u 1000:2000 -w /tmp -e EXEC_VAR=val "$name" sh -c 'echo "$(id -u):$(id -g)|$(pwd)|$EXEC_VAR"'
  echo "$output"
  [ "$output" = "1000:2000|/tmp|val" ]
  run -127 pm exec "$name" /no/such/binary
  run pm exec "$name" /bin/notexec
  [ "$status" -eq 126 ]
  # -i
  run bash -c 'echo piped | podman --runtime "$0" exec -i "$1" cat' "$E2E/trace/runtime" "$name"
  [ "$output" = piped ]
  # -t
  run script -qec "podman --runtime $E2E/trace/runtime exec -t $name sh -c 'tty'" /dev/null
  echo "$output"
  [[ "$output" == *"/dev/pts/"* ]]
  # -d
  run pm exec -d "$name" sh -c 'echo detached > /tmp/exec-d'
  [ "$status" -eq 0 ]
  e2e_wait_for 5 pm exec "$name" test -e /tmp/exec-d
  # rm -f of the running container
  run pm rm -f -t 0 "$name"
  [ "$status" -eq 0 ]
  run pm ps -a -q --no-trunc
  [[ "$output" != *"$id"* ]]
  ! kill -0 "$pid" 2>/dev/null || dead "$pid"
  [ ! -d "$cgdir" ]
}

@test "podman pause, unpause, kill -s USR1, stop, wait" {
  cgroup_v2_host || require_cgroup_file freezer freezer.state
  local name=e2e-signals-$$
  prun -d --name "$name" "$IMG" sh -c 'trap "echo got usr1" USR1; trap "echo got term; exit 9" TERM; echo ready; while :; do sleep 0.1; done'
  e2e_wait_for 5 sh -c "podman logs $name | grep -q ready"
  local cgdir frozen=FROZEN thawed=THAWED
  cgdir=$(ctr_cgroup freezer "$name")
  # the state file: v1's freezer.state, v2's cgroup.events ("frozen 1" once every task stopped)
  frozen_state() {
    if [ -e "$cgdir/freezer.state" ]; then cat "$cgdir/freezer.state"; else sed -n 's/^frozen 1$/FROZEN/p; s/^frozen 0$/THAWED/p' "$cgdir/cgroup.events"; fi
  }
  run pm pause "$name"
  [ "$status" -eq 0 ]
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = paused ]
  [ "$(frozen_state)" = "$frozen" ]
  run pm unpause "$name"
  [ "$status" -eq 0 ]
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = running ]
  [ "$(frozen_state)" = "$thawed" ]
  run pm kill -s USR1 "$name"
  [ "$status" -eq 0 ]
  e2e_wait_for 5 sh -c "podman logs $name | grep -q 'got usr1'"
  run pm stop -t 5 "$name"
  [ "$status" -eq 0 ]
  [[ "$(pm logs "$name")" == *"got term"* ]]
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = exited ]
  run pm wait "$name"
  [ "$output" = 9 ]
  pm rm "$name"
}

@test "podman stop kills a process that ignores SIGTERM; wait reports 137" {
  local name=e2e-stop-$$
  prun -d --name "$name" "$IMG" sleep 1000
  run pm stop -t 1 "$name"
  [ "$status" -eq 0 ]
  run pm wait "$name"
  [ "$output" = 137 ]
  pm rm "$name"
}

@test "podman restart and start of a stopped container" {
  local name=e2e-restart-$$
  prun -d --name "$name" "$IMG" sh -c 'echo run-$$-$(cat /proc/uptime); while :; do sleep 0.1; done'
  local pid1 pid2
  pid1=$(pm inspect -f '{{.State.Pid}}' "$name")
  run pm restart -t 0 "$name"
  [ "$status" -eq 0 ]
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = running ]
  pid2=$(pm inspect -f '{{.State.Pid}}' "$name")
  [ "$pid1" != "$pid2" ]
  pm stop -t 0 "$name"
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = exited ]
  run pm start "$name"
  [ "$status" -eq 0 ]
  [ "$(pm inspect -f '{{.State.Status}}' "$name")" = running ]
  e2e_wait_for 5 sh -c "[ \$(podman logs $name | grep -c '^run-') -eq 3 ]"
  pm rm -f -t 0 "$name"

  # a container that ran to completion, started again with -a: its output again
  local once=e2e-once-$$
  run prun --name "$once" "$IMG" sh -c 'echo once; exit 4'
  [ "$status" -eq 4 ]
  [ "$output" = once ]
  run pm start -a "$once"
  [ "$output" = once ]
  run pm wait "$once"
  [ "$output" = 4 ]
  pm rm "$once"
}

@test "podman update changes the running container's limits; podman init creates without starting" {
  # v1 files, or v2's (cpu.weight 12 is runc's conversion of 300 shares)
  local files="/sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.weight" shares=12
  if cgroup_v2_host; then
    require_cgroup_v2 memory cpu
  else
    require_cgroup_file memory memory.limit_in_bytes
    require_cgroup_file cpu cpu.shares
    files="/sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.shares" shares=300
  fi
  local name=e2e-update-$$
  prun -d --name "$name" -m 32m "$IMG" sleep 100
  run pm update --memory 64m --cpu-shares 300 "$name"
  echo "$output"
  [ "$status" -eq 0 ]
  run pm exec "$name" cat $files
  echo "$output"
  [ "${lines[0]}" = 67108864 ]
  [ "${lines[1]}" = "$shares" ]
  pm rm -f -t 0 "$name"

  local ini=e2e-init-$$
  pm create "$CGP_OPT" --name "$ini" "$IMG" echo started after init
  run pm init "$ini"
  [ "$status" -eq 0 ]
  [ "$(pm inspect -f '{{.State.Status}}' "$ini")" = initialized ]
  run pm start -a "$ini"
  [ "$output" = "started after init" ]
  pm rm "$ini"
}
