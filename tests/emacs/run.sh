#!/usr/bin/env bash
# End-to-end test of `iamlint lsp` with Emacs 28 + eglot (Debian: emacs-nox elpa-eglot), batch mode.
# Usage: tests/emacs/run.sh path/to/iamlint [output-file]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(realpath "${1:?usage: run.sh path/to/iamlint [output-file]}")"
out="${2:-$(mktemp)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v emacs >/dev/null || { echo "emacs not installed (apt-get install -y emacs-nox elpa-eglot)" >&2; exit 2; }
cp "$here/../nvim/policy.json" "$work/policy.json"
git -C "$work" init -q   # a project root for project.el
status=0
IAMLINT_BIN="$bin" IAMLINT_POLICY="$work/policy.json" IAMLINT_OUT="$out" \
  timeout 120 emacs --batch --no-init-file -l "$here/eglot-test.el" >"$work/emacs.log" 2>&1 || status=$?
cat "$out" 2>/dev/null || true
[ "$status" -eq 0 ] || { echo "emacs exited with $status; log:" >&2; tail -20 "$work/emacs.log" >&2; exit 1; }
expect() { grep -qE "$1" "$out" || { echo "missing in output: $1" >&2; exit 1; }; }
expect '^diagnostic 4 eglot-error iamlint \[INVALID_EFFECT\]'
expect '^diagnostic 1 eglot-warning iamlint \[MISSING_VERSION\]'
expect '^hover \*\*s3:GetObject\*\*'
expect '^action .*\[quickfix\]$'
expect '^after quickfix: "Effect": "Allow",$'
expect '^OK$'
echo "emacs eglot end-to-end: passed"
