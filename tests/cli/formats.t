# Every example of docs/formats.md loads: each fenced block says in its
# info string which loader reads it (tests/cli/doc-examples.py); a block
# that does not load is named by its line in the page.
$ tests/cli/doc-examples.py docs/formats.md
> ok

# The check can fail: an example that names an asset no one defined.
$ d=$(mktemp -d) && trap 'rm -rf "$d"' EXIT && printf 'text\n\n```json model\n{"netvet": 1, "links": [{"a": "x", "b": "y"}]}\n```\n\n```\nuntagged\n```\n' > $d/page.md && tests/cli/doc-examples.py $d/page.md
~ ^/tmp/.*/page\.md:3: netvet: .*unknown asset 'x'$
~ ^/tmp/.*/page\.md:7: no loader for the block's info string ''$
