#!/usr/bin/env bash
# Fuzzes parse + analyze (fuzz/fuzz_targets/analyze.rs) for SECONDS (default 60) with cargo-fuzz on
# the nightly toolchain, at low priority. Seeds the corpus with the rule examples' shapes and, when
# scripts/fetch-corpus.sh has run, 300 AWS managed policies. Exits non-zero on a crash; the input
# that crashed is left in fuzz/artifacts/analyze/. FUZZ_TARGET=host fuzzes the Terraform and
# CloudFormation readers instead (fuzz/fuzz_targets/host.rs), seeded with core/tests/fixtures/host.
#   scripts/fuzz.sh 900
#   FUZZ_TARGET=host scripts/fuzz.sh 600
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz.sh: needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version > /dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi

target="${FUZZ_TARGET:-analyze}"
corpus="$root/fuzz/corpus/$target"
mkdir -p "$corpus"
if [ "$target" = host ]; then
  cp "$root"/core/tests/fixtures/host/* "$corpus/"
fi
seed() { printf '%s' "$2" > "$corpus/seed-$1.json"; }
seed min '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}'
seed trust '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}'
seed cond '{"Statement":[{"Sid":"a","Effect":"Deny","NotAction":["iam:*"],"NotResource":"arn:aws:iam::*:role/${aws:username}","Condition":{"ForAnyValue:StringLikeIfExists":{"aws:TagKeys":["a*"]},"Bool":{"aws:SecureTransport":false}}}]}'
seed broken '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "s3:*", "Resource": "*"}, {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}'
latest="$root/.cache/managed-policies/latest"
if [ -d "$latest" ]; then
  find "$latest" -name '*.json' -size -8k | sort | awk 'NR % 4 == 0' | head -300 | while read -r f; do
    cp "$f" "$corpus/$(basename "$f")"
  done
fi

# `-s none`: no sanitizer. The core forbids unsafe code, so AddressSanitizer finds nothing that
# a panic would not, and without it every rule runs about three times faster.
# -max_len 16 KB keeps executions fast while covering multi-statement documents; -timeout flags
# any input that takes 20 s (FUZZ_TIMEOUT; quadratic rules on long lists show up here).
exec nice -n 19 cargo +nightly fuzz run -s none "$target" "$corpus" -- \
  -dict="$root/fuzz/iam.dict" -max_total_time="$seconds" -max_len=16384 -timeout="${FUZZ_TIMEOUT:-20}" \
  -print_final_stats=1
