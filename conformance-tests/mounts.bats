#!/usr/bin/env bats
# Mounts seen from inside the container (/proc/self/mountinfo, file contents, write errors):
# order, bind/rbind/ro, flags, tmpfs data, propagation, the root, the standard filesystems,
# --no-pivot, symlinks in the rootfs, masked and read-only paths.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  setup_runtime
  make_bundle true
  HOSTMNT=""
}

teardown() {
  [ -n "$HOSTMNT" ] && umount -l "$HOSTMNT" 2>/dev/null || true
  teardown_containers
}

# add_mount JSON: appends one mount to config.json
add_mount() {
  edit_config ".mounts += [$1]"
}

# run_mountinfo: runs the container printing its mountinfo into $WORK/mi
run_mountinfo() {
  set_args cat /proc/self/mountinfo
  run_ct
  [ "$status" -eq 0 ]
  echo "$output" > "$WORK/mi"
}

# opt_fields MOUNT-POINT: the optional (propagation) fields of the last mount there
opt_fields() {
  awk -v mp="$1" '$5 == mp { f = ""; for (i = 7; $i != "-"; i++) f = f " " $i; line = f } END { print line }' "$WORK/mi"
}

# has_opt "OPTS" OPT: OPT is one of the comma-separated OPTS
has_opt() {
  [[ ",$1," == *",$2,"* ]]
}

@test "mounts are made in the spec's order: a later mount covers an earlier one" {
  mkdir -p "$WORK/one" "$WORK/two"
  echo one > "$WORK/one/f"
  echo two > "$WORK/two/f"
  add_mount '{"destination": "/data", "type": "bind", "source": "'"$WORK/one"'", "options": ["bind"]},
             {"destination": "/data", "type": "bind", "source": "'"$WORK/two"'", "options": ["bind"]},
             {"destination": "/data/sub", "type": "tmpfs", "source": "tmpfs"}'
  set_args sh -c 'cat /data/f; grep -o " /data[^ ]* " /proc/self/mountinfo'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = two ]
  [ "$(echo ${lines[1]})" = /data ]
  [ "$(echo ${lines[2]})" = /data ]
  [ "$(echo ${lines[3]})" = /data/sub ]
  # the tmpfs was made inside the second bind, i.e. in the host's $WORK/two
  [ -d "$WORK/two/sub" ]
  [ ! -e "$WORK/one/sub" ]
}

@test "a directory bind mount shows the host's files and writes through" {
  mkdir -p "$WORK/shared"
  echo from-host > "$WORK/shared/in"
  add_mount '{"destination": "/shared", "type": "bind", "source": "'"$WORK/shared"'", "options": ["bind"]}'
  set_args sh -c 'cat /shared/in && echo from-container > /shared/out'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = from-host ]
  [ "$(cat "$WORK/shared/out")" = from-container ]
}

@test "a file bind mount creates a file mount point" {
  echo file-content > "$WORK/file"
  add_mount '{"destination": "/etc/conf-file", "type": "none", "source": "'"$WORK/file"'", "options": ["bind"]}'
  set_args sh -c 'cat /etc/conf-file; [ -f /etc/conf-file ] && echo is-file'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = file-content ]
  [ "${lines[1]}" = is-file ]
  [ -f "$BUNDLE/rootfs/etc/conf-file" ]
}

@test "a relative bind source is relative to the bundle" {
  mkdir -p "$BUNDLE/rel"
  echo relative > "$BUNDLE/rel/f"
  add_mount '{"destination": "/rel", "type": "bind", "source": "rel", "options": ["bind"]}'
  set_args cat /rel/f
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = relative ]
}

@test "bind does not carry submounts, rbind does" {
  mkdir -p "$WORK/tree/sub"
  mount -t tmpfs conf-sub "$WORK/tree/sub"
  HOSTMNT="$WORK/tree/sub"
  echo in-submount > "$WORK/tree/sub/f"
  add_mount '{"destination": "/b", "type": "bind", "source": "'"$WORK/tree"'", "options": ["bind"]},
             {"destination": "/rb", "type": "bind", "source": "'"$WORK/tree"'", "options": ["rbind"]}'
  set_args sh -c 'cat /b/sub/f 2>/dev/null || echo absent; cat /rb/sub/f'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = absent ]
  [ "${lines[1]}" = in-submount ]
}

@test "a read-only bind mount refuses writes, the host's directory stays writable" {
  mkdir -p "$WORK/ro"
  add_mount '{"destination": "/ro", "type": "bind", "source": "'"$WORK/ro"'", "options": ["rbind", "ro"]}'
  set_args sh -c 'touch /ro/x 2>&1; grep " /ro " /proc/self/mountinfo | cut -d" " -f6'
  run_ct
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"Read-only file system"* ]]
  has_opt "${lines[1]}" ro
  [ ! -e "$WORK/ro/x" ]
  touch "$WORK/ro/x"
}

