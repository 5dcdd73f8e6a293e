#!/usr/bin/env bats
# The process's identity and limits seen from inside: user, groups, umask, cwd, rlimits, the five
# capability sets, no_new_privs, sysctl, env.

load helpers

setup() {
  setup_runtime
  make_bundle true
  edit_config '.root.readonly = false'
}

teardown() {
  teardown_containers
}

status_field() { # NAME: the value of NAME: in $output (a /proc/self/status)
  printf '%s\n' "$output" | awk -v n="$1:" '$1 == n { $1 = ""; sub(/^ /, ""); print }'
}

@test "user: uid, gid and additionalGids" {
  edit_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [2000, 3000]}'
  set_args cat /proc/self/status
  run_ct
  [ "$status" -eq 0 ]
  [ "$(status_field Uid | tr -s '\t ' ' ')" = "1000 1000 1000 1000" ]
  [ "$(status_field Gid | tr -s '\t ' ' ')" = "1001 1001 1001 1001" ]
  [ "$(status_field Groups | tr -s '\t ' ' ' | sed 's/ $//')" = "2000 3000" ]
}

@test "user: without additionalGids a non-root process has no supplementary groups" {
  edit_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'id -u; id -g; grep ^Groups: /proc/self/status'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "${lines[1]}" = 1000 ]
  [ "$(echo ${lines[2]})" = "Groups:" ]
}

@test "umask applies to new files; the default is 0022" {
  edit_config '.process.user.umask = 63'
  set_args sh -c 'umask; touch /tmp/f; mkdir /tmp/d; stat -c %a /tmp/f /tmp/d'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0077 ]
  [ "${lines[1]}" = 600 ]
  [ "${lines[2]}" = 700 ]
  edit_config 'del(.process.user.umask)'
  set_args sh -c 'umask; touch /tmp/f2; stat -c %a /tmp/f2'
  run_ct 2
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0022 ]
  [ "${lines[1]}" = 644 ]
}

@test "cwd is the process's working directory" {
  mkdir -p "$BUNDLE/rootfs/work/dir"
  edit_config '.process.cwd = "/work/dir"'
  set_args pwd
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = /work/dir ]
}

@test "a relative cwd is refused and leaves nothing" {
  id=$(cid)
  edit_config '.process.cwd = "work"'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  left_nothing "$id"
}

@test "rlimits: soft and hard values reach the process" {
  edit_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}, {"type": "RLIMIT_CORE", "soft": 0, "hard": 4096}, {"type": "RLIMIT_NPROC", "soft": 77, "hard": 88}]'
  set_args sh -c 'ulimit -n; cat /proc/self/limits'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 321 ]
  [[ "$output" =~ "Max open files"\ +321\ +654\  ]]
  [[ "$output" =~ "Max core file size"\ +0\ +4096\  ]]
  [[ "$output" =~ "Max processes"\ +77\ +88\  ]]
}

@test "an unknown rlimit is refused and leaves nothing" {
  id=$(cid)
  edit_config '.process.rlimits = [{"type": "RLIMIT_WINGS", "soft": 1, "hard": 1}]'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  left_nothing "$id"
}

# CAP_CHOWN = bit 0 (0x1), CAP_KILL = bit 5 (0x20), CAP_NET_BIND_SERVICE = bit 10 (0x400)
CAPS='{"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
       "effective": ["CAP_CHOWN", "CAP_NET_BIND_SERVICE"],
       "permitted": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
       "inheritable": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
       "ambient": ["CAP_NET_BIND_SERVICE"]}'

@test "capabilities of a non-root process: all five sets as execve(2) computes them" {
  edit_config ".process.capabilities = $CAPS | .process.user = {\"uid\": 1000, \"gid\": 1000}"
  set_args cat /proc/self/status
  run_ct
  [ "$status" -eq 0 ]
  # no file capabilities: permitted and effective become the ambient set
  [ "$(status_field CapBnd)" = 0000000000000421 ]
  [ "$(status_field CapInh)" = 0000000000000420 ]
  [ "$(status_field CapAmb)" = 0000000000000400 ]
  [ "$(status_field CapPrm)" = 0000000000000400 ]
  [ "$(status_field CapEff)" = 0000000000000400 ]
}

