#!/usr/bin/env bash
# Compares iamlint's CloudTrail event -> IAM action mapping with trailscraper's (PyPI), over every
# event iamlint knows and the events of the fixture logs (tests/activity/, when present) or of
# the log files/directories given as arguments. Prints a summary; writes every difference to
# target/trailscraper-diff.tsv. Not part of CI: it installs trailscraper from PyPI into a venv.
#   scripts/compare-trailscraper.sh [LOG_PATH...]
set -euo pipefail
cd "$(dirname "$0")/.."
TRAILSCRAPER_VERSION=0.10.0
venv="${TRAILSCRAPER_VENV:-${TMPDIR:-/tmp}/iamlint-trailscraper-$TRAILSCRAPER_VERSION}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import trailscraper' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "trailscraper==$TRAILSCRAPER_VERSION"
fi
mkdir -p target
cargo xtask events --dump >target/events-dump.tsv
cargo xtask events --actions >target/events-actions.tsv
logs=("$@")
if [ ${#logs[@]} -eq 0 ] && [ -d tests/activity ]; then logs=(tests/activity); fi
"$venv/bin/python" scripts/compare-trailscraper.py target/events-dump.tsv \
  target/events-actions.tsv target/trailscraper-diff.tsv "${logs[@]}"
