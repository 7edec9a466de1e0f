// Custom properties of organizations, as Axway's Swagger documents them (`GET /config/customproperties`
// → `CustomPropertiesConfig`; the seed does not mention them). An installation defines them in its
// app.config; here they come from the `customProperties` option, `--custom-properties` or the
// control call `/_emulator/portal/customproperties`. Their values travel as top-level fields of
// the Organization (Axway's APIM-CLI reads and writes them that way) and are kept as strings.
//
// Rules enforced on writes, as the Swagger describes each type: `custom` text matching `regex`
// (the whole value), `select` one of `options`, `switch` true or false, `number` within
// `minValue`/`maxValue` with at most `decimalPlaces` decimals (default 0); `required` refuses a
// create or a replacing PUT without it (400). `defaultValue` fills a create that leaves one out.
// `disabled` properties are neither stored nor required. Names the installation does not define
// are ignored, as the product ignores unknown fields.
import type { EmulatorResponse } from "../types";
import { isObject, PortalError, type Json, type PortalCall } from "./request";
import type { PortalStore } from "./store";

export const CUSTOM_PROPERTY_TYPES = ["custom", "select", "switch", "number"] as const;
export type CustomPropertyType = (typeof CUSTOM_PROPERTY_TYPES)[number];

export interface CustomPropertyOption {
  value: string | number | boolean;
  label?: string;
}

/** Swagger `CustomProperty` (the fields the emulator reads; others are kept and served as given). */
export interface CustomProperty {
  label?: string;
  type?: CustomPropertyType;
  disabled?: boolean;
  required?: boolean;
  help?: string;
  options?: CustomPropertyOption[];
  defaultValue?: string | number | boolean;
  regex?: string;
  minValue?: number | string;
  maxValue?: number | string;
  decimalPlaces?: number;
  [other: string]: unknown;
}

/** Swagger `CustomPropertiesConfig`: definitions by entity, each a dictionary by property name. */
export interface CustomPropertiesConfig {
  user?: Record<string, CustomProperty>;
  organization?: Record<string, CustomProperty>;
  application?: Record<string, CustomProperty>;
  api?: Record<string, CustomProperty>;
}

const ENTITIES = ["user", "organization", "application", "api"] as const;

/** Fields of the Organization itself: a custom property must not take one of these names. */
const ORGANIZATION_FIELDS = new Set([
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
  "skypeId",
]);

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A configuration as given (option, flag, control call), checked: throws TypeError naming the
 * property and the problem. Accepts a `CustomPropertiesConfig` or, as a shorthand, just the
 * organization dictionary under `organization`.
 */
export function parseCustomPropertiesConfig(value: unknown): CustomPropertiesConfig {
  if (!isObject(value)) throw new TypeError('custom properties: expected a JSON object like {"organization": {"<name>": {...}}}');
  const out: CustomPropertiesConfig = {};
  for (const key of Object.keys(value)) {
    if (!(ENTITIES as readonly string[]).includes(key)) {
      throw new TypeError(`custom properties: unknown entity "${key}" (expected ${ENTITIES.join(", ")})`);
    }
  }
  for (const entity of ENTITIES) {
    const defs = value[entity];
    if (defs === undefined || defs === null) continue;
    if (!isObject(defs)) throw new TypeError(`custom properties: ${entity} must be an object of properties by name`);
    out[entity] = {};
    for (const [name, def] of Object.entries(defs)) out[entity][name] = checkDefinition(entity, name, def);
  }
  return out;
}

