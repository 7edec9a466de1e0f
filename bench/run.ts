// `npm run bench`: figures of this provider through the real Pulumi engine against the emulator,
// each set beside the floor it is judged by, compared pairs run alternately in the same run,
// medians quoted. It prints Markdown; BENCHMARKS.md keeps the last figures.
//
//   npm run bench -- [--only calls,walltime,latency,overhead,state,export,drift,apply] [--sizes 10,50,200] [--reps 3]
//                    [--export-size 300,200] [--drift-sizes 50,250] [--drift-timing false] [--apply-size 250]
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { request } from "undici";
import { startEmulator, type RunningEmulator } from "../emulator";
import { AxwayClient } from "../provider/clients/axway/client";
import { VentusClient } from "../provider/clients/ventus/client";
import { exportEstate } from "../gitops/export";
import globalSetup from "../test/e2e/globalSetup";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, ventusConfig, type StackOptions } from "../test/e2e/harness";
import { USERLAND, WORK } from "../test/e2e/paths";

const { values: args } = parseArgs({
  options: {
    only: { type: "string", default: "calls,walltime,latency,overhead,state,export,drift,apply" },
    "apply-size": { type: "string", default: "250" },
    "export-size": { type: "string", default: "300,200" },
    sizes: { type: "string", default: "10,50,200" },
    "wall-sizes": { type: "string", default: "50,200,400" },
    reps: { type: "string", default: "3" },
    "drift-sizes": { type: "string", default: "50,250" },
    "drift-timing": { type: "string", default: "true" },
  },
});
const only = new Set(args.only!.split(","));
const sizes = args.sizes!.split(",").map(Number);
const wallSizes = args["wall-sizes"]!.split(",").map(Number);
const reps = Number(args.reps);
const driftSizes = args["drift-sizes"]!.split(",").map(Number);
const driftTiming = args["drift-timing"] !== "false";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? "1.00" : "∞") : (a / b).toFixed(2));
const print = (line = "") => process.stdout.write(line + "\n");
const table = (head: string[], rows: Array<Array<string | number>>) => {
  print(`| ${head.join(" | ")} |`);
  print(`|${head.map(() => "---").join("|")}|`);
  for (const r of rows) print(`| ${r.join(" | ")} |`);
  print();
};

// ---- programs --------------------------------------------------------------------------

/** n of each kind: Ventus projects, and organizations each with a grant and a code. */
const fourKinds = (n: number, apiId: string, suffix = "") => `
const v = require("pulumi-ventus-axway");
const apiId = ${JSON.stringify(apiId)};
for (let i = 0; i < ${n}; i++) {
  new v.VentusProject("p" + i, { region: "vienna", name: "project " + i + "${suffix}" });
  const org = new v.PortalOrganization("org" + i, { name: "Org " + i, description: "d${suffix}" });
  new v.OrganizationApiAccess("grant" + i, { organizationId: org.id, apiId, enabled: ${suffix === ""} });
  new v.RegistrationToken("code" + i, { organizationId: org.id, userQuota: 3, expiry: "2031-01-01T00:00:00Z", enabled: ${suffix === ""} });
}`;
const projects = (n: number) => `
const v = require("pulumi-ventus-axway");
for (let i = 0; i < ${n}; i++) new v.VentusProject("p" + i, { region: "vienna", name: "project " + i });`;
const noops = (n: number) => `
const { Noop } = require("pva-noop");
for (let i = 0; i < ${n}; i++) new Noop("p" + i, { region: "vienna", name: "project " + i });`;

/** A package of no-op dynamic resources installed like ours, so its `__provider` is a `require` too. */
async function installNoopPackage(): Promise<void> {
  const dir = path.join(WORK, "bench", "pva-noop");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "pva-noop", version: "1.0.0", main: "index.js", exports: { ".": "./index.js", "./provider": "./provider.js" } }),
  );
  fs.writeFileSync(
    path.join(dir, "provider.js"),
    `let n = 0;
module.exports = {
  async check(olds, news) { return { inputs: news }; },
  async diff() { return { changes: false }; },
  async create(inputs) { return { id: String(++n) + "-" + process.pid, outs: { region: inputs.region, name: inputs.name } }; },
  async read(id, props) { return { id, props }; },
  async update(id, olds, news) { return { outs: { region: news.region, name: news.name } }; },
  async delete() {},
};`,
  );
  fs.writeFileSync(
    path.join(dir, "index.js"),
    `const pulumi = require("@pulumi/pulumi");
const provider = require("./provider");
class Noop extends pulumi.dynamic.Resource {
  constructor(name, args, opts) { super(provider, name, args, opts, "pva-noop", "Noop"); }
}
module.exports = { Noop };`,
  );
  await run(
    "npm",
    ["install", "--no-save", "--install-links", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `pva-noop@file:${dir}`],
    USERLAND,
  );
}

