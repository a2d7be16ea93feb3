# netvet plan: a phased plan, the least budget, the change set that
# check --proposed confirms, bad input.

$ netvet plan examples/national/model.json --policy uk-2020 --from 2025 --budget-per-year 4665000
? 0
> 221 candidate assets of high-risk or prohibited groups; years 2025 to 2027; budget 4665000 per year
> the cheapest plan (proven optimal by integer programming): 13985000
~ ^2025: [0-9]+ assets, cost [0-9]+, score after
~ ^  rules that hold from now on: UK-CORE UK-SITES UK-SECRET$
~ ^2027: [0-9]+ assets, cost [0-9]+, score after 46\.7$
~ ^  rules that hold from now on: UK-2027$
~ ^    dc-3-amf +core +dc-3 +huawei +-> nokia

# Too little per year: the least budget that can do it, with its proven
# lower bound.
$ netvet plan examples/national/model.json --policy uk-2020 --from 2025 --budget-per-year 4600000
? 1
> NOT MET: a budget of 4600000 per year is not enough; the goal needs at least 4661667 per year, and 4670000 does

# The plan as a change set: check --proposed breaks nothing and fixes
# every violation of the removal deadline's year.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet plan examples/national/model.json --policy uk-2020 --from 2025 --budget-per-year 5000000 -o "$d/c.json" >/dev/null && netvet check examples/national/model.json --policy uk-2020 --date 2028-01-01 --proposed "$d/c.json"
? 0
~ ^proposed change .*c\.json, checked on 2028-01-01:$
>   would break: nothing
~ ^    UK-2027: ran-0-gnb by huawei
~ ^    UK-SECRET: defence-6

# Everything the whole change set fixes: no error rule is left broken.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet plan examples/national/model.json --policy uk-2020 --from 2025 -o "$d/c.json" >/dev/null && netvet check examples/national/model.json --policy uk-2020 --date 2028-01-01 --proposed "$d/c.json" --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["break"]), len(d["fix"]))'
> 0 228

$ netvet plan examples/national/model.json --policy uk-2020 --from 2025 --json
~ ^\{"netvet_version":"[0-9.]+","status":"optimal","exact":true,"candidates":221,"first":2025,"last":2027,"cost":13985000,

# Only the rules: no route goal.
$ netvet plan tests/data/policy/violates.json --policy uk-2020 --from 2030 --goal rules
~ ^the cheapest plan \(proven optimal by integer programming\)

$ netvet plan examples/national/model.json --policy uk-2020 --from 2030 --until 2029
? 2
2~ --until is before --from

$ netvet plan examples/national/model.json --policy uk-2020 --budget-per-year lots
? 2
2~ --budget-per-year is a positive number

$ netvet plan examples/national/model.json --policy uk-2020 --goal everything
? 2
2~ --goal is rules or rules\+routes

# Costs from a file: the row naming an asset beats its own cost, which
# beats the rows of its layer (docs/formats.md).
$ netvet plan examples/national/model.json --policy uk-2020 --from 2025 --costs tests/data/plan/costs.csv
? 0
> the cheapest plan (proven optimal by integer programming): 13970000
~ ^    crit-0-gw +endpoint +crit-0 +huawei +-> cisco +5000 
~ ^    crit-12-gw +endpoint +crit-12 +zte +-> cisco +20000 

$ netvet plan examples/national/model.json --policy uk-2020 --costs tests/data/plan/costs-bad-layer.csv
? 2
2> netvet: tests/data/plan/costs-bad-layer.csv:3:3: unknown layer "rna"

$ netvet plan examples/national/model.json --policy uk-2020 --costs tests/data/plan/costs-bad-asset.csv
? 2
2> netvet: tests/data/plan/costs-bad-asset.csv:3:1: no asset "no-such-asset" in the model

$ netvet plan examples/national/model.json --policy uk-2020 --costs tests/data/plan/no-such-file.csv
? 2
2~ no-such-file\.csv

# Replacements get vendors the region lacks: the plan of uk-2020 leaves
# no region of the radio network with a single vendor where it had two
# (eu-5g-toolbox's SM05-RAN, a warning) and fixes those it can.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet plan examples/national/model.json --policy uk-2020 --policy eu-5g-toolbox --from 2025 -o "$d/c.json" >/dev/null && netvet check examples/national/model.json --policy uk-2020 --policy eu-5g-toolbox --date 2028-01-01 --proposed "$d/c.json" --json | python3 -c 'import json, sys; d = json.load(sys.stdin); print([sum(v["rule"] == "SM05-RAN" for v in d[k]) for k in ("break", "fix")])'
> [0, 14]

# A require vendors error rule that no replacement can meet: a region
# whose radio network is one high-risk asset.
$ netvet plan examples/national/model.json --policy uk-2020 --policy tests/data/plan/diversity.nvp --from 2025
? 1
> NOT MET: DIV cannot be met by replacing vendors: Aachen: 1 vendor; replacing can add at most 0
