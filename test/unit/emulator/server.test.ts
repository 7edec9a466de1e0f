// The emulator's HTTP core: routing, body handling, stats, faults, latency, persistence.
// A small fake service stands next to the real ones to see exactly what the core hands over.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Pool, request } from "undici";
import { call } from "./harness";
import {
  startEmulator,
  type EmulatorOptions,
  type EmulatorResponse,
  type RunningEmulator,
  type ServiceContext,
  type ServiceModule,
} from "../../../emulator";

/** A fake service: `/echo/...` reflects the request, `/boom` throws, `/kind/<k>` answers each body kind. */
function fakeService(ctx?: ServiceContext): ServiceModule & { state: { items: string[] }; restored: unknown[] } {
  const state = { items: [] as string[] };
  const restored: unknown[] = [];
  return {
    name: "fake",
    state,
    restored,
    route(req: { method: string; path: string }) {
      if (req.path.startsWith("/echo/")) return `${req.method} /echo/{rest}`;
      if (req.path === "/boom") return `${req.method} /boom`;
      if (req.path.startsWith("/kind/")) return `GET /kind/{kind}`;
      if (req.path === "/items" && req.method === "POST") return "POST /items";
      return undefined;
    },
    handle(req: Parameters<ServiceModule["handle"]>[0]): EmulatorResponse {
      if (req.path === "/boom") {
        throw new Error(`kaboom with ${req.headers.authorization} and ${JSON.stringify(req.headers)}`);
      }
      if (req.path === "/items") {
        state.items.push(req.body.toString("utf8"));
        ctx?.changed();
        return { status: 201, body: { items: state.items } };
      }
      if (req.path.startsWith("/kind/")) {
        const kind = req.path.slice("/kind/".length);
        if (kind === "buffer") return { status: 200, headers: { "Content-Type": "image/jpeg" }, body: Buffer.from([0xff, 0xd8, 0xff]) };
        if (kind === "text") return { status: 200, body: "plain words" };
        if (kind === "empty") return { status: 204 };
        return { status: 200, body: { kind } };
      }
      return {
        status: 200,
        headers: { "x-echo": "yes" },
        body: {
          method: req.method,
          path: req.path,
          query: [...req.query.entries()],
          body: req.body.toString("utf8"),
        },
      };
    },
    snapshot: () => ({ items: [...state.items] }),
    restore(data: unknown) {
      restored.push(data);
      state.items = [...((data as { items: string[] }).items ?? [])];
    },
  };
}

