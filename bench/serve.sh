#!/bin/bash
# netvet serve under load on the loopback interface, bounded in requests
# and time (docs/serve.md):
#   cached assess of the example, 32 clients:  >= 1,000 requests/s,
#                                              p99 <= 50 ms
#   20 uploads at once (variants of the example): none lost
#   resident memory over 100,000 cached requests: flat (grows < 10 MB)
#   the cached assess again over HTTPS (a second server on the same store
#   with a throwaway certificate), keep-alive and a handshake per request,
#   as a share of the plain HTTP rate
# The peer is the same server answering GET /api/v1/openapi.json (a
# 60 kB document embedded in the binary, no key, no cache): what the
# HTTP layer alone gives; assess is printed as a share of it.
# The load client is ApacheBench (Debian apache2-utils).
# Usage: bench/serve.sh [REQUESTS]   (default 100000)
set -euo pipefail
NETVET=$(realpath "${NETVET:-./netvet}")
EXAMPLE=$(realpath examples/national/model.json)
requests=${1:-100000}
command -v ab >/dev/null || { echo "bench/serve.sh: needs ab (apt-get install apache2-utils)" >&2; exit 2; }
work=$(mktemp -d)
pid= tpid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    [ -n "$tpid" ] && kill "$tpid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

"$NETVET" store init h.db > /dev/null
key=$("$NETVET" serve keys add h.db --name bench --permissions read,write,analyse)
"$NETVET" serve --store h.db --listen 127.0.0.1:0 --threads 64 2> err &
pid=$!
for _ in $(seq 50); do grep -q listening err && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)\/$/\1/p' err)
base=http://127.0.0.1:$port/api/v1
id=$(curl -sf -X POST -H "X-Api-Key: $key" --data-binary @"$EXAMPLE" \
    "$base/snapshots?message=bench" | sed 's/.*"id":"\([0-9a-f]*\)".*/\1/')
# Warm the cache; a first assess may answer 202 while it runs.
for _ in $(seq 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Api-Key: $key" \
        "$base/snapshots/$id/assess")
    [ "$code" = 200 ] && break
    sleep 0.5
done
[ "$code" = 200 ] || { echo "bench/serve.sh: assess answered $code" >&2; exit 1; }

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
# load URL N [KEEPALIVE]: requests/s and p99 (ms) of N requests from 32
# clients, on keep-alive connections unless KEEPALIVE is "no".
load() {
    local k=-k
    [ "${3:-yes}" = no ] && k=
    timeout 600 ab -q $k -s 30 -c 32 -n "$2" -H "X-Api-Key: $key" "$1" \
        > ab.txt 2>&1 || true
    rps=$(awk '/^Requests per second/ {print $4}' ab.txt)
    p99=$(awk '/^  99%/ {print $2}' ab.txt)
    bad=$(awk '/^Non-2xx responses/ {print $3} /^Failed requests/ {f=$3} END {print f+0}' ab.txt | tail -1)
}

load "$base/openapi.json" 20000
peer_rps=$rps peer_p99=$p99
echo "peer  GET openapi.json (HTTP layer alone):  $peer_rps req/s, p99 $peer_p99 ms"

load "$base/snapshots/$id/assess" 10000
rss0=$(rss)
load "$base/snapshots/$id/assess" "$requests"
rss1=$(rss)
http_rps=$rps
echo "netvet GET .../assess (cached, 92 kB), 32 clients, $requests requests:"
echo "      $rps req/s (target >= 1000), p99 $p99 ms (target <= 50), failed $bad"
echo "      = $(awk -v a="$rps" -v b="$peer_rps" 'BEGIN {printf "%.2f", a / b}') x the peer's rate"
echo "      resident memory $((rss0 / 1024)) MB before, $((rss1 / 1024)) MB after" \
    "(grew $(((rss1 - rss0) / 1024)) MB; target < 10)"

# 20 uploads at once, each a different variant of the example.
for i in $(seq 20); do
    sed "0,/\"name\":\"/s//\"name\":\"variant $i /" "$EXAMPLE" > "up$i.json"
done
t0=$(date +%s.%N)
clients=()
for i in $(seq 20); do
    curl -s -o "res$i" -w '%{http_code}\n' -X POST -H "X-Api-Key: $key" \
        --data-binary @"up$i.json" "$base/snapshots?message=upload+$i" > "code$i" &
    clients+=($!)
done
wait "${clients[@]}" # not the server
t1=$(date +%s.%N)
created=$(cat code* | grep -c '^201$' || true)
listed=$(curl -s -H "X-Api-Key: $key" "$base/snapshots?limit=100" | grep -o '"seq"' | wc -l)
echo "20 uploads at once: $created answered 201, $((listed - 1)) new snapshots listed" \
    "(target 20 and 20), in $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}') s"

# The cached assess over HTTPS: the relay of src/serve/tls.c in front of
# a second server on the same store; the plain rate above is the peer.
command -v openssl >/dev/null || { echo "https: skipped (no openssl)"; exit 0; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout key.pem -out cert.pem -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 2> /dev/null
"$NETVET" serve --store h.db --listen 127.0.0.1:0 --threads 64 \
    --tls-cert cert.pem --tls-key key.pem 2> terr &
tpid=$!
for _ in $(seq 50); do grep -q listening terr && break; sleep 0.1; done
tbase=https://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)\/$/\1/p' terr)/api/v1
for _ in $(seq 120); do
    code=$(curl -s --cacert cert.pem -o /dev/null -w '%{http_code}' \
        -H "X-Api-Key: $key" "$tbase/snapshots/$id/assess")
    [ "$code" = 200 ] && break
    sleep 0.5
done
tls_requests=$((requests < 20000 ? requests : 20000))
load "$tbase/snapshots/$id/assess" "$tls_requests"
echo "https GET .../assess (cached), 32 clients, keep-alive, $tls_requests requests:"
echo "      $rps req/s, p99 $p99 ms, failed $bad" \
    "= $(awk -v a="$rps" -v b="$http_rps" 'BEGIN {printf "%.2f", a / b}') x plain HTTP"
load "$tbase/openapi.json" 2000 no
echo "https GET openapi.json, a new connection (handshake) per request, 2000:"
echo "      $rps req/s, p99 $p99 ms, failed $bad"
