#!/usr/bin/env python3
"""Versions of the example network over time, for the history tests,
the examples and the benchmarks.

  history-fixture.py next MODEL OUT       a month of changes: three new
                                          Huawei radios, the core router
                                          dc-5-core-1 replaced by an
                                          Ericsson one, a new critical flow
  history-fixture.py swap MODEL OUT       the core router swap alone
  history-fixture.py months MODEL N DIR   DIR/month-01.json ... N versions,
                                          each replacing a few more
                                          high-risk assets than the last

Output is one record a line, like 'netvet store show -o'."""
import json
import sys

HIGH_RISK = ("huawei", "zte")


def load(path):
    with open(path) as f:
        return json.load(f)


def save(m, path):
    with open(path, "w") as f:
        f.write('{"netvet": 1')
        for table in ("entities", "sites", "assets", "links", "flows",
                      "partners"):
            rows = m.get(table, [])
            f.write(',\n"%s": [' % table)
            f.write(",".join("\n" + json.dumps(r, separators=(",", ":"))
                             for r in rows))
            f.write("]")
        f.write("}\n")


def swap_core(m):
    for a in m["assets"]:
        if a["id"] == "dc-5-core-1":
            a["vendor"] = "Ericsson"
            a["model"] = "Router 6000"


def add_radios(m):
    for k in range(3):
        site = "ran-%d" % k
        gnb = "%s-gnb-new" % site
        m["assets"].append({"id": gnb, "kind": "device", "vendor": "Huawei",
                            "model": "AAU 5G", "site": site, "layer": "ran",
                            "replacement_cost": 60000})
        m["links"].append({"a": gnb, "b": "%s-csr" % site, "cost": 1})


def add_flow(m):
    m["flows"].append({"id": "power-13", "src": "crit-7-gw",
                       "dst": "crit-21-gw", "sector": "power",
                       "importance": 8, "classification": "confidential",
                       "encrypted": False})


def months(m, n, out):
    hostile = [a for a in m["assets"]
               if a.get("vendor", "").lower().split()[0].rstrip(",")
               in HIGH_RISK and a.get("layer") in ("transport", "core")]
    per = max(1, len(hostile) // (2 * n))
    for i in range(n):
        for a in hostile[i * per:(i + 1) * per]:
            a["vendor"] = "Nokia" if i % 2 else "Ericsson"
        save(m, "%s/month-%02d.json" % (out, i + 1))


def main(argv):
    if len(argv) == 4 and argv[1] in ("next", "swap"):
        m = load(argv[2])
        swap_core(m)
        if argv[1] == "next":
            add_radios(m)
            add_flow(m)
        save(m, argv[3])
    elif len(argv) == 5 and argv[1] == "months":
        months(load(argv[2]), int(argv[3]), argv[4])
    else:
        sys.exit(__doc__)


main(sys.argv)
