#!/usr/bin/env bats
# /dev seen from inside the container: the default devices, linux.devices (char, block, fifo,
# mode and owner), the /dev symlinks, bad device entries.

load helpers

setup() {
  setup_runtime
  make_bundle true
}

teardown() {
  teardown_containers
}

@test "the default devices: character devices with their numbers, mode 0666, owned by root" {
  # busybox stat: %t and %T are the major and minor in hex (the same as decimal below 10)
  set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a %u:%g" /dev/$d; done'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "/dev/null character special file 1:3 666 0:0" ]
  [ "${lines[1]}" = "/dev/zero character special file 1:5 666 0:0" ]
  [ "${lines[2]}" = "/dev/full character special file 1:7 666 0:0" ]
  [ "${lines[3]}" = "/dev/random character special file 1:8 666 0:0" ]
  [ "${lines[4]}" = "/dev/urandom character special file 1:9 666 0:0" ]
  [ "${lines[5]}" = "/dev/tty character special file 5:0 666 0:0" ]
  [ "${#lines[@]}" -eq 6 ]
}

@test "the default devices work: null, zero, full, urandom" {
  set_args sh -c 'echo x > /dev/null && echo null-ok; head -c 4 /dev/zero | od -An -tx1; { echo x > /dev/full; } 2>&1; head -c 16 /dev/urandom | wc -c'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = null-ok ]
  [ "$(echo ${lines[1]})" = "00 00 00 00" ]
  [[ "${lines[2]}" == *"No space left on device"* ]]
  [ "$(echo ${lines[3]})" = 16 ]
}

@test "linux.devices: a character device with its mode, uid and gid" {
  edit_config '.linux.devices = [{"path": "/dev/conf-char", "type": "c", "major": 1, "minor": 3, "fileMode": 416, "uid": 1000, "gid": 1001}]'
  set_args stat -c "%F %t:%T %a %u:%g" /dev/conf-char
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "character special file 1:3 640 1000:1001" ]
}

@test "linux.devices: a block device" {
  edit_config '.linux.devices = [{"path": "/dev/conf-block", "type": "b", "major": 7, "minor": 200, "fileMode": 384}]'
  set_args stat -c "%F %t:%T %a %u:%g" /dev/conf-block
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "block special file 7:c8 600 0:0" ]
}

@test "linux.devices: a fifo" {
  edit_config '.linux.devices = [{"path": "/dev/conf-fifo", "type": "p", "fileMode": 420}]'
  set_args sh -c 'stat -c "%F %a" /dev/conf-fifo; (echo through-fifo > /dev/conf-fifo &); cat /dev/conf-fifo'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fifo 644" ]
  [ "${lines[1]}" = through-fifo ]
}

@test "linux.devices: missing parent directories are created" {
  edit_config '.linux.devices = [{"path": "/dev/conf/sub/null", "type": "c", "major": 1, "minor": 3}]'
  set_args stat -c "%F %t:%T" /dev/conf/sub/null
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "character special file 1:3" ]
}

@test "linux.devices: an entry for a default device replaces it" {
  edit_config '.linux.devices = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 0, "gid": 0}]
    | .linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
  set_args stat -c "%t:%T %a" /dev/null
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "1:3 660" ]
}

@test "the /dev symlinks: fd, stdin, stdout, stderr, ptmx" {
  set_args sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done; [ -c /dev/pts/ptmx ] && echo pts-ptmx'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fd -> /proc/self/fd" ]
  [ "${lines[1]}" = "stdin -> /proc/self/fd/0" ]
  [ "${lines[2]}" = "stdout -> /proc/self/fd/1" ]
  [ "${lines[3]}" = "stderr -> /proc/self/fd/2" ]
  [ "${lines[4]}" = "ptmx -> pts/ptmx" ]
  [ "${lines[5]}" = pts-ptmx ]
}

@test "/dev holds only what the runtime made: no host device leaks in" {
  set_args sh -c 'ls /dev | sort | tr "\n" " "'
  run_ct
  [ "$status" -eq 0 ]
  for d in sda vda loop0 kmsg mem; do
    [[ " $output " != *" $d "* ]]
  done
  [[ " $output " == *" null "* ]]
}

@test "a device of an unknown type is refused and leaves nothing" {
  id=$(cid)
  edit_config '.linux.devices = [{"path": "/dev/bad", "type": "x", "major": 1, "minor": 3}]'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  left_nothing "$id"
  [ ! -e "$BUNDLE/rootfs/dev/bad" ]
}
