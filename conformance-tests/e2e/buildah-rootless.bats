#!/usr/bin/env bats
# Rootless buildah driving the runtime under test: `buildah from` then `buildah run --runtime
# $RUNTIME`, run by a test user this file creates (with a subordinate id range) and removes
# again, /etc left as found. buildah runs the runtime as uid 0 of its own user namespace with
# XDG_RUNTIME_DIR set. Private storage under a temp dir, a busybox image built here from
# busybox-static, no network (/dev/net/tun may be closed to users). RUNTIME=runc passes.

bats_require_minimum_version 1.5.0
load e2e-helpers
load ../helpers

IMG=localhost/jrunc-e2e/busybox:latest

setup_file() {
  rl_setup_file buildah || return 0
  as_rl_user buildah pull -q "docker-archive:$E2E/u/busybox.tar" >/dev/null
}

teardown_file() {
  [ -n "${E2E:-}" ] || return 0
  [ -z "${E2E_TRACE_OUT:-}" ] || cp "$E2E/u/trace/argv.log" "$E2E_TRACE_OUT" || true
  if [ -n "${RL_UID:-}" ]; then
    as_rl_user buildah rm -a >/dev/null 2>&1 || true
    as_rl_user buildah rmi -a -f >/dev/null 2>&1 || true
  fi
  rl_user_remove
  rl_remove_dir
}

setup() {
  skip_if_file_skipped
  cd "$E2E/u"
  CTR=$(as_rl_user buildah from --pull=never -q "$IMG")
}

teardown() {
  rl_show_trace
  if [ -n "${CTR:-}" ]; then
    as_rl_user buildah rm "$CTR" >/dev/null 2>&1 || true
  fi
}

# brun ARGS...: `buildah run` as the user with the runtime under test (through the argv-logging
# wrapper), no network
brun() {
  as_rl_user buildah run --runtime "$E2E/u/trace/runtime" --network none "$@"
}

@test "rootless buildah run: output, uid 0 inside is the user" {
  run --separate-stderr brun "$CTR" sh -c 'echo hello from buildah; id -u; cat /proc/self/uid_map'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$(sed -n 1p <<< "$output")" = "hello from buildah" ]
  [ "$(sed -n 2p <<< "$output")" = 0 ]
  [ "$(sed -n 3p <<< "$output" | awk '{print $1, $2, $3}')" = "0 $RL_UID 1" ]
}

@test "rootless buildah run: what one run writes the next one sees, the exit status comes back" {
  run brun "$CTR" sh -c 'echo layer > /made'
  echo "$output"
  [ "$status" -eq 0 ]
  run --separate-stderr brun "$CTR" cat /made
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$output" = layer ]
  run brun "$CTR" sh -c 'exit 3'
  echo "$output"
  [ "$status" -eq 3 ]
  [[ "$output" == *"exit status 3"* ]]
}

@test "rootless buildah run: --user and a bind mount" {
  mkdir -p "$E2E/vol-rw"
  echo from-host > "$E2E/vol-rw/in"
  chown -R "$RL_UID:$RL_GID" "$E2E/vol-rw"
  run --separate-stderr brun --user 1000:1000 -v "$E2E/vol-rw:/v" "$CTR" sh -c 'cat /v/in; id -u; echo x > /v/by-1000 2>/dev/null; echo "rc=$?"'
  echo "$output $stderr"
  [ "$status" -eq 0 ]
  [ "$output" = "from-host
1000
rc=1" ]
  run --separate-stderr brun -v "$E2E/vol-rw:/v" "$CTR" sh -c 'echo from-container > /v/out'
  [ "$status" -eq 0 ]
  [ "$(cat "$E2E/vol-rw/out")" = from-container ]
  [ "$(stat -c %u "$E2E/vol-rw/out")" = "$RL_UID" ]
}
