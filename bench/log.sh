#!/bin/bash
# The evidence log next to a durable SQLite table (synchronous=FULL), on
# the same entries (about 100-byte JSON lines) in the same run:
#
#   batch     M entries from one input (`log append --lines`, one
#             checkpoint) against one transaction of M inserts
#   at size   one append, one process, to a log of 100 entries and to
#             the log of M, interleaved R times (medians): an append
#             should not grow with the log; and one insert into a table
#             of 100 and of M rows
#   appends   N appends, one process each as other tools run them,
#             against N inserts, one sqlite3 process each
#   verify    the whole log of M entries, with the public key
#
# Usage: bench/log.sh [M [N [R]]]   (defaults 1000000, 200, 9)
# Figures vary with the load of the machine: run it twice.
set -euo pipefail
NETVET=${NETVET:-./netvet}
m=${1:-1000000}
n=${2:-200}
rounds=${3:-9}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
openssl genpkey -algorithm ed25519 -out "$out/k.key" 2>/dev/null
openssl pkey -in "$out/k.key" -pubout -out "$out/k.pub"
key=(--key "$out/k.key")

# lines COUNT FILE: COUNT JSON lines, each a different entry.
lines() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
        printf "{\"event\":\"bench\",\"n\":%d,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}\n", i }' >"$2"
}
# sql FILE: the lines of FILE as one transaction of inserts.
sql() {
    awk 'BEGIN { print "BEGIN;" } { gsub(/'\''/, "'\'''\''");
        print "INSERT INTO log(entry) VALUES('\''" $0 "'\'');" }
        END { print "COMMIT;" }' "$1"
}
now() { date +%s%N; }
# ms COMMAND...: the wall time of one run in milliseconds.
ms() {
    local s e
    s=$(now)
    "$@" >/dev/null
    e=$(now)
    echo $(((e - s) / 1000000))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
newdb() {
    sqlite3 "$1" "PRAGMA journal_mode=DELETE;" \
        "CREATE TABLE log(id INTEGER PRIMARY KEY, entry BLOB);" >/dev/null
}
ins() { sqlite3 "$1" "PRAGMA synchronous=FULL;" "INSERT INTO log(entry) VALUES('$2');"; }

lines "$m" "$out/big.jsonl"
lines 100 "$out/small.jsonl"
sql "$out/big.jsonl" >"$out/big.sql"
sql "$out/small.jsonl" >"$out/small.sql"
newdb "$out/big.db"
newdb "$out/small.db"

t_nv=$(ms "$NETVET" log append "$out/big" "${key[@]}" --lines "$out/big.jsonl")
t_sq=$(ms sqlite3 -cmd "PRAGMA synchronous=FULL;" "$out/big.db" ".read $out/big.sql")
"$NETVET" log append "$out/small" "${key[@]}" --lines "$out/small.jsonl" >/dev/null
sqlite3 -cmd "PRAGMA synchronous=FULL;" "$out/small.db" ".read $out/small.sql"
awk -v m="$m" -v a="$t_nv" -v b="$t_sq" 'BEGIN {
    printf "batch of %d    netvet %7.0f entries/s   sqlite3 %7.0f rows/s   ratio %.2f (target >= 10000 entries/s)\n",
        m, m / (a / 1000), m / (b / 1000), b / a }'

for ((r = 0; r < rounds; r++)); do
    e="{\"event\":\"one\",\"r\":$r}"
    ms "$NETVET" log append "$out/small" "${key[@]}" --text "$e" >>"$out/nv100"
    ms "$NETVET" log append "$out/big" "${key[@]}" --text "$e" >>"$out/nvbig"
    ms ins "$out/small.db" "$e" >>"$out/sq100"
    ms ins "$out/big.db" "$e" >>"$out/sqbig"
done
a=$(median <"$out/nv100")
b=$(median <"$out/nvbig")
c=$(median <"$out/sq100")
d=$(median <"$out/sqbig")
awk -v m="$m" -v a="$a" -v b="$b" -v c="$c" -v d="$d" 'BEGIN {
    printf "one append     netvet at 100 %4d ms, at %d %4d ms (x%.2f, target <= 2)   sqlite3 at 100 %4d ms, at %d %4d ms   ratio at %d %.2f\n",
        a, m, b, b / (a ? a : 1), c, m, d, m, d / (b ? b : 1) }'

s=$(now)
for ((i = 0; i < n; i++)); do
    "$NETVET" log append "$out/small" "${key[@]}" --text "{\"event\":\"bench\",\"i\":$i}" >/dev/null
done
e=$(now)
t_nv=$(((e - s) / 1000000))
s=$(now)
for ((i = 0; i < n; i++)); do
    ins "$out/small.db" "{\"event\":\"bench\",\"i\":$i}"
done
e=$(now)
t_sq=$(((e - s) / 1000000))
awk -v n="$n" -v a="$t_nv" -v b="$t_sq" 'BEGIN {
    printf "%d appends    netvet %7.1f appends/s    sqlite3 %7.1f inserts/s   ratio %.2f\n",
        n, n / (a / 1000), n / (b / 1000), b / a }'

printf "verify %d   netvet %d ms\n" "$m" \
    "$(ms "$NETVET" log verify "$out/big" --trust "$out/k.pub")"
