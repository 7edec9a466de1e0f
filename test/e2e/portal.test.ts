// The three portal resources and the portal functions through the real Pulumi CLI, against the emulator.
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { sha256 } from "../../provider/rules";
import { ROOT } from "./paths";
import { TestStack, emulator, type StackOptions } from "./harness";

const LOGO = fs.readFileSync(path.join(ROOT, "examples/portal/logo.jpg"));
/** Another valid JPEG start with different content, so its hash differs. */
const LOGO2 = Buffer.concat([LOGO, Buffer.from("second version")]);

let emu: RunningEmulator;
let portal: AxwayClient;

function axwayConfig(user = "apiadmin", password = "changeme"): StackOptions {
  return { config: { "axway:url": emu.axwayUrl, "axway:username": user }, secrets: { "axway:password": password } };
}

beforeEach(async () => {
  emu = await emulator();
  portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
});
afterEach(async () => {
  await portal.close();
  await emu.stop();
});

const js = (v: unknown) => JSON.stringify(v);

function orgProgram(args: Record<string, unknown>): string {
  return [
    `const v = require("pulumi-ventus-axway");`,
    `const org = new v.PortalOrganization("org", ${js(args)});`,
    `for (const k of ["name","description","email","phone","enabled","development","restricted","virtualHost","isTrial","trialDuration","startTrialDate","endTrialDate","imageHash","imageUrl","dn","createdOn"]) exports[k] = org[k];`,
    `exports.id = org.id;`,
  ].join("\n");
}

const orgOnServer = async (name: string) => (await portal.listOrganizations([{ field: "name", op: "eq", value: name }]))[0];

test("PortalOrganization: create with image, update in place, drift in every field and the image, delete by hand, destroy", async () => {
  const declared = {
    name: "Acme Corporation",
    description: "Road runner supplies",
    email: "support@acme.example",
    phone: "+1 877-564-7700",
    enabled: true,
    development: false,
    restricted: false,
    virtualHost: "acme.api.example.com",
    isTrial: true,
    trialDuration: 30,
    startTrialDate: "2030-01-01T00:00:00Z",
    endTrialDate: 1895529600000,
    image: "logo.jpg",
  };
  const stack = await TestStack.create("org", orgProgram(declared), axwayConfig());
  fs.writeFileSync(path.join(stack.dir, "logo.jpg"), LOGO);

  await stack.up();
  const out = await stack.outputs();
  const created = await portal.getOrganization(String(out.id));
  expect(created).toMatchObject({
    name: "Acme Corporation",
    description: "Road runner supplies",
    email: "support@acme.example",
    virtualHost: "acme.api.example.com",
    isTrial: true,
    trialDuration: 30,
    startTrialDate: Date.parse("2030-01-01T00:00:00Z"),
    endTrialDate: 1895529600000,
  });
  expect(out).toMatchObject({
    dn: "o=Acme Corporation,ou=organizations,ou=APIPortal",
    imageHash: sha256(LOGO),
    startTrialDate: 1893456000000,
  });
  expect(out.imageUrl).toMatch(new RegExp(`/organizations/${out.id}/image`));
  expect(typeof out.createdOn).toBe("number");
  expect(sha256((await portal.getOrganizationImage(String(out.id)))!)).toBe(sha256(LOGO));
  await stack.expectNoChanges(true);

  // In place: new description and a new picture; same id.
  fs.writeFileSync(path.join(stack.dir, "logo.jpg"), LOGO2);
  stack.writeProgram(orgProgram({ ...declared, description: "Anvils, mostly" }));
  const p = await stack.preview();
  expect(p.output).toMatch(/~ 1 to update/);
  expect(p.output).not.toMatch(/to replace/);
  await stack.up();
  expect((await stack.outputs()).id).toBe(out.id);
  expect((await portal.getOrganization(String(out.id)))?.description).toBe("Anvils, mostly");
  expect(sha256((await portal.getOrganizationImage(String(out.id)))!)).toBe(sha256(LOGO2));
  await stack.expectNoChanges(true);

  // Out of band: every field changed at once, and the picture replaced.
  const current = (await portal.getOrganization(String(out.id)))!;
  await portal.updateOrganization(current.id, {
    name: "Acme Renamed",
    description: "changed",
    email: "other@acme.example",
    phone: "+1 000",
    enabled: false,
    development: true,
    restricted: true,
    virtualHost: "other.example.com",
    isTrial: false,
    trialDuration: 7,
    startTrialDate: 1000,
    endTrialDate: 2000,
  });
  await portal.setOrganizationImage(current.id, LOGO);
  const drift = await stack.preview("--refresh", "--expect-no-changes");
  expect(drift.code).not.toBe(0);
  for (const field of [
    "name",
    "description",
    "email",
    "phone",
    "enabled",
    "development",
    "restricted",
    "virtualHost",
    "isTrial",
    "trialDuration",
    "startTrialDate",
    "endTrialDate",
    "imageHash",
  ]) {
    expect(drift.output).toMatch(new RegExp(`[~-] ${field}\\s*:`));
  }
  await stack.pulumiOk(["up", "--refresh", "--yes", "--skip-preview"]);
  const restored = (await portal.getOrganization(current.id))!;
  expect(restored).toMatchObject({
    name: "Acme Corporation",
    description: "Anvils, mostly",
    enabled: true,
    development: false,
    restricted: false,
    trialDuration: 30,
  });
  expect(sha256((await portal.getOrganizationImage(current.id))!)).toBe(sha256(LOGO2));
  await stack.expectNoChanges(true);

  // Deleted by hand: refresh forgets it, up makes it again.
  await portal.deleteOrganization(current.id);
  await stack.refresh();
  expect(await stack.resource("PortalOrganization", "org")).toBeUndefined();
  await stack.up();
  const again = await orgOnServer("Acme Corporation");
  expect(again && again.id).not.toBe(current.id);

  await stack.destroy();
  expect(await orgOnServer("Acme Corporation")).toBeUndefined();
});

