#!/usr/bin/env bash
# End-to-end test of `iamlint lsp` with a real editor: Neovim 0.7.2, headless, on a policy file
# (init.lua) and on a Terraform file (terraform.lua).
# Usage: tests/nvim/run.sh path/to/iamlint [output-file]
# Exits non-zero when Neovim fails or the output misses an expected line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(realpath "${1:?usage: run.sh path/to/iamlint [output-file]}")"
out="${2:-$(mktemp)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/policy.json" "$work/policy.json"
command -v nvim >/dev/null || { echo "nvim not installed (apt-get install -y neovim)" >&2; exit 2; }

# run_nvim SCRIPT FILE OUT: Neovim on FILE with tests/nvim/SCRIPT, what it saw in OUT (printed).
run_nvim() {
  local status=0
  IAMLINT_BIN="$bin" IAMLINT_POLICY="$2" IAMLINT_OUT="$3" \
    timeout 120 nvim --headless --clean -n -c "luafile $here/$1" >/dev/null 2>&1 || status=$?
  cat "$3" 2>/dev/null || true
  [ "$status" -eq 0 ] || { echo "nvim exited with $status on $2" >&2; exit 1; }
}
run_nvim init.lua "$work/policy.json" "$out"

expect() {
  grep -qE "$1" "$out" || { echo "missing in output: $1" >&2; exit 1; }
}
expect '^diagnostic 4:17 INVALID_EFFECT severity=1 '
expect '^diagnostic 1:1 MISSING_VERSION severity=2 '
expect '^hover \*\*s3:GetObject\*\*'
expect '^action .*\[quickfix\] preferred$'
expect '^resolved '
expect '^after quickfix: "Effect": "Allow",$'
expect '^fixall .*\[source\.fixAll\.iamlint\]$'
expect '^final \{ +"Version": "2012-10-17",'
expect '^OK$'

# The same server on a Terraform file: the finding inside jsonencode(...) at its .tf position.
cp "$here/../iac/ec2-s3-typo.tf" "$work/main.tf"
tf_out="$work/terraform.txt"
run_nvim terraform.lua "$work/main.tf" "$tf_out"
out="$tf_out"
expect '^diagnostic 19:23 INVALID_ACTION severity=1$'
expect '^hover \*\*s3:ListBucket\*\*'
expect '^after edit: Action += \["s3:GetObject", "s3:ListBucket"\]$'
expect '^OK$'
if grep -q '^diagnostic 20:' "$out"; then echo "a finding on the computed ARN (line 20)" >&2; exit 1; fi

# Unused grants: an iamlint.toml [[activity]] table names the fixture CloudTrail logs; the
# never-used dynamodb:DeleteTable arrives as a hint (severity 4) on its item (line 13, column 79).
mkdir -p "$work/unused"
cp "$here/../activity/deploy-policy.json" "$work/unused/deploy.json"
cp -r "$here/../activity/logs" "$work/unused/logs"
cat > "$work/unused/iamlint.toml" <<'TOML'
[[activity]]
glob = "*.json"
principal = "arn:aws:iam::111122223333:role/service/deploy"
cloudtrail = ["logs/"]
TOML
unused_out="$work/unused.txt"
run_nvim unused.lua "$work/unused/deploy.json" "$unused_out"
out="$unused_out"
expect '^hint 13:79 severity=4 "dynamodb:DeleteTable"$'
expect '^OK$'
if grep -q '"iam:PassRole"' "$out"; then echo "a hint on the untracked iam:PassRole" >&2; exit 1; fi
echo "nvim LSP end-to-end: passed"
