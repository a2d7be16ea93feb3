# The progress line: drawn on standard error only when it is a terminal
# (script(1), from util-linux, runs the command on a pseudo-terminal),
# never with --quiet or into a pipe, and erased when the work ends.  A job
# is shown once it has run for a second; NETVET_PROGRESS_AFTER_MS=0 makes
# that immediate so that no case depends on timing.  cat -v shows the
# carriage return as ^M and the erasing escape as ^[[K.

# Loading a large model, then the exposure phases; the last thing
# written is the erasing of the line.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet synth --ran-sites 2000 -o $d/big.json && NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet assess $d/big.json >/dev/null" /dev/null > $d/tty; tr '\r' '\n' < $d/tty | cat -v; echo; tail -c 4 $d/tty | cat -v; echo
~ ^netvet: loading .*/big\.json: +[0-9]+%\^\[\[K$
~ ^netvet: exposure: must \(groups\): +[0-9]+%\^\[\[K$
> ^M^[[K

# A CSV bundle: its table files in turn (redraws are at most ten a
# second, so which files get a line of their own depends on the clock).
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet synth --ran-sites 2000 --format csv -o $d/big && NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet inspect $d/big >/dev/null" /dev/null > $d/tty; tr '\r' '\n' < $d/tty | cat -v
~ ^netvet: loading .*/big/[a-z]+\.csv: +[0-9]+%\^\[\[K$

# Standard error a pipe or a file: nothing, however long it takes.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet synth --ran-sites 2000 -o $d/big.json && NETVET_PROGRESS_AFTER_MS=0 netvet assess $d/big.json 2>&1 >/dev/null | wc -c
> 0

# --quiet on a terminal: nothing.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet synth --ran-sites 2000 -o $d/big.json && NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet assess --quiet $d/big.json >/dev/null" /dev/null | wc -c
> 0

# Without the variable, a quick job draws nothing on a terminal either.
$ script -qec "netvet inspect examples/national/model.json >/dev/null" /dev/null | wc -c
> 0

# Screening the model's vendor strings against a list.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && printf '{"netvet": 1, "assets": [{"id": "a", "kind": "device", "layer": "core", "vendor": "Dahua Tech"}]}\n' > $d/v.json && NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet inspect $d/v.json --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv >/dev/null" /dev/null | tr '\r' '\n' | cat -v
~ ^netvet: screening vendor names: [0-9]+\^\[\[K$

# Screening names, one by one, whose results go to a file.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv --json Huawei ZTE Ericsson > $d/out" /dev/null | tr '\r' '\n' | cat -v; echo; wc -l < $d/out
~ ^netvet: screening names: [0-9]+\^\[\[K$
> 3

# ... but not when the results go to the terminal too: the two would mix.
$ NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet screen --list $SHARED/data/lists/us-telecom/fcc_covered_list_entities.csv Huawei" /dev/null | cat -v
! screening names

# Hashing the files of a directory for a manifest: a count of the files
# hashed while the tree is still walked, a share once it is.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && netvet keygen $d/k >/dev/null && NETVET_PROGRESS_AFTER_MS=0 script -qec "netvet manifest src --key $d/k.key --name src --version 1 -o $d/m" /dev/null | tr '\r' '\n' | cat -v
~ ^netvet: hashing src: +[0-9]+%?\^\[\[K$
