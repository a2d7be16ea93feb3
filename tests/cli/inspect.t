# netvet inspect: summaries, and one clear error per kind of bad input,
# with nothing on standard output.

$ netvet inspect tests/data/models/small.json
> 4 entities, 3 sites, 6 assets, 6 links, 2 flows, 1 partners
~ ^  huawei +Huawei Technologies Co., Ltd. +high-risk +1$
~ ^  hisilicon .* high-risk +1$
> unresolved vendor strings (1 assets; not trusted)
> network: 1 connected part, the largest with 6 assets

$ netvet inspect --json tests/data/models/small.json
~ "unresolved": \[$
~ "vendor": "Acme Radio GmbH",
~ "largest_component": 6,

$ netvet inspect tests/data/models/x-field.json
> 0 entities, 0 sites, 1 assets, 0 links, 0 flows, 0 partners

# Several files make one model; a field given twice must agree.
$ netvet inspect tests/data/bad/merge-a.json tests/data/models/merge-c.json
> 1 entities, 0 sites, 1 assets, 0 links, 0 flows, 0 partners

$ netvet inspect tests/data/bad/merge-a.json tests/data/bad/merge-b.json
? 2
! .
2> netvet: tests/data/bad/merge-b.json:2:13: asset 'a': field 'vendor' disagrees with its definition in tests/data/bad/merge-a.json

$ netvet inspect tests/data/bad/dup-id.json
? 2
! .
2> netvet: tests/data/bad/dup-id.json:4:3: duplicate asset id 'a' (first at line 3)

$ netvet inspect tests/data/bad/unknown-asset.json
? 2
! .
2> netvet: tests/data/bad/unknown-asset.json:4:19: unknown asset 'ghost'

$ netvet inspect tests/data/bad/negative-cost.json
? 2
2> netvet: tests/data/bad/negative-cost.json:3:41: link field 'cost': expected a positive number in range [1e-09, 1e+09]

$ netvet inspect tests/data/bad/text-cost.json
? 2
2~ ^netvet: tests/data/bad/text-cost.json:3:41: link field 'cost': expected a number

$ netvet inspect tests/data/bad/bad-layer.json
? 2
2> netvet: tests/data/bad/bad-layer.json:2:34: asset field 'layer': unknown value (expected one of: core, ran, transport, edge, management, oss, endpoint)

$ netvet inspect tests/data/bad/unknown-field.json
? 2
2> netvet: tests/data/bad/unknown-field.json:2:42: unknown asset field 'colour'

$ netvet inspect tests/data/bad/truncated.json
? 2
! .
2> netvet: tests/data/bad/truncated.json:3:1: malformed JSON: parse error: premature EOF

$ netvet inspect tests/data/bad/bad-utf8.json
? 2
2~ ^netvet: tests/data/bad/bad-utf8.json:2:[0-9]+: malformed JSON: lexical error: invalid bytes in UTF8 string

$ netvet inspect tests/data/bad/absurd-population.json
? 2
2~ ^netvet: tests/data/bad/absurd-population.json:2:38: site field 'population'

$ netvet inspect tests/data/bad/version.json
? 2
2> netvet: tests/data/bad/version.json:1:12: unsupported model version (expected 1)

$ netvet inspect tests/data/bad/no-version.json
? 2
2> netvet: tests/data/bad/no-version.json:1:1: not a netvet model: no "netvet": 1

$ netvet inspect tests/data/bad/entity-cycle.json
? 2
2> netvet: tests/data/bad/entity-cycle.json:2:15: entity 'a' is its own ancestor

$ netvet inspect tests/data/bad/bad-path.json
? 2
2> netvet: tests/data/bad/bad-path.json:5:12: flow 'f': path uses a link that does not exist

$ netvet inspect tests/data/bad/csv-bad
? 2
! .
2> netvet: tests/data/bad/csv-bad/assets.csv:3:4: quoted field is never closed

$ netvet inspect tests/data/bad/csv-cols
? 2
2> netvet: tests/data/bad/csv-cols/assets.csv:1:10: unknown asset column 'weight'

$ netvet inspect tests/data/bad/csv-count
? 2
2> netvet: tests/data/bad/csv-count/assets.csv:3:1: 3 fields, but the header has 2

$ netvet inspect tests/data/bad/edge-ghost.graphml
? 2
2> netvet: tests/data/bad/edge-ghost.graphml:4:1: unknown asset 'b'

$ netvet inspect tests/data/bad/malformed.graphml
? 2
2> netvet: tests/data/bad/malformed.graphml:4:3: malformed GraphML: mismatched tag

$ netvet inspect tests/data/bad/laughs.graphml
? 2
2~ ^netvet: tests/data/bad/laughs.graphml:3:[0-9]+: malformed GraphML: limit on input amplification

$ netvet inspect tests/data/bad/cdx-old.json
? 2
2> netvet: tests/data/bad/cdx-old.json:1:1: expected a CycloneDX 1.5 or 1.6 document

$ netvet inspect /nonexistent/model.json
? 2
2> netvet: /nonexistent/model.json: cannot open: No such file or directory

$ netvet inspect tests/data
? 2
2~ ^netvet: tests/data: no sites.csv

$ netvet inspect
? 2
2~ name at least one MODEL

$ netvet inspect $SHARED/data/sndlib/abilene.json
> 0 entities, 12 sites, 12 assets, 15 links, 132 flows, 0 partners

$ netvet inspect $SHARED/data/topologyzoo/graphml/Kdl.graphml
~ , 754 assets,

$ netvet inspect README.md
? 2
! .
2> netvet: README.md:1:1: unknown format: expected a JSON model or SBOM, a .graphml topology or a CSV bundle directory

# An entities file on its own resolves the vendors of another file.
$ netvet inspect tests/data/vendors/entities.csv tests/data/models/small.json
? 2
2~ entity 'huawei': field 'aliases' disagrees

$ netvet inspect tests/data/vendors/entities.csv tests/data/bad/merge-b.json
> 3 entities, 0 sites, 1 assets, 0 links, 0 flows, 0 partners
~ ^  huawei +Huawei Technologies Co., Ltd. +high-risk +1$

$ netvet inspect tests/data/bad/csv-bad/assets.csv
? 2
2> netvet: tests/data/bad/csv-bad/assets.csv:3:4: quoted field is never closed

$ netvet inspect tests/data/vendors/inventory.csv
? 2
2~ a CSV file is named after its table

# Spreadsheet exports: ';' told by the header, any case, TRUE, trailing
# empty columns and empty rows, a byte-order mark and CRLF.
$ netvet inspect examples/spreadsheet
> 2 entities, 2 sites, 3 assets, 2 links, 2 flows, 0 partners
~ ^  huawei +Huawei Technologies Co., Ltd. +high-risk +1$

$ netvet inspect tests/data/bad/pipe
? 2
! .
2> netvet: tests/data/bad/pipe/sites.csv:1:1: unknown site column 'id|name|region' (the whole header is one column: are the columns separated by ',', ';' or a tab?)

$ netvet inspect tests/data/bad/cp1252
? 2
! .
2> netvet: tests/data/bad/cp1252/sites.csv:2:7: text is not valid UTF-8 (byte 0xFC): a Windows-1252 export? save as "CSV UTF-8" or convert it with iconv -f WINDOWS-1252 -t UTF-8

# A topology and an inventory: what the topology only inferred (layer,
# model "router", region from the country) gives way, reported; a row
# need not repeat what the topology gave (node 2 has no layer).
$ netvet inspect $SHARED/data/topologyzoo/graphml/Abilene.graphml tests/data/overlay
> 3 entities, 11 sites, 11 assets, 14 links, 0 flows, 0 partners
> fields given over what an earlier file only inferred: 6
~ ^  asset '0' layer: inferred by .*Abilene.graphml, given by tests/data/overlay/assets.csv$
~ ^  site '1' region: inferred by .*Abilene.graphml, given by tests/data/overlay/sites.csv$
~ ^  core +2$

$ netvet inspect tests/data/overlay $SHARED/data/topologyzoo/graphml/Abilene.graphml
~ ^  core +2$
! inferred

$ netvet inspect --json $SHARED/data/topologyzoo/graphml/Abilene.graphml tests/data/overlay
~ "field": "layer",
~ "given_by": "tests/data/overlay/assets.csv"

# A field both files state must still agree.
$ netvet inspect $SHARED/data/topologyzoo/graphml/Abilene.graphml tests/data/overlay tests/data/bad/overlay-conflict.json
? 2
2~ ^netvet: tests/data/bad/overlay-conflict.json:2:13: asset '0': field 'layer' disagrees with its definition in 

$ netvet inspect tests/data/overlay
? 2
2> netvet: tests/data/overlay/assets.csv:4:1: asset is missing the field 'layer'

# merge writes the merged model as one native file.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet merge $SHARED/data/topologyzoo/graphml/Abilene.graphml tests/data/overlay -o $T/m.json && netvet inspect $T/m.json
> 3 entities, 11 sites, 11 assets, 14 links, 0 flows, 0 partners
~ ^  core +2$

$ netvet merge $SHARED/data/topologyzoo/graphml/Abilene.graphml > /dev/full
? 3
2> netvet: standard output: cannot write the output: No space left on device

$ netvet merge $SHARED/data/topologyzoo/graphml/Abilene.graphml -o /nonexistent/m.json
? 3
2~ ^netvet: /nonexistent/m.json: cannot create

$ netvet import netbox --quiet --pages tests/data/netbox/netbox > /dev/full
? 3
2> netvet: standard output: cannot write the output: No space left on device
