// Check and diff rules of the portal resources, called directly (no engine, no server).
import { organizationApiAccess } from "../../../../provider/resources/organizationApiAccess";
import { portalOrganization } from "../../../../provider/resources/portalOrganization";
import { registrationToken } from "../../../../provider/resources/registrationToken";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { providerContext } from "../../../../provider/context";

/** The context the operations run with: the environment alone, unless a test sets another. */
const ctx = providerContext(undefined);

const env = { ...process.env };
beforeAll(() => {
  // check() insists on credentials; these never reach a server here.
  Object.assign(process.env, { AXWAY_URL: "https://127.0.0.1:1", AXWAY_USERNAME: "apiadmin", AXWAY_PASSWORD: "x" });
});
afterAll(() => {
  process.env = env;
});

const NOW = Date.parse("2026-06-01T00:00:00Z");
const now = () => NOW;

describe("RegistrationToken expiry", () => {
  test("an expiry already past is an input error when the code is created", async () => {
    const r = await registrationToken.operations.check(ctx, {}, { organizationId: "o", expiry: "2026-05-31T23:59:59Z" }, now);
    expect(r.failures).toEqual([
      {
        property: "expiry",
        reason: "expiry: must be in the future when a code is created or its expiry changed (got 2026-05-31T23:59:59.000Z)",
      },
    ]);
  });

  test("and when it is changed to a time already past", async () => {
    const olds = { organizationId: "o", expiry: Date.parse("2026-07-01T00:00:00Z") };
    const r = await registrationToken.operations.check(ctx, olds, { organizationId: "o", expiry: "2026-01-01T00:00:00Z" }, now);
    expect(r.failures?.[0].property).toBe("expiry");
  });

  test("a declared expiry that has since passed, unchanged, is fine and plans nothing", async () => {
    const past = Date.parse("2026-01-01T00:00:00Z");
    const r = await registrationToken.operations.check(
      ctx,
      { organizationId: "o", expiry: past },
      { organizationId: "o", expiry: past },
      now,
    );
    expect(r.failures).toBeUndefined();
    const d = await registrationToken.operations.diff(
      "id",
      { organizationId: "o", expiry: past, enabled: true, token: "123456" },
      r.inputs!,
    );
    expect(d).toEqual({ changes: false, replaces: [] });
  });

  test("ISO 8601 and epoch milliseconds mean the same; garbage names the field", async () => {
    const iso = await registrationToken.operations.check(ctx, {}, { organizationId: "o", expiry: "2027-01-01T00:00:00Z" }, now);
    const ms = await registrationToken.operations.check(ctx, {}, { organizationId: "o", expiry: Date.parse("2027-01-01T00:00:00Z") }, now);
    expect(iso.inputs?.expiry).toBe(ms.inputs?.expiry);
    const bad = await registrationToken.operations.check(ctx, {}, { organizationId: "o", expiry: "next tuesday" }, now);
    expect(bad.failures?.[0].reason).toBe(
      'expiry: must be an ISO 8601 date or date-time, e.g. 2030-03-07 or 2030-03-07T12:00:00Z (got "next tuesday")',
    );
  });

  test("quota and expiry left out are the portal's; the organization replaces", async () => {
    const olds = { organizationId: "o", userQuota: 7, expiry: 1, enabled: true, token: "123456" };
    expect(await registrationToken.operations.diff("id", olds, { organizationId: "o", enabled: true })).toEqual({
      changes: false,
      replaces: [],
    });
    expect(await registrationToken.operations.diff("id", olds, { organizationId: "o", userQuota: 8, enabled: true })).toEqual({
      changes: true,
      replaces: [],
    });
    expect((await registrationToken.operations.diff("id", olds, { organizationId: "p", enabled: true })).replaces).toEqual([
      "organizationId",
    ]);
  });
});

describe("PortalOrganization", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-rules-"));
  const jpeg = (name: string, extra: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(extra)]));
    return f;
  };

  test("defaults are filled in, so a field left out is managed as the portal's default", async () => {
    const r = await portalOrganization.operations.check(ctx, {}, { name: "Acme" });
    expect(r.inputs).toMatchObject({ name: "Acme", enabled: true, development: false, restricted: false, isTrial: false });
  });

  test("the image is tracked by content: a new path with the same bytes is no change, new bytes are", async () => {
    const a = await portalOrganization.operations.check(ctx, {}, { name: "Acme", image: jpeg("a.jpg", "same") });
    const b = await portalOrganization.operations.check(ctx, {}, { name: "Acme", image: jpeg("b.jpg", "same") });
    const c = await portalOrganization.operations.check(ctx, {}, { name: "Acme", image: jpeg("c.jpg", "other") });
    const olds = a.inputs!;
    expect(await portalOrganization.operations.diff("id", olds, b.inputs!)).toEqual({ changes: false, replaces: [] });
    expect(await portalOrganization.operations.diff("id", olds, c.inputs!)).toEqual({ changes: true, replaces: [] });
  });

  test("trial dates must be in order, and the reason names the field", async () => {
    const r = await portalOrganization.operations.check(
      ctx,
      {},
      { name: "Acme", startTrialDate: "2027-02-01", endTrialDate: "2027-01-01" },
    );
    expect(r.failures).toEqual([{ property: "endTrialDate", reason: "endTrialDate: must not be before startTrialDate" }]);
  });

  test("nothing replaces an organization: a rename is an update", async () => {
    const olds = (await portalOrganization.operations.check(ctx, {}, { name: "Acme" })).inputs!;
    const news = (await portalOrganization.operations.check(ctx, {}, { name: "Acme 2" })).inputs!;
    expect(await portalOrganization.operations.diff("id", olds, news)).toEqual({ changes: true, replaces: [] });
  });
});

describe("OrganizationApiAccess", () => {
  test("another organization or API replaces; enabled changes in place", async () => {
    const olds = { organizationId: "o", apiId: "a", enabled: true, state: "approved" };
    expect((await organizationApiAccess.operations.diff("id", olds, { organizationId: "o", apiId: "b", enabled: true })).replaces).toEqual([
      "apiId",
    ]);
    expect((await organizationApiAccess.operations.diff("id", olds, { organizationId: "p", apiId: "a", enabled: true })).replaces).toEqual([
      "organizationId",
    ]);
    expect(await organizationApiAccess.operations.diff("id", olds, { organizationId: "o", apiId: "a", enabled: false })).toEqual({
      changes: true,
      replaces: [],
    });
  });

  test("blank ids are refused by name", async () => {
    const r = await organizationApiAccess.operations.check(ctx, {}, { organizationId: " ", apiId: "a" });
    expect(r.failures).toEqual([{ property: "organizationId", reason: "organizationId: must not be empty" }]);
  });
});
