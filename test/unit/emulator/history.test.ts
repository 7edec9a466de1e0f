// Listing lag (eventual consistency of listings) over real HTTP with an injected clock: every
// listing answers from the state of `listingLagMs` ago, reads by id and writes are current.
import { call } from "./harness";
import { startEmulator, VersionedMap, type RunningEmulator } from "../../../emulator";
import { PORTAL_BASE as P, stableUuid } from "../../../emulator/portal";
import { DEFAULT_VENTUS_USER } from "../../../emulator/ventus";

const ORG = DEFAULT_VENTUS_USER.organizations[0]!;
const USER = { username: DEFAULT_VENTUS_USER.username, password: DEFAULT_VENTUS_USER.password };
const ADMIN = { authorization: `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}` };
const LAG = 1000;

describe("VersionedMap", () => {
  it("answers current reads, and listings as of lag ago", () => {
    let now = 10_000;
    const map = new VersionedMap<string, { v: number }>(
      () => now,
      () => LAG,
    );
    map.seed("old", { v: 0 });
    map.set("a", { v: 1 });
    expect(map.get("a")).toEqual({ v: 1 });
    expect(map.values()).toEqual([{ v: 0 }, { v: 1 }]);
    expect(map.listing()).toEqual([{ v: 0 }]); // seeded state is old; "a" is too new
    now += 500;
    map.set("a", { v: 2 });
    map.delete("old");
    expect(map.get("old")).toBeUndefined();
    expect(map.has("old")).toBe(false);
    expect(map.entries()).toEqual([["a", { v: 2 }]]);
    now += 500; // "a" v1 is now LAG old
    expect(map.listing()).toEqual([{ v: 0 }, { v: 1 }]);
    now += 499;
    expect(map.listing()).toEqual([{ v: 0 }, { v: 1 }]);
    now += 1;
    expect(map.listing()).toEqual([{ v: 2 }]);
    expect(map.delete("old")).toBe(false);
  });

  it("forgets versions no listing can see any more", () => {
    let now = 0;
    const map = new VersionedMap<string, number>(
      () => now,
      () => LAG,
    );
    map.set("k", 1);
    now = 5000;
    map.set("k", 2);
    // v1 is still the newest version at or before now - LAG: kept.
    expect(map.valuesAsOf(0)).toEqual([1]);
    now = 7000;
    map.set("other", 0); // any write prunes
    // v1 is gone: v2, the oldest version remembered, now stands for all earlier times.
    expect(map.valuesAsOf(0)).toEqual([2]);
    expect(map.valuesAsOf(5000)).toEqual([2]); // "other" came later
    now = 9000;
    map.delete("k");
    expect(map.valuesAsOf(8000)).toEqual([2, 0]);
    now = 10_000;
    map.set("other", 1); // the deletion is LAG old: "k" is forgotten
    expect(map.valuesAsOf(-Infinity)).toEqual([0]);
    expect(map.listing()).toEqual([0]);
  });

  it("with no lag, listings are current; a clock stepping back keeps the order of versions", () => {
    let now = 100;
    const map = new VersionedMap<string, number>(
      () => now,
      () => 0,
    );
    map.set("k", 1);
    expect(map.listing()).toEqual([1]);
    now = 50;
    map.set("k", 2);
    expect(map.get("k")).toBe(2);
    expect(map.listing()).toEqual([2]);
    expect(map.valuesAsOf(100)).toEqual([2]);
  });
});

