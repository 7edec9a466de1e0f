// Behaviours (the choices the documents leave open) over real HTTP: the control endpoint and its
// validation, then each behaviour against its default.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, type Reply } from "./harness";
import { DEFAULT_BEHAVIOR, startEmulator, type EmulatorOptions, type RunningEmulator } from "../../../emulator";
import { parseBehaviorAssignment } from "../../../emulator/behavior";
import { PORTAL_BASE as P, stableUuid } from "../../../emulator/portal";
import { DEFAULT_VENTUS_USER } from "../../../emulator/ventus";

const ORG = DEFAULT_VENTUS_USER.organizations[0]!;
const USER = { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password };
const ADMIN = { authorization: `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}` };
const FUTURE = 4_000_000_000_000;

let emu: RunningEmulator;
let clock: number;
async function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  await emu?.stop();
  emu = await startEmulator({ now: () => clock, ...options });
  return emu;
}
beforeEach(async () => {
  clock = Date.UTC(2026, 5, 1);
  await start();
});
afterEach(async () => {
  await emu.stop();
});

const portal = (method: string, path: string, body?: unknown, headers: Record<string, string> = ADMIN) =>
  call(emu, method, `${P}${path}`, { headers, body });
const setBehavior = async (patch: unknown): Promise<Reply> => call(emu, "POST", "/_emulator/behavior", { body: patch });

async function ventusHeaders(): Promise<Record<string, string>> {
  const t = await call(emu, "GET", "/get-tokens", { body: USER });
  expect(t.status).toBe(200);
  return { authorization: `Bearer ${t.json.id_token}`, access: `Bearer ${t.json.access_token}` };
}
const identity = (region: string) => `/v1.0/invoke/gotham-${region}-identity/method`;
const ventusList = async (h: Record<string, string>) =>
  (await call(emu, "GET", `/v1.0/invoke/gotham-enterprises/method/orgs/${ORG}/projects`, { headers: h })).json;

describe("the behavior endpoint", () => {
  it("GET shows the defaults: today's behaviour", async () => {
    const r = await call(emu, "GET", "/_emulator/behavior");
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      organizationPut: "replace",
      rangeOp: "both",
      tokenQuotaCap: null,
      nonJsonBodies: false,
      emptyPutAnswers: false,
      sessionCookie: "APIMANAGERSESSION",
      ventusRegions: { "eastern-switzerland": "Eastern-Switzerland", "upper-austria": "Upper-Austria", vienna: "Vienna" },
      ventusTokenTtlSeconds: 3600,
      listingLagMs: 0,
    });
    expect(emu.behavior()).toEqual(r.json);
    expect(DEFAULT_BEHAVIOR).toEqual(r.json);
  });

  it("options set the start behaviours; POST merges; null restores a default; DELETE restores the start", async () => {
    await start({ tokenTtlSeconds: 60, listingLagMs: 5, behavior: { organizationPut: "merge", tokenQuotaCap: 10 } });
    expect(emu.behavior()).toMatchObject({ organizationPut: "merge", tokenQuotaCap: 10, ventusTokenTtlSeconds: 60, listingLagMs: 5 });
    const merged = await setBehavior({ rangeOp: "gele", nonJsonBodies: true, tokenQuotaCap: null });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ organizationPut: "merge", rangeOp: "gele", nonJsonBodies: true, tokenQuotaCap: null });
    expect((await setBehavior({ organizationPut: null })).json.organizationPut).toBe("replace");
    const reset = await call(emu, "DELETE", "/_emulator/behavior");
    expect(reset.json).toMatchObject({
      organizationPut: "merge",
      rangeOp: "both",
      nonJsonBodies: false,
      tokenQuotaCap: 10,
      listingLagMs: 5,
    });
    emu.setBehavior({ emptyPutAnswers: true });
    expect(emu.resetBehavior().emptyPutAnswers).toBe(false);
    // behavior() is a copy.
    const copy = emu.behavior();
    copy.ventusRegions.mars = "Mars";
    expect(emu.behavior().ventusRegions.mars).toBeUndefined();
  });

  it("rejects unknown keys and values with 400, changing nothing", async () => {
    const bad: unknown[] = [
      { colour: "red" },
      { organizationPut: "patch" },
      { rangeOp: "between" },
      { tokenQuotaCap: -1 },
      { tokenQuotaCap: 1.5 },
      { tokenQuotaCap: "10" },
      { nonJsonBodies: "yes" },
      { emptyPutAnswers: 1 },
      { sessionCookie: "has space" },
      { sessionCookie: "" },
      { ventusRegions: { "Zurich-West": "Zurich-West" } },
      { ventusRegions: { "zurich west": "Zurich West" } },
      { ventusRegions: { "zurich-west": 5 } },
      { ventusRegions: ["vienna"] },
      { ventusTokenTtlSeconds: 0 },
      { listingLagMs: -1 },
      { organizationPut: "merge", rangeOp: "nope" },
      ["organizationPut"],
      "merge",
    ];
    for (const body of bad) {
      const r = await setBehavior(body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
      expect(r.json.errors[0].code).toBe(400);
    }
    expect((await call(emu, "POST", "/_emulator/behavior", { body: "{not json" })).status).toBe(400);
    expect(emu.behavior()).toEqual(DEFAULT_BEHAVIOR);
    expect(() => emu.setBehavior({ rangeOp: "x" } as never)).toThrow(/rangeOp/);
    await expect(startEmulator({ behavior: { sessionCookie: "a;b" } })).rejects.toThrow(/sessionCookie/);
  });

  it("CLI assignments read JSON values, plain words as strings", () => {
    expect(parseBehaviorAssignment("organizationPut=merge")).toEqual({ organizationPut: "merge" });
    expect(parseBehaviorAssignment("tokenQuotaCap=10")).toEqual({ tokenQuotaCap: 10 });
    expect(parseBehaviorAssignment("nonJsonBodies=true")).toEqual({ nonJsonBodies: true });
    expect(parseBehaviorAssignment("tokenQuotaCap=null")).toEqual({ tokenQuotaCap: null });
    expect(parseBehaviorAssignment('ventusRegions={"zurich-west":"Zurich-West"}')).toEqual({
      ventusRegions: { "zurich-west": "Zurich-West" },
    });
    expect(() => parseBehaviorAssignment("merge")).toThrow(/key=value/);
  });
});

