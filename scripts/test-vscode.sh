#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code: code-server 4.100.3 (VS Code 1.100.3
# in the browser; the newest that runs on Node 20) served on 127.0.0.1, with the packaged .vsix
# installed, driven by playwright-core in Debian's Chromium (vscode-extension/e2e/). It runs twice
# on one code-server install: the extension in the Node extension host, then forced into the
# browser's web worker extension host (user setting `remote.extensionKind`).
# code-server is installed once into the git-ignored .cache/code-server with the workarounds this
# machine needs (see ../shared/design/TOOLCHAIN.md): scripts allowed, unsafe-perm as root, Debian's
# ripgrep seeded into @vscode/ripgrep's download cache, npx allowed, XDG dirs kept in the work dir.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
CODE_SERVER_VERSION=4.100.3

# 1. The extension: unit tests and the universal .vsix (cargo xtask vscode builds the wasm server).
cargo xtask vscode
vsix=artifacts/iamlint.vsix
# The CLI checks that Terraform and YAML files still parse after a quick-fix (the core's parsers).
if [ -z "${IAMLINT:-}" ]; then
  IAMLINT="${CARGO_TARGET_DIR:-$root/target}/release/iamlint"
  [ -x "$IAMLINT" ] || cargo build --release --quiet -p iamlint
fi
export IAMLINT

# 2. code-server, once.
cs="$root/.cache/code-server"
if [ ! -x "$cs/node_modules/.bin/code-server" ]; then
  if ! dpkg -s libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      libkrb5-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep >/dev/null
  fi
  tmp=$(node -e 'console.log(require("os").tmpdir())')
  rg_cache="$tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$rg_cache"
  [ -f "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" ] ||
    tar czf "$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  mkdir -p "$cs"
  [ -f "$cs/package.json" ] || echo '{"name":"code-server-for-tests","private":true}' > "$cs/package.json"
  (cd "$cs" && npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --dangerously-allow-all-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null)
fi

# 3. A fresh profile and workspace for every run.
csbin="$cs/node_modules/.bin/code-server"
largest=$(ls -S .cache/managed-policies/latest/*.json 2>/dev/null | head -1 || true)
mkdir -p artifacts
: > artifacts/vscode-timings.txt
run_host() {
host=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/iamlint-vscode.XXXXXX")
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
mkdir -p "$work/workspace" "$work/extensions" "$work/user-data/User"
cat > "$work/user-data/User/settings.json" <<'JSON'
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "editor.hover.delay": 200,
  "extensions.ignoreRecommendations": true
}
JSON
if [ "$host" = browser ]; then
  # Force the extension into the browser's web worker extension host.
  node -e 'const f=process.argv[1]; const s=JSON.parse(require("fs").readFileSync(f,"utf8")); s["remote.extensionKind"]={"iamlint.iamlint":["web"]}; require("fs").writeFileSync(f, JSON.stringify(s,null,2))' "$work/user-data/User/settings.json"
fi
[ -n "$largest" ] && cp "$largest" "$work/workspace/large.json"
mkdir -p "$work/workspace/.vscode" && echo '{}' > "$work/workspace/.vscode/settings.json"
cat > "$work/workspace/policy.json" <<'JSON'
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Reports",
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::example-reports/*"
        },
        {
            "Sid": "Orders",
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": "arn:aws:dynamodb:eu-west-1:111122223333:table/orders"
        }
    ]
}
JSON
cat > "$work/workspace/package.json" <<'JSON'
{
    "name": "not-a-policy",
    "version": "1.0.0",
    "scripts": { "test": "node --test" }
}
JSON
"$csbin" --extensions-dir "$work/extensions" --user-data-dir "$work/user-data" --install-extension "$vsix" >/dev/null

port=8765
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
( exec "$csbin" --auth none --bind-addr "127.0.0.1:$port" --disable-telemetry --disable-update-check \
    --disable-workspace-trust --extensions-dir "$work/extensions" --user-data-dir "$work/user-data" \
    "$work/workspace" > "$work/code-server.log" 2>&1 ) &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  kill -0 "$server" 2>/dev/null || { cat "$work/code-server.log"; echo "code-server exited"; exit 1; }
  sleep 0.5
done
kill -0 "$server"

CODE_SERVER_URL="http://127.0.0.1:$port/" WORKSPACE="$work/workspace" SHOTS="$root/artifacts" HOST="$host" \
  SETTINGS="$work/workspace/.vscode/settings.json" LARGE="${largest:+1}" \
  node --test --test-concurrency=1 --test-reporter=spec vscode-extension/e2e/ > "$work/e2e.log" 2>&1 || {
    cat "$work/e2e.log"; tail -50 "$work/code-server.log"; exit 1; }
grep -aE '^(✔|✖|﹣|ℹ (tests|pass|fail|skipped))' "$work/e2e.log" | sed "s/^/[$host] /"
grep -ao 'TIMINGS.*' "$work/e2e.log" | tee -a artifacts/vscode-timings.txt
cleanup
trap - EXIT
}

# HOSTS=browser (or desktop) runs one host only, e.g. to repeat a measurement.
for host in ${HOSTS:-desktop browser}; do
  run_host "$host"
done
