# netvet assess: levels, ranking, exit codes, narrowing, bad input.

$ netvet assess tests/data/models/small.json
? 1
~ ^VERDICT: 2 of 2 critical flows can be intercepted or cut
~ ^    1\. bw-secret-1 +score 32\.0 +fra1-gw -> koblenz-hq, not encrypted$
~ ^        must +vendor:huawei \(high-risk\) \[fra1-core-1\], vendor:nokia \[fra1-gw\], country:CN \(high-risk\) \[fra1-core-1\], country:FI \[fra1-gw\], designation:high-risk \[fra1-core-1\]$
~ ^        routed +vendor:hisilicon \(high-risk\) \[mz-agg-2\], vendor:ericsson \[mz-agg-1\], country:SE \[mz-agg-1\]$
~ ^        failover vendor:hisilicon \(high-risk\) \[mz-agg-2\]$
~ ^  vendor:hisilicon +high-risk +0 +1 +1 +0$

$ netvet assess --json tests/data/models/small.json
? 1
~ "id":"vendor:huawei","kind":"vendor","name":"Huawei Technologies Co., Ltd.","designation":"high-risk"
~ "id":"bw-secret-1","sector":"defence","classification":"secret","encrypted":false
~ "exposure":\[\{"group":"vendor:huawei","level":"must","assets":\["fra1-core-1"\]\}
~ "id":"bw-declared".*\{"group":"vendor:ericsson","level":"routed","assets":\["mz-agg-1"\]\}.*\{"group":"vendor:hisilicon","level":"failover","assets":\["mz-agg-2"\]\}

~ "unconnected_flows":\[\]

# One least-cost route and the number of them; the route hop by hop.
$ netvet assess --json --routes tests/data/models/small.json
? 1
~ "id":"bw-secret-1".*"route":\["fra1-gw","fra1-core-1","mz-agg-1","kob-ran-1","koblenz-hq"\],"routes":2,"routes_capped":false
~ "id":"bw-declared".*"route":\["fra1-gw","fra1-core-1","mz-agg-1","kob-ran-1","koblenz-hq"\],"routes":1,

$ netvet assess --flow bw-declared tests/data/models/small.json
? 1
~ ^route of bw-declared \(fra1-gw -> koblenz-hq\), declared:$
~ ^    3  mz-agg-1 +Telefonaktiebolaget LM Erics Mainz aggregation +10$
~ ^    if mz-agg-1 fails: vendor:hisilicon on mz-agg-2$
~ ^    if fra1-core-1 fails: no route is left$
~ ^worst exposure: vendor:huawei at must, given by fra1-core-1$

$ netvet assess --flow bw-declared --failover-from secret tests/data/models/small.json
? 1
~ ^failover was not worked out for this flow
! failover vendor

$ netvet assess --failover-from planet tests/data/models/small.json
? 2
2~ --failover-from is a classification

# Narrowing to one kind of group, or to one flow.
$ netvet assess --group country tests/data/models/small.json
? 1
! vendor:
~ ^        must +country:CN \(high-risk\) \[fra1-core-1\], country:FI \[fra1-gw\]$

$ netvet assess --flow bw-declared --json tests/data/models/small.json
? 1
! bw-secret-1
~ "summary":\{"flows":1,

# No high-risk group on a route: exit 0; an unconnected flow is listed.
# The Huawei radio c is not transit: no path of "ok" passes through it.
$ netvet assess tests/data/models/clean.json
? 0
~ ^VERDICT: no critical flow is exposed
> flows whose ends are not connected: 1
>   lost

$ netvet assess --json tests/data/models/clean.json
~ "unconnected_flows":\["lost"\]
~ "id":"lost","sector":"water","classification":"unclassified","encrypted":false,"connected":false,"score":0,"exposure":\[\]
~ "score":0.1,

$ netvet assess --flow nosuch tests/data/models/small.json
? 2
! .
2> netvet: assess: no flow 'nosuch' in the model

$ netvet assess --group planet tests/data/models/small.json
? 2
2~ --group is vendor, country or designation

$ netvet assess tests/data/bad/unknown-asset.json
? 2
! .
2> netvet: tests/data/bad/unknown-asset.json:4:19: unknown asset 'ghost'

$ netvet assess
? 2
2~ name at least one MODEL

# Vendor margin: how many groups it takes to cut each flow, its witness
# and the groups of the flow's own ends; then the choke points.
$ netvet assess --margin tests/data/models/small.json
? 1
~ ^        margin +vendor 1 \(vendor:huawei\), country 1 \(country:CN\); ends vendor:nokia, country:FI$
~ ^  vendor +1: 2 +2: 0 +3: 0 +more than 3: 0 +not connected: 0$
~ ^    1\. fra1-core-1 +importance 11 +flows: bw-secret-1, bw-declared$

$ netvet assess --margin --json tests/data/models/small.json
? 1
~ "margin":\{"vendor":\{"k":1,"witness":\["vendor:huawei"\],"ends":\["vendor:nokia"\]\},"country":\{"k":1,"witness":\["country:CN"\],"ends":\["country:FI"\]\}\}
~ "margin_summary":\{"vendor":\{"not_connected":0,"1":2,"2":0,"3":0,"more":0\}
~ "choke_points":\[\{"asset":"fra1-core-1","importance":11,"flows":\["bw-secret-1","bw-declared"\]\}

$ netvet assess --margin --json tests/data/models/clean.json
~ "id":"lost",.*"margin":\{"vendor":\{"k":0,"witness":\[\]
