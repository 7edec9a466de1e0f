// What every resource provider shares: validating declared inputs with zod into Pulumi
// check failures (field and rule named, values that are still unknown at preview left
// alone), and a diff that says which field changes in place and which replaces.
import { z } from "zod";

/** The engine's placeholder for a value not known until apply (an output of another resource). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult<T> {
  inputs?: T;
  failures?: CheckFailure[];
}

type Obj = Record<string, unknown>;

/**
 * Validates `news` against an object schema. Fields whose value is unknown at preview are
 * passed through untouched and checked once known, at apply. The parsed (normalized) values
 * replace the declared ones, so state records what was actually meant (e.g. a lower-cased region).
 */
export function validate<S extends z.ZodObject>(schema: S, news: Obj): CheckResult<Obj> {
  const unknownKeys = Object.keys(news).filter((k) => containsUnknown(news[k]) && k in schema.shape);
  const known: Obj = {};
  for (const [k, v] of Object.entries(news)) if (!unknownKeys.includes(k) && k in schema.shape) known[k] = v;
  const mask = Object.fromEntries(unknownKeys.map((k) => [k, true])) as Record<string, true>;
  const result = (unknownKeys.length ? schema.partial(mask as never) : schema).safeParse(known);
  if (!result.success) {
    return { inputs: news, failures: result.error.issues.map(toFailure) };
  }
  const inputs: Obj = { ...news, ...(result.data as Obj) };
  for (const k of Object.keys(schema.shape)) if (!(k in (result.data as Obj)) && !unknownKeys.includes(k)) delete inputs[k];
  return { inputs };
}

function toFailure(issue: z.core.$ZodIssue): CheckFailure {
  const property = issue.path.map(String).join(".") || "(inputs)";
  return { property, reason: `${property}: ${issue.message}` };
}

function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
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

export interface DiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace?: boolean;
}

/** Compares old state with new inputs field by field; fields outside the rules never cause a diff. */
export function diffByRules(olds: Obj, news: Obj, rules: DiffRules): DiffResult {
  const norm = rules.normalize ?? ((_f: string, v: unknown) => v);
  const changed = (f: string) => {
    if (news[f] === undefined && rules.ignoreWhenUndeclared?.includes(f)) return false;
    if (news[f] === UNKNOWN || containsUnknown(news[f])) return true;
    return !deepEqual(norm(f, olds[f]), norm(f, news[f]));
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
