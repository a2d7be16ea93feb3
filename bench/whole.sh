#!/bin/bash
# Whole process against python3-igraph on the hub-and-spoke model of
# bench/exposure.sh (1M assets, about 3M links, 100k flows from 14
# sources by default): `netvet assess` from the native JSON and from its
# binary snapshot (netvet save --binary), each timed from the process's
# start to its exit, then the igraph peer (bench/exposure_igraph.py:
# Python's start, reading the JSON, the graph, one search per distinct
# source, the group checks with numpy) up to its answer.  Both work out
# every level of every flow and group; netvet prints the text report with
# one flow (--limit 1), as `assess --json` also finds the culprits of
# every exposed flow and group, a search each that the peer does not do
# (hours at 1M assets).  The peer's agreement with `assess --json` is
# checked on the 10k-asset model of the same generator in the same run.
# igraph knows neither non-transit assets nor failover: all run on a copy
# where every asset is transit, netvet without failover.  The machine's
# load average is printed first and last.
# Target: >= 20x faster than igraph, whole process.
# Usage: bench/whole.sh [ASSETS]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3 # Debian's, where python3-igraph is installed
TARGET=20
n=${1:-1000000}
out=bench/out
mkdir -p "$out"

# model N: the all-transit copy of the exposure bench's N-asset model,
# and its binary snapshot beside it.
model() {
    local f=$out/exposure-$1.json all=$out/exposure-$1-transit.json
    [ -f "$f" ] || "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
        --assets "$1" --flows $(($1 / 10)) --vendors 20 --countries 8 \
        --seed 1 -o "$f" >&2
    [ -f "$all" ] || "$PY" -c 'import json, sys
m = json.load(open(sys.argv[1]))
for a in m["assets"]:
    a["transit"] = True
json.dump(m, open(sys.argv[2], "w"))' "$f" "$all"
    # A snapshot of another format version is made again.
    "$NETVET" inspect "${all%.json}.nvs" > /dev/null 2>&1 ||
        "$NETVET" save "$all" --binary -o "${all%.json}.nvs" >&2
    echo "$all"
}

# run LABEL OUTPUT COMMAND...: wall time, peak RSS and processor time of
# netvet's whole process (assess exits 1 when it finds exposure); the
# wall and processor times are left in $secs and $cpu.
run() {
    local label=$1 o=$2 t
    shift 2
    t=$( { /usr/bin/time -f '%e %M %U %S' "$@" > "$o" || [ $? = 1 ]; } 2>&1 | tail -1)
    awk -v l="$label" -v t="$t" 'BEGIN { split(t, a, " ");
        printf "%-14s %7.2f s whole process  %6.0f MB peak  %6.2f s cpu\n",
               l, a[1], a[2] / 1024, a[3] + a[4] }'
    secs=${t%% *}
    cpu=$(awk '{print $3 + $4}' <<< "$t")
}

small=$(model 10000)
all=$(model "$n")
nvs=${all%.json}.nvs
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$NETVET" assess --json --failover-from none "$small" > "$out/whole-10000.json" ||
    [ $? = 1 ]
echo "peer: python3-igraph, agreement on the 10000-asset model"
"$PY" bench/exposure_igraph.py "$small" "$out/whole-10000.json"
cat "$all" "$nvs" > /dev/null # warm the page cache for all three
a=(assess --limit 1 --failover-from none)
run "netvet json" "$out/whole-$n.out" "$NETVET" "${a[@]}" "$all"
json=$secs json_cpu=$cpu
run "netvet nvs" "$out/whole-$n-nvs.out" "$NETVET" "${a[@]}" "$nvs"
snap=$secs snap_cpu=$cpu
cmp -s "$out/whole-$n.out" "$out/whole-$n-nvs.out" ||
    { echo "netvet answers differently from the snapshot" >&2; exit 1; }
echo "peer: python3-igraph on the $n-asset model, every asset transit"
"$PY" bench/exposure_igraph.py "$all" | tee "$out/whole-$n-igraph.txt"
ig=$(sed -n 's/.* s compute, \([0-9.]*\) s whole process.*/\1/p' "$out/whole-$n-igraph.txt")
ig_cpu=$(sed -n 's/.* whole process, \([0-9.]*\) s cpu.*/\1/p' "$out/whole-$n-igraph.txt")
awk -v ig="$ig" -v j="$json" -v b="$snap" -v g="$TARGET" 'BEGIN {
    printf "ratio      whole process: netvet from the JSON %.1fx, from the snapshot %.1fx faster than igraph (target %dx: %s)\n",
           ig / j, ig / b, g, (ig / b >= g) ? ((ig / j >= g) ? "met" : "met from the snapshot only") : "NOT met" }'
awk -v ig="$ig_cpu" -v j="$json_cpu" -v b="$snap_cpu" 'BEGIN {
    printf "ratio      processor time (all threads): netvet from the JSON %.1fx, from the snapshot %.1fx less than igraph\n",
           ig / j, ig / b }'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