function accessProgram(opts: { apis: string[]; enabled?: boolean; quota?: number; codeEnabled?: boolean; expiry?: string }): string {
  return [
    `const v = require("pulumi-ventus-axway");`,
    `const org = new v.PortalOrganization("org", { name: "Partner GmbH" });`,
    `exports.orgId = org.id;`,
    `exports.grants = {};`,
    ...opts.apis.map(
      (name, i) =>
        `{ const apiId = v.getPortalApis({ name: ${js(name)} }).then((a) => a[0].id);` +
        ` const g = new v.OrganizationApiAccess("grant${i}", { organizationId: org.id, apiId, enabled: ${opts.enabled ?? true} });` +
        ` exports.grants[${js(`grant${i}`)}] = { id: g.id, apiId: g.apiId, enabled: g.enabled, state: g.state }; }`,
    ),
    `const code = new v.RegistrationToken("code", { organizationId: org.id, userQuota: ${opts.quota ?? 10}, enabled: ${opts.codeEnabled ?? true}, expiry: ${js(opts.expiry ?? "2031-06-30T00:00:00Z")} });`,
    `exports.code = code.token;`,
    `exports.codeId = code.id;`,
    `exports.codeQuota = code.maxUsers;`,
  ].join("\n");
}

test("OrganizationApiAccess and RegistrationToken: create, secret code, update in place, replace, drift, deletion by hand, destroy", async () => {
  const stack = await TestStack.create("access", accessProgram({ apis: ["Petstore", "Weather"] }), axwayConfig());
  const up = await stack.up();
  const out = await stack.outputs();
  const orgId = String(out.orgId);
  const code = String(out.code);
  expect(code).toMatch(/^\d{6}$/);
  expect(String(out.codeId)).not.toContain(code);
  expect(up.output).not.toContain(code);
  expect((await stack.pulumiOk(["stack", "output", "code"])).stdout).toMatch(/\[secret\]/);
  expect(stack.rawStateFile()).not.toContain(`"${code}"`);
  const petstore = (await portal.listApis("Petstore"))[0];
  const weather = (await portal.listApis("Weather"))[0];
  const grants = await portal.listApiAccess(orgId);
  expect(grants.map((g) => g.apiId).sort()).toEqual([petstore.id, weather.id].sort());
  expect(await portal.getToken(orgId, code)).toMatchObject({ userQuota: 10, enabled: true, expiry: Date.parse("2031-06-30T00:00:00Z") });
  await stack.expectNoChanges(true);

  // In place: grants disabled, code quota and enabled changed; ids unchanged.
  stack.writeProgram(accessProgram({ apis: ["Petstore", "Weather"], enabled: false, quota: 20, codeEnabled: false }));
  const upd = await stack.preview();
  expect(upd.output).toMatch(/~ 3 to update/);
  await stack.up();
  const out2 = await stack.outputs();
  expect(out2.code).toBe(code);
  expect((await portal.listApiAccess(orgId)).every((g) => g.enabled === false)).toBe(true);
  expect(await portal.getToken(orgId, code)).toMatchObject({ userQuota: 20, enabled: false });
  await stack.expectNoChanges(true);

  // Another API for grant1 replaces it: the old grant is revoked.
  stack.writeProgram(accessProgram({ apis: ["Petstore", "Inventory"], enabled: false, quota: 20, codeEnabled: false }));
  const rep = await stack.preview();
  expect(rep.output).toMatch(/\+-1 to replace/);
  await stack.up();
  const inventory = (await portal.listApis("Inventory"))[0];
  expect((await portal.listApiAccess(orgId)).map((g) => g.apiId).sort()).toEqual([petstore.id, inventory.id].sort());
  await stack.expectNoChanges(true);

  // Drift: a grant enabled and the code's quota changed by hand.
  const g0 = (await portal.listApiAccess(orgId)).find((g) => g.apiId === petstore.id)!;
  await portal.updateApiAccess(orgId, g0, true);
  await portal.updateToken(orgId, code, { userQuota: 99 });
  const drift = await stack.preview("--refresh", "--expect-no-changes");
  expect(drift.code).not.toBe(0);
  expect(drift.output).toMatch(/enabled\s*:\s*true => false/);
  expect(drift.output).toMatch(/userQuota\s*:\s*99 => 20/);
  expect(drift.output).not.toContain(code);
  await stack.refresh();
  await stack.up();
  expect((await portal.listApiAccess(orgId)).find((g) => g.id === g0.id)?.enabled).toBe(false);
  expect((await portal.getToken(orgId, code))?.userQuota).toBe(20);

  // Deleted by hand: both are forgotten by refresh and made again by up.
  await portal.revokeApiAccess(orgId, g0.id);
  await portal.deleteToken(orgId, code);
  await stack.refresh();
  const state = await stack.state();
  expect(state.find((r) => r.urn.endsWith("::grant0"))).toBeUndefined();
  expect(state.find((r) => r.urn.endsWith("::code"))).toBeUndefined();
  await stack.up();
  const newCode = String((await stack.outputs()).code);
  expect(newCode).not.toBe(code);
  expect(await portal.getToken(orgId, newCode)).toMatchObject({ userQuota: 20 });
  expect((await portal.listApiAccess(orgId)).map((g) => g.apiId)).toContain(petstore.id);
  await stack.expectNoChanges(true);

  // The organization deleted by hand takes its grants and code with it: destroying the
  // stack then meets 404 everywhere, which is success.
  await portal.deleteOrganization(orgId);
  await stack.destroy();
  expect(await stack.state()).toEqual([]);
});

