#!/bin/bash
# Load speed and memory on a generated national model (1M assets, about
# 3M links, 100k flows by default): netvet inspect on the CSV bundle and on
# the native JSON and on its binary snapshot (netvet save --binary), then
# python3-networkx (Debian's /usr/bin/python3) loading the same JSON, in
# one run.
# Targets: CSV >= 150 MB/s, JSON >= 150 MB/s, the binary snapshot of the
# 1M-asset model whole process <= 0.5 s, peak RSS <= 1.5 GB.
# Usage: bench/load.sh [ASSETS]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
assets=${1:-1000000}
out=bench/out/load-$assets
mkdir -p "$out"

if [ ! -f "$out/model.json" ]; then
    echo "generating a model of $assets assets in $out ..."
    gen=("$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json"
         --assets "$assets" --flows $((assets / 10)) --vendors 20
         --countries 8 --seed 1)
    "${gen[@]}" -o "$out/model.json"
    "${gen[@]}" --format csv -o "$out/csv"
fi
[ -f "$out/model.nvs" ] || "$NETVET" save "$out/model.json" --binary -o "$out/model.nvs"

# measure LABEL BYTES COMMAND...: wall time, MB/s and peak RSS of a run.
measure() {
    local label=$1 bytes=$2 t
    shift 2
    t=$( { /usr/bin/time -f '%e %M' "$@" > /dev/null; } 2>&1 | tail -1)
    awk -v l="$label" -v b="$bytes" -v t="$t" 'BEGIN {
        split(t, a, " ");
        printf "%-10s %7.2f s  %7.1f MB/s  %7.0f MB peak\n", l, a[1],
               b / a[1] / 1e6, a[2] / 1024 }'
    echo "${t%% *}"
}

csv_bytes=$(cat "$out"/csv/*.csv | wc -c)
json_bytes=$(wc -c < "$out/model.json")
"$NETVET" inspect "$out/model.json" | head -1
cat "$out"/csv/*.csv > /dev/null   # warm the page cache for both
cat "$out/model.json" > /dev/null
csv=$(measure "netvet csv" "$csv_bytes" "$NETVET" inspect "$out/csv")
echo "$csv" | head -1
json=$(measure "netvet json" "$json_bytes" "$NETVET" inspect "$out/model.json")
echo "$json" | head -1
cat "$out/model.nvs" > /dev/null
nvs=$(measure "netvet nvs" "$(wc -c < "$out/model.nvs")" "$NETVET" inspect "$out/model.nvs")
echo "$nvs" | head -1
/usr/bin/python3 bench/load_networkx.py "$out/model.json" | tee "$out/nx.txt"
nx=$(awk '{print $2}' "$out/nx.txt")
awk -v n="$nx" -v j="$(echo "$json" | tail -1)" 'BEGIN {
    printf "ratio      netvet json is %.1fx faster than networkx\n", n / j }'
awk -v j="$(echo "$json" | tail -1)" -v b="$(echo "$nvs" | tail -1)" 'BEGIN {
    printf "ratio      the binary snapshot loads %.1fx faster than the JSON\n", j / b }'
