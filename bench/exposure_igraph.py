"""The exposure of every flow to every group, computed from python3-igraph's
building blocks (components after deleting vertices, biconnected
components, shortest-path distances), checked against `netvet assess
--json` on the same model.  Prints the compute time, the number of
disagreements, and the levels compared.

Usage: exposure_igraph.py MODEL.json NETVET.json
"""
import json
import re
import sys
import time
from collections import defaultdict

import igraph as ig
import numpy as np

# failover lies between routed and may; igraph's peer has no failover, so
# it counts as may (netvet runs without it for the comparison anyway)
LEVEL = {"none": 0, "may": 1, "failover": 1, "routed": 2, "must": 3}
DESIG = ["trusted", "standard", "high-risk", "prohibited"]
WORD = re.compile(r"[A-Za-z0-9\u0080-\U0010FFFF]+")


def key(s):
    return " ".join(w.lower() for w in WORD.findall(s))


def resolve(model):
    """Vendor strings to entity indices, as netvet's exact resolution."""
    ents = model.get("entities") or []
    index = {}
    for i, e in enumerate(ents):
        for name in [e["id"], e.get("name")] + (e.get("aliases") or []):
            if name and key(name) not in index:
                index[key(name)] = i
    return [index.get(key(a["vendor"])) if a.get("vendor") else None
            for a in model.get("assets") or []]


def groups_of(model, vendor):
    """Group id -> boolean membership array, as netvet defines them."""
    ents = model.get("entities") or []
    ids = {e["id"]: i for i, e in enumerate(ents)}
    parent = [ids.get(e.get("parent")) for e in ents]
    n = len(vendor)
    member = defaultdict(lambda: np.zeros(n, dtype=bool))
    for a, e in enumerate(vendor):
        worst, x = 0, e
        while x is not None:
            member["vendor:" + ents[x]["id"]][a] = True
            if ents[x].get("country"):
                member["country:" + ents[x]["country"]][a] = True
            worst = max(worst, DESIG.index(ents[x].get("designation",
                                                       "standard")))
            x = parent[x]
        if e is not None and worst >= 2:
            member["designation:" + DESIG[worst]][a] = True
    return dict(member)


def bct_paths(g, flows):
    """Per flow, the blocks on its block-cut forest path (None: apart)."""
    blocks = [set(b) for b in g.biconnected_components()]
    where = defaultdict(list)
    for i, b in enumerate(blocks):
        for v in b:
            where[v].append(i)
    node = {}
    for v in range(g.vcount()):
        if len(where[v]) >= 2:
            node[v] = ("c", v)
        elif where[v]:
            node[v] = ("b", where[v][0])
        else:
            node[v] = ("v", v)
    adj = defaultdict(list)
    for v, bs in where.items():
        if len(bs) >= 2:
            for b in bs:
                adj[("c", v)].append(("b", b))
                adj[("b", b)].append(("c", v))
    parent, depth = {}, {}
    for root in set(node.values()):
        if root in parent:
            continue
        parent[root], depth[root] = None, 0
        stack = [root]
        while stack:
            x = stack.pop()
            for y in adj[x]:
                if y not in parent:
                    parent[y], depth[y] = x, depth[x] + 1
                    stack.append(y)
    out = []
    for s, t in flows:
        a, b, path = node[s], node[t], []
        while depth[a] > depth[b]:
            path.append(a)
            a = parent[a]
        while depth[b] > depth[a]:
            path.append(b)
            b = parent[b]
        while a != b and a is not None and b is not None:
            path += [a, b]
            a, b = parent[a], parent[b]
        out.append(path + [a] if a == b else None)
    return blocks, out


def compute(model, g, member):
    idx = {a["id"]: i for i, a in enumerate(model["assets"])}
    flows = [(idx[f["src"]], idx[f["dst"]]) for f in model.get("flows") or []]
    comp = g.connected_components().membership
    blocks, paths = bct_paths(g, flows)
    levels = {}
    for gid, x in member.items():
        keep = np.flatnonzero(~x)
        sub = g.induced_subgraph(keep.tolist()).connected_components()
        c = np.full(g.vcount(), -1)
        c[keep] = sub.membership
        for i, (s, t) in enumerate(flows):
            if comp[s] != comp[t]:
                continue
            if x[s] or x[t] or c[s] != c[t]:
                levels[(i, gid)] = 3
            elif paths[i] and any(
                    (kind == "b" and x[list(blocks[n])].any()) or
                    (kind == "c" and x[n]) for kind, n in paths[i]):
                levels[(i, gid)] = 1
    w = g.es["cost"]
    by_src = defaultdict(list)
    for i, (s, t) in enumerate(flows):
        if comp[s] == comp[t] and s != t:
            by_src[s].append(i)
    for s, fl in by_src.items():
        ds = np.array(g.distances(source=[s], weights=w)[0])
        for i in fl:
            t = flows[i][1]
            dt = np.array(g.distances(source=[t], weights=w)[0])
            on = np.abs(ds + dt - ds[t]) <= 1e-9 * max(1.0, ds[t])
            for gid, x in member.items():
                if (x & on).any() and levels.get((i, gid), 0) < 2:
                    levels[(i, gid)] = 2
    return levels


def main(model_path, netvet_path):
    model = json.load(open(model_path))
    assets = model["assets"]
    idx = {a["id"]: i for i, a in enumerate(assets)}
    g = ig.Graph(n=len(assets),
                 edges=[(idx[l["a"]], idx[l["b"]]) for l in model["links"]])
    g.es["cost"] = [l.get("cost", 1) for l in model["links"]]
    t0 = time.perf_counter()
    member = groups_of(model, resolve(model))
    levels = compute(model, g, member)
    seconds = time.perf_counter() - t0
    got = json.load(open(netvet_path))
    flow_index = {f["id"]: i for i, f in enumerate(model["flows"])}
    theirs = {}
    for f in got["flows"]:
        for e in f["exposure"]:
            theirs[(flow_index[f["id"]], e["group"])] = LEVEL[e["level"]]
    keys = set(levels) | set(theirs)
    bad = sum(1 for k in keys if levels.get(k, 0) != theirs.get(k, 0))
    print(f"igraph     {seconds:8.2f} s compute; {len(keys)} non-zero levels "
          f"compared, {bad} disagreements")
    return bad


if __name__ == "__main__":
    sys.exit(1 if main(sys.argv[1], sys.argv[2]) else 0)
