#!/bin/bash
# The evidence log: N appends (10,000 by default) of about 100-byte JSON
# entries with `netvet log append`, one process each as other tools would
# run it, then one more append, verify and prove on the full log.  There
# is no peer to compare with; the figures go in docs/log.md.
# Usage: bench/log.sh [N]
set -euo pipefail
NETVET=${NETVET:-./netvet}
n=${1:-10000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
openssl genpkey -algorithm ed25519 -out "$out/k.key" 2>/dev/null
openssl pkey -in "$out/k.key" -pubout -out "$out/k.pub"
sum=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

start=$(date +%s.%N)
for ((i = 0; i < n; i++)); do
    "$NETVET" log append "$out/ev" --key "$out/k.key" \
        --text "{\"event\":\"bench\",\"n\":$i,\"sha256\":\"$sum\"}" >/dev/null
done
end=$(date +%s.%N)
awk -v n="$n" -v s="$start" -v e="$end" 'BEGIN {
    printf "%d appends   %7.1f s  %6.1f appends/s\n", n, e - s, n / (e - s) }'

# time LABEL COMMAND...: the wall time of one run, in milliseconds.
time_ms() {
    local label=$1 s e
    shift
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    printf "%-18s %6.1f ms\n" "$label" "$(((e - s) / 1000))e-3"
}
time_ms "append at $n" "$NETVET" log append "$out/ev" --key "$out/k.key" \
    --text '{"event":"last"}'
time_ms "verify $n" "$NETVET" log verify "$out/ev" --trust "$out/k.pub"
time_ms "prove inclusion" "$NETVET" log prove "$out/ev" --index $((n / 2))
time_ms "prove consistency" "$NETVET" log prove "$out/ev" --from $((n / 2))