function run(cmd: string, argv: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, argv, { cwd, stdio: ["ignore", "ignore", "inherit"] });
    c.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(" ")} exited ${code}`))));
  });
}

// ---- measuring ---------------------------------------------------------------------------

/** Peak resident memory of dynamic provider processes while `work` runs, sampled from /proc. */
async function withProviderRss<T>(work: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = 0;
  const timer = setInterval(() => {
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        if (!cmd.includes("dynamic-provider")) continue;
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch {
        // the process ended between the listing and the read
      }
    }
  }, 50);
  try {
    return { result: await work(), peakMb: peak };
  } finally {
    clearInterval(timer);
  }
}

/** Which of a `pulumi` command's processes a command line is. */
const CPU_ROLES: Array<[string, RegExp]> = [
  ["engine", /^pulumi\0/],
  ["program", /cmd\/run\/index\.js/],
  ["provider", /cmd\/dynamic-provider/],
  ["language host", /pulumi-language-nodejs/],
];

/**
 * CPU seconds used while `work` runs, by role (the engine, the program, the dynamic provider,
 * the language host, sampled from /proc every 50 ms, so up to 50 ms of each process's last
 * moments is missed) and by this process (the emulator, which runs in it).
 */
async function withCpuSplit<T>(work: () => Promise<T>): Promise<{ result: T; cpu: Record<string, number> }> {
  const last = new Map<string, { role: string; ticks: number }>();
  const sample = () => {
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        const role = CPU_ROLES.find(([, re]) => re.test(cmd))?.[0] ?? (/\/pulumi\0/.test(cmd) ? "engine" : undefined);
        if (!role) continue;
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // utime and stime, fields 14 and 15 of stat (11 and 12 after the name and state).
        last.set(`${pid}:${fields[19]}`, { role, ticks: Number(fields[11]) + Number(fields[12]) });
      } catch {
        // the process ended between the listing and the read
      }
    }
  };
  const own = process.cpuUsage();
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    const used = process.cpuUsage(own);
    const cpu: Record<string, number> = { emulator: (used.user + used.system) / 1e6 };
    for (const { role, ticks } of last.values()) cpu[role] = (cpu[role] ?? 0) + ticks / 100;
    return { result, cpu };
  } finally {
    clearInterval(timer);
  }
}

async function timed(stack: TestStack, argv: string[], env: Record<string, string> = {}): Promise<number> {
  const started = process.hrtime.bigint();
  const r = await stack.pulumi(argv, env);
  if (r.code !== 0) throw new Error(`pulumi ${argv.join(" ")} exited ${r.code}\n${r.output.slice(-3000)}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const UP = ["up", "--yes", "--skip-preview"];
const DESTROY = ["destroy", "--yes", "--skip-preview"];

