// The drift command on every face: a Pulumi YAML stack served by the plugin (types
// `ventus-axway:index:*`), with credentials from the environment as a pipeline sets them and,
// separately, from the plugin's own `ventus-axway:*` configuration; and a TypeScript stack that
// holds resources of both faces at once. A clean stack exits 0 with nothing undeclared; a hand
// change to a field and a hand-made organization are exactly what is reported (exit 2).
// Real CLI, real language hosts, the installed package's bin, the emulator behind.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, packageCli, type StackOptions } from "./harness";
import { USERLAND } from "./paths";

const SEEDED_ORG = "Seeded Partner";
let emu: RunningEmulator;
let portal: AxwayClient;
let ventus: VentusClient;

beforeEach(async () => {
  emu = await emulator();
  portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
});
afterEach(async () => {
  await portal.close();
  await ventus.close();
  await emu.stop();
});

/** Credentials as a pipeline sets them: the environment. */
const credentialsEnv = (): Record<string, string> => ({
  AXWAY_URL: emu.axwayUrl,
  AXWAY_USERNAME: "apiadmin",
  AXWAY_PASSWORD: "changeme",
  VENTUS_USERNAME: VENTUS_USER,
  VENTUS_PASSWORD: VENTUS_PASSWORD,
  VENTUS_ORGANIZATION_ID: VENTUS_ORG,
  VENTUS_AUTH_URL: emu.ventusAuthUrl,
  VENTUS_API_URL: emu.ventusApiUrl,
});

const PLUGIN = `plugins:
  providers:
    - name: ventus-axway
      path: node_modules/pulumi-ventus-axway
`;

const YAML_PROGRAM = `name: drift-yaml
runtime: yaml
${PLUGIN}
resources:
  partner:
    type: ventus-axway:index:PortalOrganization
    properties:
      name: Drift Partner
      email: api@partner.example
  web:
    type: ventus-axway:index:VentusProject
    properties:
      region: vienna
      name: drift-web
`;

async function yamlStack(options: StackOptions): Promise<TestStack> {
  const stack = await TestStack.create("drift-yaml", "", options);
  fs.rmSync(path.join(stack.dir, "index.js"));
  fs.rmSync(path.join(stack.dir, "package.json"));
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
  fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), YAML_PROGRAM);
  return stack;
}

interface Report {
  summary: { resources: number; drifted: number; deleted: number; undeclared: number };
  drifted: Array<{ type: string; name: string; changes: Array<{ field: string; before: unknown; after: unknown }> }>;
  undeclared: Array<{ service: string; type: string; name: string }>;
  scanned: { portal: boolean; ventus: boolean };
}

/** `npx pulumi-ventus-axway drift --json` as a pipeline runs it, with `env` its only settings. */
async function drift(stack: TestStack, env: Record<string, string>): Promise<{ code: number; report: Report; output: string }> {
  const out = path.join(stack.dir, "drift.json");
  fs.rmSync(out, { force: true });
  const r = await packageCli(stack.dir, env, ["drift", "--stack", "test", "--ignore", SEEDED_ORG, "--json", out]);
  const report = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf8")) as Report) : ({} as Report);
  return { code: r.code, report, output: r.output };
}

/** The report's findings, as a user reads them. */
const findings = (r: Report) => ({
  summary: r.summary,
  drifted: r.drifted.map((d) => ({ type: d.type, name: d.name, fields: d.changes.map((c) => [c.field, c.before, c.after]) })),
  undeclared: r.undeclared.map((u) => `${u.service} ${u.type} ${u.name}`),
});

async function changeByHand(orgName: string): Promise<void> {
  const org = (await portal.listOrganizations([{ field: "name", op: "eq", value: orgName }]))[0];
  await portal.updateOrganization(org.id, { name: org.name, email: "hijacked@example.com" });
  await portal.createOrganization({ name: "Made By Hand" });
}

test("a YAML stack through the plugin, credentials from the environment: clean is exit 0; a hand change and a hand-made organization are exactly the report (exit 2)", async () => {
  const env = credentialsEnv();
  const stack = await yamlStack({ env });
  await stack.up();

  const clean = await drift(stack, env);
  expect({ code: clean.code, ...findings(clean.report) }).toEqual({
    code: 0,
    summary: { resources: 2, drifted: 0, deleted: 0, undeclared: 0 },
    drifted: [],
    undeclared: [],
  });
  expect(clean.report.scanned).toEqual({ portal: true, ventus: true });

  await changeByHand("Drift Partner");
  const dirty = await drift(stack, env);
  expect({ code: dirty.code, ...findings(dirty.report) }).toEqual({
    code: 2,
    summary: { resources: 2, drifted: 1, deleted: 0, undeclared: 1 },
    drifted: [{ type: "PortalOrganization", name: "partner", fields: [["email", "api@partner.example", "hijacked@example.com"]] }],
    undeclared: ["portal PortalOrganization Made By Hand"],
  });
});

