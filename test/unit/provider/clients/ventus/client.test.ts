// VentusClient (provider/clients/ventus/client.ts) against the emulator on port 0: tokens
// (single flight, reuse, renewal on expiry and on 401), project CRUD in every region,
// 404 handling, name encoding, the listing cache and prices. Counts come from the
// emulator's stats: what the server saw, not what the client believes it did.
import { inspect } from "node:util";
import { VENTUS_ROUTES, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../../../emulator";
import { DEFAULT_VENTUS_USER, VENTUS_REGIONS } from "../../../../../emulator/ventus";
import { ApiError } from "../../../../../provider/http/errors";
import { orUndefinedOn404 } from "../../../../../provider/http/errors";
import { VentusClient, jwtExpiry, type VentusClientOptions } from "../../../../../provider/clients/ventus/client";
import { KNOWN_REGIONS } from "../../../../../provider/clients/ventus/schemas";

const ORG = DEFAULT_VENTUS_USER.organizations[0]!;
const ROUTES = VENTUS_ROUTES;
/** Fault route patterns: faults match `"<METHOD> <route template>"`. */
const FAULT = {
  tokens: "^GET /get-tokens$",
  list: "^GET /v1\\.0/invoke/gotham-enterprises/",
  create: "^POST /v1\\.0/invoke/gotham-\\{region\\}-identity/",
};

let emu: RunningEmulator;
let clients: VentusClient[] = [];
/** The emulator's clock and the client's clock; the same unless a test moves one. */
let serverClock: number;
let clientClock: number;

async function start(opts: EmulatorOptions = {}): Promise<void> {
  emu = await startEmulator({ port: 0, now: () => serverClock, ...opts });
}

function client(opts: Partial<VentusClientOptions> = {}): VentusClient {
  const c = new VentusClient({
    authUrl: emu.ventusAuthUrl,
    apiUrl: emu.ventusApiUrl,
    username: DEFAULT_VENTUS_USER.username,
    password: DEFAULT_VENTUS_USER.password,
    now: () => clientClock,
    http: { retry: { minDelayMs: 5, maxDelayMs: 50 } },
    ...opts,
  });
  clients.push(c);
  return c;
}

const hits = (route: keyof typeof ROUTES) => emu.stats().byRoute[ROUTES[route]] ?? 0;

function advance(ms: number): void {
  serverClock += ms;
  clientClock += ms;
}

async function apiError(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw new Error(`expected ApiError, got ${inspect(err)}`, { cause: err });
  }
  throw new Error("expected the call to fail, it succeeded");
}

beforeEach(async () => {
  serverClock = clientClock = Date.UTC(2026, 0, 1);
  await start();
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  await emu.stop();
});

