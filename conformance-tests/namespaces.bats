#!/usr/bin/env bats
# Namespaces seen from inside the container: new ones differ from the host's, joined ones are the
# given ones, uts names, user id maps, the cgroup namespace's root, the time namespace.

load helpers

setup() {
  setup_runtime
  make_bundle true
  # the same namespaces for every runtime (runc 1.1's spec has no cgroup namespace); a cgroup
  # namespace where the kernel has them (the tests of it require it)
  NEW_NS="pid net ipc uts mnt"
  edit_config '.linux.namespaces = [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]'
  if [ -e /proc/self/ns/cgroup ]; then
    NEW_NS="$NEW_NS cgroup"
    edit_config '.linux.namespaces += [{"type": "cgroup"}]'
  fi
  NETNS=""
  HOLDER=""
}

teardown() {
  teardown_containers
  [ -n "$NETNS" ] && ip netns del "$NETNS" 2>/dev/null || true
  if [ -n "$HOLDER" ]; then
    kill -KILL "$HOLDER" 2>/dev/null || true
    wait "$HOLDER" 2>/dev/null || true
  fi
}

# ns_of TYPE...: "type:inode" of this (host) process's namespaces
host_ns() {
  local t
  for t in "$@"; do echo "$t:$(stat -L -c %i /proc/self/ns/$t)"; done
}

# start_uts_holder NAME: a process in a new uts namespace with hostname NAME ($HOLDER)
start_uts_holder() {
  unshare --uts sh -c "hostname $1 && exec sleep 1000" </dev/null >/dev/null 2>&1 3>&- &
  HOLDER=$!
  wait_for grep -q sleep "/proc/$HOLDER/comm"
}

@test "every new namespace of the default spec differs from the host's" {
  set_args sh -c 'for t in '"$NEW_NS"'; do echo "$t:$(stat -L -c %i /proc/self/ns/$t)"; done'
  run_ct
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq "$(echo $NEW_NS | wc -w)" ]
  for l in "${lines[@]}"; do
    t=${l%%:*}
    [ "$l" != "$(host_ns "$t")" ]
  done
}

@test "namespaces not in the spec are the host's" {
  require_ns cgroup user
  edit_config '.linux.namespaces = [{"type": "mount"}, {"type": "pid"}] | del(.hostname)'
  set_args sh -c 'for t in net ipc uts cgroup user; do echo "$t:$(stat -L -c %i /proc/self/ns/$t)"; done'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "$(host_ns net ipc uts cgroup user)" ]
}

@test "a network namespace is joined by path" {
  require_cmd ip
  NETNS="conf-$$-$BATS_TEST_NUMBER"
  ip netns add "$NETNS"
  ip netns exec "$NETNS" ip link set lo up
  edit_config '(.linux.namespaces[] | select(.type == "network")) += {"path": "/run/netns/'"$NETNS"'"}'
  set_args sh -c 'stat -L -c %i /proc/self/ns/net; ip link show lo'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$(stat -L -c %i "/run/netns/$NETNS")" ]
  [[ "$output" == *"LOOPBACK,UP"* ]]
}

@test "a uts namespace is joined by path and keeps its hostname" {
  require_cmd unshare
  start_uts_holder held-uts
  edit_config 'del(.hostname) | (.linux.namespaces[] | select(.type == "uts")) += {"path": "/proc/'"$HOLDER"'/ns/uts"}'
  set_args sh -c 'stat -L -c %i /proc/self/ns/uts; hostname'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "$(stat -L -c %i "/proc/$HOLDER/ns/uts")" ]
  [ "${lines[1]}" = held-uts ]
}

@test "a hostname with a uts namespace joined by path is set in that namespace (runc does)" {
  require_cmd unshare
  require_cmd nsenter
  start_uts_holder held-uts
  edit_config '.hostname = "set-by-runtime" | (.linux.namespaces[] | select(.type == "uts")) += {"path": "/proc/'"$HOLDER"'/ns/uts"}'
  set_args hostname
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = set-by-runtime ]
  [ "$(nsenter --uts="/proc/$HOLDER/ns/uts" hostname)" = set-by-runtime ]
  [ "$(hostname)" != set-by-runtime ]
}

@test "joining a namespace path of another type fails and leaves nothing" {
  require_cmd unshare
  start_uts_holder wrong-type
  id=$(cid)
  edit_config 'del(.hostname) | (.linux.namespaces[] | select(.type == "network")) += {"path": "/proc/'"$HOLDER"'/ns/uts"}'
  set_args true
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  left_nothing "$id"
}

@test "joining a missing namespace path fails and leaves nothing" {
  id=$(cid)
  edit_config '(.linux.namespaces[] | select(.type == "network")) += {"path": "/run/netns/conf-no-such-ns"}'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  left_nothing "$id"
}

@test "the hostname is set in the new uts namespace, the host's is untouched" {
  host_before=$(hostname)
  edit_config '.hostname = "conf-host"'
  set_args hostname
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = conf-host ]
  [ "$(hostname)" = "$host_before" ]
}

@test "the domainname is set in the new uts namespace, the host's is untouched" {
  if runc_before 1.2; then skip "runc < 1.2 ignores domainname"; fi
  domain_before=$(cat /proc/sys/kernel/domainname)
  edit_config '.domainname = "conf.example"'
  set_args cat /proc/sys/kernel/domainname
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = conf.example ]
  [ "$(cat /proc/sys/kernel/domainname)" = "$domain_before" ]
}

