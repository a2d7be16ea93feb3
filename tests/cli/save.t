# netvet save: one model file from several, as JSON, CSV or a binary
# snapshot; a snapshot reads back as the same model.

# The snapshot of the example gives the same assessment as its JSON.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet save examples/national/model.json --binary -o $T/m.nvs && netvet assess $T/m.nvs --json > $T/b; netvet assess examples/national/model.json --json > $T/a; cmp $T/a $T/b && echo same
> same

# And saved back as JSON it is the same model, byte for byte.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet save $SHARED/data/topologyzoo/graphml/Abilene.graphml tests/data/overlay --format binary -o $T/m.nvs && netvet save $T/m.nvs -o $T/b.json && netvet save $SHARED/data/topologyzoo/graphml/Abilene.graphml tests/data/overlay -o $T/a.json && cmp $T/a.json $T/b.json && echo same
> same

# merge is the same command under its older name.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet merge examples/spreadsheet --binary -o $T/m.nvs && netvet inspect $T/m.nvs
~ ^2 entities, 2 sites, 3 assets, 2 links, 2 flows

$ netvet save examples/spreadsheet --binary
? 2
2~ --format binary needs --output

$ netvet save examples/spreadsheet --format xml -o x
? 2
2~ --format is json, csv or binary

# A snapshot loads alone.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet save examples/spreadsheet --binary -o $T/m.nvs && netvet inspect $T/m.nvs tests/data/models/small.json
? 2
2~ m\.nvs: a binary snapshot is a whole model and loads alone

# A snapshot whose structure is broken is refused with the byte, and
# nothing is written.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet save examples/spreadsheet --binary -o $T/m.nvs && printf '\377' | dd of=$T/m.nvs bs=1 seek=$(($(wc -c < $T/m.nvs) - 3)) conv=notrunc 2>/dev/null && netvet save $T/m.nvs -o $T/out.json; s=$?; test ! -e $T/out.json && exit $s
? 2
2~ m\.nvs: byte [0-9]+: a string is not UTF-8$

# Damage the structure cannot show (a changed letter) is found by the
# checksum, which --verify checks.
$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet save examples/spreadsheet --binary -o $T/m.nvs && printf 'x' | dd of=$T/m.nvs bs=1 seek=$(($(wc -c < $T/m.nvs) - 3)) conv=notrunc 2>/dev/null && netvet inspect $T/m.nvs > /dev/null && echo loads && netvet inspect --verify $T/m.nvs
? 2
> loads
2~ m\.nvs: byte 0: damaged: the checksum does not match$

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet save examples/spreadsheet --binary -o $T/m.nvs && truncate -s -8 $T/m.nvs && netvet assess $T/m.nvs
? 2
2~ byte 0: truncated or extended

$ netvet save examples/spreadsheet --binary -o /nonexistent/m.nvs
? 3
2~ ^netvet: /nonexistent/m.nvs: cannot create
