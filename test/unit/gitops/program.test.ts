// declareResources under Pulumi's mocks: the resources are named after the keys the files
// state, so reordering entries, moving them between files or renaming an organization's
// display name keeps every URN (nothing is replaced).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { loadDeclarations } from "../../../gitops/declarations";
import { declareResources } from "../../../gitops/program";

let emu: RunningEmulator;
const env = { ...process.env };
beforeAll(async () => {
  // getPortalApis runs in the program: it asks the (in-process) emulator for the APIs' ids.
  emu = await startEmulator({ port: 0 });
  Object.assign(process.env, { AXWAY_URL: emu.axwayUrl, AXWAY_USERNAME: "apiadmin", AXWAY_PASSWORD: "changeme" });
});
afterAll(async () => {
  process.env = env;
  await emu.stop();
});

const registered: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      registered.push({ type: args.type, name: args.name, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
  },
  "gitops",
  "test",
  false,
);

async function names(files: Record<string, string>): Promise<Array<{ type: string; name: string; inputs: Record<string, unknown> }>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pva-prog-"));
  try {
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
    registered.length = 0;
    const declared = declareResources(loadDeclarations(dir));
    // Wait until every resource is registered (grants wait for the API lookup).
    await Promise.all(Object.values(declared.apiAccess).map((g) => new Promise((ok) => g.apiId.apply(ok))));
    return [...registered].sort((a, b) => `${a.type} ${a.name}`.localeCompare(`${b.type} ${b.name}`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const T = "pulumi-nodejs:dynamic/pulumi-ventus-axway:";

test("resources are named after the keys; grants after the API's name, with its id looked up", async () => {
  emu.resetStats();
  const r = await names({
    "a.yaml":
      "organizations:\n  acme:\n    name: Acme\n    apis:\n      Petstore: {}\n      Weather: { enabled: false }\n    registrationCodes:\n      onboarding: { userQuota: 3 }\n  beta:\n    name: Beta\n    apis:\n      Inventory: {}\n      Petstore: {}\nventusProjects:\n  web: { name: web-frontend, region: Vienna }\n",
  });
  // Three API names, one listing resolves them all.
  expect(emu.stats().byRoute).toEqual({ "GET /api/portal/v1.3/proxies": 1 });
  expect(r.map((x) => `${x.type.replace(T, "")} ${x.name}`)).toEqual([
    "OrganizationApiAccess acme/Petstore",
    "OrganizationApiAccess acme/Weather",
    "OrganizationApiAccess beta/Inventory",
    "OrganizationApiAccess beta/Petstore",
    "PortalOrganization acme",
    "PortalOrganization beta",
    "RegistrationToken acme/onboarding",
    "VentusProject web",
  ]);
  const weather = r.find((x) => x.name === "acme/Weather")!;
  expect(weather.inputs).toMatchObject({ organizationId: "acme-id", enabled: false });
  expect(weather.inputs.apiId).toMatch(/^[0-9a-f-]{36}$/);
  expect(r.find((x) => x.name === "web")!.inputs).toMatchObject({ name: "web-frontend", region: "vienna" });
});

test("reordering, moving between files and renaming a display name keep every resource name", async () => {
  const before = await names({
    "a.yaml": "organizations:\n  one: { name: One, apis: { Petstore: {} } }\n  two: { name: Two }\n",
    "b.yaml": "ventusProjects:\n  p1: { name: p1, region: vienna }\n  p2: { name: p2, region: vienna }\n",
  });
  const after = await names({
    "a.yaml": "ventusProjects:\n  p2: { name: p2, region: vienna }\norganizations:\n  two: { name: Two renamed }\n",
    "b.yaml": "ventusProjects:\n  p1: { name: p1, region: vienna }\norganizations:\n  one: { name: One, apis: { Petstore: {} } }\n",
  });
  const key = (x: { type: string; name: string }) => `${x.type} ${x.name}`;
  expect(after.map(key)).toEqual(before.map(key));
  expect(after.find((x) => x.name === "two")!.inputs.name).toBe("Two renamed");
});
