#!/usr/bin/env bash
# The main job on an embedded default: start the emulator, deploy examples/quickstart (the
# GitOps example's YAML: portal organizations, API grants, registration codes, Ventus projects)
# with the real Pulumi engine, show its outputs, change something on each service behind
# Pulumi's back through their APIs, and show the package's `drift` command reporting both (exit 2).
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
pulumi config set axway:url "$url"
pulumi config set axway:username apiadmin
pulumi config set --secret axway:password changeme

step "pulumi up"
pulumi up --yes --skip-preview

step "Stack outputs"
pulumi stack output

step "Out of band, through the services' APIs: a Ventus project renamed, an organization's email changed"
project_id=$(pulumi stack output ventusProjectIds --json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8"))["payments-api"]')
org_id=$(pulumi stack output organizationIds --json | node -p 'JSON.parse(require("fs").readFileSync(0, "utf8"))["acme-payments"]')
node -e '
  const { VentusClient, AxwayClient } = require(process.argv[1]);
  const [url, projectId, orgId] = process.argv.slice(2);
  const ventus = new VentusClient({ authUrl: url, apiUrl: url, username: "demo@ventus.example", password: "demo-password" });
  const portal = new AxwayClient({ url, username: "apiadmin", password: "changeme" });
  (async () => {
    const p = await ventus.renameProject("c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50", "vienna", projectId, "renamed-by-hand");
    console.log(`Ventus project ${p.id} is now named "${p.name}"`);
    const org = await portal.getOrganization(orgId);
    const changed = await portal.updateOrganization(orgId, { ...org, email: "changed-by-hand@acme.example" });
    console.log(`portal organization "${changed.name}" now has the email ${changed.email}`);
    await Promise.all([ventus.close(), portal.close()]);
  })();
' "$PVA_ROOT/lib/provider" "$url" "$project_id" "$org_id"

step "npx pulumi-ventus-axway drift (exit 0: no drift, 2: drift, 1: error)"
# The package's drift command: a refresh preview through Pulumi's Automation API (state is not
# changed), reported field by field, instead of the engine's own output.
set +e
npx pulumi-ventus-axway drift --stack dev --ignore "Seeded Partner"
code=$?
set -e
if [ "$code" -ne 2 ]; then
  echo "quickstart: expected drift (exit 2), got exit $code" >&2
  exit 1
fi
step "Drift detected on both services: 'pulumi up --refresh' puts back the project's name and the email."
echo "The stack stays in $work/state; the emulator has stopped."
