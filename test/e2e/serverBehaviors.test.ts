// Zero false drift under every server behaviour the documents allow. Where the seeds and
// Axway's Swagger leave a choice open (PUT that replaces or merges, a quota that counts down
// or is capped, answers without a JSON body, listings that lag behind writes, `gete` or
// `gele`, the session cookie's name, regions beyond the seed's three), the emulator plays
// each one and the provider must converge: after every `up`, a refreshing preview is clean.
import type { Behavior, RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, ventusConfig } from "./harness";

interface Decl {
  description?: string;
  projectName: string;
  grantEnabled: boolean;
  codeEnabled: boolean;
  rangeOp: "gete" | "gele";
}

function program(d: Decl): string {
  const org: Record<string, unknown> = { name: "Behaviour Corp", email: "ops@behaviour.example" };
  if (d.description !== undefined) org.description = d.description;
  return `
const v = require("pulumi-ventus-axway");
const project = new v.VentusProject("project", { region: "Zurich-West", name: ${JSON.stringify(d.projectName)} });
const org = new v.PortalOrganization("org", ${JSON.stringify(org)});
const apiId = v.getPortalApis({ name: "Petstore" }).then((a) => a[0].id);
const grant = new v.OrganizationApiAccess("grant", { organizationId: org.id, apiId, enabled: ${d.grantEnabled} });
const code = new v.RegistrationToken("code", { organizationId: org.id, userQuota: 15, expiry: "2031-01-01T00:00:00Z", enabled: ${d.codeEnabled} });
exports.projectId = project.id;
exports.regionName = project.regionName;
exports.orgId = org.id;
exports.code = code.token;
exports.maxUsers = code.maxUsers;
exports.remainingUsers = code.remainingUsers;
exports.found = v.getPortalOrganizations({ filters: [{ field: "createdOn", op: ${JSON.stringify(d.rangeOp)}, value: "0,99999999999999" }] })
  .then((list) => list.map((o) => o.name));
`;
}

const SERVERS: Array<[string, Partial<Behavior>, { sessionLogin: boolean; rangeOp: "gete" | "gele" }]> = [
  [
    "merge-PUT, text bodies, empty PUT answers, lagging listings, gete only, a JSESSIONID session, quota capped at 10",
    {
      organizationPut: "merge",
      nonJsonBodies: true,
      emptyPutAnswers: true,
      listingLagMs: 1500,
      rangeOp: "gete",
      sessionCookie: "JSESSIONID",
      tokenQuotaCap: 10,
      ventusRegions: { "zurich-west": "Zurich-West", vienna: "Vienna" },
    },
    { sessionLogin: true, rangeOp: "gele" },
  ],
  [
    "replace-PUT, JSON bodies, gele only, Basic auth, no cap",
    { organizationPut: "replace", rangeOp: "gele", ventusRegions: { "zurich-west": "Zurich-West" } },
    { sessionLogin: false, rangeOp: "gete" },
  ],
];

let emu: RunningEmulator;
/** Changes made by hand reach lagging listings only after the lag: a drift check runs after it. */
const waitOutLag = (behavior: Partial<Behavior>) => new Promise((r) => setTimeout(r, behavior.listingLagMs ?? 0));
afterEach(async () => emu?.stop());

test.each(SERVERS)("no false drift against a server with %s", async (_name, behavior, client) => {
  emu = await emulator({ behavior });
  const settings = ventusConfig(emu);
  const decl: Decl = { description: "first", projectName: "alpha", grantEnabled: true, codeEnabled: true, rangeOp: client.rangeOp };
  const stack = await TestStack.create("behaviors", program(decl), {
    config: {
      ...settings.config,
      "axway:url": emu.axwayUrl,
      "axway:username": "apiadmin",
      "axway:sessionLogin": String(client.sessionLogin),
    },
    secrets: { ...settings.secrets, "axway:password": "changeme" },
  });
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  const ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  try {
    await stack.up();
    const out = await stack.outputs();
    expect(out.regionName).toBe("Zurich-West");
    const cap = behavior.tokenQuotaCap ?? 15;
    expect(out).toMatchObject({ maxUsers: cap, remainingUsers: cap });
    // Right after the writes, while listings may still lag: nothing to change.
    await stack.expectNoChanges(true);

    // People join with the code: the remaining count falls, and that is not drift.
    emu.registerWithCode(String(out.orgId), String(out.code));
    emu.registerWithCode(String(out.orgId), String(out.code));
    await waitOutLag(behavior);
    await stack.expectNoChanges(true);
    await stack.refresh();
    expect((await stack.resource("RegistrationToken", "code"))?.outputs).toMatchObject({
      maxUsers: cap,
      remainingUsers: cap - 2,
      userQuota: 15,
    });

    // Changes in place: a field removed, a rename, a grant and a code disabled.
    Object.assign(decl, { description: undefined, projectName: "beta", grantEnabled: false, codeEnabled: false });
    stack.writeProgram(program(decl));
    await stack.up();
    // The range filter was asked with the spelling this server refuses, and still answered.
    expect((await stack.outputs()).found).toContain("Behaviour Corp");
    // This test's own look at the listings waits out their lag.
    await waitOutLag(behavior);
    const org = await portal.getOrganization(String(out.orgId));
    expect(org?.description ?? undefined).toBeUndefined();
    expect((await ventus.getProject("zurich-west", String(out.projectId)))?.name).toBe("beta");
    expect((await portal.listApiAccess(String(out.orgId)))[0]?.enabled).toBe(false);
    await stack.expectNoChanges(true);

    // A limit changed by hand is drift, and `up` puts the declared quota back.
    await portal.updateToken(String(out.orgId), String(out.code), { userQuota: 3 });
    await waitOutLag(behavior);
    const drift = await stack.preview("--refresh", "--expect-no-changes");
    expect(drift.code).not.toBe(0);
    expect(drift.output).toMatch(/userQuota\s*:\s*3 => 15/);

    await stack.destroy();
    await waitOutLag(behavior);
    expect(await ventus.listProjects(VENTUS_ORG)).toEqual([]);
    expect(await portal.getOrganization(String(out.orgId))).toBeUndefined();
  } finally {
    await Promise.all([portal.close(), ventus.close()]);
  }
});
