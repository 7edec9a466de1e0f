// zod schemas for what Ventus Cloud answers, and for what users declare.
// The answers are parsed loosely (extra fields pass through), the declarations strictly.
import { z } from "zod";

/**
 * The seed's only rule for a region is "must be in lower case" in a path; its examples name
 * three. Any region of that shape is accepted, so a new region needs no new release: one the
 * service does not serve fails when the project is created.
 */
export const REGION_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** Regions the seed names, for documentation and examples. */
export const KNOWN_REGIONS = ["eastern-switzerland", "upper-austria", "vienna"] as const;

/** `eastern-switzerland` → `Eastern-Switzerland`, the way the listing spells the seed's regions. */
export function regionDisplayName(region: string): string {
  return region.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** `Eastern-Switzerland` → `eastern-switzerland`; unknown display names are lower-cased as they are. */
export function regionFromDisplay(display: string): string {
  return display.trim().toLowerCase();
}

export const TokensResponse = z.object({
  id_token: z.string().min(1),
  access_token: z.string().min(1),
});
export type Tokens = z.infer<typeof TokensResponse>;

export const Project = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
});
export type Project = z.infer<typeof Project>;

export const ProjectListItem = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  region: z.string(),
});
export type ProjectListItem = z.infer<typeof ProjectListItem>;
export const ProjectList = z.array(ProjectListItem);

export const Flavor = z.looseObject({
  id: z.string(),
  name: z.string(),
  price: z.looseObject({ base: z.number(), windows: z.number().optional() }),
});
export const CurrencyPrices = z.looseObject({
  storage: z.number(),
  flavors: z.array(Flavor),
});
export const Prices = z.record(z.string(), CurrencyPrices);
export type Prices = z.infer<typeof Prices>;
