#!/usr/bin/env bats
# runc's published advisories, one class each, attacked for real from the container (or from a
# rootfs the container controls) and shown to fail: CVE-2019-5736 (the runtime's executable),
# CVE-2019-19921 and CVE-2021-30465 (mount targets through symlinks, racing swaps included),
# CVE-2024-21626 (fds of the runtime; cwd through /proc/self/fd), CVE-2025-31133 (maskedPaths
# with a fake /dev/null), CVE-2025-52565 (/dev/console, /dev/pts and /dev/ptmx through symlinks), CVE-2025-52881
# (procfs writes of the runtime redirected by a mount), and the host's /dev/null changed
# through a device bound into a user namespace. runc 1.1.5 (this host's) is vulnerable to some:
# those tests skip for it with the version that fixed it, or where no runc release does.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  require_root
  setup_runtime
  make_bundle true
  edit_config '.root.readonly = false'
  MARKER="host-marker-$$-$BATS_TEST_NUMBER"
  echo "$MARKER" > "$WORK/$MARKER"
  SWAPPER=""
}

teardown() {
  if [ -n "$SWAPPER" ]; then
    kill "$SWAPPER" 2>/dev/null || true
    wait "$SWAPPER" 2>/dev/null || true
  fi
  # a failed test of the /dev/null escape must not leave the host's node changed
  if [ "$(stat -c '%a %u %g' /dev/null)" != "666 0 0" ]; then
    chmod 666 /dev/null
    chown 0:0 /dev/null
  fi
  teardown_containers
}

rt() {
  "$RUNTIME" --root "$ROOT" "$@"
}

# runtime_sums: sha256 of every executable of the runtime under test (jrunc: the CLI and
# jrunc-init beside it; runc: itself)
runtime_sums() {
  local f
  for f in "$RUNTIME" "$(dirname "$RUNTIME")/jrunc-init"; do
    if [ -f "$f" ]; then sha256sum "$f"; fi
  done
}

# dev_from_rootfs: no tmpfs on /dev, the rootfs's own /dev is used (the runtime still makes
# its default devices and symlinks there); a file the image controls
dev_from_rootfs() {
  edit_config 'del(.mounts[] | select(.destination == "/dev"))'
  mkdir -p "$BUNDLE/rootfs/dev"
}

# --- CVE-2019-5736: overwrite the runtime's executable through /proc/PID/exe ---

@test "CVE-2019-5736: a created container's init executable cannot be written from inside" {
  id=$(cid)
  before=$(runtime_sums)
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  # direct: the init is pid 1 while created
  run rt exec "$id" sh -c 'echo evil >> /proc/1/exe && echo WROTE'
  echo "$output"
  [[ "$output" != *WROTE* ]]
  # held: open it now, write once nothing runs it any more (the advisory's O_PATH trick)
  # (a failed `exec 3<` would end sh: try the open first)
  rt exec -d "$id" sh -c 'cat /proc/1/exe > /dev/null 2>&1 || { echo open-refused > /tmp/r; exit 0; }
    exec 3</proc/1/exe
    while [ ! -e /tmp/go ]; do sleep 0.05; done
    if echo evil >> /proc/self/fd/3; then echo WROTE > /tmp/r; else echo write-refused > /tmp/r; fi' </dev/null >/dev/null 2>&1
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  rt exec "$id" touch /tmp/go
  wait_for test -s "$BUNDLE/rootfs/tmp/r"
  cat "$BUNDLE/rootfs/tmp/r"
  grep -qx -e open-refused -e write-refused "$BUNDLE/rootfs/tmp/r"
  [ "$(runtime_sums)" = "$before" ]
}

@test "CVE-2019-5736: run: a startContainer hook in the container (with CAP_SYS_PTRACE) cannot write the init's executable" {
  before=$(runtime_sums)
  edit_config '.process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])
    | .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "if echo evil >> /proc/1/exe; then echo WROTE; else echo refused; fi > /tmp/hook.out 2>&1"]}]'
  set_args cat /tmp/hook.out
  run_ct
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = refused ]
  [ "$(runtime_sums)" = "$before" ]
}

