# netvet report: one self-contained HTML file.  Each case writes into a
# fresh directory $d, removed when the case ends.

# The example's report: one map mark per site (its 486 sites all have
# coordinates), every section, nothing fetched from elsewhere, and no
# temporary file left beside it.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report examples/national/model.json --policy uk-2020 --wargame vendor:huawei -o "$d/r.html"; echo "exit $?"; grep -o 'class="site"' "$d/r.html" | wc -l; grep -ciE '(src|href)=.?(https?:)?//' "$d/r.html"; grep -o '<h2 id="[a-z]*"' "$d/r.html" | tr '\n' ' '; echo; ls "$d"
> exit 0
> 486
> 0
> <h2 id="map" <h2 id="score" <h2 id="flows" <h2 id="violations" <h2 id="release" <h2 id="shares" 
> r.html

# The numbers are those of the other commands (check's risk score,
# concentration's HHI, wargame's blast radius).
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report examples/national/model.json --vendor huawei -o "$d/r.html" && cat "$d/r.html"
~ <b>640\.5</b> for the network: 623\.4 from the critical flows and 17\.1
~ <td>core</td><td class="num">50</td><td class="num">2,832</td>
~ it could read 26 of 80 critical flows, .* 27 sites serving 81,338 people
~ <table class="sortable"><thead><tr><th class="num">rank</th><th>sector</th>
~ @media print
! <h2 id="violations"

# Every string of the model is escaped; sites without coordinates are not
# drawn (2 of 3 here).
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/report-escape.json --designation high-risk -o "$d/r.html"; grep -o 'class="site"' "$d/r.html" | wc -l; grep -c '<script' "$d/r.html"; grep -cE '<(img|b>Tech|i>)' "$d/r.html"; cat "$d/r.html"
> 2
> 1
> 0
~ <title>&lt;script&gt;alert\(1\)&lt;/script&gt;, R&amp;D &quot;east&quot; \(S1\)
~ <tr data-flow="f&lt;i&gt;1&lt;/i&gt;" data-sector="&lt;img src=x&gt;" data-class="secret"><td class="num">1</td><td>&lt;img src=x&gt;</td><td>secret</td>
~ <td><code>f&lt;i&gt;1&lt;/i&gt;</code></td>
~ Koblenz &#39;HQ&#39;

# A model without coordinates still gets a report, without a map.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/clean.json -o "$d/r.html" && grep -c 'class="site"' "$d/r.html"; grep -o 'No site has coordinates' "$d/r.html"
> 0
> No site has coordinates

# Bad input: exit status 2, one precise line, and nothing written (an
# earlier report stays as it was).
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; echo old > "$d/r.html"; netvet report tests/data/bad/bad-layer.json -o "$d/r.html"; s=$?; ls "$d"; cat "$d/r.html"; exit $s
? 2
> r.html
> old
2> netvet: tests/data/bad/bad-layer.json:2:34: asset field 'layer': unknown value (expected one of: core, ran, transport, edge, management, oss, endpoint)

$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/small.json --policy tests/data/bad/policy.nvp -o "$d/r.html"; s=$?; ls -A "$d"; exit $s
? 2
! .
2~ ^netvet: tests/data/bad/policy\.nvp:3:29: expected a layer

$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/small.json --wargame vendor:samsung -o "$d/r.html"; s=$?; ls -A "$d"; exit $s
? 2
! .
2> netvet: report: no group 'vendor:samsung': no asset of the model belongs to it

$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/small.json --wargame vendor:huawei --country CN -o "$d/r.html"; s=$?; ls -A "$d"; exit $s
? 2
! .
2> netvet: report: name only one group

$ netvet report tests/data/models/small.json --date 2028 -o /nonexistent/r.html
? 2
2> netvet: report: --date is YYYY-MM-DD

$ netvet report tests/data/models/small.json
? 2
2> netvet: report: name the report file with -o FILE

$ netvet report -o r.html
? 2
2> netvet: report: name at least one MODEL file

# An output that cannot be written is an internal failure (3).
$ netvet report tests/data/models/small.json -o /nonexistent/r.html
? 3
2> netvet: /nonexistent/r.html: cannot create: No such file or directory

$ netvet report --help
~ ^usage: netvet report \[OPTIONS\] MODEL\.\.\.
~ netvet report examples/national/model.json --policy uk-2020
~ --wargame GROUP

