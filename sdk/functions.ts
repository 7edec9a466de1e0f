// Data sources: they run in the program's own process, with the stack's configuration.
import * as pulumi from "@pulumi/pulumi";
import { axwayClient, ventusClient, ventusOrganizationDefault } from "../provider/clients";
import { parseOrganizationQuery } from "../provider/axway/query";
import type { ConfigSource } from "../provider/config";

/** The program's stack configuration, read raw (secrets included, without the plain-read warning). */
export const programConfig: ConfigSource = { get: (key) => pulumi.runtime.getConfig(key) };

export interface FlavorPrice {
  id: string;
  name: string;
  base: number;
  windows?: number;
}
export interface CurrencyPrices {
  storage: number;
  flavors: FlavorPrice[];
}
/** Prices by currency (`chf`, ...), each with its storage price and its flavors. */
export type GetPricesResult = Record<string, CurrencyPrices>;

/** Ventus Cloud prices, by currency. */
export async function getPrices(): Promise<GetPricesResult> {
  const prices = await ventusClient(programConfig).getPrices();
  const out: GetPricesResult = {};
  for (const [currency, p] of Object.entries(prices)) {
    out[currency] = {
      storage: p.storage,
      flavors: p.flavors.map((f) => ({ id: f.id, name: f.name, base: f.price.base, windows: f.price.windows })),
    };
  }
  return out;
}

export interface GetVentusProjectsArgs {
  /** Defaults to `ventus:organizationId` / `VENTUS_ORGANIZATION_ID`. */
  organizationId?: string;
}
export interface VentusProjectInfo {
  id: string;
  name: string;
  /** Lower case, as resources take it. */
  region: string;
  /** As the service spells it. */
  regionName: string;
}

/** Every project of an organization, e.g. to find the id of one made by hand before adopting it. */
export async function getVentusProjects(args: GetVentusProjectsArgs = {}): Promise<VentusProjectInfo[]> {
  const org = args.organizationId ?? ventusOrganizationDefault(programConfig);
  if (!org) throw new Error("getVentusProjects: organizationId is not given, and neither ventus:organizationId nor VENTUS_ORGANIZATION_ID is set");
  const list = await ventusClient(programConfig).listProjects(org);
  return list.map((x) => ({ id: x.id, name: x.name, region: x.region.toLowerCase(), regionName: x.region }));
}

export interface PortalOrganizationFilter {
  /** `apiid`, `description`, `email`, `enabled` (`enabled`|`disabled`), `createdOn` (epoch ms), `name` or `phone`. */
  field: string;
  /** `eq`, `ne`, `gt`, `lt`, `ge`, `le`, `like`, or `gete` (value `low,high`). */
  op: string;
  value: string;
}
export interface GetPortalOrganizationsArgs {
  filters?: PortalOrganizationFilter[];
  /** How the filters combine; default AND. */
  logic?: "AND" | "OR";
}

/** Portal organizations visible to the configured user, filtered by the portal. */
export async function getPortalOrganizations(args: GetPortalOrganizationsArgs = {}) {
  const { filters, logic } = parseOrganizationQuery(args);
  return axwayClient(programConfig).listOrganizations(filters, logic);
}

export interface GetPortalApisArgs {
  /** Exact name of a frontend API. */
  name?: string;
}

/** Frontend APIs of the portal (`/proxies`), e.g. to find the `apiId` of an API by name. */
export async function getPortalApis(args: GetPortalApisArgs = {}) {
  if (args.name !== undefined && (typeof args.name !== "string" || args.name.trim() === "")) {
    throw new Error("getPortalApis: name must be a non-empty string");
  }
  return axwayClient(programConfig).listApis(args.name);
}