@test "capabilities of root: the bounding set limits everything" {
  edit_config ".process.capabilities = $CAPS"
  set_args cat /proc/self/status
  run_ct
  [ "$status" -eq 0 ]
  # root's execve: permitted = inheritable | bounding, effective = permitted
  [ "$(status_field CapBnd)" = 0000000000000421 ]
  [ "$(status_field CapInh)" = 0000000000000420 ]
  [ "$(status_field CapAmb)" = 0000000000000400 ]
  [ "$(status_field CapPrm)" = 0000000000000421 ]
  [ "$(status_field CapEff)" = 0000000000000421 ]
}

@test "a capability outside the bounding set is really missing: chown fails without CAP_CHOWN" {
  edit_config '.process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}'
  set_args sh -c 'touch /tmp/x; chown 1234 /tmp/x 2>&1; stat -c %u /tmp/x'
  run_ct
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"Operation not permitted"* ]]
  [ "${lines[1]}" = 0 ]
}

@test "an unknown capability is ignored with a warning, the known ones apply" {
  # runtime-spec: logged as a warning; the runtime SHOULD NOT fail
  edit_config '.process.capabilities = {"bounding": ["CAP_KILL", "CAP_FLY"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}'
  set_args grep ^CapBnd: /proc/self/status
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *CAP_FLY* ]]
  [[ "$output" == *"CapBnd:"*0000000000000020 ]]
}

@test "noNewPrivileges: NoNewPrivs is 1 when set, 0 when not" {
  edit_config '.process.noNewPrivileges = true'
  set_args grep ^NoNewPrivs: /proc/self/status
  run_ct
  [ "$status" -eq 0 ]
  [ "$(echo $output)" = "NoNewPrivs: 1" ]
  edit_config '.process.noNewPrivileges = false'
  run_ct 2
  [ "$status" -eq 0 ]
  [ "$(echo $output)" = "NoNewPrivs: 0" ]
}

@test "sysctl: namespaced keys are set in the container, the host's values are untouched" {
  host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
  host_msgmax=$(cat /proc/sys/kernel/msgmax)
  new_fwd=$((1 - host_fwd))
  edit_config '.linux.sysctl = {"net.ipv4.ip_forward": "'$new_fwd'", "kernel.msgmax": "4321", "kernel.domainname": "sysctl.example"}'
  set_args sh -c 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax /proc/sys/kernel/domainname'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$new_fwd" ]
  [ "${lines[1]}" = 4321 ]
  if ! runc_before 1.2; then [ "${lines[2]}" = sysctl.example ]; fi
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
  [ "$(cat /proc/sys/kernel/msgmax)" = "$host_msgmax" ]
}

@test "sysctl: a key without its own namespace is refused, the host's value is untouched" {
  id=$(cid)
  host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
  edit_config 'del(.linux.namespaces[] | select(.type == "network")) | .linux.sysctl = {"net.ipv4.ip_forward": "'$((1 - host_fwd))'"}'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *'net.ipv4.ip_forward'*'network namespace'* ]]
  left_nothing "$id"
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
}

@test "sysctl: a global key is refused, the host's value is untouched" {
  id=$(cid)
  host_value=$(cat /proc/sys/vm/swappiness)
  edit_config '.linux.sysctl = {"vm.swappiness": "'$(( host_value == 1 ? 2 : 1 ))'"}'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$(cat /proc/sys/vm/swappiness)" = "$host_value" ] || { echo "$host_value" > /proc/sys/vm/swappiness; false; }
  [ "$status" -ne 0 ]
  [[ "$output" == *'vm.swappiness'*'is not in a separate kernel namespace'* ]]
  left_nothing "$id"
}

@test "env: values with '=' and empty values reach the process exactly" {
  edit_config '.process.env = ["PATH=/bin", "A=b=c", "EMPTY=", "SP=x  y", "HOME=/home/x"]'
  set_args env
  run_ct
  [ "$status" -eq 0 ]
  [ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' '|')" = "A=b=c|EMPTY=|HOME=/home/x|PATH=/bin|SP=x  y|" ]
}
