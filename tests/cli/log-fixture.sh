# shellcheck shell=bash
# Sourced by the cases of log.t: a temporary directory $d (removed when
# the case ends) with a signing key (k.key, k.pub), another key (o.key,
# o.pub) and a log ev of three entries.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for k in k o; do
    openssl genpkey -algorithm ed25519 -out "$d/$k.key" 2>/dev/null
    openssl pkey -in "$d/$k.key" -pubout -out "$d/$k.pub"
done
for n in 0 1 2; do
    netvet log append "$d/ev" --key "$d/k.key" \
        --text "{\"event\":\"test\",\"n\":$n}" >/dev/null
done
# flip FILE OFFSET: change the byte at OFFSET of FILE.
flip() {
    local c
    c=$(dd if="$1" bs=1 skip="$2" count=1 2>/dev/null)
    if [ "$c" = A ]; then c=B; else c=A; fi
    printf '%s' "$c" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}
