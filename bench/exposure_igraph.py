"""The exposure of every flow to every group, computed from python3-igraph's
building blocks (components after deleting vertices, biconnected
components, shortest-path distances) and numpy, checked against `netvet
assess --json` on the same model when its answer is given.  Prints the
compute time, the whole process's time up to the answer (Python's start,
reading the JSON, building the graph, the searches and checks; not the
comparison) and its processor time, and the number of disagreements and
the levels compared.

One shortest-path search per distinct source: the assets on a least-cost
path from s to t are t's ancestors in the search's shortest-path DAG, so
the groups on a route to each asset are its own and those on a route to
its parents in the DAG, or'ed as bits in order of distance with numpy
(one pass over the DAG per source for all groups at once).

Usage: exposure_igraph.py MODEL.json [NETVET.json]
"""
import json
import os
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
    """Group ids and a boolean membership matrix (group x asset), as
    netvet defines them."""
    ents = model.get("entities") or []
    ids = {e["id"]: i for i, e in enumerate(ents)}
    parent = [ids.get(e.get("parent")) for e in ents]
    # every asset of one entity is in the same groups: list them per entity
    of_entity = defaultdict(list)
    for a, e in enumerate(vendor):
        if e is not None:
            of_entity[e].append(a)
    n = len(vendor)
    member = defaultdict(lambda: np.zeros(n, dtype=bool))
    for e, assets in of_entity.items():
        worst, x = 0, e
        while x is not None:
            member["vendor:" + ents[x]["id"]][assets] = True
            if ents[x].get("country"):
                member["country:" + ents[x]["country"]][assets] = True
            worst = max(worst, DESIG.index(ents[x].get("designation",
                                                       "standard")))
            x = parent[x]
        if worst >= 2:
            member["designation:" + DESIG[worst]][assets] = True
    gids = sorted(member)
    return gids, np.array([member[g] for g in gids])


def block_cut_forest(g):
    """The blocks as (block, vertex) pairs, and the block-cut forest's
    parent and depth per node: blocks are nodes 0..nb-1, vertex v is node
    nb + v (a root when it is in fewer than two blocks)."""
    blocks = g.biconnected_components()
    nb, n = len(blocks), g.vcount()
    sizes = np.array([len(b) for b in blocks], dtype=np.int64)
    pair_block = np.repeat(np.arange(nb), sizes)
    pair_vertex = np.fromiter((v for b in blocks for v in b), np.int64,
                              int(sizes.sum()))
    count = np.bincount(pair_vertex, minlength=n)
    node = nb + np.arange(n)
    single = count == 1
    first = np.full(n, -1)
    first[pair_vertex[::-1]] = pair_block[::-1]
    node[single] = first[single]
    cut = count[pair_vertex] >= 2
    edges = np.column_stack((nb + pair_vertex[cut], pair_block[cut]))
    forest = ig.Graph(n=nb + n + 1, edges=edges.tolist())
    comp = np.array(forest.connected_components().membership)
    _, roots = np.unique(comp, return_index=True)
    forest.add_edges([(nb + n, r) for r in roots.tolist()])
    vids, layers, parents = forest.bfs(nb + n)
    depth = np.zeros(nb + n + 1, dtype=np.int64)
    depth[vids] = np.repeat(np.arange(len(layers) - 1), np.diff(layers))
    return pair_block, pair_vertex, node, parents, depth.tolist(), nb


def flow_paths(forest, flows, same):
    """Per flow of one component, the block-cut forest nodes on its path,
    flattened: (flow index, node) pairs."""
    _, _, node, parent, depth, _ = forest
    fi, nodes = [], []
    for i, (s, t) in enumerate(flows):
        if not same[i]:
            continue
        a, b, path = int(node[s]), int(node[t]), []
        while depth[a] > depth[b]:
            path.append(a)
            a = parent[a]
        while depth[b] > depth[a]:
            path.append(b)
            b = parent[b]
        while a != b:
            path += [a, b]
            a, b = parent[a], parent[b]
        path.append(a)
        fi += [i] * len(path)
        nodes += path
    return np.array(fi, dtype=np.int64), np.array(nodes, dtype=np.int64)


def must_and_may(g, flows, member, levels):
    """MUST: apart once the group is removed (or an end in it); MAY: a
    block or cut vertex of the group on the block-cut forest path."""
    src, dst = np.array(flows, dtype=np.int64).reshape(-1, 2).T
    comp = np.array(g.connected_components().membership)
    same = comp[src] == comp[dst]
    forest = block_cut_forest(g)
    pair_block, pair_vertex, _, _, _, nb = forest
    fi, nodes = flow_paths(forest, flows, same)
    for k, x in enumerate(member):
        keep = np.flatnonzero(~x)
        c = np.full(g.vcount(), -1)
        c[keep] = g.induced_subgraph(keep.tolist()) \
                   .connected_components().membership
        must = same & (x[src] | x[dst] | (c[src] != c[dst]))
        in_block = np.bincount(pair_block, weights=x[pair_vertex],
                               minlength=nb) > 0
        hit = np.concatenate((in_block, x, [False]))[nodes]
        may = np.bincount(fi, weights=hit, minlength=len(flows)) > 0
        levels[:, k] = np.where(must, 3, np.where(may, 1, 0))
    return comp


