// The package as a resource provider plugin, the way a Pulumi YAML user runs it: the program's
// Pulumi.yaml names the installed package's folder (`plugins: providers: path`), the engine finds
// PulumiPlugin.yaml there and has the Node.js language host start it (RunPlugin: node
// @pulumi/pulumi/cmd/run-plugin <folder>), and the YAML language host runs the program against the
// plugin's schema. Real CLI, real language hosts, the emulator behind.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { sha256 } from "../../provider/rules";
import { VentusClient } from "../../provider/clients/ventus/client";
import { ROOT, USERLAND } from "./paths";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, type RunResult, type StackOptions } from "./harness";

const AXWAY_PASSWORD = "changeme";
let emu: RunningEmulator;
let portal: AxwayClient;
let ventus: VentusClient;

beforeEach(async () => {
  emu = await emulator();
  portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: AXWAY_PASSWORD });
  ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
});
afterEach(async () => {
  await portal.close();
  await ventus.close();
  await emu.stop();
});

/** A stack whose program is the given Pulumi.yaml, in a project folder where `node_modules/pulumi-ventus-axway` is the installed package. */
async function yamlStack(pulumiYaml: string, options: StackOptions): Promise<TestStack> {
  const name = /^name: (\S+)$/m.exec(pulumiYaml)?.[1];
  if (!name) throw new Error("Pulumi.yaml without a name");
  const stack = await TestStack.create(name, "", options);
  fs.rmSync(path.join(stack.dir, "index.js"));
  fs.rmSync(path.join(stack.dir, "package.json"));
  // As after `npm install pulumi-ventus-axway` in the project: the userland install (packed, not linked).
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
  fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), pulumiYaml);
  return stack;
}

/** Provider settings as stack configuration of the `ventus-axway` provider. */
function providerConfig(): StackOptions {
  return {
    config: {
      "ventus-axway:ventusUsername": VENTUS_USER,
      "ventus-axway:ventusOrganizationId": VENTUS_ORG,
      "ventus-axway:ventusAuthUrl": emu.ventusAuthUrl,
      "ventus-axway:ventusApiUrl": emu.ventusApiUrl,
      "ventus-axway:axwayUrl": emu.axwayUrl,
      "ventus-axway:axwayUsername": "apiadmin",
    },
    secrets: { "ventus-axway:ventusPassword": VENTUS_PASSWORD, "ventus-axway:axwayPassword": AXWAY_PASSWORD },
  };
}

/** Adds resources (YAML entries under `resources:`, indented two spaces) to the program. */
function addResources(stack: TestStack, entries: string): void {
  const file = path.join(stack.dir, "Pulumi.yaml");
  const program = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, program.replace(/\noutputs:\n/, `\n${entries.replace(/\s*$/, "")}\n\noutputs:\n`));
}

const regcodeId = (code: string) => `regcode-${sha256(code).slice(0, 20)}`;

