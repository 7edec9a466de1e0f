// Bringing an existing estate under management, through the real engine: an emulator seeded
// through the services' own APIs (300 organizations with every field, custom properties with a
// required select, pictures, disabled and trial ones, names with accents; their grants, some
// disabled; codes, some used; 200 Ventus projects across regions with repeated names) →
// `export` → a program that is only declareFromFolder → `pulumi up` sends no write → drift
// exits 0 with nothing undeclared → refresh plans nothing → one description edited and applied,
// nothing else touched → `--format pulumi-import` adopted by a YAML stack (`pulumi import --file`)
// whose generated code then plans nothing.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { PASSPHRASE, TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, runProcess, type RunResult } from "./harness";
import { USERLAND, WORK, enginePath } from "./paths";

const ORGS = 300;
const PROJECTS = 200;
const PARALLEL = "24";
const BIN = path.join(USERLAND, "node_modules/.bin/pulumi-ventus-axway");
const CUSTOM = {
  organization: {
    tier: { type: "select" as const, required: true, options: [{ value: "gold" }, { value: "silver" }, { value: "bronze" }] },
    costCenter: { type: "custom" as const, regex: "\\d{4}" },
    seats: { type: "number" as const, minValue: 1, maxValue: 1000 },
    partner: { type: "switch" as const },
  },
};
const ACCENTED = ["Zürich Café", "Société Générale", "Ærøskøbing Ltd", "São Paulo Dados", "Øresund Åkeri", "Crème Brûlée"];
const REGIONS = ["vienna", "upper-austria", "eastern-switzerland"];

let emu: RunningEmulator;
let portal: AxwayClient;
let ventus: VentusClient;
afterAll(async () => {
  await portal?.close();
  await ventus?.close();
  await emu?.stop();
});

/** `fn` over 0..n-1, `limit` at once. */
async function concurrently(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

function jpeg(i: number): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200 + i, i % 251), Buffer.from([0xff, 0xd9])]);
}

async function seed(): Promise<{ codes: string[] }> {
  const [petstore, weather] = await Promise.all([portal.listApis("Petstore"), portal.listApis("Weather")]);
  const codes: string[] = [];
  await concurrently(ORGS, 16, async (i) => {
    const name = `${ACCENTED[i % ACCENTED.length]} ${i}`;
    const trial = i % 7 === 0;
    const org = await portal.createOrganization(
      {
        name,
        description: `Partner ${i}: ${"résumé ".repeat(i % 3)}`.trim(),
        email: `partner${i}@example.com`,
        phone: `+41 44 555 ${String(i).padStart(4, "0")}`,
        enabled: i % 10 !== 0,
        development: i % 3 === 0,
        restricted: i % 5 === 0,
        virtualHost: i % 2 === 0 ? `p${i}.api.example.com` : undefined,
        isTrial: trial,
        trialDuration: trial ? 30 : undefined,
        startTrialDate: trial ? 1_900_000_000_000 + i : undefined,
        endTrialDate: trial ? 1_902_592_000_000 + i : undefined,
      },
      {
        tier: ["gold", "silver", "bronze"][i % 3],
        ...(i % 2 === 0 ? { costCenter: String(1000 + i) } : {}),
        ...(i % 4 === 0 ? { seats: String(i + 1) } : {}),
        ...(i % 5 === 0 ? { partner: "true" } : {}),
      },
    );
    if (i % 4 === 0) await portal.setOrganizationImage(org.id, jpeg(i));
    const grant = await portal.grantApiAccess(org.id, petstore[0].id);
    if (i % 6 === 0) await portal.updateApiAccess(org.id, grant, false);
    if (i % 2 === 0) await portal.grantApiAccess(org.id, weather[0].id);
    if (i % 3 === 0) {
      const code = await portal.createToken(org.id, { userQuota: 5, expiry: Date.parse("2031-01-01T00:00:00Z") + i, enabled: i % 9 !== 0 });
      codes.push(code.token);
      if (i % 2 === 0 && i % 9 !== 0) {
        emu.registerWithCode(org.id, code.token);
        emu.registerWithCode(org.id, code.token);
      }
    }
  });
  await concurrently(PROJECTS, 16, async (j) => {
    // Repeated names: "shared-name" in every region, and names shared within a region.
    const name = j % 10 === 0 ? "shared-name" : `project-${j % 60}`;
    await ventus.createProject(VENTUS_ORG, REGIONS[j % REGIONS.length], name);
  });
  return { codes };
}

