#!/usr/bin/env bats
# Rootless podman driving the runtime under test: `podman --runtime $RUNTIME` run by a test user
# this file creates (with a subordinate id range) and removes again, /etc left as found. podman
# runs the runtime as uid 0 of its own user namespace with XDG_RUNTIME_DIR set, and on a cgroup
# v1 host without a cgroup namespace: the runtime must find its state root under
# XDG_RUNTIME_DIR and bind only cgroup directories that exist. Private storage and configuration
# (cgroupfs manager, no network: /dev/net/tun may be closed to users) under a temp dir, a busybox
# image built here from busybox-static. RUNTIME=runc passes.

bats_require_minimum_version 1.5.0
load e2e-helpers
load ../helpers

IMG=localhost/jrunc-e2e/busybox:latest

setup_file() {
  rl_setup_file podman || return 0
  as_rl_user podman load -q -i "$E2E/u/busybox.tar" >/dev/null
}

teardown_file() {
  [ -n "${E2E:-}" ] || return 0
  [ -z "${E2E_TRACE_OUT:-}" ] || cp "$E2E/u/trace/argv.log" "$E2E_TRACE_OUT" || true
  if [ -n "${RL_UID:-}" ]; then
    as_rl_user podman rm -a -f -t 0 >/dev/null 2>&1 || true
    as_rl_user podman system reset -f >/dev/null 2>&1 || true
  fi
  rl_user_remove
  rl_remove_dir
}

setup() {
  skip_if_file_skipped
  cd "$E2E/u"
}

teardown() {
  rl_show_trace
}

# upm ARGS...: podman as the user, with the runtime under test (through the argv-logging wrapper)
upm() {
  as_rl_user podman --runtime "$E2E/u/trace/runtime" "$@"
}

@test "rootless podman run --rm prints the output" {
  run --separate-stderr upm run --rm "$IMG" echo hello from the container
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from the container" ]
}

@test "rootless podman run: uid 0 inside is the user, --userns=keep-id keeps the user's ids" {
  run --separate-stderr upm run --rm "$IMG" sh -c 'id -u; cat /proc/self/uid_map'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(sed -n 1p <<< "$output")" = 0 ]
  [ "$(sed -n 2p <<< "$output" | awk '{print $1, $2, $3}')" = "0 $RL_UID 1" ]
  run --separate-stderr upm run --rm --userns=keep-id "$IMG" sh -c 'echo "$(id -u):$(id -g)"'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$output" = "$RL_UID:$RL_GID" ]
}

@test "rootless podman run -v: rw and ro bind mounts" {
  mkdir -p "$E2E/vol-rw" "$E2E/vol-ro"
  echo from-host > "$E2E/vol-ro/in"
  chown -R "$RL_UID:$RL_GID" "$E2E/vol-rw" "$E2E/vol-ro"
  run upm run --rm -v "$E2E/vol-rw:/rw" -v "$E2E/vol-ro:/ro:ro" "$IMG" \
    sh -c 'echo from-container > /rw/out && cat /ro/in; echo x > /ro/new 2>&1; echo "ro=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  e2e_check_binds
  # written as uid 0 of the container: the user on the host
  [ "$(stat -c %u "$E2E/vol-rw/out")" = "$RL_UID" ]
}

@test "rootless podman run --tmpfs: a writable tmpfs with its size" {
  run --separate-stderr upm run --rm --tmpfs /scratch:rw,size=1m "$IMG" \
    sh -c 'echo x > /scratch/f && cat /scratch/f; awk '\''$2 == "/scratch" {print $3, $4}'\'' /proc/mounts'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(sed -n 1p <<< "$output")" = x ]
  [[ "$(sed -n 2p <<< "$output")" == "tmpfs "*size=1024k* ]]
}

