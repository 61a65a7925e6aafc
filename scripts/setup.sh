#!/usr/bin/env bash
# Installs what iamlint's build and tests need on a fresh Debian machine with rustup, Node.js and
# npm (and Python 3 with pip): cfn-lint (the outside oracle for CloudFormation templates), DuckDB
# (runs the usage query of docs/activity.md), the wasm32 target, wasm-bindgen-cli at the crate's
# exact version, Debian's Chromium (for the playground tests), Neovim (a real LSP client for the
# language-server test), and the npm packages.
# Idempotent: steps that are already done are skipped. Usage: scripts/setup.sh [--browser] [--editor]
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=0
want_editor=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --editor) want_editor=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

apt_packages=()
if [ "$want_browser" = 1 ] && ! command -v chromium >/dev/null; then apt_packages+=(chromium chromium-driver); fi
# Real LSP clients for the language-server tests: Neovim 0.7 and Emacs 28 with eglot.
if [ "$want_editor" = 1 ] && ! command -v nvim >/dev/null; then apt_packages+=(neovim); fi
if [ "$want_editor" = 1 ] && ! dpkg -s elpa-eglot >/dev/null 2>&1; then apt_packages+=(emacs-nox elpa-eglot); fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  step "apt-get install ${apt_packages[*]}"
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if [ "$want_browser" = 1 ]; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  # The CLI must match the wasm-bindgen crate exactly (the CLI refuses another schema version).
  wbg_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' wasm/Cargo.toml)
  if [ -n "$wbg_version" ] && [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wbg_version" ]; then
    step "cargo install wasm-bindgen-cli $wbg_version (a few minutes, once)"
    # Not --locked: the registry here lags and the CLI's lockfile names crates it does not serve.
    cargo install wasm-bindgen-cli --version "$wbg_version"
  fi
fi

# cfn-lint, the outside oracle of scripts/test-iac.sh: pinned, so its rule messages (which the
# oracle's table matches) do not move under the tests.
cfn_lint_version=1.51.0
if command -v python3 >/dev/null && [ "$(cfn-lint --version 2>/dev/null | awk '{print $2}')" != "$cfn_lint_version" ]; then
  step "pip install cfn-lint==$cfn_lint_version"
  python3 -m pip install --quiet --disable-pip-version-check "cfn-lint==$cfn_lint_version" ||
    echo "setup.sh: cfn-lint could not be installed; the CloudFormation oracle will be skipped" >&2
fi

# DuckDB, which runs the usage query of docs/activity.md in scripts/test-activity.sh: pinned, in
# a venv of its own (.cache/py-activity) so the system Python stays as it is.
duckdb_version=2.0.1
activity_venv=.cache/py-activity
if command -v python3 >/dev/null &&
  [ "$("$activity_venv/bin/python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null)" != "$duckdb_version" ]; then
  step "pip install duckdb==$duckdb_version (venv $activity_venv)"
  mkdir -p .cache
  python3 -m venv "$activity_venv"
  "$activity_venv/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==$duckdb_version"
fi
