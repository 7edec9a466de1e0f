// Data sources (sdk/index.ts exports them to programs; the plugin serves the same ones): they
// run in the program's own process, with the stack's configuration.
// Arguments and settings are checked synchronously, before any call: a problem throws
// pulumi.RunError, which ends the program with its message only (no stack trace), and being
// thrown, not a rejected promise, it cannot be "handled asynchronously" later.
// Each returns declared types, mapped from the client's answer (an unset field is absent,
// never null), and has an `…Output` variant that takes Inputs and returns an Output, as the
// functions of generated Pulumi SDKs do.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { FilterLogic, OrganizationFilters } from "./clients/axway/filters";
import { SettingsError } from "./config";
import { organizationDefaultSetting, providerContext, type ProviderContext } from "./context";
import { failureText, isServiceFailure } from "./failures";
import { InsecureTransportError } from "./http/errors";
import { field } from "./resources/descriptor";
import { id, issuePath, label, LIMITS, nonBlank, strictOf, unknownFieldMessage } from "./rules";

/**
 * The context of a function called by a TypeScript program: the program's stack configuration
 * (`ventus:*`, `axway:*`; secrets included, read raw without the plain-read warning), else the
 * environment. The plugin hands its own context instead.
 */
export function programContext(): ProviderContext {
  return providerContext({ get: (key) => pulumi.runtime.getConfig(key) });
}

// ---- getPrices ------------------------------------------------------------------------

/** Price of one Ventus Cloud VM flavor. */
export interface FlavorPrice {
  /** Flavor id. */
  id: string;
  /** Flavor name, e.g. `VC-1`. */
  name: string;
  /** Price per hour of the flavor. */
  base: number;
  /** Price per hour of the flavor with Windows, where the service lists one. */
  windows?: number;
}
/** Ventus Cloud prices in one currency. */
export interface CurrencyPrices {
  /** Price of storage. */
  storage: number;
  /** Prices of the VM flavors. */
  flavors: FlavorPrice[];
}
/** Prices by currency (`chf`, `eur`, …), each with its storage price and its flavors. */
export type GetPricesResult = Record<string, CurrencyPrices>;

export const getPricesArgsSchema = z.object({});

/** Ventus Cloud prices, by currency. It takes no arguments. */
export function getPrices(args: Record<string, never> = {}): Promise<GetPricesResult> {
  return getPricesWith(programContext(), args);
}

/** {@link getPrices} with the caller's context: the plugin hands its provider's settings. */
export function getPricesWith(ctx: ProviderContext, args: Record<string, never>): Promise<GetPricesResult> {
  const fn = "getPrices";
  parseArgs(fn, getPricesArgsSchema, args);
  const client = withSettings(fn, () => ctx.ventus());
  return serviceCalls(fn, ctx, async () => {
    const prices = await client.getPrices();
    const out: GetPricesResult = {};
    for (const [currency, p] of Object.entries(prices)) {
      out[currency] = {
        storage: p.storage,
        flavors: p.flavors.map((f) => present({ id: f.id, name: f.name, base: f.price.base, windows: f.price.windows })),
      };
    }
    return out;
  });
}

