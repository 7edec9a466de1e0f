// A pipeline job killed mid-run (SIGKILL: a timeout, a lost runner, a cancel past its grace
// period) and the next job, run as examples/gitops/.github/workflows/up.yml runs it: `recover
// --clear-stale-lock`, then `pulumi up --refresh`. For both faces (the TypeScript SDK's dynamic
// resources and a Pulumi YAML program through the plugin) and both shared stores (file and the
// engine's PostgreSQL backend), at points drawn with a seeded generator: before the first create
// answers, mid-way through the creates, and during the deletes of a destroy. The next job must
// exit 0 and leave exactly the declared objects on the services (no duplicate, no orphan), each
// resource once in state with no pending operation, and a refreshing preview with no change.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { registrationCodeId } from "../../gitops/drift";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, runProcess, type RunResult, type StackOptions } from "./harness";
import { ROOT, USERLAND } from "./paths";

const SEED = Number(process.env.PVA_KILL_SEED ?? 20261206);
const BIN = path.join(USERLAND, "node_modules/.bin/pulumi-ventus-axway");
const WORKFLOW = parse(fs.readFileSync(path.join(ROOT, "examples/gitops/.github/workflows/up.yml"), "utf8"));
/** While the run to be killed runs, every answer waits this long, so that the kill finds creates and deletes in flight. */
const LATENCY_MS = 250;

const PROJECTS = 12;
const ORGS = 4;
const REGIONS = ["eastern-switzerland", "upper-austria", "vienna"];
/** Project i and i + 9 share name and region: names are not unique on Ventus. */
const projectName = (i: number) => `proj-${i % 9}`;
const RESOURCES = PROJECTS + 3 * ORGS;

/** mulberry32: the same seed draws the same kill points. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const draw = random(SEED);
const between = (lo: number, hi: number) => lo + Math.floor(draw() * (hi - lo + 1));

function typescriptProgram(): string {
  return `
const v = require("pulumi-ventus-axway");
const regions = ${JSON.stringify(REGIONS)};
for (let i = 0; i < ${PROJECTS}; i++) {
  new v.VentusProject("p" + i, { region: regions[i % 3], name: "proj-" + (i % 9) });
}
const apis = v.getPortalApis();
for (let i = 0; i < ${ORGS}; i++) {
  const org = new v.PortalOrganization("org" + i, { name: "Team " + i, description: "team number " + i });
  new v.OrganizationApiAccess("grant" + i, { organizationId: org.id, apiId: apis.then((a) => a[i % a.length].id) });
  new v.RegistrationToken("code" + i, { organizationId: org.id, userQuota: 5, expiry: "2031-01-01T00:00:00Z" });
}
`;
}

function yamlProgram(name: string): string {
  const lines = [
    `name: ${name}`,
    "runtime: yaml",
    "plugins:",
    "  providers:",
    "    - name: ventus-axway",
    "      path: node_modules/pulumi-ventus-axway",
    "variables:",
    "  apis:",
    "    fn::invoke:",
    "      function: ventus-axway:index:getPortalApis",
    "      arguments: {}",
    "      return: apis",
    "resources:",
  ];
  for (let i = 0; i < PROJECTS; i++) {
    lines.push(
      `  p${i}:`,
      "    type: ventus-axway:index:VentusProject",
      `    properties: { region: ${REGIONS[i % 3]}, name: ${projectName(i)} }`,
    );
  }
  for (let i = 0; i < ORGS; i++) {
    lines.push(
      `  org${i}:`,
      "    type: ventus-axway:index:PortalOrganization",
      `    properties: { name: "Team ${i}", description: "team number ${i}" }`,
      `  grant${i}:`,
      "    type: ventus-axway:index:OrganizationApiAccess",
      `    properties: { organizationId: "\${org${i}.id}", apiId: "\${apis[${i % 4}].id}" }`,
      `  code${i}:`,
      "    type: ventus-axway:index:RegistrationToken",
      `    properties: { organizationId: "\${org${i}.id}", userQuota: 5, expiry: "2031-01-01T00:00:00Z" }`,
    );
  }
  return `${lines.join("\n")}\n`;
}

let pg: { dir: string; url: string };
beforeAll(() => {
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
  console.log(`kill points drawn with seed ${SEED} (PVA_KILL_SEED)`);
}, 600_000);
afterAll(() => {
  if (pg?.dir) execFileSync("bash", [path.join(ROOT, "scripts/postgres.sh"), "stop", pg.dir], { stdio: "inherit" });
});

let emu: RunningEmulator;
let portal: AxwayClient;
let ventus: VentusClient;
let seededOrgs: string[];
beforeEach(async () => {
  emu = await emulator();
  portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  seededOrgs = (await portal.listOrganizations()).map((o) => o.id);
});
afterEach(async () => {
  await portal.close();
  await ventus.close();
  await emu.stop();
});

type Face = "typescript" | "yaml";
type Backend = "file" | "postgres";

/** Settings: the stack's configuration (in either face's keys), or the environment as in the workflows. */
function settings(face: Face, from: "config" | "environment"): { options: StackOptions; env: Record<string, string>; setAll?: string[] } {
  const values = {
    "ventus:username": VENTUS_USER,
    "ventus:organizationId": VENTUS_ORG,
    "ventus:authUrl": emu.ventusAuthUrl,
    "ventus:apiUrl": emu.ventusApiUrl,
    "axway:url": emu.axwayUrl,
    "axway:username": "apiadmin",
  };
  const secrets = { "ventus:password": VENTUS_PASSWORD, "axway:password": "changeme" };
  const key = (k: string) => {
    if (face === "typescript") return k;
    const [ns, name] = k.split(":");
    return `ventus-axway:${ns}${name!.charAt(0).toUpperCase()}${name!.slice(1)}`;
  };
  if (from === "environment") {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...values, ...secrets }))
      env[
        k
          .replace(/[A-Z]/g, (c) => `_${c}`)
          .replace(":", "_")
          .toUpperCase()
      ] = v;
    return { options: {}, env };
  }
  // One `pulumi config set-all` (makeStack) rather than one process per setting.
  const setAll = [
    ...Object.entries(values).flatMap(([k, v]) => ["--plaintext", `${key(k)}=${v}`]),
    ...Object.entries(secrets).flatMap(([k, v]) => ["--secret", `${key(k)}=${v}`]),
  ];
  return { options: {}, env: {}, setAll };
}