describe("listings lag behind writes", () => {
  let emu: RunningEmulator;
  let clock: number;
  beforeEach(async () => {
    clock = Date.UTC(2026, 2, 1);
    emu = await startEmulator({ now: () => clock, listingLagMs: LAG });
  });
  afterEach(async () => {
    await emu.stop();
  });

  describe("Ventus projects", () => {
    let h: Record<string, string>;
    beforeEach(async () => {
      const t = await call(emu, "GET", "/get-tokens", { body: USER });
      h = { authorization: `Bearer ${t.json.id_token}`, access: `Bearer ${t.json.access_token}` };
    });
    const identity = "/v1.0/invoke/gotham-vienna-identity/method";
    const list = async () =>
      (await call(emu, "GET", `/v1.0/invoke/gotham-enterprises/method/orgs/${ORG}/projects`, { headers: h })).json.map(
        (p: { name: string }) => p.name,
      );
    const get = async (id: string) => call(emu, "GET", `${identity}/projects/${id}`, { headers: h });

    it("create, rename and delete reach the listing only after the lag; reads by id at once", async () => {
      const { id } = (await call(emu, "POST", `${identity}/${ORG}/projects/First`, { headers: h })).json;
      expect(await list()).toEqual([]);
      expect((await get(id)).json).toEqual({ id, name: "First" });
      clock += LAG - 1;
      expect(await list()).toEqual([]);
      clock += 1;
      expect(await list()).toEqual(["First"]);

      expect((await call(emu, "PUT", `${identity}/${ORG}/projects/${id}`, { headers: h, body: { name: "Second" } })).status).toBe(200);
      expect(await list()).toEqual(["First"]);
      expect((await get(id)).json.name).toBe("Second");
      clock += LAG;
      expect(await list()).toEqual(["Second"]);

      expect((await call(emu, "DELETE", `${identity}/${ORG}/projects/${id}`, { headers: h })).status).toBe(200);
      expect(await list()).toEqual(["Second"]);
      expect((await get(id)).status).toBe(404);
      // Writes are current too: the deleted project cannot be renamed or deleted again.
      expect((await call(emu, "DELETE", `${identity}/${ORG}/projects/${id}`, { headers: h })).status).toBe(404);
      clock += LAG;
      expect(await list()).toEqual([]);
    });
  });

  describe("portal", () => {
    const portal = (method: string, path: string, body?: unknown) => call(emu, method, `${P}${path}`, { headers: ADMIN, body });
    const names = async (query = "") => (await portal("GET", `/organizations${query}`)).json.map((o: { name: string }) => o.name);

    it("organizations, filtered or not: create, rename and delete after the lag; GET by id at once", async () => {
      expect(await names()).toEqual(["Seeded Partner"]); // state from the start is not new
      const org = (await portal("POST", "/organizations", { name: "Lagging" })).json;
      expect(await names()).toEqual(["Seeded Partner"]);
      expect(await names("?field=name&op=eq&value=Lagging")).toEqual([]);
      expect((await portal("GET", `/organizations/${org.id}`)).json.name).toBe("Lagging");
      // Writes see the current state: the name is taken already.
      expect((await portal("POST", "/organizations", { name: "Lagging" })).status).toBe(409);
      clock += LAG;
      expect(await names()).toEqual(["Seeded Partner", "Lagging"]);
      expect(await names("?field=name&op=eq&value=Lagging")).toEqual(["Lagging"]);

      expect((await portal("PUT", `/organizations/${org.id}`, { name: "Renamed" })).status).toBe(200);
      expect(await names()).toEqual(["Seeded Partner", "Lagging"]);
      expect(await names("?field=name&op=eq&value=Renamed")).toEqual([]);
      expect(await names("?field=name&op=like&value=Lag")).toEqual(["Lagging"]);
      expect((await portal("GET", `/organizations/${org.id}`)).json.name).toBe("Renamed");
      clock += LAG;
      expect(await names("?field=name&op=eq&value=Renamed")).toEqual(["Renamed"]);

      expect((await portal("DELETE", `/organizations/${org.id}`)).status).toBe(204);
      expect(await names()).toEqual(["Seeded Partner", "Renamed"]);
      expect((await portal("GET", `/organizations/${org.id}`)).status).toBe(404);
      clock += LAG;
      expect(await names()).toEqual(["Seeded Partner"]);
    });

    it("API access: grant, change and revoke reach the listing (and the apiid filter) after the lag", async () => {
      const org = (await portal("POST", "/organizations", { name: "Grantee" })).json;
      const apiId = stableUuid("proxy", "Weather");
      const grants = async () => (await portal("GET", `/organizations/${org.id}/apis`)).json;
      const grant = (await portal("POST", `/organizations/${org.id}/apis`, { apiId })).json;
      expect(grant.enabled).toBe(true);
      expect(await grants()).toEqual([]);
      expect(await names(`?field=apiid&op=eq&value=${apiId}`)).toEqual([]);
      // Granting again is refused at once: writes are current.
      expect((await portal("POST", `/organizations/${org.id}/apis`, { apiId })).status).toBe(409);
      clock += LAG;
      expect(await grants()).toEqual([grant]);
      expect(await names(`?field=apiid&op=eq&value=${apiId}`)).toEqual(["Grantee"]);

      expect((await portal("PUT", `/organizations/${org.id}/apis/${grant.id}`, { enabled: false })).json.enabled).toBe(false);
      expect(await grants()).toEqual([grant]);
      clock += LAG;
      expect(await grants()).toEqual([{ ...grant, enabled: false }]);

      expect((await portal("DELETE", `/organizations/${org.id}/apis/${grant.id}`)).status).toBe(204);
      expect(await grants()).toEqual([{ ...grant, enabled: false }]);
      expect(await names(`?field=apiid&op=eq&value=${apiId}`)).toEqual(["Grantee"]);
      clock += LAG;
      expect(await grants()).toEqual([]);
      expect(await names(`?field=apiid&op=eq&value=${apiId}`)).toEqual([]);
    });

    it("registration codes: create, change and delete reach the listing after the lag; GET by code at once", async () => {
      const org = (await portal("POST", "/organizations", { name: "Onboarding" })).json;
      const listed = async () => (await portal("GET", `/organizations/${org.id}/tokens`)).json;
      const code = (await portal("POST", `/organizations/${org.id}/tokens`, { userQuota: 5, expiry: 4_000_000_000_000 })).json;
      expect(await listed()).toEqual([]);
      expect((await portal("GET", `/organizations/${org.id}/tokens/${code.token}`)).json).toEqual([code]);
      clock += LAG;
      expect(await listed()).toEqual([code]);

      const changed = (await portal("PUT", `/organizations/${org.id}/tokens/${code.token}`, { enabled: false })).json;
      expect(changed.enabled).toBe(false);
      expect(await listed()).toEqual([code]);
      clock += LAG;
      expect(await listed()).toEqual([changed]);

      expect((await portal("DELETE", `/organizations/${org.id}/tokens/${code.token}`)).status).toBe(204);
      expect(await listed()).toEqual([changed]);
      expect((await portal("GET", `/organizations/${org.id}/tokens/${code.token}`)).status).toBe(404);
      clock += LAG;
      expect(await listed()).toEqual([]);
    });
  });

  it("the lag can be changed at runtime; 0 makes listings current", async () => {
    await call(emu, "POST", `${P}/organizations`, { headers: ADMIN, body: { name: "Now" } });
    const listNames = async () =>
      (await call(emu, "GET", `${P}/organizations`, { headers: ADMIN })).json.map((o: { name: string }) => o.name);
    expect(await listNames()).toEqual(["Seeded Partner"]);
    const set = await call(emu, "POST", "/_emulator/behavior", { body: { listingLagMs: 0 } });
    expect(set.json.listingLagMs).toBe(0);
    expect(await listNames()).toEqual(["Seeded Partner", "Now"]);
    emu.setBehavior({ listingLagMs: LAG });
    expect(await listNames()).toEqual(["Seeded Partner"]); // "Now" is younger than the lag again
    await call(emu, "POST", `${P}/organizations`, { headers: ADMIN, body: { name: "Later" } });
    clock += LAG - 1;
    expect(await listNames()).toEqual(["Seeded Partner"]);
    clock += 1;
    expect(await listNames()).toEqual(["Seeded Partner", "Now", "Later"]);
  });

  it("a lag raised at runtime shows the oldest state remembered, not less", async () => {
    emu.setBehavior({ listingLagMs: 0 });
    const org = (await call(emu, "POST", `${P}/organizations`, { headers: ADMIN, body: { name: "Old" } })).json;
    clock += 60_000;
    await call(emu, "PUT", `${P}/organizations/${org.id}`, { headers: ADMIN, body: { name: "Old Renamed" } }); // prunes "Old"
    emu.setBehavior({ listingLagMs: LAG });
    const listNames = async () =>
      (await call(emu, "GET", `${P}/organizations`, { headers: ADMIN })).json.map((o: { name: string }) => o.name);
    expect(await listNames()).toEqual(["Seeded Partner", "Old Renamed"]);
  });
});
