// The plumbing between the engine's contract (@pulumi/pulumi/dynamic's ResourceProvider) and
// the resources: validating declared inputs with zod into check failures (field and rule
// named, unknown fields refused, values that are still unknown at preview left alone), a diff
// that says which field changes in place and which replaces, state without undefined, and the
// error of a create that made its object. The input rules themselves are in rules.ts.
import type { CheckFailure, CheckResult, DiffResult, ReadResult } from "@pulumi/pulumi/dynamic";
// The module that defines the sentinel, not the whole SDK: the plugin and the gitops CLI load this too.
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { z } from "zod";
import { SettingsError } from "../config";
import { InsecureTransportError } from "../http/errors";
import { isPlain as plain, issuePath, label, strictOf, unknownFieldMessage } from "../rules";

export type { CheckFailure, CheckResult, DiffResult };

type Obj = Record<string, unknown>;

export interface ValidateOptions {
  /** The resource's output names: the SDK passes them as undefined inputs; never flagged. */
  outputs?: readonly string[];
  /** Inputs whose value is secret (see `failure`). */
  secret?: readonly string[];
}

/**
 * A check failure for `property`. The engine prints the declared value of the property next
 * to the reason; when that value is long, holds control characters or is secret, the failure
 * names no property (the reason names the field anyway), so nothing of it is printed.
 */
export function failure(news: Obj, property: string, reason: string, secret: readonly string[] = []): CheckFailure {
  const v = news[property];
  const printable = v === undefined || typeof v === "number" || typeof v === "boolean" || (typeof v === "string" && plain(v));
  return { property: printable && plain(property) && !secret.includes(property) ? property : "", reason };
}

/**
 * Validates `news` against an object schema. Fields whose value is unknown at preview are
 * passed through untouched and checked once known, at apply. The parsed (normalized) values
 * replace the declared ones, so state records what was actually meant (e.g. a lower-cased region).
 * A field the schema does not know is a failure (a typo would otherwise be ignored), except
 * the engine's own (`__provider`) and the resource's outputs.
 */
export function validate<S extends z.ZodObject>(schema: S, news: Obj, opts: ValidateOptions = {}): CheckResult<z.output<S>> {
  // Outputs and undefined values are what the SDK passes for outputs; `__provider` is the engine's.
  const passThrough = (k: string) =>
    k.startsWith("__") || (!(k in schema.shape) && ((opts.outputs ?? []).includes(k) || news[k] === undefined));
  const unknownKeys = Object.keys(news).filter((k) => k in schema.shape && containsUnknown(news[k]));
  const known: Obj = {};
  for (const [k, v] of Object.entries(news)) if (!unknownKeys.includes(k) && !passThrough(k)) known[k] = v;
  const result = strictOf(schema, unknownKeys).safeParse(known);
  if (!result.success) {
    const names = Object.keys(schema.shape);
    const failures = result.error.issues.flatMap((issue): CheckFailure[] =>
      issue.code === "unrecognized_keys"
        ? issue.keys.map((k) => failure(news, k, `${label(k)}: ${unknownFieldMessage(k, names)}`, opts.secret))
        : [toFailure(issue, news, opts.secret)],
    );
    return { inputs: news as z.output<S>, failures };
  }
  const inputs: Obj = { ...news, ...(result.data as Obj) };
  for (const k of Object.keys(schema.shape)) if (!(k in (result.data as Obj)) && !unknownKeys.includes(k)) delete inputs[k];
  // Unknown values stand where the schema's types are promised until apply, as for any dynamic provider.
  return { inputs: inputs as z.output<S> };
}

function toFailure(issue: z.core.$ZodIssue, news: Obj, secret?: readonly string[]): CheckFailure {
  const where = issuePath(issue.path) || "(inputs)";
  return failure(news, String(issue.path[0] ?? ""), `${where}: ${withoutField(where, issue.message)}`, secret);
}

/** `region must be …` reported for `region` reads `region: must be …`, not the field twice. */
export function withoutField(field: string, message: string): string {
  return message.startsWith(`${field} `) ? message.slice(field.length + 1) : message;
}

/**
 * Settings problems as check failures (one line each at preview, no stack trace), instead of
 * an exception: `build` resolves and validates the settings a call will need.
 */
export function settingsFailures(build: () => unknown, news: Obj = {}, property = ""): CheckFailure[] {
  try {
    build();
    return [];
  } catch (err) {
    if (err instanceof SettingsError) return err.problems.map((p) => failure(news, property, p));
    // The HTTP core's own refusal, should a URL pass the settings' rules and not its own.
    if (err instanceof InsecureTransportError) return [failure(news, property, err.message)];
    throw err;
  }
}

function containsUnknown(v: unknown): boolean {
  if (v === unknownValue) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

export interface DiffRules {
  /** Fields whose change means a new object: the service cannot change them in place. */
  replaceOn: string[];
  /** Fields the service updates in place. */
  updateOn: string[];
  /** Normalizes a field's value before comparing (e.g. `undefined` and a default are the same). */
  normalize?: (field: string, value: unknown) => unknown;
  /** Fields managed only when declared: left out, whatever the service holds is fine. */
  ignoreWhenUndeclared?: string[];
}

/** A diff that always says both whether anything changes and what replaces. */
export type RuledDiff = DiffResult & Required<Pick<DiffResult, "changes" | "replaces">>;

/** Compares old state with new inputs field by field; fields outside the rules never cause a diff. */
export function diffByRules(olds: object, news: object, rules: DiffRules): RuledDiff {
  const [o, n] = [olds as Obj, news as Obj];
  const norm = rules.normalize ?? ((_f: string, v: unknown) => v);
  const changed = (f: string) => {
    if (n[f] === undefined && rules.ignoreWhenUndeclared?.includes(f)) return false;
    if (containsUnknown(n[f])) return true;
    return !deepEqual(norm(f, o[f]), norm(f, n[f]));
  };
  const replaces = rules.replaceOn.filter(changed);
  const updates = rules.updateOn.filter(changed);
  return { changes: replaces.length + updates.length > 0, replaces };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Positions count in an array: [x, undefined] is not [x].
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a as Obj).filter((k) => (a as Obj)[k] !== undefined);
  const kb = Object.keys(b as Obj).filter((k) => (b as Obj)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}

/** Drops keys whose value is undefined: Pulumi state cannot hold undefined. */
export function compact<T extends Obj>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** What refresh found: the SDK types a read's `inputs` as outputs; a resource's inputs are a part of them. */
export function readResult<O>(id: string, props: O, inputs: Partial<O>): ReadResult<O> {
  return { id, props, inputs: inputs as O };
}

/**
 * An error after the object was created: the dynamic provider turns `id` and `properties`
 * into ErrorResourceInitFailed, so the engine keeps the object in state (nothing is left
 * orphaned) and the next `pulumi up` finishes the job with an update.
 */
export class PartialCreateError extends Error {
  readonly reasons: string[];
  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    cause: Error,
  ) {
    super(`created ${id}, but a later step failed: ${cause.message}`);
    this.reasons = [cause.message];
  }
}
