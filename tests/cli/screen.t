# netvet screen: names against lists; JSON Lines; exit codes; bad input.

$ netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv "ZTE Corp" "Ericsson AB"
? 1
~ ^ZTE Corp +match +1\.00  ZTE Corporation \[fcc-covered\]$
~ why: zte corp aligned
~ ^Ericsson AB +none

$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv "ZTE Corp"
? 1
> {"query":"ZTE Corp","match":{"name":"ZTE Corporation","list":"fcc-covered","score":1,"matched":"ZTE Corporation","band":"match","parent":null,"designation":"prohibited","country":null,"citation":"March 12, 2021","explain":"zte corp aligned"},"review":[]}

# One JSON object per input line, read from standard input.
$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv
< Nokia Oyj
< 华为
< Hytera Communications
? 1
~ ^\{"query":"Nokia Oyj","match":null,"review":\[\]\}$
~ ^\{"query":"Hytera Communications","match":\{"name":"Hytera Communications Corporation"

# A subsidiary reports its ultimate parent; local designations win.
$ netvet screen --json --list $SHARED/data/lists/us-csl-2022/entity_list.csv --list examples/lists/national.csv "Beijing Huawei Longshine Information Technology"
? 1
~ "parent":"Huawei Technologies Co., Ltd. \(Huawei\)","designation":"high-risk"

$ netvet screen --list $SHARED/data/lists/us-telecom/ndaa_section_889.csv "Acme Telecom" "Telefonaktiebolaget LM Ericsson"
? 0

$ netvet screen --list examples/lists/national.csv --csv tests/data/vendors/inventory.csv --column vendor
? 1
~ ^Huawei +match

$ netvet screen --list examples/lists/national.csv --csv tests/data/vendors/inventory.csv --column maker
? 2
2~ has no column 'maker'

$ netvet screen "Huawei"
? 2
2~ name at least one --list FILE

$ netvet screen --list README.md "Huawei"
? 2
! .
2~ ^netvet: README.md:1:1: not a list format netvet reads

$ netvet screen --list tests/data/bad/designation.csv "Huawei"
? 2
2> netvet: tests/data/bad/designation.csv:2:8: unknown designation 'dangerous' (trusted, standard, high-risk or prohibited)

# Screening plugs into the model: unresolved vendors become listed
# entities with their designation.
$ netvet inspect tests/data/models/small.json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv
~ ^  huawei +Huawei Technologies Co., Ltd\. +high-risk +1$
> unresolved vendor strings (1 assets; not trusted)

$ netvet assess tests/data/vendors/screened.json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --list examples/lists/national.csv
? 1
~ must +vendor:ericsson, vendor:huawei \(high-risk\), vendor:cetc, vendor:hikvision \(prohibited\)
# Each string says how it was resolved: by list name, fuzzy, catalogue.
~ ^  "Huawei Tech\. Co" -> huawei: list 1\.00 \("Huawei Technologies Company"\)$
~ ^  "Hikvision Digital Technology" -> hikvision: fuzzy 0\.9[0-9] \("Hangzhou Hikvision Digital Technology Company"\)$
~ ^  "Ericsson AB" -> ericsson: catalogue 1\.00$

# --strict-vendors holds fuzzy matches for review: Hikvision is left
# unresolved, and says so.
$ netvet assess tests/data/vendors/screened.json --strict-vendors --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --list examples/lists/national.csv
? 1
~ \{"vendor":"Hikvision Digital Technology","entity":null,"method":"review","score":0\.9[0-9]*,"matched":"Hangzhou Hikvision Digital Technology Company"\}
