#!/usr/bin/env python3
"""Check JSON documents that netvet wrote: each (a whole file, or each line
of JSON Lines with --lines) is an object whose top level holds
"netvet_version", and no key anywhere is camelCase.  Reads the files named,
or standard input; prints "ok" or what is wrong, one line each."""
import json
import re
import sys

CAMEL = re.compile(r"^[a-z][a-z0-9]*[A-Z]")


def keys(v, where):
    if isinstance(v, dict):
        for k, x in v.items():
            yield k, where
            yield from keys(x, where + "." + k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            yield from keys(x, "%s[%d]" % (where, i))


def check(doc, name):
    bad = []
    if not isinstance(doc, dict) or "netvet_version" not in doc:
        bad.append("%s: no top-level \"netvet_version\"" % name)
    for k, where in keys(doc, ""):
        if CAMEL.match(k):
            bad.append("%s: camelCase key %s at %s" % (name, k, where or "."))
    return bad


def main():
    args = sys.argv[1:]
    lines = "--lines" in args
    args = [a for a in args if a != "--lines"]
    texts = [(a, open(a, encoding="utf-8").read()) for a in args] or [
        ("stdin", sys.stdin.read())]
    bad = []
    for name, text in texts:
        docs = ([json.loads(l) for l in text.splitlines() if l.strip()]
                if lines else [json.loads(text)])
        if not docs:
            bad.append("%s: no document" % name)
        for d in docs:
            bad += check(d, name)
    print("\n".join(bad) if bad else "ok")


main()
