#!/usr/bin/env python3
"""cfn-lint as an outside oracle for iamlint on CloudFormation templates.

Runs cfn-lint (JSON output, informational checks included) and `iamlint check --format json` on
the templates in tests/iac/cfn/. Every IAM finding of cfn-lint must either have an iamlint
counterpart (a finding with one of the listed codes inside the template node cfn-lint points at)
or match an entry with a documented reason. A cfn-lint IAM finding that matches no entry, or whose
counterpart iamlint does not report, fails the run; so does any iamlint finding in clean.yaml.
The same table is in docs/iac.md.

    tests/iac/cfn_oracle.py --iamlint target/release/iamlint [--cfn-lint cfn-lint]
"""

import argparse
import json
import os
import re
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "cfn")

# The cfn-lint rules that are about IAM policies.
IAM_RULES = {"E3510", "E3512", "E3513", "E3514", "E3530", "I3510", "W2511", "W3037", "E1156", "E3511"}

# (rule, message pattern) -> iamlint codes that count as the same finding, or a reason there is
# none. The first matching entry wins.
COUNTERPARTS = [
    ("W3037", r"is not a valid action\. Must be of the form", ["INVALID_SERVICE_IN_ACTION", "INVALID_ACTION"], None),
    ("W3037", r"^'[a-z0-9-]+' is not one of \['s3'\]", ["UNSUPPORTED_ACTION_IN_POLICY"], None),
    ("W3037", r"^'[a-z0-9-]+' is not one of \['a2c'", ["INVALID_SERVICE"], None),
    ("W3037", r"is not one of", ["INVALID_ACTION"], None),
    ("W2511", r"Version should be updated", [],
     "2008-10-17 is a version IAM still accepts; iamlint reports the old version only where it "
     "changes what the policy means (policy variables are then read literally), not by itself."),
    ("I3510", r"requires a resource of", ["RESOURCE_TYPE_MISMATCH", "MISSING_RESOURCE", "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD"], None),
    ("E3510", r"is not one of \['Allow', 'Deny'\]", ["INVALID_EFFECT"], None),
    ("E3512", r"is not one of \['Allow', 'Deny'\]", ["INVALID_EFFECT"], None),
    ("E3510", r"Only one of \['Resource', 'NotResource'\] is a required", ["MISSING_RESOURCE", "UNSUPPORTED_ELEMENT_COMBINATION"], None),
    ("E3510", r"Only one of \['Action', 'NotAction'\] is a required", ["MISSING_ACTION", "UNSUPPORTED_ELEMENT_COMBINATION", "INVALID_POLICY_ELEMENT"], None),
    ("E3510", r"\('Principal' was unexpected\)", ["UNSUPPORTED_PRINCIPAL"], None),
    ("E3510", r"\('[A-Za-z]+' was unexpected", ["INVALID_POLICY_ELEMENT"], None),
    ("E3510", r"does not match any of the regexes", ["INVALID_CONDITION_OPERATOR"], None),
    ("E3510", r"items are not unique for keys \['Sid'\]", ["UNIQUE_SIDS_REQUIRED"], None),
    ("E3512", r"items are not unique for keys \['Sid'\]", ["UNIQUE_SIDS_REQUIRED", "UNIQUE_SIDS_RECOMMENDED"], None),
    ("E3510", r"does not match '\^\(arn:", ["INVALID_ARN_PREFIX", "MISSING_ARN_FIELD"], None),
    ("E3512", r"Only one of \['Principal', 'NotPrincipal'\] is a required", ["MISSING_PRINCIPAL"], None),
    ("E3530", r"Only one of \['Principal', 'NotPrincipal'\] is a required", ["MISSING_PRINCIPAL"], None),
    ("E3530", r"\('Resource' was unexpected\)", ["ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"], None),
    ("E3514", r"^'\*' does not match", [],
     "cfn-lint requires an ARN in an S3 bucket policy's Resource; S3 accepts \"*\" there (it "
     "means every resource the bucket policy can govern, i.e. this bucket and its objects), so "
     "iamlint reports nothing."),
]


def yaml_nodes(root, path):
    """The nodes along `path` (keys and list indexes) of a composed YAML/JSON document, from the
    root to the deepest one that exists (a path into a policy written as a JSON string stops at
    that string)."""
    nodes = [root]
    for part in path:
        node = nodes[-1]
        found = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == part:
                    found = v
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            found = node.value[part]
        if found is None:
            break
        nodes.append(found)
    return nodes


