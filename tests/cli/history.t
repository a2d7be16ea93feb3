# netvet diff and netvet store: what changed between versions of a
# network, snapshots kept in a store, posture over time.

$ netvet diff --help
~ ^usage: netvet diff \[OPTIONS\] OLD NEW
~ STORE@REF

$ netvet diff examples/national/model.json
? 2
2~ name two versions

# A month of changes: new Huawei radios, a replaced core router, a new
# critical flow.  Each change is named, with the findings it moved; the
# new flow is exposed to Huawei, so the change is worse: exit 1.
$ netvet diff examples/national/model.json examples/national/model-next.json --policy uk-2020 --date 2026-12-01
? 1
> model: 8 changes
>   ~ asset dc-5-core-1: vendor Huawei Technologies Co., Ltd. -> Ericsson; model core router -> Router 6000
~ ^  \+ asset ran-0-gnb-new \(kind device, vendor Huawei, model AAU 5G, site ran-0, layer ran
~ ^  \+ link ran-2-gnb-new -- ran-2-csr
~ ^  \+ flow power-13 \(src crit-7-gw, dst crit-21-gw
~ ^  \^ power-13 +vendor:huawei +none -> must  \(high-risk\)  \(new flow\)$
> margin: 2 changed, 2 fell
~ ^  v power-13 +country +more than 3 -> 1 \(country:US\)  \(new flow\)$
> violations: 0 new (0 of rules of severity error), 1 resolved
>   - UK-CORE [error] dc-5-core-1: dc-5-core-1 by huawei (high-risk) in core at dc-5
~ ^risk score: 640\.5 -> 659\.1 \(\+18\.7\)
~ ^  flow power-13 +0\.0 -> +19\.2
~ ^worse: 4 exposures

# The core router swap alone: better, exit 0.
$ netvet diff examples/national/model.json tests/data/store/core-swap.json --policy uk-2020 --date 2026-12-01
> model: 1 changes
~ ^not worse
! ^  \^

# Undone, it breaks UK-CORE again: exit 1.
$ netvet diff tests/data/store/core-swap.json examples/national/model.json --policy uk-2020 --date 2026-12-01
? 1
>   + UK-CORE [error] dc-5-core-1: dc-5-core-1 by huawei (high-risk) in core at dc-5
~ ^worse: 0 exposures .*, 1 rules of severity error newly broken

# Margins: with Cisco gone from the second path, Nokia alone can cut f1;
# a falling margin is reported, but it is no exposure to a high-risk
# group: exit 0.
$ netvet diff tests/data/store/margin-a.json tests/data/store/margin-b.json
> margin: 4 changed, 4 fell
>   v f1               vendor   2 (vendor:nokia, vendor:cisco) -> 1 (vendor:nokia)
>   v f2               vendor   more than 3 -> 1 (vendor:ericsson)  (new flow)
~ ^not worse

$ netvet diff tests/data/store/margin-b.json tests/data/store/margin-a.json --json
~ "fell": false
! "fell": true
~ "k": 2,

$ netvet diff examples/national/model.json examples/national/model.json
> model: 0 changes
> margin: 0 changed, 0 fell
~ ^not worse

$ netvet diff examples/national/model.json examples/national/model-next.json --json
? 1
~ ^  "worse": true$
~ "table": "assets",
~ "new_flow": true

$ netvet diff --old examples/national/model.json --new examples/national/model.json --new tests/data/store/core-swap.json
? 2
2~ field 'vendor' disagrees with its definition

$ netvet diff examples/national/model.json nothing.json
? 2
2~ nothing.json

# The store.
$ netvet store --help
~ ^usage: netvet store \[OPTIONS\] COMMAND DB
~ netvet store posture history.db --policy uk-2020

$ netvet store frob x.db
? 2
2~ 'frob' is not a store command

# The examples of --help, as they are written.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && cp -r examples policies "$d" && cd "$d" && netvet store init history.db && netvet store add history.db examples/national/model.json --message 'baseline' && netvet store list history.db && netvet store show history.db last -o model.json && netvet store posture history.db --policy uk-2020 >/dev/null && cmp model.json <(netvet store show history.db last -o -)
> created store history.db (schema version 4)
~ ^[0-9a-f]{64} added \(996 assets, 80 flows\)$
~ ^  1 [0-9a-f]{12} .* +996 assets +80 flows  baseline$

$ . tests/cli/store-fixture.sh; netvet store list $d/h.db
~ ^  1 [0-9a-f]{12} 2025-12-01T00:00:00Z alice +996 assets +80 flows  baseline$
~ ^  2 [0-9a-f]{12} 2026-01-01T00:00:00Z alice +999 assets +81 flows  next month$

$ . tests/cli/store-fixture.sh; netvet store add $d/h.db examples/national/model.json --message again
~ ^[0-9a-f]{64} already stored: nothing added$

$ . tests/cli/store-fixture.sh; netvet store add $d/h.db examples/national/model.json --message ''
? 2
2~ --message TEXT

$ . tests/cli/store-fixture.sh; netvet store add $d/h.db examples/national/model.json
? 2
2~ --message TEXT

$ . tests/cli/store-fixture.sh; netvet store diff $d/h.db prev last --policy uk-2020 --date 2026-12-01
? 1
~ ^diff [0-9a-f]{12} -> [0-9a-f]{12}$
> model: 8 changes
~ ^worse: 4 exposures

# STORE@REF in netvet diff, an abbreviated id.
$ . tests/cli/store-fixture.sh; id=$(netvet store list $d/h.db --json | grep -o '"id": "[0-9a-f]*"' | head -1 | cut -c8-13); netvet diff $d/h.db@$id $d/h.db@last
? 1
> model: 8 changes

$ . tests/cli/store-fixture.sh; netvet store show $d/h.db prev
~ ^snapshot [0-9a-f]{64}$
>   message baseline
~ ^  size +[0-9]+ bytes: 8 entities, 486 sites, 996 assets, 2559 links, 80 flows, 2 partners$

$ . tests/cli/store-fixture.sh; netvet store show $d/h.db 0000
? 2
2~ no snapshot '0000'

$ . tests/cli/store-fixture.sh; netvet store show $d/h.db xyz
? 2
2~ names no snapshot

# Posture: one row per snapshot; the second run reads the cache.
$ . tests/cli/store-fixture.sh; netvet store posture $d/h.db --policy uk-2020 --date 2026-12-01; netvet store posture $d/h.db --policy uk-2020 --date 2026-12-01 --json
~ ^  1 [0-9a-f]{12} 2025-12-01T00:00:00Z +0 +3 +11 +17 +49 +68 +12 +0 +0 +640\.5 +16 +16 +16% +30%
~ ^  2 [0-9a-f]{12} 2026-01-01T00:00:00Z +0 +3 +11 +17 +50 +68 +13 +0 +0 +659\.1 +15 +15
~ vm=1 vm=2 vm=3 vm>3
~ violations by rule: UK-CORE 11, UK-SITES 3, UK-SECRET 1
~ "must": 50$
~ "margins": \{$
~ "more": 0$

# Evidence: the new snapshot goes into the log.
$ . tests/cli/store-fixture.sh; netvet keygen $d/k >/dev/null; netvet store add $d/h.db tests/data/store/core-swap.json --message 'swap' --log $d/ev --log-key $d/k.key --author bob && netvet log show $d/ev --json
2~ recorded as entry 0 of the evidence log
~ "kind": "snapshot",
~ "snapshot": "[0-9a-f]{64}",
~ "message": "swap",
~ "author": "bob"

$ . tests/cli/store-fixture.sh; netvet store add $d/h.db tests/data/store/core-swap.json --message 'swap' --log $d/ev
? 2

# Foreign, damaged, missing and altered stores are refused.
$ netvet store list examples/national/model.json
? 2
2~ not a netvet store

$ netvet store list /nonexistent.db
? 2
2~ no such store

$ . tests/cli/store-fixture.sh; netvet store init $d/h.db
? 2
2~ already exists

$ . tests/cli/store-fixture.sh; head -c 20000 $d/h.db > $d/cut.db; netvet store list $d/cut.db; netvet store show $d/cut.db last -o $d/x.json
? 2
2~ damaged|not a netvet store|altered

# The report draws the posture of a store's snapshots as a chart: ten
# months of replacing high-risk equipment, a bar for each hostile level
# (may, failover, routed, must) a month.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && tests/cli/history-fixture.py months examples/national/model.json 10 $d && netvet store init $d/h.db >/dev/null && for i in 01 02 03 04 05 06 07 08 09 10; do SOURCE_DATE_EPOCH=$((1735689600 + 10#$i * 2678400)) netvet store add $d/h.db $d/month-$i.json --message "month $i" >/dev/null || exit 9; done; netvet report examples/national/model.json --policy uk-2020 --date 2026-12-01 --store $d/h.db -o $d/r.html && grep -c '<rect x=' $d/r.html && grep -o '<h2 id="history">[^<]*' $d/r.html && grep -c '<td>month [0-9]*</td>' $d/r.html && grep -o '<th[^>]*>one-vendor flows' $d/r.html | wc -l
> 40
> <h2 id="history">Posture over time
> 10
> 1

$ . tests/cli/store-fixture.sh; ln -s h.db $d/link.db; netvet store list $d/link.db
? 2
2~ a symbolic link: name the store's own file
