#!/bin/bash
# Manifest and verification speed.
#
# 1. netvet manifest of a warm tree (default /usr/lib, about 65k files and
#    5 GB; TREE=... to choose), both cores, written to a file, against
#    sha256sum and openssl dgst -sha256 (two processes each) and, if
#    installed, aide --init (two workers) on the same tree in the same
#    run.  GB/s counts the bytes of the regular files; the load average
#    is printed with each figure.
#    Target: >= 1.5 GB/s.
# 2. netvet verify of libc6 2.36-9+deb12u14 against a manifest of
#    deb12u7 (section-by-section classification); diffoscope on the same
#    pair if installed.  Target: <= 0.5 s.
set -euo pipefail
NETVET=$(realpath "${NETVET:-./netvet}")
SHARED=$(realpath "${SHARED:-../shared}")
TREE=${TREE:-/usr/lib}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

seconds() { # seconds CMD...: wall time of CMD; its stderr in $out/err
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null 2> "$out/err" || true
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc -l
}

bytes=$(find "$TREE" -type f -printf '%s\n' | awk '{s += $1} END {printf "%.0f", s}')
files=$(find "$TREE" -type f | wc -l)
echo "tree $TREE: $files files, $(echo "$bytes / 1000000000" | bc -l | cut -c1-5) GB"
# This machine's memory manager reclaims pages that were not touched for
# a few seconds, so a tree read a minute ago is cold again: each command
# runs twice in a row and the second, warm, run is the one measured.
warm2() { seconds "$@" > /dev/null; seconds "$@"; }

"$NETVET" keygen "$out/k" > /dev/null
nv=$(warm2 "$NETVET" manifest "$TREE" --key "$out/k.key" --name bench \
    --version 1 -o "$out/tree.manifest" --timing)
load_nv=$(cut -d' ' -f1-3 /proc/loadavg)
grep -E 'entries|hashed' "$out/err" || true
sha=$(warm2 sh -c "find '$TREE' -type f -print0 |
    xargs -0 -P2 -n 4000 sha256sum")
load_sha=$(cut -d' ' -f1-3 /proc/loadavg)
ossl=$(warm2 sh -c "find '$TREE' -type f -print0 |
    xargs -0 -P2 -n 4000 openssl dgst -sha256")
load_ossl=$(cut -d' ' -f1-3 /proc/loadavg)
rate() { echo "$bytes / $1 / 1000000000" | bc -l | cut -c1-5; }
printf 'netvet manifest   %6.2f s  %s GB/s  (target 1.5; load %s)\n' \
    "$nv" "$(rate "$nv")" "$load_nv"
printf 'sha256sum -P2     %6.2f s  %s GB/s  netvet is %sx faster (load %s)\n' \
    "$sha" "$(rate "$sha")" "$(echo "$sha / $nv" | bc -l | cut -c1-4)" \
    "$load_sha"
printf 'openssl dgst -P2  %6.2f s  %s GB/s  netvet is %sx faster (load %s)\n' \
    "$ossl" "$(rate "$ossl")" "$(echo "$ossl / $nv" | bc -l | cut -c1-4)" \
    "$load_ossl"
if command -v aide > /dev/null; then
    printf 'database_out=file:%s/aide.db\n%s p+u+g+s+sha256\n' "$out" \
        "$TREE" > "$out/aide.conf"
    aide=$(warm2 aide --init -W 2 -c "$out/aide.conf")
    printf 'aide --init -W 2  %6.2f s  %s GB/s  netvet is %sx faster\n' \
        "$aide" "$(rate "$aide")" "$(echo "$aide / $nv" | bc -l | cut -c1-4)"
fi

D=$SHARED/data/debs
"$NETVET" manifest "$D/libc6_2.36-9+deb12u7_amd64.deb" --key "$out/k.key" \
    --name libc6 --version 2.36-9+deb12u7 -o "$out/libc.manifest" 2> /dev/null
v=$(seconds "$NETVET" verify "$D/libc6_2.36-9+deb12u14_amd64.deb" \
    --against "$out/libc.manifest" --trust "$out/k.pub")
"$NETVET" verify "$D/libc6_2.36-9+deb12u14_amd64.deb" \
    --against "$out/libc.manifest" --trust "$out/k.pub" | tail -1 || true
printf 'netvet verify libc6 u7 -> u14  %.3f s\n' "$v"
if command -v diffoscope > /dev/null; then
    dif=$(seconds diffoscope "$D/libc6_2.36-9+deb12u7_amd64.deb" \
        "$D/libc6_2.36-9+deb12u14_amd64.deb")
    printf 'diffoscope                      %.1f s  netvet is %sx faster\n' \
        "$dif" "$(echo "$dif / $v" | bc -l | cut -c1-6)"
fi
