# netvet release: the matrix and single items.

$ netvet release tests/data/policy/violates.json --policy uk-2020
? 1
~ ^ALLY +orders +allow +allow-if-encrypted +deny +deny +deny +vendor:huawei at must by base-gw$
> thresholds decided by:
>   secret        pack uk-2020, release secret at policies/uk-2020.nvp:48

$ netvet release tests/data/policy/clean.json --policy uk-2020
? 0
~ ^ALLY +orders +allow +allow +allow +allow +allow +no high-risk group on any path$

$ netvet release tests/data/models/small.json --policy uk-2020 --json
? 1
~ "partner":"DE","channel":"bw-secret-1","encrypted":false,"decisions":\{"unclassified":\{"decision":"allow"

# One item: a partner not on its releasability list is refused.
$ netvet release examples/national/model.json --policy uk-2020 --item tests/data/policy/item-secret.json
? 1
~ ^US +deny +defence-[0-9]+ +vendor:huawei at must
~ ^NATO +allow +defence-4 +vendor:huawei at failover; tolerated may, encrypted failover; channel encrypted end to end \(pack uk-2020, release secret at policies/uk-2020\.nvp:48\); decided by agg-42-b$

# A high-risk router on no route even after one failure (may) does not
# stop top-secret information; one on a backup route (failover) does.
$ netvet release examples/national/model.json examples/national/liaison.json --policy uk-2020
? 1
~ ^GB +liaison-1 +allow +allow +allow +allow +allow +vendor:huawei at may by agg-22-a \(encrypted\)$
~ ^NATO +defence-4 +allow +allow +allow +allow +deny +vendor:huawei at failover by agg-42-b \(encrypted\)$


$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/policy/item-none.json --json
? 0
~ \{"partner":"ALLY","decision":"deny","channel":null,"why":"not releasable to this partner"\}

$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/bad/item.json
? 2
2~ an item needs "classification"

# The evidence log records the decisions that were printed, made once:
# the entry's matrix is the --json document, and an item's likewise.
$ d=$(mktemp -d); netvet keygen "$d/k" 2>/dev/null; netvet release examples/national/model.json --policy uk-2020 --json --log "$d/log" --log-key "$d/k.key" > "$d/out.json" 2>/dev/null; netvet release examples/national/model.json --policy uk-2020 --item tests/data/policy/item-secret.json --json --log "$d/log" --log-key "$d/k.key" > "$d/item.json" 2>/dev/null; netvet log show "$d/log" --json | python3 -c 'import json,sys; e=json.load(sys.stdin)["entries"]; o=json.load(open(sys.argv[1])); i=json.load(open(sys.argv[2])); print(e[0]["entry"]["release"]==o, e[1]["entry"]["item"]==i, len(o["matrix"])>0)' "$d/out.json" "$d/item.json"; rm -rf "$d"
> True True True

# Every cell says which pack's statement decided it.
$ netvet release tests/data/policy/violates.json --policy uk-2020 --json
? 1
~ "restricted":\{"decision":"allow-if-encrypted","why":"vendor:huawei at must; tolerated routed, encrypted must \(pack uk-2020, release restricted at policies/uk-2020\.nvp:46\); decided by base-gw"\}

# A partner or channel the model lacks is an error, with suggestions;
# names are matched in any case.
$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/bad/item-partner.json
? 2
! .
2> netvet: tests/data/bad/item-partner.json:1:67: no partner 'ALY' in the model; did you mean ALLY?

$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/bad/item-channel.json
? 2
2> netvet: tests/data/bad/item-channel.json:1:91: no partner channel 'order' in the model; did you mean orders?

$ netvet release tests/data/policy/violates.json --policy uk-2020 --item tests/data/policy/item-case.json
? 1
~ ^ALLY +allow-if-encrypted +orders +vendor:huawei at must