function checkDefinition(entity: string, name: string, def: unknown): CustomProperty {
  const where = `custom properties: ${entity}.${name}`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new TypeError(`${where}: a name is letters, digits and _`);
  if (entity === "organization" && ORGANIZATION_FIELDS.has(name)) throw new TypeError(`${where}: is a field of the Organization`);
  if (!isObject(def)) throw new TypeError(`${where}: must be an object`);
  const type = def.type ?? "custom";
  if (!(CUSTOM_PROPERTY_TYPES as readonly unknown[]).includes(type)) {
    throw new TypeError(`${where}: type must be one of ${CUSTOM_PROPERTY_TYPES.join(", ")}`);
  }
  if (type === "select" && (!Array.isArray(def.options) || def.options.length === 0)) {
    throw new TypeError(`${where}: a select needs options [{value, label}]`);
  }
  if (def.options !== undefined) {
    if (!Array.isArray(def.options) || !def.options.every((o) => isObject(o) && ["string", "number", "boolean"].includes(typeof o.value))) {
      throw new TypeError(`${where}: options must be [{value, label}] with a string, number or boolean value`);
    }
  }
  if (def.regex !== undefined) {
    if (typeof def.regex !== "string") throw new TypeError(`${where}: regex must be a string`);
    try {
      new RegExp(def.regex);
    } catch {
      throw new TypeError(`${where}: regex does not compile`);
    }
  }
  for (const bound of ["minValue", "maxValue"] as const) {
    const b = def[bound];
    if (b !== undefined && !(typeof b === "number" || (typeof b === "string" && NUMBER.test(b.trim())))) {
      throw new TypeError(`${where}: ${bound} must be a number`);
    }
  }
  const parsed = { ...def, type } as CustomProperty;
  if (parsed.defaultValue !== undefined && parsed.defaultValue !== null) {
    const problem = valueProblem(parsed, String(parsed.defaultValue));
    if (problem) throw new TypeError(`${where}: defaultValue ${problem}`);
  }
  return parsed;
}

/** Why `value` breaks the definition, or undefined when it is fine. */
function valueProblem(def: CustomProperty, value: string): string | undefined {
  switch (def.type ?? "custom") {
    case "select": {
      const values = (def.options ?? []).map((o) => String(o.value));
      return values.includes(value) ? undefined : `must be one of ${values.join(", ")}`;
    }
    case "switch":
      return value === "true" || value === "false" ? undefined : "must be true or false";
    case "number": {
      if (!NUMBER.test(value)) return "must be a number";
      const decimals = value.split(".")[1]?.length ?? 0;
      if (decimals > (def.decimalPlaces ?? 0)) return `must have at most ${def.decimalPlaces ?? 0} decimal places`;
      const n = Number(value);
      if (def.minValue !== undefined && n < Number(def.minValue)) return `must be at least ${def.minValue}`;
      if (def.maxValue !== undefined && n > Number(def.maxValue)) return `must be at most ${def.maxValue}`;
      return undefined;
    }
    default:
      return def.regex === undefined || new RegExp(`^(?:${def.regex})$`).test(value) ? undefined : `must match ${def.regex}`;
  }
}

/** The organization's enabled definitions. */
export function organizationDefinitions(s: PortalStore): Array<[string, CustomProperty]> {
  return Object.entries(s.customProperties().organization ?? {}).filter(([, d]) => d.disabled !== true);
}

/** A value as the body carries it: text, a number or a boolean; null or "" means unset. */
function bodyValue(body: Json, name: string): string | null | undefined {
  if (!Object.hasOwn(body, name) || body[name] === undefined) return undefined;
  const v = body[name];
  if (v === null || v === "") return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  throw new PortalError(400, `Custom property '${name}' must be a string, number or boolean`);
}

/**
 * The custom property values an organization has after a write. `create` and `replace` take the
 * body as the whole object (a create fills in defaults); `merge` keeps what the body leaves out.
 * Throws 400 naming the property and the rule.
 */
export function customPropertyValues(
  s: PortalStore,
  body: Json,
  current: Readonly<Record<string, string>> | undefined,
  mode: "create" | "replace" | "merge",
): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [name, def] of organizationDefinitions(s)) {
    let value = bodyValue(body, name);
    if (value === undefined && mode === "merge") value = current?.[name];
    if (value === undefined && mode === "create" && def.defaultValue !== undefined && def.defaultValue !== null) {
      value = String(def.defaultValue);
    }
    if (value === undefined || value === null) {
      if (def.required) throw new PortalError(400, `Custom property '${name}' is required`);
      continue;
    }
    const problem = valueProblem(def, value);
    if (problem) throw new PortalError(400, `Custom property '${name}' ${problem} (got "${value.slice(0, 40)}")`);
    out[name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** `GET /config/customproperties`: the definitions, every entity present (empty when none). */
export function getCustomPropertiesConfig(s: PortalStore, _call: PortalCall): EmulatorResponse {
  const config = s.customProperties();
  return { status: 200, body: Object.fromEntries(ENTITIES.map((e) => [e, config[e] ?? {}])) };
}
