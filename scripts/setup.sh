# Sourced by the other scripts: brings what the project needs onto this machine, once,
# and puts it on PATH. Idempotent; each step is skipped when already done.
#   - Node >= 22 (the system's if new enough, else the current LTS from the npm registry's `node` package)
#   - npm dependencies, and the TypeScript build in lib/
#   - the real Pulumi engine (scripts/engine.sh)
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
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
  PULUMI_SKIP_CONFIRMATIONS=true PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK=true
export PULUMI_HOME=${PULUMI_HOME:-$PVA_ROOT/.work/pulumi-home}