@test "rootless podman run --read-only keeps /tmp, /run and /dev/shm writable" {
  run upm run --rm --read-only "$IMG" sh -c 'touch /tmp/a /run/a /dev/shm/a && echo writable; touch /rootfile 2>&1; echo "rc=$?"'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *writable* ]]
  [[ "$output" == *"Read-only file system"* ]]
  [[ "$output" == *"rc=1"* ]]
}

@test "rootless podman run: the container's /sys/fs/cgroup shows its cgroups, read-only" {
  # without a delegated cgroup nothing is created for the container: on a v1 host each hierarchy
  # shows the cgroup the container stays in (the user's), as with runc. (runc 1.1.5 leaves the
  # tmpfs holding them writable, jrunc remounts it read-only as the config asks: not checked.)
  local dir
  if [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    dir=/sys/fs/cgroup/memory
  else
    dir=/sys/fs/cgroup
  fi
  run upm run --rm "$IMG" sh -c "test -r $dir/cgroup.procs && echo readable; mkdir $dir/x 2>&1; echo \"rc=\$?\""
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *readable* ]]
  [[ "$output" == *"Read-only file system"* ]]
  [[ "$output" == *"rc=1"* ]]
}

@test "rootless podman: run -d, exec, state under XDG_RUNTIME_DIR, stop delivers SIGTERM" {
  run --separate-stderr upm run -d --name rl-top "$IMG" sh -c 'trap "exit 7" TERM; echo ready; while :; do sleep 0.2; done'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  local id=$output
  run --separate-stderr upm exec rl-top sh -c 'echo "exec as $(id -u)"'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$output" = "exec as 0" ]
  run --separate-stderr upm exec --user 1000 rl-top id -u
  [ "$status" -eq 0 ]
  [ "$output" = 1000 ]
  # where runc keeps it: $XDG_RUNTIME_DIR/<runtime>/<id>, never the root's /run/<runtime>
  [ -d "$E2E/u/xdg/$RL_RT_NAME/$id" ]
  [ ! -e "/run/$RL_RT_NAME/$id" ]
  run --separate-stderr upm stop -t 60 rl-top
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  run --separate-stderr upm inspect -f '{{.State.Status}} {{.State.ExitCode}}' rl-top
  [ "$output" = "exited 7" ]
  run upm rm rl-top
  [ "$status" -eq 0 ]
  [ ! -e "$E2E/u/xdg/$RL_RT_NAME/$id" ]
}

@test "rootless podman run --ulimit: set within the user's hard limit, refused above it" {
  run --separate-stderr upm run --rm --ulimit nofile=1234:1234 "$IMG" sh -c 'echo "$(ulimit -n) $(ulimit -Hn)"'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$output" = "1234 1234" ]
  local hard
  hard=$(as_rl_user sh -c 'ulimit -Hn')
  [ "$hard" != unlimited ] || skip "the user's nofile hard limit is unlimited"
  run upm run --rm --ulimit "nofile=$((hard + 1)):$((hard + 1))" "$IMG" true
  echo "$output"
  [ "$status" -eq 126 ]
  [[ "$output" == *"operation not permitted"* ]]
}

@test "rootless podman run --memory without a delegated cgroup" {
  run upm run --rm --memory 64m "$IMG" sh -c 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes'
  echo "$output"
  if [ -e /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
    # cgroup v1: podman drops the limit itself with a warning, the runtime never sees it
    [ "$status" -eq 0 ]
    [[ "$output" == *"Resource limits are not supported and ignored on cgroups V1 rootless systems"* ]]
    [[ "$output" != *67108864* ]]
  elif [ "$status" -eq 0 ]; then
    # cgroup v2 with the user's cgroup delegated: the limit is in place
    [[ "$output" == *67108864* ]]
  else
    # cgroup v2 without delegation: the runtime refuses in runc's words
    [[ "$output" == *"rootless needs no limits + no cgrouppath when no permission is granted for cgroups"* ]]
  fi
  [ -z "$(upm ps -aq)" ]
}