def group_bits(member):
    """Each asset's groups as bits, 64 groups a word: words x assets."""
    words = []
    for lo in range(0, len(member), 64):
        x = member[lo:lo + 64].astype(np.uint64)
        shift = np.arange(len(x), dtype=np.uint64)[:, None]
        words.append(np.bitwise_or.reduce(x << shift, axis=0))
    return np.array(words)


def dag_groups(g, ends, w, s, bits):
    """The groups on some least-cost path from s to each asset, as bits:
    an asset's own, or'ed with those of its parents in s's shortest-path
    DAG, level by level in order of distance (costs are positive)."""
    d = np.array(g.distances(source=[s], weights="cost")[0])
    tol = 1e-9 * np.maximum(1.0, d)
    fw = np.abs(d[ends[:, 0]] + w - d[ends[:, 1]]) <= tol[ends[:, 1]]
    bw = np.abs(d[ends[:, 1]] + w - d[ends[:, 0]]) <= tol[ends[:, 0]]
    u = np.concatenate((ends[fw, 0], ends[bw, 1]))
    v = np.concatenate((ends[fw, 1], ends[bw, 0]))
    order = np.lexsort((v, d[v]))
    u, v = u[order], v[order]
    level = np.flatnonzero(np.r_[True, d[v][1:] != d[v][:-1], True])
    got = bits.copy()
    for a, b in zip(level[:-1], level[1:]):
        vv = v[a:b]
        first = np.flatnonzero(np.r_[True, vv[1:] != vv[:-1]])
        got[:, vv[first]] |= np.bitwise_or.reduceat(got[:, u[a:b]], first,
                                                    axis=1)
    return got


def routed(g, flows, member, comp, levels):
    """ROUTED: a group's asset on a least-cost path, one search a source."""
    ends = np.array(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    w = np.array(g.es["cost"], dtype=float)
    bits = group_bits(member)
    by_src = defaultdict(list)
    for i, (s, t) in enumerate(flows):
        if comp[s] == comp[t] and s != t:
            by_src[s].append(i)
    for s, fl in by_src.items():
        got = dag_groups(g, ends, w, s, bits)
        fl = np.array(fl)
        t = np.array([flows[i][1] for i in fl])
        for k in range(len(member)):
            on = (got[k // 64, t] >> np.uint64(k % 64)) & np.uint64(1)
            up = fl[(on == 1) & (levels[fl, k] < 2)]
            levels[up, k] = 2


def compute(model, g, gids, member):
    idx = {a["id"]: i for i, a in enumerate(model["assets"])}
    flows = [(idx[f["src"]], idx[f["dst"]]) for f in model.get("flows") or []]
    levels = np.zeros((len(flows), len(gids)), dtype=np.int8)
    comp = must_and_may(g, flows, member, levels)
    routed(g, flows, member, comp, levels)
    return levels


def uptime():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0])


def process_seconds():
    """Seconds since this process started (Python's start included)."""
    with open("/proc/self/stat") as f:
        ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    return uptime() - ticks / os.sysconf("SC_CLK_TCK")


def disagreements(model, gids, levels, netvet_path):
    """Levels compared with netvet's answer, and how many differ."""
    got = json.load(open(netvet_path))
    flow_index = {f["id"]: i for i, f in enumerate(model["flows"])}
    column = {gid: k for k, gid in enumerate(gids)}
    theirs = np.zeros_like(levels)
    extra = 0
    for f in got["flows"]:
        for e in f["exposure"]:
            if e["group"] in column:
                theirs[flow_index[f["id"]], column[e["group"]]] = \
                    LEVEL[e["level"]]
            elif LEVEL[e["level"]]:
                extra += 1
    return (int(np.count_nonzero(levels | theirs)) + extra,
            int(np.count_nonzero(levels != theirs)) + extra)


def main(model_path, netvet_path):
    model = json.load(open(model_path))
    assets = model["assets"]
    idx = {a["id"]: i for i, a in enumerate(assets)}
    g = ig.Graph(n=len(assets),
                 edges=[(idx[l["a"]], idx[l["b"]]) for l in model["links"]])
    g.es["cost"] = [l.get("cost", 1) for l in model["links"]]
    t0 = time.perf_counter()
    gids, member = groups_of(model, resolve(model))
    levels = compute(model, g, gids, member)
    seconds = time.perf_counter() - t0
    whole, cpu = process_seconds(), time.process_time()
    line = (f"igraph     {seconds:8.2f} s compute, {whole:.2f} s whole process, "
            f"{cpu:.2f} s cpu")
    if not netvet_path:
        print(line)
        return 0
    compared, bad = disagreements(model, gids, levels, netvet_path)
    print(f"{line}; {compared} non-zero levels compared, {bad} disagreements")
    return bad


if __name__ == "__main__":
    sys.exit(1 if main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
             else 0)
