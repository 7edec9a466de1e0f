// How many API calls `drift` makes, through the real CLI and the installed package's bin, on a
// TypeScript stack and on a YAML stack served by the plugin: every listing once per run, whichever
// process needs it (the refresh's provider records its listings for the scan), and nothing else
// on a clean estate. A lagging listing is still neither drift nor undeclared.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { PASSPHRASE, TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, runProcess, ventusConfig } from "./harness";
import { USERLAND, WORK, enginePath } from "./paths";

const BIN = path.join(USERLAND, "node_modules/.bin/pulumi-ventus-axway");
const SEEDED_ORG = "Seeded Partner";
const N = 4;
let emu: RunningEmulator;
afterEach(async () => emu?.stop());

const PORTAL = "/api/portal/v1.3";
const ROUTES = {
  tokens: "GET /get-tokens",
  projects: "GET /v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects",
  organizations: `GET ${PORTAL}/organizations`,
  organization: `GET ${PORTAL}/organizations/{id}`,
  grants: `GET ${PORTAL}/organizations/{id}/apis`,
  codes: `GET ${PORTAL}/organizations/{id}/tokens`,
  code: `GET ${PORTAL}/organizations/{id}/tokens/{token}`,
  proxies: `GET ${PORTAL}/proxies`,
};

/** The minimum for N managed organizations with grants and codes and their projects, nothing undeclared: each listing once. */
const MINIMUM = {
  [ROUTES.tokens]: 1,
  [ROUTES.projects]: 1,
  [ROUTES.organizations]: 1,
  [ROUTES.grants]: N,
  [ROUTES.codes]: N,
};

interface Report {
  summary: { resources: number; drifted: number; deleted: number; undeclared: number };
  undeclared: Array<{ service: string; type: string; name: string }>;
}

async function drift(stack: TestStack, env: Record<string, string> = {}): Promise<{ code: number; report: Report; output: string }> {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VENTUS_|AXWAY_|PULUMI_)/.test(k)) childEnv[k] = v;
  Object.assign(childEnv, {
    PATH: `${enginePath()}:${path.dirname(process.execPath)}:${process.env.PATH}`,
    PULUMI_HOME: path.join(WORK, "pulumi-home"),
    PULUMI_BACKEND_URL: `file://${path.join(stack.dir, ".state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    NO_COLOR: "1",
    ...env,
  });
  const out = path.join(stack.dir, "drift.json");
  fs.rmSync(out, { force: true });
  const r = await runProcess(BIN, ["drift", "--stack", "test", "--ignore", SEEDED_ORG, "--json", out], stack.dir, childEnv);
  const report = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf8")) as Report) : ({} as Report);
  return { code: r.code, report, output: r.output };
}

/** Calls since the last look. */
function calls(): Record<string, number> {
  const byRoute = emu.stats().byRoute;
  emu.resetStats();
  return byRoute;
}

const tsProgram = `
const v = require("pulumi-ventus-axway");
const apiId = v.getPortalApis({ name: "Petstore" }).then((a) => a[0].id);
for (let i = 0; i < ${N}; i++) {
  new v.VentusProject("p" + i, { region: "vienna", name: "project " + i });
  const org = new v.PortalOrganization("org" + i, { name: "Org " + i });
  new v.OrganizationApiAccess("grant" + i, { organizationId: org.id, apiId });
  new v.RegistrationToken("code" + i, { organizationId: org.id, userQuota: 3, expiry: "2031-01-01T00:00:00Z" });
}
`;

test("TypeScript stack: a clean drift makes each listing once (the refresh's), the scan none; hand-made objects cost one read each", async () => {
  emu = await emulator();
  const settings = ventusConfig(emu);
  const stack = await TestStack.create("drift-calls", tsProgram, {
    config: { ...settings.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { ...settings.secrets, "axway:password": "changeme" },
  });
  await stack.up();
  calls();

  // A \`pulumi\` in front of the engine's that logs how drift calls it.
  const wrapperDir = path.join(stack.dir, "wrapper");
  const log = path.join(stack.dir, "pulumi-calls.log");
  fs.mkdirSync(wrapperDir);
  fs.writeFileSync(
    path.join(wrapperDir, "pulumi"),
    `#!/bin/sh\necho "$*" >> ${JSON.stringify(log)}\nexec ${JSON.stringify(path.join(enginePath().split(":")[0], "pulumi"))} "$@"\n`,
    { mode: 0o755 },
  );
  const clean = await drift(stack, { PATH: `${wrapperDir}:${enginePath()}:${path.dirname(process.execPath)}:${process.env.PATH}` });
  expect({ code: clean.code, summary: clean.report.summary }).toEqual({
    code: 0,
    summary: { resources: 4 * N, drifted: 0, deleted: 0, undeclared: 0 },
  });
  expect(calls()).toEqual(MINIMUM);
  // The CLI once, for the refresh (no `version`, no `stack select`), nothing with secrets shown; no call of
  // its own, so no password decrypted.
  const commands = () => fs.readFileSync(log, "utf8").trim().split("\n");
  expect(commands().map((c) => c.split(" ").slice(0, 2).join(" "))).toEqual(["refresh --preview-only"]);
  expect(commands().filter((c) => c.includes("--show-secrets") || c.startsWith("config get"))).toEqual([]);

  // By hand: an organization (one read confirms it) and a grant in a managed one (its API's name: one /proxies).
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme", listCacheMs: 0 });
  try {
    await portal.createOrganization({ name: "Made By Hand" });
    const org0 = (await portal.listOrganizations([{ field: "name", op: "eq", value: "Org 0" }]))[0];
    const weather = (await portal.listApis("Weather"))[0];
    await portal.grantApiAccess(org0.id, weather.id);
  } finally {
    await portal.close();
  }
  calls();
  const dirty = await drift(stack);
  expect({ code: dirty.code, undeclared: dirty.report.undeclared.map((u) => `${u.type} ${u.name}`).sort() }).toEqual({
    code: 2,
    undeclared: ["OrganizationApiAccess Weather", "PortalOrganization Made By Hand"],
  });
  expect(calls()).toEqual({ ...MINIMUM, [ROUTES.organization]: 1, [ROUTES.proxies]: 1 });
  // Calls of its own to the portal only: its password alone is decrypted.
  fs.rmSync(log);
  await drift(stack, { PATH: `${wrapperDir}:${enginePath()}:${path.dirname(process.execPath)}:${process.env.PATH}` });
  expect(commands().filter((c) => c.includes("--show-secrets") || c.startsWith("config get"))).toEqual([
    "config get axway:password --stack test --non-interactive",
  ]);
});

