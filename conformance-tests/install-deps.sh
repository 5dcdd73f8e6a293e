#!/bin/bash
# The Debian packages the tests use (make test runs this first; .ci/run too): the runtimes the
# suite compares with, bats, the engines of the end-to-end files, the tools the tests and the
# benchmarks call, and QEMU for the cgroup v2 lab (make v2lab). Only missing packages are
# installed, with apt-get, as root; otherwise the missing ones are listed and the tests that need
# them skip with their reason.
set -euo pipefail
PACKAGES=(
  runc crun busybox-static bats uidmap libseccomp-dev musl-tools hyperfine jq gcc libc6-dev make maven file unzip
  python3 iproute2 procps podman conmon netavark containerd skopeo ostree umoci
  buildah slirp4netns fuse-overlayfs qemu-system-x86 docker.io strace
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -gt 0 ] || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing the test packages that are missing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "test packages missing (install them as root with apt-get; tests that need them skip): ${missing[*]}" >&2
fi