# The first page: the title, who it is for and the marking (escaped), the
# marking in a band at the top and one at the bottom of every page, and a
# summary that says what is wrong and what to do first, in names.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report examples/national/model.json --policy uk-2020 --date 2026-12-01 --title 'Risk <review>' --organisation 'A & B' --marking OFFICIAL-SENSITIVE -o "$d/r.html" && grep -c 'class="marking' "$d/r.html"; cat "$d/r.html"
> 2
~ <title>Risk &lt;review&gt;</title>
~ <div class="marking top">OFFICIAL-SENSITIVE</div>
~ <div class="marking bottom">OFFICIAL-SENSITIVE</div>
~ <h1>Risk &lt;review&gt;</h1><p><b>A &amp; B</b></p><p>1 December 2026 &middot; <b>OFFICIAL-SENSITIVE</b></p>
~ <h3>What is wrong: 3 of 5 rules broken</h3>
~ UK-2027</b> .* in force from <span class="later">1 January 2028</span>; <span class="bad">212 items</span> still break it
~ <h3>What to do first</h3>
~ Replace the <b>ZTE Corporation site gateway at power site 4 \(Norden\)</b>: alone it carries <span class="bad">8 critical flows</span>

# At national scale (more than 3,000 sites with coordinates) the map
# draws grid cells and corridors, not one mark a site, and long tables
# end with a count of the rest and how to get them all.  The routes of
# the flows the table lists (and of no others) are drawn, hidden until
# one is picked.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet synth --ran-sites 3200 --flows 300 -o "$d/m.json" && netvet report "$d/m.json" -o "$d/r.html" && grep -c 'class="site"' "$d/r.html"; grep -c 'class="cell"' "$d/r.html" | awk '{print ($1 > 50)}'; grep -o 'more rows are not shown; <code>netvet assess --json</code>' "$d/r.html"; grep -o '<polyline class="flow route" data-flow="[^"]*"' "$d/r.html" | cut -d'"' -f4 | sort > "$d/routes"; grep -o '<tr data-flow="[^"]*"' "$d/r.html" | cut -d'"' -f2 | sort > "$d/rows"; wc -l < "$d/routes"; comm -23 "$d/routes" "$d/rows" | wc -l
> 0
> 1
> more rows are not shown; <code>netvet assess --json</code>
> 200
> 0

# A marking cannot break out of the page: it is escaped as text in the
# bands and as a CSS string in the print margins.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/small.json --marking '"}</style><script>x' -o "$d/r.html" && grep -c '<script' "$d/r.html"; grep -o '@top-center{content:"[^"]*"' "$d/r.html"; grep -o '<div class="marking top">[^/]*' "$d/r.html"
> 1
> @top-center{content:"\22 \7d \3c \2f style\3e \3c script\3e x"
> <div class="marking top">&quot;}&lt;

# --pdf without Chromium: the HTML report is written, the PDF is not, and
# netvet says what to install (exit status 3).
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; NETVET_CHROMIUM=/nonexistent/chromium netvet report tests/data/models/small.json -o "$d/r.html" --pdf "$d/r.pdf"; s=$?; ls "$d"; exit $s
? 3
> r.html
2> netvet: report: --pdf needs Chromium at /nonexistent/chromium (apt-get install chromium); the HTML report is written

# Recommended actions: the replacement plan of the policy's rules.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet report examples/national/model.json --policy uk-2020 --date 2026-06-01 --plan -o "$d/r.html" && grep -o '<h2 id="actions">Recommended actions</h2>\|<a href="#actions">\|the cheapest plan (proven optimal), cost 13985000\|<td>2026</td><td>dc-3-amf</td><td>core</td>' "$d/r.html" | sort -u
> <h2 id="actions">Recommended actions</h2>
> <a href="#actions">
> the cheapest plan (proven optimal), cost 13985000
> <td>2026</td><td>dc-3-amf</td><td>core</td>

$ netvet report examples/national/model.json --plan -o never.html
? 2
2~ --plan needs --policy

# The plan's costs from a costs file, as `netvet plan --costs` reads it:
# the AMF named at 1 instead of its 250,000.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && printf 'asset,kind,layer,cost\ndc-3-amf,,,1\n' > "$d/c.csv" && netvet report examples/national/model.json --policy uk-2020 --date 2026-06-01 --plan --costs "$d/c.csv" -o "$d/r.html" && grep -o 'the cheapest plan (proven optimal), cost [0-9]*' "$d/r.html"
> the cheapest plan (proven optimal), cost 13735001

$ netvet report examples/national/model.json --costs costs.csv -o never.html
? 2
2~ --costs needs --plan

# The vendor margin of the critical flows, as `assess --margin` counts it
# (68 flows a single supplier could cut, 12 that take two); partners by
# the classes they may not receive; rules broken once say so; vendor
# shares by name, ids in the tooltips.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet assess --margin examples/national/model.json | grep '^  vendor  '; netvet report examples/national/model.json --policy uk-2020 --date 2026-12-01 -o "$d/r.html" && cat "$d/r.html"
~ ^  vendor    1: 68      2: 12      3: 0 
~ <p id="margin"><b>Vendor margin:</b> of the 80 critical flows, <span class="bad">68</span> have a margin of 1: a single supplier, trusted or not, can cut them, and read them unless they are encrypted end to end; 12 have a margin of 2: two suppliers together can\.</p>
~ <b>United States</b>: top-secret, secret and confidential may not be sent over <span class="bad">any of its 9 channels</span>; everything else may be
~ <b>NATO</b>: top-secret may not be sent over <span class="bad">any of its 2 channels</span>;
~ UK-SECRET</b> .*<span class="bad">broken once</span>, for example defence:
~ title="Huawei Technologies Co\., Ltd\. \(huawei\) 16%">Huawei Technologies Co\., Ltd\.</span>
~ <span class="vendor" title="zte">ZTE Corporation</span> \(high-risk\)
! <span[^>]*>huawei</span>
~ <p id="changes"><b>What changed:</b> no earlier version of the network was given to compare with, so this report cannot say which release decisions changed\.</p>

