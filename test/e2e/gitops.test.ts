// examples/gitops through the real engine, with its state in a real PostgreSQL server
// (`postgres://`, the engine's own backend) started for these tests: apply, drift made out of
// band and found by the package's `drift` command (the installed bin, on the CLI's event log),
// repaired by `pulumi up`; a YAML mistake stopped before any API call; two `pulumi up` of one
// stack at once.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, packageCli, type RunResult } from "./harness";
import { ROOT, USERLAND } from "./paths";

const EXAMPLE = path.join(ROOT, "examples/gitops");
/** The emulator's seed holds this organization; a real portal has its "API Development". */
const SEEDED_ORG = "Seeded Partner";

let pg: { dir: string; url: string };
beforeAll(() => {
  // A throwaway server on loopback (installed from Debian's packages on a fresh machine).
  const out = execFileSync("bash", [path.join(ROOT, "scripts/postgres.sh"), "start"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  const vars = Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => l.split(/=(.*)/s).slice(0, 2)),
  );
  pg = { dir: vars.PVA_PG_DIR, url: vars.PVA_PG_URL };
  expect(pg.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/pulumi\?sslmode=disable$/);
}, 600_000);
afterAll(() => {
  if (pg?.dir) execFileSync("bash", [path.join(ROOT, "scripts/postgres.sh"), "stop", pg.dir], { stdio: "inherit" });
});

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

/** The example as a project of the userland install, its credentials in the environment as in the workflows. */
async function gitopsStack(name: string, backend: "postgres" | "file"): Promise<{ stack: TestStack; env: Record<string, string> }> {
  const env: Record<string, string> = {
    AXWAY_URL: emu.axwayUrl,
    AXWAY_USERNAME: "apiadmin",
    AXWAY_PASSWORD: "changeme",
    VENTUS_USERNAME: VENTUS_USER,
    VENTUS_PASSWORD: VENTUS_PASSWORD,
    VENTUS_ORGANIZATION_ID: VENTUS_ORG,
    VENTUS_AUTH_URL: emu.ventusAuthUrl,
    VENTUS_API_URL: emu.ventusApiUrl,
  };
  if (backend === "postgres") env.PULUMI_BACKEND_URL = pg.url;
  const stack = await TestStack.create(name, fs.readFileSync(path.join(EXAMPLE, "index.ts"), "utf8"), { typescript: true, env });
  fs.copyFileSync(path.join(EXAMPLE, "tsconfig.json"), path.join(stack.dir, "tsconfig.json"));
  fs.cpSync(path.join(EXAMPLE, "teams"), path.join(stack.dir, "teams"), { recursive: true });
  fs.cpSync(path.join(EXAMPLE, "logos"), path.join(stack.dir, "logos"), { recursive: true });
  return { stack, env };
}

/** The installed `pulumi-ventus-axway` bin, as a pipeline runs it (`npx pulumi-ventus-axway drift`). */
const cli = (stack: TestStack, env: Record<string, string>, args: string[], tty = false): Promise<RunResult> =>
  packageCli(stack.dir, env, args, tty);

function schemaValidator() {
  const schema = JSON.parse(
    fs.readFileSync(path.join(USERLAND, "node_modules/pulumi-ventus-axway/schemas/drift-report.schema.json"), "utf8"),
  );
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    formats: { "date-time": (s: string) => !Number.isNaN(Date.parse(s)) },
  });
  return ajv.compile(schema);
}

const orgByName = async (name: string) =>
  (await portal.listOrganizations([{ field: "name", op: "eq", value: name }])).find((o) => o.name === name);

