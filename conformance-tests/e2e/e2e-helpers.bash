# Shared set-up of the engine end-to-end suites (podman.bats, containerd.bats). RUNTIME is the
# runtime under test (an absolute path or a name on PATH), as in the other conformance files.
# Nothing here touches the host's default engine storage: everything lives in $E2E (a temp dir).

e2e_runtime() {
  : "${RUNTIME:=$BATS_TEST_DIRNAME/../../target/jrunc}"
  if [[ "$RUNTIME" != */* ]]; then
    RUNTIME=$(command -v "$RUNTIME")
  fi
  RUNTIME=$(readlink -f "$RUNTIME")
  [ -x "$RUNTIME" ] || { echo "RUNTIME $RUNTIME is not executable" >&2; return 1; }
  export RUNTIME
}

# e2e_trace_wrapper DIR: DIR/runtime logs each argv (one line, fields separated by spaces) to
# DIR/argv.log, then execs $RUNTIME: the engines' calls are kept for the failure output.
e2e_trace_wrapper() {
  mkdir -p "$1"
  cat > "$1/runtime" <<WRAP
#!/bin/sh
echo "\$*" >> "$1/argv.log"
exec "$RUNTIME" "\$@"
WRAP
  chmod 755 "$1/runtime"
}

# e2e_show_trace: on a failed test, the runtime's last command lines (bats prints the output of
# teardown with the failure)
e2e_show_trace() {
  if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -f "$E2E/trace/argv.log" ]; then
    echo "# the runtime's last calls:"
    tail -n 6 "$E2E/trace/argv.log" | cut -c1-300
  fi
}

# busybox_rootfs DIR: the host's busybox-static with one symlink per applet, /etc/passwd and
# /etc/group with root, nobody and a user 1000
busybox_rootfs() {
  local dir=$1 applet
  mkdir -p "$dir/bin" "$dir/etc" "$dir/tmp" "$dir/proc" "$dir/sys" "$dir/dev" "$dir/home/user" "$dir/root"
  cp /bin/busybox "$dir/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$dir/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$dir/etc/passwd"
  printf 'root:x:0:\nuser:x:1000:\nextra:x:2000:\nnogroup:x:65534:\n' > "$dir/etc/group"
  chmod 1777 "$dir/tmp"
  chown 1000:1000 "$dir/home/user"
  # not executable: exit 126 checks
  printf '#!/bin/sh\necho never\n' > "$dir/bin/notexec"
  chmod 644 "$dir/bin/notexec"
}

# busybox_archive FILE NAME: a docker-archive (docker save format) of a one-layer busybox image
# tagged NAME, loadable by `podman load` and `ctr images import`
busybox_archive() {
  local out=$1 name=$2 d layer_sha cfg cfg_sha
  d=$(mktemp -d "$E2E/archive.XXXXXX")
  busybox_rootfs "$d/rootfs"
  tar -C "$d/rootfs" --numeric-owner -cf "$d/layer.tar" .
  layer_sha=$(sha256sum "$d/layer.tar" | cut -d' ' -f1)
  cfg='{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:'$layer_sha'"]}}'
  printf '%s' "$cfg" > "$d/config.json"
  cfg_sha=$(sha256sum "$d/config.json" | cut -d' ' -f1)
  mkdir "$d/ar"
  mv "$d/config.json" "$d/ar/$cfg_sha.json"
  mkdir "$d/ar/$layer_sha"
  mv "$d/layer.tar" "$d/ar/$layer_sha/layer.tar"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$cfg_sha" "$name" "$layer_sha" > "$d/ar/manifest.json"
  tar -C "$d/ar" -cf "$out" .
  rm -rf "$d"
}

# podman_private_config DIR: podman's storage and configuration under DIR, exported through
# CONTAINERS_STORAGE_CONF and CONTAINERS_CONF: overlay storage, cgroupfs, file events, no
# network (E2E_CGROUP_MANAGER=systemd: podman's systemd cgroup manager, the runtime gets
# --systemd-cgroup), and default_ulimits this machine allows (podman's default nofile asks for more than
# its hard limit of 20000; runc and crun then fail too)
podman_private_config() {
  local dir=$1
  mkdir -p "$dir/tmp" "$dir/networks" "$dir/volumes"
  cat > "$dir/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$dir/graph"
runroot = "$dir/run"
CONF
  cat > "$dir/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
netns = "none"
log_driver = "k8s-file"

[network]
network_config_dir = "$dir/networks"

[engine]
cgroup_manager = "${E2E_CGROUP_MANAGER:-cgroupfs}"
events_logger = "file"
events_logfile_path = "$dir/events.log"
tmp_dir = "$dir/tmp"
volume_path = "$dir/volumes"
static_dir = "$dir/graph/libpod"
CONF
  export CONTAINERS_STORAGE_CONF="$dir/storage.conf" CONTAINERS_CONF="$dir/containers.conf"
}

# e2e_wait_for SECONDS CMD...: polls CMD every 100 ms (SECONDS times CONFORMANCE_WAIT_SCALE, as wait_for)
e2e_wait_for() {
  local n=$(( $1 * 10 * ${CONFORMANCE_WAIT_SCALE:-1} )) i
  shift
  for ((i = 0; i < n; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# e2e_remove_leftovers CGROUP: what a suite leaves on the host, removed: mounts under $E2E (none
# expected), $E2E itself, the private cgroup CGROUP in every hierarchy (cgroup v2: the one), and the host directories
# the engine made that did not exist before ($E2E_NEW_HOST_DIRS)
e2e_remove_leftovers() {
  local m d
  for m in $(awk -v p="$E2E/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf "$E2E"
  for d in /sys/fs/cgroup/"$1" /sys/fs/cgroup/*/"$1"; do
    if [ -d "$d" ]; then
      find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
    fi
  done
  for d in $E2E_NEW_HOST_DIRS; do
    rm -rf "$d"
  done
  true
}

# e2e_check_binds: after a container that read $E2E/vol-ro/in, wrote /rw/out and tried /ro/new,
# printing "ro=$?" of that try ($output): the host file was read, the rw write landed, the ro
# one was refused
e2e_check_binds() {
  [[ "$output" == *from-host* ]]
  [[ "$output" == *"ro=1"* ]]
  [ "$(cat "$E2E/vol-rw/out")" = from-container ]
  [ ! -e "$E2E/vol-ro/new" ]
}

# ---- rootless engines (podman-rootless.bats, buildah-rootless.bats) ----
# A test user made and removed here (its /etc lines taken out again, the backup files useradd
# rewrites put back from $E2E/etc-save), a free subordinate id range, and everything the user's engine writes
# under $E2E/u (HOME, XDG_RUNTIME_DIR, TMPDIR, private storage and configuration).

RL_ETC_FILES="passwd- group- shadow- gshadow- subuid- subgid-"

# rl_preconditions ENGINE: file_skip (status 1) when the host cannot run ENGINE rootless at all
rl_preconditions() {
  [ "$(id -u)" -eq 0 ] || { file_skip "needs root to create the test user"; return 1; }
  local tool
  for tool in "$1" useradd userdel setpriv newuidmap newgidmap; do
    command -v "$tool" >/dev/null || { file_skip "needs $tool"; return 1; }
  done
  if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)" = 0 ]; then
    file_skip "user namespaces are disabled (user.max_user_namespaces=0)"; return 1
  fi
  if [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 0 ]; then
    file_skip "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)"; return 1
  fi
}

# rl_user_add: the user ($RL_USER, $RL_UID, $RL_GID) with 65536 subordinate uids and gids
# starting where the last range of /etc/subuid and /etc/subgid ends, and its directories
rl_user_add() {
  local f start
  mkdir -m 700 "$E2E/etc-save"
  for f in $RL_ETC_FILES; do
    if [ -e "/etc/$f" ]; then cp -a "/etc/$f" "$E2E/etc-save/$f"; fi
  done
  touch "$E2E/etc-save/.saved"
  RL_USER="jre2e$$"
  useradd -M -U -d /nonexistent -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$RL_USER"
  RL_UID=$(id -u "$RL_USER")
  RL_GID=$(id -g "$RL_USER")
  start=$(cat /etc/subuid /etc/subgid 2>/dev/null | awk -F: 'BEGIN { m = 100000 } NF == 3 && $2 + $3 > m { m = $2 + $3 } END { print m }')
  echo "$RL_USER:$start:65536" >> /etc/subuid
  echo "$RL_USER:$start:65536" >> /etc/subgid
  RL_SUB=$start
  chmod 755 "$E2E"
  mkdir -p "$E2E/u/home" "$E2E/u/tmp" "$E2E/u/xdg"
  chmod 700 "$E2E/u/xdg"
  podman_private_config "$E2E/u/cfg"
  chown -R "$RL_UID:$RL_GID" "$E2E/u"
  export RL_USER RL_UID RL_GID RL_SUB
}

# rl_user_remove: every process of the user (the engine's pause process, conmon, containers:
# all started by these tests) killed one by one, the user deleted and its subordinate ranges
# taken out line by line (not whole files put back: suites running at the same time edit /etc
# too, and a byte-for-byte copy would undo their users or bring back ours), the backup files
# useradd/userdel rewrite (passwd- ...) put back as found
rl_user_remove() {
  local pid f
  if [ -n "${RL_UID:-}" ]; then
    for pid in $(ps -o pid= -u "$RL_UID" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    if [ "$(stat -c %u "/tmp/hsperfdata_$RL_USER" 2>/dev/null)" = "$RL_UID" ]; then
      rm -rf "/tmp/hsperfdata_$RL_USER"
    fi
  fi
  if [ -n "${RL_USER:-}" ]; then
    if id "$RL_USER" >/dev/null 2>&1; then
      userdel "$RL_USER" >/dev/null 2>&1 || true
    fi
    for f in /etc/subuid /etc/subgid; do
      if grep -q "^$RL_USER:" "$f" 2>/dev/null; then
        sed -i "/^$RL_USER:/d" "$f"
      fi
    done
  fi
  if [ -e "$E2E/etc-save/.saved" ]; then
    for f in $RL_ETC_FILES; do
      if [ -e "$E2E/etc-save/$f" ]; then
        cmp -s "$E2E/etc-save/$f" "/etc/$f" || cp -a "$E2E/etc-save/$f" "/etc/$f"
      else
        rm -f "/etc/$f"
      fi
    done
  fi
}

# rl_remove_dir: $E2E, after any host mount under it (none expected: the user's engine mounts in
# its own namespace) is unmounted
# rl_setup_file TOOL: a rootless e2e file's set-up: TOOL's preconditions, the runtime, the work
# dir $E2E, the test user with a subordinate range TOOL can map (else the user and the dir go and
# the file is skipped with the reason), the runtime where the user reaches it, and the busybox
# image archive $E2E/u/busybox.tar ($IMG) owned by the user
rl_setup_file() {
  rl_preconditions "$1" || return 1
  e2e_runtime
  E2E=$(mktemp -d "/tmp/jrunc-e2e-rl$1.XXXXXX")
  export E2E
  rl_user_add
  local why
  if ! why=$(rl_can_map "$1"); then
    rl_user_remove
    rl_remove_dir
    E2E=
    file_skip "the user's subordinate id range cannot be mapped here: $why"
    return 1
  fi
  rl_runtime
  busybox_archive "$E2E/u/busybox.tar" "$IMG"
  chown "$RL_UID:$RL_GID" "$E2E/u/busybox.tar"
}

rl_remove_dir() {
  local m
  for m in $(awk -v p="$E2E/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf "$E2E"
}

# as_rl_user CMD...: CMD as the test user, with the environment a login would give the engine
# (USER, HOME, XDG_RUNTIME_DIR) and the private storage and configuration
as_rl_user() {
  # from a directory the user may enter: podman fails in a cwd it cannot reach (a CI clone under
  # a 0700 directory), as bats' own start directory may be
  (cd "$E2E/u" && exec setpriv --reuid "$RL_UID" --regid "$RL_GID" --init-groups \
    env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin USER="$RL_USER" LOGNAME="$RL_USER" \
    HOME="$E2E/u/home" XDG_RUNTIME_DIR="$E2E/u/xdg" TMPDIR="$E2E/u/tmp" \
    CONTAINERS_STORAGE_CONF="$CONTAINERS_STORAGE_CONF" CONTAINERS_CONF="$CONTAINERS_CONF" "$@")
}

# rl_runtime: $RL_RUNTIME, the runtime under test as the user can run it (a launcher or binary
# under a directory the user cannot traverse is copied to $E2E/rt, the JVM launcher's absolute
# paths rewritten), behind the argv-logging wrapper $E2E/u/trace/runtime; $RL_RT_NAME, the
# runtime's own name (its default state root is $XDG_RUNTIME_DIR/$RL_RT_NAME)
rl_runtime() {
  local rt=$RUNTIME src
  RL_RT_NAME=$(basename "$RUNTIME")
  if ! as_rl_user "$rt" --version >/dev/null 2>&1; then
    src=$(dirname "$rt")
    mkdir "$E2E/rt"
    cp -a "$src/." "$E2E/rt/"
    if head -c 2 "$rt" | grep -q '#!'; then
      sed -i "s|$src/|$E2E/rt/|g" "$E2E/rt/$RL_RT_NAME"
    fi
    chmod -R a+rX "$E2E/rt"
    rt="$E2E/rt/$RL_RT_NAME"
    as_rl_user "$rt" --version >/dev/null || { echo "the test user cannot run $rt" >&2; return 1; }
  fi
  RL_RUNTIME=$rt
  e2e_trace_wrapper "$E2E/u/trace"
  sed -i "s|exec \"$RUNTIME\"|exec \"$rt\"|" "$E2E/u/trace/runtime"
  touch "$E2E/u/trace/argv.log"
  chown -R "$RL_UID:$RL_GID" "$E2E/u/trace"
  export RL_RUNTIME RL_RT_NAME
}

# rl_show_trace: e2e_show_trace for the user's wrapper
rl_show_trace() {
  if [ -z "${BATS_TEST_COMPLETED:-}" ] && [ -f "$E2E/u/trace/argv.log" ]; then
    echo "# the runtime's last calls:"
    tail -n 6 "$E2E/u/trace/argv.log" | cut -c1-300
  fi
}

# rl_can_map ENGINE: the user's engine maps the subordinate range (newuidmap works here)
rl_can_map() {
  local map
  map=$(as_rl_user "$1" unshare cat /proc/self/uid_map 2>&1) || { echo "$map"; return 1; }
  [[ "$map" == *"$RL_SUB"* ]] || { echo "$map"; return 1; }
}
