# man.awk - the body of a subcommand's manual page from its --help text:
# the description, options (.TP items), the exit status when the text
# states one in a paragraph of its own, and examples (verbatim).
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    if (s ~ /^[.']/)
        s = "\\&" s
    return s
}
NR == 1 { next }
NR == 2 && /^$/ { print ".SH DESCRIPTION"; mode = "desc"; next }
/^options:$/ { print ".SH OPTIONS"; mode = "opts"; next }
/^examples:$/ { print ".SH EXAMPLES"; print ".nf"; mode = "ex"; next }
/^Exit status/ && mode != "ex" { print ".SH EXIT STATUS"; mode = "exit" }
mode == "opts" && /^  --/ {
    line = substr($0, 3)
    opt = line; sub(/  +.*/, "", opt)
    help = line; sub(/^[^ ]+( [^ ]+)?  +/, "", help)
    print ".TP"
    print "\\fB" esc(opt) "\\fR"
    print esc(help)
    next
}
/^$/ { if (mode == "desc" || mode == "exit") print ".PP"; next }
{ print esc($0) }
END { if (mode == "ex") print ".fi" }
