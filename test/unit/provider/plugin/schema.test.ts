// The plugin's schema against the zod schemas it is generated from and checked against: every
// input of every resource (and nothing else), a description on every property, every setting
// of config.ts as provider configuration, and function result types that list every field the
// service clients parse. Also the import ids and the secret wrapping of property values.
import { z } from "zod";
import { FrontendApi, Organization } from "../../../../provider/clients/axway/schemas";
import { AXWAY_SETTINGS, VENTUS_SETTINGS } from "../../../../provider/config";
import { providerContext } from "../../../../provider/context";
import { FUNCTIONS } from "../../../../provider/functionDescriptors";
import { RESOURCES, defineResource, field, resources } from "../../../../provider/resources";
import { buildSchema, fromJsonSchema } from "../../../../provider/plugin/schema";
import { startedByRunPlugin } from "../../../../provider/plugin/launch";
import { parseImportId as parse } from "../../../../provider/plugin/server";
import { propertyOf, providerConfigSource, fromVariables } from "../../../../provider/plugin/settings";
import { SIG_KEY, SECRET_SIG, secret, unwrapSecrets, wrapSecrets } from "../../../../provider/plugin/values";
import { Flavor, ProjectListItem } from "../../../../provider/clients/ventus/schemas";

type Spec = {
  description?: string;
  type?: string;
  $ref?: string;
  oneOf?: unknown[];
  items?: Spec;
  additionalProperties?: Spec;
  secret?: boolean;
};
type Schema = {
  resources: Record<string, { inputProperties: Record<string, Spec>; requiredInputs: string[]; properties: Record<string, Spec> }>;
  types: Record<string, { properties: Record<string, Spec>; required: string[] }>;
  functions: Record<string, { inputs?: { properties: Record<string, Spec> }; outputs: { properties: Record<string, Spec> } }>;
  config: { variables: Record<string, Spec> };
  provider: { inputProperties: Record<string, Spec> };
};
const schema = buildSchema("0.1.0") as unknown as Schema;

test("each resource's inputs are exactly its zod schema's fields, typed and required as zod says", () => {
  expect(Object.keys(schema.resources).sort()).toEqual(
    ["OrganizationApiAccess", "PortalOrganization", "RegistrationToken", "VentusProject"].map((r) => `ventus-axway:index:${r}`),
  );
  for (const d of RESOURCES) {
    const res = schema.resources[`ventus-axway:index:${d.name}`];
    expect(Object.keys(res.inputProperties).sort()).toEqual(Object.keys(d.inputs.shape).sort());
    const required = Object.entries(d.inputs.shape)
      .filter(([, f]) => !(f as z.ZodType).safeParse(undefined).success)
      .map(([k]) => k);
    expect(res.requiredInputs.sort()).toEqual(required.sort());
  }
  const v = schema.resources["ventus-axway:index:VentusProject"].inputProperties;
  expect(v.region).toMatchObject({ type: "string", willReplaceOnChanges: true });
  const t = schema.resources["ventus-axway:index:RegistrationToken"];
  expect(t.inputProperties.expiry.oneOf).toEqual([{ type: "number" }, { type: "string" }]);
  expect(t.inputProperties.userQuota.type).toBe("integer");
  expect(t.inputProperties.enabled).toMatchObject({ type: "boolean", default: true });
  expect(t.inputProperties.importId.secret).toBe(true);
  expect(t.properties.token.secret).toBe(true);
});

test("every property of the schema has a description: resources, outputs, types, functions, configuration", () => {
  const undocumented: string[] = [];
  const check = (where: string, props: Record<string, Spec> | undefined) => {
    for (const [k, p] of Object.entries(props ?? {}))
      if (!p.description || p.description.trim().length < 10) undocumented.push(`${where}.${k}`);
  };
  for (const [n, r] of Object.entries(schema.resources)) {
    check(`${n} input`, r.inputProperties);
    check(`${n} output`, r.properties);
  }
  for (const [n, t] of Object.entries(schema.types)) check(n, t.properties);
  for (const [n, f] of Object.entries(schema.functions)) {
    check(`${n} input`, f.inputs?.properties);
    check(`${n} output`, f.outputs.properties);
  }
  check("config", schema.config.variables);
  check("provider", schema.provider.inputProperties);
  expect(undocumented).toEqual([]);
});

test("a field without a description, or an output that restates an input, stops the descriptor", () => {
  const d = resources.ventusProject;
  expect(() => defineResource({ ...d, inputs: d.inputs.extend({ colour: z.string() }) })).toThrow(
    "VentusProject.colour (input) has no description: declare it with field()",
  );
  expect(() => defineResource({ ...d, outputs: d.outputs.extend({ name: field(z.string(), "The name.") }) })).toThrow(
    "VentusProject.name is an input: inputs are outputs already",
  );
});

test("the provider's configuration is every setting of config.ts, named <service><Setting>, passwords secret", () => {
  const settings = [...Object.values(VENTUS_SETTINGS), ...Object.values(AXWAY_SETTINGS)];
  expect(Object.keys(schema.config.variables).sort()).toEqual(settings.map((s) => propertyOf(s.key)).sort());
  expect(schema.provider.inputProperties).toEqual(schema.config.variables);
  expect(schema.config.variables.ventusPassword.secret).toBe(true);
  expect(schema.config.variables.axwayPassword.secret).toBe(true);
  expect(schema.config.variables.axwaySessionLogin.type).toBe("boolean");
  expect(schema.config.variables.ventusUsername.description).toContain("`VENTUS_USERNAME`");

  const source = providerConfigSource({ ventusUsername: "u", axwaySessionLogin: true, axwayUrl: "", ventusPassword: null });
  expect(source.get("ventus:username")).toBe("u");
  expect(source.get("axway:sessionLogin")).toBe("true");
  expect(source.get("axway:url")).toBeUndefined(); // empty: the environment's turn
  expect(source.get("ventus:password")).toBeUndefined();
  expect(source.label?.("ventus:username")).toBe("ventus-axway:ventusUsername");
  expect(
    fromVariables("ventus-axway", [
      ["ventus-axway:config:ventusUsername", "a"],
      ["ventus-axway:axwayUrl", "b"],
      ["other:x", "c"],
    ]),
  ).toEqual({
    ventusUsername: "a",
    axwayUrl: "b",
  });
});