@test "nosuid, nodev and noexec show in the mount's options; exec is refused" {
  add_mount '{"destination": "/flags", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev", "noexec"]},
             {"destination": "/plain", "type": "tmpfs", "source": "tmpfs"}'
  set_args sh -c 'cp /bin/busybox /flags/bb && /flags/bb true 2>/dev/null && echo ran || echo refused; cat /proc/self/mountinfo'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = refused ]
  echo "$output" > "$WORK/mi"
  opts=$(mount_opts "$WORK/mi" /flags | cut -d" " -f1)
  has_opt "$opts" nosuid
  has_opt "$opts" nodev
  has_opt "$opts" noexec
  opts=$(mount_opts "$WORK/mi" /plain | cut -d" " -f1)
  run ! has_opt "$opts" nosuid
  run ! has_opt "$opts" nodev
  run ! has_opt "$opts" noexec
}

@test "atime options: noatime, nodiratime, strictatime, relatime" {
  add_mount '{"destination": "/noatime", "type": "tmpfs", "source": "tmpfs", "options": ["noatime"]},
             {"destination": "/nodiratime", "type": "tmpfs", "source": "tmpfs", "options": ["nodiratime"]},
             {"destination": "/strict", "type": "tmpfs", "source": "tmpfs", "options": ["strictatime"]},
             {"destination": "/relatime", "type": "tmpfs", "source": "tmpfs", "options": ["relatime"]}'
  run_mountinfo
  opts=$(mount_opts "$WORK/mi" /noatime | cut -d" " -f1)
  has_opt "$opts" noatime
  opts=$(mount_opts "$WORK/mi" /nodiratime | cut -d" " -f1)
  has_opt "$opts" nodiratime
  opts=$(mount_opts "$WORK/mi" /strict | cut -d" " -f1)
  run ! has_opt "$opts" noatime
  run ! has_opt "$opts" relatime
  opts=$(mount_opts "$WORK/mi" /relatime | cut -d" " -f1)
  has_opt "$opts" relatime
}

@test "tmpfs data: size and mode" {
  add_mount '{"destination": "/small", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=0710"]}'
  set_args sh -c 'stat -c %a /small; grep " /small " /proc/self/mountinfo'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 710 ]
  [[ "${lines[1]}" == *"size=1024k"* ]]
}

@test "propagation flags: shared and unbindable" {
  add_mount '{"destination": "/shared", "type": "tmpfs", "source": "tmpfs", "options": ["shared"]},
             {"destination": "/unbindable", "type": "tmpfs", "source": "tmpfs", "options": ["unbindable"]},
             {"destination": "/private", "type": "tmpfs", "source": "tmpfs", "options": ["private"]}'
  run_mountinfo
  [[ "$(opt_fields /shared)" == *shared:* ]]
  [[ "$(opt_fields /unbindable)" == *unbindable* ]]
  [ -z "$(opt_fields /private)" ]
}

@test "rootfsPropagation shared makes the root shared; by default it is not" {
  if runc_before 1.2; then skip "runc < 1.2 loses rootfsPropagation shared (runc#1755, fixed by runc#4724)"; fi
  run_mountinfo
  [[ "$(opt_fields /)" != *shared:* ]]
  edit_config '.linux.rootfsPropagation = "shared"'
  run_mountinfo
  [[ "$(opt_fields /)" == *shared:* ]]
}

@test "root.readonly makes / read-only, the mounts on it stay writable" {
  edit_config '.root.readonly = true'
  set_args sh -c 'touch /x 2>&1; touch /dev/shm/x 2>&1 && echo shm-writable; awk '"'"'$5 == "/" { print $6 }'"'"' /proc/self/mountinfo'
  run_ct
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"Read-only file system"* ]]
  [ "${lines[1]}" = shm-writable ]
  has_opt "${lines[2]}" ro
  [ ! -e "$BUNDLE/rootfs/x" ]
}

