#!/bin/bash
# Exposure whatever the traffic looks like: netvet assess on generated
# models (germany50 backbone, about 3 links per asset, 20 vendors in 8
# countries, one flow per 10 assets) with hub-and-spoke flows (synth
# --traffic hub: 14 distinct sources) and with every flow from its own
# source (--traffic pairs), at 100k and 1M assets.  Prints the load
# average, the must, may, routed and failover phases (wall and, under a
# shared load, the processor time of all threads), the exposure in all
# and peak RSS, and the pairs/hub ratio.  FAILOVER_FROM (default none)
# is passed to --failover-from (unclassified: every flow); with many
# sources failover goes through the overlay, one failure at a time
# (docs/algorithms.md).
# Then the peer: python3-igraph's building blocks with one search per
# distinct source and one per destination (bench/exposure_igraph.py),
# checked for agreement, on the 100k-asset pairs model with 1,000 flows
# (at 1M assets and 100,000 distinct sources it would take hours); both
# on a copy where every asset is transit, netvet without failover.
# Target: all levels for every group at 1M assets / 100k distinct
# sources <= 60 s, <= 2 GB.
# Usage: bench/shape.sh [SIZES...]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3 # Debian's, where python3-igraph is installed
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
out=bench/out
mkdir -p "$out"

# model TRAFFIC ASSETS FLOWS: the path of a generated model
model() {
    local f=$out/shape-$1-$2-$3.json
    [ -f "$f" ] || "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
        --assets "$2" --flows "$3" --vendors 20 --countries 8 --seed 1 \
        --traffic "$1" --quiet -o "$f"
    echo "$f"
}

field() { sed -n "/$1/s/.*$2 \([0-9.]*\).*/\1/p" <<< "$3"; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-6s %7s %7s %7s %7s %9s %8s %7s %8s\n' assets shape load_s \
    must_s may_s routed_s failover_s expo_s cpu_s peak_MB
for n in "${sizes[@]}"; do
    for traffic in hub pairs; do
        f=$(model "$traffic" "$n" $((n / 10)))
        t=$( { /usr/bin/time -f 'RSS %M' "$NETVET" assess --timing --limit 1 \
               --quiet --failover-from "${FAILOVER_FROM:-none}" "$f" \
               > /dev/null; } 2>&1 || true)
        cpu=$(awk '/processor time/ {s = 0; for (i = 1; i <= NF; i++)
                   if ($i ~ /^[0-9.]+,?$/) s += $i; printf "%.2f", s}' <<< "$t")
        printf '%-8s %-6s %7s %7s %7s %8s %10s %8s %7s %8.0f\n' "$n" \
            "$traffic" "$(field 'loaded in' 'loaded in' "$t")" \
            "$(field 'loaded in' must "$t")" "$(field 'loaded in' may "$t")" \
            "$(field 'loaded in' routed "$t")" \
            "$(field 'loaded in' failover "$t")" \
            "$(field 'loaded in' 'exposure in' "$t")" "$cpu" \
            "$(($(sed -n 's/^RSS \([0-9]*\)/\1/p' <<< "$t") / 1024))"
        eval "expo_$traffic=$(field 'loaded in' 'exposure in' "$t")"
    done
    awk -v p="$expo_pairs" -v h="$expo_hub" -v fo="${FAILOVER_FROM:-none}" 'BEGIN {
        printf "%-8s pairs/hub exposure time %.1fx; target <= 60 s (failover from %s): %s\n",
            "", p / (h > 0.0005 ? h : 0.0005), fo, p <= 60 ? "met" : "not met" }'
done

f=$(model pairs 100000 1000)
all="$out/shape-pairs-100000-1000-transit.json"
[ -f "$all" ] || "$PY" -c 'import json, sys
m = json.load(open(sys.argv[1]))
for a in m["assets"]:
    a["transit"] = True
json.dump(m, open(sys.argv[2], "w"))' "$f" "$all"
t=$( { "$NETVET" assess --timing --json --quiet --failover-from none "$all" \
       > "$out/shape-pairs.out"; } 2>&1 || true)
nv=$(field 'loaded in' 'exposure in' "$t")
echo
echo "peer: python3-igraph, 100k assets, 1,000 flows from 1,000 sources, every asset transit"
"$PY" bench/exposure_igraph.py "$all" "$out/shape-pairs.out" | tee "$out/shape-igraph.txt"
awk -v ig="$(awk '{print $2}' "$out/shape-igraph.txt")" -v nv="$nv" 'BEGIN {
    printf "ratio      netvet %.3f s, %.0fx faster than igraph (exposure only)\n",
           nv, ig / (nv > 0.0005 ? nv : 0.0005) }'
