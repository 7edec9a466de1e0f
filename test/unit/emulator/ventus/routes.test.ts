// Routing (routes.ts): only the documented methods are routes, and the core counts each by its template.
import { call } from "../harness";
import { auth, identity, listPath, login, ORG, USER, useVentus } from "./harness";

describe("Ventus emulator: routing", () => {
  const v = useVentus();

  it("only answers the documented methods", async () => {
    const h = auth(v.tokens);
    expect((await call(v.emu, "GET", `${identity("vienna")}/${ORG}/projects/x`, { headers: h })).status).toBe(404);
    expect((await call(v.emu, "POST", listPath(), { headers: h })).status).toBe(404);
    expect((await call(v.emu, "POST", "/get-tokens", { body: USER })).status).toBe(404);
  });

  it("counts requests per route template", async () => {
    v.emu.resetStats();
    const h = auth(v.tokens);
    const { id } = (await call(v.emu, "POST", `${identity("vienna")}/${ORG}/projects/A`, { headers: h })).json;
    await call(v.emu, "POST", `${identity("upper-austria")}/${ORG}/projects/B`, { headers: h });
    await call(v.emu, "GET", `${identity("vienna")}/projects/${id}`, { headers: h });
    await call(v.emu, "PUT", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h, body: { name: "C" } });
    await call(v.emu, "DELETE", `${identity("vienna")}/${ORG}/projects/${id}`, { headers: h });
    await call(v.emu, "GET", listPath(), { headers: h });
    await call(v.emu, "GET", "/v1.0/invoke/gotham-bank/method/prices", { headers: h });
    await login(v.emu);
    expect(v.emu.stats()).toEqual({
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
});