describe("organizationPut", () => {
  const FULL = {
    name: "Full",
    description: "d",
    email: "e@x.test",
    phone: "1",
    virtualHost: "v.test",
    enabled: false,
    development: true,
    isTrial: true,
    trialDuration: 30,
    skypeId: "s",
  };

  it("replace (default): fields absent from the body go back to their defaults", async () => {
    const org = (await portal("POST", "/organizations", FULL)).json;
    const put = await portal("PUT", `/organizations/${org.id}`, { name: "Full" });
    expect(put.json).toEqual({
      id: org.id,
      name: "Full",
      image: null,
      restricted: false,
      enabled: true,
      development: false,
      dn: org.dn,
      createdOn: org.createdOn,
      isTrial: false,
    });
  });

  it('merge: absent fields are kept, present ones overwrite, null or "" clears', async () => {
    await setBehavior({ organizationPut: "merge" });
    const org = (await portal("POST", "/organizations", FULL)).json;
    const kept = await portal("PUT", `/organizations/${org.id}`, { name: "Full" });
    expect(kept.status).toBe(200);
    expect(kept.json).toEqual(org);
    // The name may be left out.
    expect((await portal("PUT", `/organizations/${org.id}`, {})).json).toEqual(org);

    const changed = await portal("PUT", `/organizations/${org.id}`, { phone: "2", name: "Merged", development: false });
    expect(changed.json).toEqual({ ...org, phone: "2", name: "Merged", development: false, dn: "o=Merged,ou=organizations,ou=APIPortal" });

    const cleared = await portal("PUT", `/organizations/${org.id}`, {
      description: null,
      email: "",
      trialDuration: null,
      enabled: null,
      isTrial: null,
    });
    expect(cleared.status).toBe(200);
    const { description: _d, email: _e, trialDuration: _t, ...rest } = changed.json;
    expect(cleared.json).toEqual({ ...rest, enabled: true, isTrial: false });
    expect((await portal("GET", `/organizations/${org.id}`)).json).toEqual(cleared.json);

    for (const body of [{ name: null }, { name: "" }, { enabled: "no" }, { trialDuration: -1 }, { email: 5 }]) {
      const r = await portal("PUT", `/organizations/${org.id}`, body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
    }
    expect((await portal("PUT", `/organizations/${org.id}`, { name: "Seeded Partner" })).status).toBe(409);
    expect((await portal("GET", `/organizations/${org.id}`)).json).toEqual(cleared.json);
  });
});

describe("rangeOp", () => {
  const query = (op: string) => portal("GET", `/organizations?field=createdOn&op=${op}&value=0,${FUTURE}`);

  it("both (default) accepts the seed's gete and Swagger's gele", async () => {
    expect((await query("gete")).json).toHaveLength(1);
    expect((await query("gele")).json).toHaveLength(1);
  });

  it.each([
    ["gete", "gele"],
    ["gele", "gete"],
  ])("%s only: %s is an unknown op (400)", async (accepted, refused) => {
    await setBehavior({ rangeOp: accepted });
    expect((await query(accepted)).json.map((o: { name: string }) => o.name)).toEqual(["Seeded Partner"]);
    const r = await query(refused);
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toMatch(new RegExp(`Unknown filter op '${refused}'`));
    const proxies = await portal("GET", `/proxies?field=createdOn&op=${refused}&value=0,${FUTURE}`);
    expect(proxies.status).toBe(400);
  });
});

describe("registration codes", () => {
  let orgId: string;
  beforeEach(async () => {
    orgId = (await portal("POST", "/organizations", { name: "Onboarding" })).json.id;
  });
  const create = async (body: Record<string, unknown>) => {
    const r = await portal("POST", `/organizations/${orgId}/tokens`, body);
    expect(r.status).toBe(201);
    return r.json;
  };
  const register = (token: string, organizationId = orgId) =>
    call(emu, "POST", "/_emulator/portal/register", { body: { organizationId, token } });

  it("tokenQuotaCap: a quota above the cap gets the cap, at create and update (the seed's 15 → 10)", async () => {
    await setBehavior({ tokenQuotaCap: 10 });
    const code = await create({ userQuota: "15", expiry: 1366930800000 });
    expect(code).toMatchObject({ userQuota: 10, maxUsers: 10 });
    expect(await create({ userQuota: 5, expiry: FUTURE })).toMatchObject({ userQuota: 5, maxUsers: 5 });
    const put = await portal("PUT", `/organizations/${orgId}/tokens/${code.token}`, { userQuota: 20 });
    expect(put.json).toMatchObject({ userQuota: 10, maxUsers: 10 });
    await setBehavior({ tokenQuotaCap: null });
    expect(await create({ userQuota: 15, expiry: FUTURE })).toMatchObject({ userQuota: 15, maxUsers: 15 });
  });

  it("userQuota is what remains: each registration takes one; maxUsers stays", async () => {
    const code = await create({ userQuota: 3, expiry: FUTURE });
    const first = await register(code.token);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ ...code, userQuota: 2, maxUsers: 3 });
    expect(emu.registerWithCode(orgId, code.token)).toEqual({ ...code, userQuota: 1, maxUsers: 3 });
    expect((await portal("GET", `/organizations/${orgId}/tokens/${code.token}`)).json).toEqual([{ ...code, userQuota: 1 }]);
    expect((await portal("GET", `/organizations/${orgId}/tokens`)).json).toEqual([{ ...code, userQuota: 1 }]);

    // A new limit: what remains is the limit less the two who joined, never below 0.
    expect((await portal("PUT", `/organizations/${orgId}/tokens/${code.token}`, { userQuota: 5 })).json).toMatchObject({
      maxUsers: 5,
      userQuota: 3,
    });
    expect((await portal("PUT", `/organizations/${orgId}/tokens/${code.token}`, { userQuota: 1 })).json).toMatchObject({
      maxUsers: 1,
      userQuota: 0,
    });
    const full = await register(code.token);
    expect(full.status).toBe(409);
    expect(full.json.errors[0].code).toBe(409);
    expect(() => emu.registerWithCode(orgId, code.token)).toThrow(expect.objectContaining({ status: 409 }));
    expect((await portal("PUT", `/organizations/${orgId}/tokens/${code.token}`, { userQuota: 4 })).json).toMatchObject({
      maxUsers: 4,
      userQuota: 2,
    });
    expect((await register(code.token)).json).toMatchObject({ maxUsers: 4, userQuota: 1 });
  });

  it("a disabled, expired or unknown code is refused", async () => {
    const disabled = await create({ userQuota: 3, expiry: FUTURE, enabled: false });
    expect((await register(disabled.token)).status).toBe(400);
    const expiring = await create({ userQuota: 3, expiry: clock + 1000 });
    expect((await register(expiring.token)).status).toBe(200);
    clock += 1000;
    const expired = await register(expiring.token);
    expect(expired.status).toBe(400);
    expect(expired.json.errors[0].message).toMatch(/expired/);
    expect((await register("000000")).status).toBe(404);
    expect((await register(disabled.token, stableUuid("organization", "Seeded Partner"))).status).toBe(404);
    expect((await call(emu, "POST", "/_emulator/portal/register", { body: { token: 5 } })).status).toBe(400);
    expect((await call(emu, "POST", "/_emulator/portal/register", { body: "{" })).status).toBe(400);
    expect((await call(emu, "GET", "/_emulator/portal/register")).status).toBe(405);
    expect((await call(emu, "POST", "/_emulator/portal/nothing")).status).toBe(404);
    // Refusals change nothing.
    expect((await portal("GET", `/organizations/${orgId}/tokens/${disabled.token}`)).json[0].userQuota).toBe(3);
    expect(emu.stats().total).toBeGreaterThan(0);
    expect(emu.stats().byRoute).not.toHaveProperty("POST /_emulator/portal/register");
  });

  it("uses survive a restart with the data file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-behavior-"));
    try {
      const dataFile = join(dir, "state.json");
      await start({ dataFile });
      orgId = (await portal("POST", "/organizations", { name: "Persisted Codes" })).json.id;
      const code = await create({ userQuota: 3, expiry: FUTURE });
      await register(code.token);
      await register(code.token);
      await start({ dataFile });
      const put = await portal("PUT", `/organizations/${orgId}/tokens/${code.token}`, { userQuota: 10 });
      expect(put.json).toEqual({ ...code, maxUsers: 10, userQuota: 8 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("nonJsonBodies", () => {
  async function fixture() {
    const org = (await portal("POST", "/organizations", { name: "Texts" })).json;
    const grant = (await portal("POST", `/organizations/${org.id}/apis`, { apiId: stableUuid("proxy", "Petstore") })).json;
    const code = (await portal("POST", `/organizations/${org.id}/tokens`, { userQuota: 1, expiry: FUTURE })).json;
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9]);
    const image = () =>
      call(emu, "POST", `${P}/organizations/${org.id}/image`, { headers: { ...ADMIN, "content-type": "image/jpeg" }, body: jpeg });
    const login = () =>
      call(emu, "POST", `${P}/login`, {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "username=apiadmin&password=changeme",
      });
    return { org, grant, code, image, login };
  }

  it("off (default): 204 and 303 without a body, Ventus DELETE 200 empty", async () => {
    const f = await fixture();
    const img = await f.image();
    expect([img.status, img.text]).toEqual([204, ""]);
    const login = await f.login();
    expect([login.status, login.text]).toEqual([303, ""]);
    for (const path of [
      `/organizations/${f.org.id}/tokens/${f.code.token}`,
      `/organizations/${f.org.id}/apis/${f.grant.id}`,
      `/organizations/${f.org.id}`,
    ]) {
      const r = await portal("DELETE", path);
      expect([r.status, r.text]).toEqual([204, ""]);
    }
    const h = await ventusHeaders();
    const { id } = (await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/P`, { headers: h })).json;
    const del = await call(emu, "DELETE", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h });
    expect([del.status, del.text]).toEqual([200, ""]);
  });

  it("on: text where the documents show no JSON body; HTML in the login redirect", async () => {
    await setBehavior({ nonJsonBodies: true });
    const f = await fixture();
    const img = await f.image();
    expect([img.status, img.headers.get("content-type"), img.text]).toEqual([200, "text/plain; charset=utf-8", "OK"]);
    expect((await portal("GET", `/organizations/${f.org.id}`)).json.image).toMatch(/\/image$/);

    const login = await f.login();
    expect(login.status).toBe(303);
    expect(login.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(login.text).toMatch(/^<html>.*See Other.*<\/html>$/s);
    expect(login.headers.get("location")).toBe("/home");
    expect(String(login.headers.get("set-cookie"))).toMatch(/^APIMANAGERSESSION=/);

    const deletes: Array<[string, string]> = [
      [`/organizations/${f.org.id}/tokens/${f.code.token}`, "Registration code deleted"],
      [`/organizations/${f.org.id}/apis/${f.grant.id}`, "API access deleted"],
      [`/organizations/${f.org.id}`, "Organization deleted"],
    ];
    for (const [path, text] of deletes) {
      const r = await portal("DELETE", path);
      expect([r.status, r.headers.get("content-type"), r.text]).toEqual([200, "text/plain; charset=utf-8", text]);
    }
    expect((await portal("GET", `/organizations/${f.org.id}`)).status).toBe(404);

    const h = await ventusHeaders();
    const { id } = (await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/P`, { headers: h })).json;
    const del = await call(emu, "DELETE", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h });
    expect([del.status, del.headers.get("content-type"), del.text]).toEqual([200, "text/plain; charset=utf-8", "Project deleted"]);
    expect(await ventusList(h)).toEqual([]);
    // Errors stay JSON.
    expect((await portal("DELETE", `/organizations/${f.org.id}`)).json.errors[0].code).toBe(102);
  });
});

