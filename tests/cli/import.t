# netvet import netbox: a small operator's NetBox (regions, four makers,
# a path through two patch panels, a provider circuit, a module and an
# inventory item) from saved pages and from a server on loopback.

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet import netbox --pages tests/data/netbox/netbox -o $T/nb.json && netvet inspect $T/nb.json
> 5 entities, 2 sites, 9 assets, 8 links, 0 flows, 0 partners
> network: 1 connected part, the largest with 9 assets
2> netvet: imported 4 devices at 2 sites, 4 links from cables, 1 circuits, 4 sub-assets
2> netvet: left out 1 devices by status and 2 passive ones (patch panels)

# The cable path core -> panel -> trunk -> panel -> aggregation is one link;
# the planned cable is none; the circuit joins the two sites.
$ netvet import netbox --quiet --pages tests/data/netbox/netbox
> {"a":"fra1-core-1","b":"fra1-agg-1"},
> {"a":"circuit/COLT-4711","b":"fra1-core-1"},
> {"a":"circuit/COLT-4711","b":"muc1-core-1"}],
~ "id":"circuit/COLT-4711","vendor":"Colt","model":"Wavelength","site":"fra1","layer":"transport"
~ "id":"fra1-core-1/0/0/1","kind":"device","vendor":"Huawei Technologies Co., Ltd.","model":"QSFP-100G-LR4"
~ "id":"fra1-agg-1/platform","kind":"software","vendor":"Huawei Technologies Co., Ltd.","model":"Huawei VRP"
~ "id":"fra1","name":"Frankfurt DC1","lat":50.1109,"lon":8.6821,"region":"Hesse","tags":\["datacentre","region:Hesse","region:Germany","region:Europe"\]
~ "id":"muc1-bbu-1",.*"layer":"ran","serial":"K9160123456"
! fra1-pp-1
! fra1-agg-2
! fan-tray

# assess and check read it; the Huawei optic in the Cisco core router is
# found by screening.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet import netbox --quiet --pages tests/data/netbox/netbox -o $T/nb.json && netvet assess $T/nb.json
~ ^0 critical flows, 9 assets

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet import netbox --quiet --pages tests/data/netbox/netbox -o $T/nb.json && netvet check $T/nb.json --policy uk-2020 --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv
? 1
~ fra1-core-1/0/0/1 by huawei \(prohibited\) in core at fra1

# The mapping file: roles to layers, statuses, region depth.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf 'layer aggregation core\nstatus active planned\nregion-depth 1\n' > $T/m.map && netvet import netbox --quiet --map $T/m.map --pages tests/data/netbox/netbox
~ "id":"fra1-agg-1",.*"layer":"core"
~ "id":"fra1-agg-2",
~ "id":"fra1","name":"Frankfurt DC1",.*"region":"Germany"

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf 'layer aggregation kernel\n' > $T/m.map && netvet import netbox --map $T/m.map --pages tests/data/netbox/netbox
? 2
! .
2~ ^netvet: .*/m.map:1:1: expected: layer ROLE LAYER \(a layer or skip\)$

# Nautobot 2.x: UUIDs, locations, depth=0 references looked up by url.
$ netvet import netbox --quiet --pages tests/data/netbox/nautobot
~ "id":"core-1","vendor":"Cisco","model":"ASR-9906","site":"fra1","layer":"core"
~ "id":"fra1","name":"fra1","lat":50.11,"lon":8.68,"region":"Germany"
> {"a":"core-1","b":"bbu-1"}],

# A malformed page: FILE:LINE:COL.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && mkdir -p $T/bad && printf '{"count": 1, "results": [{"id": 1}]}\n' > $T/bad/x.json && netvet import netbox --pages $T/bad
? 2
! .
2~ ^netvet: .*/bad/x.json:1:26: "url" is missing$

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && mkdir -p $T/empty && netvet import netbox --pages $T/empty
? 2
2~ ^netvet: .*/empty: no \*.json API pages$

$ netvet import netbox --url http://127.0.0.1:9
? 2
2> netvet: import: --url needs --token-file FILE

$ netvet import nautobox --pages x
? 2
2~ the source is 'netbox'

# Live: paging (2 results a request), a v1 token, two 429s then success;
# the model is the one the saved pages give.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf '0123456789abcdef0123456789abcdef01234567\n' > $T/tok && tests/netbox/live.sh --pages tests/data/netbox/netbox --auth 'Token 0123456789abcdef0123456789abcdef01234567' --flaky 2 -- netvet import netbox --quiet --url @URL@/ --token-file $T/tok --page-size 2 --retry-delay 1 -o $T/live.json && netvet import netbox --quiet --pages tests/data/netbox/netbox | cmp - $T/live.json && echo same
> same

# NetBox 4.5 v2 tokens go as Bearer.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf 'nbt_abc123.s3cr3tpart\n' > $T/tok2 && tests/netbox/live.sh --pages tests/data/netbox/netbox --auth 'Bearer nbt_abc123.s3cr3tpart' -- netvet import netbox --url @URL@ --token-file $T/tok2 -o $T/live2.json
2> netvet: imported 4 devices at 2 sites, 4 links from cables, 1 circuits, 4 sub-assets

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf 'nbt_nodot\n' > $T/tok3 && netvet import netbox --url http://127.0.0.1:9 --token-file $T/tok3
? 2
2~ ^netvet: .*/tok3: a NetBox v2 token is nbt_KEY.TOKEN

# A refused token: 401, clearly.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf '0123456789abcdef0123456789abcdef01234567\n' > $T/tok && tests/netbox/live.sh --pages tests/data/netbox/netbox --auth 'Token other' -- netvet import netbox --url @URL@ --token-file $T/tok -o $T/no.json
? 2
2~ ^netvet: http://127.0.0.1:[0-9]+/api/dcim/regions/\?limit=1000&offset=0: HTTP 401: the server refused the token
! .

# Too many 429s: the last status is reported.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf '0123456789abcdef0123456789abcdef01234567\n' > $T/tok && tests/netbox/live.sh --pages tests/data/netbox/netbox --auth 'Token 0123456789abcdef0123456789abcdef01234567' --flaky 100 -- netvet import netbox --url @URL@ --token-file $T/tok --retries 2 --retry-delay 1
? 2
2~ HTTP 429$

# A malformed page names the URL and the position in it.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf '0123456789abcdef0123456789abcdef01234567\n' > $T/tok && tests/netbox/live.sh --pages tests/data/netbox/netbox --auth 'Token 0123456789abcdef0123456789abcdef01234567' --malformed dcim/devices -- netvet import netbox --url @URL@ --token-file $T/tok --page-size 4
? 2
2~ ^netvet: http://127.0.0.1:[0-9]+/api/dcim/devices/\?limit=4&offset=4:1:[0-9]+: 

# Nautobot live: depth=1 asked for, locations.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && printf '0123456789abcdef0123456789abcdef01234567\n' > $T/tok && tests/netbox/live.sh --nautobot --pages tests/data/netbox/nautobot --auth 'Token 0123456789abcdef0123456789abcdef01234567' -- netvet import netbox --quiet --url @URL@ --token-file $T/tok
> {"a":"core-1","b":"bbu-1"}],
