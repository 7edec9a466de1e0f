// The plugin's gRPC server in process, spoken to as the engine does (the ResourceProvider
// client of @pulumi/pulumi/proto), against the emulator: configuration from Configure (args or
// variables) and from the environment, check failures and unknowns, create/read/update/delete
// of all four resources with the schema's outputs, secrets wrapped, an import's read from the
// id alone, a create that made its object before failing, and the four functions.
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { startEmulator, type RunningEmulator } from "../../../../emulator";
import { buildSchema } from "../../../../provider/plugin/schema";
import { serve } from "../../../../provider/plugin/server";
import { SIG_KEY, SECRET_SIG, secret } from "../../../../provider/plugin/values";

const ORG = "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const T = (name: string) => `ventus-axway:index:${name}`;
const urn = (type: string, name: string) => `urn:pulumi:test::proj::${T(type)}::${name}`;
type Obj = Record<string, unknown>;

let emu: RunningEmulator;
let server: grpc.Server;
let client: provrpc.ResourceProviderClient;
const schema = buildSchema("0.1.0") as { resources: Record<string, { properties: Record<string, { type?: string; oneOf?: unknown }> }> };
const ENV = [
  "VENTUS_USERNAME",
  "VENTUS_PASSWORD",
  "VENTUS_ORGANIZATION_ID",
  "VENTUS_AUTH_URL",
  "VENTUS_API_URL",
  "AXWAY_URL",
  "AXWAY_USERNAME",
  "AXWAY_PASSWORD",
];
const savedEnv: Obj = {};

