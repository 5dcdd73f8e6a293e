#!/usr/bin/env bats
# linux.seccomp: filters seen from inside the container (/proc/self/status, errno texts, the
# signal that kills), actions, argument conditions, with and without no_new_privs, the notify
# listener handed to an agent, and bad profiles that must fail cleanly. RUNTIME=runc passes too.

load helpers

setup() {
  grep -q '^Seccomp:' /proc/self/status || skip "needs seccomp filters, which this kernel does not have"
  setup_runtime
  make_bundle sh -c 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status'
}

teardown() {
  [ -n "${AGENT:-}" ] && kill "$AGENT" 2>/dev/null || true
  teardown_containers
}

# seccomp JSON: sets linux.seccomp
seccomp() {
  edit_config ".linux.seccomp = $1"
}

# Enough for busybox sh, echo and the runtime's own init after the filter is loaded (no mkdir).
ALLOW='["accept","accept4","access","arch_prctl","brk","capget","capset","chdir","chmod","chown","clock_getres",
    "clock_gettime","clock_nanosleep","clone","clone3","close","close_range","connect","dup","dup2","dup3","epoll_create",
    "epoll_create1","epoll_ctl","epoll_pwait","epoll_wait","execve","execveat","exit","exit_group","faccessat","faccessat2",
    "fchdir","fchmod","fchmodat","fchown","fchownat","fcntl","fstat","fstatfs","futex","getcwd","getdents","getdents64",
    "getegid","geteuid","getgid","getgroups","getpgid","getpgrp","getpid","getppid","getrandom","getresgid","getresuid",
    "getrlimit","gettid","gettimeofday","getuid","ioctl","kill","lseek","lstat","madvise","membarrier","mmap","mprotect",
    "munmap","nanosleep","newfstatat","open","openat","openat2","pipe","pipe2","poll","ppoll","prctl","pread64","prlimit64",
    "pselect6","read","readlink","readlinkat","readv","recvfrom","recvmsg","rseq","rt_sigaction","rt_sigprocmask",
    "rt_sigreturn","sched_getaffinity","sched_yield","select","sendmsg","sendto","set_robust_list","set_tid_address",
    "setgid","setgroups","setpgid","setresgid","setresuid","setsid","setuid","sigaltstack","socket","stat","statfs",
    "statx","sysinfo","tgkill","tkill","umask","uname","wait4","waitid","write","writev"]'

@test "a filter is in force in the process: Seccomp 2, and mkdir gets EPERM (errnoRet default)" {
  set_args sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /tmp/d; echo "mkdir=$?"; [ ! -e /tmp/d ] && echo absent'
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*"2"* ]]
  [[ "$output" == *"Operation not permitted"* ]]
  [[ "$output" == *"mkdir=1"* ]]
  [[ "$output" == *"absent"* ]]
}

@test "errnoRet chooses the errno" {
  set_args sh -c 'mkdir /tmp/d'
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
  run_ct
  [ "$status" -eq 1 ]
  [[ "$output" == *"Function not implemented"* ]]
}

@test "defaultErrnoRet applies to the default action" {
  set_args sh -c 'mkdir /tmp/d'
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 13, \"syscalls\": [{\"names\": $ALLOW, \"action\": \"SCMP_ACT_ALLOW\"}]}"
  run_ct
  [ "$status" -eq 1 ]
  [[ "$output" == *"Permission denied"* ]]
}

@test "an argument condition: kill with SIGTERM refused, SIGKILL allowed" {
  set_args sh -c 'sleep 100 & p=$!; kill -TERM $p; echo "term=$?"; kill -KILL $p; echo "kill=$?"'
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}]}]}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"term=1"* ]]
  [[ "$output" == *"kill=0"* ]]
}

