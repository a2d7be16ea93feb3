# shellcheck shell=bash
# Sourced by the cases of history.t: a temporary directory $d (removed
# when the case ends) with a store h.db of two snapshots, the example
# ("baseline") and its month of changes ("next month"), added at fixed
# times by alice.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
ex=examples/national
netvet store init "$d/h.db" >/dev/null
SOURCE_DATE_EPOCH=1764547200 netvet store add "$d/h.db" $ex/model.json \
    --message baseline --author alice >/dev/null
SOURCE_DATE_EPOCH=1767225600 netvet store add "$d/h.db" $ex/model-next.json \
    --message "next month" --author alice >/dev/null
