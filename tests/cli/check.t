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
