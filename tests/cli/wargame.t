# netvet wargame: blast radius of one group.

$ netvet wargame tests/data/models/small.json --vendor huawei
? 1
> If Huawei Technologies Co., Ltd. [vendor:huawei, high-risk] turned hostile:
~ it could read 1 of 2 critical flows
~ it could see the metadata of 1 encrypted flows;
~ it could cut 2 flows on its own
~ ^  - 0 sites, serving 0 people, run only on its equipment\.$
~ ^defence +secret +1 +1 +0 +1 +0 +0$
~ ^  - one failure of a link or an asset would put it on the route of 0 more flows;$
~ ^  fra1-core-1 +2 +43\.0$

$ netvet wargame tests/data/models/small.json --vendor hisilicon --json
? 1
~ "group":"vendor:hisilicon","designation":"high-risk"
~ "summary":\{"flows":2,"read":1,"observe":0,"cut":0,"failover":1,"could":0\}
~ \{"id":"bw-secret-1","level":"routed","encrypted":false,"assets":\["mz-agg-2"\]\}
~ \{"id":"bw-declared","level":"failover","encrypted":true,"assets":\["mz-agg-2"\]\}
~ "assets_alone":\[\]

$ netvet wargame tests/data/models/clean.json --country CN
? 0
~ it could read 0 of 2 critical flows

$ netvet wargame tests/data/models/small.json --designation high-risk --json
? 1
~ "group":"designation:high-risk"

$ netvet wargame tests/data/models/small.json --vendor samsung
? 2
2> netvet: wargame: no group 'vendor:samsung': no asset of the model belongs to it

$ netvet wargame tests/data/models/small.json
? 2
2~ name a group: --vendor NAME

# Several groups are played in turn, each named as analysts write it.
$ netvet wargame tests/data/policy/violates.json --vendor Huawei --vendor "ZTE Corp" --country cn
? 1
> If Huawei Technologies Co., Ltd. [vendor:huawei, high-risk] turned hostile:
> If ZTE Corporation [vendor:zte, high-risk] turned hostile:
> If country:CN [country:CN, prohibited] turned hostile:

$ netvet wargame tests/data/policy/violates.json --vendor huawei --vendor Huawie
? 2
! .
2~ vendor 'Huawie' names no entity; did you mean vendor huawei\?
