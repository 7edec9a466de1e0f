// Frontend APIs (proxies.ts): GET /proxies, its filters and what each role sees.
import { stableUuid } from "../../../../emulator/portal";
import { harness, ORGADMIN, P, seededOrgId, closeServed } from "./harness";

afterEach(closeServed);

describe("portal emulator: frontend APIs", () => {
  test("GET /proxies lists the seeded APIs with stable ids", async () => {
    const h = await harness();
    const r = await h.call("GET", `${P}/proxies`);
    expect(r.status).toBe(200);
    expect(r.json.map((a: { name: string }) => a.name)).toEqual(["Petstore", "Weather", "Payments v2", "Inventory"]);
    for (const api of r.json) {
      expect(api.id).toBe(stableUuid("proxy", api.name));
      expect(api.state).toBe("published");
    }
    const again = await (await harness()).call("GET", `${P}/proxies`);
    expect(again.json.map((a: { id: string }) => a.id)).toEqual(r.json.map((a: { id: string }) => a.id));
  });

  test("filters on name, state and path", async () => {
    const h = await harness({ apis: [{ name: "A" }, { name: "B", state: "unpublished", id: "fixed-id" }, { name: "C", path: "/c/v2" }] });
    const q = async (query: string) => (await h.call("GET", `${P}/proxies?${query}`)).json.map((a: { name: string }) => a.name);
    expect(await q("field=name&op=eq&value=B")).toEqual(["B"]);
    expect(await q("field=state&op=eq&value=published")).toEqual(["A", "C"]);
    expect(await q("field=path&op=like&value=v2")).toEqual(["C"]);
    expect(await q("field=name&op=eq&value=A&field=name&op=eq&value=C&lop=OR")).toEqual(["A", "C"]);
    expect((await h.call("GET", `${P}/proxies`)).json[1].id).toBe("fixed-id");
    const bad = await h.call("GET", `${P}/proxies?field=email&op=eq&value=x`);
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].message).toMatch(/Unknown filter field 'email'/);
  });

  test("an organization administrator sees the APIs its organization may use", async () => {
    const h = await harness();
    expect((await h.call("GET", `${P}/proxies`, { auth: ORGADMIN })).json).toEqual([]);
    await h.call("POST", `${P}/organizations/${seededOrgId()}/apis`, { body: { apiId: stableUuid("proxy", "Inventory") } });
    const r = await h.call("GET", `${P}/proxies`, { auth: ORGADMIN });
    expect(r.json.map((a: { name: string }) => a.name)).toEqual(["Inventory"]);
  });
});
