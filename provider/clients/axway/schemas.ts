// zod schemas for what the Axway API Manager portal (v1.3) answers, and for what the client sends.
// Answers are parsed loosely: extra fields pass through, `null` stands for "absent", numbers
// may arrive as numeric strings (the seed sends `"userQuota": "15"`; Swagger's example shows
// the registration code itself as a number), and a single object may stand where an array is
// documented or the other way round (see shared/API-NOTES.md).
import { z } from "zod";

/** A number, also from a numeric string. */
const num = z.union([
  z.number(),
  z
    .string()
    .regex(/^\s*-?\d+(\.\d+)?\s*$/, "expected a number")
    .transform(Number),
]);

/** Optional in the answer; `null` is kept where the API documents it (it means "unset"). */
const optNullableString = z.string().nullish();
const optNullableNumber = num.nullish();
/** Optional, with `null` read as absent. */
const optBoolean = z
  .boolean()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();
const optNumber = num
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();
const optString = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();

/** An array where the server may answer a single object, or nothing at all. */
export function arrayOrOne<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]), z.array(item));
}

/** An object where the server may answer an array of one. */
export function oneOrArrayOfOne<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v), item);
}

export const Organization = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: optNullableString,
  email: optNullableString,
  /** URI of the picture, read-only; the picture itself goes through `/organizations/{id}/image`. */
  image: optNullableString,
  restricted: optBoolean,
  virtualHost: optNullableString,
  phone: optNullableString,
  enabled: optBoolean,
  development: optBoolean,
  dn: optNullableString,
  createdOn: optNullableNumber,
  startTrialDate: optNullableNumber,
  endTrialDate: optNullableNumber,
  trialDuration: optNullableNumber,
  isTrial: optBoolean,
});
export type Organization = z.infer<typeof Organization>;
export const OrganizationList = arrayOrOne(Organization);

/** The fields a client may set; `id`, `createdOn`, `dn` and `image` are the server's. */
export const OrganizationWrite = z.object({
  name: z.string().min(1),
  description: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  enabled: z.boolean().optional(),
  development: z.boolean().optional(),
  restricted: z.boolean().optional(),
  virtualHost: z.string().nullish(),
  isTrial: z.boolean().optional(),
  trialDuration: z.number().int().nullish(),
  startTrialDate: z.number().int().nullish(),
  endTrialDate: z.number().int().nullish(),
});
export type OrganizationWrite = z.infer<typeof OrganizationWrite>;
export const ORGANIZATION_WRITABLE_FIELDS = Object.keys(OrganizationWrite.shape) as Array<keyof OrganizationWrite>;

export const ApiAccess = z.looseObject({
  id: z.string().min(1),
  apiId: z.string().min(1),
  state: optString,
  enabled: optBoolean,
  createdBy: optString,
  createdOn: optNumber,
});
export type ApiAccess = z.infer<typeof ApiAccess>;
export const ApiAccessList = arrayOrOne(ApiAccess);

export const RegistrationToken = z.looseObject({
  /** The registration code: a secret, anyone holding it can join the organization. */
  token: z.union([z.string().min(1), z.number().transform(String)]),
  organizationId: optString,
  expiry: optNullableNumber,
  createdOn: optNumber,
  createdBy: optString,
  userQuota: optNumber,
  maxUsers: optNumber,
  enabled: optBoolean,
});
export type RegistrationToken = z.infer<typeof RegistrationToken>;
export const RegistrationTokenList = arrayOrOne(RegistrationToken);

/** A frontend (virtualized) API as `GET /proxies` lists it; its `id` is what API access grants name. */
export const FrontendApi = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  version: optString,
  path: optString,
  state: optString,
});
export type FrontendApi = z.infer<typeof FrontendApi>;
export const FrontendApiList = arrayOrOne(FrontendApi);

/** Fields `GET /organizations` filters on (seed: "The field is one of"). */
export const FILTER_FIELDS = ["apiid", "description", "email", "enabled", "createdOn", "name", "phone"] as const;
/** Filter ops; the seed spells the range op `gete` (`value=lo,hi`), Axway's Swagger `gele`: both are taken. */
export const FILTER_OPS = ["eq", "ne", "gt", "lt", "ge", "le", "like", "gete", "gele"] as const;
export const RANGE_OPS = ["gete", "gele"] as const;
export type FilterField = (typeof FILTER_FIELDS)[number];
export type FilterOp = (typeof FILTER_OPS)[number];

/** One `field=…&op=…&value=…` expression; `enabled` takes `enabled|disabled`, `gete`/`gele` take `lo,hi`. */
export interface OrgFilter {
  field: FilterField;
  op: FilterOp;
  value: string;
}