test("examples/gitops on PostgreSQL state: apply; four changes out of band are exactly what drift reports (exit 2, JSON per the schema); up repairs; drift exits 0", async () => {
  const { stack, env } = await gitopsStack("gitops-drift", "postgres");
  await stack.up();
  const out = await stack.outputs();
  expect(Object.keys(out.organizationIds as object).sort()).toEqual(["acme-payments", "globex-weather"]);
  expect(Object.keys(out.apiAccessIds as object).sort()).toEqual([
    "acme-payments/Payments v2",
    "acme-payments/Petstore",
    "globex-weather/Weather",
  ]);
  expect(Object.values(out.registrationCodes as object).every((c) => /^\d{6}$/.test(String(c)))).toBe(true);
  expect(await orgByName("Acme Payments")).toMatchObject({
    email: "api-team@acme.example",
    virtualHost: "acme.api.example.com",
    isTrial: true,
    trialDuration: 30,
  });
  // The state is in the database, not in a file.
  expect(fs.readdirSync(path.join(stack.dir, ".state"))).toEqual([]);
  expect((await stack.state()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length).toBe(9);

  // Right after an apply: no drift.
  const clean = await cli(stack, env, ["drift", "--stack", "test", "--ignore", SEEDED_ORG]);
  expect({ code: clean.code, stdout: clean.stdout }).toEqual({
    code: 0,
    stdout: "Stack test (project gitops-drift): 9 resources read. No drift: everything declared is as declared on the services.\n",
  });
  expect(clean.stderr).toBe(""); // no progress line when not on a terminal

  // Out of band: an organization's email, a grant disabled, a Ventus project deleted, an organization made by hand.
  const acme = (await orgByName("Acme Payments"))!;
  await portal.updateOrganization(acme.id, { ...acme, email: "someone-else@acme.example" });
  const petstore = (await portal.listApiAccess(acme.id)).find(
    (g) => g.id === (out.apiAccessIds as Record<string, string>)["acme-payments/Petstore"],
  )!;
  await portal.updateApiAccess(acme.id, petstore, false);
  const dashboardId = (out.ventusProjectIds as Record<string, string>)["weather-dashboard"];
  expect(await ventus.deleteProject(VENTUS_ORG, "eastern-switzerland", dashboardId)).toBe(true);
  const handMade = await portal.createOrganization({ name: "Made By Hand" });

  emu.resetStats();
  const jsonFile = path.join(stack.dir, "drift.json");
  const mdFile = path.join(stack.dir, "drift.md");
  const drift = await cli(stack, env, [
    "drift",
    "--stack",
    "test",
    "--ignore",
    SEEDED_ORG,
    "--json",
    jsonFile,
    "--markdown",
    mdFile,
    "--parallel",
    "4",
  ]);
  expect(drift.code).toBe(2);
  const report = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
  const validate = schemaValidator();
  expect(validate(report) ? [] : validate.errors).toEqual([]);
  const T = "pulumi-nodejs:dynamic/pulumi-ventus-axway:";
  expect(report).toMatchObject({
    schemaVersion: 1,
    project: "gitops-drift",
    stack: "test",
    drift: true,
    summary: { resources: 9, drifted: 2, deleted: 1, undeclared: 1 },
    scanned: { portal: true, ventus: true },
  });
  expect(report.drifted).toEqual([
    {
      urn: `urn:pulumi:test::gitops-drift::${T}OrganizationApiAccess::acme-payments/Petstore`,
      type: "OrganizationApiAccess",
      name: "acme-payments/Petstore",
      id: petstore.id,
      changes: [{ field: "enabled", before: true, after: false }],
    },
    {
      urn: `urn:pulumi:test::gitops-drift::${T}PortalOrganization::acme-payments`,
      type: "PortalOrganization",
      name: "acme-payments",
      id: acme.id,
      changes: [{ field: "email", before: "api-team@acme.example", after: "someone-else@acme.example" }],
    },
  ]);
  expect(report.deleted).toEqual([
    {
      urn: `urn:pulumi:test::gitops-drift::${T}VentusProject::weather-dashboard`,
      type: "VentusProject",
      name: "weather-dashboard",
      id: dashboardId,
    },
  ]);
  expect(report.undeclared).toEqual([{ service: "portal", type: "PortalOrganization", id: handMade.id, name: "Made By Hand" }]);
  // The same on the terminal and in Markdown.
  expect(drift.stdout).toMatch(/PortalOrganization acme-payments\s+email\s+"api-team@acme\.example"\s+"someone-else@acme\.example"/);
  expect(drift.stdout).toMatch(/OrganizationApiAccess acme-payments\/Petstore\s+enabled\s+true\s+false/);
  expect(drift.stdout).toMatch(/Deleted outside Pulumi \(1\):\n.*\n\s+VentusProject weather-dashboard\s+/);
  expect(drift.stdout).toContain(`portal organization "Made By Hand" (id ${handMade.id})`);
  expect(fs.readFileSync(mdFile, "utf8")).toContain("**2 changed, 1 deleted, 1 not declared**");
  // The registration codes were read, and are nowhere in what drift wrote.
  for (const code of Object.values(out.registrationCodes as Record<string, string>)) {
    expect(drift.output + fs.readFileSync(jsonFile, "utf8") + fs.readFileSync(mdFile, "utf8")).not.toContain(code);
  }
  // A refresh preview changes nothing: drift made no write, and state still holds the deleted project.
  expect(Object.keys(emu.stats().byMethod).filter((m) => m !== "GET")).toEqual([]);
  expect((await stack.state()).some((r) => r.id === dashboardId)).toBe(true);

  // pulumi up --refresh (as the workflow runs it) puts back what is declared, and leaves the
  // undeclared organization alone.
  await stack.pulumiOk(["up", "--refresh", "--yes", "--skip-preview"]);
  expect((await orgByName("Acme Payments"))!.email).toBe("api-team@acme.example");
  expect((await portal.listApiAccess(acme.id)).find((g) => g.apiId === petstore.apiId)!.enabled).toBe(true);
  expect((await ventus.listProjects(VENTUS_ORG)).filter((p) => p.name === "weather-dashboard")).toHaveLength(1);
  await stack.expectNoChanges(true);
  const left = await cli(stack, env, ["drift", "--stack", "test", "--ignore", SEEDED_ORG, "--json", "-"]);
  expect(left.code).toBe(2);
  expect(JSON.parse(left.stdout)).toMatchObject({ summary: { drifted: 0, deleted: 0, undeclared: 1 } });

  // Deleted by its owner (or ignored): no drift at all. This time on a terminal: a progress line.
  expect(await portal.deleteOrganization(handMade.id)).toBe(true);
  const after = await cli(stack, env, ["drift", "--stack", "test", "--ignore", SEEDED_ORG, "--json", jsonFile], true);
  expect(after.code).toBe(0);
  // Counted as they are read (the state comes with the refresh's events: no total beforehand).
  expect(after.output).toContain("\r\x1b[Kdrift: reading resources 1\r");
  expect(after.output).toContain("\r\x1b[Kdrift: reading resources 9\r\x1b[KStack test (project gitops-drift): 9 resources read. No drift");
  const cleanReport = JSON.parse(fs.readFileSync(jsonFile, "utf8"));
  expect(validate(cleanReport)).toBe(true);
  expect(cleanReport).toMatchObject({ drift: false, summary: { resources: 9, drifted: 0, deleted: 0, undeclared: 0 } });
});

test("a YAML mistake stops the program with file:line:column and the field, before any API call", async () => {
  const { stack, env } = await gitopsStack("gitops-yaml", "file");
  // A second team declares an organization name the payments team has, and a wrong email.
  fs.writeFileSync(
    path.join(stack.dir, "teams/zeta.yaml"),
    "organizations:\n  zeta:\n    name: Zeta\n    email: zeta-at-example\n  acme-again:\n    name: Acme Payments\n",
  );
  emu.resetStats();
  const preview = await stack.preview();
  expect(preview.code).not.toBe(0);
  expect(preview.output).toContain("teams/zeta.yaml:4:12: organizations.zeta.email: must be an email address such as support@example.com");
  expect(preview.output).toContain(
    'teams/zeta.yaml:5:3: organizations.acme-again.name: the organization name "Acme Payments" is already declared at teams/payments.yaml:6:3 (organizations.acme-payments)',
  );
  expect(preview.output).not.toMatch(/at Object\.|\.ts:\d+:\d+\)/); // no stack trace
  const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(up.code).not.toBe(0);
  expect(up.output).toContain("teams/zeta.yaml:4:12: organizations.zeta.email:");
  const validate = await cli(stack, env, ["validate", "teams"]);
  expect(validate.code).toBe(1);
  expect(validate.stderr).toContain("teams/zeta.yaml:4:12: organizations.zeta.email:");
  expect(emu.stats().total).toBe(0);
  expect((await stack.state()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))).toEqual([]);
});