/** {@link getPrices} as an Output, e.g. to wait for resources with `dependsOn`. */
export function getPricesOutput(opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetPricesResult> {
  return outputOf({}, opts, () => getPrices());
}

// ---- getVentusProjects ----------------------------------------------------------------

/** The arguments of {@link getVentusProjects}. */
export interface GetVentusProjectsArgs {
  /** Organization whose projects to list; defaults to `ventus:organizationId` (or `VENTUS_ORGANIZATION_ID`). */
  organizationId?: string;
}
/** {@link GetVentusProjectsArgs} as Inputs. */
export interface GetVentusProjectsOutputArgs {
  /** Organization whose projects to list; defaults to `ventus:organizationId` / `VENTUS_ORGANIZATION_ID`. */
  organizationId?: pulumi.Input<string>;
}
/** A project of a Ventus Cloud organization. */
export interface VentusProjectInfo {
  /** Project id: what `VentusProject`'s `importId` and import take. */
  id: string;
  /** Display name. */
  name: string;
  /** Region, lower case, as resources take it. */
  region: string;
  /** Region as the service spells it, e.g. `Eastern-Switzerland`. */
  regionName: string;
}
/** The projects of the organization, in every region. */
export type GetVentusProjectsResult = VentusProjectInfo[];

export const getVentusProjectsArgsSchema = z.object({
  organizationId: field(id().optional(), "Organization whose projects to list; defaults to {ventus:organizationId}."),
});

/** Every project of an organization, e.g. to find the id of one made by hand before adopting it. */
export function getVentusProjects(args: GetVentusProjectsArgs = {}): Promise<GetVentusProjectsResult> {
  return getVentusProjectsWith(programContext(), args);
}

/** {@link getVentusProjects} with the caller's context: the plugin hands its provider's settings. */
export function getVentusProjectsWith(ctx: ProviderContext, args: GetVentusProjectsArgs): Promise<GetVentusProjectsResult> {
  const fn = "getVentusProjects";
  const a = parseArgs(fn, getVentusProjectsArgsSchema, args);
  const org = a.organizationId ?? withSettings(fn, () => ctx.ventusOrganizationDefault());
  if (!org) fail(fn, `organizationId: not given, and neither ${organizationDefaultSetting(ctx)} is set`);
  const client = withSettings(fn, () => ctx.ventus());
  return serviceCalls(fn, ctx, async () => {
    const list = await client.listProjects(org);
    return list.map((x) => ({ id: x.id, name: x.name, region: x.region.toLowerCase(), regionName: x.region }));
  });
}

/** {@link getVentusProjects} on Inputs, e.g. the organization of another resource. */
export function getVentusProjectsOutput(
  args: GetVentusProjectsOutputArgs = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetVentusProjectsResult> {
  return outputOf(args, opts, getVentusProjects);
}

// ---- getPortalOrganizations -----------------------------------------------------------

/** One condition on the portal's organizations. */
export interface PortalOrganizationFilter {
  /** `apiid`, `description`, `email`, `enabled` (value `enabled` or `disabled`), `createdOn` (epoch ms), `name` or `phone`. */
  field: string;
  /** `eq`, `ne`, `gt`, `lt`, `ge`, `le`, `like`, or the range op `gete` / `gele` (value `low,high`). */
  op: string;
  /** The value compared with. */
  value: string;
}
/** The arguments of {@link getPortalOrganizations}. */
export interface GetPortalOrganizationsArgs {
  /** Conditions, at most 50; an unknown field or op is an error before any call. */
  filters?: PortalOrganizationFilter[];
  /** How the filters combine: `AND` (default) or `OR`. */
  logic?: "AND" | "OR";
}
/** {@link PortalOrganizationFilter} as Inputs. */
export interface PortalOrganizationFilterInput {
  /** As {@link PortalOrganizationFilter.field}. */
  field: pulumi.Input<string>;
  /** As {@link PortalOrganizationFilter.op}. */
  op: pulumi.Input<string>;
  /** The value compared with, e.g. another resource's name. */
  value: pulumi.Input<string>;
}
/** {@link GetPortalOrganizationsArgs} as Inputs. */
export interface GetPortalOrganizationsOutputArgs {
  /** Conditions, at most 50; an unknown field or op is an error before any call. */
  filters?: pulumi.Input<pulumi.Input<PortalOrganizationFilterInput>[]>;
  /** How the filters combine; default AND. */
  logic?: pulumi.Input<"AND" | "OR">;
}
/** An organization of the Axway API Manager portal, as the portal lists it. */
export interface PortalOrganizationInfo {
  /** Organization id: what `PortalOrganization`'s `importId` and import, and the `organizationId` inputs take. */
  id: string;
  /** Name, unique on the portal. */
  name: string;
  /** Description. */
  description?: string;
  /** Contact email address. */
  email?: string;
  /** URI of the organization's picture. */
  image?: string;
  /** Whether the organization is restricted. */
  restricted?: boolean;
  /** Virtual host. */
  virtualHost?: string;
  /** Contact phone number. */
  phone?: string;
  /** Whether the organization is enabled. */
  enabled?: boolean;
  /** Whether the organization may develop APIs. */
  development?: boolean;
  /** Distinguished name, `o=<name>,ou=organizations,ou=APIPortal`. */
  dn?: string;
  /** When it was created (epoch milliseconds). */
  createdOn?: number;
  /** Start of the trial (epoch milliseconds). */
  startTrialDate?: number;
  /** End of the trial (epoch milliseconds). */
  endTrialDate?: number;
  /** Length of the trial in days. */
  trialDuration?: number;
  /** Whether the organization is on a trial. */
  isTrial?: boolean;
}
/** The organizations that match the filters. */
export type GetPortalOrganizationsResult = PortalOrganizationInfo[];

export const getPortalOrganizationsArgsSchema = z.object({
  filters: field(OrganizationFilters, "Conditions, at most 50; an unknown field or op is an error before any call."),
  logic: field(FilterLogic.optional(), "How the filters combine: `AND` (default) or `OR`."),
});

/** Portal organizations visible to the configured user, filtered by the portal. */
export function getPortalOrganizations(args: GetPortalOrganizationsArgs = {}): Promise<GetPortalOrganizationsResult> {
  return getPortalOrganizationsWith(programContext(), args);
}

/** {@link getPortalOrganizations} with the caller's context: the plugin hands its provider's settings. */
export function getPortalOrganizationsWith(ctx: ProviderContext, args: GetPortalOrganizationsArgs): Promise<GetPortalOrganizationsResult> {
  const fn = "getPortalOrganizations";
  const { filters, logic } = parseArgs(fn, getPortalOrganizationsArgsSchema, args);
  const client = withSettings(fn, () => ctx.axway());
  return serviceCalls(fn, ctx, async () =>
    (await client.listOrganizations(filters, logic)).map((o) =>
      present({
        id: o.id,
        name: o.name,
        description: o.description,
        email: o.email,
        image: o.image,
        restricted: o.restricted,
        virtualHost: o.virtualHost,
        phone: o.phone,
        enabled: o.enabled,
        development: o.development,
        dn: o.dn,
        createdOn: o.createdOn,
        startTrialDate: o.startTrialDate,
        endTrialDate: o.endTrialDate,
        trialDuration: o.trialDuration,
        isTrial: o.isTrial,
      }),
    ),
  );
}

/** {@link getPortalOrganizations} on Inputs, e.g. a filter on another resource's name. */
export function getPortalOrganizationsOutput(
  args: GetPortalOrganizationsOutputArgs = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetPortalOrganizationsResult> {
  return outputOf(args, opts, getPortalOrganizations);
}

// ---- getPortalApis --------------------------------------------------------------------

/** The arguments of {@link getPortalApis}. */
export interface GetPortalApisArgs {
  /** Exact name of a frontend API. */
  name?: string;
}
/** {@link GetPortalApisArgs} as Inputs. */
export interface GetPortalApisOutputArgs {
  /** Exact name of a frontend API. */
  name?: pulumi.Input<string>;
}
/** A frontend (virtualized) API of the portal, as `GET /proxies` lists it. */
export interface PortalApi {
  /** API id: what `OrganizationApiAccess.apiId` takes. */
  id: string;
  /** Name of the API. */
  name: string;
  /** Version of the API. */
  version?: string;
  /** Path the API is served under. */
  path?: string;
  /** State of the API, e.g. `published`. */
  state?: string;
}
/** The frontend APIs; only those of that name when `name` is given. */
export type GetPortalApisResult = PortalApi[];

export const getPortalApisArgsSchema = z.object({ name: field(nonBlank(LIMITS.name).optional(), "Exact name of a frontend API.") });

/** Frontend APIs of the portal (`/proxies`), e.g. to find the `apiId` of an API by name. */
export function getPortalApis(args: GetPortalApisArgs = {}): Promise<GetPortalApisResult> {
  return getPortalApisWith(programContext(), args);
}

/** {@link getPortalApis} with the caller's context: the plugin hands its provider's settings. */
export function getPortalApisWith(ctx: ProviderContext, args: GetPortalApisArgs): Promise<GetPortalApisResult> {
  const fn = "getPortalApis";
  const { name } = parseArgs(fn, getPortalApisArgsSchema, args);
  const client = withSettings(fn, () => ctx.axway());
  return serviceCalls(fn, ctx, async () =>
    (await client.listApis(name)).map((a) => present({ id: a.id, name: a.name, version: a.version, path: a.path, state: a.state })),
  );
}

/** {@link getPortalApis} on Inputs. */
export function getPortalApisOutput(
  args: GetPortalApisOutputArgs = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetPortalApisResult> {
  return outputOf(args, opts, getPortalApis);
}

// ---- shared ---------------------------------------------------------------------------

/** An answer's fields as the declared types have them: an unset field (null) is absent. */
type Present<T> = { [K in keyof T as null extends T[K] ? K : undefined extends T[K] ? K : never]?: Exclude<T[K], null | undefined> } & {
  [K in keyof T as null extends T[K] ? never : undefined extends T[K] ? never : K]: T[K];
};

function present<T extends object>(o: T): Present<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as Present<T>;
}

/**
 * A function on Inputs, as generated SDKs' `…Output` functions: it runs once the arguments
 * are known, and after the resources of `opts.dependsOn` exist (their ids are known).
 */
function outputOf<A, R>(
  args: A,
  opts: pulumi.InvokeOutputOptions | undefined,
  fn: (plain: pulumi.Unwrap<A>) => Promise<R>,
): pulumi.Output<R> {
  const dependencies = pulumi
    .output(opts?.dependsOn ?? [])
    .apply((d) => pulumi.all((Array.isArray(d) ? d : [d]).map((r) => (pulumi.CustomResource.isInstance(r) ? r.id : r.urn))));
  return pulumi.all([pulumi.output(args), dependencies]).apply(([plain]) => fn(plain as pulumi.Unwrap<A>));
}

let quietRejections = false;

function fail(fn: string, message: string): never {
  // The RunError ends the program. Called from an async function of the program, it rejects
  // that function's promise, which Pulumi reports at once and looks at again when it reads
  // the stack's outputs: Node would then add a PromiseRejectionHandledWarning to the one
  // clear line. A listener for "rejectionHandled" is what keeps Node quiet.
  if (!quietRejections) {
    quietRejections = true;
    process.on("rejectionHandled", () => undefined);
  }
  throw new pulumi.RunError(`${fn}: ${message}`);
}

/** Checks a function's arguments: unknown ones (typos) included, every problem named at once. */
function parseArgs<S extends z.ZodObject>(fn: string, schema: S, args: unknown): z.output<S> {
  if (args === null || typeof args !== "object" || Array.isArray(args)) fail(fn, "arguments must be an object");
  if (pulumi.Output.isInstance(args) || Object.values(args).some((v) => pulumi.Output.isInstance(v))) {
    fail(fn, `arguments must be plain values, not Outputs (call it inside .apply(), or call ${fn}Output)`);
  }
  // undefined is "not given", as in TypeScript.
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  const r = strictOf(schema).safeParse(given);
  if (r.success) return r.data as z.output<S>;
  const names = Object.keys(schema.shape);
  const problems = r.error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => `${label(k)}: ${unknownFieldMessage(k, names, "argument")}`)
      : [`${issuePath(i.path)}: ${i.message}`],
  );
  fail(fn, problems.join("; "));
}

/** Runs a function's calls: a service failure ends the program with one line (failures.ts) naming the function. */
function serviceCalls<T>(fn: string, ctx: ProviderContext, calls: () => Promise<T>): Promise<T> {
  return calls().catch((err: unknown) => (isServiceFailure(err) ? fail(fn, failureText(err, ctx)) : Promise.reject(err)));
}

/** Builds what needs settings; their problems end the program with the function's name and the settings'. */
function withSettings<T>(fn: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof SettingsError) fail(fn, err.problems.join("; "));
    // The HTTP core's own refusal, should a URL pass the settings' rules and not its own.
    if (err instanceof InsecureTransportError) fail(fn, err.message);
    throw err;
  }
}
