// Registration codes (codes.ts): create, list, get, update, delete, validation.
import { stableUuid } from "../../../../emulator/portal";
import { createOrg, harness, NOT_FOUND, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: registration codes", () => {
  test("create (string quota), list, get array of one, update, delete", async () => {
    const h = await harness();
    h.clock.t = 1_730_000_000_000;
    const org = await createOrg(h, { name: "Onboarding" });
    const created = await h.call("POST", `${P}/organizations/${org.id}/tokens`, { body: { userQuota: "15", expiry: 1366930800000 } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      token: expect.stringMatching(/^[1-9]\d{5}$/),
      organizationId: org.id,
      expiry: 1366930800000,
      createdOn: 1_730_000_000_000,
      createdBy: stableUuid("user", "apiadmin"),
      userQuota: 15,
      maxUsers: 15,
      enabled: true,
    });
    const second = await h.call("POST", `${P}/organizations/${org.id}/tokens/`, {
      body: { userQuota: 0, expiry: "1366930800001", enabled: false },
    });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ userQuota: 0, maxUsers: 0, expiry: 1366930800001, enabled: false });
    expect(second.json.token).not.toBe(created.json.token);

    const list = await h.call("GET", `${P}/organizations/${org.id}/tokens/`);
    expect(list.status).toBe(200);
    expect(list.json).toEqual([created.json, second.json]);
    expect((await h.call("GET", `${P}/organizations/${org.id}/tokens`)).json).toEqual(list.json);

    const one = await h.call("GET", `${P}/organizations/${org.id}/tokens/${created.json.token}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual([created.json]);

    const put = await h.call("PUT", `${P}/organizations/${org.id}/tokens/${created.json.token}`, {
      body: { userQuota: "20", expiry: 1400000000000, enabled: false },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...created.json, userQuota: 20, maxUsers: 20, expiry: 1400000000000, enabled: false });
    const partial = await h.call("PUT", `${P}/organizations/${org.id}/tokens/${created.json.token}`, { body: { enabled: true } });
    expect(partial.json).toEqual({ ...put.json, enabled: true });

    expect((await h.call("DELETE", `${P}/organizations/${org.id}/tokens/${created.json.token}`)).status).toBe(204);
    for (const method of ["GET", "PUT", "DELETE"]) {
      const gone = await h.call(method, `${P}/organizations/${org.id}/tokens/${created.json.token}`, {
        body: method === "PUT" ? { userQuota: 1 } : undefined,
      });
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual(NOT_FOUND);
    }
    expect((await h.call("GET", `${P}/organizations/${org.id}/tokens`)).json).toEqual([second.json]);
  });

  test("validation: negative or non-numeric quota, missing fields → 400; another org's code → 404", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Onboarding" });
    const url = `${P}/organizations/${org.id}/tokens`;
    for (const body of [
      { userQuota: -1, expiry: 1 },
      { userQuota: "-3", expiry: 1 },
      { userQuota: "lots", expiry: 1 },
      { userQuota: 1.5, expiry: 1 },
      { expiry: 1 },
      { userQuota: 1 },
      { userQuota: 1, expiry: 1, enabled: "y" },
    ]) {
      const r = await h.call("POST", url, { body });
      expect(r.status).toBe(400);
      expect(r.json.errors[0].code).toBe(400);
    }
    const token = (await h.call("POST", url, { body: { userQuota: 2, expiry: 1 } })).json.token;
    expect((await h.call("PUT", `${url}/${token}`, { body: { userQuota: -2 } })).status).toBe(400);
    expect((await h.call("GET", `${P}/organizations/${seededOrgId()}/tokens/${token}`)).status).toBe(404);
    expect((await h.call("GET", `${P}/organizations/missing/tokens`)).json).toEqual(NOT_FOUND);
  });
});
