#!/usr/bin/env bash
# The usage query of docs/activity.md, run as written with DuckDB over the fixture logs of
# tests/activity, and `iamlint generate --usage` on its rows compared with `--cloudtrail` on the
# same logs (tests/activity/sql_test.py). DuckDB lives in the venv scripts/setup.sh makes.
#   scripts/test-activity.sh                  # uses target/release/iamlint, building it if missing
#   IAMLINT=path/to/iamlint scripts/test-activity.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${IAMLINT:-$target/release/iamlint}"
if [ -z "${IAMLINT:-}" ]; then
  (cd "$root" && cargo build --release --quiet -p iamlint)
fi
py="$root/.cache/py-activity/bin/python"
if ! "$py" -c 'import duckdb' 2>/dev/null; then
  echo "test-activity: DuckDB is not installed in .cache/py-activity (scripts/setup.sh installs it)" >&2
  exit 1
fi
"$py" "$root/tests/activity/sql_test.py" --iamlint "$bin"
