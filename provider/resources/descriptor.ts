// One description of each resource, the single home of its facts. Everything that needs one
// reads it from here: the TypeScript SDK's dynamic resources and the plugin (both faces), the
// plugin's schema, the diff's replace rules, which outputs are secret, the import-id grammar,
// the drift command's type matching, and the contract tests that tie them together.
//
// Descriptions and change rules sit on the fields themselves (`field(schema, description,
// { onChange, secret })`), as pulumi-command's `infer` does: a field cannot be added without them.
import type { CheckResult, ReadResult } from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import type { ProviderContext } from "../context";
import { withServiceFailures } from "../failures";
import type { RuledDiff } from "./common";

/** The plugin's package name: its tokens are `ventus-axway:index:<Name>`. */
export const PACKAGE = "ventus-axway";
/** The npm package: the SDK's dynamic resources are `pulumi-nodejs:dynamic/pulumi-ventus-axway:<Name>` in state. */
export const NPM_PACKAGE = "pulumi-ventus-axway";

/**
 * What a change of a field does: `replace` (a new object: the service cannot change it in place),
 * `update` (in place), `none` (read at create only, or tracked through another field).
 */
export type OnChange = "replace" | "update" | "none";

/** What a field says of itself, beside its type. */
export interface FieldMeta {
  /** One description for every face and the docs; a setting is written `{ventus:organizationId}` and each face spells it its way. */
  description: string;
  /** Inputs default to `update`, outputs to `none`. */
  onChange?: OnChange;
  /** Kept secret in state and output, on both faces. */
  secret?: boolean;
  /** The output's type where it differs from what the input accepts (times: any form in, epoch milliseconds out). */
  outputType?: "integer" | "number" | "string" | "boolean" | { type: "object"; additionalProperties: { type: "string" } };
}

/** `schema` with its description and rules; applied last, so that wrappers (optional, default) keep them. */
export function field<T extends z.ZodType>(schema: T, description: string, rules: Omit<FieldMeta, "description"> = {}): T {
  return schema.meta({ description, ...rules }) as T;
}

/** A field's description and rules, as `field` recorded them. */
export function metaOf(schema: z.ZodType): FieldMeta | undefined {
  const meta = z.globalRegistry.get(schema) as Partial<FieldMeta> | undefined;
  return meta?.description ? (meta as FieldMeta) : undefined;
}

type Obj = Record<string, unknown>;

/** The import id's grammar: what `pulumi import` and the `import` option take, and what `read` then needs. */
export interface ImportGrammar {
  /** Its forms, as the docs and errors show them, e.g. `<organizationId>/<accessId>`. */
  form: string;
  /** The resource id and the properties read needs; undefined when `importId` is not of this form. */
  parse(importId: string, ctx: ProviderContext): { id: string; props: Obj } | undefined;
  /** The import id of a resource as state records it (its id and outputs); parse gives both back. */
  of(id: string, outputs: Obj): string;
}

/** An object on a service that an interrupted create may have made. */
export interface Candidate {
  id: string;
  /** Declared fields in which the object differs from the create's inputs (then it is not that create's). */
  differs?: string[];
}

/**
 * How to find what a create made when its answer never came back because the job was killed
 * (the `recover` command reads it; within one process createOnce does the same). `key` groups the
 * creates that could be taken for each other (the provider runs creates of one key one at a
 * time); `find` lists every object of that key on the service, held by the stack or not.
 */
export interface CreateRecovery {
  /** What the create makes, for messages: `project "web" in vienna`. */
  describe(inputs: Obj): string;
  key(inputs: Obj): string;
  find(inputs: Obj, ctx: Pick<ProviderContext, "ventus" | "axway">): Promise<Candidate[]>;
}

/** The operations, each handed the context of the face that calls it (settings, clients). */
export interface ResourceOperations<I, O> {
  check(ctx: ProviderContext, olds: Obj, news: Obj): Promise<CheckResult<I>>;
  diff(id: string, olds: O, news: I): Promise<RuledDiff>;
  create(ctx: ProviderContext, inputs: I): Promise<{ id: string; outs: O }>;
  read(ctx: ProviderContext, id: string, props?: Partial<O>): Promise<ReadResult<O>>;
  update(ctx: ProviderContext, id: string, olds: O, news: I): Promise<{ outs: O }>;
  delete(ctx: ProviderContext, id: string, props: O): Promise<void>;
}

