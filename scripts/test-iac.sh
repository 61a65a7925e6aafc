#!/usr/bin/env bash
# Policies where they are written (Terraform, CloudFormation), checked against two references:
#  1. embedding equivalence: every AWS managed policy rendered as Terraform jsonencode, heredoc and
#     aws_iam_policy_document, and as CloudFormation YAML and JSON (also JSON text in a quoted
#     scalar and in Fn::Sub), must get the same findings on
#     the same elements as the plain JSON file (tests/iac/equivalence.py; known differences are
#     listed there with their reasons, and in docs/iac.md), and every quick-fix of the plain file
#     offered in each rendering too (every tenth of the CloudFormation ones applied and read back
#     by PyYAML or json as the plain file's policy after the same fix);
#  2. cfn-lint as an outside oracle on the templates in tests/iac/cfn (tests/iac/cfn_oracle.py),
#     when cfn-lint is installed (scripts/setup.sh installs it).
#   scripts/test-iac.sh                  # uses target/release/iamlint, building it if missing
#   IAMLINT=path/to/iamlint scripts/test-iac.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$("$root/scripts/fetch-corpus.sh")"
target="${CARGO_TARGET_DIR:-$root/target}"
bin="${IAMLINT:-$target/release/iamlint}"
if [ -z "${IAMLINT:-}" ]; then
  (cd "$root" && cargo build --release --quiet -p iamlint)
fi

python3 "$root/tests/iac/equivalence.py" --iamlint "$bin" --corpus "$corpus/latest" --fixes

if command -v cfn-lint >/dev/null; then
  python3 "$root/tests/iac/cfn_oracle.py" --iamlint "$bin"
else
  echo "test-iac: cfn-lint is not installed (scripts/setup.sh installs it); oracle skipped"
fi
