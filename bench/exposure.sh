#!/bin/bash
# Exposure at national scale: netvet assess (every flow, every vendor,
# country and designation group, all three levels) on generated models of
# 10k, 100k and 1M assets (about 3 links per asset, one flow per 10
# assets, 20 vendors in 8 countries), with load and analysis times and
# peak RSS; then the same answers from python3-igraph's building blocks on
# the 10k model, checked for agreement, and the speed ratio.
# Targets: 1M assets analysed in <= 3 s after loading, <= 2 GB peak RSS;
# >= 20x faster than igraph.
# Usage: bench/exposure.sh [SIZES...]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3 # Debian's, where python3-igraph is installed
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
out=bench/out
mkdir -p "$out"

model() {
    local n=$1 f=$out/exposure-$1.json
    [ -f "$f" ] || "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
        --assets "$n" --flows $((n / 10)) --vendors 20 --countries 8 \
        --seed 1 -o "$f"
    echo "$f"
}

printf '%-9s %9s %9s %10s %10s %10s\n' assets links flows load_s exposure_s peak_MB
for n in "${sizes[@]}"; do
    f=$(model "$n")
    links=$(grep -c '^{"a":' "$f" || true)
    flows=$(grep -c '"sector":' "$f" || true)
    t=$( { /usr/bin/time -f 'RSS %M' "$NETVET" assess --timing --json "$f" \
           > "$out/exposure-$n.out"; } 2>&1 || true)
    load=$(sed -n 's/.*loaded in \([0-9.]*\) s.*/\1/p' <<< "$t")
    expo=$(sed -n 's/.*exposure in \([0-9.]*\) s.*/\1/p' <<< "$t")
    rss=$(sed -n 's/^RSS \([0-9]*\)/\1/p' <<< "$t")
    printf '%-9s %9s %9s %10s %10s %10.0f\n' "$n" "$links" "$flows" "$load" \
        "$expo" "$((rss / 1024))"
    echo "$expo" > "$out/exposure-$n.seconds"
done

n=${sizes[0]}
f=$(model "$n")
echo
echo "peer: python3-igraph on the $n-asset model"
"$PY" bench/exposure_igraph.py "$f" "$out/exposure-$n.out" | tee "$out/igraph.txt"
awk -v ig="$(awk '{print $2}' "$out/igraph.txt")" \
    -v nv="$(cat "$out/exposure-$n.seconds")" 'BEGIN {
    printf "ratio      netvet is %.0fx faster than igraph (exposure only)\n",
           ig / (nv > 0.0005 ? nv : 0.0005) }'
