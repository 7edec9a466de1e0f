// The SDK's functions against the in-process emulator: their declared result types (only the
// declared fields, no nulls), and their `…Output` variants under Pulumi's runtime mocks
// (Inputs in, an Output out, `dependsOn` waited for). Their bad arguments end the program, as
// the plain functions' do: test/e2e/badInput.test.ts drives those.
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../../emulator";
import { axwayClient } from "../../../provider/clients";
import {
  getPortalApis,
  getPortalApisOutput,
  getPortalOrganizations,
  getPortalOrganizationsOutput,
  getPrices,
  getPricesOutput,
  getVentusProjects,
  getVentusProjectsOutput,
  type PortalApi,
  type PortalOrganizationInfo,
} from "../../../provider/functions";
import { VentusProject } from "../../../sdk/ventusProject";

const ORG = "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50";
const ORGANIZATION_FIELDS: Array<keyof PortalOrganizationInfo> = [
  "id",
  "name",
  "description",
  "email",
  "image",
  "restricted",
  "virtualHost",
  "phone",
  "enabled",
  "development",
  "dn",
  "createdOn",
  "startTrialDate",
  "endTrialDate",
  "trialDuration",
  "isTrial",
];
const API_FIELDS: Array<keyof PortalApi> = ["id", "name", "version", "path", "state"];

let emu: RunningEmulator;
const env = { ...process.env };
beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  Object.assign(process.env, {
    AXWAY_URL: emu.axwayUrl,
    AXWAY_USERNAME: "apiadmin",
    AXWAY_PASSWORD: "changeme",
    VENTUS_AUTH_URL: emu.ventusAuthUrl,
    VENTUS_API_URL: emu.ventusApiUrl,
    VENTUS_USERNAME: "demo@ventus.example",
    VENTUS_PASSWORD: "demo-password",
    VENTUS_ORGANIZATION_ID: ORG,
  });
});
afterAll(async () => {
  process.env = env;
  await emu.stop();
});

const created: string[] = [];
pulumi.runtime.setMocks(
  {
    newResource: (args) => {
      created.push(args.name);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
  },
  "functions",
  "test",
  false,
);

/** An Output's value, or its error (Output's own promise, which apply does not expose). */
const settled = <T>(o: pulumi.Output<T>) => (o as unknown as { promise(): Promise<T> }).promise();

/** Every value of a result, deep: none may be null. */
function values(x: unknown): unknown[] {
  return x !== null && typeof x === "object" ? Object.values(x).flatMap((v) => [v, ...values(v)]) : [];
}

test("getPortalOrganizations: only the declared fields, an unset one absent rather than null", async () => {
  // The portal answers null for an unset field (the seeded organization has no image).
  expect(values(await axwayClient(undefined).listOrganizations())).toContain(null);
  const orgs = await getPortalOrganizations();
  expect(orgs.map((o) => o.name)).toContain("Seeded Partner");
  for (const o of orgs) {
    expect(ORGANIZATION_FIELDS).toEqual(expect.arrayContaining(Object.keys(o)));
    expect(typeof o.id).toBe("string");
  }
  expect(values(orgs)).not.toContain(null);
});

test("getPortalApis and getPrices: declared fields only, no nulls", async () => {
  const apis = await getPortalApis();
  expect(apis.map((a) => a.name)).toEqual(expect.arrayContaining(["Petstore", "Weather"]));
  for (const a of apis) expect(API_FIELDS).toEqual(expect.arrayContaining(Object.keys(a)));
  const prices = await getPrices();
  expect(Object.keys(prices).sort()).toEqual(["chf", "eur"]);
  for (const f of prices.chf.flavors) expect(["id", "name", "base", "windows"]).toEqual(expect.arrayContaining(Object.keys(f)));
  expect(values([apis, prices])).not.toContain(null);
});

test("…Output variants take Inputs, Outputs of other resources included, and give what the plain functions give", async () => {
  const name = pulumi.output(Promise.resolve("Seeded Partner"));
  const orgs = await settled(getPortalOrganizationsOutput({ filters: [{ field: "name", op: "eq", value: name }] }));
  expect(orgs).toEqual(await getPortalOrganizations({ filters: [{ field: "name", op: "eq", value: "Seeded Partner" }] }));
  expect(orgs).toHaveLength(1);
  expect(await settled(getPortalApisOutput({ name: pulumi.output("Weather") }))).toEqual(await getPortalApis({ name: "Weather" }));
  expect(await settled(getVentusProjectsOutput({ organizationId: pulumi.output(ORG) }))).toEqual(
    await getVentusProjects({ organizationId: ORG }),
  );
  expect(await settled(getPricesOutput())).toEqual(await getPrices());
});

test("…Output variants wait for dependsOn: the resource is registered before the call", async () => {
  const project = new VentusProject("first", { region: "vienna", name: "first" });
  const projects = await settled(getVentusProjectsOutput({}, { dependsOn: [project] }));
  expect(created).toContain("first");
  expect(Array.isArray(projects)).toBe(true);
  expect(await settled(getPricesOutput({ dependsOn: project }))).toHaveProperty("chf");
});