test("a YAML stack with its credentials in ventus-axway:* configuration only: the same report; a wrong setting is named as the plugin names it", async () => {
  const config: StackOptions = {
    config: {
      "ventus-axway:ventusUsername": VENTUS_USER,
      "ventus-axway:ventusOrganizationId": VENTUS_ORG,
      "ventus-axway:ventusAuthUrl": emu.ventusAuthUrl,
      "ventus-axway:ventusApiUrl": emu.ventusApiUrl,
      "ventus-axway:axwayUrl": emu.axwayUrl,
      "ventus-axway:axwayUsername": "apiadmin",
    },
    secrets: { "ventus-axway:ventusPassword": VENTUS_PASSWORD, "ventus-axway:axwayPassword": "changeme" },
  };
  const stack = await yamlStack(config);
  await stack.up();

  const clean = await drift(stack, {});
  expect({ code: clean.code, ...findings(clean.report) }).toMatchObject({ code: 0, undeclared: [], drifted: [] });
  expect(clean.report.scanned).toEqual({ portal: true, ventus: true });

  await changeByHand("Drift Partner");
  const dirty = await drift(stack, {});
  expect({ code: dirty.code, ...findings(dirty.report) }).toMatchObject({
    code: 2,
    drifted: [{ type: "PortalOrganization", name: "partner", fields: [["email", "api@partner.example", "hijacked@example.com"]] }],
    undeclared: ["portal PortalOrganization Made By Hand"],
  });

  await stack.pulumiOk(["config", "set", "ventus-axway:axwayInsecureSkipVerify", "maybe"]);
  const bad = await drift(stack, {});
  expect(bad.code).toBe(1);
  expect(bad.output).toContain("ventus-axway:axwayInsecureSkipVerify (or AXWAY_INSECURE_SKIP_VERIFY): must be true, false, 1 or 0");
  expect(bad.output).not.toMatch(/ axway:insecureSkipVerify/);
});

test("a TypeScript stack holding both faces' resources: each is read by its own provider, nothing it manages is undeclared", async () => {
  const env = credentialsEnv();
  const program = `
const pulumi = require("@pulumi/pulumi");
const { VentusProject } = require("pulumi-ventus-axway");
// The SDK's dynamic resource beside the plugin's custom resources.
new VentusProject("sdk-web", { region: "vienna", name: "sdk-web" });
const org = new pulumi.CustomResource("ventus-axway:index:PortalOrganization", "plugin-partner", { name: "Both Faces" });
new pulumi.CustomResource("ventus-axway:index:VentusProject", "plugin-web", { region: "upper-austria", name: "plugin-web" });
exports.orgId = org.id;
`;
  const stack = await TestStack.create("drift-both", program, { env });
  // The project folder sits in the userland install, whose node_modules it resolves from.
  fs.appendFileSync(path.join(stack.dir, "Pulumi.yaml"), PLUGIN.replace("path: node_modules/", "path: ../../node_modules/"));
  await stack.up();
  const types = (await stack.state()).map((r) => r.type).filter((t) => !t.startsWith("pulumi:"));
  expect(types.sort()).toEqual([
    "pulumi-nodejs:dynamic/pulumi-ventus-axway:VentusProject",
    "ventus-axway:index:PortalOrganization",
    "ventus-axway:index:VentusProject",
  ]);

  const clean = await drift(stack, env);
  expect({ code: clean.code, ...findings(clean.report) }).toEqual({
    code: 0,
    summary: { resources: 3, drifted: 0, deleted: 0, undeclared: 0 },
    drifted: [],
    undeclared: [],
  });

  await ventus.createProject(VENTUS_ORG, "vienna", "made-by-hand");
  const dirty = await drift(stack, env);
  expect({ code: dirty.code, undeclared: findings(dirty.report).undeclared }).toEqual({
    code: 2,
    undeclared: ["ventus VentusProject made-by-hand"],
  });
});