@test "a hostname without a new uts namespace is refused and leaves nothing" {
  id=$(cid)
  edit_config '.hostname = "conf-host" | del(.linux.namespaces[] | select(.type == "uts"))'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"unable to set hostname without a private UTS namespace"* ]]
  left_nothing "$id"
}

@test "a user namespace gets the uid and gid mappings" {
  require_ns user
  # the mapped root owns the rootfs, as with any user-namespaced container, and can reach it
  chmod 755 "$WORK"
  chown -R 100000:100000 "$BUNDLE/rootfs"
  edit_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 1000}]
    | .mounts |= map(select(.type != "cgroup"))'
  set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; stat -L -c %i /proc/self/ns/user'
  run_ct
  [ "$status" -eq 0 ]
  [ "$(echo ${lines[0]})" = "0 100000 65536" ]
  [ "$(echo ${lines[1]})" = "0 200000 1000" ]
  [ "${lines[2]}" = 0 ]
  [ "${lines[3]}" != "$(stat -L -c %i /proc/self/ns/user)" ]
}

@test "the cgroup namespace is rooted at the container's cgroup" {
  require_ns cgroup
  set_args cat /proc/self/cgroup
  run_ct
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -gt 0 ]
  for l in "${lines[@]}"; do
    [[ "$l" == *:/ ]]
  done
}

@test "without a cgroup namespace /proc/self/cgroup shows the host path" {
  id=$(cid)
  edit_config 'del(.linux.namespaces[] | select(.type == "cgroup"))'
  set_args cat /proc/self/cgroup
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"/$id"* ]]
}

@test "a new time namespace is created when asked" {
  if runc_before 1.2; then skip "runc < 1.2 does not know the time namespace"; fi
  require_ns time
  edit_config '.linux.namespaces += [{"type": "time"}]'
  set_args sh -c 'stat -L -c %i /proc/self/ns/time'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" != "$(stat -L -c %i /proc/self/ns/time)" ]
}

@test "an ipc namespace is private: host message queues are not visible" {
  require_cmd ipcmk ipcrm
  qid=$(ipcmk -Q | awk '{print $NF}')
  set_args sh -c 'cat /proc/sysvipc/msg | wc -l'
  run_ct
  ipcrm -q "$qid"
  [ "$status" -eq 0 ]
  [ "$output" -eq 1 ]
}

@test "the pid namespace shows only the container's processes" {
  set_args sh -c 'ls -d /proc/[0-9]* | wc -l'
  run_ct
  [ "$status" -eq 0 ]
  # sh and ls (and wc); the host has many more
  [ "$output" -le 3 ]
}

# userns_root_bundle: container root is host uid 100000 (gid 200000), which owns the rootfs
userns_root_bundle() {
  chmod 755 "$WORK"
  chown -R 100000:200000 "$BUNDLE/rootfs"
  edit_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
    | .mounts |= map(select(.type != "cgroup"))'
}

@test "a user namespace binds sources its root cannot reach (opened by the runtime, as runc)" {
  require_ns user
  userns_root_bundle
  # only host root may enter $WORK/private: the container's root (host uid 100000) may not
  mkdir -p "$WORK/private/dir"
  chmod 700 "$WORK/private"
  echo in-dir > "$WORK/private/dir/data"
  echo in-file > "$WORK/private/file"
  chmod 755 "$WORK/private/dir"
  chmod 644 "$WORK/private/dir/data" "$WORK/private/file"
  edit_config '.mounts += [
      {"destination": "/mnt/dir", "type": "bind", "source": "'"$WORK/private/dir"'", "options": ["bind", "ro"]},
      {"destination": "/mnt/file", "type": "bind", "source": "'"$WORK/private/file"'", "options": ["rbind"]}]'
  set_args sh -c 'cat /mnt/dir/data /mnt/file; ls /proc/self/fd | tr "\n" " "'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = in-dir ]
  [ "${lines[1]}" = in-file ]
  # stdio and the fd of ls's own listing: no source fd reached the process
  [ "${lines[2]}" = "0 1 2 3 " ]
}

@test "exec --cwd into a bind target of a user namespace its root could not reach on the host" {
  require_ns user
  userns_root_bundle
  mkdir -p "$WORK/private/dir"
  chmod 700 "$WORK/private"
  echo in-dir > "$WORK/private/dir/data"
  chmod 755 "$WORK/private/dir"
  edit_config '.mounts += [{"destination": "/mnt/dir", "type": "bind", "source": "'"$WORK/private/dir"'", "options": ["rbind"]}]'
  set_args sleep 100
  id=$(cid)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  run "$RUNTIME" --root "$ROOT" exec --cwd /mnt/dir "$id" sh -c 'pwd; cat data'
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = /mnt/dir ]
  [ "${lines[1]}" = in-dir ]
}

@test "a user namespace's bind source that does not exist fails clearly and leaves nothing" {
  require_ns user
  userns_root_bundle
  id=$(cid)
  edit_config '.mounts += [{"destination": "/mnt/dir", "type": "bind", "source": "'"$WORK/no-such-source"'", "options": ["rbind"]}]'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  # runc 1.1: "failed to open mount source PATH: No such file or directory"
  [[ "$output" == *"mount source $WORK/no-such-source: "[Nn]"o such file or directory"* ]]
  left_nothing "$id"
  # no process of the container is left either (its init would hold the mapped uid; a zombie is
  # dead: pid 1 of this host may not reap orphans)
  [ -z "$(ps -eo uid=,stat= | awk '$1 == 100000 && $2 !~ /^Z/')" ]
}
