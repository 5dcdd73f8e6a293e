#!/usr/bin/env bats
# process.terminal (--console-socket, run in the foreground through a pty), socket activation
# (LISTEN_FDS) and NOTIFY_SOCKET. RUNTIME=runc passes these too.

load helpers

setup() {
  setup_runtime
  make_bundle sh -c 'tty'
  HELPER="$WORK/sockhelper"
}

teardown() {
  local pid
  for pid in ${HELPER_PIDS:-}; do
    kill "$pid" 2>/dev/null || true
  done
  teardown_containers
}

# terminal_on [HEIGHT WIDTH]: process.terminal true, with a consoleSize when given
terminal_on() {
  if [ $# -eq 2 ]; then
    edit_config ".process.terminal = true | .process.consoleSize = {height: $1, width: $2}"
  else
    edit_config '.process.terminal = true | del(.process.consoleSize)'
  fi
}

# build_sockhelper: $HELPER (sockhelper.c, static), also as /bin/sockhelper in the rootfs
build_sockhelper() {
  require_static_cc
  if [ ! -x "$HELPER" ]; then
    gcc -static -O2 -o "$HELPER" "$BATS_TEST_DIRNAME/sockhelper.c"
    cp "$HELPER" "$BUNDLE/rootfs/bin/sockhelper"
  fi
}

# recvtty SOCKET OUT [INPUT]: a console-socket receiver in the background, once it listens
recvtty() {
  build_sockhelper
  "$HELPER" recvtty "$@" &
  HELPER_PIDS="${HELPER_PIDS:-} $!"
  RECVTTY_PID=$!
  for _ in $(seq 200); do
    [ -S "$1" ] && return 0
    sleep 0.02
  done
  echo "recvtty did not listen on $1" >&2
  return 1
}

# wait_gone PID: waits up to 10 s for a background helper to finish
wait_gone() {
  for _ in $(seq 500); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.02
  done
  return 1
}

@test "create with --console-socket: the receiver gets the pty master, the process has it as its tty" {
  id=$(cid)
  set_args sh -c 'tty; stty size; [ -c /dev/console ] && echo console-is-a-tty; ls -l /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2'
  terminal_on 31 97
  recvtty "$WORK/console.sock" "$WORK/tty.out"
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  [ "$status" -eq 0 ]
  # the master arrived with runc's name for it
  [ "$(cat "$WORK/tty.out.name")" = /dev/ptmx ]
  rt_quiet start "$id"
  [ "$status" -eq 0 ]
  wait_gone "$RECVTTY_PID"
  out=$(tr -d '\r' < "$WORK/tty.out")
  echo "$out"
  [ "$(sed -n 1p <<<"$out")" = /dev/pts/0 ]
  [ "$(sed -n 2p <<<"$out")" = "31 97" ]
  grep -qx console-is-a-tty <<<"$out"
  [ "$(grep -c -- '-> /dev/pts/0$' <<<"$out")" -eq 3 ]
}

@test "the console is the controlling terminal; input typed into the master reaches the process" {
  id=$(cid)
  # field 7 of /proc/PID/stat: the controlling terminal, 136:0 (/dev/pts/0) = 34816
  set_args sh -c 'read line; echo "got:$line"; awk "{print \"tty_nr=\" \$7}" /proc/self/stat'
  terminal_on
  recvtty "$WORK/console.sock" "$WORK/tty.out" $'hello there\n'
  rt_quiet run -d --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  [ "$status" -eq 0 ]
  wait_gone "$RECVTTY_PID"
  out=$(tr -d '\r' < "$WORK/tty.out")
  echo "$out"
  grep -qx 'got:hello there' <<<"$out"
  grep -qx 'tty_nr=34816' <<<"$out"
}

@test "exec into a container with process.terminal: no terminal without -t (runc's exec ignores config.json's)" {
  id=$(cid)
  set_args sleep 100
  terminal_on
  recvtty "$WORK/console.sock" "$WORK/tty.out"
  rt_quiet run -d --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  [ "$status" -eq 0 ]
  # -d without --console-socket: fine, the process gets no terminal
  rt_quiet exec -d "$id" sleep 1
  echo "$output"
  [ "$status" -eq 0 ]
  # in the foreground: stdio are the runtime's, not a pty
  run "$RUNTIME" --root "$ROOT" exec "$id" sh -c '[ -t 1 ] && echo tty || echo no-tty' </dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = no-tty ]
}

