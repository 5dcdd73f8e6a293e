#!/usr/bin/env bats
# The tmpcopyup mount option (runc and crun): a tmpfs mounted on a directory of the rootfs starts
# with a copy of what the directory held (types, modes, owners), and writes to it do not reach
# the rootfs.

load helpers

setup() {
  setup_runtime
  make_bundle true
  d="$BUNDLE/rootfs/data"
  mkdir -p "$d/sub/deep"
  echo content > "$d/file"
  chmod 0604 "$d/file"
  chown 123:456 "$d/file"
  echo deep > "$d/sub/deep/f"
  chmod 0711 "$d/sub"
  ln -s ../file "$d/sub/link"
}

teardown() {
  teardown_containers
}

add_tmpfs() {
  jq --argjson o "$1" '.mounts += [{destination: "/data", type: "tmpfs", source: "tmpfs", options: $o}]' \
    "$BUNDLE/config.json" > "$BUNDLE/c" && mv "$BUNDLE/c" "$BUNDLE/config.json"
}

@test "tmpcopyup: the tmpfs holds a copy of the directory, the rootfs is not written" {
  add_tmpfs '["tmpcopyup", "nosuid", "mode=755"]'
  set_args sh -c 'grep " /data " /proc/self/mountinfo | cut -d" " -f9; cat /data/file /data/sub/link /data/sub/deep/f; stat -c "%n %a %u:%g %F" /data/file /data/sub /data/sub/link; readlink /data/sub/link; echo new > /data/new && echo written'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = tmpfs ]
  [ "${lines[1]}" = content ]
  [ "${lines[2]}" = content ]
  [ "${lines[3]}" = deep ]
  [ "${lines[4]}" = "/data/file 604 123:456 regular file" ]
  [ "${lines[5]}" = "/data/sub 711 0:0 directory" ]
  [ "${lines[6]}" = "/data/sub/link 777 0:0 symbolic link" ]
  [ "${lines[7]}" = "../file" ]
  [ "${lines[8]}" = written ]
  [ ! -e "$BUNDLE/rootfs/data/new" ]
}

@test "tmpcopyup with ro: the copy is there and the tmpfs is read-only" {
  add_tmpfs '["tmpcopyup", "ro"]'
  set_args sh -c 'cat /data/file; if touch /data/new 2>/dev/null; then echo writable; else echo read-only; fi'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = content ]
  [ "${lines[1]}" = read-only ]
}
