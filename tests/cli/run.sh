#!/bin/bash
# Run end-to-end test files (tests/cli/*.t).  Each file holds cases:
#
#   $ netvet inspect x.json     the command (bash; $SHARED is the shared dir)
#   < a line                    a line of standard input
#   ? 2                         the exit status expected (default 0)
#   > text                      stdout has this exact line
#   ~ regex                     some stdout line matches (grep -E)
#   ! regex                     no stdout line matches
#   2> text, 2~ regex, 2! regex the same for stderr
#
# Lines starting with # and blank lines are ignored.  The last line printed
# is "cli: N passed, N failed".
set -u
NETVET=$(realpath "${NETVET:-./netvet}")
SHARED=$(realpath "${SHARED:-../shared}")
export SHARED
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
printf '#!/bin/sh\nexec "%s" "$@"\n' "$NETVET" > "$bin/netvet"
chmod +x "$bin/netvet"
passed=0 failed=0

# check KIND PATTERN FILE: one expectation against captured output.
check() {
    case $1 in
    line) grep -qxF -- "$2" "$3" ;;
    re) grep -qE -- "$2" "$3" ;;
    not) ! grep -qE -- "$2" "$3" ;;
    esac
}

# run_case FILE LINENO CMD STDIN STATUS EXPECTATIONS...
run_case() {
    local file=$1 line=$2 cmd=$3 input=$4 want=$5 ok=1 got
    shift 5
    local out=$bin/out err=$bin/err
    printf '%s' "$input" | PATH="$bin:$PATH" bash -c "$cmd" >"$out" 2>"$err"
    got=$?
    [ "$got" = "$want" ] || { ok=0; echo "  exit status $got, expected $want"; }
    while [ $# -gt 0 ]; do
        local stream=$1 kind=$2 pat=$3
        shift 3
        local f=$out
        [ "$stream" = 2 ] && f=$err
        check "$kind" "$pat" "$f" || { ok=0; echo "  $stream/$kind not met: $pat"; }
    done
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $file:$line: $cmd"
        sed 's/^/  stdout: /' "$out" | head -20
        sed 's/^/  stderr: /' "$err" | head -20
    fi
}

for t in "$@"; do
    cmd="" input="" want=0 n=0 start=0 exp=()
    while IFS= read -r l || [ -n "$l" ]; do
        n=$((n + 1))
        case $l in
        '$ '*)
            [ -n "$cmd" ] && run_case "$t" "$start" "$cmd" "$input" "$want" "${exp[@]}"
            cmd=${l#\$ } input="" want=0 start=$n exp=() ;;
        '< '*) input+="${l#< }"$'\n' ;;
        '? '*) want=${l#? } ;;
        '> '*) exp+=(1 line "${l#> }") ;;
        '~ '*) exp+=(1 re "${l#\~ }") ;;
        '! '*) exp+=(1 not "${l#! }") ;;
        '2> '*) exp+=(2 line "${l#2> }") ;;
        '2~ '*) exp+=(2 re "${l#2\~ }") ;;
        '2! '*) exp+=(2 not "${l#2! }") ;;
        '#'* | '') ;;
        *) echo "$t:$n: cannot read this line: $l"; failed=$((failed + 1)) ;;
        esac
    done < "$t"
    [ -n "$cmd" ] && run_case "$t" "$start" "$cmd" "$input" "$want" "${exp[@]}"
done
echo "cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
