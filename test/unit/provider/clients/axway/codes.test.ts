// AxwayClient's registration codes (provider/clients/axway/codes.ts) against the real emulator,
// and their masking in errors.
import { client, emu, emulatorPerTest, rejection } from "./harness";

emulatorPerTest();

describe("registration codes", () => {
  test("create, list, get, update, delete", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Onboarding" });
    const expiry = Date.now() + 86_400_000;
    const code = await c.createToken(org.id, { userQuota: 15, expiry });
    expect(code).toMatchObject({ organizationId: org.id, expiry, userQuota: 15, maxUsers: 15, enabled: true });
    expect(code.token).toMatch(/^\d+$/);

    expect(await c.listTokens(org.id)).toEqual([code]);
    expect(await c.getToken(org.id, code.token)).toEqual(code); // the portal answers an array of one

    const changed = await c.updateToken(org.id, code.token, { userQuota: 3, enabled: false });
    expect(changed).toMatchObject({ token: code.token, userQuota: 3, enabled: false, expiry });
    expect((await c.getToken(org.id, code.token))?.userQuota).toBe(3);

    expect(await c.deleteToken(org.id, code.token)).toBe(true);
    expect(await c.getToken(org.id, code.token)).toBeUndefined();
    expect(await c.deleteToken(org.id, code.token)).toBe(false);
    expect(await c.listTokens(org.id)).toEqual([]);
  });

  test("a code never appears in an error: its path segment shows ***", async () => {
    const c = client();
    const org = await c.createOrganization({ name: "Secretive" });
    const code = await c.createToken(org.id, { userQuota: 1, expiry: Date.now() + 60_000 });

    emu.injectFault({ route: "GET /api/portal/v1.3/organizations/\\{id\\}/tokens/\\{token\\}", status: 500, count: 10 });
    const failed = await rejection(c.getToken(org.id, code.token));
    expect(failed.status).toBe(500);
    expect(failed.path).toBe(`/organizations/${org.id}/tokens/***`);
    expect(failed.message).toContain("/tokens/***");
    expect(failed.message).not.toContain(code.token);
    emu.clearFaults();

    const missing = await rejection(c.updateToken(org.id, "424242", { enabled: false }));
    expect(missing.status).toBe(404);
    expect(missing.message).toContain(`/organizations/${org.id}/tokens/***`);
    expect(missing.message).not.toContain("424242");
    expect(JSON.stringify(missing)).not.toContain("424242");
  });
});
