#!/bin/bash
# The history store and diff against netvet's own load and assess, in one
# run (docs/store.md):
#   store add of the 1M-asset model      <= 2 x inspect of it
#   store show -o of it                   <= 1 x inspect of it
#   diff of two 100k-asset versions that differ in 1 % of their assets
#                                         <= 2 x assess of one
#   store posture over 50 snapshots of the example, cache warm  <= 5 s
# Each figure is the best of three runs, as wall time and as CPU time
# (user + system; steadier on a shared machine).
# Usage: bench/store.sh [ASSETS] [DIFF_ASSETS]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
assets=${1:-1000000}
small=${2:-100000}
big=bench/out/load-$assets
out=bench/out/store
mkdir -p "$big" "$out"

synth() { # ASSETS FILE
    "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
        --assets "$1" --flows $(($1 / 10)) --vendors 20 --countries 8 \
        --seed 1 -o "$2"
}
[ -f "$big/model.json" ] || synth "$assets" "$big/model.json"
[ -f "$out/a-$small.json" ] || synth "$small" "$out/a-$small.json"
if [ ! -f "$out/b-$small.json" ]; then
    # 1 % of the assets get another vendor.
    /usr/bin/python3 - "$out/a-$small.json" "$out/b-$small.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
vendors = sorted({a.get("vendor", "") for a in m["assets"]})
for i, a in enumerate(m["assets"]):
    if i % 100 == 7:
        a["vendor"] = vendors[(vendors.index(a.get("vendor", "")) + 1) % len(vendors)]
json.dump(m, open(sys.argv[2], "w"))
PY
fi

# best LABEL COMMAND...: the best wall and CPU seconds of three runs,
# printed and stored in $wall and $cpu.
best() {
    local label=$1 t w c
    shift
    wall=1e9 cpu=1e9
    for _ in 1 2 3; do
        [ -n "${before:-}" ] && eval "$before"
        t=$( { /usr/bin/time -f "%e %U %S" "$@" > /dev/null || true; } 2>&1 | tail -1)
        w=${t%% *} c=$(echo "$t" | awk '{print $2 + $3}')
        wall=$(awk -v a="$wall" -v b="$w" 'BEGIN {print (b < a) ? b : a}')
        cpu=$(awk -v a="$cpu" -v b="$c" 'BEGIN {print (b < a) ? b : a}')
    done
    printf '%-34s %7.2f s wall %7.2f s cpu\n' "$label" "$wall" "$cpu"
}

ratio() { # LABEL NUM_WALL NUM_CPU DEN_WALL DEN_CPU TARGET
    awk -v l="$1" -v a="$2" -v b="$3" -v c="$4" -v d="$5" -v t="$6" 'BEGIN {
        printf "ratio %-28s %5.2f wall %5.2f cpu (target <= %s)\n", l,
               a / c, b / d, t }'
}

cat "$big/model.json" > /dev/null
"$NETVET" inspect "$big/model.json" | head -1
before=""
best "inspect (load) $assets" "$NETVET" inspect "$big/model.json"
lw=$wall lc=$cpu
before="rm -f $out/big.db*; $NETVET store init $out/big.db >/dev/null"
best "store add $assets" "$NETVET" store add "$out/big.db" "$big/model.json" \
    --message bench
aw=$wall ac=$cpu
before=""
best "store show -o $assets" "$NETVET" store show "$out/big.db" last \
    -o "$out/back.json"
sw=$wall sc=$cpu
cmp -s "$out/back.json" <("$NETVET" store show "$out/big.db" last -o -)
ratio "add / load" "$aw" "$ac" "$lw" "$lc" 2
ratio "show / load" "$sw" "$sc" "$lw" "$lc" 1

rm -f "$out/small.db"*
"$NETVET" store init "$out/small.db" > /dev/null
"$NETVET" store add "$out/small.db" "$out/a-$small.json" --message a > /dev/null
"$NETVET" store add "$out/small.db" "$out/b-$small.json" --message b > /dev/null
best "assess $small" "$NETVET" assess "$out/a-$small.json"
xw=$wall xc=$cpu
best "store diff $small (1 % changed)" "$NETVET" store diff "$out/small.db" \
    prev last
dw=$wall dc=$cpu
ratio "diff / assess" "$dw" "$dc" "$xw" "$xc" 2

rm -rf "$out/months" "$out/posture.db"*
mkdir -p "$out/months"
tests/cli/history-fixture.py months examples/national/model.json 50 \
    "$out/months"
"$NETVET" store init "$out/posture.db" > /dev/null
for f in "$out"/months/month-*.json; do
    "$NETVET" store add "$out/posture.db" "$f" --message "$f" > /dev/null
done
t=$( { /usr/bin/time -f '%e' "$NETVET" store posture "$out/posture.db" \
    --policy uk-2020 --date 2026-12-01 > /dev/null || true; } 2>&1 | tail -1)
printf '%-34s %7.2f s wall (computes, keeps the rows)\n' \
    "store posture, 50 snapshots, cold" "$t"
best "store posture, 50 snapshots, warm" "$NETVET" store posture \
    "$out/posture.db" --policy uk-2020 --date 2026-12-01
awk -v w="$wall" 'BEGIN { printf "posture warm %.2f s (target <= 5 s)\n", w }'
