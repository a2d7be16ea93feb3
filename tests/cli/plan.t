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
