# netvet screen: names against lists; JSON Lines; exit codes; bad input.

$ netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv "ZTE Corp" "Ericsson AB"
? 1
~ ^ZTE Corp +match +1\.00  ZTE Corporation \[fcc-covered\]$
~ why: zte corp aligned
~ ^Ericsson AB +none

$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv "ZTE Corp"
? 1
~ ^\{"netvet_version":"[0-9.]+","query":"ZTE Corp","match":\{"name":"ZTE Corporation","list":"fcc-covered","score":1,"matched":"ZTE Corporation","band":"match","parent":null,"owners":\[\],"designation":"prohibited","country":null,"citation":"March 12, 2021","lists":\[\{"list":"fcc-covered","name":"ZTE Corporation","programs":"telecommunications equipment; telecommunications or video surveillance services","license":null,"citation":"March 12, 2021","removed":null,"source":null\}\],"explain":"zte corp aligned"\},"also":\[\],"review":\[\]\}$

# One JSON object per input line, read from standard input.
$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv
< Nokia Oyj
< 华为
< Hytera Communications
? 1
~ ^\{"netvet_version":"[0-9.]+","query":"Nokia Oyj","match":null,"also":\[\],"review":\[\]\}$
~ ^\{"netvet_version":"[0-9.]+","query":"Hytera Communications","match":\{"name":"Hytera Communications Corporation"

# A subsidiary reports its ultimate parent; local designations win.
$ netvet screen --json --list $SHARED/data/lists/us-csl-2022/entity_list.csv --list examples/lists/national.csv "Beijing Huawei Longshine Information Technology"
? 1
~ "parent":"Huawei Technologies Co., Ltd. \(Huawei\)","owners":\["Huawei Technologies Co., Ltd. \(Huawei\)"\],"designation":"high-risk"

$ netvet screen --list $SHARED/data/lists/us-telecom/ndaa_section_889.csv "Acme Telecom" "Telefonaktiebolaget LM Ericsson"
? 0

# One result per row, with its row number and key.
$ netvet screen --list examples/lists/national.csv --csv tests/data/vendors/inventory.csv --column vendor
? 1
~ ^row 1: Huawei +match

$ netvet screen --json --list examples/lists/national.csv --csv tests/data/vendors/assets.csv --column maker --key asset
? 1
~ ^\{"netvet_version":"[0-9.]+","row":1,"key":"r1","query":"Ericsson AB","match":null,"also":\[\],"review":\[\]\}$
~ ^\{"netvet_version":"[0-9.]+","row":2,"key":"r2","query":"Huawei Technologies","match":\{"name":"Huawei Technologies Co., Ltd."
~ ^\{"netvet_version":"[0-9.]+","row":4,"key":"r4","query":"Huawei Technologies","match":\{
! "row":3

$ netvet screen --list examples/lists/national.csv --csv tests/data/vendors/assets.csv --column maker --key serial
? 2
2~ has no column 'serial'

# A company on several lists is one result naming every list.
$ netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --list $SHARED/data/lists/us-telecom/ndaa_section_889.csv "Huawei Technologies Co., Ltd."
? 1
~ on fcc-covered: Huawei Technologies Company; telecommunications equipment
~ on ndaa-889: Huawei Technologies Company; Section 889

# --fail-on review: names to review fail the run too.
$ netvet screen --list examples/lists/national.csv "Hikvision Digital"
? 0
~ review

$ netvet screen --fail-on review --list examples/lists/national.csv "Hikvision Digital"
? 1

$ netvet screen --fail-on maybe --list examples/lists/national.csv "Huawei"
? 2
2~ --fail-on takes match or review

# OpenSanctions entity export (FollowTheMoney JSON lines): names, aliases
# and Ownership; weak aliases are not matched.
$ netvet screen --json --list tests/data/lists/ftm.jsonl "HiSilicon Technologies" "HW"
? 1
~ ^\{"netvet_version":"[0-9.]+","query":"HiSilicon Technologies","match":\{"name":"HiSilicon Technologies Co., Ltd.","list":"opensanctions".*"owners":\["Huawei Technologies Co., Ltd."\]
~ ^\{"netvet_version":"[0-9.]+","query":"HW","match":null,"also":\[\],"review":\[\]\}$

$ netvet screen --list tests/data/lists/ftm-bad.jsonl "Huawei"
? 2
2> netvet: tests/data/lists/ftm-bad.jsonl:2:1: "schema" is missing

# An alias table gives listed parties their Chinese legal names.
$ netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --list data/screen/aliases-zh.csv 中兴通讯股份有限公司
? 1
~ ^中兴通讯股份有限公司 +match .*ZTE Corporation \[fcc-covered\]

# --since: only the names whose verdict changed from the old lists.
$ netvet screen --since tests/data/lists/old.csv --list tests/data/lists/new.csv "Acme Radio" "Huawei" "Dropped Systems" "Nokia"
? 1
> Acme Radio                           new: none -> match
> Dropped Systems                      gone: match -> none
! Huawei
! Nokia

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
~ must +vendor:ericsson \[c\], vendor:huawei \(high-risk\) \[a\], vendor:cetc \[b\], vendor:hikvision \(prohibited\) \[b\]
# Each string says how it was resolved: by list name, fuzzy, catalogue.
~ ^  "Huawei Tech\. Co" -> huawei: list 1\.00 \("Huawei Technologies Company"\)$
~ ^  "Hikvision Digital Technology" -> hikvision: fuzzy 0\.9[0-9] \("Hangzhou Hikvision Digital Technology Company"\)$
~ ^  "Ericsson AB" -> ericsson: catalogue 1\.00$

# --strict-vendors holds fuzzy matches for review: Hikvision is left
# unresolved, and says so.
$ netvet assess tests/data/vendors/screened.json --strict-vendors --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --list examples/lists/national.csv
? 1
~ \{"vendor":"Hikvision Digital Technology","entity":null,"method":"review","score":0\.9[0-9]*,"matched":"Hangzhou Hikvision Digital Technology Company"\}

# A company the §1260H file lists only in rows that have ended was
# removed: a review at most, which says so, with the date; --fail-on
# review still gates on it.
$ netvet screen --list $SHARED/data/lists/us-telecom/dod_1260h_chinese_military_companies.csv "Beijing Megvii Technology Co., Ltd."
? 0
~ ^Beijing Megvii Technology Co\., Ltd\. +review +1\.00 +Beijing Megvii Technology Co\., Ltd\. \[dod-1260h\]$
~ why: no longer listed: removed from dod-1260h on 2025-01-07, a review at most; beijing megvii tech co ltd aligned$
~ on dod-1260h: Beijing Megvii Technology Co\., Ltd\.; 2024-01-31; removed 2025-01-07$

$ netvet screen --fail-on review --json --list $SHARED/data/lists/us-telecom/dod_1260h_chinese_military_companies.csv "Beijing Megvii Technology Co., Ltd."
? 1
~ "match":null
~ "removed":"2025-01-07"

# A name that matches two listed companies names both: the best, and the
# other in "also matches" (JSON "also"), each with its own listings.
$ netvet screen --list $SHARED/data/lists/us-telecom/dod_1260h_chinese_military_companies.csv "John Holland Pty"
? 1
~ ^John Holland Pty +match +0\.9[0-9] +John Holland Group Pty Ltd\. \[dod-1260h\]$
~ ^ +also matches: John Holland Services Pty Ltd\. \[dod-1260h\] 0\.9[0-9]$

$ netvet screen --json --list $SHARED/data/lists/us-telecom/dod_1260h_chinese_military_companies.csv "John Holland Pty"
? 1
~ "also":\[\{"name":"John Holland Services Pty Ltd\.","list":"dod-1260h","score":0\.9[0-9]*,"matched":"John Holland Services Pty Ltd\.","band":"match",

# A name that spells out an acronym the list defines (§1260H: CETC) is
# read with the acronym, and says so.
$ netvet screen --list $SHARED/data/lists/us-telecom/dod_1260h_chinese_military_companies.csv "15th Research Institute of China Electronics Technology Group Corporation"
? 1
~ match +[01]\.[0-9]+ +15th Research Institute of CETC \[dod-1260h\]$
~ why: 15th research inst cetc aligned; a listed acronym read for its expansion$
