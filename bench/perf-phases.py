#!/usr/bin/env python3
"""Share of CPU samples per phase and per rule of a `check` run, from a perf profile.

    perf record -F 1500 --call-graph dwarf,16384 -o perf.data \
        target/release/iamlint check .cache/managed-policies/history --policy-type identity \
        --format json > /dev/null
    perf script -i perf.data -F comm,ip,sym > perf.script
    bench/perf-phases.py perf.script [TOP]

Each sample is billed to the outermost phase on its stack (a rule's `check`, the JSON or human
writer, the parser, file reading, the folder walk), except that the shared action expansion
(`facts::ExpandedList::new`) is its own phase whichever rule asked first, and a rule's fix
builders (`Reported::fixes_with`) are shown apart as "[fix]". For each phase, the three
functions most samples were in.
"""
import collections
import re
import sys

PHASE = re.compile(
    r"(rules::[a-z_:]+::check|json::render_file|human::render_file|sarif::write"
    r"|syntax::parse|read_text|inputs::walk)"
)


def stacks(path):
    for block in open(path).read().split("\n\n"):
        lines = [l.strip() for l in block.strip().split("\n")]
        if len(lines) > 1:
            # Frames leaf first, each "address symbol".
            yield [l.split(" ", 1)[1] if " " in l else l for l in lines[1:]]


def phase(frames):
    key = "other"
    for f in reversed(frames):
        m = PHASE.search(f)
        if m:
            key = m.group(1)
            break
    for f in frames:
        if "ExpandedList::new" in f:
            return "facts::ExpandedList::new (action expansion)"
        if "Reported::fixes_with" in f and key.startswith("rules::"):
            return key + " [fix]"
    return key


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    by = collections.Counter()
    leaves = collections.defaultdict(collections.Counter)
    n = 0
    for frames in stacks(path):
        n += 1
        key = phase(frames)
        by[key] += 1
        leaves[key][frames[0][:70]] += 1
    for key, count in by.most_common(top):
        hot = ", ".join(f"{l} {c}" for l, c in leaves[key].most_common(3))
        print(f"{100 * count / n:6.2f}%  {key}   ({hot})")
    print(f"{n} samples")


if __name__ == "__main__":
    main()