describe("tokens", () => {
  it("fetches tokens once for many concurrent calls", async () => {
    const c = client({ listCacheMs: 0 });
    const lists = await Promise.all(Array.from({ length: 10 }, () => c.listProjects(ORG)));
    expect(lists).toEqual(Array.from({ length: 10 }, () => []));
    expect(hits("tokens")).toBe(1);
    expect(hits("list")).toBe(10);
  });

  it("reuses tokens until renewBeforeMs before they expire, then fetches new ones once", async () => {
    await emu.stop();
    await start({ tokenTtlSeconds: 600 });
    const c = client({ listCacheMs: 0, renewBeforeMs: 60_000 });
    await c.listProjects(ORG);
    advance(500_000);
    await c.getPrices();
    await c.listProjects(ORG);
    expect(hits("tokens")).toBe(1);
    advance(45_000); // 55 s before expiry
    await Promise.all([c.listProjects(ORG), c.getPrices(), c.listProjects(ORG)]);
    expect(hits("tokens")).toBe(2);
    advance(60_000); // the new tokens are 60 s old of 600
    await c.listProjects(ORG);
    expect(hits("tokens")).toBe(2);
  });

  it("shares tokens between concurrent calls even when they live shorter than renewBeforeMs", async () => {
    await emu.stop();
    await start({ tokenTtlSeconds: 30 }); // default renewBeforeMs is 60 s
    const c = client({ listCacheMs: 0 });
    await Promise.all(Array.from({ length: 10 }, () => c.listProjects(ORG)));
    expect(hits("list")).toBe(10);
    expect(hits("tokens")).toBe(1);
    await c.listProjects(ORG);
    expect(hits("tokens")).toBe(1);
    advance(30_000);
    await c.listProjects(ORG);
    expect(hits("tokens")).toBe(2);
  });

  it("counts the tokens' life on this machine's clock, so a clock ahead of the server's does no harm", async () => {
    clientClock = serverClock + 2 * 3600_000; // tokens live 3600 s: they look expired by the server's clock
    const c = client({ listCacheMs: 0 });
    await Promise.all(Array.from({ length: 10 }, () => c.listProjects(ORG)));
    await c.getPrices();
    expect(hits("tokens")).toBe(1);
    advance(3600_000 - 60_000); // the default renewBeforeMs before the end of their life
    await c.getPrices();
    expect(hits("tokens")).toBe(2);
  });

  it("renews the tokens once on a 401 and repeats the call", async () => {
    const c = client({ listCacheMs: 0 });
    await c.getPrices();
    emu.injectFault({ route: FAULT.list, status: 401, count: 1 });
    expect(await c.listProjects(ORG)).toEqual([]);
    expect(hits("tokens")).toBe(2);
    expect(hits("list")).toBe(2);
  });

  it("gives up with the 401 when the renewed tokens are refused too", async () => {
    const c = client({ listCacheMs: 0 });
    emu.injectFault({ route: FAULT.list, status: 401, count: 2 });
    const err = await apiError(c.listProjects(ORG));
    expect(err).toMatchObject({ status: 401, method: "GET", service: "ventus", fault: "client" });
    expect(err.path).toBe(`/v1.0/invoke/gotham-enterprises/method/orgs/${ORG}/projects`);
    expect(hits("tokens")).toBe(2);
    expect(hits("list")).toBe(2);
  });

  it("recovers when the server's clock has passed the tokens' expiry (the client's has not)", async () => {
    await emu.stop();
    await start({ tokenTtlSeconds: 120 });
    const c = client({ listCacheMs: 0, renewBeforeMs: 10_000 });
    const created = await c.createProject(ORG, "vienna", "clock");
    serverClock += 121_000; // the client still believes its tokens are fresh
    const calls = await Promise.all([c.listProjects(ORG), c.getProject("vienna", created.id), c.getPrices(), c.listProjects(ORG)]);
    expect(calls[0]).toEqual([{ id: created.id, name: "clock", region: "Vienna" }]);
    expect(calls[1]).toEqual({ id: created.id, name: "clock" });
    // Four calls refused at once, one renewal between them.
    expect(hits("tokens")).toBe(2);
  });

  it("renews a POST refused with 401 too (the project is created once)", async () => {
    const c = client();
    await c.getPrices();
    emu.injectFault({ route: FAULT.create, status: 401, count: 1 });
    const p = await c.createProject(ORG, "upper-austria", "after-401");
    expect(hits("create")).toBe(2);
    expect(hits("tokens")).toBe(2);
    expect((await c.listProjects(ORG)).filter((x) => x.name === "after-401")).toEqual([{ ...p, region: "Upper-Austria" }]);
  });

  it("reports a wrong password as ApiError 401 on /get-tokens, without the password", async () => {
    const password = "wr0ng-Pa55word!";
    const c = client({ password });
    const err = await apiError(c.listProjects(ORG));
    expect(err).toMatchObject({ status: 401, method: "GET", path: "/get-tokens", serverMessage: "Invalid credentials", fault: "client" });
    expect(err.message).toContain("/get-tokens");
    for (const shown of [err.message, err.stack ?? "", inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)]) {
      expect(shown).not.toContain(password);
    }
    expect(hits("tokens")).toBe(1);
    expect(hits("list")).toBe(0);
  });

  it("does not keep a failed token fetch: the next call tries again", async () => {
    const c = client({ http: { retry: { maxRetries: 0 } } });
    emu.injectFault({ route: FAULT.tokens, status: 503, count: 1 });
    expect((await apiError(c.getPrices())).status).toBe(503);
    await expect(c.getPrices()).resolves.toHaveProperty("chf");
    expect(hits("tokens")).toBe(2);
  });

  it("reads a JWT's exp as epoch milliseconds, Infinity without one", () => {
    const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.s`;
    expect(jwtExpiry(jwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
    expect(jwtExpiry(jwt({ sub: "x" }))).toBe(Infinity);
    expect(jwtExpiry("opaque-token")).toBe(Infinity);
    expect(jwtExpiry("h.%%%.s")).toBe(Infinity);
  });
});

describe("projects", () => {
  it.each(KNOWN_REGIONS)("creates, reads, renames, lists and deletes in %s", async (region) => {
    const c = client();
    const created = await c.createProject(ORG, region, "First");
    expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: "First" });
    expect(await c.getProject(region, created.id)).toEqual(created);

    const renamed = await c.renameProject(ORG, region, created.id, "Second");
    expect(renamed).toEqual({ id: created.id, name: "Second" });
    expect(await c.getProject(region, created.id)).toEqual(renamed);
    expect(await c.listProjects(ORG)).toEqual([{ id: created.id, name: "Second", region: VENTUS_REGIONS[region] }]);

    expect(await c.deleteProject(ORG, region, created.id)).toBe(true);
    expect(await c.getProject(region, created.id)).toBeUndefined();
    expect(await c.listProjects(ORG)).toEqual([]);
    expect(await c.deleteProject(ORG, region, created.id)).toBe(false);
    expect(emu.stats().unrouted).toBe(0);
  });

  it("answers undefined for a project that is not there, or not in that region", async () => {
    const c = client();
    const p = await c.createProject(ORG, "vienna", "here");
    expect(await c.getProject("vienna", "0123456789abcdef01234567")).toBeUndefined();
    expect(await c.getProject("upper-austria", p.id)).toBeUndefined();
    expect(await c.deleteProject(ORG, "upper-austria", p.id)).toBe(false);
    expect(await c.getProject("vienna", p.id)).toEqual(p);
  });

  it("lets errors other than 404 through", async () => {
    const c = client({ http: { retry: { maxRetries: 0 } } });
    const foreign = "00000000-0000-4000-8000-000000000000";
    expect((await apiError(c.createProject(foreign, "vienna", "x"))).status).toBe(403);
    expect((await apiError(c.deleteProject(foreign, "vienna", "x"))).status).toBe(403);
    expect((await apiError(c.renameProject(ORG, "vienna", "nope", "x"))).status).toBe(404);
    emu.injectFault({ route: "^GET /v1\\.0/invoke/gotham-\\{region\\}-identity/method/projects/", status: 500 });
    expect((await apiError(c.getProject("vienna", "x"))).status).toBe(500);
    await expect(orUndefinedOn404(Promise.reject(new Error("plain")))).rejects.toThrow("plain");
  });

  it.each([
    ["spaces and slashes", "Team A / Q3 plans"],
    ["reserved characters", "a?b#c%d&e=f+g;h"],
    ["non-ASCII", "Zürich – Ölprojekt ✓"],
    ["dot-dot", ".."],
    ["dot", "."],
  ])("percent-encodes a name with %s and gets it back", async (_what, name) => {
    const c = client();
    const p = await c.createProject(ORG, "eastern-switzerland", name);
    expect(p.name).toBe(name);
    expect(await c.getProject("eastern-switzerland", p.id)).toEqual({ id: p.id, name });
    expect(await c.listProjects(ORG)).toEqual([{ id: p.id, name, region: "Eastern-Switzerland" }]);
    const renamed = await c.renameProject(ORG, "eastern-switzerland", p.id, `${name} / renamed`);
    expect(renamed.name).toBe(`${name} / renamed`);
    expect(hits("create")).toBe(1);
    expect(emu.stats().unrouted).toBe(0);
  });
});

describe("listing cache", () => {
  it("shares one listing between concurrent and close reads", async () => {
    const c = client({ listCacheMs: 2_000 });
    await Promise.all(Array.from({ length: 5 }, () => c.listProjects(ORG)));
    await c.listProjects(ORG);
    expect(hits("list")).toBe(1);
    advance(2_000);
    await c.listProjects(ORG);
    expect(hits("list")).toBe(2);
  });

  it("is invalidated by create, rename and delete", async () => {
    const c = client({ listCacheMs: 60_000 });
    expect(await c.listProjects(ORG)).toEqual([]);
    const p = await c.createProject(ORG, "vienna", "one");
    expect(await c.listProjects(ORG)).toEqual([{ id: p.id, name: "one", region: "Vienna" }]);
    await c.renameProject(ORG, "vienna", p.id, "two");
    expect((await c.listProjects(ORG))[0]!.name).toBe("two");
    await c.deleteProject(ORG, "vienna", p.id);
    expect(await c.listProjects(ORG)).toEqual([]);
    expect(hits("list")).toBe(4);
  });

  it("does not keep a listing that was read while a write was in flight", async () => {
    const c = client({ listCacheMs: 60_000 });
    await c.getPrices(); // tokens first, so both calls below go out at once
    emu.injectFault({ route: FAULT.create, delayMs: 300 });
    const creating = c.createProject(ORG, "vienna", "slow");
    const before = await c.listProjects(ORG); // answered before the create is
    const p = await creating;
    expect(before).toEqual([]);
    expect(await c.listProjects(ORG)).toEqual([{ id: p.id, name: "slow", region: "Vienna" }]);
  });

  it("keeps organizations apart", async () => {
    await emu.stop();
    await start({ ventusUsers: [{ ...DEFAULT_VENTUS_USER, organizations: [ORG, "org-b"] }] });
    const c = client({ listCacheMs: 60_000 });
    await c.createProject("org-b", "vienna", "b");
    expect(await c.listProjects(ORG)).toEqual([]);
    expect((await c.listProjects("org-b")).map((p) => p.name)).toEqual(["b"]);
  });

  it("does not keep a failed listing", async () => {
    const c = client({ listCacheMs: 60_000, http: { retry: { maxRetries: 0 } } });
    emu.injectFault({ route: FAULT.list, status: 500 });
    expect((await apiError(c.listProjects(ORG))).status).toBe(500);
    expect(await c.listProjects(ORG)).toEqual([]);
    expect(hits("list")).toBe(2);
  });
});

describe("prices", () => {
  it("parses the price list", async () => {
    const prices = await client().getPrices();
    expect(Object.keys(prices).length).toBeGreaterThan(0);
    expect(typeof prices.chf!.storage).toBe("number");
    expect(prices.chf!.flavors.length).toBeGreaterThan(0);
    for (const f of prices.chf!.flavors) {
      expect(f).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String) }));
      expect(typeof f.price.base).toBe("number");
    }
    expect(prices.chf!.flavors.find((f) => f.id === "0000-0020-vc-1")?.price).toEqual({ base: 0.0121, windows: 0.01815 });
  });
});
