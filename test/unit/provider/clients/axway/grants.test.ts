// AxwayClient's frontend APIs and API access (provider/clients/axway/grants.ts) against the real emulator.
import { client, emulatorPerTest, rejection } from "./harness";

emulatorPerTest();

describe("frontend APIs and API access", () => {
  test("proxies: all, or by exact name", async () => {
    const c = client();
    const all = await c.listApis();
    expect(all.map((a) => a.name).sort()).toEqual(["Inventory", "Payments v2", "Petstore", "Weather"]);
    const [payments, ...rest] = await c.listApis("Payments v2");
    expect(rest).toEqual([]);
    expect(payments).toMatchObject({ name: "Payments v2", version: "2.0", path: "/payments/v2" });
    expect(await c.listApis("Payments")).toEqual([]);
  });

  test("grant, list, update enabled, revoke", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Consumer" });
    const [petstore] = await c.listApis("Petstore");
    const [weather] = await c.listApis("Weather");
    expect(await c.listApiAccess(org.id)).toEqual([]);

    const grant = await c.grantApiAccess(org.id, petstore.id);
    expect(grant).toMatchObject({ apiId: petstore.id, state: "approved", enabled: true });
    const disabledGrant = await c.grantApiAccess(org.id, weather.id, false);
    expect(disabledGrant.enabled).toBe(false);
    expect((await c.listApiAccess(org.id)).map((g) => g.id).sort()).toEqual([grant.id, disabledGrant.id].sort());

    const off = await c.updateApiAccess(org.id, grant, false);
    expect(off).toMatchObject({ id: grant.id, apiId: petstore.id, enabled: false });
    expect((await c.listApiAccess(org.id)).find((g) => g.id === grant.id)?.enabled).toBe(false);
    expect(await c.listOrganizations([{ field: "apiid", op: "eq", value: petstore.id }])).toEqual([
      expect.objectContaining({ id: org.id }),
    ]);

    expect(await c.revokeApiAccess(org.id, grant.id)).toBe(true);
    expect(await c.revokeApiAccess(org.id, grant.id)).toBe(false);
    expect((await c.listApiAccess(org.id)).map((g) => g.id)).toEqual([disabledGrant.id]);

    const dup = await rejection(c.grantApiAccess(org.id, weather.id));
    expect(dup.status).toBe(409);
  });
});
