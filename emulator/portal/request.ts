// Reading the portal's JSON request bodies: typed fields, the errors they raise, and the
// writable fields of an Organization under either PUT behaviour (Behavior.organizationPut).
import type { OrganizationRecord } from "./store";

/** Thrown inside handlers; becomes `{"errors":[{"code","message"}]}` with `status`. */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: number = status,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function optString(body: Json, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new PortalError(400, `'${key}' must be a string`);
  return v;
}

export function optBoolean(body: Json, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "boolean") throw new PortalError(400, `'${key}' must be a boolean`);
  return v;
}

/** An integer, also from a numeric string (the seed sends `"userQuota": "15"`). */
export function optInteger(body: Json, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  let n: number;
  if (typeof v === "number") n = v;
  else if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) n = Number(v);
  else throw new PortalError(400, `'${key}' must be an integer`);
  if (!Number.isSafeInteger(n)) throw new PortalError(400, `'${key}' must be an integer`);
  return n;
}

export type OrganizationFields = Omit<OrganizationRecord, "id" | "image" | "dn" | "createdOn">;

// The writable fields of a Swagger `Organization` by kind; server-made ones (id, createdOn, dn,
// image) are never read from a body.
const TEXT_FIELDS = ["description", "email", "virtualHost", "phone", "skypeId"] as const;
const INTEGER_FIELDS = ["startTrialDate", "endTrialDate", "trialDuration"] as const;
/** Flags and the value they take when not given (enabled: see portal.ts on Swagger's default). */
const FLAG_DEFAULTS = { restricted: false, enabled: true, development: false, isTrial: false } as const;
type Flag = keyof typeof FLAG_DEFAULTS;
const FLAGS = Object.keys(FLAG_DEFAULTS) as Flag[];

function organizationBody(body: unknown): Json {
  if (!isObject(body)) throw new PortalError(400, "The request body must be a JSON Organization object");
  return body;
}

function checkName(name: string | undefined): string {
  if (name === undefined || name.trim() === "") throw new PortalError(400, "'name' is required");
  return name;
}

function checkTrialDuration(fields: OrganizationFields): OrganizationFields {
  if (fields.trialDuration !== undefined && fields.trialDuration < 0) {
    throw new PortalError(400, "'trialDuration' must not be negative");
  }
  return fields;
}

/** POST, and PUT under `replace`: the body is the whole organization; what it leaves out takes its default. */
export function organizationFields(raw: unknown): OrganizationFields {
  const body = organizationBody(raw);
  const fields: OrganizationFields = { name: checkName(optString(body, "name")), ...FLAG_DEFAULTS };
  for (const key of TEXT_FIELDS) {
    const v = optString(body, key);
    if (v !== undefined) fields[key] = v;
  }
  for (const key of FLAGS) fields[key] = optBoolean(body, key) ?? FLAG_DEFAULTS[key];
  for (const key of INTEGER_FIELDS) {
    const v = optInteger(body, key);
    if (v !== undefined) fields[key] = v;
  }
  return checkTrialDuration(fields);
}

/**
 * PUT under `merge`: fields absent from the body keep their value, present ones overwrite, and a
 * present `null` (or "" for text) clears the field (a flag goes back to its default). The name may
 * be left out but not cleared.
 */
export function mergedOrganizationFields(current: OrganizationFields, raw: unknown): OrganizationFields {
  const body = organizationBody(raw);
  const fields: OrganizationFields = { ...current };
  const present = (key: string) => Object.hasOwn(body, key) && body[key] !== undefined;
  if (present("name")) fields.name = checkName(optString(body, "name"));
  for (const key of TEXT_FIELDS) {
    if (!present(key)) continue;
    const v = optString(body, key);
    if (v === undefined || v === "") delete fields[key];
    else fields[key] = v;
  }
  for (const key of FLAGS) {
    if (present(key)) fields[key] = optBoolean(body, key) ?? FLAG_DEFAULTS[key];
  }
  for (const key of INTEGER_FIELDS) {
    if (!present(key)) continue;
    const v = optInteger(body, key);
    if (v === undefined) delete fields[key];
    else fields[key] = v;
  }
  return checkTrialDuration(fields);
}

/** The writable fields of a stored organization (what a merge starts from). */
export function writableFields(org: OrganizationRecord): OrganizationFields {
  const { id: _id, image: _image, dn: _dn, createdOn: _createdOn, ...fields } = org;
  return fields;
}