/** Whole-token occurrences (a 6-digit code inside a longer number does not count). */
const occurrences = (text: string, secret: string) =>
  text
    .split("\n")
    .filter((line) => new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9A-Za-z])`).test(line));

test("examples/yaml through the plugin: up, no changes, drift found by preview --refresh, repair, pulumi import and the import option for all four resources, secrets, destroy", async () => {
  const example = fs.readFileSync(path.join(ROOT, "examples/yaml/Pulumi.yaml"), "utf8");
  expect(example).toMatch(/path: node_modules\/pulumi-ventus-axway/);
  const stack = await yamlStack(example, providerConfig());
  const texts: Record<string, string> = {};

  texts.up = (await stack.up()).output;
  const outputs = await stack.outputs();
  expect(outputs).toMatchObject({
    projectRegion: "Vienna",
    organizationDn: "o=Acme Partner,ou=organizations,ou=APIPortal",
    grantState: "approved",
  });
  const code = String(outputs.registrationCode);
  expect(code).toMatch(/^\d{6}$/);
  const orgId = String(outputs.organizationId);
  const projectId = String(outputs.projectId);
  const petstore = (await portal.listApis("Petstore"))[0];
  expect((await portal.listApiAccess(orgId)).map((a) => a.apiId)).toEqual([petstore.id]);
  expect(await portal.getToken(orgId, code)).toMatchObject({ maxUsers: 5, expiry: Date.parse("2031-01-01T00:00:00Z") });
  const state = await stack.state();
  const provider = state.find((r) => r.type === "pulumi:providers:ventus-axway");
  expect(provider?.inputs).toMatchObject({ axwayUrl: emu.axwayUrl, ventusUsername: VENTUS_USER });
  texts.preview = (await stack.expectNoChanges()).output;

  // Drift made by hand in all four objects.
  await ventus.renameProject(VENTUS_ORG, "vienna", projectId, "renamed-by-hand");
  const org = (await portal.getOrganization(orgId))!;
  await portal.updateOrganization(orgId, { name: org.name, email: "hijacked@example.com", development: false, enabled: true });
  const grant = (await portal.listApiAccess(orgId))[0];
  await portal.updateApiAccess(orgId, grant, false);
  await portal.updateToken(orgId, code, { userQuota: 50 });
  const drift = await stack.preview("--refresh", "--expect-no-changes");
  expect(drift.code).toBe(7);
  for (const line of [
    /~ name\s*: "renamed-by-hand" => "partner-portal-web"/,
    /~ email\s*: "hijacked@example.com" => "api-support@acme.example"/,
    /~ development\s*: false => true/,
    /~ enabled\s*: false => true/,
    /~ userQuota\s*: 50 => 5/,
  ]) {
    expect(drift.output).toMatch(line);
  }
  expect(drift.output).toMatch(/~ 4 to update/);
  texts.drift = drift.output;

  // Repair, then nothing more to do.
  texts.repair = (await stack.pulumiOk(["up", "--refresh", "--yes", "--skip-preview"])).output;
  expect((await ventus.listProjects(VENTUS_ORG)).find((p) => p.id === projectId)?.name).toBe("partner-portal-web");
  expect(await portal.getOrganization(orgId)).toMatchObject({ email: "api-support@acme.example", development: true });
  expect((await portal.listApiAccess(orgId))[0].enabled).toBe(true);
  expect((await portal.getToken(orgId, code))?.maxUsers).toBe(5);
  await stack.expectNoChanges(true);

  // Objects made by hand, adopted with `pulumi import`: the code it generates goes into the
  // program as printed, and the next preview plans nothing.
  const legacyOrg = await portal.createOrganization({ name: "Legacy Partner", email: "legacy@example.com", phone: "+41 1" });
  const weather = (await portal.listApis("Weather"))[0];
  const legacyGrant = await portal.grantApiAccess(legacyOrg.id, weather.id);
  const legacyCode = await portal.createToken(legacyOrg.id, { userQuota: 3, expiry: Date.parse("2032-06-30T12:00:00Z") });
  const legacyProject = await ventus.createProject(VENTUS_ORG, "upper-austria", "legacy-project");
  const imports: Array<[string, string, string]> = [
    ["PortalOrganization", "legacyOrg", legacyOrg.id],
    ["OrganizationApiAccess", "legacyAccess", `${legacyOrg.id}/${legacyGrant.id}`],
    ["RegistrationToken", "legacyCode", `${legacyOrg.id}/${regcodeId(legacyCode.token)}`],
    ["VentusProject", "legacyProject", legacyProject.id], // the provider's default organization
  ];
  const generated: string[] = [];
  for (const [type, name, id] of imports) {
    const r = await stack.pulumiOk(["import", `ventus-axway:index:${type}`, name, id, "--yes"]);
    texts[`import ${type}`] = r.output;
    expect(r.output).toMatch(new RegExp(`= 1 imported`));
    const printed = /\nresources:\n([\s\S]*?)\n*$/.exec(r.stdout.slice(r.stdout.indexOf("Please copy the following code")))?.[1];
    expect(printed).toBeDefined();
    generated.push(printed!);
  }
  expect(generated.join("\n")).toMatch(
    /legacyOrg:\n {4}type: ventus-axway:PortalOrganization\n {4}properties:\n[\s\S]*name: Legacy Partner/,
  );
  expect(generated.join("\n")).toMatch(
    /legacyProject:\n {4}type: ventus-axway:VentusProject\n {4}properties:\n[\s\S]*region: upper-austria/,
  );
  expect(generated.join("\n")).not.toContain(legacyCode.token);
  addResources(stack, generated.join("\n"));
  await stack.expectNoChanges(true);
  const imported = await stack.state();
  expect(imported.find((r) => r.urn.endsWith("::legacyCode"))?.id).toBe(regcodeId(legacyCode.token));
  expect(imported.find((r) => r.urn.endsWith("::legacyAccess"))?.id).toBe(legacyGrant.id);

  // The `import` resource option: declared as it is on the portal, adopted by `pulumi up`.
  const optionOrg = await portal.createOrganization({ name: "Option Partner", email: "option@example.com" });
  addResources(
    stack,
    [
      `  optionOrg:`,
      `    type: ventus-axway:index:PortalOrganization`,
      `    properties:`,
      `      name: Option Partner`,
      `      email: option@example.com`,
      `    options:`,
      `      import: ${optionOrg.id}`,
    ].join("\n"),
  );
  const adopt = await stack.up();
  expect(adopt.output).toMatch(/optionOrg imported/);
  expect(adopt.output).toMatch(/= 1 imported/);
  await stack.expectNoChanges(true);

  // Secrets: the passwords and both codes appear nowhere a user or the state file shows.
  texts.outputs = (await stack.pulumiOk(["stack", "output", "--json"])).output;
  expect(JSON.parse(texts.outputs).registrationCode).toBe("[secret]");
  texts.export = (await stack.pulumiOk(["stack", "export"])).output;
  texts.stateFile = stack.rawStateFile();
  texts.history = (await stack.pulumiOk(["stack", "history", "--json"])).output;
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of [VENTUS_PASSWORD, AXWAY_PASSWORD, code, legacyCode.token]) {
      expect({ where, found: occurrences(text, secret) }).toEqual({ where, found: [] });
    }
  }

  // Destroy: imported resources are protected (as `pulumi import` says) until unprotected.
  await stack.pulumiOk(["state", "unprotect", "--all", "--yes"]);
  await stack.destroy();
  expect((await portal.listOrganizations()).map((o) => o.name)).toEqual(["Seeded Partner"]);
  expect(await ventus.listProjects(VENTUS_ORG)).toEqual([]);
});

test("settings from the environment for the default provider, and an explicit provider resource with its own", async () => {
  const program = `name: plugin-settings
