// Custom properties of organizations (Axway's Swagger: `GET /config/customproperties` →
// `CustomPropertiesConfig`): an installation defines them in its app.config, and their values
// travel as top-level fields of the Organization, next to `name` (APIM-CLI reads and writes them
// that way, as strings). Many installations define none, and a portal that does not know the
// call (404) has none.
//
// What the portal enforces, checked here before any write: `custom` text matching `regex`
// (the whole value), `select` one of `options`, `switch` true or false, `number` within
// `minValue`/`maxValue` with at most `decimalPlaces` decimals, and `required`.
import { z } from "zod";

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const CustomProperty = z.looseObject({
  label: z.string().nullish(),
  type: z.string().nullish(),
  disabled: z.boolean().nullish(),
  required: z.boolean().nullish(),
  options: z.array(z.looseObject({ value: scalar, label: z.string().nullish() })).nullish(),
  defaultValue: scalar.nullish(),
  regex: z.string().nullish(),
  minValue: scalar.nullish(),
  maxValue: scalar.nullish(),
  decimalPlaces: z.number().nullish(),
});
export type CustomProperty = z.infer<typeof CustomProperty>;

export const CustomPropertiesConfig = z.looseObject({
  organization: z.record(z.string(), CustomProperty).nullish(),
});

/** The enabled custom properties of organizations, by name. */
export type CustomPropertyDefinitions = Record<string, CustomProperty>;

export function organizationDefinitions(config: z.infer<typeof CustomPropertiesConfig> | undefined): CustomPropertyDefinitions {
  return Object.fromEntries(Object.entries(config?.organization ?? {}).filter(([, d]) => d.disabled !== true));
}

/** Fields of the Organization itself (Swagger, plus the seed's `skypeId`): never a custom property. */
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

/**
 * The custom property values of an organization as the portal answered it, as strings: the
 * defined ones when `defs` is given, else every top-level scalar that is no Organization field
 * (the candidates: when there are none, the definitions need not be asked for).
 */
export function customPropertiesOf(org: Record<string, unknown>, defs?: CustomPropertyDefinitions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(org)) {
    if (ORGANIZATION_FIELDS.has(k) || v === null || v === undefined || v === "") continue;
    if (defs ? !Object.hasOwn(defs, k) : typeof v === "object") continue;
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = String(v);
  }
  return out;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

function describeType(def: CustomProperty): string {
  const type = def.type ?? "custom";
  if (type === "select") return `one of ${(def.options ?? []).map((o) => String(o.value)).join(", ")}`;
  if (type === "switch") return "true or false";
  return type === "number" ? "a number" : "text";
}

/** Why `value` breaks the definition (the rule, for `customProperties.<name>: …`), or undefined. */
export function valueProblem(def: CustomProperty, value: string): string | undefined {
  const got = ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
  switch (def.type ?? "custom") {
    case "select": {
      const values = (def.options ?? []).map((o) => String(o.value));
      return values.includes(value) ? undefined : `must be one of ${values.join(", ")}${got}`;
    }
    case "switch":
      return value === "true" || value === "false" ? undefined : `must be true or false${got}`;
    case "number": {
      if (!NUMBER.test(value)) return `must be a number${got}`;
      const places = def.decimalPlaces ?? 0;
      if ((value.split(".")[1]?.length ?? 0) > places) return `must have at most ${places} decimal places${got}`;
      const n = Number(value);
      if (def.minValue !== undefined && def.minValue !== null && n < Number(def.minValue)) return `must be at least ${def.minValue}${got}`;
      if (def.maxValue !== undefined && def.maxValue !== null && n > Number(def.maxValue)) return `must be at most ${def.maxValue}${got}`;
      return undefined;
    }
    default:
      if (typeof def.regex !== "string") return undefined;
      try {
        return new RegExp(`^(?:${def.regex})$`).test(value) ? undefined : `must match the portal's pattern ${def.regex}${got}`;
      } catch {
        return undefined; // a pattern JavaScript cannot read: the portal judges
      }
  }
}

/**
 * The declared values checked against the definitions, one line per problem naming the property
 * and the rule; and the values to declare, with the portal's `defaultValue` for those left out
 * (a field left out means the portal's default, as for every other field).
 */
export function checkCustomProperties(
  defs: CustomPropertyDefinitions,
  declared: Readonly<Record<string, string>>,
): { problems: string[]; values: Record<string, string> } {
  const problems: string[] = [];
  const values: Record<string, string> = { ...declared };
  const names = Object.keys(defs);
  for (const [name, value] of Object.entries(declared)) {
    const def = defs[name];
    if (!def) {
      const known = names.length ? `the portal defines ${names.join(", ")}` : "the portal defines none";
      problems.push(`customProperties.${name}: is not a custom property of organizations on this portal (${known})`);
      continue;
    }
    const problem = valueProblem(def, value);
    if (problem) problems.push(`customProperties.${name}: ${problem}`);
  }
  for (const [name, def] of Object.entries(defs)) {
    if (Object.hasOwn(declared, name)) continue;
    if (def.defaultValue !== undefined && def.defaultValue !== null) values[name] = String(def.defaultValue);
    else if (def.required) problems.push(`customProperties.${name}: is required by the portal (${describeType(def)})`);
  }
  return { problems, values };
}

/** What a write sends: every defined property, the declared value or null (so a PUT that merges clears it too). */
export function customPropertiesToSend(
  defs: CustomPropertyDefinitions,
  declared: Readonly<Record<string, string>> | undefined,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const name of Object.keys(defs)) out[name] = declared?.[name] ?? null;
  for (const [name, value] of Object.entries(declared ?? {})) out[name] = value;
  return out;
}
