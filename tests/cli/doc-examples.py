#!/usr/bin/env python3
"""Load every example of a documentation page with netvet.

Each fenced block of the page says in its info string what it is:
  ```json model        a native model: netvet inspect FILE
  ```csv TABLE.csv     one table of a CSV bundle, loaded with the model
                       example before it: netvet inspect MODEL TABLE.csv
  ```text netbox-map   a mapping file of netvet import netbox (read with
                       the NetBox fixture pages)
  ```csv costs         replacement costs of netvet plan (read with the
                       bundled national example)
A block with no info string, or one not listed here, is an error too, so
that no example goes untested.  Prints "FILE:LINE: what failed" for each
block that does not load (LINE: the opening fence), or "ok"."""
import os
import subprocess
import sys
import tempfile


def blocks(path):
    """(line of the opening fence, info string, text) of each block."""
    out, info, start, text = [], None, 0, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("```") and info is None:
                info, start, text = line[3:].strip(), n, []
            elif line.startswith("```"):
                out.append((start, info, "".join(text)))
                info = None
            elif info is not None:
                text.append(line)
    return out


def run(args):
    p = subprocess.run(["netvet"] + args, capture_output=True, text=True)
    err = p.stderr.strip().splitlines()
    return None if p.returncode in (0, 1) else (err[-1] if err else
                                                 "exit %d" % p.returncode)


def load(d, n, info, text, model):
    """The error of loading one block, or None; model: the last model."""
    words = info.split()
    kind = " ".join(words[:1])
    name = words[1] if len(words) > 1 else ""
    path = os.path.join(d, "%d-%s" % (n, os.path.basename(name) or "x"))
    if kind == "csv" and name.endswith(".csv"):
        os.makedirs(path)
        path = os.path.join(path, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    if info == "json model":
        return run(["inspect", path]), path
    if kind == "csv" and name.endswith(".csv"):
        if not model:
            return "no model example before this table", model
        return run(["inspect", model, path]), model
    if info == "csv costs":
        return run(["plan", "examples/national/model.json", "--policy",
                    "uk-2020", "--costs", path]), model
    if info == "text netbox-map":
        return run(["import", "netbox", "--quiet", "--map", path, "--pages",
                    "tests/data/netbox/netbox"]), model
    return "no loader for the block's info string '%s'" % info, model


def main():
    page = sys.argv[1]
    bad, model = [], None
    with tempfile.TemporaryDirectory() as d:
        for n, info, text in blocks(page):
            err, model = load(d, n, info, text, model)
            if err:
                bad.append("%s:%d: %s" % (page, n, err))
    print("\n".join(bad) if bad else "ok")


main()
