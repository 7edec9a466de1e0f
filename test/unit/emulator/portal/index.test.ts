// The portal service inside the real emulator core (emulator/server.ts): loaded by the core,
// routed and counted by its templates, persisted to the data file and read back on restart;
// and its answers checked against Axway's Swagger definitions.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startEmulator, type RunningEmulator } from "../../../../emulator/server";
import { stableUuid } from "../../../../emulator/portal";
import { ADMIN, closeServed, harness, jpeg, ORGADMIN, P, swaggerProblems } from "./harness";

let dir: string;
const running: RunningEmulator[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "portal-core-"));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(dataFile: string): Promise<RunningEmulator> {
  const emulator = await startEmulator({ dataFile, portal: { maxImageBytes: 4096 } });
  running.push(emulator);
  return emulator;
}

test("served by the core: stats by route template, options passed, state survives a restart", async () => {
  const dataFile = path.join(dir, "state.json");
  const first = await start(dataFile);
  expect(first.services).toContain("portal");
  expect(first.describe()).toContain("portal API admin: apiadmin / changeme");

  const created = await fetch(`${first.axwayUrl}${P}/organizations`, {
    method: "POST",
    headers: { authorization: ADMIN, "content-type": "application/json" },
    body: JSON.stringify({ name: "Persisted Through Core" }),
  });
  expect(created.status).toBe(201);
  const org = (await created.json()) as { id: string };
  const picture = Buffer.alloc(512, 7);
  picture.set([0xff, 0xd8, 0xff], 0);
  const fd = new FormData();
  fd.set("file", new Blob([new Uint8Array(picture)]), "a.jpg");
  const image = await fetch(`${first.axwayUrl}${P}/organizations/${org.id}/image/`, {
    method: "POST",
    headers: { authorization: ADMIN },
    body: fd,
  });
  expect(image.status).toBe(204);
  const tooBig = new FormData();
  tooBig.set("file", new Blob([new Uint8Array(Buffer.concat([picture, Buffer.alloc(4096)]))]), "b.jpg");
  expect(
    (
      await fetch(`${first.axwayUrl}${P}/organizations/${org.id}/image`, {
        method: "POST",
        headers: { authorization: ADMIN },
        body: tooBig,
      })
    ).status,
  ).toBe(413);

  const stats = first.stats();
  expect(stats.byRoute[`POST ${P}/organizations`]).toBe(1);
  expect(stats.byRoute[`POST ${P}/organizations/{id}/image`]).toBe(2);
  const saved = JSON.parse(readFileSync(dataFile, "utf8")) as { services: { portal: { organizations: Array<{ name: string }> } } };
  expect(saved.services.portal.organizations.map((o) => o.name)).toEqual(["Seeded Partner", "Persisted Through Core"]);
  await first.stop();

  const second = await start(dataFile);
  const got = await fetch(`${second.axwayUrl}${P}/organizations/${org.id}/image`, { headers: { authorization: ADMIN } });
  expect(got.status).toBe(200);
  expect(got.headers.get("content-type")).toBe("image/jpeg");
  expect(Buffer.from(await got.arrayBuffer()).equals(picture)).toBe(true);
  const proxies = (await (
    await fetch(`${second.axwayUrl}${P}/proxies?field=name&op=eq&value=Petstore`, { headers: { authorization: ADMIN } })
  ).json()) as Array<{ id: string }>;
  expect(proxies.map((p) => p.id)).toEqual([stableUuid("proxy", "Petstore")]);
  const unauth = await fetch(`${second.axwayUrl}${P}/organizations`);
  expect(unauth.status).toBe(401);
  expect(unauth.headers.get("www-authenticate")).toBe('Basic realm="API Manager"');
});

describe("Swagger conformance", () => {
  afterEach(closeServed);
  test("the checker itself catches wrong types, missing required and unknown properties", () => {
    expect(swaggerProblems("Organization", { name: "x" })).toEqual([]);
    expect(swaggerProblems("Organization", { name: 1 })).toEqual(["Organization.name: expected string, got number"]);
    expect(swaggerProblems("Organization", {})).toEqual(["Organization.name: required property missing"]);
    expect(swaggerProblems("Organization", { name: "x", skypeId: "s" })).toEqual(["Organization.skypeId: not in the definition"]);
    expect(swaggerProblems("Organization", { name: "x", skypeId: "s" }, ["skypeId"])).toEqual([]);
    expect(swaggerProblems("Organization", { name: "x", createdOn: 1.5 })).toEqual(["Organization.createdOn: expected integer"]);
    expect(swaggerProblems("RegistrationToken", { userQuota: 2 ** 31 })).toEqual(["RegistrationToken.userQuota: outside int32"]);
    expect(swaggerProblems("VirtualizedAPI", { id: "x" }).length).toBeGreaterThan(20);
  });

  test("Organization, APIAccess, RegistrationToken, VirtualizedAPI and User answers match their definitions", async () => {
    const h = await harness();
    const bodies: Array<[string, unknown]> = [];
    const org = await h.call("POST", `${P}/organizations`, {
      body: {
        name: "Conformant",
        description: "d",
        email: "e@x",
        phone: "1",
        virtualHost: "v.example",
        isTrial: true,
        trialDuration: 30,
        startTrialDate: 1,
        endTrialDate: 2,
        skypeId: "sk",
      },
    });
    bodies.push(["Organization", org.json]);
    const id = org.json.id;
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(jpeg())]), "c.jpg");
    await h.call("POST", `${P}/organizations/${id}/image`, { body: fd });
    const put = await h.call("PUT", `${P}/organizations/${id}`, { body: { name: "Conformant 2", enabled: false } });
    bodies.push(["Organization", put.json], ["Organization", (await h.call("GET", `${P}/organizations/${id}`)).json]);
    for (const o of (await h.call("GET", `${P}/organizations`)).json) bodies.push(["Organization", o]);

    const grant = await h.call("POST", `${P}/organizations/${id}/apis`, { body: { apiId: stableUuid("proxy", "Petstore") } });
    bodies.push(["APIAccess", grant.json]);
    bodies.push(["APIAccess", (await h.call("PUT", `${P}/organizations/${id}/apis/${grant.json.id}`, { body: { enabled: false } })).json]);
    for (const g of (await h.call("GET", `${P}/organizations/${id}/apis`)).json) bodies.push(["APIAccess", g]);

    const token = await h.call("POST", `${P}/organizations/${id}/tokens`, { body: { userQuota: "15", expiry: 1366930800000 } });
    bodies.push(["RegistrationToken", token.json]);
    bodies.push([
      "RegistrationToken",
      (await h.call("PUT", `${P}/organizations/${id}/tokens/${token.json.token}`, { body: { userQuota: 3 } })).json,
    ]);
    for (const t of (await h.call("GET", `${P}/organizations/${id}/tokens`)).json) bodies.push(["RegistrationToken", t]);
    for (const t of (await h.call("GET", `${P}/organizations/${id}/tokens/${token.json.token}`)).json)
      bodies.push(["RegistrationToken", t]);

    const proxies = (await h.call("GET", `${P}/proxies`)).json;
    expect(proxies.length).toBeGreaterThanOrEqual(4);
    for (const p of proxies) bodies.push(["VirtualizedAPI", p]);

    bodies.push(["User", (await h.call("GET", `${P}/currentuser`)).json]);
    bodies.push(["User", (await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).json]);

    const problems = bodies.flatMap(([name, body]) => swaggerProblems(name, body, name === "Organization" ? ["skypeId"] : []));
    expect(problems).toEqual([]);
    expect(bodies.length).toBeGreaterThan(15);
  });
});
