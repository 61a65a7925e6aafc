#!/usr/bin/env python3
"""Embedding equivalence: a policy must get the same findings wherever it is written.

Renders every policy of the managed-policy corpus (or a deterministic sample: --sample N) as
Terraform `jsonencode`, Terraform heredoc, `aws_iam_policy_document` (where that data source can
say the policy), CloudFormation YAML and CloudFormation JSON, and as JSON text in a quoted YAML
scalar and in an `Fn::Sub` template (tests/iac/render.py), runs
`iamlint check --format json` on the plain files and on each rendering, maps every finding's span
back to the element of the plain policy it points at, and compares (code, element) multisets.

Differences are printed, grouped, with an example each. A difference class (form, code,
direction) that is listed in KNOWN below, with its reason, is reported but accepted; anything else
fails the run (exit 1). The reasons are the ones docs/iac.md explains.

    tests/iac/equivalence.py --iamlint target/release/iamlint --corpus .cache/managed-policies/latest
        [--sample N] [--keep DIR] [--forms a,b] [--markdown FILE] [--fixes]

With --fixes it also compares the quick-fixes: every fix (code and kind of title) the plain JSON
finding offers must be offered by the same finding in each rendering, written in the host's
syntax. Missing fixes are counted per form and per fix kind; a form whose count is above its
entry in FIX_GAPS (the fixes a host cannot write, docs/iac.md) fails the run.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render  # noqa: E402

# (form, code, "missing" | "extra") -> why the rendering legitimately differs. "missing": the
# plain JSON has the finding and the rendering does not; "extra": the other way round.
KNOWN = {
    # None at present. (Until 5 December 2026 a policy document's one-item `actions = [...]` was
    # counted as a list where Terraform's JSON has a string, so one policy just under the size
    # quota went over it; the data source's one-item lists are now read as strings.)
}


# form -> how many of the plain JSON's fixes that rendering may lack, and why (docs/iac.md).
FIX_GAPS = {}


def fix_kind(code, title):
    """A fix's kind: its finding's code and its title with the values taken out (quoted text,
    names with a colon, numbers), so that fixes of one builder count together."""
    t = re.sub(r'"[^"]*"', '"…"', title)
    t = re.sub(r"\S*:\S*", "…:…", t)
    t = re.sub(r"\d+", "N", t)
    return f"{code}: {t}"


def sig(elements, span):
    """The element of the plain policy a finding's span points at, as a hashable signature."""
    s, e = span["start"], span["end"]
    # On a container's opening bracket, or an empty span where it starts (a host with no
    # bracket, such as a YAML mapping): the container as a whole (the innermost one there).
    at_start = [el for el in elements
                if el.chars is None and el.role == "value" and el.start == s and e - s <= el.open]
    if at_start:
        el = min(at_start, key=lambda el: el.end - el.start)
        return ("value", el.path, "start")
    best = None
    for el in elements:
        if el.start <= s and e <= el.end:
            # Keys win over the value that contains them; then the smallest element.
            rank = (0 if el.role == "key" else 1, el.end - el.start)
            if best is None or rank < best[0]:
                best = (rank, el)
    if best is None:
        return ("outside",)
    el = best[1]
    if el.chars is not None:
        content = (el.chars[0], el.chars[-1])
        if (s, e) in ((el.start, el.end), content):
            return (el.role, el.path)
        try:
            return (el.role, el.path, el.chars.index(s), el.chars.index(e))
        except ValueError:
            return (el.role, el.path, "inside")
    if (s, e) == (el.start, el.end):
        return (el.role, el.path)
    if s == e == el.start:
        return (el.role, el.path, "at-start")
    return (el.role, el.path, "inside")


def run_iamlint(binary, directory, policy_type):
    args = [binary, "check", directory, "--format", "json", "--fail-on", "error"]
    if policy_type:
        args += ["--policy-type", policy_type]
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1) or b"panicked" in proc.stderr:
        sys.exit(f"equivalence: iamlint exited with {proc.returncode} on {directory}:\n"
                 + proc.stderr.decode(errors="replace")[:2000])
    data = json.loads(proc.stdout)
    if data["failures"]:
        sys.exit(f"equivalence: files could not be checked: {data['failures'][:3]}")
    return {os.path.basename(f["path"]): f for f in data["files"]}, elapsed


def apply_fix(text, fix):
    """`text` with a fix's edits (byte spans) applied."""
    data = text.encode("utf-8")
    for e in sorted(fix["edits"], key=lambda e: e["span"]["start"], reverse=True):
        data = data[: e["span"]["start"]] + e["text"].encode("utf-8") + data[e["span"]["end"]:]
    return data.decode("utf-8")


def read_policy(form, text):
    """The policy a CloudFormation rendering holds, read by PyYAML (or json), or an exception."""
    if form == "cloudformation-json":
        doc = json.loads(text)
    else:
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        def tagged(loader, tag, node):
            # `!Sub` of a JSON text is kept as {"Fn::Sub": text}; other intrinsics are None.
            if tag == "Sub" and isinstance(node, yaml.ScalarNode):
                return {"Fn::Sub": loader.construct_scalar(node)}
            return None

        Loader.add_multi_constructor("!", tagged)
        doc = yaml.load(text, Loader=Loader)
    got = next(iter(doc["Resources"].values()))["Properties"]["PolicyDocument"]
    if isinstance(got, dict) and "Fn::Sub" in got:
        got = got["Fn::Sub"].replace("${!", "${")
    if isinstance(got, str):
        got = json.loads(got)
    return got


