#!/bin/bash
# Vendor margin and choke points at national scale: netvet assess
# --margin (every flow, vendor and country margins up to 3, choke points)
# on the 100k-asset model of bench/exposure.sh, its time beyond the
# exposure; then the vendor margins of the example by brute force with
# python3-networkx (every set of up to three vendors removed), checked
# for agreement, and the speed ratio.
# Target: margin up to 3 for every flow, vendors and countries, at 100k
# assets <= 30 s.
# Usage: bench/margin.sh [ASSETS]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3
n=${1:-100000}
out=bench/out
mkdir -p "$out"
f=$out/exposure-$n.json
[ -f "$f" ] || "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
    --assets "$n" --flows $((n / 10)) --vendors 20 --countries 8 --seed 1 -o "$f"

secs() { # the wall time of a command, in seconds
    local t0 t1
    t0=$(date +%s.%N)
    "$@" > /dev/null || true
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}
# assess --timing times the margins and choke points alone; --limit 1
# keeps the printing of the flows out of the run.
t=$("$NETVET" assess --margin --timing --limit 1 "$f" 2>&1 > "$out/margin-$n.txt" || true)
echo "assets $n:"
grep 'margins and choke points in' <<< "$t" | sed 's/$/ (target <= 30 s)/'
sed -n '/^margin: flows by the number/,/^$/p' "$out/margin-$n.txt"

ex=examples/national/model.json
nv=$(secs "$NETVET" assess --margin --json "$ex")
"$NETVET" assess --margin --json "$ex" > "$out/margin-example.json" || true
echo
echo "peer: python3-networkx brute force, vendor margins of the example"
"$PY" bench/margin_networkx.py "$ex" "$out/margin-example.json" | tee "$out/margin-nx.txt"
awk -v nx="$(awk '{print $2}' "$out/margin-nx.txt")" -v nv="$nv" 'BEGIN {
    printf "ratio      netvet (whole assess --margin) is %.0fx faster than networkx (vendor margins only)\n", nx / (nv > 0.0005 ? nv : 0.0005) }'