test("adopts an organization, a grant and a registration code made by hand", async () => {
  const org = await portal.createOrganization({ name: "Handmade Ltd", email: "a@handmade.example" });
  const weather = (await portal.listApis("Weather"))[0];
  const grant = await portal.grantApiAccess(org.id, weather.id);
  const code = await portal.createToken(org.id, { userQuota: 5, expiry: Date.parse("2032-01-01T00:00:00Z") });
  const program = [
    `const v = require("pulumi-ventus-axway");`,
    `const org = new v.PortalOrganization("org", { name: "Handmade Ltd", email: "a@handmade.example", description: "now in code", importId: ${js(org.id)} });`,
    `const g = new v.OrganizationApiAccess("grant", { organizationId: org.id, apiId: ${js(weather.id)}, importId: ${js(grant.id)} });`,
    `const c = new v.RegistrationToken("code", { organizationId: org.id, userQuota: 5, expiry: "2032-01-01T00:00:00Z", importId: ${js(code.token)} });`,
    `exports.ids = [org.id, g.id]; exports.token = c.token;`,
  ].join("\n");
  const stack = await TestStack.create("adoptportal", program, axwayConfig());
  await stack.up();
  const out = await stack.outputs();
  expect(out.ids).toEqual([org.id, grant.id]);
  expect(out.token).toBe(code.token);
  expect((await portal.listOrganizations([{ field: "name", op: "like", value: "Handmade" }])).length).toBe(1);
  expect((await portal.getOrganization(org.id))?.description).toBe("now in code");
  expect(await portal.listApiAccess(org.id)).toHaveLength(1);
  expect(await portal.listTokens(org.id)).toHaveLength(1);
  expect(stack.rawStateFile()).not.toContain(`"${code.token}"`);
  await stack.expectNoChanges(true);

  // Declaring an organization that exists, without importId, says how to adopt it.
  stack.writeProgram(program + `\nnew v.PortalOrganization("dup", { name: "Handmade Ltd" });`);
  const dup = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(dup.code).not.toBe(0);
  expect(dup.output).toContain(
    `name: an organization named "Handmade Ltd" already exists (id ${org.id}); to manage it, declare importId: "${org.id}"`,
  );

  stack.writeProgram(program);
  await stack.destroy();
  expect(await portal.getOrganization(org.id)).toBeUndefined();
});

