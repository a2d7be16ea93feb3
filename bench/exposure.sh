#!/bin/bash
# Exposure at national scale: netvet assess (every flow, every vendor,
# country and designation group, all four levels) on generated models of
# 10k, 100k and 1M assets (about 3 links per asset, one flow per 10
# assets, 20 vendors in 8 countries; radios and end devices non-transit),
# with load and analysis times, the routed and failover phases and their
# ratio, and peak RSS; FAILOVER_FROM=CLASS limits failover to flows of
# that class and above (assess --failover-from).  Then the same answers
# from python3-igraph's building blocks on the 10k model, checked for
# agreement, and the speed ratio: igraph knows neither non-transit assets
# nor failover, so both run on a copy where every asset is transit and
# netvet without failover.
# Targets: 1M assets analysed in <= 3 s after loading without failover,
# <= 2 GB peak RSS; failover <= 10x routed at 100k, <= 60 s at 1M;
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

field() { sed -n "/loaded in/s/.*$1 \([0-9.]*\).*/\1/p" <<< "$2"; }

printf '%-9s %9s %9s %8s %10s %9s %10s %8s %8s\n' assets links flows load_s \
    exposure_s routed_s failover_s ratio peak_MB
for n in "${sizes[@]}"; do
    f=$(model "$n")
    links=$(grep -c '^{"a":' "$f" || true)
    flows=$(grep -c '"sector":' "$f" || true)
    t=$( { /usr/bin/time -f 'RSS %M' "$NETVET" assess --timing --limit 1 \
           --failover-from "${FAILOVER_FROM:-unclassified}" "$f" \
           > /dev/null; } 2>&1 || true)
    load=$(field "loaded in" "$t")
    expo=$(field "exposure in" "$t")
    routed=$(field "routed" "$t")
    fo=$(field "failover" "$t")
    rss=$(sed -n 's/^RSS \([0-9]*\)/\1/p' <<< "$t")
    printf '%-9s %9s %9s %8s %10s %9s %10s %8s %8.0f\n' "$n" "$links" \
        "$flows" "$load" "$expo" "$routed" "$fo" \
        "$(awk -v a="$fo" -v b="$routed" 'BEGIN {printf "%.1f", a / (b > 0.0005 ? b : 0.0005)}')" \
        "$((rss / 1024))"
done

n=${sizes[0]}
f=$(model "$n")
all="$out/exposure-$n-transit.json"
"$PY" -c 'import json, sys
m = json.load(open(sys.argv[1]))
for a in m["assets"]:
    a["transit"] = True
json.dump(m, open(sys.argv[2], "w"))' "$f" "$all"
t=$( { "$NETVET" assess --timing --json --failover-from none "$all" \
       > "$out/exposure-$n.out"; } 2>&1 || true)
field "exposure in" "$t" > "$out/exposure-$n.seconds"
echo
echo "peer: python3-igraph on the $n-asset model, every asset transit"
"$PY" bench/exposure_igraph.py "$all" "$out/exposure-$n.out" | tee "$out/igraph.txt"
awk -v ig="$(awk '{print $2}' "$out/igraph.txt")" \
    -v nv="$(cat "$out/exposure-$n.seconds")" 'BEGIN {
    printf "ratio      netvet is %.0fx faster than igraph (exposure only)\n",
           ig / (nv > 0.0005 ? nv : 0.0005) }'