@test "two conditions on the same argument: either one matches (runc's rule)" {
  set_args sh -c 'sleep 100 & p=$!; kill -TERM $p; echo "term=$?"; kill -USR1 $p; echo "usr1=$?"; kill -KILL $p; echo "kill=$?"'
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [
      {"index": 1, "value": 15, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 10, "op": "SCMP_CMP_EQ"}]}]}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"term=1"* ]]
  [[ "$output" == *"usr1=1"* ]]
  [[ "$output" == *"kill=0"* ]]
}

@test "SCMP_CMP_MASKED_EQ: chmod to a mode with o+w refused" {
  set_args sh -c 'touch /dev/shm/f; chmod 0644 /dev/shm/f; echo "a=$?"; chmod 0646 /dev/shm/f; echo "b=$?"'
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
      {"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 2, "valueTwo": 2, "op": "SCMP_CMP_MASKED_EQ"}]},
      {"names": ["fchmodat"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 2, "value": 2, "valueTwo": 2, "op": "SCMP_CMP_MASKED_EQ"}]}]}'
  run_ct
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"a=0"* ]]
  [[ "$output" == *"b=1"* ]]
}

@test "defaultAction ERRNO with an allow list: listed syscalls work, others fail" {
  set_args sh -c 'echo hello; mkdir /tmp/d; echo "mkdir=$?"'
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": $ALLOW, \"action\": \"SCMP_ACT_ALLOW\"}]}"
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"hello"* ]]
  [[ "$output" == *"mkdir=1"* ]]
}

@test "SCMP_ACT_KILL kills the process with SIGSYS: exit 128+31" {
  set_args mkdir /tmp/d
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL"}]}'
  run_ct
  [ "$status" -eq 159 ]
}

@test "SCMP_ACT_KILL_PROCESS and SCMP_ACT_TRAP end the process with SIGSYS too" {
  set_args mkdir /tmp/d
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
  run_ct
  [ "$status" -eq 159 ]
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_TRAP"}]}'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid 2)"
  [ "$status" -eq 159 ]
}

@test "with noNewPrivileges: the filter and NoNewPrivs 1" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
  edit_config '.process.noNewPrivileges = true'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*"2"* ]]
  [[ "$output" == *"NoNewPrivs:"*"1"* ]]
}

@test "without noNewPrivileges, as a user without capabilities: loaded before they are dropped" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
  edit_config '.process.noNewPrivileges = false | .process.user = {"uid": 1000, "gid": 1000} | .process.capabilities = {}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*"2"* ]]
  [[ "$output" == *"NoNewPrivs:"*"0"* ]]
}

@test "an unknown syscall name is skipped" {
  set_args sh -c 'mkdir /tmp/d; echo "mkdir=$?"'
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["no_such_syscall", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"mkdir=1"* ]]
}

@test "architectures are accepted" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*"2"* ]]
}

@test "flags: SECCOMP_FILTER_FLAG_LOG and SPEC_ALLOW" {
  if runc_before 1.2; then skip "runc < 1.2 refuses every seccomp flag (\"seccomp flags are not yet supported by runc\")"; fi
  require_kernel 4.17 "SECCOMP_FILTER_FLAG_SPEC_ALLOW"
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
  run_ct
  [ "$status" -eq 0 ]
  [[ "$output" == *"Seccomp:"*"2"* ]]
}

@test "bad profiles fail with runc's message and leave nothing behind" {
  seccomp '{"defaultAction": "SCMP_ACT_FOO"}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"string SCMP_ACT_FOO is not a valid action for seccomp"* ]]
  left_nothing

  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_FOO"]}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"string SCMP_ARCH_FOO is not a valid arch for seccomp"* ]]
  left_nothing

  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 15, "op": "SCMP_CMP_FOO"}]}]}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"string SCMP_CMP_FOO is not a valid operator for seccomp"* ]]
  left_nothing

  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 7, "value": 15, "op": "SCMP_CMP_EQ"}]}]}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"syscalls only have up to 6 arguments (7 given)"* ]]
  left_nothing

  seccomp '{"defaultAction": "SCMP_ACT_NOTIFY"}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"SCMP_ACT_NOTIFY cannot be used as default action"* ]]
  left_nothing

  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/tmp/x.sock", "syscalls": [{"names": ["write"], "action": "SCMP_ACT_NOTIFY"}]}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"SCMP_ACT_NOTIFY cannot be used for the write syscall"* ]]
  left_nothing
}

