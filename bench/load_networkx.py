"""Load a netvet native JSON model into a networkx MultiGraph: the peer
that bench/load.sh measures netvet's loader against.  Prints seconds,
MB/s and peak RSS in the same form as the bench."""
import json
import os
import resource
import sys
import time

import networkx as nx


def main(path):
    size = os.path.getsize(path)
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        model = json.load(f)
    g = nx.MultiGraph()
    for a in model.get("assets") or []:
        g.add_node(a["id"], **a)
    for link in model.get("links") or []:
        g.add_edge(link["a"], link["b"], cost=link.get("cost", 1),
                   capacity=link.get("capacity_gbps"))
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"networkx   {seconds:7.2f} s  {size / seconds / 1e6:7.1f} MB/s  "
          f"{rss:7.0f} MB peak  ({g.number_of_nodes()} nodes, "
          f"{g.number_of_edges()} edges)")
    return seconds


if __name__ == "__main__":
    main(sys.argv[1])
