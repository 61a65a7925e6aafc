#!/usr/bin/env bash
# Builds the playground and runs its browser tests (web-demo/tests/*.test.mjs, node --test + playwright-core
# driving Debian's Chromium) against a `vite preview` this script starts and always stops.
# Exits non-zero when a step or a test fails. PORT (default 4173) and CHROMIUM may be set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-4173}"
url="http://127.0.0.1:$port/"

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] || [ ! -x "${CHROMEDRIVER:-/usr/bin/chromedriver}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  else
    echo "test-playground: Chromium and chromedriver are needed (Debian packages chromium, chromium-driver)" >&2
    exit 1
  fi
fi

# PLAYGROUND_SKIP_BUILD=1 tests the existing web-demo/dist (for iterating on the tests).
if [ "${PLAYGROUND_SKIP_BUILD:-0}" != 1 ]; then
  "$root/scripts/playground-build.sh"
fi

# The exported API as JavaScript sees it (wasm-bindgen-test in headless Chromium).
if [ "${PLAYGROUND_SKIP_WASM_TESTS:-0}" != 1 ]; then
  (cd "$root" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
    cargo test -p iamlint-wasm --target wasm32-unknown-unknown --test web)
fi

# A server already on the port would be tested instead of ours: refuse.
if curl -s -o /dev/null "$url"; then
  echo "test-playground: something already answers on $url; stop it or set PORT" >&2
  exit 1
fi

# `exec` so that $! is vite itself, not a subshell (killing a subshell would leave vite running).
(cd "$root/web-demo" && exec ./node_modules/.bin/vite preview --host 127.0.0.1 --port "$port" --strictPort) \
  >"${TMPDIR:-/tmp}/iamlint-preview.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  curl -s -o /dev/null "$url" && break
  kill -0 "$server" 2>/dev/null || { cat "${TMPDIR:-/tmp}/iamlint-preview.log" >&2; exit 1; }
  sleep 0.1
done
# The answer must come from our server, which must still be running.
kill -0 "$server" 2>/dev/null || { echo "test-playground: vite preview exited" >&2; exit 1; }
curl -s -o /dev/null "$url" || { echo "test-playground: no answer on $url" >&2; exit 1; }

cd "$root/web-demo"
PLAYGROUND_URL="$url" node --test --test-concurrency=1 tests/*.test.mjs
