# Every subcommand: output that cannot be written (a full disk, a missing
# directory) is exit status 3 with the path and the reason; never a
# silent success, never a position from nowhere.

$ netvet assess examples/spreadsheet > /dev/full
? 3
2> netvet: standard output: cannot write: No space left on device

$ netvet assess --json examples/spreadsheet > /dev/full
? 3
2> netvet: standard output: cannot write the output: No space left on device

$ netvet check examples/spreadsheet --policy uk-2020 > /dev/full
? 3
2> netvet: standard output: cannot write: No space left on device

$ netvet check --json examples/spreadsheet --policy uk-2020 > /dev/full
? 3
2> netvet: standard output: cannot write the output: No space left on device

$ netvet concentration examples/spreadsheet > /dev/full
? 3
2> netvet: standard output: cannot write: No space left on device

$ netvet concentration --json examples/spreadsheet > /dev/full
? 3

$ netvet inspect examples/spreadsheet > /dev/full
? 3

$ netvet inspect --json examples/spreadsheet > /dev/full
? 3

$ netvet import netbox --pages tests/data/netbox/netbox > /dev/full
? 3

$ netvet import netbox --pages tests/data/netbox/netbox -o /nonexistent/m.json
? 3
2~ ^netvet: /nonexistent/m.json: cannot create: No such file or directory$

$ netvet merge examples/spreadsheet > /dev/full
? 3

$ netvet merge examples/spreadsheet -o /nonexistent/m.json
? 3
2~ ^netvet: /nonexistent/m.json: cannot create

$ netvet release examples/national/model.json --policy uk-2020 > /dev/full
? 3

$ netvet release --json examples/national/model.json --policy uk-2020 > /dev/full
? 3

$ netvet report examples/spreadsheet -o /nonexistent/r.html
? 3
2~ ^netvet: /nonexistent/r.html: cannot create

$ netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv ZTE > /dev/full
? 3

$ netvet screen --json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv ZTE > /dev/full
? 3

$ netvet synth --ran-sites 5 --flows 2 > /dev/full
? 3

$ netvet synth --ran-sites 5 --flows 2 -o /nonexistent/s.json
? 3

$ netvet wargame examples/spreadsheet --vendor huawei > /dev/full
? 3

$ netvet wargame --json examples/spreadsheet --vendor huawei > /dev/full
? 3

$ netvet version > /dev/full
? 3
2> netvet: standard output: cannot write: No space left on device

$ netvet --version > /dev/full
? 3

$ netvet --help > /dev/full
? 3

$ netvet help assess > /dev/full
? 3

$ netvet keygen /nonexistent/k
? 3
2~ ^netvet: /nonexistent/k.key: 

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet keygen $T/k > /dev/full
? 3

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet keygen $T/k >/dev/null && mkdir $T/img && echo hi > $T/img/a && netvet manifest $T/img --key $T/k.key --name x --version 1 > /dev/full
? 3

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet keygen $T/k >/dev/null && mkdir $T/img && echo hi > $T/img/a && netvet manifest $T/img --key $T/k.key --name x --version 1 -o /nonexistent/m
? 3
2~ ^netvet: /nonexistent/m: cannot create

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet keygen $T/k >/dev/null && mkdir $T/img && echo hi > $T/img/a && netvet manifest $T/img --key $T/k.key --name x --version 1 -o $T/m 2>/dev/null && netvet verify $T/img --against $T/m --trust $T/k.pub > /dev/full
? 3
2> netvet: standard output: cannot write: No space left on device

$ T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT && netvet keygen $T/k >/dev/null && mkdir $T/img && echo hi > $T/img/a && netvet manifest $T/img --key $T/k.key --name x --version 1 -o $T/m 2>/dev/null && netvet verify --json $T/img --against $T/m --trust $T/k.pub > /dev/full
? 3

$ . tests/cli/update-fixture.sh && payload 1 2027-01-01T00:00:00Z | sign m a b && check m > /dev/full
? 3

# Top-level habits.
$ netvet -V
~ ^netvet [0-9]+\.[0-9]+\.[0-9]+$

$ netvet -h
~ ^usage: netvet COMMAND
~ ^Exit status: 0 nothing to report

$ netvet help merge
~ ^usage: netvet merge \[OPTIONS\] MODEL\.\.\.$
~ ^Exit status: 0 written

$ netvet help wargame
~ Exit status

$ netvet help frob
? 2
2> netvet: 'frob' is not a command (see 'netvet --help')
