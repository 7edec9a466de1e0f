// examples/go, a Go program on the generated Go SDK (sdk/go/ventusaxway) with the package's plugin
// named in its Pulumi.yaml (`plugins: providers: path`), the way a Go user runs it: the engine's Go
// language host (built by setup) compiles the program, the plugin serves the resources. Go builds
// offline (GOPROXY=off) from the modules and build cache setup filled (scripts/golang.sh).
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { sha256 } from "../../provider/rules";
import { ROOT, USERLAND } from "./paths";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, runProcess, type StackOptions } from "./harness";

const AXWAY_PASSWORD = "changeme";
const EXAMPLE = path.join(ROOT, "examples/go");
const SDK_MODULE = "github.com/pulumi-ventus-axway/pulumi-ventus-axway/sdk/go";
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

/** Go never reaches the network: modules and compiled packages come from setup's caches. */
function goEnv(): Record<string, string> {
  const env: Record<string, string> = { GOFLAGS: "-mod=mod -buildvcs=false", GOPROXY: "off", GOSUMDB: "off", GOTOOLCHAIN: "local" };
  if (process.env.PVA_GOMODCACHE) env.GOMODCACHE = process.env.PVA_GOMODCACHE;
  if (process.env.PVA_GOCACHE) env.GOCACHE = process.env.PVA_GOCACHE;
  return env;
}

