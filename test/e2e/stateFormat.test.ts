// The SDK's resources store a one-line `__provider` (a `require` of the package's shell module)
// and extend `pulumi.CustomResource` under the type `pulumi.dynamic.Resource` gave them. A stack
// written the earlier way (a serialized closure as `__provider`) must move over with no change on
// the services: same URNs, an empty preview, and every later operation loading either form.
import type { RunningEmulator } from "../../emulator";
import { TestStack, emulator, ventusConfig } from "./harness";

/** The program as the earlier SDK registered it: `pulumi.dynamic.Resource` around the same shell modules. */
const EARLIER = `
const pulumi = require("@pulumi/pulumi");
class Earlier extends pulumi.dynamic.Resource {
  constructor(kind, name, props, opts) {
    super(require("pulumi-ventus-axway/providers/" + kind[0].toLowerCase() + kind.slice(1)), name, props, opts, "pulumi-ventus-axway", kind);
  }
}
const apiId = process.env.API_ID;
new Earlier("VentusProject", "web", { region: "vienna", name: "web" });
const org = new Earlier("PortalOrganization", "org", { name: "Format Partner", description: "before" });
new Earlier("OrganizationApiAccess", "grant", { organizationId: org.id, apiId });
new Earlier("RegistrationToken", "code", { organizationId: org.id, userQuota: 3, expiry: "2031-01-01T00:00:00Z" }, { additionalSecretOutputs: ["importId", "token"] });
`;

/** The same declarations through the SDK's classes. */
const CURRENT = (description: string) => `
const v = require("pulumi-ventus-axway");
const apiId = process.env.API_ID;
new v.VentusProject("web", { region: "vienna", name: "web" });
const org = new v.PortalOrganization("org", { name: "Format Partner", description: ${JSON.stringify(description)} });
new v.OrganizationApiAccess("grant", { organizationId: org.id, apiId });
new v.RegistrationToken("code", { organizationId: org.id, userQuota: 3, expiry: "2031-01-01T00:00:00Z" });
`;

let emu: RunningEmulator;
beforeEach(async () => {
  emu = await emulator();
});
afterEach(async () => {
  await emu.stop();
});

/** Requests that change something on either service (logins and logouts aside). */
const writes = () =>
  Object.entries(emu.stats().byRoute)
    .filter(([route]) => /^(POST|PUT|DELETE) /.test(route) && !route.includes("/login"))
    .reduce((n, [, count]) => n + count, 0);

const ONE_LINE = /^exports\.handler = \(\) => require\("pulumi-ventus-axway\/providers\/[a-zA-Z]+"\);$/;

test("a stack written with the closure `__provider` moves to the one-line form with no change, and keeps working", async () => {
  const proxies = await fetch(`${emu.axwayUrl}/api/portal/v1.3/proxies`, {
    headers: { authorization: `Basic ${Buffer.from("apiadmin:changeme").toString("base64")}` },
  });
  const apiId = ((await proxies.json()) as Array<{ id: string }>)[0]!.id;
  const base = ventusConfig(emu);
  const stack = await TestStack.create("state-format", EARLIER, {
    config: { ...base.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { ...base.secrets, "axway:password": "changeme" },
    env: { API_ID: apiId },
  });
  await stack.up();
  const kinds = (await stack.state()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/pulumi-ventus-axway:"));
  expect(kinds.map((r) => r.type.split(":").pop()).sort()).toEqual([
    "OrganizationApiAccess",
    "PortalOrganization",
    "RegistrationToken",
    "VentusProject",
  ]);
  for (const r of kinds) expect(String(r.inputs?.__provider)).toMatch(/function __f0\(\)/);
  const urns = kinds.map((r) => r.urn).sort();

  // The SDK's classes: the same URNs, nothing to do, and no call that changes anything.
  stack.writeProgram(CURRENT("before"));
  emu.resetStats();
  await stack.expectNoChanges(true);
  await stack.up();
  expect(writes()).toBe(0);
  const moved = (await stack.state()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/pulumi-ventus-axway:"));
  expect(moved.map((r) => r.urn).sort()).toEqual(urns);
  for (const r of moved) {
    expect(String(r.inputs?.__provider)).toMatch(ONE_LINE);
    // The source position is the program's line, not the SDK's class.
    expect((r as { sourcePosition?: string }).sourcePosition).toMatch(/^project:\/\/\/index\.js#\d+,\d+$/);
  }

  // Either form loads: a refresh reads through the outputs' closure, an update writes the one line.
  await stack.refresh();
  stack.writeProgram(CURRENT("after"));
  emu.resetStats();
  await stack.up();
  expect(emu.stats().byRoute["PUT /api/portal/v1.3/organizations/{id}"]).toBe(1);
  expect(writes()).toBe(1);
  const org = (await stack.state()).find((r) => r.type.endsWith(":PortalOrganization"))!;
  expect(String(org.outputs?.__provider)).toMatch(ONE_LINE);
  expect(org.outputs?.description).toBe("after");
  await stack.expectNoChanges(true);

  await stack.destroy();
  expect((await stack.state()).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))).toEqual([]);
}, 240_000);
