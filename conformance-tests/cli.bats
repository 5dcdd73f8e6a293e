#!/usr/bin/env bats
# Black-box checks of the runc command-line contract that needs no container to be started.
# Runs against any runtime: RUNTIME=/path/to/jrunc (default target/jrunc) or RUNTIME=runc.

load helpers

setup() {
  setup_runtime
}

teardown() {
  teardown_runtime
}

@test "--version exits 0 and names a version, the commit and the spec" {
  run "$RUNTIME" --version
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *" version "* ]]
  # dockerd reads the "commit: " line for docker info's runc commit
  [[ "${lines[1]}" =~ ^commit:\ [^[:space:]]+$ ]]
  [[ "$output" == *"spec: "* ]]
}

@test "an unknown command fails with urfave/cli's 'No help topic', exit 3, with or without -h" {
  run "$RUNTIME" --root "$ROOT" foo
  echo "$output"
  [ "$status" -eq 3 ]
  [[ "$output" == *"No help topic for 'foo'"* ]]
  run "$RUNTIME" --root "$ROOT" foo -h
  echo "$output"
  [ "$status" -eq 3 ]
  [[ "$output" == *"No help topic for 'foo'"* ]]
  [[ "$output" != *USAGE* && "$output" != *Usage* ]]
}

@test "checkpoint -h says checkpoint is not supported (jrunc has no CRIU support)" {
  if "$RUNTIME" --version | grep -q '^runc '; then
    skip "runc has checkpoint (CRIU)"
  fi
  run "$RUNTIME" --root "$ROOT" checkpoint -h
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"not supported yet: checkpoint"* ]]
}

@test "--help and create --help have urfave/cli's sections (NAME, USAGE, COMMANDS, OPTIONS)" {
  run "$RUNTIME" --help
  [ "$status" -eq 0 ]
  for s in NAME: USAGE: VERSION: COMMANDS: 'GLOBAL OPTIONS:'; do
    grep -qx "$s" <<<"$output"
  done
  grep -qE '^   create +create a container$' <<<"$output"
  grep -qE '^   --root value +root directory' <<<"$output"
  run "$RUNTIME" create --help
  [ "$status" -eq 0 ]
  for s in NAME: USAGE: DESCRIPTION: OPTIONS:; do
    grep -qx "$s" <<<"$output"
  done
  grep -qE '^   [a-z]+ create - create a container$' <<<"$output"
  grep -qE '^   --bundle value, -b value +path to the root of the bundle' <<<"$output"
}

# sections CMD: the section titles of `CMD --help`, one line
sections() {
  "$RUNTIME" "$@" --help | grep -E '^[A-Z][A-Z0-9 ]*:$' | tr '\n' ' '
}

@test "every command's --help has runc's sections (NAME, USAGE, DESCRIPTION, EXAMPLE, OPTIONS)" {
  # what runc 1.1 prints: DESCRIPTION where it describes the command, EXAMPLE where it gives one,
  # no OPTIONS (nor "[command options]") for a command without flags
  [ "$(sections create)" = "NAME: USAGE: DESCRIPTION: OPTIONS: " ]
  [ "$(sections run)" = "NAME: USAGE: DESCRIPTION: OPTIONS: " ]
  [ "$(sections events)" = "NAME: USAGE: DESCRIPTION: OPTIONS: " ]
  [ "$(sections spec)" = "NAME: USAGE: DESCRIPTION: EXAMPLE: OPTIONS: " ]
  for c in exec kill delete; do
    echo "$c: $(sections $c)"
    [ "$(sections $c)" = "NAME: USAGE: EXAMPLE: OPTIONS: " ]
  done
  [ "$(sections list)" = "NAME: USAGE: EXAMPLE 1: EXAMPLE 2: OPTIONS: " ]
  for c in ps update; do
    [ "$(sections $c)" = "NAME: USAGE: OPTIONS: " ]
  done
  for c in start pause resume state features; do
    echo "$c: $(sections $c)"
    [ "$(sections $c)" = "NAME: USAGE: DESCRIPTION: " ]
    run "$RUNTIME" $c --help
    [[ "$output" != *"[command options]"* ]]
  done
  # the USAGE line names the arguments; the text under it says what they are
  run "$RUNTIME" kill --help
  grep -qE '^   [a-z]+ kill \[command options\] <container-id> \[signal\]$' <<<"$output"
  grep -q '^Where "<container-id>"' <<<"$output"
}

@test "help and h print the app's help or a command's, as runc's help command" {
  app=$("$RUNTIME" --help)
  run "$RUNTIME" help
  [ "$status" -eq 0 ]
  [ "$output" = "$app" ]
  grep -qE '^   help, h +Shows a list of commands or help for one command$' <<<"$output"
  run "$RUNTIME" h
  [ "$status" -eq 0 ]
  [ "$output" = "$app" ]
  create=$("$RUNTIME" create --help)
  for h in help h; do
    run "$RUNTIME" $h create
    [ "$status" -eq 0 ]
    [ "$output" = "$create" ]
  done
  # urfave ignores what follows the topic
  run "$RUNTIME" help create extra
  [ "$status" -eq 0 ]
  [ "$output" = "$create" ]
  run "$RUNTIME" --root "$ROOT" help nosuch
  echo "$output"
  [ "$status" -eq 3 ]
  [[ "$output" == *"No help topic for 'nosuch'"* ]]
}

