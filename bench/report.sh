#!/bin/bash
# The HTML report at national scale: netvet report on a generated model of
# 1M assets and 100k flows (with the UK rules and Huawei's blast radius),
# its size, and how long headless Chromium takes to load and paint it;
# beside netvet assess on the same model (the load and exposure every
# report needs, and the culprits of the flows it lists), in one run.
# Targets: the file < 10 MB, Chromium renders it in < 10 s.
# Usage: bench/report.sh [MODEL.json]   (default: generated in bench/out)
set -euo pipefail
NETVET=${NETVET:-./netvet}
out=bench/out/report-1000000
mkdir -p "$out"
model=${1:-$out/model.json}

if [ ! -f "$model" ]; then
    echo "generating a model of 1M assets and 100k flows in $model ..."
    "$NETVET" synth --assets 1000000 --flows 100000 -o "$model"
fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi

# seconds LOG, cpu LOG: the wall and processor time /usr/bin/time wrote
# last into LOG.
seconds() { tail -1 "$1" | awk '{print $1}'; }
cpu() { tail -1 "$1" | awk '{print $3 + $4}'; }

cat "$model" > /dev/null # warm the page cache for both
/usr/bin/time -f '%e %M %U %S' -o "$out/assess.time" \
    "$NETVET" assess "$model" > /dev/null || [ $? -eq 1 ]
/usr/bin/time -f '%e %M %U %S' -o "$out/report.time" \
    "$NETVET" report "$model" --policy uk-2020 --wargame vendor:huawei \
    --marking OFFICIAL -o "$out/report.html"
bytes=$(wc -c < "$out/report.html")
render=$(node bench/report_render.cjs "$out/report.html")

awk -v a="$(seconds "$out/assess.time")" -v r="$(seconds "$out/report.time")" \
    -v ac="$(cpu "$out/assess.time")" -v rc="$(cpu "$out/report.time")" \
    -v rss="$(tail -1 "$out/report.time" | awk '{print $2}')" \
    -v b="$bytes" -v ms="$render" 'BEGIN {
    printf "netvet assess         %7.1f s  (%.1f s processor)\n", a, ac
    printf "netvet report         %7.1f s  (%.1f s processor)  %6.0f MB peak  (%.2fx assess)\n",
           r, rc, rss / 1024, r / a
    printf "report file           %7.2f MB  (%.0f%% of the 10 MB budget)\n",
           b / 1e6, 100 * b / 1e7
    printf "chromium render       %7.2f s   (%.0f%% of the 10 s budget)\n",
           ms / 1000, ms / 100 }'