@test "/dev/console is bound to the pty slave only with a terminal" {
  id=$(cid)
  set_args sh -c '[ -e /dev/console ] && echo has-console || echo no-console'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  [ "$output" = no-console ]
}

@test "create with a terminal but without --console-socket fails and leaves nothing" {
  id=$(cid)
  terminal_on
  rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot allocate tty if runc will detach without setting console socket"* ]]
  left_nothing "$id"
}

@test "run -d with a terminal but without --console-socket fails and leaves nothing" {
  id=$(cid)
  terminal_on
  rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot allocate tty if runc will detach without setting console socket"* ]]
  left_nothing "$id"
}

@test "--console-socket without a terminal fails and leaves nothing" {
  id=$(cid)
  recvtty "$WORK/console.sock" "$WORK/tty.out"
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot use console socket if runc will not detach or allocate tty"* ]]
  left_nothing "$id"
}

@test "--console-socket with run in the foreground fails and leaves nothing" {
  id=$(cid)
  terminal_on
  recvtty "$WORK/console.sock" "$WORK/tty.out"
  rt_quiet run --bundle "$BUNDLE" --console-socket "$WORK/console.sock" "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cannot use console socket if runc will not detach or allocate tty"* ]]
  left_nothing "$id"
}

@test "a --console-socket nobody listens on fails and leaves nothing" {
  id=$(cid)
  terminal_on
  rt_quiet create --bundle "$BUNDLE" --console-socket "$WORK/missing.sock" "$id"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$WORK/missing.sock"* ]]
  left_nothing "$id"
}

@test "run in the foreground with a terminal proxies the pty and exits with the process's status" {
  require_cmd script
  id=$(cid)
  set_args sh -c 'tty; echo through-the-pty; exit 7'
  terminal_on
  # script gives the runtime a terminal of its own; the runtime's stdin is /dev/null. The
  # terminal's settings before and after: the runtime's raw mode is undone
  run script -qec "stty -g; '$RUNTIME' --root '$ROOT' run --bundle '$BUNDLE' '$id' </dev/null; s=\$?; stty -g; exit \$s" /dev/null
  echo "$output"
  [ "$status" -eq 7 ]
  out=$(tr -d '\r' <<<"$output")
  grep -qx /dev/pts/0 <<<"$out"
  grep -qx through-the-pty <<<"$out"
  before=$(head -n 1 <<<"$out")
  after=$(tail -n 1 <<<"$out")
  [[ "$before" == *:*:* ]]
  [ "$before" = "$after" ]
  left_nothing "$id"
}

@test "run in the foreground with a terminal forwards what is typed on the runtime's terminal" {
  require_cmd script
  id=$(cid)
  set_args sh -c 'read line; echo "got:$line"'
  terminal_on
  # script's terminal is the runtime's stdin: the line typed there reaches the container's pty
  run bash -c '(sleep 2; printf "typed line\n"; sleep 3) | script -qec "\"$RUNTIME\" --root \"$ROOT\" run --bundle \"$BUNDLE\" $1" /dev/null' _ "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -qx 'got:typed line' <<<"$(tr -d '\r' <<<"$output")"
  left_nothing "$id"
}

@test "run in the foreground with a terminal gives the pty its terminal's size, again on SIGWINCH" {
  require_cmd script
  id=$(cid)
  set_args sh -c 'sleep 1; stty size; sleep 3; stty size'
  terminal_on 11 22
  cat > "$WORK/resize.sh" <<EOF
stty rows 40 cols 90
"$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$id" </dev/null &
rt=\$!
for i in \$(seq 300); do "$RUNTIME" --root "$ROOT" state "$id" 2>/dev/null | grep -q '"running"' && break; sleep 0.1; done
sleep 2
stty rows 20 cols 50
kill -WINCH \$rt
wait \$rt
EOF
  run script -qec "sh '$WORK/resize.sh'" /dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  out=$(tr -d '\r' <<<"$output")
  [ "$(sed -n 1p <<<"$out")" = "40 90" ]
  [ "$(sed -n 2p <<<"$out")" = "20 50" ]
}

