#!/usr/bin/env bash
# Sets up and builds the playground from a fresh machine: the wasm32 target, the wasm-bindgen CLI
# at the crate's pinned version (cargo xtask wasm installs it when missing), web-demo's npm
# packages, the release wasm (optimised by npm binaryen's wasm-opt) and the Vite build in
# web-demo/dist. Used by scripts/playground.sh and scripts/test-playground.sh.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v node >/dev/null || { echo "playground: node (and npm) are needed" >&2; exit 1; }
if command -v rustup >/dev/null; then
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || rustup target add wasm32-unknown-unknown
fi

# npm ci only when node_modules does not match the lockfile.
if [ ! -f web-demo/node_modules/.package-lock.json ] ||
   [ web-demo/package-lock.json -nt web-demo/node_modules/.package-lock.json ]; then
  (cd web-demo && npm ci --no-audit --no-fund)
fi

cargo xtask wasm "$@"
(cd web-demo && ./node_modules/.bin/tsc --noEmit && ./node_modules/.bin/vite build --logLevel warn)
