#!/bin/bash
# Removal plans: netvet plan on the example (uk-2020, three years, a
# budget of 5,000,000 a year: exact, proven optimal) and on the 100k-asset
# model of bench/exposure.sh (beyond 10,000 candidates: greedy, with its
# proven gap; without and with a yearly budget), with wall times.  No
# other tool plans removals, so there is no peer to time against: the
# example's plan is checked by check --proposed instead (nothing broken,
# every violation of 2028 fixed), and its optimality by the unit test's
# exhaustive search on small models.
# Targets: the example <= 5 s and optimal; 100k assets <= 120 s with the
# gap printed.
# Usage: bench/plan.sh [ASSETS]
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
n=${1:-100000}
out=bench/out
mkdir -p "$out"
f=$out/exposure-$n.json
[ -f "$f" ] || "$NETVET" synth --backbone "$SHARED/data/sndlib/germany50.json" \
    --assets "$n" --flows $((n / 10)) --vendors 20 --countries 8 --seed 1 -o "$f"

run() { # NAME ARGS...: the plan's first lines and its wall time
    local name=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    "$NETVET" plan "$@" > "$out/plan-$name.txt" || true
    t1=$(date +%s.%N)
    head -2 "$out/plan-$name.txt"
    echo "$name: $(echo "$t1 - $t0" | bc) s"
}
run example examples/national/model.json --policy uk-2020 --from 2025 \
    --budget-per-year 5000000 -o "$out/plan-example.json"
"$NETVET" check examples/national/model.json --policy uk-2020 \
    --date 2028-01-01 --proposed "$out/plan-example.json" | sed -n 2p
echo
run "$n" "$f" --policy uk-2020 --from 2025 --seconds 30
run "$n-budget" "$f" --policy uk-2020 --from 2025 --until 2030 \
    --budget-per-year 300000000 --seconds 30
