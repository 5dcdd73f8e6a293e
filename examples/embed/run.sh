#!/bin/bash
# jrunc as a library: compiles EmbedBusybox.java against target/jrunc.jar and the runtime jars in
# target/lib, leaving picocli out (only jrunc's command line uses it), and runs it as root.
#   examples/embed/run.sh [STATE_ROOT [ID]]     (after make; default root /run/jrunc)
# The bundle is made in $TMPDIR (default /tmp) and removed at the end.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(cd "$HERE/../.." && pwd)/target
for f in jrunc.jar jrunc-init native/libjrunc.so; do
    [ -e "$T/$f" ] || { echo "no $T/$f: run make first" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (the container is not rootless)" >&2; exit 1; }
if ! [ -x /bin/busybox ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
fi
# the JDK the Makefile builds with: $JAVA_HOME when it is 25 or newer, else Temurin 25
v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${JAVA_HOME:-/nonexistent}/release" 2>/dev/null || true)
[ -n "$v" ] && [ "$v" -ge 25 ] || JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64

CP=$T/jrunc.jar
for j in "$T"/lib/*.jar; do
    case $(basename "$j") in picocli-*) ;; *) CP=$CP:$j ;; esac
done
OUT=$T/examples/embed
mkdir -p "$OUT"
"$JAVA_HOME/bin/javac" -d "$OUT" -cp "$CP" "$HERE/EmbedBusybox.java"
# the schema validator logs through SLF4J: its silent provider, as jrunc's launcher chooses
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Djava.io.tmpdir="${TMPDIR:-/tmp}" \
    -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -Dslf4j.internal.verbosity=WARN \
    -cp "$OUT:$CP" EmbedBusybox --init "$T/jrunc-init" --native-lib "$T/native/libjrunc.so" \
    --root "${1:-/run/jrunc}" --id "${2:-embed-$$}"