/** examples/go as a project folder where `node_modules/pulumi-ventus-axway` is the installed package, the SDK replaced in from sdk/go. */
async function goStack(options: StackOptions): Promise<TestStack> {
  const stack = await TestStack.create("ventus-axway-go", "", { ...options, env: { ...goEnv(), ...options.env } });
  fs.rmSync(path.join(stack.dir, "index.js"));
  fs.rmSync(path.join(stack.dir, "package.json"));
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
  fs.copyFileSync(path.join(EXAMPLE, "Pulumi.yaml"), path.join(stack.dir, "Pulumi.yaml"));
  for (const f of ["main.go", "go.sum"]) fs.copyFileSync(path.join(EXAMPLE, f), path.join(stack.dir, f));
  const gomod = fs.readFileSync(path.join(EXAMPLE, "go.mod"), "utf8");
  expect(gomod).toContain(`replace ${SDK_MODULE} => ../../sdk/go`);
  fs.writeFileSync(path.join(stack.dir, "go.mod"), gomod.replace("=> ../../sdk/go", `=> ${path.join(ROOT, "sdk/go")}`));
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

/** Adds Go statements to the program's function, before its exports (in a block of their own). */
function addToProgram(stack: TestStack, statements: string): void {
  const file = path.join(stack.dir, "main.go");
  const program = fs.readFileSync(file, "utf8");
  const at = program.indexOf('\t\tctx.Export("projectId"');
  expect(at).toBeGreaterThan(0);
  fs.writeFileSync(file, `${program.slice(0, at)}\t\t{\n${statements}\n\t\t}\n${program.slice(at)}`);
}

const regcodeId = (code: string) => `regcode-${sha256(code).slice(0, 20)}`;

/** Whole-token occurrences (a 6-digit code inside a longer number does not count). */
const occurrences = (text: string, secret: string) =>
  text
    .split("\n")
    .filter((line) => new RegExp(`(?<![0-9A-Za-z])${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9A-Za-z])`).test(line));

test("examples/go on the generated SDK and the plugin: up, no changes, drift found by preview --refresh and by drift, repair, pulumi import of all four kinds, secrets, destroy", async () => {
  const stack = await goStack(providerConfig());
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
  expect(
    state
      .filter((r) => r.type.startsWith("ventus-axway:index:"))
      .map((r) => r.type.split(":")[2])
      .sort(),
  ).toEqual(["OrganizationApiAccess", "PortalOrganization", "RegistrationToken", "VentusProject"]);
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

  // The package's drift command (the installed bin) on the same stack: the fields changed by hand.
  const bin = path.join(USERLAND, "node_modules/.bin/pulumi-ventus-axway");
  const report = await runProcess(bin, ["drift", "--stack", "test", "--json", "-"], stack.dir, stack.environment());
  texts.driftCommand = report.output;
  expect(report.code).toBe(2);
  const drifted = (JSON.parse(report.stdout) as { drifted: Array<{ name: string; changes: Array<{ field: string }> }> }).drifted;
  const byName = Object.fromEntries(drifted.map((d) => [d.name, d.changes.map((c) => c.field).sort()]));
  expect(byName).toEqual({
    web: ["name"],
    partner: ["development", "email"],
    apiAccess: ["enabled"],
    onboarding: ["userQuota"],
  });

  // Repair, then nothing more to do.
  texts.repair = (await stack.pulumiOk(["up", "--refresh", "--yes", "--skip-preview"])).output;
  expect((await ventus.listProjects(VENTUS_ORG)).find((p) => p.id === projectId)?.name).toBe("partner-portal-web");
  expect(await portal.getOrganization(orgId)).toMatchObject({ email: "api-support@acme.example", development: true });
  expect((await portal.listApiAccess(orgId))[0].enabled).toBe(true);
  expect((await portal.getToken(orgId, code))?.maxUsers).toBe(5);
  // (The refreshed no-changes preview after the imports below covers the repaired resources too.)

  // Objects made by hand, adopted with `pulumi import` (the Go host of v3.65.0 cannot write Go code
  // for them: --generate-code=false), then declared in Go as they are: the next preview plans nothing.
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
  for (const [type, name, id] of imports) {
    const r = await stack.pulumiOk(["import", `ventus-axway:index:${type}`, name, id, "--yes", "--generate-code=false"]);
    texts[`import ${type}`] = r.output;
    expect(r.output).toMatch(/= 1 imported/);
  }
  const imported = await stack.state();
  const byUrn = (name: string) => imported.find((r) => r.urn.endsWith(`::${name}`));
  expect(byUrn("legacyOrg")).toMatchObject({ id: legacyOrg.id, outputs: { name: "Legacy Partner", phone: "+41 1" } });
  expect(byUrn("legacyAccess")?.id).toBe(legacyGrant.id);
  expect(byUrn("legacyCode")?.id).toBe(regcodeId(legacyCode.token));
  expect(byUrn("legacyProject")).toMatchObject({ id: legacyProject.id, outputs: { region: "upper-austria", name: "legacy-project" } });
  addToProgram(
    stack,
    `			legacyOrg, err := ventusaxway.NewPortalOrganization(ctx, "legacyOrg", &ventusaxway.PortalOrganizationArgs{
				Name:  pulumi.String("Legacy Partner"),
				Email: pulumi.String("legacy@example.com"),
				Phone: pulumi.String("+41 1"),
			}, pulumi.Protect(true))
			if err != nil {
				return err
			}
			if _, err := ventusaxway.NewOrganizationApiAccess(ctx, "legacyAccess", &ventusaxway.OrganizationApiAccessArgs{
				OrganizationId: legacyOrg.ID().ToStringOutput(),
				ApiId:          pulumi.String("${weather.id}"),
			}, pulumi.Protect(true)); err != nil {
				return err
			}
			if _, err := ventusaxway.NewRegistrationToken(ctx, "legacyCode", &ventusaxway.RegistrationTokenArgs{
				OrganizationId: legacyOrg.ID().ToStringOutput(),
				UserQuota:      pulumi.Int(3),
				Expiry:         pulumi.String("2032-06-30T12:00:00Z"),
			}, pulumi.Protect(true)); err != nil {
				return err
			}
			if _, err := ventusaxway.NewVentusProject(ctx, "legacyProject", &ventusaxway.VentusProjectArgs{
				Region: pulumi.String("upper-austria"),
				Name:   pulumi.String("legacy-project"),
			}, pulumi.Protect(true)); err != nil {
				return err
			}`,
  );
  texts.afterImport = (await stack.expectNoChanges(true)).output;

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