runtime: yaml
plugins:
  providers:
    - name: ventus-axway
      path: node_modules/pulumi-ventus-axway
config:
  portalPassword:
    type: string
    secret: true
variables:
  prices:
    fn::invoke:
      function: ventus-axway:index:getPrices
      return: prices
resources:
  portal:
    type: pulumi:providers:ventus-axway
    properties:
      axwayUrl: ${emu.axwayUrl}
      axwayUsername: apiadmin
      axwayPassword: \${portalPassword}
      axwaySessionLogin: true
  project:
    type: ventus-axway:index:VentusProject
    properties:
      region: eastern-switzerland
      name: from-the-environment
  org:
    type: ventus-axway:index:PortalOrganization
    properties:
      name: Explicit Provider Org
    options:
      provider: \${portal}
outputs:
  projectRegion: \${project.regionName}
  orgDn: \${org.dn}
  vc1: \${prices.chf.flavors[0].base}
`;
  const stack = await yamlStack(program, {
    secrets: { "plugin-settings:portalPassword": AXWAY_PASSWORD },
    env: {
      VENTUS_USERNAME: VENTUS_USER,
      VENTUS_PASSWORD,
      VENTUS_ORGANIZATION_ID: VENTUS_ORG,
      VENTUS_AUTH_URL: emu.ventusAuthUrl,
      VENTUS_API_URL: emu.ventusApiUrl,
    },
  });
  const up: RunResult = await stack.up();
  expect(await stack.outputs()).toMatchObject({
    projectRegion: "Eastern-Switzerland",
    orgDn: "o=Explicit Provider Org,ou=organizations,ou=APIPortal",
  });
  expect(typeof (await stack.outputs()).vc1).toBe("number");
  // The explicit provider logged in once (session), the default one never spoke to the portal.
  const logins = Object.entries(emu.stats().byRoute).filter(([route]) => /^POST \S*\/login$/.test(route));
  expect(logins.length).toBe(1);
  expect(logins[0][1]).toBeGreaterThanOrEqual(1);
  await stack.expectNoChanges(true);
  // A misspelt setting of the default provider fails the preview, named with the closest one.
  await stack.pulumiOk(["config", "set", "ventus-axway:ventusUsernme", "someone"]);
  const misspelt = await stack.pulumi(["preview"]);
  expect(misspelt.code).not.toBe(0);
  expect(misspelt.output).toContain("ventus-axway:ventusUsernme: is not a setting; did you mean ventusUsername?");
  await stack.pulumiOk(["config", "rm", "ventus-axway:ventusUsernme"]);
  // The path the engine took: PulumiPlugin.yaml in the package's folder, started by the Node.js
  // language host (no pulumi-resource-ventus-axway executable is involved).
  const launch = await stack.pulumiOk(["preview", "--logtostderr", "-v=9"]);
  expect(launch.output).toMatch(/Launching plugin 'ventus-axway \(resource\)' from '[^']*pulumi-ventus-axway' via runtime 'nodejs'/);
  expect(launch.output).toMatch(/langhost\[nodejs\]\.RunPlugin\(root=[^,]*pulumi-ventus-axway/);
  const state = await stack.state();
  const explicit = state.find((r) => r.type === "pulumi:providers:ventus-axway" && r.urn.endsWith("::portal"));
  expect(explicit?.inputs?.axwayPassword).toMatchObject({ ciphertext: expect.any(String) });
  const defaultProvider = state.find((r) => r.type === "pulumi:providers:ventus-axway" && r.urn.includes("::default"));
  expect(JSON.stringify(defaultProvider?.inputs ?? {})).not.toContain(VENTUS_PASSWORD);
  for (const text of [up.output, stack.rawStateFile()]) {
    expect(occurrences(text, VENTUS_PASSWORD)).toEqual([]);
    expect(occurrences(text, AXWAY_PASSWORD)).toEqual([]);
  }
  await stack.destroy();
  expect(await ventus.listProjects(VENTUS_ORG)).toEqual([]);
});