describe("emptyPutAnswers", () => {
  it("portal PUTs answer 204 without a body; the change is applied", async () => {
    await setBehavior({ emptyPutAnswers: true });
    const org = (await portal("POST", "/organizations", { name: "Quiet" })).json;
    const grant = (await portal("POST", `/organizations/${org.id}/apis`, { apiId: stableUuid("proxy", "Weather") })).json;
    const code = (await portal("POST", `/organizations/${org.id}/tokens`, { userQuota: 1, expiry: FUTURE })).json;
    const puts: Array<[string, unknown]> = [
      [`/organizations/${org.id}`, { name: "Quiet 2" }],
      [`/organizations/${org.id}/apis/${grant.id}`, { enabled: false }],
      [`/organizations/${org.id}/tokens/${code.token}`, { userQuota: 7 }],
    ];
    for (const [path, body] of puts) {
      const r = await portal("PUT", path, body);
      expect([r.status, r.text]).toEqual([204, ""]);
    }
    expect((await portal("GET", `/organizations/${org.id}`)).json.name).toBe("Quiet 2");
    expect((await portal("GET", `/organizations/${org.id}/apis`)).json[0].enabled).toBe(false);
    expect((await portal("GET", `/organizations/${org.id}/tokens/${code.token}`)).json[0].maxUsers).toBe(7);
    // Errors still answer.
    expect((await portal("PUT", `/organizations/${org.id}`, { name: "" })).status).toBe(400);
    await setBehavior({ emptyPutAnswers: false });
    expect((await portal("PUT", `/organizations/${org.id}`, { name: "Loud" })).json.name).toBe("Loud");
  });
});

