#!/bin/bash
# "DIY docker": an image built and stored with stock tools, run by an OCI runtime.
#
#   RUNTIME=/path/to/runtime examples/diy-docker.sh [WORKDIR]
#
# RUNTIME defaults to target/jrunc beside this folder (any runc-compatible binary works, e.g.
# RUNTIME=runc). Everything is made in a fresh directory under WORKDIR (default: $TMPDIR or /tmp)
# and removed on exit, containers included. As root the runtime's `spec` is used as is; as any
# other user `spec --rootless` (the user becomes root in a user namespace) and umoci --rootless.
#
#  1. umoci builds a two-layer busybox image in an OCI layout: layer 1 is /bin/busybox with one
#     relative `ln -s busybox` link per applet and a few files, layer 2 adds /etc/passwd and
#     /etc/group, replaces /etc/layer and deletes /etc/doomed (a `.wh.doomed` whiteout). The
#     config's Entrypoint and Cmd run /etc/hello.sh.
#  2. skopeo copies it to a `dir:` directory (Debian's skopeo has no ostree transport).
#  3. Each layer, a gzip'd tar, is committed as is into a bare-user OSTree repository on the
#     branch layers/<digest>; manifest.json and config.json go to the branch images/busybox/latest.
#  4. The layers are checked out in manifest order into cont1/rootfs with
#     `ostree checkout -U --union --whiteouts`: later layers overwrite files of earlier ones and
#     --whiteouts applies the OCI whiteouts (`.wh.NAME` deletes NAME, `.wh..wh..opq` empties the
#     directory). Files are hard links to the repository's objects, so the rootfs is mounted
#     read-only (root.readonly): a write through a link would change the repository.
#  5. `RUNTIME spec [--rootless]`, process.args = Entrypoint + Cmd (plus Env and WorkingDir),
#     `run` in the foreground, then `run -d`, `exec`, `kill`, `delete`; `list` is empty at the end
#     and `ostree fsck` checks that the containers changed nothing in the repository.
set -euo pipefail

die() { echo "diy-docker: $*" >&2; exit 1; }
step() { echo "== $*"; }

