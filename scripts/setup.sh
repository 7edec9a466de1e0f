# Sourced by the other scripts: brings what the project needs onto this machine, once,
# and puts it on PATH. Idempotent; each step is skipped when already done.
#   - Node >= 22 (the system's if new enough, else the current LTS from the npm registry's `node` package)
#   - npm dependencies, and the TypeScript build in lib/
#   - the real Pulumi engine (scripts/engine.sh)
#   - the SDK generator and the Go example's modules (scripts/golang.sh)
#   - npm's cache for the tests' offline installs (scripts/userland.sh)
# It also sets the variables that keep Pulumi local and quiet.
set -euo pipefail
PVA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PVA_CACHE_DIR=${PVA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-ventus-axway}
pva_log() { echo "setup: $*" >&2; }

if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)' 2>/dev/null; then
  pva_node="$PVA_CACHE_DIR/node/node_modules/node/bin"
  if [ ! -x "$pva_node/node" ]; then
    pva_log "system Node $(node --version 2>/dev/null || echo none) is older than 22: installing Node 24 LTS from the npm registry"
    npm install --prefix "$PVA_CACHE_DIR/node" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  export PATH="$pva_node:$PATH"
fi

cd "$PVA_ROOT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  pva_log "installing npm dependencies (npm ci: exactly the committed lockfile)"
  # The lockfile lists every platform's optional packages (unrs-resolver's bindings), so
  # `npm ci` accepts it and a clean run installs what was tested and leaves the tree clean.
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error >&2
fi
if [ -z "${PVA_SKIP_BUILD:-}" ]; then
  npx tsc -p tsconfig.json >&2
fi

PVA_ENGINE_BIN=$(bash "$PVA_ROOT/scripts/engine.sh")
export PVA_ENGINE_BIN PATH="$PVA_ENGINE_BIN:$PATH"
# Go: the SDK generator (scripts/gensdks.sh) and examples/go's modules, downloaded and built once
# into caches of their own, so that the tests build Go programs offline (scripts/golang.sh).
export PVA_GOMODCACHE=${PVA_GOMODCACHE:-$PVA_CACHE_DIR/go/mod} PVA_GOCACHE=${PVA_GOCACHE:-$PVA_CACHE_DIR/go/build}
PVA_CODEGEN=$(bash "$PVA_ROOT/scripts/golang.sh")
export PVA_CODEGEN
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_SKIP_CONFIRMATIONS=true PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export PULUMI_HOME=${PULUMI_HOME:-$PVA_ROOT/.work/pulumi-home}

# The tests install the package offline (scripts/userland.sh), as users do, next to the lockfile's
# @pulumi/pulumi and next to the oldest that package.json's range allows (test/e2e/oldestSdk.test.ts):
# the same installs, done here where the network is allowed, fill npm's cache (the oldest SDK and
# every package's metadata). Again only when the dependencies change.
if [ -f lib/sdk/index.js ]; then
  pva_sdk=$(node -p 'require("./node_modules/@pulumi/pulumi/package.json").version')
  pva_oldest_sdk=$(node -p 'require("./package.json").dependencies["@pulumi/pulumi"].replace(/^[^0-9]*/, "")')
  pva_stamp=$(node -p 'const p = require("./package.json"); JSON.stringify([p.dependencies, p.devDependencies, process.argv[1], process.argv[2]])' \
    "$pva_sdk" "$pva_oldest_sdk" | cat - scripts/userland.sh | sha256sum | cut -c1-16)
  if [ "$(cat .work/userland.stamp 2>/dev/null)" != "$pva_stamp" ]; then
    pva_log "filling npm's cache for the tests' offline installs (@pulumi/pulumi $pva_sdk and $pva_oldest_sdk)"
    bash scripts/userland.sh .work/userland "$pva_sdk" --prefer-offline --with-typescript
    bash scripts/userland.sh ".work/userland-sdk-$pva_oldest_sdk" "$pva_oldest_sdk" --prefer-offline
    echo "$pva_stamp" >.work/userland.stamp
  fi
fi
