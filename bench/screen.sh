#!/bin/bash
# Screening quality and speed: netvet screen against every list in the
# shared data on the labelled set bench/data/screen_eval.csv (precision
# and recall at the match band), names per second on one core over
# ~30,000 distinct names, index build time and peak RSS; then fuzzball
# (npm) with WRatio on a sample of the same set, in the same run.
# Targets: precision >= 0.99, recall >= 0.95, >= 20,000 names/s, index
# build <= 1 s, peak RSS <= 200 MB.
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3
out=bench/out
mkdir -p "$out"
L=$SHARED/data/lists
lists=(--list "$L/us-csl-2022/consolidated.csv"
       --list "$L/us-telecom/fcc_covered_list_entities.csv"
       --list "$L/us-telecom/ndaa_section_889.csv"
       --list "$L/us-telecom/dod_1260h_chinese_military_companies.csv"
       --list examples/lists/national.csv)

tail -n +2 bench/data/screen_eval.csv | "$PY" -c '
import csv, sys
for row in csv.reader(sys.stdin): print(row[0])' > "$out/eval-queries.txt"
"$NETVET" screen --json "${lists[@]}" < "$out/eval-queries.txt" \
    > "$out/eval-results.jsonl" || true
"$PY" bench/screen_eval.py bench/data/screen_eval.csv "$out/eval-results.jsonl"

"$PY" bench/screen_names.py "$L/us-csl-2022/consolidated.csv" \
    "$L/us-telecom/dod_1260h_chinese_military_companies.csv" > "$out/names.txt"
n=$(wc -l < "$out/names.txt")
build=$( { /usr/bin/time -f '%e %M' "$NETVET" screen "${lists[@]}" \
           < /dev/null > /dev/null; } 2>&1 | tail -1)
run=$( { /usr/bin/time -f '%e %M' "$NETVET" screen --json "${lists[@]}" \
         < "$out/names.txt" > /dev/null; } 2>&1 | tail -1 || true)
awk -v n="$n" -v b="$build" -v r="$run" 'BEGIN {
    split(b, B, " "); split(r, R, " ");
    printf "netvet     index build %.2f s (%.0f MB); %d names in %.2f s: " \
           "%.0f names/s on one core; peak %.0f MB\n",
           B[1], B[2] / 1024, n, R[1] - B[1], n / (R[1] - B[1]), R[2] / 1024 }'

if [ ! -d bench/node_modules/fuzzball ]; then
    (cd bench && npm install --no-audit --no-fund --silent fuzzball@2 >/dev/null)
fi
"$PY" - "$L" > "$out/choices.json" <<'PYEOF'
import csv, json, sys
L = sys.argv[1]
names = set()
for path, cols in [("us-csl-2022/consolidated.csv", ["name", "alt_names"]),
                   ("us-telecom/fcc_covered_list_entities.csv", ["name"]),
                   ("us-telecom/ndaa_section_889.csv", ["name", "aliases"]),
                   ("us-telecom/dod_1260h_chinese_military_companies.csv",
                    ["Clean Name", "Alias"])]:
    for row in csv.DictReader(open(f"{L}/{path}", encoding="utf-8")):
        for c in cols:
            for n in (row.get(c) or "").split(";"):
                if n.strip():
                    names.add(n.strip())
json.dump(sorted(names), sys.stdout)
PYEOF
node bench/screen_fuzzball.js "$out/choices.json" bench/data/screen_eval.csv 20
