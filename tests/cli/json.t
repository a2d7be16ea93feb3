# Every JSON document netvet writes opens with "netvet_version" and spells
# its keys in snake_case (tests/cli/json-keys.py checks both, anywhere in
# the document).  Exempt, because a specification or a hash fixes their
# bytes: DSSE envelopes and the in-toto statements in them, the targets
# metadata that update --sign signs, the log's signed checkpoints and a
# snapshot's canonical JSON (docs/formats.md).

$ netvet assess --json --margin --routes examples/national/model.json | tests/cli/json-keys.py
> ok

$ netvet check --json examples/national/model.json --policy uk-2020 | tests/cli/json-keys.py
> ok

$ netvet check --json tests/data/policy/violates.json --policy eu-5g-toolbox --proposed tests/data/policy/swap-core.json | tests/cli/json-keys.py
> ok

$ netvet concentration --json examples/national/model.json | tests/cli/json-keys.py
> ok

$ netvet diff --json examples/national/model.json examples/national/model-next.json | tests/cli/json-keys.py
> ok

$ netvet inspect --json examples/national/model.json | tests/cli/json-keys.py
> ok

$ netvet plan --json examples/national/model.json --policy uk-2020 --from 2025 | tests/cli/json-keys.py
> ok

$ netvet release --json examples/national/model.json --policy uk-2020 | tests/cli/json-keys.py
> ok

$ netvet release --json tests/data/policy/clean.json --policy uk-2020 --item tests/data/policy/item-none.json | tests/cli/json-keys.py
> ok

$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv "ZTE Corp" Ericsson | tests/cli/json-keys.py --lines
> ok

$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --since examples/lists/national.csv "ZTE Corp" Kaspersky | tests/cli/json-keys.py --lines
> ok

$ netvet wargame --json examples/national/model.json --vendor huawei | tests/cli/json-keys.py
> ok

# Written files: models (synth, merge, import), a plan's change set.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet synth --ran-sites 50 -o $d/s.json && netvet merge examples/spreadsheet -o $d/m.json && netvet import netbox --quiet --pages tests/data/netbox/netbox -o $d/n.json && netvet plan examples/national/model.json --policy uk-2020 --from 2025 -o $d/c.json >/dev/null && tests/cli/json-keys.py $d/s.json $d/m.json $d/n.json $d/c.json && netvet inspect $d/s.json $d/m.json > /dev/null
> ok

# The store.
$ . tests/cli/store-fixture.sh; netvet store list $d/h.db --json | tests/cli/json-keys.py; netvet store posture $d/h.db --policy uk-2020 --date 2026-12-01 --json | tests/cli/json-keys.py
> ok
! [^k]$

# The evidence log: show, a proof, and the entries commands record.
$ . tests/cli/log-fixture.sh; netvet log show $d/ev --json | tests/cli/json-keys.py; netvet log prove $d/ev --index 1 | tests/cli/json-keys.py
> ok
! [^k]$

$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet keygen "$d/k" >/dev/null; netvet release examples/national/model.json --policy uk-2020 --log "$d/log" --log-key "$d/k.key" >/dev/null 2>&1; netvet log show "$d/log" --json | python3 -c 'import json,sys; [print(json.dumps(e["entry"])) for e in json.load(sys.stdin)["entries"]]' | tests/cli/json-keys.py --lines
> ok

# Integrity: verify, and the update decision and trust root.
$ . tests/cli/integrity-fixture.sh && mutate && manifest "$D/fw.tar" --log "$D/log" --log-key "$D/ev.key" 2>/dev/null && verify "$D/mut.tar" --json --log "$D/log" --log-key "$D/ev.key" 2>/dev/null | tests/cli/json-keys.py; netvet log show "$D/log" --json | python3 -c 'import json,sys; [print(json.dumps(e["entry"])) for e in json.load(sys.stdin)["entries"]]' | tests/cli/json-keys.py --lines
> ok
! [^k]$

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && check m --json | tests/cli/json-keys.py && tests/cli/json-keys.py "$D/root.json" "$D/state/"*
> ok
! [^k]$
