// zod schemas for what Ventus Cloud answers, and for what users declare.
// The answers are parsed loosely (extra fields pass through), the declarations strictly.
import { z } from "zod";

/** Regions the document names; path segments must be lower case, listings show them display-cased. */
export const REGIONS = {
  "eastern-switzerland": "Eastern-Switzerland",
  "upper-austria": "Upper-Austria",
  vienna: "Vienna",
} as const;
export type Region = keyof typeof REGIONS;
export const REGION_NAMES = Object.keys(REGIONS) as Region[];

export function isRegion(value: string): value is Region {
  return Object.prototype.hasOwnProperty.call(REGIONS, value);
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
