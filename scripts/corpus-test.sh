#!/usr/bin/env bash
# Runs `iamlint check --format json` over every AWS managed policy (latest versions, checked as
# identity policies) and fails on a panic or crash, not on findings. Prints the number of
# findings by code. Fetches the pinned corpus first (scripts/fetch-corpus.sh).
#   scripts/corpus-test.sh            # uses target/release/iamlint, building it if missing
#   IAMLINT=path/to/iamlint scripts/corpus-test.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$("$root/scripts/fetch-corpus.sh")"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${IAMLINT:-$target/release/iamlint}"
if [ -z "${IAMLINT:-}" ]; then
  (cd "$root" && cargo build --release --quiet -p iamlint)
fi

out="$(mktemp)"
err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT
start=$(date +%s%N)
set +e
"$bin" check "$corpus/latest" --policy-type identity --format json --fail-on error > "$out" 2> "$err"
status=$?
set -e
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))

# 0 = nothing at --fail-on, 1 = findings: both fine. 2 = a file could not be read; anything
# else (101 = panic, 134/139 = abort/segfault) is a crash.
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  echo "corpus-test: iamlint exited with $status" >&2
  head -50 "$err" >&2
  exit 1
fi
if grep -q "panicked\|internal error" "$err"; then
  echo "corpus-test: iamlint panicked:" >&2
  grep -m 20 "panicked\|internal error" "$err" >&2
  exit 1
fi

python3 - "$out" "$elapsed_ms" <<'PY'
import json, sys, collections
data = json.load(open(sys.argv[1]))
files = data["files"]
by_code = collections.Counter()
by_cat = collections.Counter()
for f in files:
    for d in f["diagnostics"]:
        by_code[(d["category"], d["code"])] += 1
        by_cat[d["category"]] += 1
        for s in [d["span"]] + [e["span"] for fx in d["fixes"] for e in fx["edits"]]:
            assert 0 <= s["start"] <= s["end"], (f["path"], d)
if data["failures"]:
    sys.exit(f"corpus-test: {len(data['failures'])} files could not be checked: {data['failures'][:3]}")
print(f"corpus-test: {len(files)} managed policies checked in {int(sys.argv[2]) / 1000:.2f}s, "
      f"{sum(by_cat.values())} findings ({', '.join(f'{n} {c}' for c, n in sorted(by_cat.items()))})")
for (cat, code), n in sorted(by_code.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"  {n:6d}  {cat:10s}  {code}")
PY
