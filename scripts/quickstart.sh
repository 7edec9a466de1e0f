#!/usr/bin/env bash
# The main job on an embedded default: start the emulator, deploy examples/quickstart with
# the real Pulumi engine, show its outputs, rename one project behind Pulumi's back through
# the API, and show the package's `drift` command reporting that drift (exit 2).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

work="$PVA_ROOT/.work/quickstart"
example="$PVA_ROOT/examples/quickstart"
rm -rf "$work" "$example/Pulumi.dev.yaml"
mkdir -p "$work/state"

step "Starting the emulator (Ventus Cloud + Axway portal) on a free loopback port"
node lib/emulator/cli.js --port 0 --print-json --data "$work/emulator.json" >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
trap 'kill $emulator_pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/emulator.out" ] && break; sleep 0.1; done
url=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).url' "$work/emulator.out")
echo "emulator at $url (state in $work/emulator.json)"

step "Installing the example's dependencies (the package is installed the way users install it)"
# (the local package is packed afresh each time, so that it is the one just built)
rm -rf "$example/node_modules/pulumi-ventus-axway"
(cd "$example" && npm install --install-links --prefer-offline --no-audit --no-fund --loglevel=error)

cd "$example"
export PULUMI_BACKEND_URL="file://$work/state" PULUMI_CONFIG_PASSPHRASE=quickstart
pulumi stack select --create dev >/dev/null
pulumi config set ventus:username demo@ventus.example
pulumi config set --secret ventus:password demo-password
pulumi config set ventus:organizationId c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50
pulumi config set ventus:authUrl "$url"
pulumi config set ventus:apiUrl "$url"

step "pulumi up"
pulumi up --yes --skip-preview

step "Stack outputs"
pulumi stack output

step "Renaming the 'web' project out of band, through the Ventus API"
web_id=$(pulumi stack output webProjectId)
node -e '
  const { VentusClient } = require(process.argv[1]);
  const [url, id] = process.argv.slice(2);
  const c = new VentusClient({ authUrl: url, apiUrl: url, username: "demo@ventus.example", password: "demo-password" });
  c.renameProject("c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50", "vienna", id, "renamed-by-hand")
    .then((p) => { console.log(`project ${p.id} is now named "${p.name}"`); return c.close(); });
' "$PVA_ROOT/lib/provider" "$url" "$web_id"

step "npx pulumi-ventus-axway drift (exit 0: no drift, 2: drift, 1: error)"
# The package's drift command: a refresh preview through Pulumi's Automation API (state is not
# changed), reported field by field, instead of the engine's own output.
set +e
npx pulumi-ventus-axway drift --stack dev
code=$?
set -e
if [ "$code" -ne 2 ]; then
  echo "quickstart: expected drift (exit 2), got exit $code" >&2
  exit 1
fi
step "Drift detected: 'pulumi up --refresh' renames the project back to 'web-frontend'."
echo "The stack stays in $work/state; the emulator has stopped."