@test "CVE-2019-5736: exec: a process watching for the runtime's executable in the container cannot write it" {
  id=$(cid)
  before=$(runtime_sums)
  # The watcher looks at every process of the container that is not itself, one of its children,
  # a zombie or busybox: such a process is the runtime's code in the container (an exec'd process
  # before its execve). It logs "saw" for each; it holds the executable of those it may open
  # (at most 60) until told to stop (or 2,000,000 rounds), then writes each one: the processes
  # that ran them are gone by then.
  cat > "$BUNDLE/rootfs/watch.sh" <<'EOF'
self=$$; n=0; held=""; round=0
while [ ! -e /tmp/stop ] && [ "$round" -lt 2000000 ]; do
  round=$((round + 1))
  for d in /proc/[0-9]*; do
    [ "${d#/proc/}" != "$self" ] || continue
    t=$(readlink "$d/exe" 2>/dev/null)
    case "$t" in */busybox) continue ;; esac
    st=$(cat "$d/status" 2>/dev/null) || continue
    case "$st" in *"State:"*Z*) continue ;; esac
    pp=$(echo "$st" | grep '^PPid:')
    [ "${pp##*[!0-9]}" != "$self" ] || continue
    echo "saw ${d#/proc/} [$t] $(echo "$st" | grep '^Name:')" >> /tmp/log
    [ -n "$t" ] || continue
    cat "$d/exe" > /dev/null 2>&1 || continue
    n=$((n + 1)); [ "$n" -lt 60 ] || break 2
    fd=$((n + 9))
    eval "command exec $fd<\"$d/exe\"" 2>/dev/null && held="$held $fd" && echo "held $t" >> /tmp/log
  done
done
for fd in $held; do
  if echo evil >> /proc/self/fd/$fd; then echo WROTE >> /tmp/log; else echo refused >> /tmp/log; fi
done
echo "done after $round rounds" >> /tmp/log; sleep 100
EOF
  set_args sh /watch.sh
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  # exec until the watcher has seen the runtime in the container (at most 30 times each way)
  for _ in $(seq 30); do
    rt exec "$id" true || { cat "$WORK/rt.out" "$BUNDLE/rootfs/tmp/log"; false; }
    # the advisory's entry point: the exec'd process is the runtime's own executable
    rt exec "$id" /proc/self/exe >/dev/null 2>&1 || true
    if grep -q '^saw ' "$BUNDLE/rootfs/tmp/log" 2>/dev/null; then break; fi
  done
  touch "$BUNDLE/rootfs/tmp/stop"
  wait_for grep -q '^done' "$BUNDLE/rootfs/tmp/log"
  cat "$BUNDLE/rootfs/tmp/log"
  # the attack really ran: the runtime's code was seen in the container
  grep -q '^saw ' "$BUNDLE/rootfs/tmp/log"
  run ! grep -q WROTE "$BUNDLE/rootfs/tmp/log"
  [ "$(runtime_sums)" = "$before" ]
}

# --- CVE-2019-19921: proc and sysfs on a symlink of the rootfs ---

@test "CVE-2019-19921: a rootfs whose /proc is a symlink is refused with runc's error" {
  id=$(cid)
  mkdir -p "$WORK/hostproc"
  rmdir "$BUNDLE/rootfs/proc" 2>/dev/null || true
  ln -s "$WORK/hostproc" "$BUNDLE/rootfs/proc"
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *'filesystem '*proc*' must be mounted on ordinary directory'* ]]
  [ -z "$(ls -A "$WORK/hostproc")" ]
  left_nothing "$id"
}

@test "CVE-2019-19921: a rootfs whose /sys is a symlink is refused" {
  id=$(cid)
  mkdir -p "$WORK/hostsys"
  rmdir "$BUNDLE/rootfs/sys" 2>/dev/null || true
  ln -s "$WORK/hostsys" "$BUNDLE/rootfs/sys"
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *'filesystem '*sysfs*' must be mounted on ordinary directory'* ]]
  [ -z "$(ls -A "$WORK/hostsys")" ]
  left_nothing "$id"
}

# --- CVE-2021-30465: a mount target swapped for a symlink while create runs ---

@test "CVE-2021-30465: a mount target swapped for a symlink out of the rootfs while create runs stays in the rootfs (200 attempts)" {
  mkdir -p "$WORK/hostdir" "$WORK/src" "$BUNDLE/rootfs/inner"
  echo bound > "$WORK/src/file"
  ln -s inner "$BUNDLE/rootfs/swap"
  edit_config '.mounts += [{"destination": "/swap/t1", "type": "tmpfs", "source": "tmpfs"},
    {"destination": "/swap/t2", "type": "bind", "source": "'"$WORK/src"'", "options": ["bind"]}]'
  # the attacker: /swap flips between a directory of the rootfs and the host's $WORK/hostdir
  (
    cd "$BUNDLE/rootfs"
    while :; do
      ln -sfn inner swap.new && mv -T swap.new swap
      ln -sfn "$WORK/hostdir" swap.new && mv -T swap.new swap
    done
  ) &
  SWAPPER=$!
  ok=0
  failed=0
  # bounded: 200 attempts, or 120 s (the JVM launcher is slow), whichever comes first
  SECONDS=0
  for i in $(seq 200); do
    if rt run --bundle "$BUNDLE" "$(cid "$i")" </dev/null >/dev/null 2>&1; then ok=$((ok + 1)); else failed=$((failed + 1)); fi
    [ "$SECONDS" -lt 120 ] || break
  done
  kill "$SWAPPER"
  wait "$SWAPPER" 2>/dev/null || true
  SWAPPER=""
  echo "attempts: $((ok + failed)), succeeded: $ok, refused: $failed"
  ls -la "$WORK/hostdir"
  [ -z "$(ls -A "$WORK/hostdir")" ]
  run ! grep -q " $WORK/hostdir" /proc/self/mountinfo
  [ "$((ok + failed))" -ge 20 ]
}

