// Custom properties of organizations (customProperties.ts): the definitions served by
// GET /config/customproperties, the values as top-level fields, and the Swagger's rules on writes.
import { startEmulator } from "../../../../emulator";
import type { CustomPropertiesConfig } from "../../../../emulator/portal";
import { ADMIN, closeServed, createOrg, harness, P, swaggerProblems } from "./harness";

afterEach(closeServed);

const CONFIG: CustomPropertiesConfig = {
  organization: {
    costCenter: { label: "Cost center", type: "custom", regex: "\\d{4}" },
    tier: { type: "select", required: true, options: [{ value: "gold", label: "Gold" }, { value: "silver" }] },
    partner: { type: "switch", defaultValue: false },
    seats: { type: "number", minValue: 1, maxValue: 500 },
    legacy: { type: "custom", disabled: true, required: true },
  },
};

describe("portal emulator: custom properties", () => {
  test("GET /config/customproperties answers the definitions as a CustomPropertiesConfig (empty without any)", async () => {
    const none = await harness();
    const empty = await none.call("GET", `${P}/config/customproperties`);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ user: {}, organization: {}, application: {}, api: {} });
    const h = await harness({ customProperties: CONFIG });
    const r = await h.call("GET", `${P}/config/customproperties`);
    expect(r.json.organization.tier).toEqual(CONFIG.organization!.tier);
    // The Swagger types value, defaultValue, minValue and maxValue as `object` and describes them
    // as "string, integer, double, boolean": scalars there are what it means.
    const scalarsAsObject = /\.(value|defaultValue|minValue|maxValue): expected object$/;
    expect(swaggerProblems("CustomPropertiesConfig", r.json).filter((p) => !scalarsAsObject.test(p))).toEqual([]);
    expect((await h.call("GET", `${P}/config/customproperties`, { auth: "" })).status).toBe(401);
  });

  test("values travel as top-level fields, as strings; a create fills defaults", async () => {
    const h = await harness({ customProperties: CONFIG });
    const org = await createOrg(h, { name: "Acme", tier: "gold", costCenter: "1234", seats: 25 });
    expect(org).toMatchObject({ name: "Acme", tier: "gold", costCenter: "1234", seats: "25", partner: "false" });
    expect(org).not.toHaveProperty("legacy");
    expect(swaggerProblems("Organization", org, ["tier", "costCenter", "seats", "partner"])).toEqual([]);
    const listed = await h.call("GET", `${P}/organizations`, { headers: {} });
    expect((listed.json as Array<Record<string, unknown>>).find((o) => o.id === org.id)).toEqual(org);
    // Names the installation does not define are ignored.
    const other = await createOrg(h, { name: "Other", tier: "silver", colour: "blue" });
    expect(other).not.toHaveProperty("colour");
  });

  test.each([
    [{ name: "A" }, "Custom property 'tier' is required"],
    [{ name: "A", tier: "bronze" }, "Custom property 'tier' must be one of gold, silver"],
    [{ name: "A", tier: "gold", costCenter: "12345" }, "Custom property 'costCenter' must match \\d{4}"],
    [{ name: "A", tier: "gold", partner: "yes" }, "Custom property 'partner' must be true or false"],
    [{ name: "A", tier: "gold", seats: 0 }, "Custom property 'seats' must be at least 1"],
    [{ name: "A", tier: "gold", seats: 501 }, "Custom property 'seats' must be at most 500"],
    [{ name: "A", tier: "gold", seats: "2.5" }, "Custom property 'seats' must have at most 0 decimal places"],
    [{ name: "A", tier: "gold", seats: "many" }, "Custom property 'seats' must be a number"],
    [{ name: "A", tier: { a: 1 } }, "Custom property 'tier' must be a string, number or boolean"],
  ])("a create breaking a rule is refused with 400: %j", async (body, message) => {
    const h = await harness({ customProperties: CONFIG });
    const r = await h.call("POST", `${P}/organizations`, { body });
    expect(r.status).toBe(400);
    expect(r.json.errors[0].message).toContain(message);
  });

  test("PUT replace clears what it leaves out and refuses a missing required one", async () => {
    const h = await harness({ customProperties: CONFIG });
    const org = await createOrg(h, { name: "Acme", tier: "gold", costCenter: "1234" });
    const put = (body: Record<string, unknown>) => h.call("PUT", `${P}/organizations/${org.id}`, { body });
    expect((await put({ name: "Acme" })).status).toBe(400);
    const replaced = await put({ name: "Acme", tier: "silver" });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toMatchObject({ tier: "silver" });
    expect(replaced.json).not.toHaveProperty("costCenter");
    expect(replaced.json).not.toHaveProperty("partner"); // defaults fill creates only
  });

  test("the control endpoint and the option configure definitions; bad ones are refused", async () => {
    const emu = await startEmulator({ portal: { customProperties: CONFIG }, behavior: { organizationPut: "merge" } });
    try {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${emu.url}${path}`, {
          method,
          headers: { authorization: ADMIN, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const org = (await (await call("POST", `${P}/organizations`, { name: "Acme", tier: "gold", costCenter: "1234" })).json()) as {
        id: string;
      };
      // merge: absent keeps, null clears, a required one cannot be cleared
      const kept = (await (await call("PUT", `${P}/organizations/${org.id}`, { name: "Acme", costCenter: null })).json()) as object;
      expect(kept).toMatchObject({ tier: "gold" });
      expect(kept).not.toHaveProperty("costCenter");
      expect((await call("PUT", `${P}/organizations/${org.id}`, { tier: null })).status).toBe(400);

      expect((await call("POST", "/_emulator/portal/customproperties", { organization: { x: { type: "colour" } } })).status).toBe(400);
      expect((await call("POST", "/_emulator/portal/customproperties", { organization: { name: {} } })).status).toBe(400);
      expect((await call("POST", "/_emulator/portal/customproperties", {})).status).toBe(200);
      expect((await call("POST", `${P}/organizations`, { name: "Free" })).status).toBe(201);
      expect(await (await call("GET", `${P}/config/customproperties`)).json()).toEqual({
        user: {},
        organization: {},
        application: {},
        api: {},
      });
      expect((await call("DELETE", "/_emulator/portal/customproperties")).status).toBe(200);
      expect((await call("POST", `${P}/organizations`, { name: "Refused" })).status).toBe(400);
      emu.setCustomProperties({ organization: { tier: { type: "select", options: [{ value: 1 }] } } });
      expect((await call("POST", `${P}/organizations`, { name: "One", tier: 1 })).status).toBe(201);
      expect(() => emu.setCustomProperties({ organization: { t: { type: "select" } } })).toThrow(/select needs options/);
      // Requests to the control endpoint are not counted.
      expect(emu.stats().byRoute["GET /api/portal/v1.3/config/customproperties"]).toBe(1);
    } finally {
      await emu.stop();
    }
  });

  test("definitions are checked at start", async () => {
    await expect(harness({ customProperties: { organization: { s: { type: "number", minValue: "low" } } } })).rejects.toThrow(
      /s: minValue must be a number/,
    );
    await expect(
      harness({ customProperties: { organization: { t: { type: "custom", defaultValue: "x", regex: "\\d" } } } }),
    ).rejects.toThrow(/defaultValue must match/);
  });
});
