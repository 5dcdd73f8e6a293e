#!/bin/bash
# Builds a busybox bundle in a temporary directory and runs it with jrunc (as root).
#   examples/busybox-run.sh [JRUNC]     (default: target/jrunc beside this folder)
set -euo pipefail
JRUNC=$(readlink -f "${1:-$(dirname "$0")/../target/jrunc}")
[ -x "$JRUNC" ] || { echo "no jrunc at $JRUNC: run make first" >&2; exit 1; }
if ! [ -x /bin/busybox ] || ! command -v jq >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static jq >/dev/null
fi
B=$(mktemp -d /tmp/jrunc-busybox.XXXXXX)
trap 'rm -rf "$B"' EXIT
mkdir -p "$B/rootfs/bin"
cp /bin/busybox "$B/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "$B/rootfs/bin/$a"; done
cd "$B"
"$JRUNC" spec
jq '.process.terminal = false | .process.args = ["sh", "-c", "echo hello from $(hostname), pid $$"]' \
    config.json > config.json.new && mv config.json.new config.json
exec "$JRUNC" run "busybox-$$"