# --- CVE-2024-21626: fds of the runtime reachable from the container ---

@test "CVE-2024-21626: no fd of a created container's init leads out of the container" {
  id=$(cid)
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  # every fd of the init that is a directory, followed up to / and down to this test's $WORK
  run rt exec "$id" sh -c 'for f in /proc/1/fd/*; do
      [ -d "$f" ] || continue
      cat "$f/../../../../../../../..'"$WORK/$MARKER"'" 2>/dev/null
      cat "$f/'"$MARKER"'" "$f/../'"$MARKER"'" "$f/../../'"$MARKER"'" 2>/dev/null
    done; echo checked'
  echo "$output"
  [[ "$output" == *checked* ]]
  [[ "$output" != *"$MARKER"* ]]
}

@test "CVE-2024-21626: a created container's init shows the container no fd of the runtime" {
  if is_runc; then
    skip "runc's created init keeps its exec fifo, sync pipes and epoll fd where the container can read them (runc 1.1.5 here; no host fd)"
  fi
  id=$(cid)
  set_args sleep 100
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  run rt exec "$id" sh -c 'for f in /proc/1/fd/* /proc/1/exe; do echo "$f -> $(readlink "$f" 2>&1)"; done'
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" != *exec.fifo* ]]
  [[ "$output" != *socket:* ]]
  [[ "$output" != *memfd:* ]]
  # no fd above stdio, nor the executable, resolves to anything
  run ! grep -E '^/proc/1/(fd/([3-9]|[1-9][0-9]+)|exe) -> [/a-z]' <<<"$output"
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  # after start: pid 1 is the container's process, with stdio only
  run rt exec "$id" ls /proc/1/fd
  [ "$(echo $output)" = "0 1 2" ]
}

@test "CVE-2024-21626: process.cwd and exec --cwd of /proc/self/fd/N never leave the container" {
  # runc 1.1.5 as Debian ships it (1.1.5+ds1-1+deb12u1) carries the 1.1.12 fix and passes
  escape='cat ../../../../../../../../..'"$WORK/$MARKER"' 2>/dev/null; echo cwd=$(pwd)'
  for n in 3 4 5 6 7 8 9 10; do
    edit_config '.process.cwd = "/proc/self/fd/'$n'"'
    set_args sh -c "$escape"
    run rt run --bundle "$BUNDLE" "$(cid "$n")"
    echo "fd $n: status=$status $output"
    [[ "$output" != *"$MARKER"* ]]
  done
  edit_config '.process.cwd = "/"'
  set_args sleep 100
  id=$(cid exec)
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  for n in 3 4 5 6 7 8 9 10; do
    run rt exec --cwd "/proc/self/fd/$n" "$id" sh -c "$escape"
    echo "exec fd $n: status=$status $output"
    [[ "$output" != *"$MARKER"* ]]
  done
}

# --- CVE-2025-31133: maskedPaths with a /dev/null that is not the null device ---

# runc 1.1.5 fails to start both /dev/null containers, as jrunc refuses them: nothing leaks
@test "CVE-2025-31133: a /dev/null that is a symlink to a procfs file does not unmask it" {
  dev_from_rootfs
  ln -sfn /proc/sys/kernel/hostname "$BUNDLE/rootfs/dev/null"
  edit_config '.hostname = "leaked-through-mask" | .linux.maskedPaths = ["/proc/kcore", "/proc/timer_list"]'
  set_args sh -c 'cat /proc/timer_list | head -c 100; echo; stat -c %F /proc/kcore'
  run_ct
  [[ "$output" != *leaked-through-mask* ]]
}

