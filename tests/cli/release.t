# netvet release: the matrix and single items.

$ netvet release tests/data/policy/violates.json --policy uk-2020
? 1
~ ^ALLY +orders +allow +allow-if-encrypted +deny +deny +deny +vendor:huawei at must$

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
~ ^NATO +allow +defence-4 +vendor:huawei at may; tolerated none, encrypted may; channel encrypted end to end$

$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/policy/item-secret.json --json
? 0
~ \{"partner":"ALLY","decision":"deny","channel":null,"why":"not releasable to this partner"\}

$ netvet release tests/data/policy/clean.json --policy uk-2020 --item tests/data/bad/item.json
? 2
2~ an item needs "classification"
