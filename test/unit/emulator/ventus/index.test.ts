// The Ventus Cloud part of the emulator, driven over real HTTP on port 0.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call } from "../harness";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../../emulator";
import { DEFAULT_VENTUS_USER, VENTUS_REGIONS } from "../../../../emulator/ventus";

const ORG = DEFAULT_VENTUS_USER.organizations[0]!;
const USER = { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password };
const REGIONS = Object.keys(VENTUS_REGIONS);


interface Tokens {
  id_token: string;
  access_token: string;
}

async function login(emu: RunningEmulator, creds = USER): Promise<Tokens> {
  const r = await call(emu, "GET", "/get-tokens", { body: creds });
  expect(r.status).toBe(200);
  return r.json as Tokens;
}

function auth(t: Tokens): Record<string, string> {
  return { authorization: `Bearer ${t.id_token}`, access: `Bearer ${t.access_token}` };
}

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

const identity = (region: string) => `/v1.0/invoke/gotham-${region}-identity/method`;
const listPath = (org = ORG) => `/v1.0/invoke/gotham-enterprises/method/orgs/${org}/projects`;

describe("Ventus Cloud emulator", () => {
  let emu: RunningEmulator;
  let tokens: Tokens;
  let clock: number;
  const start = async (opts: EmulatorOptions = {}) => {
    emu = await startEmulator({ now: () => clock, ...opts });
    tokens = await login(emu);
  };

  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 1);
    await start();
  });
  afterEach(async () => {
    await emu.stop();
  });

  describe("tokens", () => {
    it("issues JWT-shaped id and access tokens for the default user", async () => {
      expect(tokens.id_token.split(".")).toHaveLength(3);
      expect(tokens.access_token.split(".")).toHaveLength(3);
      const id = payloadOf(tokens.id_token);
      const access = payloadOf(tokens.access_token);
      expect(id).toMatchObject({ typ: "id", email: USER.username, iat: clock / 1000, exp: clock / 1000 + 3600 });
      expect(access).toMatchObject({ typ: "access", sub: id.sub, exp: clock / 1000 + 3600 });
      expect(access.email).toBeUndefined();
    });

    it("answers 401 with the errors shape on a wrong password, 400 on a bad body", async () => {
      const wrong = await call(emu, "GET", "/get-tokens", { body: { ...USER, password: "nope" } });
      expect(wrong.status).toBe(401);
      expect(wrong.json).toEqual({ errors: [{ code: 401, message: "Invalid credentials" }] });
      expect((await call(emu, "GET", "/get-tokens", { body: { username: "x@y.z", password: "" } })).status).toBe(401);
      expect((await call(emu, "GET", "/get-tokens")).status).toBe(400);
      expect((await call(emu, "GET", "/get-tokens", { body: "not json" })).status).toBe(400);
      expect((await call(emu, "GET", "/get-tokens", { body: { username: USER.username } })).status).toBe(400);
    });

    it("accepts configured users only", async () => {
      await emu.stop();
      emu = await startEmulator({ ventusUsers: [{ username: "a@b.c", password: "pw", organizations: ["org-a"] }] });
      expect((await call(emu, "GET", "/get-tokens", { body: USER })).status).toBe(401);
      const t = await login(emu, { username: "a@b.c", password: "pw" });
      expect(payloadOf(t.id_token).email).toBe("a@b.c");
      expect((await call(emu, "GET", listPath("org-a"), { headers: auth(t) })).status).toBe(200);
      expect((await call(emu, "GET", listPath(), { headers: auth(t) })).status).toBe(403);
    });
  });

  describe("authentication on API calls", () => {
    it("requires both Authorization and Access", async () => {
      expect((await call(emu, "GET", listPath(), { headers: auth(tokens) })).status).toBe(200);
      const noAccess = await call(emu, "GET", listPath(), { headers: { authorization: `Bearer ${tokens.id_token}` } });
      expect(noAccess.status).toBe(401);
      expect(noAccess.json.errors[0].code).toBe(401);
      const noId = await call(emu, "GET", listPath(), { headers: { access: `Bearer ${tokens.access_token}` } });
      expect(noId.status).toBe(401);
      expect((await call(emu, "GET", listPath())).status).toBe(401);
    });

    it("rejects swapped, tampered and foreign tokens", async () => {
      const swapped = { authorization: `Bearer ${tokens.access_token}`, access: `Bearer ${tokens.id_token}` };
      expect((await call(emu, "GET", listPath(), { headers: swapped })).status).toBe(401);
      const [h, p, s] = tokens.id_token.split(".");
      const forged = Buffer.from(JSON.stringify({ ...payloadOf(tokens.id_token), exp: 9e9 })).toString("base64url");
      expect(forged).not.toBe(p);
      const tampered = { ...auth(tokens), authorization: `Bearer ${h}.${forged}.${s}` };
      expect((await call(emu, "GET", listPath(), { headers: tampered })).status).toBe(401);
      // Tokens from another emulator process (another secret) are not valid here.
      const other = await startEmulator();
      try {
        const foreign = await login(other);
        expect((await call(emu, "GET", listPath(), { headers: auth(foreign) })).status).toBe(401);
      } finally {
        await other.stop();
      }
    });

    it("rejects an id token and an access token of different users", async () => {
      await emu.stop();
      await start({
        ventusUsers: [
          { ...USER, organizations: [ORG] },
          { username: "eve@ventus.example", password: "eve", organizations: [ORG] },
        ],
      });
      const eve = await login(emu, { username: "eve@ventus.example", password: "eve" });
      expect((await call(emu, "GET", listPath(), { headers: auth(eve) })).status).toBe(200);
      const mixed = { authorization: `Bearer ${tokens.id_token}`, access: `Bearer ${eve.access_token}` };
      expect((await call(emu, "GET", listPath(), { headers: mixed })).status).toBe(401);
    });

    it("rejects expired tokens (tiny ttl, injected clock) and accepts fresh ones", async () => {
      await emu.stop();
      await start({ tokenTtlSeconds: 2 });
      expect((await call(emu, "GET", listPath(), { headers: auth(tokens) })).status).toBe(200);
      clock += 2000;
      const expired = await call(emu, "GET", listPath(), { headers: auth(tokens) });
      expect(expired.status).toBe(401);
      expect(expired.json.errors[0].message).toMatch(/expired/);
      const fresh = await login(emu);
      expect((await call(emu, "GET", listPath(), { headers: auth(fresh) })).status).toBe(200);
    });

    it("forbids organizations the user does not belong to (403)", async () => {
      const other = "00000000-0000-4000-8000-000000000000";
      expect((await call(emu, "GET", listPath(other), { headers: auth(tokens) })).status).toBe(403);
      const create = await call(emu, "POST", `${identity("vienna")}/${other}/projects/x`, { headers: auth(tokens) });
      expect(create.status).toBe(403);
      expect(create.json).toEqual({ errors: [{ code: 403, message: expect.any(String) }] });
    });
  });

  describe("projects", () => {
    it.each(REGIONS)("create, get, rename, list and delete in %s", async (region) => {
      const h = auth(tokens);
      const created = await call(emu, "POST", `${identity(region)}/${ORG}/projects/First`, { headers: h });
      expect(created.status).toBe(200);
      expect(created.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: "First" });
      const id = created.json.id as string;

      const got = await call(emu, "GET", `${identity(region)}/projects/${id}`, { headers: h });
      expect(got.status).toBe(200);
      expect(got.json).toEqual({ id, name: "First" });

      const renamed = await call(emu, "PUT", `${identity(region)}/${ORG}/projects/${id}`, {
        headers: h,
        body: { name: "Second" },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.json).toEqual({ id, name: "Second" });
      expect((await call(emu, "GET", `${identity(region)}/projects/${id}`, { headers: h })).json.name).toBe("Second");

      const list = await call(emu, "GET", listPath(), { headers: h });
      expect(list.status).toBe(200);
      expect(list.json).toEqual([{ id, name: "Second", region: VENTUS_REGIONS[region] }]);

      const deleted = await call(emu, "DELETE", `${identity(region)}/${ORG}/projects/${id}`, { headers: h });
      expect(deleted.status).toBe(200);
      expect(deleted.text).toBe("");
      expect((await call(emu, "GET", `${identity(region)}/projects/${id}`, { headers: h })).status).toBe(404);
      expect((await call(emu, "DELETE", `${identity(region)}/${ORG}/projects/${id}`, { headers: h })).status).toBe(404);
      expect((await call(emu, "GET", listPath(), { headers: h })).json).toEqual([]);
    });

    it("lists every region with its display name, duplicates allowed", async () => {
      const h = auth(tokens);
      await call(emu, "POST", `${identity("eastern-switzerland")}/${ORG}/projects/Swiss`, { headers: h });
      await call(emu, "POST", `${identity("upper-austria")}/${ORG}/projects/Upper`, { headers: h });
      await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/Vienna`, { headers: h });
      const dup = await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/Vienna`, { headers: h });
      expect(dup.status).toBe(200);
      const list = await call(emu, "GET", listPath(), { headers: h });
      expect(list.json.map((p: { name: string; region: string }) => [p.name, p.region])).toEqual([
        ["Swiss", "Eastern-Switzerland"],
        ["Upper", "Upper-Austria"],
        ["Vienna", "Vienna"],
        ["Vienna", "Vienna"],
      ]);
      expect(new Set(list.json.map((p: { id: string }) => p.id)).size).toBe(4);
    });

    it("percent-decodes the name from the path and rejects an empty one", async () => {
      const h = auth(tokens);
      const name = "Team A / ÄÖÜ & co";
      const r = await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/${encodeURIComponent(name)}`, {
        headers: h,
      });
      expect(r.status).toBe(200);
      expect(r.json.name).toBe(name);
      expect((await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/`, { headers: h })).status).toBe(400);
      expect((await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/%20`, { headers: h })).status).toBe(400);
      expect((await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/%E0%A4%A`, { headers: h })).status).toBe(
        400,
      );
    });

    it("validates the rename body", async () => {
      const h = auth(tokens);
      const { id } = (await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/P`, { headers: h })).json;
      const put = (body: unknown) => call(emu, "PUT", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h, body });
      expect((await put({ name: "" })).status).toBe(400);
      expect((await put({ name: 42 })).status).toBe(400);
      expect((await put("{")).status).toBe(400);
      expect((await put(undefined)).status).toBe(400);
      expect((await call(emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: h })).json.name).toBe("P");
    });

    it("answers 404 for unknown projects, other regions and non-lower-case regions", async () => {
      const h = auth(tokens);
      const { id } = (await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/P`, { headers: h })).json;
      const unknown = "0123456789abcdef01234567";
      expect((await call(emu, "GET", `${identity("vienna")}/projects/${unknown}`, { headers: h })).status).toBe(404);
      expect((await call(emu, "GET", `${identity("upper-austria")}/projects/${id}`, { headers: h })).status).toBe(404);
      const renameElsewhere = await call(emu, "PUT", `${identity("upper-austria")}/${ORG}/projects/${id}`, {
        headers: h,
        body: { name: "Q" },
      });
      expect(renameElsewhere.status).toBe(404);
      expect((await call(emu, "DELETE", `${identity("upper-austria")}/${ORG}/projects/${id}`, { headers: h })).status).toBe(
        404,
      );
      expect(
        (await call(emu, "PUT", `${identity("vienna")}/${ORG}/projects/${unknown}`, { headers: h, body: { name: "Q" } }))
          .status,
      ).toBe(404);

      const upper = await call(emu, "GET", `/v1.0/invoke/gotham-Vienna-identity/method/projects/${id}`, { headers: h });
      expect(upper.status).toBe(404);
      expect(upper.json.errors[0].code).toBe(404);
      expect(
        (await call(emu, "POST", `/v1.0/invoke/gotham-Upper-Austria-identity/method/${ORG}/projects/x`, { headers: h }))
          .status,
      ).toBe(404);
      expect((await call(emu, "GET", `${identity("mars")}/projects/${id}`, { headers: h })).status).toBe(404);
      // Still there, untouched.
      expect((await call(emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: h })).json).toEqual({ id, name: "P" });
    });

    it("hides projects of organizations the user does not belong to", async () => {
      await emu.stop();
      await start({
        ventusUsers: [
          { ...USER, organizations: [ORG] },
          { username: "bob@ventus.example", password: "bob", organizations: ["org-bob"] },
        ],
      });
      const bob = await login(emu, { username: "bob@ventus.example", password: "bob" });
      const { id } = (await call(emu, "POST", `${identity("vienna")}/org-bob/projects/Bobs`, { headers: auth(bob) })).json;
      expect((await call(emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: auth(bob) })).status).toBe(200);
      expect((await call(emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: auth(tokens) })).status).toBe(404);
      expect((await call(emu, "GET", listPath(), { headers: auth(tokens) })).json).toEqual([]);
      expect(
        (await call(emu, "DELETE", `${identity("vienna")}/org-bob/projects/${id}`, { headers: auth(tokens) })).status,
      ).toBe(403);
      // An org in the path that is the caller's, but the project is another org's: 404.
      expect((await call(emu, "DELETE", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: auth(tokens) })).status).toBe(
        404,
      );
    });

    it("only answers the documented methods", async () => {
      const h = auth(tokens);
      expect((await call(emu, "GET", `${identity("vienna")}/${ORG}/projects/x`, { headers: h })).status).toBe(404);
      expect((await call(emu, "POST", listPath(), { headers: h })).status).toBe(404);
      expect((await call(emu, "POST", "/get-tokens", { body: USER })).status).toBe(404);
    });
  });

  it("serves prices per currency with storage and flavors", async () => {
    const r = await call(emu, "GET", "/v1.0/invoke/gotham-bank/method/prices", { headers: auth(tokens) });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(Object.keys(r.json).sort()).toEqual(["chf", "eur"]);
    expect(r.json.chf.storage).toBe(0.0003);
    expect(r.json.chf.flavors.slice(0, 1)).toEqual([
      { id: "0000-0020-vc-1", name: "VC-1", price: { base: 0.0121, windows: 0.01815 } },
    ]);
    expect(r.json.chf.flavors).toContainEqual({ id: "0000-0040-vc-4", name: "VC-4", price: { base: 0.0484, windows: 0.0726 } });
    for (const currency of Object.values(r.json) as Array<{ storage: number; flavors: unknown[] }>) {
      expect(typeof currency.storage).toBe("number");
      expect(currency.flavors.length).toBeGreaterThanOrEqual(3);
      for (const f of currency.flavors) {
        expect(f).toEqual({
          id: expect.stringMatching(/^\d{4}-\d{4}-vc-\d+$/),
          name: expect.stringMatching(/^VC-\d+$/),
          price: { base: expect.any(Number), windows: expect.any(Number) },
        });
      }
    }
    expect((await call(emu, "GET", "/v1.0/invoke/gotham-bank/method/prices")).status).toBe(401);
  });

  it("counts requests per route template", async () => {
    emu.resetStats();
    const h = auth(tokens);
    const { id } = (await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/A`, { headers: h })).json;
    await call(emu, "POST", `${identity("upper-austria")}/${ORG}/projects/B`, { headers: h });
    await call(emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: h });
    await call(emu, "PUT", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h, body: { name: "C" } });
    await call(emu, "DELETE", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h });
    await call(emu, "GET", listPath(), { headers: h });
    await call(emu, "GET", "/v1.0/invoke/gotham-bank/method/prices", { headers: h });
    await login(emu);
    expect(emu.stats()).toEqual({
      total: 8,
      unrouted: 0,
      byMethod: { GET: 4, POST: 2, PUT: 1, DELETE: 1 },
      byRoute: {
        "POST /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{name}": 2,
        "GET /v1.0/invoke/gotham-{region}-identity/method/projects/{id}": 1,
        "PUT /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}": 1,
        "DELETE /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}": 1,
        "GET /v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects": 1,
        "GET /v1.0/invoke/gotham-bank/method/prices": 1,
        "GET /get-tokens": 1,
      },
      faults: { status: 0, reset: 0, lostAnswer: 0, delay: 0 },
    });
  });

  describe("persistence", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "ventus-emu-"));
    });
    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("keeps projects across stop/start with dataFile; old tokens are refused", async () => {
      const dataFile = join(dir, "nested", "state.json");
      await emu.stop();
      await start({ dataFile });
      const h = auth(tokens);
      const a = (await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/Kept`, { headers: h })).json;
      const b = (await call(emu, "POST", `${identity("eastern-switzerland")}/${ORG}/projects/Gone`, { headers: h })).json;
      await call(emu, "PUT", `${identity("vienna")}/${ORG}/projects/${a.id}`, { headers: h, body: { name: "Kept2" } });
      await call(emu, "DELETE", `${identity("eastern-switzerland")}/${ORG}/projects/${b.id}`, { headers: h });
      const onDisk = JSON.parse(readFileSync(dataFile, "utf8"));
      expect(onDisk.services.ventus.projects).toEqual([
        expect.objectContaining({ id: a.id, name: "Kept2", org: ORG, region: "vienna" }),
      ]);
      const oldTokens = tokens;
      await emu.stop();

      await start({ dataFile });
      expect((await call(emu, "GET", listPath(), { headers: auth(oldTokens) })).status).toBe(401);
      const list = await call(emu, "GET", listPath(), { headers: auth(tokens) });
      expect(list.json).toEqual([{ id: a.id, name: "Kept2", region: "Vienna" }]);
      const got = await call(emu, "GET", `${identity("vienna")}/projects/${a.id}`, { headers: auth(tokens) });
      expect(got.json).toEqual({ id: a.id, name: "Kept2" });
    });
  });
});