@test "CVE-2025-31133: a /dev/null that is a regular file does not become the mask" {
  dev_from_rootfs
  rm -f "$BUNDLE/rootfs/dev/null"
  echo "not-null-$MARKER" > "$BUNDLE/rootfs/dev/null"
  edit_config '.linux.maskedPaths = ["/proc/kcore"]'
  set_args sh -c 'head -c 64 /proc/kcore | tr -dc "a-z0-9-"; echo'
  run_ct
  [[ "$output" != *"not-null-$MARKER"* ]]
}

# --- CVE-2025-52565: /dev/console, /dev/pts and /dev/ptmx through symlinks ---

@test "CVE-2025-52565: a /dev/console that is a symlink into /proc does not get the console" {
  if runc_before 1.2.8; then
    skip "runc before 1.2.8 binds the console through a /dev/console symlink (CVE-2025-52565, fixed in 1.2.8)"
  fi
  require_static_cc
  id=$(cid)
  dev_from_rootfs
  ln -sfn /proc/sys/kernel/shmmax "$BUNDLE/rootfs/dev/console"
  host_value=$(cat /proc/sys/kernel/shmmax)
  set_args sleep 100
  edit_config '.process.terminal = true'
  gcc -static -O2 -o "$WORK/sockhelper" "$BATS_TEST_DIRNAME/sockhelper.c"
  "$WORK/sockhelper" recvtty "$WORK/console.sock" "$WORK/tty.out" &
  SWAPPER=$!
  wait_for test -S "$WORK/console.sock"
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  echo "$output"
  if [ "$status" -eq 0 ]; then
    # created: the procfs file must still be itself, not the pty
    run rt exec "$id" stat -c %F /proc/sys/kernel/shmmax
    echo "$output"
    [ "$output" != "character special file" ]
  else
    [[ "$output" == *"/dev/console"* ]]
    left_nothing "$id"
  fi
  [ "$(cat /proc/sys/kernel/shmmax)" = "$host_value" ]
}

# console_socket: a recvtty listening on $WORK/console.sock (killed in teardown)
console_socket() {
  require_static_cc
  gcc -static -O2 -o "$WORK/sockhelper" "$BATS_TEST_DIRNAME/sockhelper.c"
  "$WORK/sockhelper" recvtty "$WORK/console.sock" "$WORK/tty.out" &
  SWAPPER=$!
  wait_for test -S "$WORK/console.sock"
}

@test "CVE-2025-52565: a rootfs whose /dev/pts is a symlink into /proc gets no devpts or console there" {
  id=$(cid)
  dev_from_rootfs
  ln -sfn /proc/sys/kernel "$BUNDLE/rootfs/dev/pts"
  set_args sleep 100
  edit_config '.process.terminal = true'
  console_socket
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  echo "$output"
  # runc's words: the devpts mount is refused where it really lands, before the console
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot be mounted because it is inside /proc"* ]]
  [[ "$output" == *"/proc/sys/kernel"* ]]
  left_nothing "$id"
}

@test "CVE-2025-52565: a rootfs whose /dev/pts is a symlink out of the rootfs gets devpts and the console inside it" {
  id=$(cid)
  dev_from_rootfs
  mkdir -p "$WORK/hostpts"
  # absolute and relative ways out: both are resolved inside the rootfs
  ln -sfn "$WORK/hostpts" "$BUNDLE/rootfs/dev/pts"
  set_args sh -c 'stat -f -c %T /dev/pts/; readlink /proc/self/fd/0; sleep 100'
  edit_config '.process.terminal = true'
  console_socket
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  created=$status
  echo "$output"
  run ! grep -q " $WORK/hostpts " /proc/self/mountinfo
  [ -z "$(ls -A "$WORK/hostpts")" ]
  if [ "$created" -eq 0 ]; then
    rt_quiet start "$id"
    [ "$status" -eq 0 ]
    # the pty is one of the devpts now at <rootfs>$WORK/hostpts
    wait_for grep -q "$WORK/hostpts/[0-9]" "$WORK/tty.out"
    tr -d '\r' < "$WORK/tty.out" | tee "$WORK/tty.txt"
    grep -qx devpts "$WORK/tty.txt"
  else
    left_nothing "$id"
  fi
  run ! grep -q " $WORK/hostpts " /proc/self/mountinfo
  [ -z "$(ls -A "$WORK/hostpts")" ]
}

