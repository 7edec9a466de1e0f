// PortalOrganization's custom properties against the emulator with definitions: checked at
// check (one GET), sent as top-level fields, read back, drift seen, kept when undeclared.
import { startEmulator, type RunningEmulator } from "../../../../emulator";
import { AxwayClient } from "../../../../provider/clients/axway/client";
import { providerContext } from "../../../../provider/context";
import { portalOrganization, type PortalOrganizationOutputs } from "../../../../provider/resources/portalOrganization";

/** The settings from the environment, as the tests set it. */
const ctx = providerContext(undefined);

const DEFS = {
  organization: {
    tier: { type: "select" as const, required: true, options: [{ value: "gold" }, { value: "silver" }] },
    costCenter: { type: "custom" as const, regex: "\\d{4}" },
    seats: { type: "number" as const, minValue: 1, maxValue: 500 },
    partner: { type: "switch" as const, defaultValue: false },
  },
};

let emu: RunningEmulator;
const env = { ...process.env };
beforeAll(async () => {
  emu = await startEmulator({ portal: { customProperties: DEFS } });
  Object.assign(process.env, { AXWAY_URL: emu.axwayUrl, AXWAY_USERNAME: "apiadmin", AXWAY_PASSWORD: "changeme" });
});
afterAll(async () => {
  process.env = env;
  await emu.stop();
});

const DEFS_ROUTE = "GET /api/portal/v1.3/config/customproperties";

describe("PortalOrganization custom properties", () => {
  test("check names the property and the rule, fills defaults, and asks for the definitions once", async () => {
    emu.resetStats();
    const bad = await portalOrganization.operations.check(
      ctx,
      {},
      { name: "Acme", customProperties: { tier: "bronze", costCenter: "12", seats: 0, colour: "x" } },
    );
    expect(bad.failures?.map((f) => f.reason)).toEqual([
      'customProperties.tier: must be one of gold, silver (got "bronze")',
      'customProperties.costCenter: must match the portal\'s pattern \\d{4} (got "12")',
      'customProperties.seats: must be at least 1 (got "0")',
      "customProperties.colour: is not a custom property of organizations on this portal (the portal defines tier, costCenter, seats, partner)",
    ]);
    const missing = await portalOrganization.operations.check(ctx, {}, { name: "Acme", customProperties: {} });
    expect(missing.failures?.map((f) => f.reason)).toEqual(["customProperties.tier: is required by the portal (one of gold, silver)"]);
    // Undeclared: nothing asked at preview; the create says what is required before its POST.
    const undeclared = await portalOrganization.operations.check(ctx, {}, { name: "Acme" });
    expect(undeclared.failures).toBeUndefined();
    await expect(portalOrganization.operations.create(ctx, undeclared.inputs!)).rejects.toThrow(
      "customProperties.tier: is required by the portal (one of gold, silver); declare customProperties",
    );
    expect(emu.stats().byRoute["POST /api/portal/v1.3/organizations"]).toBeUndefined();
    const ok = await portalOrganization.operations.check(ctx, {}, { name: "Acme", customProperties: { tier: "gold", seats: 25 } });
    expect(ok.failures).toBeUndefined();
    expect(ok.inputs?.customProperties).toEqual({ tier: "gold", seats: "25", partner: "false" });
    // Undeclared on an update: the portal's, not checked, no call.
    expect((await portalOrganization.operations.check(ctx, { name: "Acme" }, { name: "Acme" })).failures).toBeUndefined();
    expect(emu.stats().byRoute[DEFS_ROUTE]).toBe(1);
  });

  test("create sends them, read sees a change by hand, update puts it back, an undeclared update keeps them", async () => {
    const checked = await portalOrganization.operations.check(
      ctx,
      {},
      { name: "Custom Co", customProperties: { tier: "gold", costCenter: "1234" } },
    );
    const created = await portalOrganization.operations.create(ctx, checked.inputs!);
    expect(created.outs.customProperties).toEqual({ tier: "gold", costCenter: "1234", partner: "false" });
    expect(await portalOrganization.operations.diff(created.id, created.outs, checked.inputs!)).toEqual({ changes: false, replaces: [] });

    // By hand: a PUT with another tier.
    const res = await fetch(`${emu.axwayUrl}/api/portal/v1.3/organizations/${created.id}`, {
      method: "PUT",
      headers: { authorization: `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Custom Co", tier: "silver", costCenter: "1234", partner: "false" }),
    });
    expect(res.status).toBe(200);
    const read = await portalOrganization.operations.read(ctx, created.id, created.outs);
    expect(read.props?.customProperties).toEqual({ tier: "silver", costCenter: "1234", partner: "false" });
    const diff = await portalOrganization.operations.diff(created.id, read.props as PortalOrganizationOutputs, checked.inputs!);
    expect(diff.changes).toBe(true);
    const updated = await portalOrganization.operations.update(ctx, created.id, read.props as PortalOrganizationOutputs, checked.inputs!);
    expect(updated.outs?.customProperties).toEqual({ tier: "gold", costCenter: "1234", partner: "false" });

    // Undeclared: a description change sends back the values last read.
    const plain = await portalOrganization.operations.check(ctx, updated.outs!, { name: "Custom Co", description: "new" });
    const kept = await portalOrganization.operations.update(ctx, created.id, updated.outs as PortalOrganizationOutputs, plain.inputs!);
    expect(kept.outs?.customProperties).toEqual({ tier: "gold", costCenter: "1234", partner: "false" });
    expect(kept.outs?.description).toBe("new");
  });

  test("a portal that answers 404 for the definitions has none; a failure is not kept", async () => {
    const client = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
    try {
      emu.injectFault({ route: "config/customproperties", status: 404, count: 1 });
      expect(await client.organizationCustomProperties()).toEqual({});
      const other = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
      emu.injectFault({ route: "config/customproperties", status: 403, count: 1 });
      await expect(other.organizationCustomProperties()).rejects.toThrow(/403/);
      expect(Object.keys(await other.organizationCustomProperties())).toEqual(["tier", "costCenter", "seats", "partner"]);
      await other.close();
    } finally {
      emu.clearFaults();
      await client.close();
    }
  });
});