def check_parses_back(form, text, policy):
    """The YAML and JSON renderings must read back as the original policy (a renderer bug would
    otherwise look like an iamlint difference). Terraform is checked by iamlint's own reader:
    a syntax error there shows up as a difference."""
    if not form.startswith("cloudformation-"):
        return
    got = read_policy(form, text)
    if got != policy:
        sys.exit(f"equivalence: the {form} rendering does not read back as the policy")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iamlint", required=True)
    ap.add_argument("--corpus", required=True, help="folder of plain policy JSON files")
    ap.add_argument("--sample", type=int, default=0, help="check N policies (by name hash)")
    ap.add_argument("--keep", help="write the renderings here and keep them")
    ap.add_argument("--forms", default=",".join(render.FORMS))
    ap.add_argument("--markdown", help="write the difference table here (for docs/iac.md)")
    ap.add_argument("--fixes", action="store_true",
                    help="also compare the fixes each finding offers (see above)")
    ap.add_argument("--fix-oracle", type=int, default=10, metavar="N",
                    help="with --fixes: apply every Nth fix of the CloudFormation renderings and "
                    "read the result back with PyYAML/json (0: none)")
    opts = ap.parse_args()

    names = sorted(n for n in os.listdir(opts.corpus) if n.endswith(".json"))
    if opts.sample and opts.sample < len(names):
        # Deterministic: the same names on every run and machine.
        names = sorted(names, key=lambda n: zlib.crc32(n.encode()))[: opts.sample]
        names.sort()
    forms = [f for f in opts.forms.split(",") if f]
    try:
        import yaml  # noqa: F401
        have_yaml = True
    except ImportError:
        have_yaml = False
        print("equivalence: PyYAML missing; YAML renderings are not read back")

    work = opts.keep or tempfile.mkdtemp(prefix="iamlint-equivalence-")
    plain_dir = os.path.join(work, "plain")
    os.makedirs(plain_dir, exist_ok=True)
    policies, plain_elements = {}, {}
    for n in names:
        with open(os.path.join(opts.corpus, n), encoding="utf-8") as f:
            text = f.read()
        policy = json.loads(text)
        out = render.plain(policy)
        # The plain renderer must reproduce the corpus file byte for byte, or its spans are wrong.
        if out.text() != text:
            sys.exit(f"equivalence: the plain renderer does not reproduce {n}")
        with open(os.path.join(plain_dir, n), "w", encoding="utf-8") as f:
            f.write(text)
        stem = n[: -len(".json")]
        policies[stem] = policy
        plain_elements[stem] = out.elements

    rendered = {}  # form -> stem -> elements
    skipped = collections.Counter()
    for form in forms:
        fn, ext = render.FORMS[form]
        d = os.path.join(work, form)
        os.makedirs(d, exist_ok=True)
        rendered[form] = {}
        for i, stem in enumerate(sorted(policies)):
            policy = policies[stem]
            if form == "terraform-document":
                why = render.document_expressible(policy)
                if why:
                    skipped[(form, why)] += 1
                    continue
            out = fn(policy, stem, i)
            text = out.text()
            if have_yaml or form == "cloudformation-json":
                check_parses_back(form, text, policy)
            with open(os.path.join(d, stem + ext), "w", encoding="utf-8") as f:
                f.write(text)
            rendered[form][stem] = out.elements

    plain_results, plain_time = run_iamlint(opts.iamlint, plain_dir, "identity")

    def findings(result, elements):
        c = collections.Counter()
        for d in result["diagnostics"]:
            c[(d["code"], sig(elements, d["span"]))] += 1
        return c

    def fixes(result, elements):
        c = collections.Counter()
        for d in result["diagnostics"]:
            s = sig(elements, d["span"])
            for f in d.get("fixes", []):
                c[(fix_kind(d["code"], f["title"]), f["safety"], s)] += 1
        return c

    def fix_oracle(form, stem, result, elements):
        """Every `--fix-oracle`th fix of a CloudFormation rendering, applied: PyYAML (or json)
        must read the template, and its policy must be the plain policy with the same fix.
        Returns (checked, failures)."""
        ext = render.FORMS[form][1]
        with open(os.path.join(work, form, stem + ext), encoding="utf-8") as f:
            host = f.read()
        with open(os.path.join(plain_dir, stem + ".json"), encoding="utf-8") as f:
            plain_text = f.read()
        plain_by = {}
        for d in plain_results[stem + ".json"]["diagnostics"]:
            for f in d["fixes"]:
                key = (d["code"], sig(plain_elements[stem], d["span"]), f["title"])
                plain_by.setdefault(key, f)
        checked, failures = 0, []
        for d in result["diagnostics"]:
            for f in d["fixes"]:
                oracle_count[0] += 1
                if oracle_count[0] % opts.fix_oracle:
                    continue
                want = plain_by.get((d["code"], sig(elements, d["span"]), f["title"]))
                if want is None:
                    continue
                expected = json.loads(apply_fix(plain_text, want))
                try:
                    got = read_policy(form, apply_fix(host, f))
                except Exception as e:  # noqa: BLE001 - any reading error is the finding
                    got = f"unreadable: {e}"
                checked += 1
                if got != expected:
                    failures.append(f"{stem}: {d['code']} / {f['title']}")
        return checked, failures

    oracle_count = [0]

    plain_fixes = {}
    if opts.fixes:
        plain_fixes = {
            stem: fixes(plain_results[stem + ".json"], plain_elements[stem]) for stem in policies
        }

    plain_findings = {
        stem: findings(plain_results[stem + ".json"], plain_elements[stem]) for stem in policies
    }
    total_plain = sum(sum(c.values()) for c in plain_findings.values())
    print(f"equivalence: {len(policies)} policies, {total_plain} findings in the plain JSON "
          f"({plain_time * 1000:.0f} ms)")

    failed = False
    table = []
    for form in forms:
        ext = render.FORMS[form][1]
        results, elapsed = run_iamlint(opts.iamlint, os.path.join(work, form), None)
        same = 0
        diffs = collections.defaultdict(list)  # (code, direction) -> [(stem, signature, n)]
        for stem, elements in rendered[form].items():
            result = results.get(stem + ext)
            if result is None:
                sys.exit(f"equivalence: iamlint did not report {form}/{stem}{ext}")
            got = findings(result, elements)
            want = plain_findings[stem]
            same += sum((got & want).values())
            for (code, s), k in (want - got).items():
                diffs[(code, "missing")].append((stem, s, k))
            for (code, s), k in (got - want).items():
                diffs[(code, "extra")].append((stem, s, k))
        if opts.fixes:
            missing = collections.Counter()
            examples = {}
            offered = wanted = oracle_checked = 0
            oracle_failures = []
            for stem, elements in rendered[form].items():
                want = plain_fixes[stem]
                got = fixes(results[stem + ext], elements)
                wanted += sum(want.values())
                offered += sum((got & want).values())
                for (kind, safety, s), k in (want - got).items():
                    missing[(kind, safety)] += k
                    examples.setdefault((kind, safety), (stem, s))
                readable = form == "cloudformation-json" or have_yaml
                if form.startswith("cloudformation-") and opts.fix_oracle and readable:
                    k, bad = fix_oracle(form, stem, results[stem + ext], elements)
                    oracle_checked += k
                    oracle_failures += bad
            gap = wanted - offered
            print(f"\n{form}: fixes offered {offered}/{wanted}, missing {gap}")
            for (kind, safety), k in missing.most_common():
                stem, s = examples[(kind, safety)]
                print(f"  missing {k:5d} {safety:6s} {kind}  e.g. {stem} at {s}")
            if oracle_checked:
                print(f"  applied and read back by {'json' if form.endswith('json') else 'PyYAML'}:"
                      f" {oracle_checked} fixes, {len(oracle_failures)} not the plain fix's policy")
                for line in oracle_failures[:5]:
                    print(f"    {line}")
                failed = failed or bool(oracle_failures)
            if gap > FIX_GAPS.get(form, 0):
                print(f"  FIXES MISSING: {gap} > {FIX_GAPS.get(form, 0)} allowed for {form}")
                failed = True
            elif gap < FIX_GAPS.get(form, 0):
                print(f"  fewer fixes missing than FIX_GAPS allows ({FIX_GAPS[form]}): lower it")
        n = len(rendered[form])
        want_total = sum(sum(plain_findings[s].values()) for s in rendered[form])
        print(f"\n{form}: {n} policies, {same}/{want_total} findings on the same elements "
              f"({elapsed * 1000:.0f} ms, plain {plain_time * 1000:.0f} ms)")
        for (f, why), k in sorted(skipped.items()):
            if f == form:
                print(f"  not expressible, skipped: {k} ({why})")
        for (code, direction), items in sorted(diffs.items()):
            count = sum(k for _, _, k in items)
            reason = KNOWN.get((form, code, direction))
            mark = "known" if reason else "UNEXPLAINED"
            if not reason:
                failed = True
            stem, s, _ = items[0]
            print(f"  {mark}: {count} {direction} {code} in {len({i[0] for i in items})} policies, "
                  f"e.g. {stem} at {s}")
            if reason:
                print(f"         {reason}")
            table.append((form, code, direction, count, len({i[0] for i in items}), reason or ""))

    if opts.markdown:
        with open(opts.markdown, "w", encoding="utf-8") as f:
            f.write("| form | code | direction | findings | policies | reason |\n")
            f.write("| --- | --- | --- | --- | --- | --- |\n")
            for row in table:
                f.write("| " + " | ".join(str(x) for x in row) + " |\n")
    if not opts.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    if failed:
        print("\nequivalence: FAILED: differences without a known reason (see above)")
        sys.exit(1)
    print("\nequivalence: passed")


if __name__ == "__main__":
    main()