describe("emulator core", () => {
  let emu: RunningEmulator;
  let fake: ReturnType<typeof fakeService>;
  const start = async (opts: EmulatorOptions = {}) => {
    fake = fakeService();
    emu = await startEmulator({ services: [fake], ...opts });
  };

  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await emu.stop();
  });

  it("serves every service on one base URL", async () => {
    expect(emu.url).toBe(`http://127.0.0.1:${emu.port}`);
    expect(emu.port).toBeGreaterThan(0);
    expect([emu.ventusAuthUrl, emu.ventusApiUrl, emu.axwayUrl]).toEqual([emu.url, emu.url, emu.url]);
    // The built-in services first, then the extra ones, in the order they are routed.
    expect(emu.services).toEqual(["ventus", "portal", "fake"]);
    expect(emu.describe().join("\n")).toContain("demo@ventus.example");
  });

  it("answers 404 with the errors shape for unknown routes and counts them apart", async () => {
    const r = await call(emu, "GET", "/nowhere");
    expect(r.status).toBe(404);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.json).toEqual({ errors: [{ code: 404, message: "No route" }] });
    expect(emu.stats()).toMatchObject({ total: 0, unrouted: 1, byRoute: {} });
  });

  it("hands the service the method, raw path, query and the body even on GET", async () => {
    const r = await call(emu, "GET", "/echo/a%2Fb%20c?x=1&x=2&y=%C3%A4", { body: '{"hello":"get"}' });
    expect(r.status).toBe(200);
    expect(r.headers.get("x-echo")).toBe("yes");
    expect(r.json).toEqual({
      method: "GET",
      path: "/echo/a%2Fb%20c",
      query: [
        ["x", "1"],
        ["x", "2"],
        ["y", "ä"],
      ],
      body: '{"hello":"get"}',
    });
  });

  it("sends JSON, Buffers, text and empty bodies as such", async () => {
    const json = await call(emu, "GET", "/kind/json");
    expect(json.headers.get("content-type")).toBe("application/json");
    expect(json.json).toEqual({ kind: "json" });
    const res = await request(`${emu.url}/kind/buffer`);
    expect(res.headers["content-type"]).toBe("image/jpeg");
    expect(Buffer.from(await res.body.arrayBuffer())).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const text = await call(emu, "GET", "/kind/text");
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text.text).toBe("plain words");
    const empty = await call(emu, "GET", "/kind/empty");
    expect(empty.status).toBe(204);
    expect(empty.text).toBe("");
  });

  it("turns a throwing service into a 500 that does not leak request headers", async () => {
    const secret = "Bearer super-secret-token";
    const r = await call(emu, "GET", "/boom", { headers: { authorization: secret, access: secret } });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ errors: [{ code: 500, message: expect.any(String) }] });
    expect(r.text).not.toContain("super-secret-token");
    expect(JSON.stringify(r.headers)).not.toContain("super-secret-token");
    // The server is still fine afterwards.
    expect((await call(emu, "GET", "/echo/ok")).status).toBe(200);
  });

  it("logs one line per request through the log option only, without headers", async () => {
    await emu.stop();
    const lines: string[] = [];
    await start({ log: (l) => lines.push(l) });
    await call(emu, "GET", "/echo/x", { headers: { authorization: "Bearer hidden" } });
    await call(emu, "GET", "/boom", { headers: { authorization: "Bearer hidden" } });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^GET \/echo\/x -> 200/);
    expect(lines.join("\n")).not.toContain("hidden");
  });

  describe("control endpoints", () => {
    it("reports health and stats, and resets stats; control calls are not counted", async () => {
      const health = await call(emu, "GET", "/_emulator/health");
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: "ok", services: expect.arrayContaining(["ventus", "fake"]) });

      await call(emu, "GET", "/echo/1");
      await call(emu, "GET", "/echo/2");
      await call(emu, "POST", "/echo/3", { body: "x" });
      await call(emu, "GET", "/get-tokens", { body: { username: "demo@ventus.example", password: "demo-password" } });
      const stats = await call(emu, "GET", "/_emulator/stats");
      expect(stats.json).toEqual({
        total: 4,
        unrouted: 0,
        byMethod: { GET: 3, POST: 1 },
        byRoute: { "GET /echo/{rest}": 2, "POST /echo/{rest}": 1, "GET /get-tokens": 1 },
        faults: { status: 0, reset: 0, lostAnswer: 0, delay: 0 },
      });
      expect(emu.stats()).toEqual(stats.json);

      const reset = await call(emu, "POST", "/_emulator/stats/reset");
      expect(reset.status).toBe(200);
      expect(emu.stats()).toEqual({
        total: 0,
        unrouted: 0,
        byMethod: {},
        byRoute: {},
        faults: { status: 0, reset: 0, lostAnswer: 0, delay: 0 },
      });
      await call(emu, "GET", "/echo/1");
      emu.resetStats();
      expect(emu.stats().total).toBe(0);
      expect((await call(emu, "GET", "/_emulator/nope")).status).toBe(404);
    });

    it("stats() returns a copy", async () => {
      await call(emu, "GET", "/echo/1");
      const s = emu.stats();
      s.total = 99;
      expect(emu.stats().total).toBe(1);
    });
  });

  describe("faults", () => {
    it("fails the next matching requests with the status, then serves normally; faulted requests count", async () => {
      const set = await call(emu, "POST", "/_emulator/faults", { body: { route: "^GET /echo", status: 503, count: 2 } });
      expect(set.status).toBe(200);
      // Not matching: served normally, fault not consumed.
      expect((await call(emu, "POST", "/echo/a", { body: "x" })).status).toBe(200);
      const first = await call(emu, "GET", "/echo/a");
      expect(first.status).toBe(503);
      expect(first.json).toEqual({ errors: [{ code: 503, message: "Injected fault" }] });
      expect(first.headers.get("retry-after")).toBeNull();
      expect((await call(emu, "GET", "/echo/b")).status).toBe(503);
      expect((await call(emu, "GET", "/echo/c")).status).toBe(200);
      expect(emu.stats().byRoute["GET /echo/{rest}"]).toBe(3);
    });

    it("defaults to one 503 on any route, and sets Retry-After when asked", async () => {
      emu.injectFault({});
      expect((await call(emu, "GET", "/echo/a")).status).toBe(503);
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
      emu.injectFault({ status: 429, retryAfter: 7 });
      const limited = await call(emu, "GET", "/echo/a");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("7");
      expect(limited.json.errors[0]).toEqual({ code: 429, message: "Injected fault" });
    });

    it("consumes faults in order", async () => {
      emu.injectFault({ status: 500 });
      emu.injectFault({ status: 502 });
      expect((await call(emu, "GET", "/echo/a")).status).toBe(500);
      expect((await call(emu, "GET", "/echo/a")).status).toBe(502);
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
    });

    it("matches the route template of real services", async () => {
      emu.injectFault({ route: "^GET /get-tokens$", status: 503 });
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
      const r = await call(emu, "GET", "/get-tokens", { body: { username: "demo@ventus.example", password: "demo-password" } });
      expect(r.status).toBe(503);
    });

    it("resets the connection without answering", async () => {
      emu.injectFault({ route: "/echo", reset: true });
      await expect(call(emu, "GET", "/echo/a")).rejects.toMatchObject({ code: expect.stringMatching(/^UND_ERR_SOCKET|ECONNRESET$/) });
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
      expect(emu.stats().byRoute["GET /echo/{rest}"]).toBe(2);
    });

    it("delays, then serves normally when only delayMs is given", async () => {
      emu.injectFault({ delayMs: 200 });
      const t0 = Date.now();
      const r = await call(emu, "GET", "/echo/a");
      expect(r.status).toBe(200);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
      const t1 = Date.now();
      await call(emu, "GET", "/echo/a");
      expect(Date.now() - t1).toBeLessThan(150);
    });

    it("clears faults over HTTP and in process, and rejects invalid ones", async () => {
      await call(emu, "POST", "/_emulator/faults", { body: [{ status: 500, count: 5 }] });
      expect((await call(emu, "GET", "/_emulator/faults")).json).toEqual([{ status: 500, count: 5, remaining: 5 }]);
      expect((await call(emu, "DELETE", "/_emulator/faults")).status).toBe(200);
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
      emu.injectFault({ status: 500, count: 5 });
      emu.clearFaults();
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);

      for (const bad of ["{", { route: "(" }, { status: 42 }, { count: 0 }, { count: 1.5 }, { delayMs: -1 }, { reset: "yes" }]) {
        const r = await call(emu, "POST", "/_emulator/faults", { body: bad });
        expect(r.status).toBe(400);
        expect(r.json.errors[0].code).toBe(400);
      }
      expect(() => emu.injectFault({ route: "[" })).toThrow(/regular expression/);
      expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
    });
  });

  it("waits latencyMs before every service response, but not for control calls", async () => {
    await emu.stop();
    // A latency far above what a loaded machine adds to a control call, so the two cannot be confused.
    await start({ latencyMs: 1500 });
    const t0 = Date.now();
    expect((await call(emu, "GET", "/echo/a")).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1490);
    const t1 = Date.now();
    await call(emu, "GET", "/_emulator/health");
    expect(Date.now() - t1).toBeLessThan(750);
  });

  it("stop() ends requests in flight at once", async () => {
    emu.injectFault({ delayMs: 5000 });
    const pending = call(emu, "GET", "/echo/slow");
    pending.catch(() => {});
    await new Promise((r) => setTimeout(r, 100)); // the request is now waiting on the server
    const t0 = Date.now();
    await emu.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(pending).rejects.toMatchObject({ code: expect.stringMatching(/^UND_ERR_SOCKET|ECONNRESET$/) });
  });

  it("stop() closes kept-alive connections promptly", async () => {
    const pool = new Pool(emu.url, { connections: 1, keepAliveTimeout: 60_000 });
    try {
      const res = await pool.request({ path: "/echo/a", method: "GET" });
      await res.body.text();
      const t0 = Date.now();
      await emu.stop();
      expect(Date.now() - t0).toBeLessThan(1000);
      await expect(request(`${emu.url}/echo/a`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      await pool.close();
    }
  });

  describe("dataFile", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "emu-core-"));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("writes after each change atomically and restores at start", async () => {
      const dataFile = join(dir, "state.json");
      await emu.stop();
      let live: ReturnType<typeof fakeService> | undefined;
      const factory = (ctx: ServiceContext) => (live = fakeService(ctx));
      emu = await startEmulator({ services: [factory], dataFile });
      // Written at start already, so an unwritable path fails at once.
      expect(JSON.parse(readFileSync(dataFile, "utf8")).services.fake).toEqual({ items: [] });
      expect((await call(emu, "POST", "/items", { body: "one" })).status).toBe(201);
      expect(JSON.parse(readFileSync(dataFile, "utf8"))).toMatchObject({ version: 1, services: { fake: { items: ["one"] } } });
      await call(emu, "POST", "/items", { body: "two" });
      const saved = JSON.parse(readFileSync(dataFile, "utf8"));
      expect(saved.services.fake).toEqual({ items: ["one", "two"] });
      expect(saved.services.ventus).toEqual({ projects: [] });
      expect(readdirSync(dir)).toEqual(["state.json"]); // no temporary file left behind
      await emu.stop();

      emu = await startEmulator({ services: [factory], dataFile });
      expect(live!.restored).toEqual([{ items: ["one", "two"] }]);
      expect((await call(emu, "POST", "/items", { body: "three" })).json).toEqual({ items: ["one", "two", "three"] });
    });

    it("does not overwrite the file when a service reports a change while being built", async () => {
      const dataFile = join(dir, "state.json");
      writeFileSync(dataFile, JSON.stringify({ version: 1, services: { fake: { items: ["kept"] } } }));
      await emu.stop();
      let live: ReturnType<typeof fakeService> | undefined;
      emu = await startEmulator({
        dataFile,
        services: [
          (ctx) => {
            ctx.changed();
            return (live = fakeService(ctx));
          },
        ],
      });
      expect(live!.state.items).toEqual(["kept"]);
      expect(JSON.parse(readFileSync(dataFile, "utf8")).services.fake).toEqual({ items: ["kept"] });
    });

    it("keeps the state of services that are not running", async () => {
      const dataFile = join(dir, "state.json");
      writeFileSync(dataFile, JSON.stringify({ version: 1, services: { elsewhere: { keep: true }, ventus: { projects: [] } } }));
      await emu.stop();
      await start({ dataFile });
      const t = await call(emu, "GET", "/get-tokens", { body: { username: "demo@ventus.example", password: "demo-password" } });
      const h = { authorization: `Bearer ${t.json.id_token}`, access: `Bearer ${t.json.access_token}` };
      const org = "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50";
      await call(emu, "POST", `/v1.0/invoke/gotham-vienna-identity/method/${org}/projects/P`, { headers: h });
      expect(JSON.parse(readFileSync(dataFile, "utf8")).services.elsewhere).toEqual({ keep: true });
    });

    it("fails to start when the data file cannot be written", async () => {
      writeFileSync(join(dir, "file"), "");
      await expect(startEmulator({ dataFile: join(dir, "file", "state.json") })).rejects.toThrow(/ENOTDIR|EEXIST/);
    });

    it("refuses to start on a corrupt data file rather than overwrite it", async () => {
      const dataFile = join(dir, "state.json");
      writeFileSync(dataFile, "{not json");
      await expect(startEmulator({ dataFile })).rejects.toThrow(/not valid JSON/);
      expect(readFileSync(dataFile, "utf8")).toBe("{not json");
    });
  });
});
