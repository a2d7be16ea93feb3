#!/bin/bash
# Screening speed, and quality beside a peer: index build time and peak
# RSS over the four shared list files; names per second on one core over
# the generated queries of the test half (bench/screen_gen.py) and over
# ~30,000 distinct names; then fuzzball (npm) with WRatio on a sample of
# the generated queries, netvet's verdict on the same sample beside it.
# The labelled set bench/data/screen_eval.csv was written while tuning:
# its figures measure memory (bench/screen_split.sh measures the rest).
# Targets: >= 20,000 names/s, index build <= 1 s, peak RSS <= 200 MB.
# Times are CPU seconds (user + system) of one process: the machine is
# shared, and wall time then measures the neighbours.
set -euo pipefail
NETVET=${NETVET:-./netvet}
SHARED=${SHARED:-../shared}
PY=/usr/bin/python3
out=bench/out
mkdir -p "$out"
L=$SHARED/data/lists
four=(--list "$L/us-csl-2022/consolidated.csv"
      --list "$L/us-telecom/fcc_covered_list_entities.csv"
      --list "$L/us-telecom/ndaa_section_889.csv"
      --list "$L/us-telecom/dod_1260h_chinese_military_companies.csv"
      --list data/screen/aliases-zh.csv)
lists=("${four[@]}" --list examples/lists/national.csv)

tail -n +2 bench/data/screen_eval.csv | "$PY" -c '
import csv, sys
for row in csv.reader(sys.stdin): print(row[0])' > "$out/eval-queries.txt"
"$NETVET" screen --json "${lists[@]}" < "$out/eval-queries.txt" \
    > "$out/eval-results.jsonl" || true
echo "labelled set written while tuning (memorised):"
"$PY" bench/screen_eval.py bench/data/screen_eval.csv "$out/eval-results.jsonl"

"$PY" bench/screen_gen.py "$L" test "$out/gen-test.csv" 12
"$PY" -c '
import csv, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(row["query"])' "$out/gen-test.csv" > "$out/gen-test.txt"
build=$( { /usr/bin/time -f '%U %S %M' "$NETVET" screen "${four[@]}" \
           < /dev/null > /dev/null; } 2>&1 | tail -1)
run=$( { /usr/bin/time -f '%U %S %M' "$NETVET" screen --json "${four[@]}" \
         < "$out/gen-test.txt" > "$out/gen-test.jsonl"; } 2>&1 | tail -1 || true)
n=$(wc -l < "$out/gen-test.txt")
awk -v n="$n" -v b="$build" -v r="$run" 'BEGIN {
    split(b, B, " "); split(r, R, " "); bc = B[1] + B[2]; rc = R[1] + R[2];
    printf "netvet     four lists: index build %.2f s CPU (%.0f MB); %d " \
           "generated queries in %.2f s CPU: %.0f names/s on one core; " \
           "peak %.0f MB\n", bc, B[3] / 1024, n, rc - bc, n / (rc - bc),
           R[3] / 1024 }'

"$PY" bench/screen_names.py "$L/us-csl-2022/consolidated.csv" \
    "$L/us-telecom/dod_1260h_chinese_military_companies.csv" > "$out/names.txt"
n=$(wc -l < "$out/names.txt")
build=$( { /usr/bin/time -f '%U %S %M' "$NETVET" screen "${lists[@]}" \
           < /dev/null > /dev/null; } 2>&1 | tail -1)
run=$( { /usr/bin/time -f '%U %S %M' "$NETVET" screen --json "${lists[@]}" \
         < "$out/names.txt" > /dev/null; } 2>&1 | tail -1 || true)
awk -v n="$n" -v b="$build" -v r="$run" 'BEGIN {
    split(b, B, " "); split(r, R, " "); bc = B[1] + B[2]; rc = R[1] + R[2];
    printf "netvet     index build %.2f s CPU (%.0f MB); %d names in %.2f s " \
           "CPU: %.0f names/s on one core; peak %.0f MB\n", bc, B[3] / 1024,
           n, rc - bc, n / (rc - bc), R[3] / 1024 }'

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
"$PY" bench/screen_sample.py "$L" "$out/gen-test.csv" "$out/gen-test.jsonl" \
    40 "$out/sample.json"
node bench/screen_fuzzball.js "$out/choices.json" "$out/sample.json"
