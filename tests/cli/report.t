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
~ <tr><td class="num">1</td><td>&lt;img src=x&gt;</td><td>secret</td>
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
# end with a count of the rest and how to get them all.
$ d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; netvet synth --ran-sites 3200 --flows 300 -o "$d/m.json" && netvet report "$d/m.json" -o "$d/r.html" && grep -c 'class="site"' "$d/r.html"; grep -c 'class="cell"' "$d/r.html" | awk '{print ($1 > 50)}'; grep -o 'more rows are not shown; <code>netvet assess --json</code>' "$d/r.html"
> 0
> 1
> more rows are not shown; <code>netvet assess --json</code>

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
