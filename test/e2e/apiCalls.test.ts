// How many API calls each command makes, through the real CLI: the minimum the services allow,
// and where the provider spends more on purpose, the reason (see README, "In a pipeline").
// Counts, not times: times belong to the benchmark (npm run bench).
import type { RunningEmulator } from "../../emulator";
import { TestStack, emulator, ventusConfig } from "./harness";

const N = 5;
let emu: RunningEmulator;
afterEach(async () => emu?.stop());

const program = (suffix: string) => `
const v = require("pulumi-ventus-axway");
const apiId = v.getPortalApis({ name: "Petstore" }).then((a) => a[0].id);
for (let i = 0; i < ${N}; i++) {
  new v.VentusProject("p" + i, { region: "vienna", name: "project " + i + "${suffix}" });
  const org = new v.PortalOrganization("org" + i, { name: "Org " + i, description: "d${suffix}" });
  new v.OrganizationApiAccess("grant" + i, { organizationId: org.id, apiId });
  new v.RegistrationToken("code" + i, { organizationId: org.id, userQuota: 3, expiry: "2031-01-01T00:00:00Z", enabled: ${suffix === ""} });
}
`;

const ROUTES = {
  tokens: "GET /get-tokens",
  projects: "GET /v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects",
  createProject: "POST /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{name}",
  renameProject: "PUT /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}",
  deleteProject: "DELETE /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}",
};

test("create, no-op preview, refresh, update and destroy make the minimum number of calls", async () => {
  emu = await emulator();
  const settings = ventusConfig(emu);
  const stack = await TestStack.create("calls", program(""), {
    config: { ...settings.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin" },
    secrets: { ...settings.secrets, "axway:password": "changeme" },
  });
  const calls = () => {
    const byRoute = emu.stats().byRoute;
    emu.resetStats();
    return byRoute;
  };
  const portal = (route: string) => `${route}`;
  calls();

  await stack.up();
  const created = calls();
  // One POST per resource; Ventus also one token and, for idempotent creates, the listing of
  // the organization's projects taken before the first create. Codes of organizations made in
  // the same run need no such listing. GET /proxies is the program's getPortalApis.
  expect(created).toEqual({
    [ROUTES.tokens]: 1,
    [ROUTES.projects]: 1,
    [ROUTES.createProject]: N,
    [portal("POST /api/portal/v1.3/organizations")]: N,
    [portal("POST /api/portal/v1.3/organizations/{id}/apis")]: N,
    [portal("POST /api/portal/v1.3/organizations/{id}/tokens")]: N,
    [portal("GET /api/portal/v1.3/proxies")]: 1,
    // Creating organizations reads the portal's custom property definitions, once per process (required ones).
    [portal("GET /api/portal/v1.3/config/customproperties")]: 1,
  });

  await stack.expectNoChanges();
  expect(calls()).toEqual({ [portal("GET /api/portal/v1.3/proxies")]: 1 });

  await stack.refresh();
  // One listing answers every read of its kind: organizations once, each one's grants and codes once.
  expect(calls()).toEqual({
    [ROUTES.tokens]: 1,
    [ROUTES.projects]: 1,
    [portal("GET /api/portal/v1.3/organizations")]: 1,
    [portal("GET /api/portal/v1.3/organizations/{id}/apis")]: N,
    [portal("GET /api/portal/v1.3/organizations/{id}/tokens")]: N,
  });

  stack.writeProgram(program(" v2"));
  await stack.up();
  expect(calls()).toEqual({
    [ROUTES.tokens]: 1,
    [ROUTES.renameProject]: N,
    [portal("PUT /api/portal/v1.3/organizations/{id}")]: N,
    [portal("PUT /api/portal/v1.3/organizations/{id}/tokens/{token}")]: N,
    [portal("GET /api/portal/v1.3/proxies")]: 1,
  });

  await stack.destroy();
  expect(calls()).toEqual({
    [ROUTES.tokens]: 1,
    [ROUTES.deleteProject]: N,
    [portal("DELETE /api/portal/v1.3/organizations/{id}")]: N,
    [portal("DELETE /api/portal/v1.3/organizations/{id}/apis/{apiAccessId}")]: N,
    [portal("DELETE /api/portal/v1.3/organizations/{id}/tokens/{token}")]: N,
  });
});

test("in session mode every process that logs in logs out when it is done (up, refresh, destroy)", async () => {
  emu = await emulator();
  const settings = ventusConfig(emu);
  const stack = await TestStack.create("sessions", program(""), {
    config: { ...settings.config, "axway:url": emu.axwayUrl, "axway:username": "apiadmin", "axway:sessionLogin": "true" },
    secrets: { ...settings.secrets, "axway:password": "changeme" },
  });
  for (const command of [
    ["up", "--yes", "--skip-preview"],
    ["refresh", "--yes", "--skip-preview"],
    ["destroy", "--yes", "--skip-preview"],
  ]) {
    emu.resetStats();
    await stack.pulumiOk(command);
    const byRoute = emu.stats().byRoute;
    const logins = byRoute["POST /api/portal/v1.3/login"] ?? 0;
    // up: the program (getPortalApis) and the provider; refresh and destroy: the provider.
    expect({ command: command[0], logins: logins > 0 }).toEqual({ command: command[0], logins: true });
    expect({ command: command[0], logouts: byRoute["DELETE /api/portal/v1.3/login"] ?? 0 }).toEqual({
      command: command[0],
      logouts: logins,
    });
  }
});
