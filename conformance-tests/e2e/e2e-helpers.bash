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
# network, and default_ulimits this machine allows (podman's default nofile asks for more than
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
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
tmp_dir = "$dir/tmp"
volume_path = "$dir/volumes"
static_dir = "$dir/graph/libpod"
CONF
  export CONTAINERS_STORAGE_CONF="$dir/storage.conf" CONTAINERS_CONF="$dir/containers.conf"
}

# e2e_wait_for SECONDS CMD...: polls CMD every 100 ms
e2e_wait_for() {
  local n=$(( $1 * 10 )) i
  shift
  for ((i = 0; i < n; i++)); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# e2e_remove_leftovers CGROUP: what a suite leaves on the host, removed: mounts under $E2E (none
# expected), $E2E itself, the private cgroup CGROUP in every hierarchy, and the host directories
# the engine made that did not exist before ($E2E_NEW_HOST_DIRS)
e2e_remove_leftovers() {
  local m d
  for m in $(awk -v p="$E2E/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount -l "$m" || true
  done
  rm -rf "$E2E"
  for d in /sys/fs/cgroup/*/"$1"; do
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
