#!/usr/bin/env bats
# Rootless containers: the runtime run by an unprivileged user that this file creates (with
# /etc/subuid and /etc/subgid ranges) and removes again, /etc left as found. The busybox bundle
# flow as that user: spec --rootless, run, create/start/state/exec/kill/delete, ownership through
# the user namespace, several id ranges through newuidmap/newgidmap, a delegated cgroup; bad input
# (ranges not granted, an unwritable state root, a rootfs the user cannot read, limits without a
# writable cgroup, lowering oom_score_adj, raising a hard rlimit) fails and leaves nothing.
# Needs root (to make the user), setpriv, useradd and the uidmap package. RUNTIME=runc passes.

load helpers

# The files useradd/userdel touch, saved here to put back byte for byte.
ETC_FILES="passwd group shadow gshadow subuid subgid passwd- group- shadow- gshadow- subuid- subgid-"

setup_file() {
  file_require_root || return 0
  file_require_cmd useradd userdel setpriv jq || return 0
  RL_SAVE=$(mktemp -d "${BATS_TMPDIR:-/tmp}/rootless-etc.XXXXXX")
  local f
  for f in $ETC_FILES; do
    if [ -e "/etc/$f" ]; then cp -a "/etc/$f" "$RL_SAVE/$f"; fi
  done
  RL_USER="jrrl$$"
  RL_USER=${RL_USER:0:31}
  useradd -M -d /nonexistent -s /usr/sbin/nologin -U "$RL_USER"
  RL_UID=$(id -u "$RL_USER")
  RL_GID=$(id -g "$RL_USER")
  # 65536 subordinate ids each, somewhere no other entry uses
  RL_SUB=$(( 1000000 + ($$ % 1000) * 65536 ))
  echo "$RL_USER:$RL_SUB:65536" >> /etc/subuid
  echo "$RL_USER:$RL_SUB:65536" >> /etc/subgid
  # The runtime must be executable by the user: a launcher or binary under a directory the user
  # cannot traverse (a clone under /root) is copied, with the JVM launcher's paths rewritten.
  RL_RUNTIME=${RUNTIME:-$BATS_TEST_DIRNAME/../target/jrunc}
  if [[ "$RL_RUNTIME" != */* ]]; then RL_RUNTIME=$(command -v "$RL_RUNTIME"); fi
  RL_RUNTIME=$(readlink -f "$RL_RUNTIME")
  # through env, as as_user runs it: setpriv itself keeps root's capabilities until its execve
  # (--reuid leaves the saved uid 0), so a direct `setpriv ... RUNTIME` may pass where the
  # user cannot reach the file
  if ! setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups env "$RL_RUNTIME" --version >/dev/null 2>&1; then
    local src copy
    src=$(dirname "$RL_RUNTIME")
    copy="$RL_SAVE/runtime"
    mkdir "$copy"
    cp -a "$src/." "$copy/"
    if head -c 2 "$RL_RUNTIME" | grep -q '#!'; then
      sed -i "s|$src/|$copy/|g" "$copy/$(basename "$RL_RUNTIME")"
    fi
    chmod -R a+rX "$copy"
    chmod 755 "$RL_SAVE"
    RL_RUNTIME="$copy/$(basename "$RL_RUNTIME")"
  fi
  export RL_SAVE RL_USER RL_UID RL_GID RL_SUB RL_RUNTIME
}

teardown_file() {
  [ -n "${RL_SAVE:-}" ] || return 0
  if [ -n "${RL_UID:-}" ]; then
    # processes the tests started as the user, one by one
    local pid
    for pid in $(ps -o pid= -u "$RL_UID" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  if [ -n "${RL_USER:-}" ] && id "$RL_USER" >/dev/null 2>&1; then
    userdel "$RL_USER" >/dev/null 2>&1 || true
  fi
  local f
  for f in $ETC_FILES; do
    if [ -e "$RL_SAVE/$f" ]; then
      cmp -s "$RL_SAVE/$f" "/etc/$f" || cp -a "$RL_SAVE/$f" "/etc/$f"
    else
      rm -f "/etc/$f"
    fi
  done
  rm -rf "$RL_SAVE"
}

setup() {
  skip_if_file_skipped
  setup_runtime
  chmod 755 "$WORK"
  make_bundle true
  rm "$BUNDLE/config.json"
  XDG="$WORK/xdg"
  mkdir -m 700 "$XDG"
  chown -R "$RL_UID:$RL_GID" "$XDG" "$BUNDLE"
  # the runtime's default root as that user: $XDG_RUNTIME_DIR/<runtime name>
  (cd "$BUNDLE" && as_user "$RL_RUNTIME" spec --rootless)
  set_args sh -c 'id -u; id -g'
}

teardown() {
  [ -z "${FILE_SKIP:-}" ] || return 0
  local id
  if [ -n "${XDG:-}" ] && [ -d "$XDG" ]; then
    for id in $(as_user "$RL_RUNTIME" list -q 2>/dev/null); do
      as_user "$RL_RUNTIME" delete --force "$id" >/dev/null 2>&1 || true
    done
  fi
  for pid in $(ps -o pid= -u "$RL_UID" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
  remove_delegated
  teardown_runtime
}

# the cgroups the delegation test made (named in $WORK/cgroup-parent), even when it failed
remove_delegated() {
  local parent h
  [ -f "${WORK:-}/cgroup-parent" ] || { restore_root_controllers; return 0; }
  parent=$(cat "$WORK/cgroup-parent")
  [ -n "$parent" ] || { restore_root_controllers; return 0; }
  for h in $(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts); do
    if [ -d "$h/$parent/ct" ]; then rmdir "$h/$parent/ct" 2>/dev/null || true; fi
    if [ -d "$h/$parent/leaf" ]; then rmdir "$h/$parent/leaf" 2>/dev/null || true; fi
    if [ -d "$h/$parent" ]; then rmdir "$h/$parent" 2>/dev/null || true; fi
  done
  rm -f "$WORK/cgroup-parent"
  restore_root_controllers
}

# restore_root_controllers: the controllers a test turned on in the v2 root, off again (best
# effort: busy while a cgroup below uses them)
restore_root_controllers() {
  local c
  [ -f "${WORK:-}/root-controllers" ] || return 0
  for c in $(cat "$WORK/root-controllers"); do
    echo "-$c" > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
  done
  rm -f "$WORK/root-controllers"
}

# as_user CMD...: CMD as the test user, with only PATH, HOME and XDG_RUNTIME_DIR=$XDG set
as_user() {
  setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME="$WORK" XDG_RUNTIME_DIR="$XDG" "$@"
}

# urt ARGS...: the runtime as the user, its stdio on files (see rt_quiet); sets $status, $output
urt() {
  set +e
  as_user "$RL_RUNTIME" "$@" </dev/null >"$WORK/rt.out" 2>&1
  status=$?
  set -e
  output=$(cat "$WORK/rt.out")
  echo "status=$status output: $output"
}

# user_config JQ-FILTER: edit_config, the config stays the user's (edit_config writes it as root)
user_config() {
  edit_config "$1"
  chown "$RL_UID:$RL_GID" "$BUNDLE/config.json"
}

# user_left_nothing: no container of the user's root, no state directory, no process of the user
# (left_nothing of helpers.bash, for the user's runtime and root)
user_left_nothing() {
  [ -z "$(as_user "$RL_RUNTIME" list -q 2>/dev/null)" ] || return 1
  [ -z "$(find "$XDG" -mindepth 2 -maxdepth 2 2>/dev/null)" ] || return 1
  [ -z "$(user_procs)" ]
}

# user_procs: the live processes of the test user (zombies are dead: pid 1 of this VM may not reap)
user_procs() {
  ps -o pid=,stat= -u "$RL_UID" 2>/dev/null | awk '$2 !~ /^Z/ {print $1}'
}

@test "rootless: spec --rootless maps container root onto the user" {
  [ "$(jq -r '.linux.uidMappings | length' "$BUNDLE/config.json")" = 1 ]
  [ "$(jq -r '.linux.uidMappings[0].hostID' "$BUNDLE/config.json")" = "$RL_UID" ]
  [ "$(jq -r '.linux.gidMappings[0].hostID' "$BUNDLE/config.json")" = "$RL_GID" ]
  [ "$(jq -r '[.linux.namespaces[].type] | (index("user") != null) and (index("network") == null)' "$BUNDLE/config.json")" = true ]
  [ "$(jq -r '.linux.resources == null' "$BUNDLE/config.json")" = true ]
  # spec needs no state root: it works without XDG_RUNTIME_DIR too
  mkdir "$WORK/other"
  chown "$RL_UID:$RL_GID" "$WORK/other"
  (cd "$WORK/other" && setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups env -i PATH=/usr/bin:/bin "$RL_RUNTIME" spec --rootless)
  [ "$(jq -r '.linux.uidMappings[0].hostID' "$WORK/other/config.json")" = "$RL_UID" ]
}

@test "rootless: run as the user is root of a user namespace mapping only the user" {
  user_config '.process.args = ["sh", "-c", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups"]'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | sed -n 1,2p | tr '\n' ' ')" = "0 0 " ]
  [ "$(echo "$output" | sed -n 3p | awk '{print $1, $2, $3}')" = "0 $RL_UID 1" ]
  [ "$(echo "$output" | sed -n 4p | awk '{print $1, $2, $3}')" = "0 $RL_GID 1" ]
  # the kernel takes an unprivileged gid_map only after setgroups is denied
  [ "$(echo "$output" | sed -n 5p)" = deny ]
  # the state lives under $XDG_RUNTIME_DIR, owned by the user
  [ -n "$(find "$XDG" -mindepth 1 -maxdepth 1 -type d -user "$RL_UID")" ]
  user_left_nothing
}

@test "rootless: create, start, state, exec, kill, delete as the user" {
  id=$(cid)
  user_config '.process.args = ["sleep", "100"]'
  urt create --bundle "$BUNDLE" "$id"
  [ "$status" -eq 0 ]
  urt state "$id"
  [ "$(jq -r .status <<<"$output")" = created ]
  pid=$(jq -r .pid <<<"$output")
  # the container's process belongs to the user on the host
  [ "$(stat -c %u "/proc/$pid")" = "$RL_UID" ]
  urt start "$id"
  [ "$status" -eq 0 ]
  urt state "$id"
  [ "$(jq -r .status <<<"$output")" = running ]
  urt exec "$id" sh -c 'echo in=$(id -u) pid=$$; cat /proc/1/cmdline | tr "\0" " "'
  [ "$status" -eq 0 ]
  [[ "$output" == *"in=0 pid="* ]]
  [[ "$output" == *"sleep 100"* ]]
  urt list
  [[ "$output" == *"$id"*running* ]]
  urt kill "$id" KILL
  [ "$status" -eq 0 ]
  wait_for dead "$pid"
  urt state "$id"
  [ "$(jq -r .status <<<"$output")" = stopped ]
  urt delete "$id"
  [ "$status" -eq 0 ]
  user_left_nothing
}

@test "rootless: files of container root belong to the user on the host" {
  mkdir -m 755 "$WORK/shared"
  chown "$RL_UID:$RL_GID" "$WORK/shared"
  user_config '.mounts += [{"destination": "/shared", "type": "bind", "source": "'"$WORK/shared"'", "options": ["rbind", "rw"]}]
    | .process.args = ["sh", "-c", "touch /shared/made && stat -c %u:%g /bin/busybox"]'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  # the rootfs (the user's files) is root's in the container; what root makes is the user's
  [ "$(echo "$output" | tail -1)" = "0:0" ]
  [ "$(stat -c %u:%g "$WORK/shared/made")" = "$RL_UID:$RL_GID" ]
}

@test "rootless: several id ranges through newuidmap and newgidmap (/etc/subuid, /etc/subgid)" {
  require_cmd newuidmap newgidmap
  mkdir -m 755 "$WORK/shared"
  chown "$RL_UID:$RL_GID" "$WORK/shared"
  user_config '.linux.uidMappings = [{"containerID": 0, "hostID": '"$RL_UID"', "size": 1}, {"containerID": 1, "hostID": '"$RL_SUB"', "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": '"$RL_GID"', "size": 1}, {"containerID": 1, "hostID": '"$RL_SUB"', "size": 65536}]
    | .mounts += [{"destination": "/shared", "type": "bind", "source": "'"$WORK/shared"'", "options": ["rbind", "rw"]}]
    | .process.capabilities |= with_entries(.value += ["CAP_CHOWN"])
    | .process.args = ["sh", "-c", "cat /proc/self/uid_map; touch /shared/f && chown 1000:1000 /shared/f && echo chowned"]'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | grep -c '^ *[0-9]')" -ge 2 ]
  [[ "$output" == *chowned* ]]
  # container id 1000 is subordinate id RL_SUB+999 on the host
  [ "$(stat -c %u:%g "$WORK/shared/f")" = "$((RL_SUB + 999)):$((RL_SUB + 999))" ]
}

@test "rootless: ranges the user was not granted fail with newuidmap's reason, nothing left" {
  require_cmd newuidmap newgidmap
  user_config '.linux.uidMappings = [{"containerID": 0, "hostID": '"$RL_UID"', "size": 1}, {"containerID": 1, "hostID": '"$((RL_SUB + 70000))"', "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": '"$RL_GID"', "size": 1}, {"containerID": 1, "hostID": '"$RL_SUB"', "size": 65536}]'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"newuid"* ]]
  [[ "$output" == *"not allowed"* ]]
  user_left_nothing
}

@test "rootless: an unwritable XDG_RUNTIME_DIR or --root fails naming it, nothing made" {
  mkdir -m 755 "$WORK/rootowned"
  XDG="$WORK/rootowned"
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  [[ "$output" == *'$XDG_RUNTIME_DIR must be writable by the user'* ]]
  [ -z "$(ls -A "$WORK/rootowned")" ]
  XDG="$WORK/xdg"
  urt --root "$WORK/rootowned/state" run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"permission denied"* ]]
  [ -z "$(ls -A "$WORK/rootowned")" ]
  [ -z "$(user_procs)" ]
}

@test "rootless: a rootfs the user cannot read fails, nothing left" {
  chown root:root "$BUNDLE/rootfs"
  chmod 700 "$BUNDLE/rootfs"
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"ermission denied"* ]]
  user_left_nothing
}

@test "rootless: limits without a cgroup the user may write fail with runc's error, nothing left" {
  # the test user's cgroup is root's in every hierarchy: no delegation
  user_config '.linux.resources = {"pids": {"limit": 10}}'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  if [ -d /sys/fs/cgroup/pids ]; then
    [[ "$output" == *"cannot set pids limit: container could not join or create cgroup"* ]]
  else
    [[ "$output" == *"rootless needs no limits + no cgrouppath when no permission is granted for cgroups"* ]]
  fi
  user_left_nothing
  cgroup_gone "$(cid)"
}

@test "rootless: a delegated cgroup (writable by the user) gets the limits" {
  # cgroup v1 only: a v2 delegation needs the user's own cgroup
  require_cgroup_v1 pids memory
  local parent="rootless-$$-$BATS_TEST_NUMBER" h
  # a cgroup per hierarchy owned by the user (cpuset needs its parent's cpus and mems)
  for h in $(awk '$3 == "cgroup" || $3 == "cgroup2" {print $2}' /proc/self/mounts); do
    mkdir "$h/$parent"
    if [ -f "$h/$parent/cpuset.cpus" ]; then
      cat "$h/cpuset.cpus" > "$h/$parent/cpuset.cpus"
      cat "$h/cpuset.mems" > "$h/$parent/cpuset.mems"
    fi
    chown -R "$RL_UID:$RL_GID" "$h/$parent"
  done
  echo "$parent" > "$WORK/cgroup-parent"
  user_config '.linux.cgroupsPath = "/'"$parent"'/ct" | .linux.resources = {"pids": {"limit": 10}, "memory": {"limit": 104857600}}
    | .process.args = ["sh", "-c", "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes"]'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | tr '\n' ' ')" = "10 104857600 " ]
  # the container's cgroup went with it; the user's parent stays until teardown
  [ ! -e "/sys/fs/cgroup/pids/$parent/ct" ]
}

@test "rootless: a delegated v2 cgroup (a subtree root made the user's) gets the limits, enforced" {
  require_cgroup_v2 memory pids
  local parent="rootless-$$-$BATS_TEST_NUMBER" cg=/sys/fs/cgroup f
  # the root's children get memory and pids (a systemd host has them on already)
  for f in memory pids; do
    if ! grep -qw "$f" "$cg/cgroup.subtree_control"; then
      echo "+$f" > "$cg/cgroup.subtree_control"
      echo "$f" >> "$WORK/root-controllers"
    fi
  done
  # cgroup v2 delegation: the directory and its cgroup.procs, cgroup.threads and
  # cgroup.subtree_control belong to the user; the user's processes start in a leaf of it (a
  # move needs write access to the common ancestor's cgroup.procs: the delegated root's)
  mkdir "$cg/$parent" "$cg/$parent/leaf"
  echo "$parent" > "$WORK/cgroup-parent"
  chown "$RL_UID:$RL_GID" "$cg/$parent" "$cg/$parent/cgroup.procs" "$cg/$parent/cgroup.threads" \
    "$cg/$parent/cgroup.subtree_control" "$cg/$parent/leaf" "$cg/$parent/leaf/cgroup.procs"
  user_config '.linux.cgroupsPath = "/'"$parent"'/ct" | .linux.resources = {"pids": {"limit": 10}, "memory": {"limit": 67108864, "swap": 67108864}}
    | .process.args = ["sh", "-c", "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory.swap.max; head -c 200m /dev/zero | tail >/dev/null; echo tail=$?; for i in $(seq 20); do sleep 5 & done; wait"]'
  set +e
  sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$cg/$parent/leaf" \
    setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$WORK" XDG_RUNTIME_DIR="$XDG" "$RL_RUNTIME" run --bundle "$BUNDLE" "$(cid)" </dev/null >"$WORK/rt.out" 2>&1
  status=$?
  set -e
  output=$(cat "$WORK/rt.out")
  echo "status=$status output: $output"
  # written (swap == limit: no swap), then enforced: the hog is OOM-killed, the 10th task cannot fork
  [ "$(echo "$output" | head -n 3 | tr '\n' ' ')" = "10 67108864 0 " ]
  [[ "$output" == *"tail=137"* ]]
  [[ "$output" == *"can't fork"* ]]
  # the container's cgroup went with it; the user's subtree stays until teardown
  [ ! -e "$cg/$parent/ct" ]
}

@test "rootless: lowering oom_score_adj and raising a hard rlimit fail as runc, nothing left" {
  current=$(cat /proc/self/oom_score_adj)
  [ "$current" -gt -1000 ] || skip "oom_score_adj is already -1000"
  user_config ".process.oomScoreAdj = $(( current > -900 ? current - 100 : -1000 ))"
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"oom_score_adj"* ]]
  user_left_nothing
  hard=$(ulimit -Hn)
  [ "$hard" != unlimited ] || skip "RLIMIT_NOFILE has no hard limit"
  user_config 'del(.process.oomScoreAdj) | .process.rlimits = [{"type": "RLIMIT_NOFILE", "hard": '"$((hard + 1))"', "soft": 1024}]'
  urt run --bundle "$BUNDLE" "$(cid 2)"
  [ "$status" -ne 0 ]
  [[ "$output" == *"rlimit"* ]]
  user_left_nothing
}

@test "rootless: devices are the host's, bound; /sys is read-only" {
  user_config '.process.args = ["sh", "-c", "echo x > /dev/null && head -c 4 /dev/zero | wc -c; stat -c %t:%T /dev/null; touch /sys/x 2>&1 || echo sys-ro"]'
  urt run --bundle "$BUNDLE" "$(cid)"
  [ "$status" -eq 0 ]
  [[ "$output" == *4* ]]
  [[ "$output" == *"1:3"* ]]
  [[ "$output" == *sys-ro* ]]
}

@test "rootless: a sysfs mount without a network namespace is a read-only /sys, or fails leaving nothing" {
  # The kernel refuses a new sysfs here. runc (1.1 to 1.4: opencontainers/runc#3672, its fallback
  # PR #5016 was closed) fails; crun and jrunc bind the host's /sys read-only instead. Both are
  # within the spec; what neither may do is give a writable /sys or leave something behind.
  user_config '(.mounts[] | select(.destination == "/sys")) |= {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}
    | .process.args = ["sh", "-c", "ls /sys/kernel >/dev/null && echo listed; touch /sys/x 2>/dev/null || echo ro"]'
  id=$(cid)
  urt run --bundle "$BUNDLE" "$id"
  echo "status=$status $output"
  if [ "$status" -eq 0 ]; then
    [[ "$output" == *listed* ]]
    [[ "$output" == *ro* ]]
  else
    [[ "$output" == *sysfs* ]]
    urt list -q
    [ -z "$output" ]
  fi
}

@test "rootless: root may run the rootless config with --rootless true" {
  # a bundle of root's own (container root is host root alone: no rights over the user's files)
  rm "$BUNDLE/config.json"
  chown -R root:root "$BUNDLE"
  (cd "$BUNDLE" && "$RUNTIME" spec --rootless)
  set_args sh -c 'id -u; cat /proc/self/uid_map'
  run "$RUNTIME" --root "$ROOT" --rootless true run --bundle "$BUNDLE" "$(cid)"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(echo "$output" | sed -n 1p)" = 0 ]
  [ "$(echo "$output" | sed -n 2p | awk '{print $1, $2, $3}')" = "0 0 1" ]
  [ -z "$("$RUNTIME" --root "$ROOT" list -q)" ]
}

@test "rootless: the lifecycle and exec conformance files pass as the user (rootless spec)" {
  # the same files root runs, run by the user: make_bundle writes `spec --rootless` then, and the
  # exec checks that need other container uids or a new cgroup skip with the reason
  local files="$WORK/suite"
  mkdir -p "$files"
  cp "$BATS_TEST_DIRNAME/helpers.bash" "$BATS_TEST_DIRNAME/sockhelper.c" "$BATS_TEST_DIRNAME/lifecycle.bats" "$BATS_TEST_DIRNAME/exec.bats" "$files/"
  chmod -R a+rX "$files"
  chown "$RL_UID:$RL_GID" "$WORK"
  set +e
  # from a directory the user may enter (bats changes back to its start directory)
  (cd "$files" && as_user env RUNTIME="$RL_RUNTIME" TMPDIR="$WORK" CONFORMANCE_WAIT_SCALE="${CONFORMANCE_WAIT_SCALE:-1}" bats "$files/lifecycle.bats" "$files/exec.bats") >"$WORK/suite.out" 2>&1
  status=$?
  set -e
  cat "$WORK/suite.out"
  [ "$status" -eq 0 ]
  [ "$(grep -c '^ok ' "$WORK/suite.out")" -ge 20 ]
  ! grep -q '^not ok' "$WORK/suite.out"
}