test("a second `pulumi up` of a stack while one runs, on PostgreSQL state: it stops on the lock; nothing is made twice", async () => {
  const { stack } = await gitopsStack("gitops-lock", "postgres");
  // Slow answers (every request delayed) keep the first update running while the second starts.
  emu.injectFault({ delayMs: 150, rate: 1 });
  emu.resetStats();
  const first = stack.pulumi(["up", "--yes", "--skip-preview"]);
  // The second starts once the first holds the lock (its provider is calling the services).
  // Started in the same instant, both can see the other's lock and both stop (seen once in a
  // fresh clone's run): the backend's protocol, not what this test is about.
  for (let waited = 0; emu.stats().total === 0 && waited < 60_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  const [a, b] = await Promise.all([first, stack.pulumi(["up", "--yes", "--skip-preview"])]);
  const results = [a, b].sort((x, y) => x.code - y.code);
  expect(results.map((r) => r.code)).toEqual([0, expect.any(Number)]);
  expect(results[1].code).not.toBe(0);
  expect(results[1].output).toMatch(/the stack is currently locked by 1 lock\(s\)/);
  // Each object exactly once on the services, and a state that plans nothing more.
  const stats = emu.stats().byRoute;
  expect(stats["POST /api/portal/v1.3/organizations"]).toBe(2);
  for (const name of ["Acme Payments", "Globex Weather"]) {
    expect((await portal.listOrganizations()).filter((o) => o.name === name)).toHaveLength(1);
  }
  expect((await ventus.listProjects(VENTUS_ORG)).map((p) => p.name).sort()).toEqual(["payments-api", "weather-dashboard"]);
  await stack.expectNoChanges(true);
  expect((await stack.state()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length).toBe(9);
});