# What changed since an earlier version: there, two aggregation routers
# on NATO's failover routes were Nokia's; now they are Huawei's and
# ZTE's, and top-secret may no longer go to NATO over its two defence
# channels (between the same two sites: one line).  The other way round,
# what was denied is allowed.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; sed -E 's/^(\{"id":"agg-(42|28)-b","kind":"device","vendor":)"[^"]*"/\1"Nokia"/' examples/national/model.json > "$d/before.json"; netvet report examples/national/model.json --policy uk-2020 --date 2026-12-01 --baseline "$d/before.json" -o "$d/now.html" && netvet report "$d/before.json" --policy uk-2020 --date 2026-12-01 --baseline examples/national/model.json -o "$d/back.html" && cat "$d/now.html" "$d/back.html" | sed "s#$d#D#g"
~ <p id="changes"><b>What changed:</b> compared with the version in D/before\.json, 2 release decisions changed:</p><ul>
~ <li title="defence-4: vendor:huawei at failover;[^"]*"><b>top-secret</b> to <b>NATO</b> over 2 channels, defence: defence site 2 \(Koblenz\) to defence site 3 \(Saarbruecken\): was allowed, now <span class="bad">denied</span>, because Huawei Technologies Co\., Ltd\. is now on its route when one link or box fails \(the channel is encrypted end to end\)\.</li>
~ compared with the version in examples/national/model\.json, 2 release decisions changed:
~ <b>top-secret</b> to <b>NATO</b> over 2 channels, defence: .*: was denied, now <span class="good">allowed</span>, because Huawei Technologies Co\., Ltd\. is now on some path of the channel
! compared with .*no release decision changed

# With --store and no --baseline, the earlier version is the store's
# newest snapshot that is not the model itself; a store holding only
# the model has none to compare with.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; sed -E 's/^(\{"id":"agg-(42|28)-b","kind":"device","vendor":)"[^"]*"/\1"Nokia"/' examples/national/model.json > "$d/before.json"; netvet store init "$d/h.db" >/dev/null && netvet store add "$d/h.db" examples/national/model.json --message today >/dev/null && netvet report examples/national/model.json --policy uk-2020 --date 2026-12-01 --store "$d/h.db" -o "$d/one.html" && netvet store add "$d/h.db" "$d/before.json" --message 'last year' >/dev/null && netvet report examples/national/model.json --policy uk-2020 --date 2026-12-01 --store "$d/h.db" -o "$d/two.html" && grep -ho '<p id="changes">.*changed[.:]' "$d/one.html" "$d/two.html" | sed -E "s#$d#D#g; s/[0-9a-f]{12} of/ID of/; s/added [0-9-]{10}/added DAY/"
> <p id="changes"><b>What changed:</b> no earlier version of the network was given to compare with, so this report cannot say which release decisions changed.
> <p id="changes"><b>What changed:</b> compared with snapshot ID of D/h.db, added DAY (last year), 2 release decisions changed:

$ netvet report examples/national/model.json --baseline examples/national/model.json -o never.html
? 2
2~ --baseline needs --policy

$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet report tests/data/models/small.json --policy uk-2020 --baseline tests/data/bad/bad-layer.json -o "$d/r.html"; s=$?; ls -A "$d"; exit $s
? 2
! .
2> netvet: tests/data/bad/bad-layer.json:2:34: asset field 'layer': unknown value (expected one of: core, ran, transport, edge, management, oss, endpoint)

# With --plan, what to do first is the plan's first year: how many
# assets, the first by name, the cost, the rules that then hold and the
# risk score after.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet report examples/national/model.json --policy uk-2020 --date 2026-06-01 --plan -o "$d/r.html" && cat "$d/r.html"
~ ^<p>The replacement plan \(Recommended actions, below\) makes every error rule of the policy hold on its date: <b>221 assets</b> of high-risk or prohibited vendors from 2026 to 2027, at a cost of <b>13,985,000</b> \(the risk score is 640\.5 today\)
~ <li>In <b>2026</b>, replace <b>221 assets</b> at a cost of <b>13,985,000</b>: <span title="[a-z0-9-]+">the Huawei Technologies Co\., Ltd\. site gateway at defence site 1 \(Saarbruecken\)</span>, .* and 216 more\.  After 2026, .*\(UK-CORE\).*\(UK-2027\).* hold; the risk score is then 46\.7\.</li>
! Replace the <b>
