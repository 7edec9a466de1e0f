// Contract tests over the registry of resources: every fact a descriptor holds is read the same
// way by each consumer. Each test fails when one side is edited alone: a diff that replaces a
// field the schema does not mark, a secret output one face forgets, an SDK comment that says
// something else than the descriptor, an import id that does not lead back to the resource.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as ts from "typescript";
import { providerContext } from "../../../provider/context";
import { FUNCTIONS, RESULT_TYPES } from "../../../provider/functionDescriptors";
import { buildSchema } from "../../../provider/plugin/schema";
import { RESOURCES, fieldsOf, outputOnly, render, resources, type ResourceDescriptor } from "../../../provider/resources";
import { VENTUS_SETTINGS, AXWAY_SETTINGS } from "../../../provider/config";

type Obj = Record<string, unknown>;
type Spec = { secret?: boolean; willReplaceOnChanges?: boolean; description?: string };
const schema = buildSchema("0.0.0") as {
  resources: Record<string, { inputProperties: Record<string, Spec>; properties: Record<string, Spec> }>;
};

/** A state of each resource, and a different value for each of its inputs: what a diff compares. */
const SAMPLES: Record<string, { id: string; state: Obj; other: Obj }> = {
  VentusProject: {
    id: "p-1",
    state: { organizationId: "org-1", region: "vienna", name: "web", regionName: "Vienna" },
    other: { organizationId: "org-2", region: "upper-austria", name: "web-2", importId: "p-9" },
  },
  PortalOrganization: {
    id: "o-1",
    state: { name: "Acme", enabled: true, development: false, restricted: false, isTrial: false, imageHash: "aa", dn: "o=Acme" },
    other: {
      name: "Acme 2",
      description: "d",
      email: "a@b.example",
      phone: "1",
      enabled: false,
      development: true,
      restricted: true,
      virtualHost: "h.example",
      isTrial: true,
      trialDuration: 3,
      startTrialDate: 1,
      endTrialDate: 2,
      image: "x.jpg",
      importId: "o-9",
      customProperties: { tier: "gold" },
    },
  },
  OrganizationApiAccess: {
    id: "a-1",
    state: { organizationId: "org-1", apiId: "api-1", enabled: true, state: "approved" },
    other: { organizationId: "org-2", apiId: "api-2", enabled: false, importId: "a-9" },
  },
  RegistrationToken: {
    id: "regcode-0123456789abcdef0123",
    state: { organizationId: "org-1", userQuota: 5, expiry: 1900000000000, enabled: true, token: "483920", maxUsers: 5 },
    other: { organizationId: "org-2", userQuota: 6, expiry: 1900000000001, enabled: false, importId: "777777" },
  },
};

const inputsOf = (d: ResourceDescriptor, state: Obj) => Object.fromEntries(Object.keys(d.inputs.shape).map((k) => [k, state[k]]));

describe.each(RESOURCES.map((d) => [d.name, d] as const))("%s", (name, d) => {
  const sample = SAMPLES[name];
  const plugin = schema.resources[`ventus-axway:index:${name}`];

  test("the schema's replaceOnChanges is what diff replaces, input by input", async () => {
    expect(Object.keys(sample.other).sort()).toEqual(Object.keys(d.inputs.shape).sort());
    for (const field of Object.keys(d.inputs.shape)) {
      const news = { ...inputsOf(d, sample.state), [field]: sample.other[field] };
      const result = await d.operations.diff(sample.id, sample.state, news);
      expect({ field, replaces: result.replaces.includes(field) }).toEqual({
        field,
        replaces: plugin.inputProperties[field].willReplaceOnChanges === true,
      });
    }
  });

  test("secret outputs are the same on both faces", async () => {
    const pluginSecrets = Object.entries(plugin.properties)
      .filter(([, s]) => s.secret)
      .map(([k]) => k)
      .sort();
    // The SDK's face: what the class registers, as the engine's monitor receives it.
    const registered: string[][] = [];
    await pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: () => ({}) },
      "project",
      "stack",
      true,
    );
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: never, cb: never) => unknown };
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: never, cb: never) => {
      registered.push((req as { getAdditionalsecretoutputsList(): string[] }).getAdditionalsecretoutputsList());
      return original(req, cb);
    };
    const sdk = (await import("../../../sdk")) as unknown as Record<string, new (n: string, a: Obj) => pulumi.CustomResource>;
    const resource = new sdk[name]("r", inputsOf(d, sample.state));
    await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
    expect(registered.at(-1)?.slice().sort()).toEqual(pluginSecrets);
    expect(pluginSecrets.length > 0).toBe(name === "RegistrationToken");
  });

  test("the import grammar leads back to the id and the properties read needs", () => {
    const ctx = providerContext(undefined);
    const importId = d.importId.of(sample.id, sample.state);
    const parsed = d.importId.parse(importId, ctx);
    expect(parsed?.id).toBe(sample.id);
    for (const [k, v] of Object.entries(parsed!.props)) expect(sample.state[k]).toBe(v);
    expect(d.importId.parse("", ctx)).toBeUndefined();
  });

  test("every input and output is described once, and the SDK's TSDoc says the same", () => {
    const docs = sdkDocs(path.join(__dirname, `../../../sdk/${d.kind}.ts`), name);
    const described = fieldsOf(d);
    // Args: exactly the inputs; the class: every input and output.
    expect(Object.keys(docs.args).sort()).toEqual(Object.keys(d.inputs.shape).sort());
    expect(Object.keys(docs.outputs).sort()).toEqual([...Object.keys(d.inputs.shape), ...outputOnly(d)].sort());
    const differ: string[] = [];
    for (const f of described) {
      const want = normalize(render(f.meta.description, sdkSetting));
      if (f.input && !normalize(docs.args[f.name]).startsWith(want)) differ.push(`${name}Args.${f.name}: ${docs.args[f.name]}`);
      if (!normalize(docs.outputs[f.name]).startsWith(want)) differ.push(`${name}.${f.name}: ${docs.outputs[f.name]}`);
    }
    expect(differ).toEqual([]);
  });
});

