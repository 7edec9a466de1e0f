// A pipeline's `pulumi up` against services that drop connections, throttle and lose answers:
// 100 resources of the four kinds, one plain `up` (no --continue-on-error) with a fifth of
// all requests faulted, lost create answers included. It must exit 0 and leave exactly what
// is declared on the services (no duplicate, no orphan), and a refreshing preview must then
// find nothing to change.
import type { Fault, RunningEmulator } from "../../emulator";
import { AxwayClient } from "../../provider/clients/axway/client";
import { VentusClient } from "../../provider/clients/ventus/client";
import { TestStack, VENTUS_ORG, VENTUS_PASSWORD, VENTUS_USER, emulator, ventusConfig } from "./harness";

const PROJECTS = 40;
const ORGS = 20;
const REGIONS = ["eastern-switzerland", "upper-austria", "vienna"];
/** Names repeat (project i and i + 30 share name and region): names are not unique on Ventus. */
const projectName = (i: number) => `proj-${i % 30}`;

/**
 * About a fifth of all requests (the first fault that fires wins): 503s, resets before the
 * server acts, 429s with Retry-After, and for creates also lost answers (made, then the
 * connection dropped) and 502s.
 */
const FAULTS: Fault[] = [
  { method: "POST", rate: 0.1, lostAnswer: true },
  { method: "POST", rate: 0.04, status: 502 },
  { rate: 0.08, status: 503 },
  { rate: 0.06, reset: true },
  { rate: 0.05, status: 429, retryAfter: 1 },
];

function program(): string {
  return `
const v = require("pulumi-ventus-axway");
const regions = ${JSON.stringify(REGIONS)};
for (let i = 0; i < ${PROJECTS}; i++) {
  new v.VentusProject("p" + i, { region: regions[i % 3], name: "proj-" + (i % 30) });
}
const apis = v.getPortalApis();
for (let i = 0; i < ${ORGS}; i++) {
  const org = new v.PortalOrganization("org" + i, { name: "Team " + i, description: "team number " + i });
  new v.OrganizationApiAccess("grant" + i, { organizationId: org.id, apiId: apis.then((a) => a[i % a.length].id) });
  new v.RegistrationToken("code" + i, { organizationId: org.id, userQuota: 5, expiry: "2031-01-01T00:00:00Z" });
}
`;
}

let emu: RunningEmulator;
afterEach(async () => emu?.stop());

/** Organizations the emulator starts with (its seeded partner): not the stack's. */
let seededOrgs: string[] = [];

async function serverHoldsExactlyTheDeclaration(stack: TestStack): Promise<void> {
  const ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  try {
    const state = await stack.state();
    const idsOf = (type: string) => new Set(state.filter((r) => r.type.endsWith(type)).map((r) => r.id));

    // Ventus: as many projects of each name and region as declared, and each one in state.
    const projects = await ventus.listProjects(VENTUS_ORG);
    const count = (list: string[]) => list.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});
    const declared = count(Array.from({ length: PROJECTS }, (_, i) => `${projectName(i)}@${REGIONS[i % 3]}`));
    expect(count(projects.map((p) => `${p.name}@${p.region.toLowerCase()}`))).toEqual(declared);
    expect(new Set(projects.map((p) => p.id))).toEqual(idsOf("VentusProject"));

    // Portal: each organization once, with exactly one grant and one code, all in state.
    const orgs = (await portal.listOrganizations()).filter((o) => !seededOrgs.includes(o.id));
    expect(orgs.map((o) => o.name).sort()).toEqual(Array.from({ length: ORGS }, (_, i) => `Team ${i}`).sort());
    expect(new Set(orgs.map((o) => o.id))).toEqual(idsOf("PortalOrganization"));
    const grantIds = new Set<string>();
    let codes = 0;
    for (const org of orgs) {
      const grants = await portal.listApiAccess(org.id);
      expect(grants).toHaveLength(1);
      grantIds.add(grants[0]!.id);
      const tokens = await portal.listTokens(org.id);
      expect(tokens).toHaveLength(1);
      codes += tokens.length;
    }
    expect(grantIds).toEqual(idsOf("OrganizationApiAccess"));
    expect(codes).toBe(idsOf("RegistrationToken").size);
  } finally {
    await Promise.all([ventus.close(), portal.close()]);
  }
}

async function convergeUnderFaults(name: string, ventusTokenTtlSeconds?: number): Promise<void> {
  emu = await emulator({ faultSeed: 20261125, behavior: ventusTokenTtlSeconds ? { ventusTokenTtlSeconds } : {} });
  const settings = ventusConfig(emu);
  const stack = await TestStack.create(name, program(), {
    config: { ...settings.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { ...settings.secrets, "axway:password": "changeme" },
  });
  const portal = new AxwayClient({ url: emu.axwayUrl, username: "apiadmin", password: "changeme" });
  seededOrgs = (await portal.listOrganizations()).map((o) => o.id);
  for (const f of FAULTS) emu.injectFault(f);

  const started = Date.now();
  const up = await stack.pulumi(["up", "--yes", "--skip-preview"]);
  const stats = emu.stats();
  const faults = stats.faults;
  const faulted = faults.status + faults.reset + faults.lostAnswer;
  console.log(
    `${name}: up of 100 resources in ${((Date.now() - started) / 1000).toFixed(1)} s, ${stats.total} requests, ` +
      `${faulted} faulted (${((100 * faulted) / stats.total).toFixed(1)} %): ${JSON.stringify(faults)}, ${stats.byRoute["GET /get-tokens"]} token fetches`,
  );
  expect(up.output).not.toMatch(/error:/);
  expect(up.code).toBe(0);
  // The faults did happen, lost create answers among them.
  expect(faults.lostAnswer).toBeGreaterThan(3);
  expect(faulted / stats.total).toBeGreaterThan(0.15);
  // Short-lived tokens were renewed along the way.
  if (ventusTokenTtlSeconds) expect(stats.byRoute["GET /get-tokens"]).toBeGreaterThan(2);

  emu.clearFaults();
  await serverHoldsExactlyTheDeclaration(stack);
  await stack.expectNoChanges(true);

  // Destroy under the same faults leaves nothing behind.
  for (const f of FAULTS) emu.injectFault(f);
  const destroy = await stack.pulumi(["destroy", "--yes", "--skip-preview"]);
  expect(destroy.code).toBe(0);
  emu.clearFaults();
  const ventus = new VentusClient({ authUrl: emu.url, apiUrl: emu.url, username: VENTUS_USER, password: VENTUS_PASSWORD, listCacheMs: 0 });
  expect(await ventus.listProjects(VENTUS_ORG)).toEqual([]);
  expect((await portal.listOrganizations()).map((o) => o.id)).toEqual(seededOrgs);
  await Promise.all([ventus.close(), portal.close()]);
}

test("one plain up of 100 resources converges with 20 % of requests faulted, lost create answers included", async () => {
  await convergeUnderFaults("faults");
});

test("the same with Ventus tokens that expire every 2 seconds", async () => {
  await convergeUnderFaults("faults-short-tokens", 2);
});