@test "SCMP_ACT_NOTIFY without listenerPath fails cleanly" {
  seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"listenerPath is not set"* ]]
  left_nothing
}

@test "SCMP_ACT_NOTIFY with an agent that is not there fails cleanly" {
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$WORK/none.sock\", \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  run_ct
  [ "$status" -ne 0 ]
  [[ "$output" == *"failed to connect with seccomp agent specified in the seccomp profile"* ]]
  left_nothing
}

# start_agent: the test agent on $WORK/agent.sock, writing what it got to $WORK/agent.json
start_agent() {
  rm -f "$WORK/agent.sock" "$WORK/agent.json" "$WORK/agent.json.ready"
  python3 "$BATS_TEST_DIRNAME/seccomp-agent.py" "$WORK/agent.sock" "$WORK/agent.json" &
  AGENT=$!
  for i in $(seq 100); do [ -e "$WORK/agent.json.ready" ] && break; sleep 0.05; done
}

@test "SCMP_ACT_NOTIFY: the agent gets the container process state and the listener fd" {
  require_cmd python3
  require_kernel 5.0 "seccomp user notification"
  start_agent
  set_args sh -c 'mkdir /tmp/d; echo "mkdir=$?"'
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$WORK/agent.sock\", \"listenerMetadata\": \"meta data\",
      \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  edit_config '.annotations = {"org.example": "yes"}'
  id=$(cid)
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$id"
  wait "$AGENT"
  AGENT=
  [ "$status" -eq 0 ]
  # the agent closed the listener: the notified syscall fails with ENOSYS
  [[ "$output" == *"Function not implemented"* ]]
  [[ "$output" == *"mkdir=1"* ]]
  s=$(cat "$WORK/agent.json")
  [ "$(jq -r '.fds | join(",")' <<<"$s")" = "seccompFd" ]
  [ "$(jq -r .metadata <<<"$s")" = "meta data" ]
  [ "$(jq -r ._received_fds <<<"$s")" = "1" ]
  [ "$(jq -r ._fd_kind <<<"$s")" = "anon_inode:seccomp notify" ]
  [ "$(jq -r .state.id <<<"$s")" = "$id" ]
  [ "$(jq -r .state.status <<<"$s")" = "creating" ]
  [ "$(jq -r .state.bundle <<<"$s")" = "$BUNDLE" ]
  [ "$(jq -r '.state.annotations["org.example"]' <<<"$s")" = "yes" ]
  [ "$(jq -r .pid <<<"$s")" = "$(jq -r .state.pid <<<"$s")" ]
  [ "$(jq -r .pid <<<"$s")" -gt 0 ]
  [ -n "$(jq -r .ociVersion <<<"$s")" ]
}

@test "SCMP_ACT_NOTIFY without noNewPrivileges (the filter loaded before the capabilities go)" {
  require_cmd python3
  require_kernel 5.0 "seccomp user notification"
  start_agent
  set_args sh -c 'mkdir /tmp/d; echo "mkdir=$?"; grep "^NoNewPrivs:" /proc/self/status'
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$WORK/agent.sock\",
      \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  edit_config '.process.noNewPrivileges = false'
  run "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" "$(cid)"
  wait "$AGENT"
  AGENT=
  [ "$status" -eq 0 ]
  [[ "$output" == *"Function not implemented"* ]]
  [[ "$output" == *"NoNewPrivs:"*"0"* ]]
  [ "$(jq -r '.fds | join(",")' "$WORK/agent.json")" = "seccompFd" ]
  [ "$(jq -r ._fd_kind "$WORK/agent.json")" = "anon_inode:seccomp notify" ]
}