beforeAll(async () => {
  for (const k of ENV) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
  emu = await startEmulator({ port: 0 });
  const served = await serve({ version: "9.9.9" });
  server = served.server;
  client = new provrpc.ResourceProviderClient(`127.0.0.1:${served.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  server.forceShutdown();
  await emu.stop();
  for (const k of ENV)
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k] as string;
});

/** One unary call, as a promise. */
function call<Req, Res>(method: string, req: Req): Promise<Res> {
  return new Promise((resolve, reject) =>
    (client as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method](req, (e, r) =>
      e ? reject(e) : resolve(r),
    ),
  );
}
const struct = (o: Obj) => Struct.fromJavaScript(o as never);

function settings(): Obj {
  return {
    ventusUsername: "demo@ventus.example",
    ventusPassword: secret("demo-password"),
    ventusOrganizationId: ORG,
    ventusAuthUrl: emu.url,
    ventusApiUrl: emu.url,
    axwayUrl: emu.axwayUrl,
    axwayUsername: "apiadmin",
    axwayPassword: secret("changeme"),
  };
}

async function configureWith(args: Obj | undefined, variables: Record<string, string> = {}): Promise<provproto.ConfigureResponse> {
  const req = new provproto.ConfigureRequest();
  if (args) req.setArgs(struct(args));
  for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(k, v);
  return call("configure", req);
}

async function check(
  type: string,
  news: Obj,
  olds: Obj = {},
  method: "check" | "checkConfig" = "check",
): Promise<{ inputs: Obj; failures: string[] }> {
  const req = new provproto.CheckRequest();
  req.setUrn(urn(type, "r"));
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  const res = await call<provproto.CheckRequest, provproto.CheckResponse>(method, req);
  return { inputs: res.getInputs()!.toJavaScript() as Obj, failures: res.getFailuresList().map((f) => f.getReason()) };
}

async function create(type: string, news: Obj): Promise<{ id: string; outs: Obj; inputs: Obj }> {
  const { inputs, failures } = await check(type, news);
  expect(failures).toEqual([]);
  const req = new provproto.CreateRequest();
  req.setUrn(urn(type, "r"));
  req.setProperties(struct(inputs));
  const res = await call<provproto.CreateRequest, provproto.CreateResponse>("create", req);
  return { id: res.getId(), outs: res.getProperties()!.toJavaScript() as Obj, inputs };
}

async function read(type: string, id: string, props?: Obj): Promise<{ id: string; outs?: Obj; inputs?: Obj }> {
  const req = new provproto.ReadRequest();
  req.setUrn(urn(type, "r"));
  req.setId(id);
  if (props) req.setProperties(struct(props));
  const res = await call<provproto.ReadRequest, provproto.ReadResponse>("read", req);
  return {
    id: res.getId(),
    outs: res.getProperties()?.toJavaScript() as Obj | undefined,
    inputs: res.getInputs()?.toJavaScript() as Obj | undefined,
  };
}

async function diff(type: string, id: string, olds: Obj, news: Obj): Promise<{ changes: number; replaces: string[] }> {
  const req = new provproto.DiffRequest();
  req.setUrn(urn(type, "r"));
  req.setId(id);
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  const res = await call<provproto.DiffRequest, provproto.DiffResponse>("diff", req);
  return { changes: res.getChanges(), replaces: res.getReplacesList() };
}

async function update(type: string, id: string, olds: Obj, news: Obj): Promise<Obj> {
  const req = new provproto.UpdateRequest();
  req.setUrn(urn(type, "r"));
  req.setId(id);
  req.setOlds(struct(olds));
  req.setNews(struct(news));
  const res = await call<provproto.UpdateRequest, provproto.UpdateResponse>("update", req);
  return res.getProperties()!.toJavaScript() as Obj;
}

async function del(type: string, id: string, props: Obj): Promise<void> {
  const req = new provproto.DeleteRequest();
  req.setUrn(urn(type, "r"));
  req.setId(id);
  req.setProperties(struct(props));
  await call("delete", req);
}

async function invoke(fn: string, args: Obj = {}): Promise<Obj> {
  const req = new provproto.InvokeRequest();
  req.setTok(T(fn));
  req.setArgs(struct(args));
  const res = await call<provproto.InvokeRequest, provproto.InvokeResponse>("invoke", req);
  return res.getReturn()!.toJavaScript() as Obj;
}

const isSecretValue = (v: unknown) => typeof v === "object" && v !== null && (v as Obj)[SIG_KEY] === SECRET_SIG;
const plain = (v: unknown) => (isSecretValue(v) ? (v as Obj).value : v);

/** Each output is declared in the schema, with the declared type. */
function expectSchemaOutputs(type: string, outs: Obj): void {
  const declared = schema.resources[T(type)].properties;
  for (const [k, raw] of Object.entries(outs)) {
    expect({ type, output: k, declared: k in declared }).toEqual({ type, output: k, declared: true });
    const v = plain(raw);
    const want = declared[k].type;
    const got = typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v;
    if (want) expect({ type, output: k, got }).toEqual({ type, output: k, got: want === "number" && got === "integer" ? "integer" : want });
  }
}

test("plugin info and schema", async () => {
  const info = await call<Empty, { getVersion(): string }>("getPluginInfo", new Empty());
  expect(info.getVersion()).toBe("9.9.9");
  const res = await call<provproto.GetSchemaRequest, provproto.GetSchemaResponse>("getSchema", new provproto.GetSchemaRequest());
  expect(JSON.parse(res.getSchema())).toEqual(JSON.parse(JSON.stringify(buildSchema("9.9.9"))));
});

test("before any configuration: errors and check failures name the settings as the plugin spells them, and their variables", async () => {
  await configureWith({});
  const noCredentials = await check("VentusProject", { region: "vienna", name: "x", organizationId: ORG });
  expect(noCredentials.failures).toEqual([
    "Ventus Cloud credentials are not configured: set ventus-axway:ventusUsername (or VENTUS_USERNAME), ventus-axway:ventusPassword (or VENTUS_PASSWORD)",
  ]);
  const { ventusOrganizationId: _none, ...withoutOrg } = settings();
  await configureWith(withoutOrg);
  const noOrg = await check("VentusProject", { region: "vienna", name: "x" });
  expect(noOrg.failures).toEqual([
    "organizationId: not set on the resource, and neither ventus-axway:ventusOrganizationId nor VENTUS_ORGANIZATION_ID is set",
  ]);
});

test("all four resources through Configure's settings: create, outputs as the schema says, secrets, drift, update, refresh, import, delete", async () => {
  const conf = await configureWith(settings());
  expect(conf.getAcceptsecrets()).toBe(true);
  expect(conf.getSupportspreview()).toBe(false);

  // VentusProject: the default organization comes from the provider's configuration.
  const checked = await check("VentusProject", { region: "Vienna", name: "web" });
  expect(checked.inputs).toEqual({ region: "vienna", name: "web", organizationId: ORG });
  const project = await create("VentusProject", { region: "Vienna", name: "web" });
  expect(project.outs).toEqual({ organizationId: ORG, region: "vienna", name: "web", regionName: "Vienna" });
  expectSchemaOutputs("VentusProject", project.outs);
  expect(await diff("VentusProject", project.id, project.outs, { ...project.inputs, name: "web2" })).toEqual({ changes: 2, replaces: [] });
  expect(await diff("VentusProject", project.id, project.outs, { ...project.inputs, region: "upper-austria" })).toEqual({
    changes: 2,
    replaces: ["region"],
  });
  expect(await diff("VentusProject", project.id, project.outs, project.inputs)).toEqual({ changes: 1, replaces: [] });
  const renamed = await update("VentusProject", project.id, project.outs, { ...project.inputs, name: "web2" });
  expect(renamed.name).toBe("web2");
  // Import: the id alone (default organization) and organization/id.
  for (const importId of [project.id, `${ORG}/${project.id}`]) {
    const imported = await read("VentusProject", importId);
    expect(imported).toEqual({ id: project.id, outs: { ...renamed }, inputs: { organizationId: ORG, region: "vienna", name: "web2" } });
  }
  expect(await read("VentusProject", `${ORG}/000000000000000000000000`)).toEqual({ id: "", outs: undefined, inputs: undefined });

  // PortalOrganization.
  const org = await create("PortalOrganization", { name: "Plugin Org", email: "a@b.example" });
  expectSchemaOutputs("PortalOrganization", org.outs);
  expect(org.outs).toMatchObject({
    name: "Plugin Org",
    email: "a@b.example",
    enabled: true,
    dn: "o=Plugin Org,ou=organizations,ou=APIPortal",
  });
  const orgImport = await read("PortalOrganization", org.id);
  expect(orgImport.id).toBe(org.id);
  expect(orgImport.inputs).toEqual({
    name: "Plugin Org",
    email: "a@b.example",
    enabled: true,
    development: false,
    restricted: false,
    isTrial: false,
  });

  // OrganizationApiAccess, its API found by the function.
  const { apis } = (await invoke("getPortalApis", { name: "Weather" })) as { apis: Array<{ id: string; name: string }> };
  expect(apis.map((a) => a.name)).toEqual(["Weather"]);
  const access = await create("OrganizationApiAccess", { organizationId: org.id, apiId: apis[0].id });
  expectSchemaOutputs("OrganizationApiAccess", access.outs);
  expect(access.outs).toMatchObject({ organizationId: org.id, apiId: apis[0].id, enabled: true });
  const accessImport = await read("OrganizationApiAccess", `${org.id}/${access.id}`);
  expect(accessImport).toMatchObject({ id: access.id, inputs: { organizationId: org.id, apiId: apis[0].id, enabled: true } });
  expect(await diff("OrganizationApiAccess", access.id, access.outs, { ...access.inputs, apiId: "other" })).toMatchObject({
    replaces: ["apiId"],
  });

  // RegistrationToken: the code is a secret output; the id reveals nothing of it; an import finds it by the id.
  const code = await create("RegistrationToken", { organizationId: org.id, userQuota: 4, expiry: "2031-01-01T00:00:00Z" });
  expectSchemaOutputs("RegistrationToken", code.outs);
  expect(isSecretValue(code.outs.token)).toBe(true);
  const token = String(plain(code.outs.token));
  expect(code.id).toMatch(/^regcode-[0-9a-f]{20}$/);
  expect(code.id).not.toContain(token);
  expect(code.outs).toMatchObject({ userQuota: 4, maxUsers: 4, remainingUsers: 4, expiry: Date.parse("2031-01-01T00:00:00Z") });
  const codeImport = await read("RegistrationToken", `${org.id}/${code.id}`);
  expect(codeImport.id).toBe(code.id);
  expect(isSecretValue(codeImport.outs!.token)).toBe(true);
  expect(plain(codeImport.outs!.token)).toBe(token);
  expect(JSON.stringify(codeImport.inputs)).not.toContain(token);
  await expect(read("RegistrationToken", `${org.id}/${token}`)).rejects.toThrow("regcode-");
  // Refresh with the state as the engine sends it (the code still wrapped as a secret).
  const refreshed = await read("RegistrationToken", code.id, code.outs);
  expect(plain(refreshed.outs!.token)).toBe(token);
  expect(isSecretValue(refreshed.outs!.token)).toBe(true);
  const updated = await update("RegistrationToken", code.id, code.outs, { ...code.inputs, enabled: false });
  expect(updated.enabled).toBe(false);
  expect(isSecretValue(updated.token)).toBe(true);

  // Delete everything; reads then find nothing.
  await del("RegistrationToken", code.id, code.outs);
  await del("OrganizationApiAccess", access.id, access.outs);
  await del("PortalOrganization", org.id, org.outs);
  await del("VentusProject", project.id, renamed);
  expect((await read("PortalOrganization", org.id)).id).toBe("");
  expect((await read("VentusProject", project.id, renamed)).id).toBe("");
});

test("check: failures name the field and rule; values unknown at preview pass; a secret input stays secret", async () => {
  await configureWith(settings());
  const bad = await check("VentusProject", { region: "vienna!", name: " " });
  expect(bad.failures).toEqual([
    expect.stringMatching(/^region: .*must be a region name/),
    expect.stringMatching(/^name: .*must not be empty/),
  ]);
  const preview = await check("OrganizationApiAccess", { organizationId: UNKNOWN, apiId: "api" });
  expect(preview).toEqual({ inputs: { organizationId: UNKNOWN, apiId: "api", enabled: true }, failures: [] });
  const secretOrg = await check("RegistrationToken", { organizationId: secret("org-1") });
  expect(secretOrg.inputs.organizationId).toEqual(secret("org-1"));
});

test("checkConfig: a misspelt setting is named with the closest one; known settings, the engine's own and secrets pass as given", async () => {
  const given = { ventusUsernme: "demo", axwayUrl: "https://apim.example", version: "0.1.0", ventusPassword: secret("pw") };
  const res = await check("pulumi:providers:ventus-axway", given, {}, "checkConfig");
  expect(res.failures).toEqual(["ventus-axway:ventusUsernme: is not a setting; did you mean ventusUsername?"]);
  expect(res.inputs).toEqual(given);
  expect((await check("pulumi:providers:ventus-axway", { axwayUrl: "https://apim.example" }, {}, "checkConfig")).failures).toEqual([]);
});

test("a create that made its object and then failed reports it, so the engine keeps it in state", async () => {
  await configureWith(settings());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plugin-"));
  const image = path.join(dir, "logo.jpg");
  fs.writeFileSync(image, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  emu.injectFault({ route: "^POST .*/image", status: 400, count: 1 });
  const err = await create("PortalOrganization", { name: "Half Made", image }).then(
    () => undefined,
    (e: grpc.ServiceError) => e,
  );
  expect(err?.details).toMatch(/^created [0-9a-f-]+, but a later step failed/);
  const status = statusproto.Status.deserializeBinary(err!.metadata.get("grpc-status-details-bin")[0] as Buffer);
  const detail = provproto.ErrorResourceInitFailed.deserializeBinary(status.getDetailsList()[0].getValue_asU8());
  expect(detail.getId()).toMatch(/^[0-9a-f-]{36}$/);
  expect(detail.getProperties()!.toJavaScript()).toMatchObject({ name: "Half Made" });
  expect(detail.getProperties()!.toJavaScript()).not.toHaveProperty("__provider");
  fs.rmSync(dir, { recursive: true });
  await del("PortalOrganization", detail.getId(), {});
});

test("settings from the older `variables` map, and from the environment when the provider has none", async () => {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(settings())) vars[`ventus-axway:config:${k}`] = String(plain(v));
  await configureWith(undefined, vars);
  expect(Object.keys(((await invoke("getPrices")) as { prices: Obj }).prices).sort()).toEqual(["chf", "eur"]);

  await configureWith({});
  await expect(invoke("getPrices")).rejects.toThrow("ventus-axway:ventusUsername (or VENTUS_USERNAME)");
  Object.assign(process.env, {
    VENTUS_USERNAME: "demo@ventus.example",
    VENTUS_PASSWORD: "demo-password",
    VENTUS_ORGANIZATION_ID: ORG,
    VENTUS_AUTH_URL: emu.url,
    VENTUS_API_URL: emu.url,
  });
  try {
    const { projects } = (await invoke("getVentusProjects")) as { projects: unknown[] };
    expect(Array.isArray(projects)).toBe(true);
    const project = await create("VentusProject", { region: "vienna", name: "from-env" });
    expect(project.outs.organizationId).toBe(ORG);
    await del("VentusProject", project.id, project.outs);
  } finally {
    for (const k of ENV) delete process.env[k];
  }
});

test("functions: results under one key each, errors before any call for bad arguments", async () => {
  await configureWith(settings());
  const { prices } = (await invoke("getPrices")) as {
    prices: Record<string, { storage: number; flavors: Array<{ name: string; base: number }> }>;
  };
  expect(prices.chf.flavors.find((f) => f.name === "VC-1")?.base).toBe(0.0121);
  const { organizations } = (await invoke("getPortalOrganizations", {
    filters: [{ field: "name", op: "eq", value: "Seeded Partner" }],
  })) as {
    organizations: Array<{ name: string }>;
  };
  expect(organizations.map((o) => o.name)).toEqual(["Seeded Partner"]);
  await expect(invoke("getPortalOrganizations", { filters: [{ field: "color", op: "eq", value: "x" }] })).rejects.toThrow(
    "filters[0].field",
  );
  await expect(invoke("getNothing")).rejects.toThrow("unknown function ventus-axway:index:getNothing");
});
