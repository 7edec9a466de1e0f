// Organizations (organizations.ts): create, read, update, delete and its cascade.
import { stableUuid, type PortalSnapshot } from "../../../../emulator/portal";
import { createOrg, harness, jpeg, NOT_FOUND, ORGADMIN, P, seededOrgId, UUID, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: organizations CRUD", () => {
  test("create sets server fields and defaults; GET reads it back", async () => {
    const h = await harness();
    h.clock.t = 1_710_000_000_123;
    const r = await h.call("POST", `${P}/organizations`, {
      body: {
        name: "Acme Corporation",
        description: "Road runner supplies",
        email: "support@acmecorp.com",
        phone: "+1 877",
        id: "forged",
        createdOn: 1,
        dn: "x",
        image: "y",
        custom: 1,
      },
    });
    expect(r.status).toBe(201);
    expect(r.headers.get("location")).toBe(`${P}/organizations/${r.json.id}`);
    expect(r.json).toEqual({
      id: expect.stringMatching(UUID),
      name: "Acme Corporation",
      description: "Road runner supplies",
      email: "support@acmecorp.com",
      phone: "+1 877",
      image: null,
      restricted: false,
      enabled: true,
      development: false,
      dn: "o=Acme Corporation,ou=organizations,ou=APIPortal",
      createdOn: 1_710_000_000_123,
      isTrial: false,
    });
    expect(r.json.id).not.toBe("forged");
    expect(h.changes.n).toBe(1);
    const got = await h.call("GET", `${P}/organizations/${r.json.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(r.json);
    expect(h.changes.n).toBe(1);
  });

  test("create keeps given flags and trial fields", async () => {
    const h = await harness();
    const org = await createOrg(h, {
      name: "Trial Co",
      enabled: false,
      development: true,
      restricted: true,
      isTrial: true,
      trialDuration: "30",
      startTrialDate: 1_700_000_000_000,
      endTrialDate: 1_702_592_000_000,
      virtualHost: "trial.example",
      skypeId: "trial_co",
    });
    expect(org).toMatchObject({
      enabled: false,
      development: true,
      restricted: true,
      isTrial: true,
      trialDuration: 30,
      startTrialDate: 1_700_000_000_000,
      endTrialDate: 1_702_592_000_000,
      virtualHost: "trial.example",
      skypeId: "trial_co",
    });
  });

  test("create validation: name required, types checked, JSON parsed → 400", async () => {
    const h = await harness();
    for (const body of [
      {},
      { name: "" },
      { name: "   " },
      { name: 5 },
      { name: "X", enabled: "yes" },
      { name: "X", trialDuration: "ten" },
      { name: "X", email: 3 },
      ["name"],
    ]) {
      const r = await h.call("POST", `${P}/organizations`, { body });
      expect(r.status).toBe(400);
      expect(r.json.errors[0].code).toBe(400);
    }
    const bad = await h.call("POST", `${P}/organizations`, { body: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toMatch(/JSON/);
    const empty = await h.call("POST", `${P}/organizations`);
    expect(empty.status).toBe(400);
    expect(h.changes.n).toBe(0);
  });

  test("duplicate name → 409 resource already exists (create and rename)", async () => {
    const h = await harness();
    await createOrg(h, { name: "Dup" });
    const other = await createOrg(h, { name: "Other" });
    const r = await h.call("POST", `${P}/organizations`, { body: { name: "Dup" } });
    expect(r.status).toBe(409);
    expect(r.json).toEqual({ errors: [{ code: 409, message: "resource already exists" }] });
    const clash = await h.call("PUT", `${P}/organizations/${other.id}`, { body: { name: "Seeded Partner" } });
    expect(clash.status).toBe(409);
    expect(clash.json).toEqual({ errors: [{ code: 409, message: "resource already exists" }] });
  });

  test("PUT replaces writable fields, keeps id/createdOn/image, dn follows the name", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Before", description: "d", email: "a@b.c", phone: "1", enabled: false });
    h.clock.t += 5000;
    const put = await h.call("PUT", `${P}/organizations/${org.id}`, {
      body: {
        ...org,
        id: "other",
        createdOn: 5,
        dn: "forged",
        image: "forged",
        name: "After",
        email: "new@b.c",
        phone: undefined,
        description: null,
      },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({
      id: org.id,
      name: "After",
      email: "new@b.c",
      image: null,
      restricted: false,
      enabled: false,
      development: false,
      dn: "o=After,ou=organizations,ou=APIPortal",
      createdOn: org.createdOn,
      isTrial: false,
    });
    // Full replace: what the body leaves out goes back to its default.
    const reset = await h.call("PUT", `${P}/organizations/${org.id}`, { body: { name: "After" } });
    expect(reset.json.enabled).toBe(true);
    expect(reset.json.email).toBeUndefined();
    // Keeping its own name is not a conflict.
    expect((await h.call("PUT", `${P}/organizations/${org.id}`, { body: { name: "After" } })).status).toBe(200);
    expect((await h.call("PUT", `${P}/organizations/${org.id}`, { body: { description: "no name" } })).status).toBe(400);
  });

  test("GET/PUT/DELETE of an unknown organization → 404 code 102", async () => {
    const h = await harness();
    for (const [method, body] of [["GET"], ["PUT", { name: "x" }], ["DELETE"]] as const) {
      const r = await h.call(method, `${P}/organizations/00000000-0000-0000-0000-000000000000`, { body });
      expect(r.status).toBe(404);
      expect(r.json).toEqual(NOT_FOUND);
    }
  });

  test("DELETE → 204, then the organization is gone; the list follows", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Short Lived" });
    expect((await h.call("GET", `${P}/organizations`)).json).toHaveLength(2);
    const del = await h.call("DELETE", `${P}/organizations/${org.id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await h.call("GET", `${P}/organizations/${org.id}`)).status).toBe(404);
    expect((await h.call("DELETE", `${P}/organizations/${org.id}`)).status).toBe(404);
    const names = (await h.call("GET", `${P}/organizations/`)).json.map((o: { name: string }) => o.name);
    expect(names).toEqual(["Seeded Partner"]);
  });

  test("DELETE cascades to API access, registration codes, image and users", async () => {
    const h = await harness();
    const orgId = seededOrgId();
    const apiId = stableUuid("proxy", "Weather");
    expect((await h.call("POST", `${P}/organizations/${orgId}/apis`, { body: { apiId } })).status).toBe(201);
    expect((await h.call("POST", `${P}/organizations/${orgId}/tokens`, { body: { userQuota: 3, expiry: 1 } })).status).toBe(201);
    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(jpeg())], { type: "image/jpeg" }), "logo.jpg");
    expect((await h.call("POST", `${P}/organizations/${orgId}/image`, { body: fd })).status).toBe(204);
    const other = await createOrg(h, { name: "Survivor" });
    expect((await h.call("POST", `${P}/organizations/${other.id}/apis`, { body: { apiId } })).status).toBe(201);
    expect((await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).status).toBe(200);

    expect((await h.call("DELETE", `${P}/organizations/${orgId}`)).status).toBe(204);
    const state = h.service.snapshot() as PortalSnapshot;
    expect(state.organizations.map((o) => o.name)).toEqual(["Survivor"]);
    expect(state.grants.map((g) => g.organizationId)).toEqual([other.id]);
    expect(state.tokens).toEqual([]);
    expect(state.images).toEqual({});
    expect(state.users.map((u) => u.loginName)).toEqual(["apiadmin"]);
    expect((await h.call("GET", `${P}/currentuser`, { auth: ORGADMIN })).status).toBe(401);
    expect((await h.call("GET", `${P}/organizations?field=apiid&op=eq&value=${apiId}`)).json.map((o: { id: string }) => o.id)).toEqual([
      other.id,
    ]);
  });
});
