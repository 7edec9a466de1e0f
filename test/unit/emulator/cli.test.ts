// The emulator's command line (`npm run emulator -- ...`), run from source in a child process:
// the new flags reach the running emulator, and bad ones stop it before it listens.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call } from "./harness";

const ROOT = join(__dirname, "../../..");
const CLI = ["-r", "ts-node/register/transpile-only", join(ROOT, "emulator/cli.ts")];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the CLI with --print-json and resolves with its first line once it listens. */
function serve(args: string[]): Promise<{ child: ChildProcess; info: { url: string; faultSeed: number } }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, "--port", "0", "--print-json", ...args], { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => {
      stdout += d;
      const nl = stdout.indexOf("\n");
      if (nl >= 0) resolve({ child, info: JSON.parse(stdout.slice(0, nl)) });
    });
    child.on("close", (code) => reject(new Error(`emulator exited ${code}: ${stderr}`)));
  });
}

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "emu-cli-"));
});
afterEach(async () => {
  await Promise.all(
    children.splice(0).map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          c.on("close", () => resolve());
          c.kill("SIGTERM");
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
});

test("--help documents the new flags and control endpoints", async () => {
  const r = await run(["--help"]);
  expect(r.code).toBe(0);
  for (const word of [
    "--faults",
    "--fault-seed",
    "--listing-lag-ms",
    "--behavior",
    "lostAnswer",
    "faults/seed",
    "portal/register",
    "ventusRegions",
  ]) {
    expect(r.stdout).toContain(word);
  }
});

test("--faults (from a file), --fault-seed, --listing-lag-ms and repeated --behavior reach the emulator", async () => {
  const faultsFile = join(dir, "faults.json");
  writeFileSync(faultsFile, JSON.stringify([{ route: "^GET /get-tokens$", rate: 0.5, status: 503 }]));
  const { child, info } = await serve([
    "--faults",
    faultsFile,
    "--fault-seed",
    "77",
    "--listing-lag-ms",
    "250",
    "--behavior",
    "organizationPut=merge",
    "--behavior",
    "tokenQuotaCap=10",
    "--behavior",
    'ventusRegions={"zurich-west":"Zurich-West"}',
    "--behavior",
    'ventusRegions={"geneva-1":"Geneva-1"}',
  ]);
  children.push(child);
  expect(info.faultSeed).toBe(77);
  const emu = { url: info.url };
  expect((await call(emu, "GET", "/_emulator/faults")).json).toEqual([{ route: "^GET /get-tokens$", rate: 0.5, status: 503 }]);
  const behavior = (await call(emu, "GET", "/_emulator/behavior")).json;
  expect(behavior).toMatchObject({ organizationPut: "merge", tokenQuotaCap: 10, listingLagMs: 250 });
  expect(Object.keys(behavior.ventusRegions)).toEqual(["eastern-switzerland", "upper-austria", "vienna", "zurich-west", "geneva-1"]);
  const statuses: number[] = [];
  for (let i = 0; i < 20; i++) statuses.push((await call(emu, "GET", "/get-tokens")).status);
  expect(new Set(statuses)).toEqual(new Set([400, 503]));
});

test("inline --faults; invalid flags exit 2 before listening", async () => {
  const { child, info } = await serve(["--faults", '{"method":"GET","status":418,"count":1}']);
  children.push(child);
  expect((await call({ url: info.url }, "GET", "/get-tokens")).status).toBe(418);
  expect((await call({ url: info.url }, "GET", "/get-tokens")).status).toBe(400);

  for (const args of [
    ["--faults", '{"rate":2}'],
    ["--faults", join(dir, "missing.json")],
    ["--fault-seed", "-1"],
    ["--behavior", "colour=red"],
    ["--behavior", "organizationPut=patch"],
    ["--listing-lag-ms", "soon"],
  ]) {
    const r = await run(["--port", "0", ...args]);
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.stderr).toContain("Usage:");
  }
});

test("--custom-properties (inline or from a file) configures the portal's definitions; a bad one exits 2", async () => {
  const file = join(dir, "custom.json");
  writeFileSync(file, JSON.stringify({ organization: { tier: { type: "select", required: true, options: [{ value: "gold" }] } } }));
  const { child, info } = await serve(["--custom-properties", file]);
  children.push(child);
  const auth = { authorization: `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}` };
  const defs = await call(info, "GET", "/api/portal/v1.3/config/customproperties", { headers: auth });
  expect(defs.json.organization.tier).toMatchObject({ type: "select", required: true });
  expect((await call(info, "POST", "/api/portal/v1.3/organizations", { headers: auth, body: { name: "No tier" } })).status).toBe(400);
  expect((await call(info, "GET", "/_emulator/portal/customproperties")).json).toMatchObject({
    organization: { tier: { type: "select" } },
  });
  const bad = await run(["--custom-properties", '{"organization":{"t":{"type":"colour"}}}']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain(
    "--custom-properties: custom properties: organization.t: type must be one of custom, select, switch, number",
  );
});
