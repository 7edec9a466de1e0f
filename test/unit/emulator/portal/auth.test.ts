// Authorization (auth.ts): what an organization administrator may and may not do.
import { stableUuid } from "../../../../emulator/portal";
import { caller, createOrg, harness, jpeg, ORGADMIN, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: organization administrator", () => {
  test("sees only its own organization; 403 elsewhere and on admin-only calls", async () => {
    const h = await harness();
    const own = seededOrgId();
    const other = await createOrg(h, { name: "Someone Else" });
    const oa = caller(h.served.url, ORGADMIN);

    const list = await oa("GET", `${P}/organizations`);
    expect(list.json.map((o: { id: string }) => o.id)).toEqual([own]);
    expect((await oa("GET", `${P}/organizations?field=name&op=eq&value=Someone%20Else`)).json).toEqual([]);
    expect((await oa("GET", `${P}/organizations/${own}`)).status).toBe(200);

    const forbidden: Array<[string, string, unknown?]> = [
      ["GET", `${P}/organizations/${other.id}`],
      ["PUT", `${P}/organizations/${other.id}`, { name: "Hijacked" }],
      ["POST", `${P}/organizations`, { name: "Mine Too" }],
      ["DELETE", `${P}/organizations/${own}`],
      ["DELETE", `${P}/organizations/${other.id}`],
      ["POST", `${P}/organizations/${own}/apis`, { apiId: stableUuid("proxy", "Petstore") }],
      ["GET", `${P}/organizations/${other.id}/apis`],
      ["GET", `${P}/organizations/${other.id}/image`],
      ["POST", `${P}/organizations/${other.id}/tokens`, { userQuota: 1, expiry: 1 }],
      ["GET", `${P}/organizations/${other.id}/tokens`],
    ];
    for (const [method, path, body] of forbidden) {
      const r = await oa(method, path, { body });
      expect({ method, path, status: r.status }).toEqual({ method, path, status: 403 });
      expect(r.json.errors[0].code).toBe(403);
    }

    // Grants made by the API admin cannot be changed or revoked by the org admin, but can be read.
    const grant = (await h.call("POST", `${P}/organizations/${own}/apis`, { body: { apiId: stableUuid("proxy", "Petstore") } })).json;
    expect((await oa("GET", `${P}/organizations/${own}/apis`)).json).toEqual([grant]);
    expect((await oa("PUT", `${P}/organizations/${own}/apis/${grant.id}`, { body: { enabled: false } })).status).toBe(403);
    expect((await oa("DELETE", `${P}/organizations/${own}/apis/${grant.id}`)).status).toBe(403);
    expect((await h.call("GET", `${P}/organizations/${own}/apis`)).json[0].enabled).toBe(true);
    expect((await h.call("GET", `${P}/organizations`)).json).toHaveLength(2);
  });

  test("may update its own organization and manage its registration codes", async () => {
    const h = await harness();
    const own = seededOrgId();
    const oa = caller(h.served.url, ORGADMIN);
    const put = await oa("PUT", `${P}/organizations/${own}`, { body: { name: "Renamed Partner", email: "x@y.z" } });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: own, name: "Renamed Partner", dn: "o=Renamed Partner,ou=organizations,ou=APIPortal" });

    const token = await oa("POST", `${P}/organizations/${own}/tokens`, { body: { userQuota: "5", expiry: 2 } });
    expect(token.status).toBe(201);
    expect(token.json.createdBy).toBe(stableUuid("user", "orgadmin"));
    expect((await oa("GET", `${P}/organizations/${own}/tokens/${token.json.token}`)).json).toEqual([token.json]);
    expect((await oa("PUT", `${P}/organizations/${own}/tokens/${token.json.token}`, { body: { enabled: false } })).json.enabled).toBe(
      false,
    );
    expect((await oa("DELETE", `${P}/organizations/${own}/tokens/${token.json.token}`)).status).toBe(204);

    const fd = new FormData();
    fd.set("file", new Blob([new Uint8Array(jpeg())]), "me.jpg");
    expect((await oa("POST", `${P}/organizations/${own}/image`, { body: fd })).status).toBe(204);
    expect((await oa("GET", `${P}/organizations/${own}/image`)).status).toBe(200);
  });
});