export interface ResourceDescriptor<I = unknown, O = unknown> {
  /** `VentusProject`: the class, the plugin token's and the dynamic type's last part. */
  name: string;
  /** `ventusProject`: the module of its SDK shell (`pulumi-ventus-axway/providers/<kind>`). */
  kind: string;
  /** Whose API holds it. */
  service: "ventus" | "axway";
  description: string;
  /** What users declare; every field described with `field`. */
  inputs: z.ZodObject;
  /** What the resource reports beside its inputs (every input is an output too); every field described. */
  outputs: z.ZodObject;
  importId: ImportGrammar;
  recovery: CreateRecovery;
  operations: ResourceOperations<I, O>;
}

/** Checks at load that every field is described, then returns the descriptor as it is. */
export function defineResource<I, O, Ops extends ResourceOperations<I, O>>(
  d: ResourceDescriptor<I, O> & { operations: Ops },
): ResourceDescriptor<I, O> & { operations: Ops } {
  for (const [where, shape] of [
    ["input", d.inputs.shape],
    ["output", d.outputs.shape],
  ] as const) {
    for (const [name, schema] of Object.entries(shape)) {
      if (!metaOf(schema as z.ZodType)) throw new Error(`${d.name}.${name} (${where}) has no description: declare it with field()`);
      if (where === "output" && name in d.inputs.shape) throw new Error(`${d.name}.${name} is an input: inputs are outputs already`);
    }
  }
  // Whichever face calls them, a service failure ends in one line (provider/failures.ts).
  return { ...d, operations: withServiceFailures(d.name, d.operations) };
}

// ---- what the descriptor says, derived -------------------------------------------------

/** Every field, inputs first, with its rules. */
export function fieldsOf(d: ResourceDescriptor): Array<{ name: string; input: boolean; schema: z.ZodType; meta: FieldMeta }> {
  const inputs = Object.entries(d.inputs.shape).map(([name, schema]) => ({ name, input: true, schema: schema as z.ZodType }));
  const outputs = Object.entries(d.outputs.shape).map(([name, schema]) => ({ name, input: false, schema: schema as z.ZodType }));
  return [...inputs, ...outputs].map((f) => ({ ...f, meta: metaOf(f.schema)! }));
}

const onChangeOf = (f: { input: boolean; meta: FieldMeta }): OnChange => f.meta.onChange ?? (f.input ? "update" : "none");

/** Fields whose change replaces the object. */
export function replaceOn(d: ResourceDescriptor): string[] {
  return fieldsOf(d)
    .filter((f) => onChangeOf(f) === "replace")
    .map((f) => f.name);
}

/** Fields the service changes in place. */
export function updateOn(d: ResourceDescriptor): string[] {
  return fieldsOf(d)
    .filter((f) => onChangeOf(f) === "update")
    .map((f) => f.name);
}

/** Fields kept secret (inputs and outputs): both faces mark them. */
export function secretFields(d: ResourceDescriptor): string[] {
  return fieldsOf(d)
    .filter((f) => f.meta.secret)
    .map((f) => f.name);
}

/** Fields that are outputs only: the SDK passes them as undefined inputs, to be read back. */
export function outputOnly(d: ResourceDescriptor): string[] {
  return Object.keys(d.outputs.shape);
}

/** The plugin's type token, `ventus-axway:index:VentusProject`. */
export function pluginToken(d: Pick<ResourceDescriptor, "name">): string {
  return `${PACKAGE}:index:${d.name}`;
}

/** The SDK's dynamic resource type in state, `pulumi-nodejs:dynamic/pulumi-ventus-axway:VentusProject`. */
export function dynamicType(d: Pick<ResourceDescriptor, "name">): string {
  return `pulumi-nodejs:dynamic/${NPM_PACKAGE}:${d.name}`;
}

/** A description for one face: `{ventus:organizationId}` spelled as that face's users set it. */
export function render(description: string, settingLabel: (key: string) => string): string {
  return description.replace(/\{((?:ventus|axway):[A-Za-z]+)\}/g, (_m, key: string) => settingLabel(key));
}
