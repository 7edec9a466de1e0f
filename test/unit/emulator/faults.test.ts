// Injected faults over real HTTP: each kind (status, reset before the service, answer lost
// after it, delay), method and route matching, seeded rates, order, counting, validation.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call } from "./harness";
import { FaultList, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../emulator";
import { DEFAULT_VENTUS_USER } from "../../../emulator/ventus";

const ORG = DEFAULT_VENTUS_USER.organizations[0]!;
const USER = { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password };
const SOCKET_ERROR = { code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/) };
const NO_FAULTS = { status: 0, reset: 0, lostAnswer: 0, delay: 0 };

const running: RunningEmulator[] = [];
async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator(options);
  running.push(emu);
  return emu;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

async function ventusHeaders(emu: RunningEmulator): Promise<Record<string, string>> {
  const t = await call(emu, "GET", "/get-tokens", { body: USER });
  expect(t.status).toBe(200);
  return { authorization: `Bearer ${t.json.id_token}`, access: `Bearer ${t.json.access_token}` };
}

const createPath = (name: string) => `/v1.0/invoke/gotham-vienna-identity/method/${ORG}/projects/${name}`;
const listPath = `/v1.0/invoke/gotham-enterprises/method/orgs/${ORG}/projects`;
const CREATE_ROUTE = "^POST /v1\\.0/invoke/gotham-\\{region\\}-identity/";

async function projectNames(emu: RunningEmulator, h: Record<string, string>): Promise<string[]> {
  const r = await call(emu, "GET", listPath, { headers: h });
  expect(r.status).toBe(200);
  return r.json.map((p: { name: string }) => p.name);
}

/** GET /get-tokens without a body: 400 when served, the fault's status otherwise. */
async function probe(emu: RunningEmulator, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(emu, "GET", "/get-tokens")).status);
  return out;
}