describe("sessionCookie", () => {
  it("login sets the configured cookie, which alone opens the session", async () => {
    await setBehavior({ sessionCookie: "JSESSIONID" });
    const login = await call(emu, "POST", `${P}/login`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "username=apiadmin&password=changeme",
    });
    expect(login.status).toBe(303);
    const setCookie = String(login.headers.get("set-cookie"));
    expect(setCookie).toMatch(/^JSESSIONID=[^;]+; Path=\/; HttpOnly$/);
    const cookie = setCookie.split(";")[0];
    const me = await call(emu, "GET", `${P}/currentuser`, { headers: { cookie } });
    expect(me.status).toBe(200);
    const csrf = String(me.headers.get("csrf-token"));
    expect(csrf).toMatch(/^[0-9a-f]{48}$/);
    const value = cookie.split("=")[1];
    expect((await call(emu, "GET", `${P}/currentuser`, { headers: { cookie: `APIMANAGERSESSION=${value}` } })).status).toBe(401);
    const created = await call(emu, "POST", `${P}/organizations`, {
      headers: { cookie, "CSRF-Token": csrf, "content-type": "application/json" },
      body: { name: "Via JSESSIONID" },
    });
    expect(created.status).toBe(201);
    const logout = await call(emu, "DELETE", `${P}/login`, { headers: { cookie, "CSRF-Token": csrf } });
    expect(logout.status).toBe(204);
    expect(String(logout.headers.get("set-cookie"))).toMatch(/^JSESSIONID=; .*Max-Age=0/);
  });
});

