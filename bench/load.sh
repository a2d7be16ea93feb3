#!/bin/bash
# Load speed, memory and CPU time on a generated national model (1M
# assets, about 3M links, 100k flows by default): netvet inspect on the CSV
# bundle and on the native JSON and on its binary snapshot (netvet save
# --binary), then the peers on the same JSON in the same run:
# python3-networkx (Debian's /usr/bin/python3) building the graph, and
# `jq -c .` only parsing and printing it.
# Targets: CSV >= 150 MB/s, JSON >= 150 MB/s (whole process, page cache
# warm), the binary snapshot of the 1M-asset model whole process <= 0.5 s,
# each judged on the median of RUNS runs (the fastest is printed too),
# peak RSS <= 1.5 GB.  The
# machine's load average is printed first and last: on a shared machine
# the figures are only as good as it is quiet.
# Usage: bench/load.sh [ASSETS]   (PEERS=0: netvet alone, a quick run;
# RUNS=N: each format's runs, 5 by default)
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PEERS=${PEERS:-1}
RUNS=${RUNS:-5}
TARGET_MBS=150
TARGET_NVS=0.5
assets=${1:-1000000}
out=bench/out/load-$assets
mkdir -p "$out"

if [ ! -f "$out/model.json" ]; then
    echo "generating a model of $assets assets in $out ..."
    gen=("$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json"
         --assets "$assets" --flows $((assets / 10)) --vendors 20
         --countries 8 --seed 1)
    "${gen[@]}" -o "$out/model.json"
fi
[ -d "$out/csv" ] || "$NETVET" save "$out/model.json" --format csv -o "$out/csv"
# A snapshot of another format version is made again.
"$NETVET" inspect "$out/model.nvs" > /dev/null 2>&1 ||
    "$NETVET" save "$out/model.json" --binary -o "$out/model.nvs"

# measure LABEL BYTES COMMAND...: wall time, MB/s and peak RSS of a run.
measure() {
    local label=$1 bytes=$2 t
    shift 2
    t=$( { /usr/bin/time -f '%e %M %U %S' "$@" > /dev/null; } 2>&1 | tail -1)
    awk -v l="$label" -v b="$bytes" -v t="$t" 'BEGIN {
        split(t, a, " ");
        printf "%-10s %7.2f s  %7.1f MB/s  %7.0f MB peak  %6.2f s cpu (%.2f s kernel)\n", l,
               a[1], b / a[1] / 1e6, a[2] / 1024, a[3] + a[4], a[4] }'
    echo "${t%% *}"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
csv_bytes=$(cat "$out"/csv/*.csv | wc -c)
json_bytes=$(wc -c < "$out/model.json")
"$NETVET" inspect "$out/model.json" | head -1
cat "$out"/csv/*.csv > /dev/null   # warm the page cache for both
cat "$out/model.json" > /dev/null
# runs LABEL BYTES PATH: netvet inspect PATH, RUNS times, each run's line
# on standard error; prints the minimum and the median.  Fresh memory
# costs a virtual machine more some runs than others (the kernel's time,
# not netvet's, doubles): one run is not a figure.
runs() {
    local label=$1 bytes=$2 path=$3
    for i in $(seq "$RUNS"); do
        measure "netvet $label" "$bytes" "$NETVET" inspect "$path"
    done > "$out/$label.txt"
    grep -v '^[0-9.]*$' "$out/$label.txt" >&2
    grep '^[0-9.]*$' "$out/$label.txt" | sort -n | awk '
        { t[NR] = $1 }
        END { printf "%s %s\n", t[1],
                     NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }'
}
csv=$(runs csv "$csv_bytes" "$out/csv")
json=$(runs json "$json_bytes" "$out/model.json")
cat "$out/model.nvs" > /dev/null
nvs_bytes=$(wc -c < "$out/model.nvs")
nvs=$(runs nvs "$nvs_bytes" "$out/model.nvs")
awk -v g="$TARGET_NVS" -v n="$RUNS" -v t="$nvs" 'BEGIN {
    split(t, a, " ");
    printf "target     nvs whole process min %.2f s, median %.2f s of %d runs, target %.1f s: %s\n",
           a[1], a[2], n, g, a[2] <= g ? "met" : (a[1] <= g ? "met by the fastest run only" : "NOT met") }'

# target LABEL "MIN MEDIAN" BYTES: the speed against the target, judged on
# the median run.
target() {
    awk -v l="$1" -v t="$2" -v b="$3" -v g="$TARGET_MBS" -v n="$RUNS" 'BEGIN {
        split(t, a, " "); best = b / a[1] / 1e6; med = b / a[2] / 1e6;
        verdict = "NOT met";
        if (best >= g) verdict = "met by the fastest run only";
        if (med >= g) verdict = "met";
        printf "target     %s median %.1f MB/s (fastest %.1f) of %d runs, target %d MB/s: %s (%.2fx the target)\n",
               l, med, best, n, g, verdict, med / g }'
}
target csv "$csv" "$csv_bytes"
target json "$json" "$json_bytes"
json=${json#* }
csv=${csv#* }
nvs=${nvs#* }
awk -v j="$json" -v b="$nvs" 'BEGIN {
    printf "ratio      the binary snapshot (median) loads %.1fx faster than the JSON\n", j / b }'
[ "$PEERS" = 0 ] && { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; exit 0; }

/usr/bin/python3 bench/load_networkx.py "$out/model.json" | tee "$out/nx.txt"
nx=$(awk '{print $2}' "$out/nx.txt")
jq=$(measure "jq -c ." "$json_bytes" jq -c . "$out/model.json")
echo "$jq" | head -1
# ratio PEER PEER_SECONDS: how much sooner netvet has the model, from
# either file, than the peer has it from the JSON.
ratio() {
    awk -v p="$1" -v s="$2" -v j="$json" \
        -v c="$csv" -v b="$nvs" 'BEGIN {
        printf "ratio      netvet json is %.1fx, netvet csv %.1fx, netvet nvs %.1fx faster than %s\n",
               s / j, s / c, s / b, p }'
}
ratio networkx "$nx"
ratio "jq -c ." "$(echo "$jq" | tail -1)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