def node_range(node):
    return ((node.start_mark.line + 1, node.start_mark.column + 1),
            (node.end_mark.line + 1, node.end_mark.column + 1))


def load_nodes(path):
    class Loader(yaml.SafeLoader):
        pass

    with open(path, encoding="utf-8") as f:
        return yaml.compose(f, Loader=Loader)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--iamlint", required=True)
    ap.add_argument("--cfn-lint", default="cfn-lint")
    opts = ap.parse_args()
    iamlint = os.path.abspath(opts.iamlint)

    files = sorted(f for f in os.listdir(TEMPLATES) if f.endswith((".yaml", ".json")))
    proc = subprocess.run(
        [opts.cfn_lint, "--format", "json", "--include-checks", "I", "--"] + files,
        cwd=TEMPLATES, capture_output=True, text=True)
    if proc.returncode not in (0, 2, 4, 6, 8, 10, 12, 14):
        sys.exit(f"cfn_oracle: cfn-lint failed ({proc.returncode}): {proc.stderr[:2000]}")
    oracle = [f for f in json.loads(proc.stdout or "[]") if f["Rule"]["Id"] in IAM_RULES]

    proc = subprocess.run([iamlint, "check", "--format", "json", "--fail-on", "error"] + files,
                          cwd=TEMPLATES, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"cfn_oracle: iamlint failed ({proc.returncode}): {proc.stderr[:2000]}")
    ours = {os.path.basename(f["path"]): f["diagnostics"] for f in json.loads(proc.stdout)["files"]}

    failed = False
    counted = {"counterpart": 0, "documented": 0}
    for finding in oracle:
        rule, message = finding["Rule"]["Id"], finding["Message"]
        name = os.path.basename(finding["Filename"])
        loc = finding["Location"]
        where = f"{name}:{loc['Start']['LineNumber']}:{loc['Start']['ColumnNumber']} {rule}"
        entry = next((e for e in COUNTERPARTS if e[0] == rule and re.search(e[1], message)), None)
        if entry is None:
            print(f"  NO ENTRY  {where}: {message[:160]}")
            failed = True
            continue
        _, _, codes, reason = entry
        if reason:
            counted["documented"] += 1
            print(f"  documented {where}: {message[:80]}")
            continue
        # The node cfn-lint names by its path (a key's value; the whole string of a policy
        # written as JSON text); failing that, the statement it is in, because the two tools
        # anchor a finding about two elements (Action and NotAction) on different ones.
        path = loc["Path"]
        nodes = yaml_nodes(load_nodes(os.path.join(TEMPLATES, name)), path)
        scopes = [node_range(nodes[-1])]
        if "Statement" in path and len(nodes) > path.index("Statement") + 2:
            scopes.append(node_range(nodes[path.index("Statement") + 2]))
        key = (loc["Start"]["LineNumber"], loc["Start"]["ColumnNumber"])
        hits = []
        for lo, hi in scopes:
            # A key's own position counts as well (cfn-lint points at the key, iamlint may too).
            lo = min(lo, key)
            hits = [
                d for d in ours.get(name, [])
                if d["code"] in codes
                and lo <= (d["range"]["start"]["line"], d["range"]["start"]["column"]) <= hi
            ]
            if hits:
                break
        if hits:
            counted["counterpart"] += 1
            print(f"  matched    {where} -> {hits[0]['code']} at "
                  f"{hits[0]['range']['start']['line']}:{hits[0]['range']['start']['column']}")
        else:
            near = [(d["code"], d["range"]["start"]["line"]) for d in ours.get(name, [])
                    if abs(d["range"]["start"]["line"] - key[0]) <= 3]
            print(f"  MISSING    {where}: {message[:100]}; expected one of {codes} in "
                  f"{scopes}; iamlint has nearby {near}")
            failed = True

    clean = ours.get("clean.yaml", [])
    if clean:
        failed = True
        for d in clean:
            print(f"  NOT CLEAN  clean.yaml:{d['range']['start']['line']} {d['code']}: {d['message'][:100]}")
    print(f"cfn_oracle: {len(oracle)} cfn-lint IAM findings on {len(files)} templates: "
          f"{counted['counterpart']} with an iamlint counterpart, {counted['documented']} documented "
          f"differences; iamlint reports {sum(len(v) for v in ours.values())} findings in all")
    if failed:
        sys.exit("cfn_oracle: FAILED (see above)")


if __name__ == "__main__":
    main()
