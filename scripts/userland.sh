#!/usr/bin/env bash
# Installs the package into a "userland" folder the way users do (packed, not linked), next to
# @pulumi/pulumi at a given version, so that test programs resolve `pulumi-ventus-axway` from a
# real node_modules.
#
#   scripts/userland.sh <dir> <@pulumi/pulumi version> <--offline|--prefer-offline> [--with-typescript]
#
# setup.sh runs it with --prefer-offline (the network is allowed there) to fill npm's cache; the
# tests run it with --offline, so that a test never reaches the registry. --with-typescript adds
# what the TypeScript programs of examples/ need (typescript, ts-node, @types/node as in devDependencies).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$1 sdk=$2 mode=$3 typescript=${4:-}
case "$mode" in --offline | --prefer-offline) ;; *) echo "userland: $mode: expected --offline or --prefer-offline" >&2; exit 2 ;; esac

mkdir -p "$dir/projects"
node -e '
  const [root, dir, sdk, typescript] = process.argv.slice(1);
  const pkg = require(`${root}/package.json`);
  const dependencies = { "@pulumi/pulumi": sdk, "pulumi-ventus-axway": `file:${root}` };
  if (typescript) for (const d of ["typescript", "ts-node", "@types/node"]) dependencies[d] = pkg.devDependencies[d];
  const json = JSON.stringify({ name: "userland", private: true, dependencies }, null, 2);
  require("fs").writeFileSync(`${dir}/package.json`, json + "\n");
' "$root" "$dir" "$sdk" "$typescript"
# Always the package as just built: drop the previous copy, npm packs the tree anew. The lockfile
# remembers the package as it was (its `bin` included): without it npm reads the new one.
rm -rf "$dir/node_modules/pulumi-ventus-axway" "$dir/package-lock.json"
cd "$dir"
if ! npm install --install-links "$mode" --no-audit --no-fund --loglevel=error >&2; then
  [ "$mode" = --offline ] && echo "userland: the offline install failed: npm's cache lacks a package. scripts/setup.sh (npm test sources it) fills it when the dependencies change; to force it: rm .work/userland.stamp" >&2
  exit 1
fi
