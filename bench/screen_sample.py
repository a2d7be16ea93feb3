"""A sample of the generated queries for the fuzzball peer, with the
names that are right for each: every name and alias of the target's
group (bench/screen_gen.py), or null for a hard negative.  Also prints
netvet's verdict on the same sample from its results.
Usage: screen_sample.py LISTDIR GENERATED.csv RESULTS.jsonl N OUT.json"""
import csv
import json
import random
import sys

import screen_gen


def main(listdir, gen_path, results_path, n, out_path):
    parties = screen_gen.read_parties(listdir)
    group = screen_gen.groups(parties)
    names = {}
    for pid, p in parties.items():
        names.setdefault(group[pid], []).extend([p["name"]] + p["alts"])
    rows = list(csv.DictReader(open(gen_path, encoding="utf-8")))
    results = [json.loads(line) for line in open(results_path)]
    idx = sorted(random.Random(7).sample(range(len(rows)), int(n)))
    sample, tp, fp, fn = [], 0, 0, 0
    for i in idx:
        r, m = rows[i], results[i]["match"]
        accept = None if r["group"] == "NONE" else names[r["group"]]
        sample.append({"query": r["query"], "accept": accept})
        ok = m and accept and group.get((m["list"], m["name"])) == r["group"]
        tp += bool(ok)
        fp += bool(m and not ok)
        fn += bool(accept and not ok)
    json.dump(sample, open(out_path, "w"))
    p = tp / (tp + fp) if tp + fp else 1
    rc = tp / (tp + fn) if tp + fn else 1
    print(f"netvet     {len(sample)} names: precision {p:.3f}, "
          f"recall {rc:.3f} (the same sample)")


if __name__ == "__main__":
    main(*sys.argv[1:])
