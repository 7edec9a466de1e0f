// The Pulumi package schema of the `ventus-axway` provider plugin (GetSchema), from which Pulumi
// YAML type-checks programs, `pulumi import` writes code and `pulumi package add` generates SDKs.
//
// Everything here is derived from the descriptors: each resource's zod input and output schemas
// (z.toJSONSchema: names, types, required, defaults) with the description, replace rule and
// secrecy recorded on each field (provider/resources/descriptor.ts), and each function's
// (provider/functionDescriptors.ts). A property without a description is an error.
import { z } from "zod";
import { FUNCTIONS, RESULT_TYPES, type PropertySpec } from "../functionDescriptors";
import { PACKAGE, RESOURCES, fieldsOf, metaOf, pluginToken, render, replaceOn, secretFields } from "../resources";
import { LANGUAGE_FIELDS } from "./languages";
import { SETTING_DOCS, pluginSettings, propertyOf } from "./settings";

export { PACKAGE, type PropertySpec };
export const token = (name: string) => `${PACKAGE}:index:${name}`;
type Props = Record<string, PropertySpec>;

/** A description as plugin users read it: settings spelled `ventusOrganizationId` (or `VENTUS_ORGANIZATION_ID`). */
export function forPlugin(description: string): string {
  return render(description, (key) => {
    const spec = pluginSettings().find((s) => s.spec.key === key)?.spec;
    return `the provider's \`${propertyOf(key)}\`${spec ? ` (or \`${spec.env}\`)` : ""}`;
  });
}

/** Pulumi schema property from one property of a zod-generated JSON Schema (input side). */
export function fromJsonSchema(js: Record<string, unknown>, where: string): PropertySpec {
  const out: PropertySpec = {};
  const t = js.type;
  const primitive = (x: unknown): PropertySpec => {
    if (x === "string" || x === "number" || x === "integer" || x === "boolean") return { type: x };
    throw new Error(`${where}: no Pulumi type for JSON Schema type ${JSON.stringify(x)}`);
  };
  if (Array.isArray(t)) {
    const types = t.filter((x) => x !== "null");
    if (types.length === 1) Object.assign(out, primitive(types[0]));
    else out.oneOf = types.map(primitive);
  } else if (t === "array") {
    Object.assign(out, { type: "array", items: fromJsonSchema(js.items as Record<string, unknown>, `${where}[]`) });
  } else if (t === "object" && typeof js.additionalProperties === "object") {
    // A map (custom properties by name): Pulumi's `additionalProperties`.
    const values = fromJsonSchema(js.additionalProperties as Record<string, unknown>, `${where}{}`);
    Object.assign(out, { type: "object", additionalProperties: values });
  } else if (Array.isArray(js.enum)) {
    out.type = "string"; // the values belong in the description: Pulumi's enums are types of their own
  } else if (js.anyOf) {
    const parts = (js.anyOf as Array<Record<string, unknown>>).filter((p) => p.type !== "null");
    if (parts.length === 1) return { ...fromJsonSchema(parts[0], where), ...(js.default !== undefined ? { default: js.default } : {}) };
    out.oneOf = parts.map((p, i) => fromJsonSchema(p, `${where}|${i}`));
  } else {
    Object.assign(out, primitive(t));
  }
  if (js.default !== undefined) out.default = js.default;
  return out;
}

function describe(where: string, description: string | undefined): string {
  if (!description || !description.trim()) throw new Error(`${where} has no description`);
  return description;
}

type JsonSchema = { properties: Record<string, Record<string, unknown>>; required?: string[] };

/** The plugin's properties of a zod object, each with its described meta. */
function propertiesOf(where: string, schema: z.ZodObject, io: "input" | "output", types: Props = {}): { props: Props; required: string[] } {
  const js = z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as JsonSchema;
  const props: Props = {};
  for (const [prop, p] of Object.entries(js.properties)) {
    const spec = types[prop] ? { ...types[prop] } : fromJsonSchema(p, `${where}.${prop}`);
    const meta = metaOf(schema.shape[prop] as z.ZodType);
    if (io === "output" && meta?.outputType) {
      // What the output holds where it differs from what the input takes (times: epoch ms; custom properties: text).
      delete spec.oneOf;
      delete spec.additionalProperties;
      Object.assign(spec, typeof meta.outputType === "string" ? { type: meta.outputType } : meta.outputType);
    }
    if (io === "output") delete spec.default;
    spec.description = forPlugin(describe(`${where}.${prop}`, meta?.description));
    props[prop] = spec;
  }
  return { props, required: js.required ?? [] };
}

/** The whole package schema; throws when a property lacks a description. */
export function buildSchema(version: string): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const d of RESOURCES) {
    const inputs = propertiesOf(d.name, d.inputs, "input");
    const echoed = propertiesOf(d.name, d.inputs, "output");
    const extra = propertiesOf(d.name, d.outputs, "output");
    const replaces = replaceOn(d);
    const secret = secretFields(d);
    for (const [prop, spec] of Object.entries(inputs.props)) {
      if (replaces.includes(prop)) spec.willReplaceOnChanges = true;
      if (secret.includes(prop)) spec.secret = true;
    }
    const properties: Props = { ...echoed.props, ...extra.props };
    for (const f of fieldsOf(d)) if (f.meta.secret) properties[f.name].secret = true;
    resources[pluginToken(d)] = {
      description: `${forPlugin(d.description)} Import with \`pulumi import ${pluginToken(d)} <name> ${d.importId.form}\`.`,
      inputProperties: inputs.props,
      requiredInputs: inputs.required,
      properties,
      // Inputs required or defaulted are always there; outputs the service always reports.
      required: Object.keys(properties).filter((p) => inputs.required.includes(p) || extra.required.includes(p)),
    };
  }

  const types: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(RESULT_TYPES)) {
    for (const [p, spec] of Object.entries(t.properties)) describe(`${name}.${p}`, spec.description);
    types[token(name)] = { type: "object", description: t.description, properties: t.properties, required: t.required };
  }

  const functions: Record<string, unknown> = {};
  for (const f of FUNCTIONS) {
    const args = propertiesOf(f.name, f.args, "input", f.argTypes);
    describe(`${f.name} result`, f.resultSpec.description);
    functions[token(f.name)] = {
      description: f.description,
      ...(Object.keys(args.props).length ? { inputs: { properties: args.props, required: args.required } } : {}),
      outputs: { properties: { [f.result]: f.resultSpec }, required: [f.result] },
    };
  }

  const config: Props = {};
  for (const { spec, property } of pluginSettings()) {
    const d = SETTING_DOCS[spec.key];
    const env = `Environment variable \`${spec.env}\` when not set${spec.default ? `; default \`${spec.default}\`` : ""}.`;
    config[property] = {
      type: d?.type ?? "string",
      description: `${describe(`setting ${spec.key}`, d?.description)} ${env}`,
      ...(spec.secret ? { secret: true } : {}),
    };
  }

  return {
    name: PACKAGE,
    displayName: "Ventus Cloud and Axway API Manager",
    version,
    description: "Ventus Cloud projects and prices; Axway API Manager portal organizations, API access and registration codes.",
    keywords: ["pulumi", "ventus", "axway", "api-management", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    config: { variables: config },
    provider: {
      description: "The ventus-axway provider: credentials and endpoints of both services (each falls back to its environment variable).",
      inputProperties: config,
      properties: {},
    },
    resources,
    types,
    functions,
    ...LANGUAGE_FIELDS,
  };
}
