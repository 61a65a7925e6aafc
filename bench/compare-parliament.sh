#!/usr/bin/env bash
# Times parliament (Duo Labs' IAM linter, from PyPI, in a throwaway virtualenv) against
# `iamlint check` (release build) on the same corpus in one run, whole process each, every rule on
# (parliament with its community auditors), and prints the ratio.
#
# parliament's own `--directory` mode stops at the first policy it crashes on, so it runs here
# through a small driver doing exactly what that mode does (read each file, analyze_policy_string,
# enhance_finding), with each policy's crash caught and counted.
#   bench/compare-parliament.sh            # the latest AWS managed policies (~1,600 files)
#   bench/compare-parliament.sh DIR        # any directory of *.json policies
#   PARLIAMENT_COMMUNITY=0 bench/...       # parliament's default rules only (no community auditors)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="${1:-$("$root/scripts/fetch-corpus.sh")/latest}"
target="${CARGO_TARGET_DIR:-$root/target}"
# IAMLINT=path/to/iamlint skips the build and times that binary.
iamlint="${IAMLINT:-$target/release/iamlint}"
if [ -z "${IAMLINT:-}" ]; then
  (cd "$root" && cargo build --release --quiet -p iamlint)
fi

venv="$(mktemp -d /tmp/parliament-venv.XXXXXX)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check parliament
cat > "$venv/driver.py" <<'PY'
import sys
from os.path import abspath
from pathlib import Path

from parliament import analyze_policy_string, enhance_finding, override_config, config

community = sys.argv[2] == "1"
if community:
    override_config(Path(abspath(__import__("parliament").__file__)).parent / "community_auditors" / "config_override.yaml")
files = sorted(Path(sys.argv[1]).rglob("*.json"))
findings = crashes = 0
crashed = []
for path in files:
    try:
        policy = analyze_policy_string(path.read_text(), str(path), include_community_auditors=community, config=config)
        findings += sum(1 for f in policy.findings if enhance_finding(f))
    except Exception as e:  # parliament raises on some valid policies
        crashes += 1
        crashed.append(f"{path.name} ({type(e).__name__}: {e})")
print(f"{len(files)} {findings} {crashes}")
for c in crashed:
    print(c, file=sys.stderr)
PY

now() { date +%s%N; }
files=$(find "$corpus" -name '*.json' | wc -l)
echo "corpus: $corpus ($files files)"
echo "parliament $("$venv/bin/pip" show parliament | awk '/^Version:/ {print $2}'); $("$iamlint" --version)"
echo "parliament community auditors: $([ "${PARLIAMENT_COMMUNITY:-1}" = 1 ] && echo on || echo off)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

start=$(now)
read -r pfiles pfindings pcrashes < <("$venv/bin/python" "$venv/driver.py" "$corpus" "${PARLIAMENT_COMMUNITY:-1}" 2> "$venv/crashes")
parliament_ns=$(( $(now) - start ))

best=""
runs=0
for _ in 1 2 3; do
  runs=$((runs + 1))
  start=$(now)
  "$iamlint" check "$corpus" --policy-type identity --format json > "$venv/iamlint.json" || [ $? -eq 1 ]
  t=$(( $(now) - start ))
  if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
  # A run over 10 s is not going to change the picture: do not repeat it.
  if [ "$t" -gt 10000000000 ]; then break; fi
done
ifindings=$(python3 -c 'import json,sys; print(sum(len(f["diagnostics"]) for f in json.load(open(sys.argv[1]))["files"]))' "$venv/iamlint.json")

python3 - "$parliament_ns" "$best" <<PY
import sys
p, i = (int(x) for x in sys.argv[1:])
print(f"parliament : {p/1e9:8.2f} s  ({$pfiles} files, $pfindings findings, $pcrashes crashed)")
print(f"iamlint    : {i/1e9:8.3f} s  (best of $runs; $ifindings findings)")
print(f"ratio      : {p/i:8.0f}x faster")
PY
if [ "$pcrashes" -gt 0 ]; then
  echo "parliament crashed on:"
  sed 's/^/  /' "$venv/crashes"
fi
