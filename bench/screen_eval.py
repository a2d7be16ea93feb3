"""Precision and recall of `netvet screen --json` on the labelled set.

A match is right when the expected key (lower case words) is in the
matched party's name, the name or alias that matched, or its ultimate
parent's name; any match of a NONE
query is a false positive.  Usage: screen_eval.py LABELS.csv RESULTS.jsonl
"""
import csv
import json
import re
import sys


def words(s):
    return " ".join(re.findall(r"[a-z0-9]+", (s or "").lower()))


def main(labels_path, results_path):
    labels = list(csv.DictReader(open(labels_path, encoding="utf-8")))
    results = [json.loads(line) for line in open(results_path)]
    assert len(labels) == len(results), "one result per query"
    tp = fp = fn = 0
    for row, res in zip(labels, results):
        want, m = row["expected"], res["match"]
        got = m and " | ".join(words(m.get(k)) for k in
                               ("name", "matched", "parent"))
        if want == "NONE":
            fp += bool(m)
            if m:
                print(f"  false match: {row['query']!r} -> {m['name']!r}")
        elif m and words(want) in got:
            tp += 1
        else:
            fn += 1
            fp += bool(m)
            print(f"  missed: {row['query']!r} -> "
                  f"{m['name'] if m else None!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"netvet     {len(labels)} names: precision {precision:.3f}, "
          f"recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