function stackOptions(emu: RunningEmulator, extra: Record<string, string> = {}): StackOptions {
  const v = ventusConfig(emu);
  return {
    config: { ...v.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin", ...extra },
    secrets: { ...v.secrets, "axway:password": "changeme" },
  };
}

async function firstApiId(emu: RunningEmulator): Promise<string> {
  const res = await request(`${emu.axwayUrl}/api/portal/v1.3/proxies`, {
    headers: { authorization: `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}` },
  });
  return ((await res.body.json()) as Array<{ id: string }>)[0]!.id;
}

// ---- 1. API calls per operation -----------------------------------------------------------

async function calls(): Promise<void> {
  print("## 1. API calls per command against the minimum\n");
  print("N of each kind: Ventus projects, organizations, grants (one per organization), codes (one per organization).");
  print("Minimum: one call per resource changed; Ventus adds one token per process; a refresh needs one listing per kind and scope");
  print("(Ventus: the organization's projects; portal: all organizations, and each organization's grants and codes).\n");
  const rows: Array<Array<string | number>> = [];
  for (const n of sizes) {
    const emu = await startEmulator({ port: 0 });
    const apiId = await firstApiId(emu);
    const stack = await TestStack.create(`calls-${n}`, fourKinds(n, apiId), stackOptions(emu, { "axway:sessionLogin": "true" }));
    const step = async (name: string, argv: string[], min: { ventus: number; portal: number }) => {
      emu.resetStats();
      await timed(stack, argv, { PULUMI_SKIP_CHECKPOINTS: "true" });
      const byRoute = emu.stats().byRoute;
      const count = (pred: (route: string) => boolean) =>
        Object.entries(byRoute)
          .filter(([r]) => pred(r))
          .reduce((s, [, c]) => s + c, 0);
      const ventus = count((r) => r.includes("/v1.0/invoke/") || r.includes("/get-tokens"));
      const login = count((r) => r.endsWith(" /api/portal/v1.3/login") || r.endsWith(" /api/portal/v1.3/currentuser"));
      const portal = count((r) => r.includes("/api/portal/")) - login;
      rows.push([
        n,
        name,
        ventus,
        min.ventus,
        ratio(ventus, min.ventus),
        portal,
        min.portal,
        ratio(portal, min.portal),
        byRoute["GET /get-tokens"] ?? 0,
        login,
      ]);
    };
    // Creating organizations reads the portal's custom property definitions once per process (required ones).
    await step("create", UP, { ventus: n + 1, portal: 3 * n + 1 });
    await step("no-op preview", ["preview"], { ventus: 0, portal: 0 });
    await step("refresh", ["refresh", "--yes", "--skip-preview"], { ventus: 2, portal: 1 + 2 * n });
    stack.writeProgram(fourKinds(n, apiId, " v2"));
    await step("update all", UP, { ventus: n + 1, portal: 3 * n });
    await step("destroy", DESTROY, { ventus: n + 1, portal: 3 * n });
    await emu.stop();
  }
  table(
    ["N", "command", "Ventus calls", "minimum", "ratio", "portal calls", "minimum", "ratio", "token fetches", "portal login calls"],
    rows,
  );
  print("Ventus creates also read the organization's listing once per run before the first create (idempotent creates,");
  print('README "In a pipeline"). Portal calls are counted without the session\'s login calls, shown apart.\n');
}

// ---- 2. wall time against no-op dynamic resources ------------------------------------------

async function walltime(): Promise<void> {
  print("## 2. Wall time of `up` and `destroy` against N no-op dynamic resources installed as a package\n");
  print("Each pair twice: as users run it, and with per-step checkpoints skipped (PULUMI_SKIP_CHECKPOINTS), which leaves");
  print("out the engine's state writes (their cost grows with the bytes of state, see section 5).\n");
  const rows: Array<Array<string | number>> = [];
  const savings: Array<Array<string | number>> = [];
  const skip = { PULUMI_SKIP_CHECKPOINTS: "true" };
  for (const n of wallSizes) {
    const emu = await startEmulator({ port: 0 });
    const ours = await TestStack.create(`wall-${n}`, projects(n), stackOptions(emu));
    const floor = await TestStack.create(`noop-${n}`, noops(n), {});
    const t: Record<string, number[]> = {};
    const time = async (key: string, stack: TestStack, argv: string[], env: Record<string, string> = {}) =>
      (t[key] ??= []).push(await timed(stack, argv, env));
    for (let i = 0; i < reps; i++) {
      await time("oursUp", ours, UP);
      await time("floorUp", floor, UP);
      await time("oursDown", ours, DESTROY);
      await time("floorDown", floor, DESTROY);
      await time("oursUpNc", ours, UP, skip);
      await time("floorUpNc", floor, UP, skip);
      await time("oursDownNc", ours, DESTROY, skip);
      await time("floorDownNc", floor, DESTROY, skip);
    }
    const pairs = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!)).toFixed(2);
    const row = (cmd: string, a: string, b: string) => [n, cmd, median(t[a]!).toFixed(2), median(t[b]!).toFixed(2), pairs(t[a]!, t[b]!)];
    rows.push(row("up", "oursUp", "floorUp"), row("destroy", "oursDown", "floorDown"));
    rows.push(row("up, no checkpoints", "oursUpNc", "floorUpNc"), row("destroy, no checkpoints", "oursDownNc", "floorDownNc"));
    savings.push([n, "up", median(t.oursUp!).toFixed(2), median(t.oursUpNc!).toFixed(2), pairs(t.oursUp!, t.oursUpNc!)]);
    savings.push([n, "destroy", median(t.oursDown!).toFixed(2), median(t.oursDownNc!).toFixed(2), pairs(t.oursDown!, t.oursDownNc!)]);
    await emu.stop();
  }
  table(["N", "command", "VentusProject s (median)", "no-op s (median)", "ratio (median of pairs)"], rows);
  print('What skipping checkpoints saves on our resources (README, "Large stacks"):\n');
  table(["N", "command", "with checkpoints s", "without s", "ratio"], savings);
}

// ---- 3. latency and parallelism -------------------------------------------------------------

async function latency(): Promise<void> {
  const n = 200;
  print(`## 3. \`up\` of ${n} projects with emulator latency, against N × latency / parallelism\n`);
  print("The bound leaves out the engine's own time; the second ratio adds it: the no-op floor's `up` at the same `--parallel`.");
  print("The last rows pair the connection pool of 8 (the old default) with today's 50, at 300 ms and `--parallel 32`.\n");
  const rows: Array<Array<string | number>> = [];
  const upOf = async (program: string, options: StackOptions, parallel: number) => {
    const stack = await TestStack.create(`lat-${parallel}`, program, options);
    return timed(stack, [...UP, "--parallel", String(parallel)], { PULUMI_SKIP_CHECKPOINTS: "true" });
  };
  for (const latencyMs of [50, 300]) {
    for (const parallel of [8, 32]) {
      const times: number[] = [];
      const floors: number[] = [];
      for (let i = 0; i < reps; i++) {
        const emu = await startEmulator({ port: 0, latencyMs });
        times.push(await upOf(projects(n), stackOptions(emu), parallel));
        floors.push(await upOf(noops(n), {}, parallel));
        await emu.stop();
      }
      const bound = (n * latencyMs) / parallel / 1000;
      const floor = median(floors);
      rows.push([
        latencyMs,
        parallel,
        median(times).toFixed(2),
        bound.toFixed(2),
        ratio(median(times), bound),
        floor.toFixed(2),
        ratio(median(times), floor + bound),
      ]);
    }
  }
  table(["latency ms", "--parallel", "up s (median)", "bound s", "ratio", "no-op floor s", "ratio to floor + bound"], rows);
  const pools: Record<string, number[]> = { "8": [], "50": [] };
  for (let i = 0; i < reps; i++) {
    for (const pool of ["8", "50"]) {
      const emu = await startEmulator({ port: 0, latencyMs: 300 });
      pools[pool]!.push(await upOf(projects(n), stackOptions(emu, { "ventus:maxConnections": pool }), 32));
      await emu.stop();
    }
  }
  table(
    ["300 ms, --parallel 32", "up s (median)", "ratio to pool 50"],
    [
      ["pool of 8", median(pools["8"]!).toFixed(2), ratio(median(pools["8"]!), median(pools["50"]!))],
      ["pool of 50", median(pools["50"]!).toFixed(2), "1.00"],
    ],
  );
  print("Checkpoints skipped (PULUMI_SKIP_CHECKPOINTS) so that the figure is the provider's and the service's, not state writes.\n");
}