test("the registry names every resource the SDK exports, and no other", async () => {
  const sdk = await import("../../../sdk");
  const classes = Object.entries(sdk).filter(([, v]) => typeof v === "function" && /^class /.test(String(v)));
  expect(classes.map(([k]) => k).sort()).toEqual(RESOURCES.map((d) => d.name).sort());
  expect(Object.keys(resources).sort()).toEqual(RESOURCES.map((d) => d.kind).sort());
});

test("function arguments and result types: the TSDoc of provider/functions.ts says what the descriptors say", () => {
  const source = ts.createSourceFile(
    "f.ts",
    fs.readFileSync(path.join(__dirname, "../../../provider/functions.ts"), "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const iface = (n: string) => members(source, n);
  const differ: string[] = [];
  for (const [type, t] of Object.entries(RESULT_TYPES)) {
    const docs = iface(type);
    expect({ type, fields: Object.keys(docs).sort() }).toEqual({ type, fields: Object.keys(t.properties).sort() });
    for (const [k, spec] of Object.entries(t.properties))
      if (!normalize(docs[k]).startsWith(normalize(spec.description ?? ""))) differ.push(`${type}.${k}: ${docs[k]}`);
  }
  for (const f of FUNCTIONS) {
    const argsName = `${f.name[0].toUpperCase()}${f.name.slice(1)}Args`;
    const docs = Object.keys(f.args.shape).length ? iface(argsName) : {};
    for (const [k, field] of Object.entries(f.args.shape)) {
      const want = normalize(render((field as { description?: string }).description ?? "", sdkSetting));
      if (!normalize(docs[k]).startsWith(want)) differ.push(`${argsName}.${k}: ${docs[k]}`);
    }
  }
  expect(differ).toEqual([]);
});

// ---- reading the SDK's comments --------------------------------------------------------

/** `{ventus:organizationId}` as the SDK's users set it. */
function sdkSetting(key: string): string {
  const spec = [...Object.values(VENTUS_SETTINGS), ...Object.values(AXWAY_SETTINGS)].find((s) => s.key === key);
  return `\`${key}\` (or \`${spec?.env}\`)`;
}

const normalize = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

/** The TSDoc of each member of an interface or class named `name`. */
function members(sf: ts.SourceFile, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sf.statements) {
    if (!(ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) || s.name?.getText(sf) !== name) continue;
    for (const m of s.members as readonly ts.Node[]) {
      if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m))) continue;
      const doc = ts
        .getJSDocCommentsAndTags(m)
        .filter(ts.isJSDoc)
        .map((j) => ts.getTextOfJSDocComment(j.comment) ?? "")
        .join(" ");
      out[m.name.getText(sf)] = doc;
    }
  }
  return out;
}

function sdkDocs(file: string, name: string): { args: Record<string, string>; outputs: Record<string, string> } {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  return { args: members(sf, `${name}Args`), outputs: members(sf, name) };
}
