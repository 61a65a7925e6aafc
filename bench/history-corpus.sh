#!/usr/bin/env bash
# Times `iamlint check` (release build, every rule, JSON output) over the full history of the AWS
# managed policies (~6,200 files, ~54 MB) on all cores. Target: under 1 s on 2 cores.
#   bench/history-corpus.sh [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$("$root/scripts/fetch-corpus.sh")/history"
target="${CARGO_TARGET_DIR:-$root/target}"
runs="${1:-5}"
# IAMLINT=path/to/iamlint skips the build and times that binary.
iamlint="${IAMLINT:-$target/release/iamlint}"
if [ -z "${IAMLINT:-}" ]; then
  (cd "$root" && cargo build --release --quiet -p iamlint)
fi
files=$(find "$corpus" -name '*.json' | wc -l)
bytes=$(find "$corpus" -name '*.json' -printf '%s\n' | awk '{s += $1} END {print s}')
echo "corpus: $files files, $((bytes / 1000000)) MB; $(nproc) cores; iamlint $("$iamlint" --version)"
# Warm the page cache so the first run does not time the disk.
find "$corpus" -name '*.json' -exec cat {} + > /dev/null
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "$runs" -i \
    "$iamlint check $corpus --policy-type identity --format json > /dev/null"
else
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$iamlint" check "$corpus" --policy-type identity --format json > /dev/null || [ $? -eq 1 ]
    echo "$(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
fi