@test "/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and /sys have their filesystem types" {
  run_mountinfo
  [ "$(mount_opts "$WORK/mi" /proc | cut -d" " -f2)" = proc ]
  [ "$(mount_opts "$WORK/mi" /dev | cut -d" " -f2)" = tmpfs ]
  [ "$(mount_opts "$WORK/mi" /dev/pts | cut -d" " -f2)" = devpts ]
  [ "$(mount_opts "$WORK/mi" /dev/shm | cut -d" " -f2)" = tmpfs ]
  [ "$(mount_opts "$WORK/mi" /dev/mqueue | cut -d" " -f2)" = mqueue ]
  [ "$(mount_opts "$WORK/mi" /sys | cut -d" " -f2)" = sysfs ]
  has_opt "$(mount_opts "$WORK/mi" /sys | cut -d" " -f1)" ro
  # the spec's data reach the filesystem
  [[ "$(mount_opts "$WORK/mi" /dev/pts)" == *ptmxmode=666* ]]
  [[ "$(mount_opts "$WORK/mi" /dev/shm)" == *size=65536k* ]]
}

@test "the cgroup mount shows the container's own cgroups, read-only" {
  require_ns cgroup
  require_cgroup_v1 pids
  edit_config '.linux.namespaces |= (map(select(.type != "cgroup")) + [{"type": "cgroup"}])'
  # the shell's read builtin: no other process joins the cgroup while it is listed
  set_args sh -c 'grep " /sys/fs/cgroup/pids " /proc/self/mountinfo; while read p; do echo "pid $p"; done < /sys/fs/cgroup/pids/cgroup.procs'
  run_ct
  [ "$status" -eq 0 ]
  has_opt "$(echo "${lines[0]}" | cut -d" " -f6)" ro
  # in its cgroup namespace the container's own cgroup is the root: it holds only pid 1
  [ "${lines[1]}" = "pid 1" ]
  [ "${#lines[@]}" -eq 2 ]
}

