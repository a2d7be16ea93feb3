# netvet release: the matrix and single items.

$ netvet release tests/data/policy/violates.json --policy uk-2020
? 1
~ ^ALLY +orders +allow +allow-if-encrypted +deny +deny +deny +vendor:huawei at must by base-gw$

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
~ ^NATO +allow +defence-4 +vendor:huawei at failover; tolerated may, encrypted failover; channel encrypted end to end; decided by agg-42-b$

# A high-risk router on no route even after one failure (may) does not
# stop top-secret information; one on a backup route (failover) does.
$ netvet release examples/national/model.json examples/national/liaison.json --policy uk-2020
? 1
~ ^GB +liaison-1 +allow +allow +allow +allow +allow +vendor:huawei at may by agg-0-a \(encrypted\)$
~ ^NATO +defence-4 +allow +allow +allow +allow +deny +vendor:huawei at failover by agg-42-b \(encrypted\)$

$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/policy/item-secret.json --json
? 0
~ \{"partner":"ALLY","decision":"deny","channel":null,"why":"not releasable to this partner"\}

$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/bad/item.json
? 2
2~ an item needs "classification"

# The evidence log records the decisions that were printed, made once:
# the entry's matrix is the --json document, and an item's likewise.
$ d=$(mktemp -d); netvet keygen "$d/k" 2>/dev/null; netvet release examples/national/model.json --policy uk-2020 --json --log "$d/log" --log-key "$d/k.key" > "$d/out.json" 2>/dev/null; netvet release examples/national/model.json --policy uk-2020 --item tests/data/policy/item-secret.json --json --log "$d/log" --log-key "$d/k.key" > "$d/item.json" 2>/dev/null; netvet log show "$d/log" --json | python3 -c 'import json,sys; e=json.load(sys.stdin)["entries"]; o=json.load(open(sys.argv[1])); i=json.load(open(sys.argv[2])); print(e[0]["entry"]["release"]==o, e[1]["entry"]["item"]==i, len(o["matrix"])>0)' "$d/out.json" "$d/item.json"; rm -rf "$d"
> True True True
