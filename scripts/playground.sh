#!/usr/bin/env bash
# The playground in one command: sets everything up (see playground-build.sh), builds, and serves
# the built page on http://127.0.0.1:${PORT:-5173}/ in the foreground (Ctrl+C stops it).
# Nothing is sent anywhere: the page talks only to this local server for its own files, which it
# serves precompressed (brotli or gzip copies made by the build, web-demo/precompress.mjs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${PORT:-5173}"
"$root/scripts/playground-build.sh"
echo
echo "iamlint playground: http://127.0.0.1:$port/"
echo
cd "$root/web-demo"
exec ./node_modules/.bin/vite preview --host 127.0.0.1 --port "$port" --strictPort