test("function result types list every field the clients parse", () => {
  const fields = (t: string) => Object.keys(schema.types[`ventus-axway:index:${t}`].properties).sort();
  expect(fields("PortalOrganizationInfo")).toEqual(Object.keys(Organization.shape).sort());
  expect(fields("PortalApi")).toEqual(Object.keys(FrontendApi.shape).sort());
  expect(fields("VentusProjectInfo")).toEqual([...Object.keys(ProjectListItem.shape), "regionName"].sort());
  expect(fields("FlavorPrice")).toEqual(["base", "id", "name", "windows"]);
  expect(Object.keys(Flavor.shape).sort()).toEqual(["id", "name", "price"]);
  for (const f of FUNCTIONS) {
    expect(Object.keys(schema.functions[`ventus-axway:index:${f.name}`].outputs.properties)).toEqual([f.result]);
  }
});

test("JSON Schema to Pulumi types: unions, nullables, arrays, enums; what has no Pulumi type is an error", () => {
  expect(fromJsonSchema({ type: ["string", "null"] }, "x")).toEqual({ type: "string" });
  expect(fromJsonSchema({ anyOf: [{ type: "integer" }, { type: "null" }], default: 3 }, "x")).toEqual({ type: "integer", default: 3 });
  expect(fromJsonSchema({ type: "array", items: { type: "boolean" } }, "x")).toEqual({ type: "array", items: { type: "boolean" } });
  expect(fromJsonSchema({ type: "string", enum: ["AND", "OR"] }, "x")).toEqual({ type: "string" });
  expect(() => fromJsonSchema({ type: "object" }, "Res.field")).toThrow("Res.field: no Pulumi type");
});

test("import ids: what each resource's read needs, and never a registration code", () => {
  const parseImportId = (name: keyof typeof byName, id: string) => parse(byName[name], id, providerContext(undefined));
  const byName = {
    PortalOrganization: resources.portalOrganization,
    OrganizationApiAccess: resources.organizationApiAccess,
    VentusProject: resources.ventusProject,
    RegistrationToken: resources.registrationToken,
  };
  expect(parseImportId("PortalOrganization", "org-1")).toEqual({ id: "org-1", props: {} });
  expect(parseImportId("OrganizationApiAccess", "org-1/acc-2")).toEqual({ id: "acc-2", props: { organizationId: "org-1" } });
  expect(parseImportId("VentusProject", "org-1/p-2")).toEqual({ id: "p-2", props: { organizationId: "org-1" } });
  expect(parseImportId("RegistrationToken", "org-1/regcode-0123456789abcdef0123")).toEqual({
    id: "regcode-0123456789abcdef0123",
    props: { organizationId: "org-1" },
  });
  expect(() => parseImportId("RegistrationToken", "org-1/483920")).toThrow("<organizationId>/regcode-");
  expect(() => parseImportId("OrganizationApiAccess", "acc-2")).toThrow("<organizationId>/<accessId>");
  expect(() => parseImportId("PortalOrganization", "a/b")).toThrow("<organizationId>");
  const saved = process.env.VENTUS_ORGANIZATION_ID;
  try {
    delete process.env.VENTUS_ORGANIZATION_ID;
    expect(() => parseImportId("VentusProject", "p-2")).toThrow(
      "no default organization (neither ventus:organizationId nor VENTUS_ORGANIZATION_ID is set)",
    );
    process.env.VENTUS_ORGANIZATION_ID = "org-env";
    expect(parseImportId("VentusProject", "p-2")).toEqual({ id: "p-2", props: { organizationId: "org-env" } });
  } finally {
    if (saved === undefined) delete process.env.VENTUS_ORGANIZATION_ID;
    else process.env.VENTUS_ORGANIZATION_ID = saved;
  }
});

test("secrets: unwrapped for the resource code with the properties that held one, wrapped again on the way out", () => {
  const { values, secretKeys } = unwrapSecrets({ a: secret("x"), b: { c: [secret(1), 2] }, d: "plain" });
  expect(values).toEqual({ a: "x", b: { c: [1, 2] }, d: "plain" });
  expect([...secretKeys].sort()).toEqual(["a", "b"]);
  expect(wrapSecrets({ a: "x", d: "plain", e: undefined }, ["a", "e"])).toEqual({
    a: { [SIG_KEY]: SECRET_SIG, value: "x" },
    d: "plain",
    e: undefined,
  });
});

test("the entry serves only when @pulumi/pulumi's run-plugin is the main module", () => {
  expect(startedByRunPlugin("/p/node_modules/@pulumi/pulumi/cmd/run-plugin/index.js")).toBe(true);
  expect(startedByRunPlugin("/p/node_modules/@pulumi/pulumi/cmd/run/index.js")).toBe(false);
  expect(startedByRunPlugin("/p/node_modules/jest/bin/jest.js")).toBe(false);
  expect(startedByRunPlugin(undefined)).toBe(false);
  // Loaded any other way, "main" is the SDK.
  expect(Object.keys(require("../../../../provider/plugin/main"))).toEqual(expect.arrayContaining(["VentusProject", "getPrices"]));
});
