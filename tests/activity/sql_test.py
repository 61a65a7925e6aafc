#!/usr/bin/env python3
"""The usage query of docs/activity.md, run as written with DuckDB over the fixture logs, and
`iamlint generate --usage` on its result compared with `iamlint generate --cloudtrail` on the
same logs.

DuckDB stands in for Athena/Trino: a view named `cloudtrail_logs` gives the fixture logs the
columns of the CloudTrail table Athena creates (`eventtime`, `eventsource`, `eventname`,
`errorcode`, and the `useridentity` struct), and the query text is taken from the docs between
the `usage-query` markers, unchanged. Its rows are written as CSV (as Athena downloads them)
and as JSON lines.

    python3 tests/activity/sql_test.py --iamlint target/release/iamlint
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOGS = os.path.join(ROOT, "tests", "activity", "logs")
PRINCIPALS = [
    "arn:aws:iam::111122223333:role/service/deploy",
    "arn:aws:sts::111122223333:assumed-role/deploy/nightly",
    "arn:aws:iam::111122223333:user/alice",
]

VIEW = """
CREATE VIEW cloudtrail_logs AS
WITH files AS (SELECT json AS j FROM read_json_objects(?, format = 'auto')),
records AS (SELECT unnest(json_extract(j, '$.Records[*]')) AS r FROM files)
SELECT
  json_extract_string(r, '$.eventTime') AS eventtime,
  json_extract_string(r, '$.eventSource') AS eventsource,
  json_extract_string(r, '$.eventName') AS eventname,
  json_extract_string(r, '$.awsRegion') AS awsregion,
  json_extract_string(r, '$.errorCode') AS errorcode,
  {'type': json_extract_string(r, '$.userIdentity.type'),
   'arn': json_extract_string(r, '$.userIdentity.arn'),
   'sessioncontext': {'sessionissuer': {
       'arn': json_extract_string(r, '$.userIdentity.sessionContext.sessionIssuer.arn')}}}
    AS useridentity
FROM records
"""


def query_text():
    with open(os.path.join(ROOT, "docs", "activity.md")) as f:
        doc = f.read()
    m = re.search(r"<!-- usage-query: begin -->\s*```sql\n(.*?)```\s*<!-- usage-query: end -->", doc, re.S)
    if not m:
        sys.exit("sql_test: the usage query is not in docs/activity.md")
    return m.group(1)


def run(iamlint, *args):
    p = subprocess.run([iamlint, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"sql_test: iamlint {' '.join(args)} exited {p.returncode}:\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iamlint", required=True)
    args = ap.parse_args()
    con = duckdb.connect()
    con.execute(VIEW.replace("?", "'" + os.path.join(LOGS, "**", "*.json*").replace("'", "''") + "'"))
    cur = con.execute(query_text())
    columns = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert columns == ["principal", "eventSource", "eventName", "count", "lastSeen"], columns
    # Every record of the fixtures but the failed call is counted.
    assert sum(r[3] for r in rows) == 17, rows
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = os.path.join(tmp, "usage.csv")
        with open(csv_path, "w", newline="") as f:
            w = csv.writer(f, quoting=csv.QUOTE_ALL)
            w.writerow(columns)
            w.writerows(rows)
        jsonl_path = os.path.join(tmp, "usage.jsonl")
        with open(jsonl_path, "w") as f:
            for r in rows:
                f.write(json.dumps(dict(zip(columns, r))) + "\n")
        checks = 0
        for principal in PRINCIPALS:
            for mode in ["placeholder", "star"]:
                common = ["--principal", principal, "--resources", mode]
                from_logs = run(args.iamlint, "generate", "--cloudtrail", LOGS, "--since", "2026-01-01",
                                "--until", "2026-01-31", *common)
                for rows_path in [csv_path, jsonl_path]:
                    from_rows = run(args.iamlint, "generate", "--usage", rows_path, *common)
                    checks += 1
                    if from_rows != from_logs:
                        failures += 1
                        print(f"FAIL {principal} {mode} {os.path.basename(rows_path)}:\n"
                              f"--- from the logs\n{from_logs}\n--- from the rows\n{from_rows}")
    print(f"sql_test: the docs' query gave {len(rows)} usage rows; "
          f"--usage gave the same policy as --cloudtrail in {checks - failures} of {checks} cases")
    print(f"{checks - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