@test "without a cgroup namespace the cgroup mount shows the container's own cgroups, read-only" {
  require_cgroup_file memory memory.limit_in_bytes
  edit_config 'del(.linux.namespaces[] | select(.type == "cgroup")) | .linux.cgroupsPath = "/conf-'$$'-nocgns/ct"'
  set_args sh -c 'grep " /sys/fs/cgroup/memory " /proc/self/mountinfo; while read p; do echo "pid $p"; done < /sys/fs/cgroup/memory/cgroup.procs; (echo 1 > /sys/fs/cgroup/memory/memory.limit_in_bytes) 2>/dev/null || echo refused'
  run_ct
  find /sys/fs/cgroup/*/conf-$$-nocgns -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [ "$status" -eq 0 ]
  # the host's cgroup of the container, not the hierarchy's root; read-only
  [ "$(echo "${lines[0]}" | cut -d" " -f4)" = "/conf-$$-nocgns/ct" ]
  has_opt "$(echo "${lines[0]}" | cut -d" " -f6)" ro
  has_opt "$(echo "${lines[0]}" | cut -d" " -f6)" nosuid
  [ "${lines[1]}" = "pid 1" ]
  [ "${#lines[@]}" -eq 3 ]
  [ "${lines[2]}" = refused ]
}

@test "--no-pivot runs the container in its rootfs" {
  id=$(cid)
  set_args sh -c 'ls /bin/busybox && [ ! -e '"$WORK"' ] && echo host-hidden && grep -c . /proc/self/mountinfo'
  run "$RUNTIME" --root "$ROOT" run --no-pivot --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = /bin/busybox ]
  [ "${lines[1]}" = host-hidden ]
}

@test "a mount target behind a symlink to /etc stays in the rootfs" {
  host_target="/etc/conf-$$-escape"
  [ ! -e "$host_target" ]
  ln -s /etc "$BUNDLE/rootfs/evil"
  ln -s "/etc/conf-$$-file" "$BUNDLE/rootfs/evil-file"
  echo bound > "$WORK/file"
  add_mount '{"destination": "/evil/conf-'$$'-escape", "type": "tmpfs", "source": "tmpfs"},
             {"destination": "/evil-file", "type": "bind", "source": "'"$WORK/file"'", "options": ["bind"]}'
  set_args sh -c 'grep -o " /etc/conf-[^ ]* " /proc/self/mountinfo; cat /etc/conf-'$$'-file'
  run_ct
  [ ! -e "$host_target" ] || { rmdir "$host_target"; false; }
  [ ! -e "/etc/conf-$$-file" ] || { rm -f "/etc/conf-$$-file"; false; }
  [ "$status" -eq 0 ]
  [ "$(echo ${lines[0]})" = "/etc/conf-$$-escape" ]
  [ "$(echo ${lines[1]})" = "/etc/conf-$$-file" ]
  [ "${lines[2]}" = bound ]
  [ -d "$BUNDLE/rootfs/etc/conf-$$-escape" ]
}

@test "maskedPaths: a file reads empty, a directory is an empty read-only tmpfs" {
  echo secret > "$BUNDLE/rootfs/etc/secret"
  mkdir -p "$BUNDLE/rootfs/etc/secretdir"
  echo secret > "$BUNDLE/rootfs/etc/secretdir/f"
  edit_config '.linux.maskedPaths += ["/etc/secret", "/etc/secretdir", "/etc/not-there"]'
  set_args sh -c 'echo "[$(cat /etc/secret)]"; ls -A /etc/secretdir | wc -l; touch /etc/secretdir/x 2>&1; cat /proc/timer_list 2>&1 | wc -c'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "[]" ]
  [ "${lines[1]}" = 0 ]
  [[ "${lines[2]}" == *"Read-only file system"* ]]
  [ "${lines[3]}" = 0 ]
  [ "$(cat "$BUNDLE/rootfs/etc/secret")" = secret ]
}

@test "readonlyPaths: writes fail with Read-only file system, the rest stays writable" {
  mkdir -p "$BUNDLE/rootfs/etc/rodir"
  edit_config '.root.readonly = false | .linux.readonlyPaths += ["/etc/rodir", "/etc/not-there"]'
  set_args sh -c 'touch /etc/rodir/x 2>&1; { echo 1 > /proc/sys/kernel/domainname; } 2>&1; touch /etc/rw && echo etc-writable'
  run_ct
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"Read-only file system"* ]]
  [[ "${lines[1]}" == *"Read-only file system"* ]]
  [ "${lines[2]}" = etc-writable ]
}

# --- runc's checkProcMount: nothing mounted inside /proc but the files lxcfs emulates ---

@test "a mount inside /proc is refused with runc's error, and nothing is left" {
  id=$(cid)
  echo sink-unchanged > "$WORK/sink"
  add_mount '{"destination": "/proc/sys/kernel/core_pattern", "type": "bind", "source": "'"$WORK/sink"'", "options": ["bind"]}'
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"\\\"$BUNDLE/rootfs/proc/sys/kernel/core_pattern\\\" cannot be mounted because it is inside /proc"* ]]
  [[ "$output" != *Exception* ]]
  left_nothing "$id"
  [ "$(cat "$WORK/sink")" = sink-unchanged ]
}

@test "a tmpfs inside /proc or at /proc is refused as well" {
  if runc_before 1.2.0; then
    skip "runc before 1.2 checks the destination of bind and other mounts, not of a tmpfs"
  fi
  id=$(cid)
  add_mount '{"destination": "/proc/sys", "type": "tmpfs", "source": "tmpfs"}'
  set_args sleep 100
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/rootfs/proc/sys\\\" cannot be mounted because it is inside /proc"* ]]
  left_nothing "$id"
  edit_config '.mounts[-1].destination = "/proc"'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/rootfs/proc\\\" cannot be mounted because it is not of type proc"* ]]
  left_nothing "$id"
}

@test "a mount through a rootfs symlink that lands inside /proc is refused" {
  id=$(cid)
  echo sink-unchanged > "$WORK/sink"
  ln -s /proc/sys/kernel "$BUNDLE/rootfs/kernel-settings"
  add_mount '{"destination": "/kernel-settings/core_pattern", "type": "bind", "source": "'"$WORK/sink"'", "options": ["bind"]}'
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"\\\"$BUNDLE/rootfs/proc/sys/kernel/core_pattern\\\" cannot be mounted because it is inside /proc"* ]]
  left_nothing "$id"
  [ "$(cat "$WORK/sink")" = sink-unchanged ]
}

@test "a mount at /proc that is not a procfs is refused, a bind of the host's procfs is not" {
  id=$(cid)
  mkdir -p "$WORK/fakeproc"
  add_mount '{"destination": "/proc", "type": "bind", "source": "'"$WORK/fakeproc"'", "options": ["rbind"]}'
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"\\\"$BUNDLE/rootfs/proc\\\" cannot be mounted because it is not of type proc"* ]]
  left_nothing "$id"
  edit_config '.mounts[-1].source = "/proc"'
  set_args sh -c 'test -e /proc/self/status && echo procfs'
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = procfs ]
}

@test "the /proc files lxcfs emulates may be covered by a bind mount" {
  echo "fake uptime" > "$WORK/uptime"
  echo "fake meminfo" > "$WORK/meminfo"
  add_mount '{"destination": "/proc/uptime", "type": "bind", "source": "'"$WORK/uptime"'", "options": ["bind", "ro"]},
             {"destination": "/proc/meminfo", "type": "bind", "source": "'"$WORK/meminfo"'", "options": ["bind", "ro"]}'
  set_args sh -c 'cat /proc/uptime /proc/meminfo'
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fake uptime" ]
  [ "${lines[1]}" = "fake meminfo" ]
}
