#!/usr/bin/env python3
"""Compares iamlint's CloudTrail event to IAM action mapping with trailscraper's.

Run through scripts/compare-trailscraper.sh, which installs trailscraper in a venv and passes:
  argv[1]  `cargo xtask events --dump` output: source, event, actions, data|management (TSV)
  argv[2]  `cargo xtask events --actions` output: every catalog action and its tracking (TSV)
  argv[3]  where to write every differing event (TSV)
  argv[4:] optional CloudTrail log files or directories (.json / .json.gz): their events are
           compared too, as iamlint's lookup answers them (`cargo xtask events --lookup`, which
           strips API versions), including events iamlint does not know.

trailscraper maps one event at a time (Record.to_statement), so it is asked about every event
iamlint knows plus the events of the given logs. Each difference is put in one category; the
categories are explained in docs/activity.md ("Compared with trailscraper").
"""

import gzip
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

from trailscraper.cloudtrail import Record


def load_ours(path):
    ours = {}
    for line in open(path, encoding="utf-8"):
        source, event, actions, _kind = line.rstrip("\n").split("\t")
        ours[(source, event.lower())] = (event, [a.split("@")[0] for a in actions.split(",")])
    return ours


def load_catalog(path):
    return {line.split("\t")[0].lower() for line in open(path, encoding="utf-8")}


def lookup(pairs):
    """iamlint's actions for (source, event) pairs, through the core's own lookup."""
    text = "".join(f"{s}\t{e}\n" for s, e in pairs)
    out = subprocess.run(["cargo", "xtask", "events", "--lookup"], input=text, text=True,
                         capture_output=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        source, event, actions, _kind = line.split("\t")
        found[(source, event)] = [a.split("@")[0] for a in actions.split(",") if a]
    return found


def theirs(source, event):
    """trailscraper's actions for one event; None when it raises (it looks API Gateway events up
    in its own botocore copy, which fails for API Gateway v2 operations)."""
    try:
        statement = Record(source, event).to_statement()
    except Exception:  # pylint: disable=broad-except
        return None
    if statement is None:
        return []
    return [a.json_repr() for a in statement.Action]


def log_events(paths):
    """(source, event) pairs of the records in CloudTrail files, with their counts."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            for root, _dirs, names in os.walk(p):
                files += [os.path.join(root, n) for n in names if n.endswith((".json", ".json.gz"))]
        else:
            files.append(p)
    seen = Counter()
    for f in sorted(files):
        opener = gzip.open if f.endswith(".gz") else open
        try:
            with opener(f, "rt", encoding="utf-8") as fh:
                doc = json.load(fh)
        except (OSError, ValueError):
            continue
        records = doc.get("Records") if isinstance(doc, dict) else None
        if records is None and isinstance(doc, dict) and "Events" in doc:
            records = [json.loads(e["CloudTrailEvent"]) for e in doc["Events"] if "CloudTrailEvent" in e]
        for r in records or []:
            if isinstance(r, dict) and "eventSource" in r and "eventName" in r:
                seen[(r["eventSource"], r["eventName"])] += 1
    return seen


def category(ours_actions, their_actions, catalog, prefixes):
    """The kind of difference, or None when both give the same actions (without case)."""
    if their_actions is None:
        return "trailscraper fails on the event"
    o = {a.lower() for a in ours_actions}
    t = {a.lower() for a in their_actions}
    if o == t:
        return None
    if not t:
        return "trailscraper drops the event"
    if not o:
        return "unknown to iamlint"
    if t < o:
        return "iamlint needs more actions"
    invalid = [a for a in t if a not in catalog]
    if any(a.split(":")[0] not in prefixes for a in invalid):
        return "trailscraper's service prefix does not exist"
    if invalid:
        return "trailscraper's action does not exist"
    return "both name real actions, differently"


def main():
    ours = load_ours(sys.argv[1])
    catalog = load_catalog(sys.argv[2])
    prefixes = {a.split(":")[0] for a in catalog}
    out_path = sys.argv[3]
    logs = log_events(sys.argv[4:])

    looked_up = lookup(sorted(logs))
    pairs = {k: v[0] for k, v in ours.items()}
    for (source, event) in logs:
        pairs.setdefault((source, event.lower()), event)

    def mine_for(source, event):
        found = ours.get((source, event.lower()))
        return found[1] if found else looked_up.get((source, event), [])

    by_category = defaultdict(list)
    same = 0
    for (source, lower), event in sorted(pairs.items()):
        mine_actions = mine_for(source, event)
        their_actions = theirs(source, event)
        cat = category(mine_actions, their_actions, catalog, prefixes)
        if cat is None:
            same += 1
            continue
        by_category[cat].append((source, event, mine_actions or [], their_actions))

    with open(out_path, "w", encoding="utf-8") as out:
        out.write("category\tsource\tevent\tiamlint\ttrailscraper\n")
        for cat in sorted(by_category):
            for source, event, mine, their in by_category[cat]:
                out.write(f"{cat}\t{source}\t{event}\t{','.join(mine)}\t{','.join(their or [])}\n")

    total = len(pairs)
    print(f"events compared: {total} ({len(ours)} known to iamlint, {len(logs)} distinct in the logs)")
    print(f"same actions: {same}")
    for cat in sorted(by_category, key=lambda c: -len(by_category[c])):
        rows = by_category[cat]
        print(f"{cat}: {len(rows)}")
        by_source = Counter(r[0] for r in rows)
        print("  by source: " + ", ".join(f"{s} {n}" for s, n in by_source.most_common(8)))
        for source, event, mine, their in rows[:6]:
            print(f"  e.g. {source} {event}: iamlint {','.join(mine) or '-'}, "
                  f"trailscraper {','.join(their or []) or '-'}")
    if logs:
        log_diff = [(k, n) for k, n in logs.items()
                    if category(mine_for(*k), theirs(*k), catalog, prefixes) is not None]
        print(f"log events (distinct) that differ: {len(log_diff)} of {len(logs)} "
              f"({sum(logs.values())} records)")
        for (source, event), n in sorted(log_diff):
            print(f"  {source} {event} ({n}x): iamlint {','.join(mine_for(source, event)) or '-'}, "
                  f"trailscraper {','.join(theirs(source, event) or []) or '-'}")
    print(f"every difference: {out_path}")


if __name__ == "__main__":
    main()
