// Persistence (snapshot.ts): snapshot and restore, and ctx.changed() after each change.
import { stableUuid, type PortalSnapshot } from "../../../../emulator/portal";
import { createOrg, harness, jpeg, ORGADMIN, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: persistence", () => {
  test("snapshot → JSON → restore reproduces every answer", async () => {
    const h = await harness({ apis: [{ name: "Only API", version: "9" }] });
    const org = await createOrg(h, { name: "Persisted", description: "kept", isTrial: true, trialDuration: 7 });
    const grant = (
      await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: stableUuid("proxy", "Only API"), enabled: false } })
    ).json;
    const token = (await h.call("POST", `${P}/organizations/${org.id}/tokens`, { body: { userQuota: 4, expiry: 99 } })).json;
    const picture = jpeg(300, 0x99);
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(picture)]), "p.jpg");
    await h.call("POST", `${P}/organizations/${org.id}/image`, { body: fd });
    await h.call("DELETE", `${P}/organizations/${seededOrgId()}`); // the seeded organization stays deleted

    const saved = JSON.parse(JSON.stringify(h.service.snapshot())) as PortalSnapshot;
    expect(saved.images[org.id as string]).toBe(picture.toString("base64"));

    // A fresh service with different defaults takes the saved state as a whole.
    const h2 = await harness();
    h2.service.restore(saved);
    expect(h2.service.snapshot()).toEqual(saved);
    expect((await h2.call("GET", `${P}/organizations`)).json).toEqual((await h.call("GET", `${P}/organizations`)).json);
    expect((await h2.call("GET", `${P}/organizations/${org.id}/apis`)).json).toEqual([grant]);
    expect((await h2.call("GET", `${P}/organizations/${org.id}/tokens/${token.token}`)).json).toEqual([token]);
    expect((await h2.call("GET", `${P}/organizations/${org.id}/image`)).bytes.equals(picture)).toBe(true);
    expect((await h2.call("GET", `${P}/proxies`)).json).toEqual((await h.call("GET", `${P}/proxies`)).json);
    expect((await h2.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).status).toBe(401); // deleted with its organization
    expect(h2.service.describe()).toEqual([
      "portal API admin: apiadmin / changeme",
      'portal frontend API "Only API": ' + stableUuid("proxy", "Only API"),
    ]);

    // Names stay unique and codes stay known after a restore.
    expect((await h2.call("POST", `${P}/organizations`, { body: { name: "Persisted" } })).status).toBe(409);
    expect((await h2.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: grant.apiId } })).status).toBe(409);
  });

  test("restore drops sessions; undefined is a no-op; garbage throws", async () => {
    const h = await harness();
    const login = await h.call("POST", `${P}/login`, {
      auth: "",
      body: new URLSearchParams({ username: "apiadmin", password: "changeme" }),
    });
    const cookie = login.headers.getSetCookie()[0].split(";")[0];
    expect((await h.call("GET", `${P}/currentuser`, { headers: { cookie } })).status).toBe(200);
    const before = h.service.snapshot();
    h.service.restore(undefined);
    expect(h.service.snapshot()).toEqual(before);
    h.service.restore(JSON.parse(JSON.stringify(before)));
    expect((await h.call("GET", `${P}/currentuser`, { headers: { cookie } })).status).toBe(401);
    expect(() => h.service.restore({ version: 1 })).toThrow(/portal snapshot is invalid at organizations/);
    expect(() => h.service.restore("nope")).toThrow(/portal snapshot is invalid/);
    expect(h.service.snapshot()).toEqual(before);
  });

  test("ctx.changed() after every change, never after reads or refused calls", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Counted" });
    const id = org.id as string;
    const steps: Array<[string, string, unknown, number]> = [
      ["GET", `${P}/organizations`, undefined, 0],
      ["PUT", `${P}/organizations/${id}`, { name: "Counted 2" }, 1],
      ["POST", `${P}/organizations/${id}/apis`, { apiId: stableUuid("proxy", "Petstore") }, 1],
      ["POST", `${P}/organizations/${id}/tokens`, { userQuota: 1, expiry: 1 }, 1],
      ["POST", `${P}/organizations`, { name: "Counted 2" }, 0],
      ["DELETE", `${P}/organizations/${id}`, undefined, 1],
    ];
    for (const [method, path, body, delta] of steps) {
      const before = h.changes.n;
      await h.call(method, path, { body });
      expect({ method, path, delta: h.changes.n - before }).toEqual({ method, path, delta });
    }
  });
});
