// No provider outlives its engine. A job killed outright (a runner's timeout, a lost machine)
// kills the `pulumi` process without a word to its plugins. Here the engine alone is killed
// (SIGKILL of the `pulumi` process, not its group, so nothing else is touched) mid-`up`, while
// the provider of each face waits on slow creates, and the provider processes must be gone
// within a few seconds, having logged out of their portal session (axway:sessionLogin).
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { USERLAND } from "./paths";
import { TestStack, emulator, type StackOptions } from "./harness";

const LOGOUT = "DELETE /api/portal/v1.3/login";
const CREATE = "POST /api/portal/v1.3/organizations";
/** What "within a few seconds" means: the watch tries every second, the cleanups take at most 3 s. */
const GONE_WITHIN_MS = 6_000;

let emu: RunningEmulator;
const leftovers: number[] = [];

beforeEach(async () => {
  // Slow answers everywhere, and creates that take 30 s: the kill finds them in flight.
  emu = await emulator({ latencyMs: 200, faults: [{ route: `^${CREATE}$`, delayMs: 30_000, rate: 1 }] });
});
afterEach(async () => {
  // What the killed engine left behind that is not the test's subject (language hosts, the
  // program): ended by pid, so that nothing of this test outlives it.
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, "SIGKILL");
  await emu.stop();
});

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  cmdline: string;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    return { pid, ppid: Number(ppid), state, cmdline };
  } catch {
    return undefined;
  }
}

/** Running (not a zombie waiting for its parent to read its status). */
function alive(pid: number): boolean {
  const p = readProc(pid);
  return p !== undefined && p.state !== "Z";
}

function descendants(root: number): Proc[] {
  const all = fs
    .readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .map((d) => readProc(Number(d)))
    .filter((p): p is Proc => p !== undefined);
  const found: Proc[] = [];
  const walk = (pid: number) => {
    for (const child of all.filter((p) => p.ppid === pid)) {
      found.push(child);
      walk(child.pid);
    }
  };
  walk(root);
  return found;
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts `pulumi up` on the stack, kills the engine alone once a create is in flight and the
 * provider processes (`providerPattern` on their command line) run, and measures how long they live on.
 */
async function killEngineMidUp(
  stack: TestStack,
  providerPattern: RegExp,
): Promise<{ providers: Proc[]; lingeredMs: number; output: string }> {
  const up: ChildProcess = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive"], {
    cwd: stack.dir,
    env: stack.environment(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  up.stdout!.on("data", (d) => (output += d));
  up.stderr!.on("data", (d) => (output += d));
  const engine = up.pid!;
  await until(`a create in flight (output so far: ${output})`, 120_000, () => ((emu.stats().byRoute[CREATE] ?? 0) > 0 ? true : undefined));
  const providers = descendants(engine).filter((p) => providerPattern.test(p.cmdline));
  expect(providers.map((p) => p.cmdline)).not.toEqual([]);
  leftovers.push(...descendants(engine).map((p) => p.pid));
  const exited = new Promise((resolve) => up.once("exit", resolve));
  process.kill(engine, "SIGKILL");
  const killedAt = Date.now();
  await exited;
  await until("the provider processes to end", 60_000, () => (providers.some((p) => alive(p.pid)) ? undefined : true));
  return { providers, lingeredMs: Date.now() - killedAt, output };
}

const organizations = (n: number, declare: (i: number) => string) => Array.from({ length: n }, (_, i) => declare(i)).join("\n");

test("TypeScript SDK: the dynamic provider ends within seconds of its engine, logging out of its portal session", async () => {
  const program = `const v = require("pulumi-ventus-axway");\n${organizations(6, (i) => `new v.PortalOrganization("o${i}", { name: "Gone Org ${i}" });`)}\n`;
  const stack = await TestStack.create("engine-gone-sdk", program, {
    config: { "axway:url": emu.axwayUrl, "axway:username": "apiadmin", "axway:sessionLogin": "true" },
    secrets: { "axway:password": "changeme" },
  });
  const { providers, lingeredMs } = await killEngineMidUp(stack, /@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider/);
  console.log(`engine gone: ${providers.length} dynamic provider process(es) ended ${lingeredMs} ms after the engine`);
  expect(lingeredMs).toBeLessThan(GONE_WITHIN_MS);
  expect(emu.stats().byRoute[LOGOUT] ?? 0).toBeGreaterThanOrEqual(1);
});

test("provider plugin (Pulumi YAML): the plugin ends within seconds of its engine, logging out of its portal session", async () => {
  const yaml = [
    "name: engine-gone-plugin",
    "runtime: yaml",
    "plugins:",
    "  providers:",
    "    - name: ventus-axway",
    "      path: node_modules/pulumi-ventus-axway",
    "resources:",
    organizations(6, (i) => `  o${i}:\n    type: ventus-axway:index:PortalOrganization\n    properties:\n      name: Gone Org ${i}`),
    "",
  ].join("\n");
  const options: StackOptions = {
    config: {
      "ventus-axway:axwayUrl": emu.axwayUrl,
      "ventus-axway:axwayUsername": "apiadmin",
      "ventus-axway:axwaySessionLogin": "true",
    },
    secrets: { "ventus-axway:axwayPassword": "changeme" },
  };
  const stack = await TestStack.create("engine-gone-plugin", "", options);
  fs.rmSync(path.join(stack.dir, "index.js"));
  fs.rmSync(path.join(stack.dir, "package.json"));
  fs.symlinkSync(path.join(USERLAND, "node_modules"), path.join(stack.dir, "node_modules"));
  fs.writeFileSync(path.join(stack.dir, "Pulumi.yaml"), yaml);
  const { providers, lingeredMs } = await killEngineMidUp(stack, /@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin/);
  console.log(
    `engine gone: ${providers.length} plugin process(es) ended ${lingeredMs} ms after the engine: ${providers.map((p) => p.cmdline).join("; ")}`,
  );
  expect(lingeredMs).toBeLessThan(GONE_WITHIN_MS);
  expect(emu.stats().byRoute[LOGOUT] ?? 0).toBeGreaterThanOrEqual(1);
});
