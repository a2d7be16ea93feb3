"""Precision and recall of `netvet screen --json` results, overall, per
kind and per list source, with the failures listed.

Usage:
  screen_report.py gen LISTDIR GENERATED.csv RESULTS.jsonl FAILURES.txt
                   [ALIASES.csv ALIASES.jsonl]
  screen_report.py frozen LISTDIR LABELS.csv RESULTS.jsonl FAILURES.txt
                   [--strict]

Only the match band counts as a hit (a review is not).  Generated sets
(screen_gen.py): a match is right when the matched party is in the
target's group (the same company on any list; with an alias table,
e.g. data/screen/aliases-zh.csv, and ALIASES.jsonl, netvet's screen of
its aliases against the lists alone, a party the table gives an alias
and the parties whose listed name that alias is, once normalised (score
1), are one company: "Yitu Technologies" and "Shanghai Yitu Network
Technology Co., Ltd." by 上海依图网络科技有限公司).  The frozen hand-made set
(query, expected, kind): a match is right when the expected words are in
the matched party's name, the name that matched, its parent's name, a
listing's name or (unless --strict) an alias of a listing.  Per list source: a positive counts for its
target's list (frozen: the list of the first party whose names hold the
expected words); a wrong match counts as a false positive of the matched
party's list.
"""
import collections
import csv
import json
import re
import sys

import screen_gen


def words(s):
    return " ".join(re.findall(r"[a-z0-9]+", (s or "").lower()))


class Tally:
    def __init__(self):
        self.c = collections.defaultdict(lambda: [0, 0, 0])

    def add(self, key, tp=0, fp=0, fn=0):
        self.c[key][0] += tp
        self.c[key][1] += fp
        self.c[key][2] += fn

    def print(self, title):
        print(f"  {title:<16} {'n':>6} {'precision':>9} {'recall':>7}")
        for k in sorted(self.c):
            tp, fp, fn = self.c[k]
            p = tp / (tp + fp) if tp + fp else 1.0
            r = tp / (tp + fn) if tp + fn else 1.0
            print(f"  {k or '-':<16} {tp + fp + fn:>6} {p:>9.3f} {r:>7.3f}")


def hit_names(m):
    """(list, name) of the matched party and of every listing it has."""
    out = [(m.get("list"), m.get("name"))]
    for x in m.get("lists") or []:
        out.append((x.get("list"), x.get("name")))
    return out


def judge_gen(row, m, group):
    if not m:
        return None
    gs = {group.get((lst, name)) for lst, name in hit_names(m)}
    return group.get((row["list"], row["target"]), row["group"]) in gs


def alias_links(parties, table_path, results_path):
    """Pairs of parties that an alias table makes one company: the party
    a row gives an alias (named as a list names it, in words) and every
    listing of the party whose name the alias is (an exact match)."""
    by_key = {}
    for pid, p in parties.items():
        by_key.setdefault(screen_gen.key(p["name"]), []).append(pid)
    rows = list(csv.DictReader(open(table_path, encoding="utf-8")))
    results = [json.loads(line) for line in open(results_path)]
    assert len(rows) == len(results), "one result per alias"
    links = []
    for row, res in zip(rows, results):
        m = res["match"]
        if not m or m.get("score", 0) < 1:
            continue
        for a in by_key.get(screen_gen.key(row["alias_of"]), []):
            links += [(a, b) for b in hit_names(m)]
    return links


def judge_frozen(row, m, parties, strict):
    """The expected words in the matched party's name, the name that
    matched, its parent or any listing's name; unless strict, also in
    any alias of its listings ("Pozitiv Tekhnolodzhiz" matching the
    party whose alias is "JSC Positive Technologies" is right)."""
    if not m:
        return None
    got = " | ".join(words(m.get(k)) for k in ("name", "matched", "parent"))
    got += " | " + " | ".join(words(n) for _, n in hit_names(m))
    for key in ([] if strict else hit_names(m)):
        p = parties.get(key)
        got += " | " + " | ".join(words(a) for a in (p["alts"] if p else []))
    return words(row["expected"]) in got


def frozen_lists(parties, labels):
    order = ["us-entity-list", "fcc-covered", "ndaa-889", "dod-1260h"]
    out = {}
    for row in labels:
        k = words(row["expected"])
        if k == "none" or k in out:
            continue
        found = [p["list"] for p in parties.values()
                 if any(k in words(n) for n in [p["name"]] + p["alts"])]
        found.sort(key=lambda x: order.index(x) if x in order else 9)
        out[k] = found[0] if found else "?"
    return out


def main(mode, listdir, labels_path, results_path, failures_path,
         *extra):
    labels = list(csv.DictReader(open(labels_path, encoding="utf-8")))
    results = [json.loads(line) for line in open(results_path)]
    assert len(labels) == len(results), "one result per query"
    parties = screen_gen.read_parties(listdir)
    strict = "--strict" in extra
    links = alias_links(parties, *extra) if len(extra) == 2 else ()
    group = screen_gen.groups(parties, links)
    src = frozen_lists(parties, labels) if mode == "frozen" else {}
    total, kinds, lists = Tally(), Tally(), Tally()
    fails = []
    for row, res in zip(labels, results):
        assert res["query"] == row["query"], (res["query"], row["query"])
        m = res["match"]
        neg = (row.get("group") or row.get("expected")) == "NONE"
        ok = judge_gen(row, m, group) if mode == "gen" else \
            judge_frozen(row, m, parties, strict)
        target = row.get("list") if mode == "gen" else \
            src.get(words(row["expected"]), "")
        mlist = m.get("list") if m else None
        if neg:
            tally = dict(fp=1) if m else {}
            for t in (total, kinds):
                t.add("all" if t is total else row["kind"], **tally)
            if m:
                lists.add(mlist, fp=1)
        elif ok:
            total.add("all", tp=1)
            kinds.add(row["kind"], tp=1)
            lists.add(target, tp=1)
        else:
            total.add("all", fp=bool(m), fn=1)
            kinds.add(row["kind"], fp=bool(m), fn=1)
            lists.add(target, fn=1)
            if m:
                lists.add(mlist, fp=1)
        if (neg and m) or (not neg and not ok):
            want = row.get("target") or row.get("expected")
            fails.append(f"{row['kind']:<13} {row['query']!r} -> "
                         f"{m['name'] if m else None!r} [{mlist}] "
                         f"(want {'nothing' if neg else repr(want)})")
    total.print(labels_path)
    kinds.print("by kind")
    lists.print("by list source")
    with open(failures_path, "w", encoding="utf-8") as f:
        f.write("\n".join(fails) + "\n")
    print(f"  {len(fails)} failures in {failures_path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
