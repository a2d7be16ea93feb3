#!/usr/bin/python3
"""The vendor margin of every flow of a model by brute force with
networkx: each set of up to three vendor groups is removed (the flow's
ends kept) and has_path tells whether the ends still meet.  Groups are
netvet's (read from `assess --margin --json`); the margins are compared
with netvet's.  Prints "networkx SECONDS AGREE/DISAGREE"."""
import itertools
import json
import sys
import time

import networkx as nx


def main(model_path, assess_path):
    model = json.load(open(model_path))
    out = json.load(open(assess_path))
    g = nx.MultiGraph()
    g.add_nodes_from(a["id"] for a in model["assets"])
    g.add_edges_from((l["a"], l["b"]) for l in model["links"])
    ents = {e["id"]: e for e in model["entities"]}
    names = {}
    for e in model["entities"]:
        for n in [e["id"], e.get("name")] + e.get("aliases", []):
            if n:
                names[n.lower()] = e["id"]
    members = {}
    for a in model["assets"]:
        e = names.get((a.get("vendor") or "").lower())
        while e:
            members.setdefault("vendor:" + e, set()).add(a["id"])
            e = ents[e].get("parent")
    flows = {f["id"]: f for f in model["flows"]}
    start = time.time()
    agree = True
    for f in out["flows"]:
        s, t = flows[f["id"]]["src"], flows[f["id"]]["dst"]
        cand = sorted(k for k in members if k.startswith("vendor:"))
        k_found = 4
        for k in (1, 2, 3):
            for combo in itertools.combinations(cand, k):
                removed = set().union(*(members[c] for c in combo)) - {s, t}
                h = g.subgraph(n for n in g if n not in removed)
                if not nx.has_path(h, s, t):
                    k_found = k
                    break
            if k_found < 4:
                break
        if not nx.has_path(g, s, t):
            k_found = 0
        agree &= k_found == f["margin"]["vendor"]["k"]
    print("networkx %.3f %s" % (time.time() - start,
                                "AGREE" if agree else "DISAGREE"))


main(sys.argv[1], sys.argv[2])