// ---- 4. client overhead and provider memory --------------------------------------------------

async function overhead(): Promise<void> {
  print("## 4. Client overhead against raw undici, and the provider process's memory\n");
  const emu = await startEmulator({ port: 0 });
  const client = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  await client.listProjects(VENTUS_ORG); // tokens and a warm connection
  const tokens = (await (
    await request(`${emu.url}/get-tokens`, {
      method: "GET",
      body: JSON.stringify({ username: VENTUS_USER, password: VENTUS_PASSWORD }),
      headers: { "content-type": "application/json" },
    })
  ).body.json()) as { id_token: string; access_token: string };
  const url = `${emu.url}/v1.0/invoke/gotham-enterprises/method/orgs/${VENTUS_ORG}/projects`;
  const headers = { authorization: `Bearer ${tokens.id_token}`, access: `Bearer ${tokens.access_token}`, accept: "application/json" };
  const calls = 2000;
  const ours: number[] = [];
  const raw: number[] = [];
  // Rounds alternate; the first pair warms both paths up (the JIT) and is not counted.
  for (let round = -1; round < reps * 2; round++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await client.listProjects(VENTUS_ORG);
    const ourMs = Number(process.hrtime.bigint() - t) / 1e6 / calls;
    t = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await (await request(url, { headers })).body.json();
    const rawMs = Number(process.hrtime.bigint() - t) / 1e6 / calls;
    if (round < 0) continue;
    ours.push(ourMs);
    raw.push(rawMs);
  }
  await client.close();
  await emu.stop();
  table(
    ["per call (2000 calls a round)", "VentusClient ms (median)", "raw undici ms (median)", "ratio (median of pairs)"],
    [["listing of projects", median(ours).toFixed(3), median(raw).toFixed(3), median(ours.map((o, i) => o / raw[i]!)).toFixed(2)]],
  );

  const n = 200;
  const emu2 = await startEmulator({ port: 0 });
  const peaks: number[] = [];
  const floors: number[] = [];
  for (let i = 0; i < reps; i++) {
    const a = await TestStack.create(`rss-${i}`, projects(n), stackOptions(emu2));
    const b = await TestStack.create(`rss-noop-${i}`, noops(n), {});
    peaks.push((await withProviderRss(() => timed(a, UP))).peakMb);
    floors.push((await withProviderRss(() => timed(b, UP))).peakMb);
    await timed(a, DESTROY);
  }
  await emu2.stop();
  table(
    ["N", "provider peak RSS MB (median)", "no-op floor MB (median)", "ratio"],
    [[n, median(peaks).toFixed(1), median(floors).toFixed(1), ratio(median(peaks), median(floors))]],
  );

  // Where the difference goes, each in a process of its own (bench/providerMemory.js).
  const load = JSON.parse(await probe(["load"])) as { rssMb: number; heapUsedMb: number; files: Record<string, number> };
  print(
    `Loading the provider after the SDK: +${load.rssMb.toFixed(1)} MB RSS, +${load.heapUsedMb.toFixed(1)} MB live heap, files ${JSON.stringify(load.files)}.\n`,
  );
  const emu3 = await startEmulator({ port: 0 });
  const growth: Record<string, number[]> = { ours: [], raw: [] };
  for (let i = 0; i < reps; i++) {
    for (const mode of ["ours", "raw"])
      growth[mode]!.push((JSON.parse(await probe([mode, emu3.url, String(n)])) as { growthMb: number }).growthMb);
  }
  await emu3.stop();
  table(
    [`${n} creates, 8 at a time, in one process`, "RSS growth MB (median)", "ratio"],
    [
      ["check + create through VentusProject", median(growth.ours!).toFixed(1), ratio(median(growth.ours!), median(growth.raw!))],
      ["the same POSTs with bare undici", median(growth.raw!).toFixed(1), "1.00"],
    ],
  );
}

function probe(argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ["--expose-gc", path.join(__dirname, "providerMemory.js"), ...argv], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    c.stdout.on("data", (d) => (out += d));
    c.on("close", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`providerMemory.js ${argv[0]} exited ${code}`))));
  });
}