@test "CVE-2025-52565: a /dev/ptmx that is a symlink into /proc is replaced, not followed" {
  id=$(cid)
  dev_from_rootfs
  ln -sfn /proc/sys/kernel/shmmax "$BUNDLE/rootfs/dev/ptmx"
  host_value=$(cat /proc/sys/kernel/shmmax)
  set_args sh -c 'readlink /dev/ptmx; stat -c %F /proc/sys/kernel/shmmax; readlink /proc/self/fd/0; sleep 100'
  edit_config '.process.terminal = true'
  console_socket
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  wait_for grep -q '/dev/pts/' "$WORK/tty.out"
  tr -d '\r' < "$WORK/tty.out" > "$WORK/tty.txt"
  cat "$WORK/tty.txt"
  [ "$(sed -n 1p "$WORK/tty.txt")" = pts/ptmx ]
  [ "$(sed -n 2p "$WORK/tty.txt")" != "character special file" ]
  [ "$(cat /proc/sys/kernel/shmmax)" = "$host_value" ]
}

@test "CVE-2025-52565: a /dev/pts of the image that is no devpts (its own ptmx node, no devpts mount) gives no console" {
  id=$(cid)
  dev_from_rootfs
  edit_config 'del(.mounts[] | select(.destination == "/dev/pts"))'
  mkdir -p "$BUNDLE/rootfs/dev/pts"
  mknod -m 666 "$BUNDLE/rootfs/dev/pts/ptmx" c 5 2
  set_args sleep 100
  edit_config '.process.terminal = true'
  console_socket
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *ptmx* || "$output" == *"/dev/pts"* ]]
  left_nothing "$id"
}

# --- CVE-2025-52881: procfs writes of the runtime redirected by a mount ---

# both refuse the mount itself ("cannot be mounted because it is inside /proc", checkProcMount);
# jrunc's init would also refuse the write through a mount (in_proc), a second line
@test "CVE-2025-52881: a sysctl whose /proc/sys file is covered by a bind mount is not written through it" {
  id=$(cid)
  echo sink-unchanged > "$WORK/sink"
  edit_config '.mounts += [{"destination": "/proc/sys/net/ipv4/ip_forward", "type": "bind", "source": "'"$WORK/sink"'", "options": ["bind"]}]
    | .linux.sysctl = {"net.ipv4.ip_forward": "1"}'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$(cat "$WORK/sink")" = sink-unchanged ]
  [ "$status" -ne 0 ]
  left_nothing "$id"
}

@test "CVE-2025-52881: the AppArmor exec attribute covered by a bind mount is not written through it" {
  apparmor_enabled || skip "needs AppArmor, which this host does not enable"
  require_cmd aa-status
  if runc_before 1.2.8; then
    skip "runc before 1.2.8 writes /proc/self/attr through a mount over it (CVE-2025-52881, fixed in 1.2.8)"
  fi
  id=$(cid)
  echo sink-unchanged > "$WORK/sink"
  edit_config '.mounts += [{"destination": "/proc/1/attr/apparmor/exec", "type": "bind", "source": "'"$WORK/sink"'", "options": ["bind"]}]
    | .process.apparmorProfile = "unconfined"'
  rt_quiet run --bundle "$BUNDLE" "$id"
  echo "$output"
  [ "$(cat "$WORK/sink")" = sink-unchanged ]
}

# --- the host's /dev/null through a device bound into a user namespace ---

@test "a container root mapped to host uid 0 cannot chmod or chown the host's /dev/null through its bound device" {
  if is_runc; then
    skip "runc (1.1.5 here) binds the host's device nodes writable into a user namespace: the host's /dev/null changes"
  fi
  require_ns user
  edit_config '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]'
  set_args sh -c 'chmod 600 /dev/null; chmod 755 /dev/zero; chown 5:5 /dev/null; echo x > /dev/null && echo write-ok; head -c 4 /dev/zero | wc -c'
  before_null=$(stat -c '%a %u %g' /dev/null)
  before_zero=$(stat -c '%a %u %g' /dev/zero)
  run_ct
  [ "$(stat -c '%a %u %g' /dev/null)" = "$before_null" ]
  [ "$(stat -c '%a %u %g' /dev/zero)" = "$before_zero" ]
  [ "$status" -eq 0 ]
  [[ "$output" == *write-ok* ]]
  [[ "$output" == *"Read-only file system"* ]]
}

# --- --no-pivot: the host's procfs behind the chroot ---

@test "--no-pivot: a new user and pid namespace in the container cannot mount procfs (the host's is not visible)" {
  require_ns user pid
  require_busybox_applet unshare
  edit_config '.process.user = {"uid": 1000, "gid": 1000}'
  set_args sh -c 'unshare -mrpf sh -c "mount -t proc none /proc && echo MOUNTED" 2>&1; echo done'
  run rt run --no-pivot --bundle "$BUNDLE" "$(cid)"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *done* ]]
  [[ "$output" != *MOUNTED* ]]
}
