# netvet check: violations, the score, exit codes, bad policies.

$ netvet check tests/data/policy/violates.json --policy uk-2020 --date 2030-01-01
? 1
> 5 rules checked on 2030-01-01: 10 violations, 10 of them errors
> UK-CORE [error] No high-risk vendor in the core of the network
>   - core-1 by huawei (high-risk) in core at dc
~ ^  - network: 60\.0% \(3 of 5 assets\) is over 35%$
~ ^  - orders \(defence, secret, not encrypted\): country:CN at must$
~ ^risk score \(docs/score.md\): network
~ ^  partner ALLY +4\.0$

# Before 2028 the removal deadline is not yet in force.
$ netvet check tests/data/policy/violates.json --policy uk-2020 --date 2027-06-30 --json
? 1
! "rule":"UK-2027"
~ "rule":"UK-CORE","severity":"error"

$ netvet check tests/data/policy/clean.json --policy uk-2020 --policy eu-5g-toolbox --policy se-pts-2020 --date 2030-01-01
? 0
> 13 rules checked on 2030-01-01: 0 violations, 0 of them errors

# Warnings alone do not fail a pipeline.
$ netvet check tests/data/policy/warnings.json --policy eu-5g-toolbox
? 0
~ ^SM05-RAN \[warning\]

$ netvet check tests/data/policy/clean.json --policy policies/uk-2020.nvp
? 0

$ netvet check tests/data/policy/clean.json --policy tests/data/bad/policy.nvp
? 2
! .
2> netvet: tests/data/bad/policy.nvp:3:29: expected a layer (core, ran, transport, edge, management, oss, endpoint), found 'kore'

$ netvet check tests/data/policy/clean.json --policy no-such-pack
? 2
2~ no-such-pack: cannot open

$ netvet check tests/data/policy/clean.json
? 2
2~ name at least one --policy PACK

$ netvet check tests/data/policy/clean.json --policy uk-2020 --date tomorrow
? 2
2~ --date is YYYY-MM-DD

# A proposed change: replacing the Huawei core router fixes violations;
# adding a ZTE one breaks the core rules again.
$ netvet check tests/data/policy/violates.json --policy uk-2020 --date 2030-01-01 --proposed tests/data/policy/swap-core.json
? 1
>   would break:
>     UK-CORE: core-2 by zte (high-risk) in core at dc
>   would fix:
>     UK-CORE: core-1 by huawei (high-risk) in core at dc

$ netvet check tests/data/policy/violates.json --policy eu-5g-toolbox --proposed tests/data/policy/swap-core.json --json
? 1
~ "break":\[\{"rule":"SM03-CORE","why":"core-2 by zte \(high-risk\) in core at dc"\}\]
~ \{"rule":"SM03-PROHIBITED","why":"cam by banned \(prohibited\) in edge at cell-s1"\}

$ netvet check tests/data/policy/violates.json --policy uk-2020 --proposed tests/data/bad/change-flow.json
? 2
2> netvet: tests/data/bad/change-flow.json:1:12: removing 'hq' would break flow 'orders'

$ netvet check tests/data/policy/violates.json --policy uk-2020 --proposed tests/data/bad/change-ghost.json
? 2
2> netvet: tests/data/bad/change-ghost.json:1:13: no such asset in the model

# A rule on vendor margin names the supplier that alone can cut the flow.
$ netvet check tests/data/policy/violates.json --policy eu-5g-toolbox
? 1
~ ^SM05-FLOWS \[warning\] SM05/SM06: no restricted or higher flow that a single supplier can cut or read$
~ ^  - orders \(defence, secret, not encrypted\): country:CN at must; vendor margin 1 \(vendor:huawei\)$

# Top contributors are right wherever the top flow is in the file, for
# the network, each sector and each partner.
$ netvet check tests/data/check/top-first.json --policy uk-2020 --json
? 1
~ "network":[0-9.]+,"top":\[\{"flow":"f1","score":8,"group":"[a-z:-]+"\},\{"flow":"f6","score":4,[^]]*\{"flow":"f5","score":3\.2,[^]]*\{"flow":"f4",[^]]*\{"flow":"f3",[^]]*\]
~ "defence":\{"score":[0-9.]+,"top":\[\{"flow":"f6",[^]]*\{"flow":"f4",[^]]*\{"flow":"f2",[^]]*\]\}
~ "ALLY":\{"score":[0-9.]+,"top":\[\{"flow":"f1",[^]]*\{"flow":"f6",[^]]*\{"flow":"f5",[^]]*\{"flow":"f4",[^]]*\{"flow":"f3",[^]]*\]\}

$ netvet check tests/data/check/top-last.json --policy uk-2020 --json
? 1
~ "network":[0-9.]+,"top":\[\{"flow":"f6","score":8,[^]]*\{"flow":"f5","score":4,[^]]*\{"flow":"f4",[^]]*\{"flow":"f3",[^]]*\{"flow":"f2",[^]]*\]

$ netvet check tests/data/check/top-middle.json --policy uk-2020
? 1
~ ^    f3 +8\.0 
~ ^    f6 +4\.0 
~ ^    f2 +1\.6 
! ^    f1 

