#!/bin/bash
# Run a command against the loopback NetBox server (server.py).
# Usage: tests/netbox/live.sh [server options] -- COMMAND...
# Every @URL@ in COMMAND becomes the server's http://127.0.0.1:PORT; the
# exit status is COMMAND's.
set -u
here=$(dirname "$0")
opts=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
shift
tmp=$(mktemp -d)
python3 "$here/server.py" "${opts[@]}" --port-file "$tmp/port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || { echo "live.sh: the server did not start" >&2; exit 99; }
url="http://127.0.0.1:$(cat "$tmp/port")"
args=()
for a in "$@"; do args+=("${a//@URL@/$url}"); done
"${args[@]}"