test("bad input fails at preview naming the field and the rule, with no API call", async () => {
  const stack = await TestStack.create("portalbad", orgProgram({ name: "x" }), axwayConfig());
  fs.writeFileSync(path.join(stack.dir, "not-a-jpeg.png"), Buffer.from("\x89PNG\r\n\x1a\n"));
  const cases: Array<[string, RegExp]> = [
    [orgProgram({ name: "" }), /name: must not be empty/],
    [orgProgram({ name: "a", email: "not-an-email" }), /email: must be an email address/],
    [orgProgram({ name: "a", image: "not-a-jpeg.png" }), /image: "not-a-jpeg.png" is not a JPEG file/],
    [orgProgram({ name: "a", image: "missing.jpg" }), /image: no such file: "missing.jpg"/],
    [
      `const v = require("pulumi-ventus-axway"); new v.RegistrationToken("c", { organizationId: "o1", userQuota: -1 });`,
      /userQuota: must be 0 or more/,
    ],
    [
      `const v = require("pulumi-ventus-axway"); new v.RegistrationToken("c", { organizationId: "o1", expiry: new Date("2001-01-01T00:00:00Z") });`,
      /expiry: must be in the future when a code is created or its expiry changed \(got 2001-01-01T00:00:00.000Z\)/,
    ],
    [
      `const v = require("pulumi-ventus-axway"); exports.o = v.getPortalOrganizations({ filters: [{ field: "name", op: "contains", value: "x" }] });`,
      /getPortalOrganizations: filters\[0\]\.op: must be one of eq, ne, gt, lt, ge, le, like, gete/,
    ],
  ];
  for (const [program, message] of cases) {
    stack.writeProgram(program);
    emu.resetStats();
    const r = await stack.preview();
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(message);
    expect(emu.stats().total).toBe(0);
  }
  expect(await portal.listOrganizations()).toHaveLength(1); // only the emulator's seeded one
});

test("an organization administrator gets a clear error, and nothing is created", async () => {
  const stack = await TestStack.create("orgadmin", orgProgram({ name: "Not Allowed" }), axwayConfig("orgadmin", "orgadmin-password"));
  const r = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  expect(r.code).not.toBe(0);
  expect(r.output).toMatch(/HTTP 403/);
  expect(r.output).toMatch(/API administrators only: axway:username must be an API administrator/);
  expect(r.output).not.toContain("orgadmin-password");
  expect(await orgOnServer("Not Allowed")).toBeUndefined();
});