test("TypeScript stack: a lagging listing still shows a deleted organization and code; neither is reported, each is read once", async () => {
  emu = await emulator();
  const settings = ventusConfig(emu);
  const stack = await TestStack.create("drift-lag", tsProgram, {
    config: { ...settings.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { ...settings.secrets, "axway:password": "changeme" },
  });
  await stack.up();
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme", listCacheMs: 0 });
  try {
    // Made and deleted by hand while listings lag a minute: both stay in the listings, gone in fact.
    const ghost = await portal.createOrganization({ name: "Ghost" });
    const org0 = (await portal.listOrganizations([{ field: "name", op: "eq", value: "Org 0" }]))[0];
    const code = await portal.createToken(org0.id, { userQuota: 1, expiry: Date.parse("2031-01-01T00:00:00Z") });
    emu.setBehavior({ listingLagMs: 60_000 });
    await portal.deleteOrganization(ghost.id);
    await portal.deleteToken(org0.id, code.token);
  } finally {
    await portal.close();
  }
  calls();
  const r = await drift(stack);
  expect({ code: r.code, summary: r.report.summary }).toEqual({
    code: 0,
    summary: { resources: 4 * N, drifted: 0, deleted: 0, undeclared: 0 },
  });
  // The ghost organization: one read; the ghost code: the scan's own listing of its organization's codes (a
  // recorded listing holds ids, not codes) and one read.
  expect(calls()).toEqual({ ...MINIMUM, [ROUTES.organization]: 1, [ROUTES.codes]: N + 1, [ROUTES.code]: 1 });
});

const PLUGIN = `plugins:
  providers:
    - name: ventus-axway
      path: node_modules/pulumi-ventus-axway
`;

function yamlProgram(): string {
  const resources: string[] = [];
  for (let i = 0; i < N; i++) {
    resources.push(`  org${i}:
    type: ventus-axway:index:PortalOrganization
    properties:
      name: Yaml Org ${i}
  grant${i}:
    type: ventus-axway:index:OrganizationApiAccess
    properties:
      organizationId: \${org${i}.id}
      apiId: \${apis[0].id}
  code${i}:
    type: ventus-axway:index:RegistrationToken
    properties:
      organizationId: \${org${i}.id}
      userQuota: 3
      expiry: 2031-01-01T00:00:00Z
  p${i}:
    type: ventus-axway:index:VentusProject
    properties:
      region: vienna
      name: yaml-project-${i}`);
  }
  return `name: drift-calls-yaml
runtime: yaml
${PLUGIN}
variables:
  apis:
    fn::invoke:
      function: ventus-axway:index:getPortalApis
      arguments:
        name: Petstore
      return: apis
resources:
${resources.join("\n")}
`;
}

test("YAML stack through the plugin: a clean drift makes each listing once", async () => {
  emu = await emulator();
  const env = {
    AXWAY_URL: emu.axwayUrl,
    AXWAY_USERNAME: "apiadmin",
    AXWAY_PASSWORD: "changeme",
    VENTUS_USERNAME: VENTUS_USER,
    VENTUS_PASSWORD: VENTUS_PASSWORD,
    VENTUS_ORGANIZATION_ID: VENTUS_ORG,
    VENTUS_AUTH_URL: emu.ventusAuthUrl,
    VENTUS_API_URL: emu.ventusApiUrl,
  };
  const stack = await TestStack.create("drift-calls-yaml", "", { env });
  fs.rmSync(path.join(stack.dir, "index.js"));
  fs.rmSync(path.join(stack.dir, "package.json"));
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
  fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), yamlProgram());
  await stack.up();
  calls();

  const clean = await drift(stack, env);
  expect({ code: clean.code, summary: clean.report.summary, output: clean.code === 0 ? "" : clean.output }).toEqual({
    code: 0,
    summary: { resources: 4 * N, drifted: 0, deleted: 0, undeclared: 0 },
    output: "",
  });
  expect(calls()).toEqual(MINIMUM);
});
