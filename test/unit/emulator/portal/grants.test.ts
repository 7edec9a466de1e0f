// API access (grants.ts): grant, list, update, revoke and their refusals.
import { stableUuid } from "../../../../emulator/portal";
import { createOrg, harness, NOT_FOUND, P, seededOrgId, UUID, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: API access", () => {
  test("grant, list, update enabled only, revoke", async () => {
    const h = await harness();
    h.clock.t = 1_720_000_000_000;
    const org = await createOrg(h, { name: "Consumer" });
    const apiId = stableUuid("proxy", "Payments v2");
    const created = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId } });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.stringMatching(UUID),
      apiId,
      createdBy: stableUuid("user", "apiadmin"),
      state: "approved",
      createdOn: 1_720_000_000_000,
      enabled: true,
    });
    const disabled = await h.call("POST", `${P}/organizations/${org.id}/apis`, {
      body: { apiId: stableUuid("proxy", "Weather"), enabled: false },
    });
    expect(disabled.json.enabled).toBe(false);

    const list = await h.call("GET", `${P}/organizations/${org.id}/apis`);
    expect(list.status).toBe(200);
    expect(list.json).toEqual([created.json, disabled.json]);

    const put = await h.call("PUT", `${P}/organizations/${org.id}/apis/${created.json.id}`, {
      body: { ...created.json, enabled: false, apiId: "changed", state: "pending", createdBy: "me", createdOn: 1, id: "x" },
    });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ...created.json, enabled: false });
    const noop = await h.call("PUT", `${P}/organizations/${org.id}/apis/${created.json.id}`, { body: {} });
    expect(noop.json.enabled).toBe(false);
    expect((await h.call("PUT", `${P}/organizations/${org.id}/apis/${created.json.id}`, { body: { enabled: "no" } })).status).toBe(400);

    const del = await h.call("DELETE", `${P}/organizations/${org.id}/apis/${created.json.id}`);
    expect(del.status).toBe(204);
    expect((await h.call("GET", `${P}/organizations/${org.id}/apis`)).json).toEqual([disabled.json]);
    for (const method of ["PUT", "DELETE"]) {
      const gone = await h.call(method, `${P}/organizations/${org.id}/apis/${created.json.id}`, {
        body: method === "PUT" ? { enabled: true } : undefined,
      });
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual(NOT_FOUND);
    }
  });

  test("duplicate grant → 409, unknown API → 404, missing apiId → 400, unknown org → 404", async () => {
    const h = await harness();
    const org = await createOrg(h, { name: "Consumer" });
    const apiId = stableUuid("proxy", "Petstore");
    expect((await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId } })).status).toBe(201);
    const dup = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId } });
    expect(dup.status).toBe(409);
    expect(dup.json).toEqual({ errors: [{ code: 409, message: "resource already exists" }] });
    const unknown = await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: "no-such-api" } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.errors[0].message).toMatch(/no-such-api/);
    expect((await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: {} })).status).toBe(400);
    expect((await h.call("POST", `${P}/organizations/${org.id}/apis`, { body: { apiId: 7 } })).status).toBe(400);
    const noOrg = await h.call("POST", `${P}/organizations/missing/apis`, { body: { apiId } });
    expect(noOrg.status).toBe(404);
    expect(noOrg.json).toEqual(NOT_FOUND);
    expect((await h.call("GET", `${P}/organizations/missing/apis`)).json).toEqual(NOT_FOUND);
    // Another organization's grant id is unknown here.
    const mine = (await h.call("GET", `${P}/organizations/${org.id}/apis`)).json[0];
    expect((await h.call("DELETE", `${P}/organizations/${seededOrgId()}/apis/${mine.id}`)).status).toBe(404);
  });
});
