#!/usr/bin/env bats
# Idmapped bind mounts (mount uidMappings/gidMappings): the container sees the source's owners
# through the mount's mapping, and what it writes lands on disk mapped back.

load helpers

setup() {
  setup_runtime
  if runc_before 1.2; then
    skip "runc 1.1 has no idmapped mounts (runc 1.2 added them)"
  fi
  make_bundle true
  SRC="$WORK/src"
  mkdir -p "$SRC"
  echo hi > "$SRC/f"
  chown 5:6 "$SRC/f"
  chmod 0777 "$SRC"
}

teardown() {
  teardown_containers
}

# require_idmapped_mounts: the kernel idmaps bind mounts of $SRC's filesystem (mount_setattr
# came with Linux 5.12; tmpfs learned idmapped mounts in 6.3)
require_idmapped_mounts() {
  require_kernel 5.12 "idmapped mounts"
  if [ "$(stat -f -c %T "$SRC")" = tmpfs ]; then
    require_kernel 6.3 "idmapped mounts of tmpfs, where $SRC is"
  fi
}

# idmap_mount UID-HOST GID-HOST [JQ-OPTIONS]: binds $SRC on /m with mappings 0 -> HOST, size 65536
idmap_mount() {
  jq --arg s "$SRC" --argjson u "$1" --argjson g "$2" --argjson o "${3:-[\"rbind\"]}" \
    '.root.readonly = false | .mounts += [{destination: "/m", type: "bind", source: $s, options: $o,
      uidMappings: [{containerID: 0, hostID: $u, size: 65536}], gidMappings: [{containerID: 0, hostID: $g, size: 65536}]}]' \
    "$BUNDLE/config.json" > "$BUNDLE/c" && mv "$BUNDLE/c" "$BUNDLE/config.json"
}

@test "idmap: the container sees the source's owners through the mount's mapping" {
  require_idmapped_mounts
  idmap_mount 1000 2000
  set_args sh -c 'stat -c "%u:%g" /m/f; grep " /m " /proc/self/mountinfo | grep -c idmapped'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "1005:2006" ]
  [ "${lines[1]}" = 1 ]
  [ "$(stat -c %u:%g "$SRC/f")" = "5:6" ]
}

@test "idmap: in a user namespace, the container's root writes the source's root" {
  require_idmapped_mounts
  require_ns user
  idmap_mount 100000 100000 '["rbind", "nosuid"]'
  jq '.linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
    | .mounts |= map(select(.type != "cgroup" and .destination != "/sys"))' "$BUNDLE/config.json" > "$BUNDLE/c"
  mv "$BUNDLE/c" "$BUNDLE/config.json"
  chown -R 100000:100000 "$BUNDLE/rootfs"
  chmod 0755 "$WORK" "$BUNDLE" # the container's root (host uid 100000) walks to its rootfs
  set_args sh -c 'stat -c "%u:%g" /m/f; echo new > /m/new && stat -c "%u:%g" /m/new; grep " /m " /proc/self/mountinfo | grep -c nosuid'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "5:6" ]
  [ "${lines[1]}" = "0:0" ]
  [ "${lines[2]}" = 1 ]
  [ "$(stat -c %u:%g "$SRC/new")" = "0:0" ]
}

@test "idmap: a non-bind idmapped mount is refused and leaves nothing" {
  jq '.mounts += [{destination: "/m", type: "tmpfs", source: "tmpfs",
      uidMappings: [{containerID: 0, hostID: 1000, size: 1}], gidMappings: [{containerID: 0, hostID: 1000, size: 1}]}]' \
    "$BUNDLE/config.json" > "$BUNDLE/c"
  mv "$BUNDLE/c" "$BUNDLE/config.json"
  id=$(cid)
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"mounts["*"]: idmapped mounts are supported for bind mounts only"* ]]
  [ -z "$("$RUNTIME" --root "$ROOT" list -q)" ]
  cgroup_gone "$id"
}
