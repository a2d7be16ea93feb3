# shellcheck shell=bash
# Sourced by the cases of integrity.t: a temporary directory $D (removed
# on exit) with the evaluator's keys ev.key/ev.pub, another key pair
# other.*, and a firmware-like root file system built from real Debian
# packages (busybox, dropbear-bin, libssl3) with /bin/sh -> busybox.
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
DEBS=$SHARED/data/debs
netvet keygen "$D/ev" >/dev/null && netvet keygen "$D/other" >/dev/null ||
    exit 3
mkdir "$D/root"
for p in 'busybox_1%3a1.35.0-4+deb12u1+b1_amd64.deb' \
    dropbear-bin_2022.83-1+deb12u3_amd64.deb \
    libssl3_3.0.17-1~deb12u2_amd64.deb; do
    dpkg-deb -x "$DEBS/$p" "$D/root" || exit 3
done
ln -s busybox "$D/root/bin/sh"

# image DIR NAME: NAME.tar and NAME.sqfs of DIR, owned by root.
image() {
    tar --owner=0 --group=0 --numeric-owner --sort=name -C "$1" \
        -cf "$D/$2.tar" . && tar2sqfs -q "$D/$2.sqfs" < "$D/$2.tar"
}

# manifest IMAGE [ARGS]: the evaluated build's signed manifest,
# $D/fw.manifest.
manifest() {
    local img=$1
    shift
    netvet manifest "$img" --key "$D/ev.key" --name fw --version 1.0 \
        --evaluator lab --date 2026-11-30 -o "$D/fw.manifest" "$@"
}

# mutate: the five changes an attacker makes, as mut.tar and mut.sqfs: a
# file added, one removed, a byte of code patched in a library, a binary
# made setuid, a symlink retargeted.
mutate() {
    cp -a "$D/root" "$D/mut"
    echo 'ssh-ed25519 AAAA attacker' > "$D/mut/usr/share/doc/busybox/keys"
    rm "$D/mut/usr/bin/dbclient"
    printf '\220' | dd of="$D/mut/usr/lib/x86_64-linux-gnu/libssl.so.3" \
        bs=1 seek=131072 conv=notrunc status=none
    chmod 4755 "$D/mut/usr/sbin/dropbear"
    ln -sfn /tmp/evil "$D/mut/bin/sh"
    image "$D/mut" mut
}

# verify IMAGE [ARGS]: verify against fw.manifest, trusting ev.pub; prints
# the report and its number of lines, exits as netvet did.
verify() {
    local img=$1 s
    shift
    netvet verify "$img" --against "$D/fw.manifest" --trust "$D/ev.pub" \
        "$@" > "$D/out"
    s=$?
    cat "$D/out"
    echo "lines: $(wc -l < "$D/out")"
    return $s
}

# flip_build_id FILE: change one byte of an ELF file's build id, as a
# rebuild of the same source does.
flip_build_id() {
    python3 - "$1" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
size, n, strndx = struct.unpack_from("<HHH", b, 0x3A)
names = struct.unpack_from("<Q", b, shoff + strndx * size + 0x18)[0]
for i in range(n):
    name, = struct.unpack_from("<I", b, shoff + i * size)
    if b[names + name:].startswith(b".note.gnu.build-id\0"):
        off, = struct.unpack_from("<Q", b, shoff + i * size + 0x18)
        b[off + 16] ^= 1  # past the note header and "GNU\0"
open(p, "wb").write(b)
PY
}

image "$D/root" fw && manifest "$D/fw.tar" 2>/dev/null || exit 3
