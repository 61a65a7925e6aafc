#!/usr/bin/env bash
# Differential test of iamlint's evaluation engine against @cloud-copilot/iam-simulate (AGPL),
# installed here only for the test and run as an outside program. Usage:
#   scripts/simulator-diff.sh [CASES] [SEED]      agreement report (fails below 99%)
#   scripts/simulator-diff.sh bench [REQUESTS]    requests per second of both engines, side by side
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$(scripts/fetch-corpus.sh)
if [ ! -d tests/simulator-diff/node_modules/@cloud-copilot/iam-simulate ]; then
  (cd tests/simulator-diff && npm install --no-audit --no-fund --silent)
fi
if [ "${1:-}" = bench ]; then
  cargo run --release --quiet -p iamlint-core --example simulator_diff -- bench --requests "${2:-2000}" --corpus "$corpus/latest" --out target/simulator-diff
else
  cargo run --release --quiet -p iamlint-core --example simulator_diff -- diff --cases "${1:-3000}" --seed "${2:-20261127}" --corpus "$corpus/latest" --out target/simulator-diff
fi