/** The installed bin, as a user runs `npx pulumi-ventus-axway …` in the project folder. */
function cli(stack: TestStack, env: Record<string, string>, args: string[]): Promise<RunResult> {
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
  return runProcess(BIN, args, stack.dir, childEnv);
}

const writes = (emu: RunningEmulator) =>
  Object.fromEntries(Object.entries(emu.stats().byRoute).filter(([route]) => !route.startsWith("GET ")));

test(
  `an estate of ${ORGS} organizations and ${PROJECTS} projects: export, adopted with no write, no drift, an edit applied alone, pulumi import --file`,
  async () => {
    const t0 = Date.now();
    emu = await emulator({ portal: { customProperties: CUSTOM } });
    portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme", http: { connections: 16 } });
    ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
    const { codes } = await seed();
    const timings: Record<string, number> = { seed: Date.now() - t0 };
    const env: Record<string, string> = {
      AXWAY_URL: emu.axwayUrl,
      AXWAY_USERNAME: "apiadmin",
      AXWAY_PASSWORD: "changeme",
      AXWAY_MAX_CONNECTIONS: "32",
      VENTUS_USERNAME: VENTUS_USER,
      VENTUS_PASSWORD: VENTUS_PASSWORD,
      VENTUS_ORGANIZATION_ID: VENTUS_ORG,
      VENTUS_AUTH_URL: emu.ventusAuthUrl,
      VENTUS_API_URL: emu.ventusApiUrl,
    };
    const program = `require("pulumi-ventus-axway/gitops").declareFromFolder("estate");\n`;
    const stack = await TestStack.create("estate", program, { env });
    const lap = (what: string, since: number) => (timings[what] = Date.now() - since);

    // Export, in the project folder: the stack's settings, here all from the environment.
    let t = Date.now();
    emu.resetStats();
    const exported = await cli(stack, env, ["export", "--out", "estate", "--format", "pulumi-import"]);
    lap("export", t);
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    const all = ORGS + 1; // and the emulator's seeded organization
    expect(exported.stdout).toMatch(
      new RegExp(
        `: ${all} organization\\(s\\), ${ORGS + ORGS / 2} API grant\\(s\\), ${ORGS / 3} registration code\\(s\\), ${ORGS / 4} image\\(s\\), ${PROJECTS} Ventus project\\(s\\)`,
      ),
    );
    // Its calls are the minimum: one listing per kind and scope, one picture per organization with one.
    const P = "/api/portal/v1.3";
    expect(emu.stats().byRoute).toEqual({
      [`GET ${P}/organizations`]: 1,
      [`GET ${P}/proxies`]: 1,
      [`GET ${P}/config/customproperties`]: 1,
      [`GET ${P}/organizations/{id}/apis`]: all,
      [`GET ${P}/organizations/{id}/tokens`]: all,
      [`GET ${P}/organizations/{id}/image`]: ORGS / 4,
      "GET /get-tokens": 1,
      "GET /v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects": 1,
    });
    const dir = path.join(stack.dir, "estate");
    const files = fs.readdirSync(dir);
    expect(files.filter((f) => f.endsWith(".yaml"))).toHaveLength(all + 1);
    const text = files
      .filter((f) => !f.startsWith("images"))
      .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    for (const code of codes) expect(text).not.toMatch(new RegExp(`(?<![0-9a-f])${code}(?![0-9a-f])`));
    expect(text).not.toContain("changeme");
    expect(text).not.toContain(VENTUS_PASSWORD);
    expect(fs.readdirSync(path.join(dir, "images"))).toHaveLength(ORGS / 4);

    // Adoption is a pure read. A first bulk adoption writes the state once, at the end (README,
    // "Large stacks"): a run that dies midway adopts again, nothing on the services is lost.
    emu.resetStats();
    t = Date.now();
    await stack.pulumiOk(["up", "--yes", "--skip-preview", "--parallel", PARALLEL], { PULUMI_SKIP_CHECKPOINTS: "true" });
    lap("up", t);
    expect(writes(emu)).toEqual({});
    const state = await stack.state();
    expect(state.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length).toBe(all + ORGS * 1.5 + ORGS / 3 + PROJECTS);

    t = Date.now();
    const drift = await cli(stack, env, ["drift", "--stack", "test", "--parallel", PARALLEL, "--json", "-"]);
    lap("drift", t);
    expect(drift.code).toBe(0);
    expect(JSON.parse(drift.stdout)).toMatchObject({ drift: false, summary: { drifted: 0, deleted: 0, undeclared: 0 } });

    t = Date.now();
    await stack.pulumiOk(["preview", "--refresh", "--expect-no-changes", "--parallel", PARALLEL]);
    lap("preview --refresh", t);
    expect(writes(emu)).toEqual({});

    // One description edited in its YAML: applied, every other field as it was.
    const target = (await portal.listOrganizations([{ field: "name", op: "eq", value: "Zürich Café 12" }]))[0];
    const before = await portal.getOrganization(target.id);
    expect(before).toMatchObject({ tier: "gold", costCenter: "1012", seats: "13" });
    const file = path.join(dir, "zurich-cafe-12.yaml");
    const yaml = fs.readFileSync(file, "utf8");
    expect(yaml).toContain(`importId: ${target.id}`);
    fs.writeFileSync(file, yaml.replace(/description: .*/, "description: Edited in Git"));
    emu.resetStats();
    t = Date.now();
    await stack.pulumiOk(["up", "--yes", "--skip-preview", "--parallel", PARALLEL]);
    lap("edit up", t);
    expect(writes(emu)).toEqual({ [`PUT ${P}/organizations/{id}`]: 1 });
    expect(await portal.getOrganization(target.id)).toEqual({ ...before, description: "Edited in Git" });

    // --format pulumi-import: a YAML stack adopts the same estate with `pulumi import --file`,
    // and the code it generates, as the program, plans nothing.
    const yamlStack = await TestStack.create("estate-yaml", "", { env: providerEnv(env) });
    fs.rmSync(path.join(yamlStack.dir, "index.js"));
    fs.rmSync(path.join(yamlStack.dir, "package.json"));
    fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(yamlStack.dir, "node_modules"));
    const header = `name: estate-yaml\nruntime: yaml\nplugins:\n  providers:\n    - name: ventus-axway\n      path: node_modules/pulumi-ventus-axway\n`;
    fs.writeFileSync(path.join(yamlStack.dir, "Pulumi.yaml"), header);
    emu.resetStats();
    t = Date.now();
    const generated = path.join(yamlStack.dir, "generated.yaml");
    const imported = await yamlStack.pulumi(
      ["import", "--file", path.join(dir, "pulumi-import.json"), "--yes", "--protect=false", "--parallel", PARALLEL, "--out", generated],
      { PULUMI_SKIP_CHECKPOINTS: "true" },
    );
    lap("pulumi import", t);
    expect(imported.code).toBe(0);
    expect(writes(emu)).toEqual({});
    const code = fs.readFileSync(generated, "utf8");
    for (const c of codes) expect(code).not.toMatch(new RegExp(`(?<![0-9a-f])${c}(?![0-9a-f])`));
    fs.writeFileSync(path.join(yamlStack.dir, "Pulumi.yaml"), `${header}${code}`);
    t = Date.now();
    await yamlStack.pulumiOk(["preview", "--expect-no-changes", "--parallel", PARALLEL]);
    lap("yaml preview", t);
    process.stdout.write(`estate e2e timings (ms): ${JSON.stringify({ ...timings, total: Date.now() - t0 })}\n`);
  },
  45 * 60_000,
);

/** The same settings for the provider plugin, which reads `ventus-axway:*` or the same environment. */
function providerEnv(env: Record<string, string>): Record<string, string> {
  return env;
}