HERE=$(cd "$(dirname "$0")" && pwd)
RUNTIME=${RUNTIME:-$HERE/../target/jrunc}
if [[ "$RUNTIME" != */* ]]; then
    RUNTIME=$(command -v "$RUNTIME") || die "RUNTIME ${RUNTIME}: not found in PATH"
fi
[ -x "$RUNTIME" ] || die "RUNTIME $RUNTIME is not executable (run make first, or set RUNTIME=)"
RUNTIME=$(readlink -f "$RUNTIME")
PARENT=${1:-${TMPDIR:-/tmp}}
PARENT=$(cd "$PARENT" 2>/dev/null && pwd) || die "work directory ${1:-${TMPDIR:-/tmp}} does not exist"

# The tools, from Debian: installed when missing if we are root, else a clear error.
need=()
for t in skopeo:skopeo ostree:ostree umoci:umoci jq:jq; do
    command -v "${t%%:*}" >/dev/null || need+=("${t#*:}")
done
[ -x /bin/busybox ] || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${need[*]}: apt-get install ${need[*]} (as root)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; } \
        || die "apt-get install ${need[*]} failed"
fi

ROOTLESS=()
if [ "$(id -u)" != 0 ]; then
    ROOTLESS=(--rootless)
fi

W=$(mktemp -d "$PARENT/diy-docker.XXXXXX") || die "cannot create a directory under $PARENT"
STATE=$W/state
FG=diy-$$-fg
BG=diy-$$-bg
rt() { "$RUNTIME" --root "$STATE" "$@"; }
cleanup() {
    local rc=$?
    for id in "$FG" "$BG"; do
        rt state "$id" >/dev/null 2>&1 && rt delete --force "$id" >/dev/null 2>&1
    done
    cd /
    rm -rf "$W"
    [ $rc = 0 ] || echo "diy-docker: FAILED (exit $rc)" >&2
    return $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cd "$W"

step "1. image: a two-layer busybox OCI layout with umoci"
umoci init --layout oci
umoci new --image oci:busybox
# layer 1: busybox, one relative link per applet (`busybox --install -s` makes absolute ones)
umoci unpack "${ROOTLESS[@]}" --image oci:busybox b1 >/dev/null
R=b1/rootfs
mkdir -p "$R/bin" "$R/etc" "$R/tmp" "$R/root"
cp /bin/busybox "$R/bin/busybox"
for a in $(/bin/busybox --list); do
    [ "$a" = busybox ] || ln -s busybox "$R/bin/$a"
done
echo "layer 1" > "$R/etc/layer"
echo "deleted by layer 2" > "$R/etc/doomed"
cat > "$R/etc/hello.sh" <<'EOF'
echo "hello $*: uid $(id -u) ($(id -un)), hostname $(hostname)"
echo "/etc/layer: $(cat /etc/layer)"
if [ -e /etc/doomed ]; then echo "/etc/doomed: present"; else echo "/etc/doomed: whited out"; fi
echo "/bin/busybox owner inside: $(stat -c %u:%g /bin/busybox)"
echo "whiteout files: $(find / -xdev -name '.wh.*' | wc -l)"
echo "GREETING=$GREETING cwd=$(pwd)"
EOF
umoci repack --image oci:busybox b1 >/dev/null
rm -rf b1
# layer 2: a fresh unpack (repack diffs against what was unpacked), changes, repack
umoci unpack "${ROOTLESS[@]}" --image oci:busybox b2 >/dev/null
R=b2/rootfs
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$R/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
echo "layer 2" > "$R/etc/layer"
rm "$R/etc/doomed"
umoci repack --image oci:busybox b2 >/dev/null
rm -rf b2
umoci config --image oci:busybox --config.entrypoint /bin/sh --config.entrypoint /etc/hello.sh \
    --config.cmd from --config.cmd diy-docker --config.env GREETING=hi --config.workingdir /tmp

step "2. skopeo copy oci:oci:busybox dir:dir"
# a local copy: no signature to check, hence no policy (an unprivileged user may have none)
skopeo --insecure-policy copy -q oci:oci:busybox dir:dir
layers=$(jq -r '.layers[].digest' dir/manifest.json)
config=$(jq -r '.config.digest' dir/manifest.json)
[ "$(echo "$layers" | wc -l)" -ge 2 ] || die "expected at least two layers in dir/manifest.json"

step "3. ostree: one branch per layer, one for the manifest and config"
ostree init --mode=bare-user --repo=repo
n=0
for l in $layers; do
    n=$((n + 1))
    # gzip'd tars are taken as they are (libarchive); a layer holds only what changed, so its
    # parent directories may be missing from the tar: --tar-autocreate-parents
    ostree commit --repo=repo --branch="layers/${l#sha256:}" --tar-autocreate-parents \
        --tree=tar="dir/${l#sha256:}" -s "layer $n $l" >/dev/null
    echo "layers/${l#sha256:}: layer $n, $(ostree ls --repo=repo -R "layers/${l#sha256:}" | wc -l) entries"
done
mkdir meta
cp dir/manifest.json meta/manifest.json
cp "dir/${config#sha256:}" meta/config.json
ostree commit --repo=repo --branch=images/busybox/latest --tree=dir=meta -s "busybox image" >/dev/null
rm -rf meta oci dir
ostree refs --repo=repo | sort

step "4. checkout of the layers in order into cont1/rootfs (--union --whiteouts)"
ostree cat --repo=repo images/busybox/latest /manifest.json > manifest.json
ostree cat --repo=repo images/busybox/latest /config.json > image-config.json
mkdir cont1
for l in $(jq -r '.layers[].digest' manifest.json); do
    ostree checkout --repo=repo -U --union --whiteouts "layers/${l#sha256:}" cont1/rootfs
done
left=$(find cont1/rootfs -name '.wh.*')
[ -z "$left" ] || die "whiteouts left in the rootfs: $left"
[ ! -e cont1/rootfs/etc/doomed ] || die "/etc/doomed survived its whiteout"
[ "$(cat cont1/rootfs/etc/layer)" = "layer 2" ] || die "/etc/layer is not layer 2's"
echo "rootfs owner: $(stat -c %u:%g cont1/rootfs/bin/busybox) (uid $(id -u)), $(find cont1/rootfs | wc -l) entries"

step "5. $(basename "$RUNTIME") spec${ROOTLESS:+ --rootless}, run, run -d, exec, kill, delete"
echo "containers: $FG $BG"
cd cont1
"$RUNTIME" spec "${ROOTLESS[@]}"
jq --slurpfile img ../image-config.json '
    ($img[0].config) as $c
    | .process.args = (($c.Entrypoint // []) + ($c.Cmd // []))
    | .process.env = ((.process.env // []) + ($c.Env // []))
    | .process.cwd = (if ($c.WorkingDir // "") == "" then "/" else $c.WorkingDir end)
    | .process.terminal = false
    | .root.readonly = true
    | .hostname = "diy"' config.json > config.json.new
mv config.json.new config.json
echo "process.args: $(jq -c .process.args config.json)"
mkdir -p "$STATE"
rt run "$FG" </dev/null || die "run $FG failed"

jq '.process.args = ["sleep", "600"]' config.json > config.json.new && mv config.json.new config.json
# a detached container keeps the stdio it is given: files, so nobody waits on a pipe
rt run -d "$BG" </dev/null >"$W/bg.log" 2>&1 || { cat "$W/bg.log" >&2; die "run -d $BG failed"; }
[ "$(rt state "$BG" | jq -r .status)" = running ] || die "$BG is not running"
out=$(rt exec "$BG" sh -c 'echo pid $$, /etc/layer: $(cat /etc/layer)' </dev/null) || die "exec in $BG failed"
echo "exec in $BG: $out"
rt kill "$BG" KILL
for _ in $(seq 250); do
    [ "$(rt state "$BG" | jq -r .status)" = stopped ] && break
    sleep 0.02
done
[ "$(rt state "$BG" | jq -r .status)" = stopped ] || die "$BG did not stop after kill KILL"
rt delete "$BG"
left=$(rt list -q) || die "list failed"
[ -z "$left" ] || die "containers left: $left"
echo "list: empty"
cd "$W"
ostree fsck --repo=repo -q >/dev/null || die "ostree fsck found the repository changed"
echo "ostree fsck: ok"
echo "diy-docker: OK"