describe("ventusRegions", () => {
  it("a region added at runtime is served and listed with its display name; removing one stops it", async () => {
    const h = await ventusHeaders();
    expect((await call(emu, "POST", `${identity("zurich-west")}/${ORG}/projects/Z`, { headers: h })).status).toBe(404);
    const set = await setBehavior({ ventusRegions: { "zurich-west": "Zurich-West" } });
    expect(Object.keys(set.json.ventusRegions)).toEqual(["eastern-switzerland", "upper-austria", "vienna", "zurich-west"]);
    const created = await call(emu, "POST", `${identity("zurich-west")}/${ORG}/projects/Z`, { headers: h });
    expect(created.status).toBe(200);
    expect((await call(emu, "GET", `${identity("zurich-west")}/projects/${created.json.id}`, { headers: h })).json.name).toBe("Z");
    expect(await ventusList(h)).toEqual([{ id: created.json.id, name: "Z", region: "Zurich-West" }]);
    // Still lower case only in paths.
    expect((await call(emu, "POST", `${identity("Zurich-West")}/${ORG}/projects/Z`, { headers: h })).status).toBe(404);

    await setBehavior({ ventusRegions: { vienna: null } });
    expect((await call(emu, "POST", `${identity("vienna")}/${ORG}/projects/V`, { headers: h })).status).toBe(404);
    await setBehavior({ ventusRegions: null });
    expect(Object.keys(emu.behavior().ventusRegions)).toEqual(["eastern-switzerland", "upper-austria", "vienna"]);
    // A project of a region no longer served keeps its path form in the listing.
    expect(await ventusList(h)).toEqual([{ id: created.json.id, name: "Z", region: "zurich-west" }]);
  });

  it("a region given at start, and its projects kept across a restart without it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "emu-regions-"));
    try {
      const dataFile = join(dir, "state.json");
      await start({ dataFile, behavior: { ventusRegions: { "geneva-1": "Geneva-1" } } });
      let h = await ventusHeaders();
      const { id } = (await call(emu, "POST", `${identity("geneva-1")}/${ORG}/projects/G`, { headers: h })).json;
      expect(await ventusList(h)).toEqual([{ id, name: "G", region: "Geneva-1" }]);
      await start({ dataFile });
      h = await ventusHeaders();
      expect(await ventusList(h)).toEqual([{ id, name: "G", region: "geneva-1" }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ventusTokenTtlSeconds", () => {
  it("a 2 s lifetime set at runtime: tokens live at least 2 s, not more than 3", async () => {
    const before = await ventusHeaders(); // issued with the default hour
    await setBehavior({ ventusTokenTtlSeconds: 2 });
    clock = Date.UTC(2026, 5, 1) + 999; // late in a second: a floor-based expiry would cut the life to 1 s
    const h = await ventusHeaders();
    clock += 2000;
    expect((await call(emu, "GET", `/v1.0/invoke/gotham-bank/method/prices`, { headers: h })).status).toBe(200);
    clock += 1; // expiry is X+3 s: 2001 ms after issue
    const expired = await call(emu, "GET", `/v1.0/invoke/gotham-bank/method/prices`, { headers: h });
    expect(expired.status).toBe(401);
    expect(expired.json.errors[0].message).toMatch(/expired/);
    // Tokens issued before the change keep their own lifetime.
    expect((await call(emu, "GET", `/v1.0/invoke/gotham-bank/method/prices`, { headers: before })).status).toBe(200);
    // And with the real clock.
    await start({ now: Date.now, behavior: { ventusTokenTtlSeconds: 2 } });
    const t0 = Date.now();
    const t = (await call(emu, "GET", "/get-tokens", { body: USER })).json;
    const payload = JSON.parse(Buffer.from(t.access_token.split(".")[1], "base64url").toString("utf8"));
    expect(payload.exp * 1000).toBeGreaterThanOrEqual(t0 + 2000);
    expect(payload.exp - payload.iat).toBeLessThanOrEqual(3);
    const real = { authorization: `Bearer ${t.id_token}`, access: `Bearer ${t.access_token}` };
    expect((await call(emu, "GET", `/v1.0/invoke/gotham-bank/method/prices`, { headers: real })).status).toBe(200);
  });
});