/** A state entry's bytes by part (compact JSON of the keys that make it up, mean per resource). */
interface StateParts {
  identity: number;
  provider: number;
  inputs: number;
  outputs: number;
  dependencies: number;
  secrets: number;
  origin: number;
  rest: number;
}
const STATE_PART_NAMES = [
  "type, URN, id, parent, provider reference",
  "`__provider` (inputs and outputs)",
  "other inputs",
  "other outputs",
  "dependencies",
  "secret output names",
  "source position and stack",
  "the rest (timestamps, flags, empty property dependencies)",
];

function stateParts(resources: Array<Record<string, unknown>>): StateParts {
  const size = (v: unknown) => (v === undefined ? 0 : JSON.stringify(v).length);
  const keyed = (r: Record<string, unknown>, keys: string[]) => keys.reduce((s, k) => s + (k in r ? size(k) + 1 + size(r[k]) + 1 : 0), 0);
  const sum: StateParts = { identity: 0, provider: 0, inputs: 0, outputs: 0, dependencies: 0, secrets: 0, origin: 0, rest: 0 };
  for (const r of resources) {
    const total = size(r);
    const { __provider: pi, ...inputs } = (r.inputs ?? {}) as Record<string, unknown>;
    const { __provider: po, ...outputs } = (r.outputs ?? {}) as Record<string, unknown>;
    const provider = 2 * (size("__provider") + 1 + 1) + size(pi) + size(po);
    const deps = Object.values((r.propertyDependencies ?? {}) as Record<string, string[]>).reduce((s, urns) => s + size(urns) - 2, 0);
    const parts = {
      identity: keyed(r, ["urn", "type", "id", "parent", "provider"]),
      provider,
      inputs: size(inputs) - (Object.keys(inputs).length ? 0 : 2),
      outputs: size(outputs) - (Object.keys(outputs).length ? 0 : 2),
      dependencies: keyed(r, ["dependencies"]) + deps,
      secrets: keyed(r, ["additionalSecretOutputs"]),
      origin: keyed(r, ["sourcePosition", "stackTrace"]),
    };
    const known = Object.values(parts).reduce((s, x) => s + x, 0);
    for (const [k, x] of Object.entries(parts)) sum[k as keyof StateParts] += x;
    sum.rest += total - known;
  }
  for (const k of Object.keys(sum)) sum[k as keyof StateParts] /= resources.length;
  return sum;
}

const plus = (x: number) => (x >= 0 ? `+${x.toFixed(2)}` : x.toFixed(2));
const signed = (x: number) => (x >= 0.5 ? `+${x.toFixed(0)}` : x.toFixed(0));

// ---- 5. state size ----------------------------------------------------------------------------

async function state(): Promise<void> {
  const n = 50;
  print(`## 5. State bytes per resource (N = ${n} of each kind)\n`);
  const emu = await startEmulator({ port: 0 });
  const ours = await TestStack.create("state", fourKinds(n, await firstApiId(emu)), stackOptions(emu));
  const floor = await TestStack.create("state-noop", noops(n), {});
  await timed(ours, UP);
  await timed(floor, UP);
  const measure = async (stack: TestStack, type: string) => {
    const resources = (await stack.state()).filter((r) => r.type.endsWith(type));
    const bytes = resources.reduce((s, r) => s + JSON.stringify(r).length, 0) / resources.length;
    const provider = String(resources[0]?.outputs?.__provider ?? "").length;
    return { bytes, provider, parts: stateParts(resources as unknown as Array<Record<string, unknown>>) };
  };
  const b = await measure(floor, "Noop");
  const rows: Array<Array<string | number>> = [];
  const partRows: Array<Array<string | number>> = [["no-op floor", ...Object.values(b.parts).map((x) => x.toFixed(0))]];
  for (const type of ["VentusProject", "PortalOrganization", "OrganizationApiAccess", "RegistrationToken"]) {
    const a = await measure(ours, type);
    rows.push([type, a.bytes.toFixed(0), b.bytes.toFixed(0), ratio(a.bytes, b.bytes), a.provider, b.provider]);
    partRows.push([type, ...Object.entries(a.parts).map(([k, x]) => signed(x - b.parts[k as keyof StateParts]))]);
  }
  table(["", "bytes per resource in state", "no-op floor", "ratio", "`__provider` bytes", "floor's"], rows);
  print("The floor's resource has two string inputs (`region`, `name`), as a VentusProject has; the others hold more fields.\n");
  print("Where the bytes go: the floor's bytes per part, and each kind's bytes beyond them (compact JSON, mean per resource).\n");
  table(["", ...STATE_PART_NAMES], partRows);
  await timed(ours, DESTROY);
  await emu.stop();
}

// ---- 7. drift: calls against the minimum, time against the refresh it wraps -----------------------

const DRIFT_BIN = path.join(USERLAND, "node_modules/.bin/pulumi-ventus-axway");
// The harness skips confirmations (--yes), which the CLI refuses with --preview-only.
const NO_YES = { PULUMI_SKIP_CONFIRMATIONS: "false" };