async function makeStack(name: string, face: Face, backend: Backend, from: "config" | "environment"): Promise<TestStack> {
  const s = settings(face, from);
  const env = { ...s.env, ...(backend === "postgres" ? { PULUMI_BACKEND_URL: pg.url } : {}) };
  const stack = await TestStack.create(name, face === "typescript" ? typescriptProgram() : "", { ...s.options, env });
  if (s.setAll) await stack.pulumiOk(["config", "set-all", ...s.setAll]);
  if (face === "yaml") {
    fs.rmSync(path.join(stack.dir, "index.js"));
    fs.rmSync(path.join(stack.dir, "package.json"));
    fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
    fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), yamlProgram(name));
  }
  return stack;
}

/** Every process below `root` (the dynamic provider and the plugin run in process groups of their own). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [child, pp] of parent) {
      if (pp !== p) continue;
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/**
 * Runs `pulumi <args>` in a process group of its own and SIGKILLs the group once `when()` holds,
 * then every process it had started that outlived the group (as when the runner itself dies).
 */
async function killDuring(stack: TestStack, args: string[], when: () => boolean): Promise<{ killedAfterMs: number; survivors: number }> {
  const child = spawn("pulumi", [...args, "--non-interactive"], {
    cwd: stack.dir,
    env: stack.environment(),
    detached: true,
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const started = Date.now();
  let done = false;
  void exited.then(() => (done = true));
  while (!when()) {
    if (done) throw new Error(`pulumi ${args.join(" ")} ended before the kill point`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const tree = descendants(child.pid!);
  process.kill(-child.pid!, "SIGKILL");
  await exited;
  let survivors = 0;
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
      survivors++;
    } catch {
      // ended with the group
    }
  }
  return { killedAfterMs: Date.now() - started, survivors };
}

/** The next job, as up.yml runs it: its recover step, then pulumi/actions' `up` with `refresh: true`. */
async function nextJob(stack: TestStack, recoverOnly = false): Promise<{ recover: RunResult; recoverSeconds: string; up?: RunResult }> {
  const steps = Object.values(WORKFLOW.jobs).flatMap(
    (j) => (j as { steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> }).steps,
  );
  const recoverArgs = steps
    .find((s) => /pulumi-ventus-axway recover/.test(s.run ?? ""))!
    .run!.replace(/^npx pulumi-ventus-axway /, "")
    .replace("--stack prod", "--stack test")
    .split(" ");
  const started = Date.now();
  const recover = await runProcess(BIN, recoverArgs, stack.dir, stack.environment());
  const recoverSeconds = ((Date.now() - started) / 1000).toFixed(1);
  const up = steps.find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "up")!;
  const upArgs = ["up", "--yes", ...(up.with!.refresh ? ["--refresh"] : []), ...(up.with!.diff ? ["--diff"] : [])];
  return { recover, recoverSeconds, up: recoverOnly ? undefined : await stack.pulumi(upArgs) };
}

interface Left {
  pendingCreates: number;
  otherPending: number;
  orphans: number;
  lock: boolean;
}

/** What the kill left: pending operations in state, objects on the services the state does not know, the lock. */
async function whatWasLeft(stack: TestStack, backend: Backend): Promise<Left> {
  const checkpoint = JSON.parse((await stack.pulumiOk(["stack", "export"])).stdout);
  const ops: Array<{ type: string }> = checkpoint.deployment.pending_operations ?? [];
  const ids = new Set((checkpoint.deployment.resources ?? []).map((r: { id?: string }) => r.id));
  const onServices = await objectIds();
  let lock: boolean;
  if (backend === "file") {
    const locks = path.join(stack.dir, ".state/.pulumi/locks");
    lock = fs.existsSync(locks) && execFileSync("find", [locks, "-name", "*.json"], { encoding: "utf8" }).trim() !== "";
  } else {
    // The engine's PostgreSQL backend keeps a lock as a row of its table `pulumi_state`, keyed like the file
    // backend's lock file under the database's name: `pulumi/.pulumi/locks/organization/<project>/<stack>/<uuid>.json`.
    const psql = path.join(execFileSync("bash", [path.join(ROOT, "scripts/postgres.sh"), "bin"], { encoding: "utf8" }).trim(), "psql");
    const port = new URL(pg.url).port;
    const rows = execFileSync(
      psql,
      [
        "-h",
        "127.0.0.1",
        "-p",
        port,
        "-U",
        "postgres",
        "-d",
        "pulumi",
        "-tAc",
        "SELECT key FROM pulumi_state WHERE key LIKE '%/.pulumi/locks/%'",
      ],
      { encoding: "utf8", env: { ...process.env, PGCONNECT_TIMEOUT: "5" } },
    );
    lock = rows.split("\n").some((k) => k.includes(`/${path.basename(stack.dir).replace(/-[0-9a-f]{6}$/, "")}/test/`));
  }
  return {
    pendingCreates: ops.filter((o) => o.type === "creating").length,
    otherPending: ops.filter((o) => o.type !== "creating").length,
    orphans: onServices.filter((id) => !ids.has(id)).length,
    lock,
  };
}

/** Ids of every object of the stack's kinds on the emulator (the seeded organization aside). */
async function objectIds(): Promise<string[]> {
  const out = (await ventus.listProjects(VENTUS_ORG)).map((p) => p.id);
  for (const o of await portal.listOrganizations()) {
    if (seededOrgs.includes(o.id)) continue;
    out.push(o.id, ...(await portal.listApiAccess(o.id)).map((g) => g.id));
    out.push(...(await portal.listTokens(o.id)).map((t) => registrationCodeId(String(t.token))));
  }
  return out;
}

/** The services hold exactly the declaration, and the state each resource once, with the services' ids. */
async function converged(stack: TestStack): Promise<void> {
  const checkpoint = JSON.parse((await stack.pulumiOk(["stack", "export"])).stdout);
  expect(checkpoint.deployment.pending_operations ?? []).toEqual([]);
  const ours = (checkpoint.deployment.resources as Array<{ urn: string; type: string; id: string }>).filter((r) =>
    /pulumi-ventus-axway:|ventus-axway:index:/.test(r.urn.split("::")[2] ?? ""),
  );
  expect(new Set(ours.map((r) => r.urn)).size).toBe(ours.length);
  expect(ours).toHaveLength(RESOURCES);
  const idsOf = (kind: string) => new Set(ours.filter((r) => r.urn.split("::")[2]!.endsWith(kind)).map((r) => r.id));

  const count = (list: string[]) => list.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
  const projects = await ventus.listProjects(VENTUS_ORG);
  expect(count(projects.map((p) => `${p.name}@${p.region.toLowerCase()}`))).toEqual(
    count(Array.from({ length: PROJECTS }, (_, i) => `${projectName(i)}@${REGIONS[i % 3]}`)),
  );
  expect(new Set(projects.map((p) => p.id))).toEqual(idsOf("VentusProject"));

  const orgs = (await portal.listOrganizations()).filter((o) => !seededOrgs.includes(o.id));
  expect(orgs.map((o) => o.name).sort()).toEqual(Array.from({ length: ORGS }, (_, i) => `Team ${i}`).sort());
  expect(new Set(orgs.map((o) => o.id))).toEqual(idsOf("PortalOrganization"));
  const grants: string[] = [];
  const codes: string[] = [];
  for (const org of orgs) {
    const g = await portal.listApiAccess(org.id);
    const t = await portal.listTokens(org.id);
    expect([org.name, g.length, t.length]).toEqual([org.name, 1, 1]);
    grants.push(g[0]!.id);
    codes.push(registrationCodeId(String(t[0]!.token)));
  }
  expect(new Set(grants)).toEqual(idsOf("OrganizationApiAccess"));
  expect(new Set(codes)).toEqual(idsOf("RegistrationToken"));

  const preview = await stack.pulumi(["preview", "--refresh", "--expect-no-changes", "--diff"]);
  expect({ code: preview.code, output: preview.code === 0 ? "" : preview.output }).toEqual({ code: 0, output: "" });
}

type Point = "first create" | "mid-way" | "destroy";
/** Each point with both backends, each face with both backends. */
const RUNS: Array<[Face, Point, Backend, "config" | "environment"]> = [
  ["typescript", "first create", "file", "config"],
  ["typescript", "mid-way", "postgres", "environment"],
  ["typescript", "destroy", "file", "config"],
  ["yaml", "first create", "postgres", "config"],
  ["yaml", "mid-way", "file", "config"],
  ["yaml", "destroy", "postgres", "config"],
];
// Drawn up front, in order, so that each run's point depends on the seed alone.
const POINTS = RUNS.map(([, point]) => (point === "first create" ? 1 : point === "mid-way" ? between(4, 12) : between(1, RESOURCES - 4)));

test.each(RUNS.map((r, i) => [...r, POINTS[i]!] as const))(
  "%s, killed at the %s (%s state, settings from %s, draw %i): the next job converges",
  async (face, point, backend, from, at) => {
    const started = Date.now();
    // Projects of one PostgreSQL database share its stack names: one project name per run.
    const stack = await makeStack(`killed-${face === "typescript" ? "ts" : "yaml"}-${point.replace(/ /g, "-")}`, face, backend, from);
    const posts = () => emu.stats().byMethod.POST ?? 0;
    let killed: { killedAfterMs: number; survivors: number };
    if (point === "destroy") {
      await stack.pulumiOk(["up", "--yes", "--skip-preview"]);
      const deletes = () => emu.stats().byMethod.DELETE ?? 0;
      emu.resetStats();
      emu.injectFault({ delayMs: LATENCY_MS, rate: 1 });
      killed = await killDuring(stack, ["destroy", "--yes", "--skip-preview"], () => deletes() >= at);
    } else {
      emu.injectFault({ delayMs: LATENCY_MS, rate: 1 });
      killed = await killDuring(stack, ["up", "--yes", "--skip-preview"], () => posts() >= at);
    }
    // Requests already received are applied after their delay, answers lost with the process: wait for
    // them, then let the next job run at full speed.
    await new Promise((r) => setTimeout(r, LATENCY_MS * 2));
    emu.clearFaults();
    const left = await whatWasLeft(stack, backend);

    const t0 = Date.now();
    const job = await nextJob(stack);
    const jobSeconds = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(
      `${face}, ${point} (${at}), ${backend}: killed after ${(killed.killedAfterMs / 1000).toFixed(1)} s ` +
        `(${killed.survivors} process(es) outlived the group); left ${JSON.stringify(left)}; next job ${jobSeconds} s ` +
        `(recover ${job.recoverSeconds} s): ${job.recover.output.trim()}`,
    );
    expect({ code: job.recover.code, stderr: job.recover.stderr }).toEqual({ code: 0, stderr: "" });
    expect(job.up!.output).not.toMatch(/error:/);
    expect(job.up!.code).toBe(0);
    if (left.lock) expect(job.recover.stdout).toMatch(/^stale lock removed: .+ \(pid \d+\) at \S+$/m);
    // Every interrupted create accounted for: adopted (one line each, with its id) or cleared.
    const adopted = job.recover.stdout.match(/^adopted /gm)?.length ?? 0;
    const cleared = job.recover.stdout.match(/^cleared /gm)?.length ?? 0;
    expect(adopted + cleared).toBe(left.pendingCreates);
    expect(adopted).toBeLessThanOrEqual(left.orphans);
    await converged(stack);
    // The job after that (nothing left behind): recover finds nothing, and no lock.
    const again = await nextJob(stack, true);
    expect({ code: again.recover.code, stdout: again.recover.stdout }).toEqual({
      code: 0,
      stdout: "Stack test: 0 interrupted create(s) adopted, 0 cleared (nothing made), no stale lock.\n",
    });
    console.log(`${face}, ${point}, ${backend}: converged; the run took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  },
  300_000,
);