# Every rule says what it measured, passed or not: the high-risk share of
# the access network against the 35% cap is shown when it holds.
$ netvet check tests/data/policy/clean.json --policy uk-2020 --date 2027-01-01
~ ^  UK-RAN-35 +pass: network [0-9.]+% \([0-9]+ of [0-9]+ assets\) \(limit 35\.0%\)$
~ ^  UK-2027 +not applicable: in force from 2028-01-01$

$ netvet check tests/data/policy/violates.json --policy uk-2020 --date 2027-01-01 --json
? 1
~ \{"id":"UK-RAN-35","severity":"error","status":"fail","measured":60,"threshold":35,"unit":"%","checked":1,"evidence":"network 60\.0% \(3 of 5 assets\)","violations":\[\{"kind":"area","item":"network","why":"network: 60\.0% \(3 of 5 assets\) is over 35%"\}\]\}
~ \{"id":"UK-2027","severity":"error","status":"not-applicable","measured":0,"threshold":0,"unit":"","checked":0,"reason":"in force from 2028-01-01","violations":\[\]\}

$ netvet check tests/data/check/catalogue-vendors.json --policy uk-2020 --json --date 2030-01-01
? 0
~ \{"id":"UK-SECRET",[^}]*"status":"not-applicable",[^}]*"reason":"the model has no flows"
~ \{"id":"UK-RAN-35",[^}]*"status":"pass","measured":0,"threshold":35,

# A policy with capitalised vendor names, legal names and any-case
# layers, tags and countries gives what one with ids gives.
$ netvet check tests/data/policy/violates.json --policy tests/data/policy/capitals.nvp
? 1
~ ^CAPS-VENDOR \[error\]
>   - ran-n1 by huawei (high-risk) in ran at cell-n1
~ ^CAPS-LEGAL \[error\]
>   - ran-n2 by zte (high-risk) in ran at cell-n2
>   - ran-n4 by zte (high-risk) in ran at cell-n1
>   - base-gw by huawei (high-risk) in endpoint at base
2! .

$ netvet check tests/data/policy/violates.json --policy tests/data/policy/ids.nvp
? 1
>   - ran-n1 by huawei (high-risk) in ran at cell-n1
>   - ran-n4 by zte (high-risk) in ran at cell-n1
>   - base-gw by huawei (high-risk) in endpoint at base

# A reference that names nothing is a warning with where and what was
# meant; --strict makes it an error.
$ netvet check tests/data/policy/violates.json --policy tests/data/policy/typos.nvp
? 1
2> netvet: tests/data/policy/typos.nvp:2:32: warning: rule TYPO: vendor 'Huawie' names nothing in the model; did you mean vendor huawei?
2> netvet: tests/data/policy/typos.nvp:4:56: warning: rule TYPO-TAG: tag 'militray' names nothing in the model; did you mean tag military?
2> netvet: tests/data/policy/typos.nvp:4:79: warning: rule TYPO-TAG: country 'XZ' is not an ISO 3166 code

$ netvet check tests/data/policy/violates.json --policy tests/data/policy/typos.nvp --strict
? 2
! .
2> netvet: tests/data/policy/typos.nvp:2:32: error: rule TYPO: vendor 'Huawie' names nothing in the model; did you mean vendor huawei?

# The shipped packs fire on a model whose vendors only the built-in
# catalogue resolves (no entities in the model) ...
$ netvet check tests/data/check/catalogue-vendors.json --policy se-pts-2020 --policy eu-5g-toolbox --date 2030-01-01
? 1
~ ^SE-NEW-RAN \[error\]
>   - ran-4 by zte (standard) in ran at north
>   - network: 60.0% (6 of 10 assets) is over 50%
>   "ZTE Corporation" -> zte: catalogue 1.00
>   "Ericsson AB" -> ericsson: catalogue 1.00

# ... and on one whose vendors only a --list resolves: the listed party
# keeps the catalogue's short id, and the list's designation.
$ netvet check tests/data/check/listed-vendors.json --list examples/lists/national.csv --policy se-pts-2020 --policy uk-2020 --policy eu-5g-toolbox --date 2027-01-01
? 1
>   - ran-0 by huawei (high-risk) in ran at north
>   - network: 40.0% (4 of 10 assets) is over 35%
~ ^  "Huawei Tech\. Co" -> huawei: fuzzy 0\.9[0-9] \("Huawei Technologies Co\., Ltd\."\)$

$ netvet check tests/data/check/listed-vendors.json --list examples/lists/national.csv --policy uk-2020 --date 2027-01-01 --strict-vendors --json
? 0
~ "resolutions":\[\{"vendor":"Nokia","entity":"nokia","method":"catalogue","score":1,"matched":null\},\{"vendor":"Huawei Tech\. Co","entity":null,"method":"review",

# UK-SITES measures the ground as well as the network: a high-risk radio
# 300 m from a military site breaks it although it is two links away,
# one 20 km away does not, and one whose site has no coordinates is
# reported, not passed.
$ netvet check tests/data/policy/sites.json --policy uk-2020 --date 2027-01-01
? 1
>   - radio-300m by huawei (high-risk) in ran at mast-300m; 0.30 km from base
>   - radio-900m by huawei (high-risk) in ran at mast-900m; 0.90 km from base
>   - radio-unknown by huawei (high-risk) in ran at mast-unknown; distance unknown: mast-unknown has no coordinates
>   measured: 3 of 7 assets break it; 1 of them at a distance nobody can measure
! radio-1100m by
! radio-20km by
