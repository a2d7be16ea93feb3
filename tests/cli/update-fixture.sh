# shellcheck shell=bash
# Sourced by the cases of update.t: a temporary directory $D (removed on
# exit) with keys a, b, c (the trust root, 2 of 3) and x (untrusted),
# root.json, the target fw.bin, and helpers to sign metadata and check.
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
for k in a b c x; do netvet keygen "$D/$k" >/dev/null || exit 3; done
netvet update --init-root --threshold 2 --key "$D/a.pub" --key "$D/b.pub" \
    --key "$D/c.pub" > "$D/root.json" || exit 3
printf 'firmware image 1\n' > "$D/fw.bin"

# payload VERSION EXPIRES [LENGTH [EXTRA]]: targets metadata listing fw.bin
# (its real length by default; EXTRA is added to its entry).
payload() {
    local sha len
    sha=$(sha256sum "$D/fw.bin" | cut -d' ' -f1)
    len=${3:-$(wc -c < "$D/fw.bin")}
    printf '{"_type":"targets","spec":"netvet-update/1","version":%s,' "$1"
    printf '"expires":"%s","targets":{"fw.bin":' "$2"
    printf '{"length":%s,"sha256":"%s"%s}}}\n' "$len" "$sha" "${4:-}"
}

# sign OUT KEY... < PAYLOAD: an envelope signed by the named keys.
sign() {
    local out=$1 args=()
    shift
    for k in "$@"; do args+=(--key "$D/$k.key"); done
    cat > "$D/payload.json"
    netvet update --sign "$D/payload.json" "${args[@]}" > "$D/$out"
}

# check META [OPTION...]: check fw.bin against $D/META at a fixed time.
check() {
    local meta=$1
    shift
    netvet update "$D/fw.bin" --metadata "$D/$meta" --trust-root \
        "$D/root.json" --state "$D/state" --now 2026-06-01T00:00:00Z "$@"
}