/** `pulumi-ventus-axway drift` as a pipeline runs it (exit 0 or 2); its seconds. */
async function timedDrift(stack: TestStack): Promise<number> {
  const started = process.hrtime.bigint();
  const code = await new Promise<number>((resolve, reject) => {
    const c = spawn(DRIFT_BIN, ["drift", "--stack", "test", "--json", path.join(stack.dir, "drift.json")], {
      cwd: stack.dir,
      env: stack.environment({ PULUMI_SKIP_CONFIRMATIONS: "false" }),
      stdio: ["ignore", "ignore", "inherit"],
    });
    c.on("error", reject);
    c.on("close", (code) => resolve(code ?? -1));
  });
  if (code !== 0 && code !== 2) throw new Error(`drift exited ${code}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Portal calls apart from a session's login calls, and Ventus calls, since the last reset. */
function counted(emu: RunningEmulator): { portal: number; ventus: number; byRoute: Record<string, number> } {
  const byRoute = emu.stats().byRoute;
  const count = (pred: (route: string) => boolean) =>
    Object.entries(byRoute)
      .filter(([r]) => pred(r))
      .reduce((s, [, c]) => s + c, 0);
  return {
    portal: count((r) => r.includes("/api/portal/")),
    ventus: count((r) => r.includes("/v1.0/invoke/") || r.includes("/get-tokens")),
    byRoute,
  };
}

async function drift(): Promise<void> {
  print("## 7. `drift` against the API minimum and against the refresh it wraps\n");
  print("N organizations, each with a grant and a code, and N Ventus projects (4N resources); the emulator's seeded");
  print("organization is the one object no resource manages. Portal minimum: one listing of organizations, one of grants and");
  print("one of codes per managed organization, one read confirming the unmanaged organization (1 + 2N + 1; `/proxies` only");
  print("when a grant is undeclared: none here). Ventus minimum: one token and one listing of the organization's projects.\n");
  const callRows: Array<Array<string | number>> = [];
  const exportRows: Array<Array<string | number>> = [];
  const timeRows: Array<Array<string | number>> = [];
  for (const n of driftSizes) {
    const emu = await startEmulator({ port: 0 });
    const stack = await TestStack.create(`drift-${n}`, fourKinds(n, await firstApiId(emu)), stackOptions(emu));
    await timed(stack, UP, { PULUMI_SKIP_CHECKPOINTS: "true" });
    emu.resetStats();
    await timedDrift(stack);
    const c = counted(emu);
    const minimum = { portal: 1 + 2 * n + 1, ventus: 2 };
    callRows.push([
      n,
      c.portal,
      minimum.portal,
      ratio(c.portal, minimum.portal),
      c.ventus,
      minimum.ventus,
      ratio(c.ventus, minimum.ventus),
    ]);
    if (driftTiming) {
      // What a scan started before the refresh ends would need first: the state, read apart (no secrets shown).
      const exports: number[] = [];
      for (let i = 0; i < reps; i++) exports.push(await timed(stack, ["stack", "export", "--file", path.join(stack.dir, "state.json")]));
      exportRows.push([4 * n, median(exports).toFixed(2)]);
      for (const latencyMs of [0, 50]) {
        // The same wait as the emulator's latencyMs, before every request, set on the running emulator so that
        // one deployed stack serves both latencies: a delay fault on every request.
        emu.clearFaults();
        if (latencyMs) emu.injectFault({ rate: 1, delayMs: latencyMs });
        const t: { drift: number[]; refresh: number[] } = { drift: [], refresh: [] };
        for (let i = 0; i < reps; i++) {
          // Pairs alternate which runs first.
          const pair = [
            async () => t.drift.push(await timedDrift(stack)),
            async () => t.refresh.push(await timed(stack, ["refresh", "--preview-only"], NO_YES)),
          ];
          for (const f of i % 2 ? pair.reverse() : pair) await f();
        }
        const pairs = median(t.drift.map((d, i) => d / t.refresh[i]!)).toFixed(2);
        timeRows.push([
          n,
          latencyMs,
          median(t.drift).toFixed(2),
          median(t.refresh).toFixed(2),
          ratio(median(t.drift), median(t.refresh)),
          pairs,
        ]);
      }
      emu.clearFaults();
    }
    await timed(stack, DESTROY, { PULUMI_SKIP_CHECKPOINTS: "true" });
    await emu.stop();
  }
  table(["N", "portal calls", "minimum", "ratio", "Ventus calls", "minimum", "ratio"], callRows);
  if (!driftTiming) return;
  table(
    ["N", "latency ms", "drift s (median)", "refresh --preview-only s (median)", "ratio of medians", "median of pair ratios"],
    timeRows,
  );
  table(["resources", "`pulumi stack export` s (median)"], exportRows);

  // The fixed cost: what drift does besides the refresh, on a stack with nothing in it.
  const emu = await startEmulator({ port: 0 });
  const empty = await TestStack.create("drift-empty", "", stackOptions(emu));
  await timed(empty, UP);
  const fixed: { drift: number[]; refresh: number[]; load: number[] } = { drift: [], refresh: [], load: [] };
  for (let i = 0; i < reps; i++) {
    fixed.drift.push(await timedDrift(empty));
    fixed.refresh.push(await timed(empty, ["refresh", "--preview-only"], NO_YES));
    const started = process.hrtime.bigint();
    await run(process.execPath, ["-e", 'require("node:module").enableCompileCache?.(); require("pulumi-ventus-axway/drift")'], USERLAND);
    fixed.load.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  await emu.stop();
  table(
    ["empty stack", "s (median)"],
    [
      ["drift", median(fixed.drift).toFixed(2)],
      ["refresh --preview-only", median(fixed.refresh).toFixed(2)],
      ["drift's fixed cost (difference)", (median(fixed.drift) - median(fixed.refresh)).toFixed(2)],
      ["of which: node starting and loading pulumi-ventus-axway/drift", median(fixed.load).toFixed(2)],
    ],
  );
}

async function main(): Promise<void> {
  await globalSetup();
  await installNoopPackage();
  print(`# Benchmark figures\n`);
  print(
    `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${reps} runs per figure.\n`,
  );
  if (only.has("calls")) await calls();
  if (only.has("walltime")) await walltime();
  if (only.has("latency")) await latency();
  if (only.has("overhead")) await overhead();
  if (only.has("state")) await state();
  if (only.has("export")) await exportFigures();
  if (only.has("drift")) await drift();
  if (only.has("apply")) await apply();
}

// ---- 8. apply at estate scale ---------------------------------------------------------------

/**
 * `up` and `destroy` of N of each kind (4N resources, grants and codes depending on their
 * organization) against 4N no-op dynamic resources, as users run them and with per-step
 * checkpoints skipped: the difference between the two is the engine's state writes, whose cost
 * grows with N × the bytes of state. The emulator runs in this process: its CPU time is shown.
 */
async function apply(): Promise<void> {
  const n = Number(args["apply-size"]);
  print(`## 8. \`up\` and \`destroy\` of ${4 * n} resources (${n} of each kind) against ${4 * n} no-op resources\n`);
  const emu = await startEmulator({ port: 0 });
  const ours = await TestStack.create(`apply-${n}`, fourKinds(n, await firstApiId(emu)), stackOptions(emu));
  const floor = await TestStack.create(`apply-noop-${n}`, noops(4 * n), {});
  const skip = { PULUMI_SKIP_CHECKPOINTS: "true" };
  const t: Record<string, number[]> = {};
  const cpu: Record<string, Array<Record<string, number>>> = {};
  const bytes: Record<string, number> = {};
  const time = async (key: string, stack: TestStack, argv: string[], env: Record<string, string> = {}) => {
    (t[key] ??= []).push(await timed(stack, argv, env));
    if (key === "oursUp") bytes.ours = JSON.stringify(await ours.state()).length;
    if (key === "floorUp") bytes.floor = JSON.stringify(await floor.state()).length;
  };
  // The CPU split in runs of their own: sampling /proc every 50 ms costs this process (the emulator's) CPU too.
  const sampled = async (key: string, stack: TestStack, argv: string[], env: Record<string, string> = {}) => {
    (cpu[key] ??= []).push((await withCpuSplit(() => timed(stack, argv, env))).cpu);
    await timed(stack, DESTROY, env);
  };
  for (let i = 0; i < reps; i++) {
    // Pairs alternate which runs first.
    const order: Array<[string, TestStack]> =
      i % 2
        ? [
            ["floor", floor],
            ["ours", ours],
          ]
        : [
            ["ours", ours],
            ["floor", floor],
          ];
    for (const [key, stack] of order) await time(`${key}Up`, stack, UP);
    for (const [key, stack] of order) await time(`${key}Down`, stack, DESTROY);
    for (const [key, stack] of order) await time(`${key}UpNc`, stack, UP, skip);
    for (const [key, stack] of order) await time(`${key}DownNc`, stack, DESTROY, skip);
  }
  for (const [key, stack] of [
    ["ours", ours],
    ["floor", floor],
  ] as Array<[string, TestStack]>) {
    await sampled(`${key}Up`, stack, UP);
    await sampled(`${key}UpNc`, stack, UP, skip);
  }
  await emu.stop();
  const pairs = (a: number[], b: number[]) => median(a.map((x, i) => x / b[i]!)).toFixed(2);
  const row = (cmd: string, a: string, b: string) => [cmd, median(t[a]!).toFixed(2), median(t[b]!).toFixed(2), pairs(t[a]!, t[b]!)];
  table(
    ["command", "ours s (median)", "no-op floor s (median)", "ratio (median of pairs)"],
    [
      row("up", "oursUp", "floorUp"),
      row("destroy", "oursDown", "floorDown"),
      row("up, no checkpoints", "oursUpNc", "floorUpNc"),
      row("destroy, no checkpoints", "oursDownNc", "floorDownNc"),
    ],
  );
  print("Each run, in order (seconds, ours / floor):\n");
  for (const [label, a, b] of [
    ["up", "oursUp", "floorUp"],
    ["destroy", "oursDown", "floorDown"],
  ]) {
    print(`- ${label}: ${t[a!]!.map((x, i) => `${x.toFixed(2)} / ${t[b!]![i]!.toFixed(2)}`).join(", ")}`);
  }
  print();
  table(
    ["", "ours", "no-op floor", "ratio"],
    [
      ["state bytes after up", bytes.ours!, bytes.floor!, ratio(bytes.ours!, bytes.floor!)],
      [
        "state writes' share of up (1 − no checkpoints / with)",
        (1 - median(t.oursUpNc!) / median(t.oursUp!)).toFixed(2),
        (1 - median(t.floorUpNc!) / median(t.floorUp!)).toFixed(2),
        "",
      ],
    ],
  );
  print("CPU seconds by process during one more `up` of each, sampled (the emulator runs in the benchmark's process, on the same");
  print("2 cores, with the sampler, whose own CPU is counted there too: the floor makes no call, so its figure is the sampler's):\n");
  const roles = ["engine", "program", "provider", "language host", "emulator"];
  const cpuOf = (key: string, role: string) => median(cpu[key]!.map((c) => c[role] ?? 0));
  const cpuRows: Array<Array<string | number>> = [];
  for (const [label, a, b] of [
    ["up", "oursUp", "floorUp"],
    ["up, no checkpoints", "oursUpNc", "floorUpNc"],
  ]) {
    for (const role of roles)
      cpuRows.push([label, role, cpuOf(a!, role).toFixed(2), cpuOf(b!, role).toFixed(2), plus(cpuOf(a!, role) - cpuOf(b!, role))]);
  }
  table(["command", "process", "ours CPU s", "no-op floor CPU s", "difference"], cpuRows);
}

// ---- 6. export ------------------------------------------------------------------------------

/**
 * `export` of an estate of N organizations (a picture on every fourth, a grant each, a code on
 * every third) and P Ventus projects: its calls against the minimum (one listing per kind and
 * scope, one picture per organization with one) and its time, in process against the emulator.
 */
async function exportFigures(): Promise<void> {
  const [n, p] = args["export-size"]!.split(",").map(Number);
  print(`## 6. \`export\` of ${n} organizations and ${p} Ventus projects\n`);
  print("Minimum: the organizations, frontend APIs, custom property definitions and Ventus projects listed once each, plus one token;");
  print("each organization's grants and codes listed once; one picture read per organization with one.\n");
  const emu = await startEmulator({
    port: 0,
    portal: { customProperties: { organization: { tier: { type: "select", required: true, options: [{ value: "gold" }] } } } },
  });
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  const ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD });
  const apiId = await firstApiId(emu);
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2048, 1), Buffer.from([0xff, 0xd9])]);
  let next = 0;
  const seedOne = async () => {
    while (next < n) {
      const i = next++;
      const org = await portal.createOrganization({ name: `Org ${i}`, email: `o${i}@example.com` }, { tier: "gold" });
      if (i % 4 === 0) await portal.setOrganizationImage(org.id, jpeg);
      await portal.grantApiAccess(org.id, apiId);
      if (i % 3 === 0) await portal.createToken(org.id, { userQuota: 5, expiry: Date.parse("2031-01-01T00:00:00Z") });
    }
  };
  await Promise.all(Array.from({ length: 16 }, seedOne));
  const regions = ["vienna", "upper-austria", "eastern-switzerland"];
  for (let j = 0; j < p; j += 16) {
    await Promise.all(
      Array.from({ length: Math.min(16, p - j) }, (_, k) =>
        ventus.createProject(VENTUS_ORG, regions[(j + k) % 3], `project-${(j + k) % 50}`),
      ),
    );
  }
  const values: Record<string, string> = {
    "axway:url": emu.axwayUrl,
    "axway:username": "apiadmin",
    "axway:password": "changeme",
    "ventus:username": VENTUS_USER,
    "ventus:password": VENTUS_PASSWORD,
    "ventus:organizationId": VENTUS_ORG,
    "ventus:authUrl": emu.url,
    "ventus:apiUrl": emu.url,
  };
  const orgs = n + 1; // and the emulator's seeded organization
  const minimum = 4 + 1 + 2 * orgs + Math.ceil(n / 4);
  const times: number[] = [];
  let made = 0;
  for (let r = 0; r < reps; r++) {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "pva-bench-export-"));
    emu.resetStats();
    const t = process.hrtime.bigint();
    await exportEstate({ out, config: { get: (k) => values[k] }, force: true });
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    if (r === 0) made = emu.stats().total; // a fresh process: the next runs reuse the clients (a token, the definitions)
    fs.rmSync(out, { recursive: true, force: true });
  }
  table(
    ["organizations", "projects", "API calls", "minimum", "ratio", "time s (median)"],
    [[orgs, p, made, minimum, ratio(made, minimum), median(times).toFixed(2)]],
  );
  await portal.close();
  await ventus.close();
  await emu.stop();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