@test "--debug logs the steps of create, start and exec, in text and json" {
  make_bundle sleep 100
  id=$(cid)
  "$RUNTIME" --root "$ROOT" --debug --log "$WORK/create.log" --log-format json create --bundle "$BUNDLE" "$id" \
    </dev/null >/dev/null 2>&1
  cat "$WORK/create.log"
  # every line is a JSON object; several debug ones
  jq -e . "$WORK/create.log" >/dev/null
  [ "$(jq -r 'select(.level == "debug") | .msg' "$WORK/create.log" | wc -l)" -ge 3 ]
  "$RUNTIME" --root "$ROOT" --debug --log "$WORK/start.log" start "$id" </dev/null >/dev/null 2>&1
  "$RUNTIME" --root "$ROOT" --debug --log "$WORK/exec.log" exec "$id" true </dev/null >/dev/null 2>&1
  # (runc's start logs no debug line; jrunc's says it opened the fifo)
  cat "$WORK/start.log" "$WORK/exec.log"
  [ "$(grep -c 'level=debug' "$WORK/exec.log")" -ge 2 ]
  "$RUNTIME" --root "$ROOT" delete --force "$id"
}

@test "state of a missing container: exit 1, 'does not exist'" {
  run "$RUNTIME" --root "$ROOT" state no-such-container
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "--log FILE --log-format=json writes one JSON object per line" {
  run "$RUNTIME" --root "$ROOT" --log "$WORK/log.json" --log-format=json state no-such-container
  [ "$status" -eq 1 ]
  run jq -r 'select(.level == "error") | .msg' "$WORK/log.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"does not exist"* ]]
  run jq -r '.time' "$WORK/log.json"
  [[ "$output" == 20*Z ]]
}

@test "--log FILE is created even when nothing is logged (the engines read it after a call)" {
  run "$RUNTIME" --root "$ROOT" --log="$WORK/quiet.json" --log-format=json list -q
  [ "$status" -eq 0 ]
  [ -f "$WORK/quiet.json" ]
  [ ! -s "$WORK/quiet.json" ]
}

@test "an invalid container id is refused" {
  run "$RUNTIME" --root "$ROOT" state ../../etc
  [ "$status" -eq 1 ]
  [[ "$output" == *"invalid container ID format"* ]]
}

@test "list on an empty root: table header, json null, quiet nothing" {
  run "$RUNTIME" --root "$ROOT" list
  [ "$status" -eq 0 ]
  [ "$output" = "ID          PID         STATUS      BUNDLE      CREATED     OWNER" ]
  run "$RUNTIME" --root "$ROOT" list --format json
  [ "$status" -eq 0 ]
  [ "$output" = "null" ]
  run "$RUNTIME" --root "$ROOT" list -q
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "list --format with an unknown format fails" {
  run "$RUNTIME" --root "$ROOT" list --format yaml
  [ "$status" -eq 1 ]
  [[ "$output" == *"invalid format option"* ]]
}

@test "spec writes a config.json with a process and a rootfs, and never overwrites it" {
  cd "$WORK"
  run "$RUNTIME" spec
  [ "$status" -eq 0 ]
  [ "$(jq -r '.root.path' config.json)" = "rootfs" ]
  [ "$(jq -r '.process.args[0]' config.json)" = "sh" ]
  [ "$(jq -r '[.linux.namespaces[].type] | index("mount") != null' config.json)" = "true" ]
  before=$(sha256sum config.json)
  run "$RUNTIME" spec
  [ "$status" -eq 1 ]
  [[ "$output" == *"File config.json exists. Remove it first"* ]]
  [ "$(sha256sum config.json)" = "$before" ]
}

@test "spec --bundle writes into the bundle" {
  mkdir "$WORK/b"
  run "$RUNTIME" spec --bundle "$WORK/b"
  [ "$status" -eq 0 ]
  [ -f "$WORK/b/config.json" ]
}

@test "spec --rootless: user namespace mapping the caller, no network namespace" {
  cd "$WORK"
  run "$RUNTIME" spec --rootless
  [ "$status" -eq 0 ]
  [ "$(jq -r '[.linux.namespaces[].type] | index("user") != null' config.json)" = "true" ]
  [ "$(jq -r '[.linux.namespaces[].type] | index("network") == null' config.json)" = "true" ]
  [ "$(jq -r '.linux.uidMappings[0].hostID' config.json)" = "$(id -u)" ]
  [ "$(jq -r '.linux.uidMappings[0].containerID' config.json)" = "0" ]
}

@test "features prints runtime-spec features JSON" {
  run "$RUNTIME" features
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.ociVersionMin and .ociVersionMax'
}

@test "--systemd-cgroup: a bad org.systemd.property.* annotation is refused in runc's words before anything else about systemd, nothing left" {
  make_bundle true
  id=$(cid)
  edit_config '.annotations = {"org.systemd.property.TimeoutStopUSec": "double 1.5"}'
  rt_quiet --systemd-cgroup run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  # (the quotes are escaped in the log line)
  [[ "$output" == *'annotation org.systemd.property.TimeoutStopUSec=double 1.5 value parse error: dbus: can'*'t parse '*'1.5'*' as type '*'f'* ]]
  left_nothing "$id"
  # without --systemd-cgroup the annotations are not read, as runc
  rt_quiet run --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  left_nothing "$id"
}

@test "--systemd-cgroup on a host without a running systemd: runc's error, nothing left" {
  if [ -d /run/systemd/system ]; then skip "systemd runs on this host: its error cannot be seen"; fi
  make_bundle true
  id=$(cid)
  rt_quiet --systemd-cgroup run --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"systemd not running on this host, cannot use systemd cgroups manager"* ]]
  left_nothing "$id"
}
