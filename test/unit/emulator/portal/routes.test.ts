// Routing (routes.ts): the templates the core counts, 404 and 405 with Allow, describe().
import { stableUuid, PORTAL_ROUTES } from "../../../../emulator/portal";
import { harness, P, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: routing", () => {
  test("route() claims only /api/portal/v1.3 paths and names templates", async () => {
    const h = await harness();
    const req = (method: string, path: string) => ({ method, path, query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0) });
    expect(h.service.route(req("GET", "/v1.0/invoke/x"))).toBeUndefined();
    expect(h.service.route(req("GET", "/api/portal/v1.2/organizations"))).toBeUndefined();
    expect(h.service.route(req("GET", `${P}/organizations`))).toBe(`GET ${P}/organizations`);
    expect(h.service.route(req("GET", `${P}/organizations/abc/tokens/123456`))).toBe(`GET ${P}/organizations/{id}/tokens/{token}`);
    expect(h.service.route(req("GET", `${P}/organizations/abc/tokens/`))).toBe(`GET ${P}/organizations/{id}/tokens`);
    expect(h.service.route(req("POST", `${P}/organizations/abc/image/`))).toBe(`POST ${P}/organizations/{id}/image`);
    expect(h.service.route(req("PUT", `${P}/organizations/a/apis/b`))).toBe(`PUT ${P}/organizations/{id}/apis/{apiAccessId}`);
    expect(h.service.route(req("GET", `${P}/nothing/here`))).toBe(`GET ${P}/*`);
    expect(PORTAL_ROUTES).toContain(`DELETE ${P}/organizations/{id}/tokens/{token}`);
    expect(PORTAL_ROUTES).toHaveLength(21);
  });

  test("unknown path → 404, wrong method → 405 with Allow", async () => {
    const h = await harness();
    const missing = await h.call("GET", `${P}/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.json.errors[0].code).toBe(404);
    const wrong = await h.call("PATCH", `${P}/organizations`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, POST");
  });

  test("describe() lists credentials and frontend APIs", async () => {
    const h = await harness();
    const lines = h.service.describe();
    expect(lines).toContain("portal API admin: apiadmin / changeme");
    expect(lines).toContain('portal org admin of "Seeded Partner": orgadmin / orgadmin-password');
    expect(lines).toContain(`portal frontend API "Petstore": ${stableUuid("proxy", "Petstore")}`);
  });
});
