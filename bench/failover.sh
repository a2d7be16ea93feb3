#!/bin/bash
# Failover against routed: netvet assess --timing on the generated model
# of N assets (default 100,000; N / 10 flows, 20 vendors in 8 countries,
# seed 1, the germany50 backbone), printing the routed and failover
# phases' wall time and processor time (all threads together) and the
# failover / routed ratio of each.  On a shared machine wall time
# follows the load; processor time much less so.
# Targets: failover <= 10x routed at 100k assets; <= 60 s at 1M assets
# (bench/failover.sh 1000000).  THREADS (default 2) is assess --threads;
# FAILOVER_FROM=CLASS limits failover to flows of that class and above.
# Usage: bench/failover.sh [ASSETS]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
n=${1:-100000}
out=bench/out
f=$out/exposure-$n.json
mkdir -p "$out"

[ -f "$f" ] || "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
    --assets "$n" --flows $((n / 10)) --vendors 20 --countries 8 --seed 1 \
    -o "$f"
t=$( { /usr/bin/time -f 'RSS %M' "$NETVET" assess --timing --limit 1 \
       --threads "${THREADS:-2}" \
       --failover-from "${FAILOVER_FROM:-unclassified}" "$f" \
       > /dev/null; } 2>&1 || true)
wall=$(grep 'loaded in' <<< "$t" || true)
cpu=$(grep 'processor time' <<< "$t" || true)
field() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p" <<< "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / (b > 0.0005 ? b : 0.0005)}'; }
[ -n "$wall" ] && [ -n "$cpu" ] || { echo "assess failed: $t" >&2; exit 3; }

printf 'model: %s assets, %s flows; threads %s; load average %s\n' "$n" \
    "$((n / 10))" "${THREADS:-2}" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %10s %11s %8s\n' time routed_s failover_s ratio
for kind in wall cpu; do
    line=$wall
    [ "$kind" = cpu ] && line=$cpu
    r=$(field routed "$line")
    fo=$(field failover "$line")
    printf '%-10s %10s %11s %8s\n' "$kind" "$r" "$fo" "$(ratio "$fo" "$r")"
done
printf 'peak RSS %d MB\n' "$(($(sed -n 's/^RSS \([0-9]*\)/\1/p' <<< "$t") / 1024))"