@test "LISTEN_FDS: the runtime's fd 3 reaches the container with LISTEN_FDS=1 LISTEN_PID=1" {
  id=$(cid)
  set_args sh -c 'echo "fds=$LISTEN_FDS pid=$LISTEN_PID"; cat <&3; cat <&4'
  echo listen-socket-stand-in > "$WORK/fd3"
  echo preserved-fd > "$WORK/fd4"
  # LISTEN_PID must be the runtime's own pid (go-systemd's rule): exec keeps the shell's pid
  run bash -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$RUNTIME" --root "$ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$1" 3<"$WORK/fd3" 4<"$WORK/fd4"' _ "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fds=1 pid=1" ]
  [ "${lines[1]}" = listen-socket-stand-in ]
  [ "${lines[2]}" = preserved-fd ]
}

@test "LISTEN_FDS with another process's LISTEN_PID is ignored" {
  id=$(cid)
  set_args sh -c 'echo "fds=${LISTEN_FDS:-unset}"; [ -e /proc/self/fd/3 ] && echo fd3-open || echo fd3-closed'
  echo stand-in > "$WORK/fd3"
  run bash -c 'LISTEN_PID=1 LISTEN_FDS=1 exec "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$1" 3<"$WORK/fd3"' _ "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fds=unset" ]
  [ "${lines[1]}" = fd3-closed ]
}

# notify_listen: a host NOTIFY_SOCKET in the background that keeps the first 2 datagrams
notify_listen() {
  build_sockhelper
  NOTIFY_OUT="$WORK/notify.out"
  "$HELPER" notify-listen "$WORK/notify.sock" "$NOTIFY_OUT" 2 &
  HELPER_PIDS="${HELPER_PIDS:-} $!"
  NOTIFY_PID=$!
  for _ in $(seq 200); do
    [ -S "$WORK/notify.sock" ] && return 0
    sleep 0.02
  done
  return 1
}

@test "NOTIFY_SOCKET: run -d returns once the container is READY, relayed with MAINPID" {
  id=$(cid)
  set_args sh -c 'echo "socket=$NOTIFY_SOCKET"; sleep 0.3; sockhelper notify-send READY=1; sleep 100'
  notify_listen
  NOTIFY_SOCKET="$WORK/notify.sock" rt_quiet run -d --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  wait_gone "$NOTIFY_PID"
  pid=$(jq -r .pid <<<"$("$RUNTIME" --root "$ROOT" state "$id")")
  printf 'READY=1\nMAINPID=%s\n' "$pid" | cmp - "$NOTIFY_OUT"
  # the container wrote this before READY, to the stdout it shares with the runtime
  grep -qx socket=/run/notify/notify.sock "$WORK/rt.out"
}

@test "NOTIFY_SOCKET: start waits for READY from a created container" {
  id=$(cid)
  set_args sh -c 'sockhelper notify-send READY=1; sleep 100'
  notify_listen
  NOTIFY_SOCKET="$WORK/notify.sock" rt_quiet create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  NOTIFY_SOCKET="$WORK/notify.sock" rt_quiet start "$id"
  [ "$status" -eq 0 ]
  wait_gone "$NOTIFY_PID"
  pid=$(jq -r .pid <<<"$("$RUNTIME" --root "$ROOT" state "$id")")
  printf 'READY=1\nMAINPID=%s\n' "$pid" | cmp - "$NOTIFY_OUT"
}

@test "NOTIFY_SOCKET: run in the foreground relays READY with the runtime's own pid as MAINPID" {
  id=$(cid)
  set_args sh -c 'sockhelper notify-send READY=1; sleep 0.5; echo done'
  notify_listen
  run bash -c 'echo $$ > "$WORK/runtime.pid"; NOTIFY_SOCKET="$WORK/notify.sock" exec "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$1" </dev/null' _ "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = done ]
  wait_gone "$NOTIFY_PID"
  printf 'READY=1\nMAINPID=%s\n' "$(cat "$WORK/runtime.pid")" | cmp - "$NOTIFY_OUT"
  left_nothing "$id"
}
