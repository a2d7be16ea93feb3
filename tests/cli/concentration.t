# netvet concentration: shares, HHI, single-vendor areas, rip and replace.

$ netvet concentration tests/data/models/small.json
~ ^  core +\(all\) +2 +5000 huawei 50%, nokia 50%$
~ ^  transport +\(all\) +2 +5000 huawei 50%, ericsson 50%$
> areas served by a single vendor (no escape hatch): 2 of 4
~ ^  ran +RP +1 +10000 \(unresolved\) 100%$

$ netvet concentration tests/data/models/small.json --vendor huawei
> rip and replace vendor:huawei (high-risk): 2 assets (core 1, transport 1)
>   replacement cost 250000, plus 1 assets without a known cost
>   0 sites dark until replaced, serving 0 people

$ netvet concentration --json tests/data/models/small.json --country CN
~ "rip_and_replace":\{"group":"country:CN","assets":2,"cost":250000,"unpriced_assets":1,"dark_sites":\[\],"dark_population":0\}
~ "layer":"core","region":"HE","assets":2,"hhi":5000,"hhi_capacity":5061.7[0-9]*,"single_vendor":false

$ netvet concentration tests/data/models/small.json --vendor nobody
? 2
2~ vendor 'nobody' names no entity

# Group options resolve as policies do: any case, legal names, and a
# suggestion on a miss.
$ netvet concentration tests/data/models/small.json --vendor nokla
? 2
2~ vendor 'nokla' names no entity; did you mean vendor nokia\?

$ netvet concentration --json tests/data/models/small.json --country cn
~ "rip_and_replace":\{"group":"country:CN"