describe("fault kinds", () => {
  it("lostAnswer: the service applies the request, then the connection drops unanswered", async () => {
    const emu = await start();
    const h = await ventusHeaders(emu);
    emu.injectFault({ route: CREATE_ROUTE, lostAnswer: true });
    await expect(call(emu, "POST", createPath("Applied"), { headers: h })).rejects.toMatchObject(SOCKET_ERROR);
    // The client never learned it, yet the project exists.
    expect(await projectNames(emu, h)).toEqual(["Applied"]);
    expect(emu.stats().faults).toEqual({ ...NO_FAULTS, lostAnswer: 1 });
    // One hit only (count defaults to 1): the next create is answered.
    expect((await call(emu, "POST", createPath("Answered"), { headers: h })).status).toBe(200);
    expect(await projectNames(emu, h)).toEqual(["Applied", "Answered"]);
  });

  it("reset: the connection drops before the service sees the request; nothing is applied", async () => {
    const emu = await start();
    const h = await ventusHeaders(emu);
    emu.injectFault({ route: CREATE_ROUTE, reset: true });
    await expect(call(emu, "POST", createPath("Never"), { headers: h })).rejects.toMatchObject(SOCKET_ERROR);
    expect(await projectNames(emu, h)).toEqual([]);
    expect(emu.stats().faults).toEqual({ ...NO_FAULTS, reset: 1 });
  });

  it("status: answered with the status and nothing applied; Retry-After when asked", async () => {
    const emu = await start();
    const h = await ventusHeaders(emu);
    emu.injectFault({ route: CREATE_ROUTE, status: 429, retryAfter: 3 });
    const r = await call(emu, "POST", createPath("Refused"), { headers: h });
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("3");
    expect(await projectNames(emu, h)).toEqual([]);
    expect(emu.stats().faults).toEqual({ ...NO_FAULTS, status: 1 });
  });

  it("a lost answer is persisted like any change", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-faults-"));
    try {
      const dataFile = join(dir, "state.json");
      const emu = await start({ dataFile });
      const h = await ventusHeaders(emu);
      emu.injectFault({ method: "POST", lostAnswer: true });
      await expect(call(emu, "POST", createPath("OnDisk"), { headers: h })).rejects.toMatchObject(SOCKET_ERROR);
      const saved = JSON.parse(readFileSync(dataFile, "utf8"));
      expect(saved.services.ventus.projects.map((p: { name: string }) => p.name)).toEqual(["OnDisk"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("counts each effect of a fault, a delay included", async () => {
    const emu = await start();
    emu.injectFault({ delayMs: 20 });
    emu.injectFault({ delayMs: 20, status: 500 });
    emu.injectFault({ delayMs: 0, reset: true });
    expect((await call(emu, "GET", "/get-tokens")).status).toBe(400); // delayed, then served
    expect((await call(emu, "GET", "/get-tokens")).status).toBe(500);
    await expect(call(emu, "GET", "/get-tokens")).rejects.toMatchObject(SOCKET_ERROR);
    expect(emu.stats().faults).toEqual({ status: 1, reset: 1, lostAnswer: 0, delay: 3 });
    emu.resetStats();
    expect(emu.stats().faults).toEqual(NO_FAULTS);
  });
});

describe("matching", () => {
  it("method matches exactly (any case given), in addition to the route", async () => {
    const emu = await start();
    const h = await ventusHeaders(emu);
    await call(emu, "POST", createPath("Kept"), { headers: h });
    emu.injectFault({ method: "delete", status: 503, count: 5 });
    emu.injectFault({ method: "GET", route: "gotham-enterprises", status: 502, count: 5 });
    expect((await call(emu, "GET", "/get-tokens")).status).toBe(400); // GET, but not that route
    expect((await call(emu, "POST", createPath("Also"), { headers: h })).status).toBe(200);
    expect((await call(emu, "GET", listPath, { headers: h })).status).toBe(502);
    const id = (await call(emu, "POST", createPath("Doomed"), { headers: h })).json.id;
    const del = await call(emu, "DELETE", `/v1.0/invoke/gotham-vienna-identity/method/${ORG}/projects/${id}`, { headers: h });
    expect(del.status).toBe(503);
  });

  it("the first fault that fires wins; one whose draw misses lets the next one try", async () => {
    const emu = await start({ faultSeed: 1 });
    emu.injectFault({ rate: 0.5, status: 500 });
    emu.injectFault({ status: 502, count: 1000 });
    const statuses = await probe(emu, 40);
    expect(statuses.every((s) => s === 500 || s === 502)).toBe(true);
    expect(statuses).toContain(500);
    expect(statuses).toContain(502);
    expect(emu.faults()).toEqual([
      { rate: 0.5, status: 500 },
      { status: 502, count: 1000, remaining: 1000 - statuses.filter((s) => s === 502).length },
    ]);
  });

  it("never faults control endpoints", async () => {
    const emu = await start();
    emu.injectFault({ rate: 1, reset: true });
    for (const path of ["/_emulator/health", "/_emulator/stats", "/_emulator/faults", "/_emulator/behavior", "/_emulator/faults/seed"]) {
      expect((await call(emu, "GET", path)).status).toBe(200);
    }
    expect(emu.stats().faults.reset).toBe(0);
    await expect(call(emu, "GET", "/get-tokens")).rejects.toMatchObject(SOCKET_ERROR);
  });
});

describe("rates", () => {
  it("same seed, same requests: the same hits; another seed: other hits", async () => {
    const fault = { route: "^GET /get-tokens$", rate: 0.5, status: 503 };
    const a = await start({ faultSeed: 12345, faults: [fault] });
    const b = await start({ faultSeed: 12345, faults: [fault] });
    const c = await start({ faultSeed: 54321, faults: [fault] });
    const seqA = await probe(a, 48);
    expect(await probe(b, 48)).toEqual(seqA);
    expect(await probe(c, 48)).not.toEqual(seqA);
    expect(new Set(seqA)).toEqual(new Set([400, 503]));
    expect(a.faultSeed).toBe(12345);

    // Reseeding restarts the sequence, in process and over HTTP.
    a.seedFaults(12345);
    expect(await probe(a, 48)).toEqual(seqA);
    const reseed = await call(a, "POST", "/_emulator/faults/seed", { body: { seed: 12345 } });
    expect(reseed.json).toEqual({ seed: 12345 });
    expect(await probe(a, 48)).toEqual(seqA);
    expect((await call(a, "GET", "/_emulator/faults/seed")).json).toEqual({ seed: 12345 });
    expect((await call(a, "POST", "/_emulator/faults/seed", { body: { seed: -1 } })).status).toBe(400);
    expect((await call(a, "POST", "/_emulator/faults/seed", { body: "x" })).status).toBe(400);
  });

  it("only matching requests draw: interleaved other requests do not shift the sequence", async () => {
    const fault = { route: "^GET /get-tokens$", rate: 0.5, status: 503 };
    const a = await start({ faultSeed: 99, faults: [fault] });
    const b = await start({ faultSeed: 99, faults: [fault] });
    const seqA = await probe(a, 30);
    const seqB: number[] = [];
    for (let i = 0; i < 30; i++) {
      await call(b, "GET", "/v1.0/invoke/gotham-bank/method/prices"); // not matching: no draw
      seqB.push(...(await probe(b, 1)));
    }
    expect(seqB).toEqual(seqA);
  });

  it("hits about rate of the matching requests, and stays until cleared", async () => {
    const emu = await start({ faultSeed: 2024 });
    emu.injectFault({ route: "^GET /get-tokens$", rate: 0.25, status: 503 });
    const statuses = await probe(emu, 400);
    const hits = statuses.filter((s) => s === 503).length;
    expect(hits).toBeGreaterThan(60); // expected 100, sd ≈ 8.7
    expect(hits).toBeLessThan(140);
    expect(emu.stats().faults.status).toBe(hits);
    expect(emu.faults()).toEqual([{ route: "^GET /get-tokens$", rate: 0.25, status: 503 }]); // no count: no remaining
    emu.clearFaults();
    expect(new Set(await probe(emu, 20))).toEqual(new Set([400]));

    // The PRNG itself, over many draws.
    const list = new FaultList(7);
    list.add([{ rate: 0.3 }]);
    let fired = 0;
    for (let i = 0; i < 20000; i++) if (list.take("GET", "GET /x")) fired++;
    expect(fired / 20000).toBeGreaterThan(0.28);
    expect(fired / 20000).toBeLessThan(0.32);
  });

  it("count caps the hits of a rate fault; rate 1 always fires", async () => {
    const emu = await start();
    emu.injectFault({ route: "^GET /get-tokens$", rate: 1, count: 3, status: 503 });
    expect(emu.faults()).toEqual([{ route: "^GET /get-tokens$", rate: 1, count: 3, status: 503, remaining: 3 }]);
    expect(await probe(emu, 5)).toEqual([503, 503, 503, 400, 400]);
    expect(emu.faults()).toEqual([]);
  });

  it("lost answers at a rate: every request is applied, some answers are lost", async () => {
    const emu = await start({ faultSeed: 5 });
    const h = await ventusHeaders(emu);
    emu.injectFault({ route: CREATE_ROUTE, rate: 0.5, lostAnswer: true });
    let lost = 0;
    for (let i = 0; i < 16; i++) {
      try {
        expect((await call(emu, "POST", createPath(`P${i}`), { headers: h })).status).toBe(200);
      } catch (err) {
        expect(err).toMatchObject(SOCKET_ERROR);
        lost++;
      }
    }
    expect(lost).toBeGreaterThan(0);
    expect(lost).toBeLessThan(16);
    expect(emu.stats().faults.lostAnswer).toBe(lost);
    expect(await projectNames(emu, h)).toHaveLength(16);
  });
});

describe("fault control", () => {
  it("POST /_emulator/faults takes the new fields; GET lists them", async () => {
    const emu = await start({ faultSeed: 3 });
    const set = await call(emu, "POST", "/_emulator/faults", {
      body: [
        { method: "POST", route: "identity", lostAnswer: true, rate: 0.5 },
        { method: "PUT", reset: true, count: 2 },
      ],
    });
    expect(set.status).toBe(200);
    expect(set.json).toEqual([
      { method: "POST", route: "identity", lostAnswer: true, rate: 0.5 },
      { method: "PUT", reset: true, count: 2, remaining: 2 },
    ]);
    expect((await call(emu, "GET", "/_emulator/faults")).json).toEqual(set.json);
    expect((await call(emu, "DELETE", "/_emulator/faults")).json).toEqual({ faults: [] });
    expect(emu.faults()).toEqual([]);
  });

  it("rejects invalid faults with 400, adding none of a list with one bad fault", async () => {
    const emu = await start();
    const bad: unknown[] = [
      { rate: 0 },
      { rate: 1.5 },
      { rate: "half" },
      { method: "PO ST" },
      { method: 5 },
      { lostAnswer: "yes" },
      { reset: true, lostAnswer: true },
      { status: 500, reset: true },
      { status: 500, lostAnswer: true },
      { lostanswer: true },
      { count: 0, rate: 0.5 },
      [{ status: 500 }, { rate: 2 }],
    ];
    for (const body of bad) {
      const r = await call(emu, "POST", "/_emulator/faults", { body });
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect(r.json.errors[0].code).toBe(400);
    }
    expect(emu.faults()).toEqual([]);
    expect(() => emu.injectFault({ rate: -1 })).toThrow(/rate/);
    expect(() => emu.injectFault({ unknown: 1 } as never)).toThrow(/unknown fault field 'unknown'/);
    await expect(startEmulator({ faults: [{ rate: 3 }] })).rejects.toThrow(/rate/);
    await expect(startEmulator({ faultSeed: 1.5 })).rejects.toThrow(/faultSeed/);
  });

  it("a default seed is random and reported", async () => {
    const a = await start();
    const b = await start();
    expect(Number.isInteger(a.faultSeed)).toBe(true);
    expect((await call(a, "GET", "/_emulator/faults/seed")).json).toEqual({ seed: a.faultSeed });
    // Two random 32-bit seeds are equal once in four billion.
    expect(a.faultSeed).not.toBe(b.faultSeed);
  });
});
