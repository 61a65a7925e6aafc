#!/usr/bin/env bash
# Sets up a fresh machine and runs every test iamlint has: formatting and lints, the Rust tests of
# every crate, the AWS managed-policy corpus, the language server in a real Neovim, the playground
# in a real Chromium, and the VS Code extension in a real VS Code (code-server). CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
start=$(date +%s)
stage() { printf '\n==== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

stage "setup"
scripts/setup.sh --browser --editor

stage "cargo fmt --check"
cargo fmt --all -- --check

stage "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

stage "managed-policy corpus"
# Before `cargo test`: the corpus tests (syntax resilience, fixes add no errors, never wider...)
# skip themselves without it, and a fresh clone has no .cache/.
scripts/fetch-corpus.sh

stage "cargo test"
mkdir -p target
if ! cargo test --workspace > target/cargo-test.log 2>&1; then
  grep -vE '^test .* \.\.\. ok$' target/cargo-test.log | tail -200
  echo "cargo test failed (full log: target/cargo-test.log)"
  exit 1
fi
grep -E '^(test result|     Running|   Doc-tests)' target/cargo-test.log

stage "release build"
cargo build --release --quiet -p iamlint

iamlint="${CARGO_TARGET_DIR:-target}/release/iamlint"

stage "language server in Neovim"
tests/nvim/run.sh "$iamlint" > target/nvim-lsp.txt || { cat target/nvim-lsp.txt; exit 1; }
echo "ok"

stage "language server in Emacs (eglot)"
tests/emacs/run.sh "$iamlint" > target/emacs-lsp.txt || { cat target/emacs-lsp.txt; exit 1; }
echo "ok"

for suite in corpus-test.sh test-iac.sh test-activity.sh simulator-diff.sh test-playground.sh test-vscode.sh; do
  stage "$suite"
  "scripts/$suite"
done

stage "all tests passed"
