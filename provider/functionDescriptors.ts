// One description of each function, read by the plugin (invoke and schema) and the docs check:
// what it is called, what it does, its arguments (the zod schemas of functions.ts, described on
// each field), the name of its result in the plugin's answer, and the types of its results.
import type { z } from "zod";
import type { ProviderContext } from "./context";
import * as functions from "./functions";
import { PACKAGE } from "./resources/descriptor";

/** A Pulumi schema type reference or primitive, with its description. */
export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  $ref?: string;
  items?: Omit<PropertySpec, "description">;
  additionalProperties?: Omit<PropertySpec, "description">;
  oneOf?: Array<Omit<PropertySpec, "description">>;
  description?: string;
  default?: unknown;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
}
type Props = Record<string, PropertySpec>;

export const ref = (t: string): PropertySpec => ({ $ref: `#/types/${PACKAGE}:index:${t}` });

export interface FunctionDescriptor {
  name: string;
  description: string;
  /** The arguments: validated by functions.ts with this schema, each field described. */
  args: z.ZodObject;
  /** Arguments whose plugin type is one of RESULT_TYPES rather than what the zod schema says. */
  argTypes?: Props;
  /** The property of the plugin's answer that holds the result (YAML's `return:`). */
  result: string;
  /** The result's type and description. */
  resultSpec: PropertySpec;
  /** The implementation, with the caller's context. */
  run: (ctx: ProviderContext, args: never) => Promise<unknown>;
}

export const FUNCTIONS: readonly FunctionDescriptor[] = [
  {
    name: "getPrices",
    description: "Ventus Cloud prices, by currency.",
    args: functions.getPricesArgsSchema,
    result: "prices",
    resultSpec: { type: "object", additionalProperties: ref("CurrencyPrices"), description: "Prices by currency (`chf`, `eur`, …)." },
    run: functions.getPricesWith,
  },
  {
    name: "getVentusProjects",
    description: "Every project of a Ventus Cloud organization, e.g. to find the id of one made by hand before importing it.",
    args: functions.getVentusProjectsArgsSchema,
    result: "projects",
    resultSpec: { type: "array", items: ref("VentusProjectInfo"), description: "The projects of the organization, in every region." },
    run: functions.getVentusProjectsWith,
  },
  {
    name: "getPortalOrganizations",
    description: "Portal organizations visible to the configured user, filtered by the portal.",
    args: functions.getPortalOrganizationsArgsSchema,
    argTypes: { filters: { type: "array", items: ref("PortalOrganizationFilter") } },
    result: "organizations",
    resultSpec: { type: "array", items: ref("PortalOrganizationInfo"), description: "The organizations that match the filters." },
    run: functions.getPortalOrganizationsWith,
  },
  {
    name: "getPortalApis",
    description: "Frontend APIs of the portal (`/proxies`), e.g. to find the `apiId` of an API by name.",
    args: functions.getPortalApisArgsSchema,
    result: "apis",
    resultSpec: { type: "array", items: ref("PortalApi"), description: "The frontend APIs; only those of that name when `name` is given." },
    run: functions.getPortalApisWith,
  },
];

/** The types of the functions' results, as the plugin's schema declares them; the TypeScript interfaces of functions.ts say the same (test/unit/provider/contracts.test.ts). */
export const RESULT_TYPES: Record<string, { description: string; properties: Props; required: string[] }> = {
  FlavorPrice: {
    description: "Price of one Ventus Cloud VM flavor.",
    properties: {
      id: { type: "string", description: "Flavor id." },
      name: { type: "string", description: "Flavor name, e.g. `VC-1`." },
      base: { type: "number", description: "Price per hour of the flavor." },
      windows: { type: "number", description: "Price per hour of the flavor with Windows, where the service lists one." },
    },
    required: ["id", "name", "base"],
  },
  CurrencyPrices: {
    description: "Ventus Cloud prices in one currency.",
    properties: {
      storage: { type: "number", description: "Price of storage." },
      flavors: { type: "array", items: ref("FlavorPrice"), description: "Prices of the VM flavors." },
    },
    required: ["storage", "flavors"],
  },
  VentusProjectInfo: {
    description: "A project of a Ventus Cloud organization.",
    properties: {
      id: { type: "string", description: "Project id: what `VentusProject`'s `importId` and import take." },
      name: { type: "string", description: "Display name." },
      region: { type: "string", description: "Region, lower case, as resources take it." },
      regionName: { type: "string", description: "Region as the service spells it, e.g. `Eastern-Switzerland`." },
    },
    required: ["id", "name", "region", "regionName"],
  },
  PortalOrganizationFilter: {
    description: "One condition on the portal's organizations.",
    properties: {
      field: {
        type: "string",
        description:
          "`apiid`, `description`, `email`, `enabled` (value `enabled` or `disabled`), `createdOn` (epoch ms), `name` or `phone`.",
      },
      op: {
        type: "string",
        description: "`eq`, `ne`, `gt`, `lt`, `ge`, `le`, `like`, or the range op `gete` / `gele` (value `low,high`).",
      },
      value: { type: "string", description: "The value compared with." },
    },
    required: ["field", "op", "value"],
  },
  PortalOrganizationInfo: {
    description: "An organization of the Axway API Manager portal, as the portal lists it.",
    properties: {
      id: {
        type: "string",
        description: "Organization id: what `PortalOrganization`'s `importId` and import, and the `organizationId` inputs take.",
      },
      name: { type: "string", description: "Name, unique on the portal." },
      description: { type: "string", description: "Description." },
      email: { type: "string", description: "Contact email address." },
      image: { type: "string", description: "URI of the organization's picture." },
      restricted: { type: "boolean", description: "Whether the organization is restricted." },
      virtualHost: { type: "string", description: "Virtual host." },
      phone: { type: "string", description: "Contact phone number." },
      enabled: { type: "boolean", description: "Whether the organization is enabled." },
      development: { type: "boolean", description: "Whether the organization may develop APIs." },
      dn: { type: "string", description: "Distinguished name, `o=<name>,ou=organizations,ou=APIPortal`." },
      createdOn: { type: "number", description: "When it was created (epoch milliseconds)." },
      startTrialDate: { type: "number", description: "Start of the trial (epoch milliseconds)." },
      endTrialDate: { type: "number", description: "End of the trial (epoch milliseconds)." },
      trialDuration: { type: "number", description: "Length of the trial in days." },
      isTrial: { type: "boolean", description: "Whether the organization is on a trial." },
    },
    required: ["id", "name"],
  },
  PortalApi: {
    description: "A frontend (virtualized) API of the portal, as `GET /proxies` lists it.",
    properties: {
      id: { type: "string", description: "API id: what `OrganizationApiAccess.apiId` takes." },
      name: { type: "string", description: "Name of the API." },
      version: { type: "string", description: "Version of the API." },
      path: { type: "string", description: "Path the API is served under." },
      state: { type: "string", description: "State of the API, e.g. `published`." },
    },
    required: ["id", "name"],
  },
};