@test "SCMP_ACT_NOTIFY in exec: the agent gets the exec'd process's pid with the running container's state" {
  require_cmd python3
  require_kernel 5.0 "seccomp user notification"
  start_agent
  set_args sleep 100
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$WORK/agent.sock\",
      \"syscalls\": [{\"names\": [\"mkdir\", \"mkdirat\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
  id=$(cid)
  "$RUNTIME" --root "$ROOT" run -d --bundle "$BUNDLE" "$id" </dev/null >"$WORK/run.out" 2>&1
  wait "$AGENT"
  AGENT=
  init=$("$RUNTIME" --root "$ROOT" state "$id" | jq -r .pid)
  cat "$WORK/run.out"
  [ "$init" -gt 0 ]
  start_agent
  run "$RUNTIME" --root "$ROOT" exec "$id" sh -c 'mkdir /tmp/e; echo "mkdir=$?"' </dev/null
  echo "$output"
  wait "$AGENT"
  AGENT=
  [ "$status" -eq 0 ]
  [[ "$output" == *"Function not implemented"* ]]
  [[ "$output" == *"mkdir=1"* ]]
  s=$(cat "$WORK/agent.json")
  [ "$(jq -r ._fd_kind <<<"$s")" = "anon_inode:seccomp notify" ]
  [ "$(jq -r .state.id <<<"$s")" = "$id" ]
  [ "$(jq -r .state.status <<<"$s")" = "running" ]
  [ "$(jq -r .state.pid <<<"$s")" = "$init" ]
  [ "$(jq -r .pid <<<"$s")" -gt 0 ]
  [ "$(jq -r .pid <<<"$s")" != "$init" ]
}

# the profile's architectures for this machine (runc adds its -ENOSYS stub only for those listed)
native_archs() {
  case "$(uname -m)" in
    x86_64) echo '["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]' ;;
    aarch64) echo '["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]' ;;
    *) return 1 ;;
  esac
}

@test "a syscall numbered above every one the profile names gets ENOSYS, not the default errno (runc's stub)" {
  require_static_cc
  archs=$(native_archs) || skip "no architecture list for $(uname -m) in this test"
  gcc -static -O2 -o "$BUNDLE/rootfs/bin/sysprobe" "$BATS_TEST_DIRNAME/sysprobe.c"
  set_args /bin/sysprobe
  edit_config '.root.readonly = false'
  # the allow list without the syscalls numbered above clone3: clone3 and 1000 lie beyond it
  low=$(jq -c 'map(select(. != "clone3" and . != "close_range" and . != "openat2" and . != "faccessat2"))' <<<"$ALLOW")
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": $archs, \"syscalls\": [{\"names\": $low, \"action\": \"SCMP_ACT_ALLOW\"}]}"
  run_ct
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'nr1000=ENOSYS\nclone3=ENOSYS\nmkdirat=EPERM')" ]

  # a name above clone3 (faccessat2) moves the limit: clone3, unnamed below it, gets the default
  seccomp "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"architectures\": $archs, \"syscalls\": [{\"names\": $low, \"action\": \"SCMP_ACT_ALLOW\"}, {\"names\": [\"faccessat2\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}"
  run_ct 2
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'nr1000=ENOSYS\nclone3=EPERM\nmkdirat=EPERM')" ]

  # an allowing default action gets no stub: nothing changes
  seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": $archs, \"syscalls\": [{\"names\": [\"mkdirat\"], \"action\": \"SCMP_ACT_ERRNO\"}]}"
  run_ct 3
  [ "$status" -eq 0 ]
  [[ "$output" == *'nr1000=ENOSYS'* ]]
  [[ "$output" == *'mkdirat=EPERM'* ]]
  [[ "$output" != *'clone3=ENOSYS'* ]]
}
