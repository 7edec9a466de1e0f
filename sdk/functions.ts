// Data sources: they run in the program's own process, with the stack's configuration.
// Arguments and settings are checked synchronously, before any call: a problem throws
// pulumi.RunError, which ends the program with its message only (no stack trace), and being
// thrown, not a rejected promise, it cannot be "handled asynchronously" later.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { axwayClient, ventusClient, ventusOrganizationDefault } from "../provider/clients";
import { FILTER_FIELDS, FILTER_OPS, RANGE_OPS } from "../provider/clients/axway/schemas";
import { SettingsError, type ConfigSource } from "../provider/config";
import { InsecureTransportError } from "../provider/http/errors";
import { id, issuePath, label, LIMITS, nonBlank, text, unknownFieldMessage } from "../provider/resources/rules";

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
export function getPrices(args: Record<string, never> = {}): Promise<GetPricesResult> {
  parseArgs("getPrices", z.object({}), args);
  const client = withSettings("getPrices", () => ventusClient(programConfig));
  return (async () => {
    const prices = await client.getPrices();
    const out: GetPricesResult = {};
    for (const [currency, p] of Object.entries(prices)) {
      out[currency] = {
        storage: p.storage,
        flavors: p.flavors.map((f) => ({ id: f.id, name: f.name, base: f.price.base, windows: f.price.windows })),
      };
    }
    return out;
  })();
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

const GetVentusProjectsArgs = z.object({ organizationId: id().optional() });

/** Every project of an organization, e.g. to find the id of one made by hand before adopting it. */
export function getVentusProjects(args: GetVentusProjectsArgs = {}): Promise<VentusProjectInfo[]> {
  const fn = "getVentusProjects";
  const a = parseArgs(fn, GetVentusProjectsArgs, args);
  const org = a.organizationId ?? withSettings(fn, () => ventusOrganizationDefault(programConfig));
  if (!org) fail(fn, "organizationId: not given, and neither ventus:organizationId nor VENTUS_ORGANIZATION_ID is set");
  const client = withSettings(fn, () => ventusClient(programConfig));
  return (async () => {
    const list = await client.listProjects(org);
    return list.map((x) => ({ id: x.id, name: x.name, region: x.region.toLowerCase(), regionName: x.region }));
  })();
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

const Filter = z
  .object({
    field: z.enum(FILTER_FIELDS, { error: `must be one of ${FILTER_FIELDS.join(", ")}` }),
    op: z.enum(FILTER_OPS, { error: `must be one of ${FILTER_OPS.join(", ")}` }),
    value: z
      .union([z.string(), z.number(), z.boolean()], { error: "must be a string" })
      .transform(String)
      .pipe(text(LIMITS.description)),
  })
  .refine((f) => !(RANGE_OPS as readonly string[]).includes(f.op) || /^[^,]+,[^,]+$/.test(f.value), {
    message: `for a range op (${RANGE_OPS.join(", ")}) must be "low,high"`,
    path: ["value"],
  });

const GetPortalOrganizationsArgs = z.object({
  filters: z.array(Filter, { error: "must be a list of { field, op, value }" }).max(50, "must hold at most 50 filters").default([]),
  logic: z.enum(["AND", "OR"], { error: "must be AND or OR" }).optional(),
});

/** Portal organizations visible to the configured user, filtered by the portal. */
export function getPortalOrganizations(args: GetPortalOrganizationsArgs = {}) {
  const fn = "getPortalOrganizations";
  const { filters, logic } = parseArgs(fn, GetPortalOrganizationsArgs, args);
  const client = withSettings(fn, () => axwayClient(programConfig));
  return client.listOrganizations(filters, logic);
}

export interface GetPortalApisArgs {
  /** Exact name of a frontend API. */
  name?: string;
}

const GetPortalApisArgs = z.object({ name: nonBlank(LIMITS.name).optional() });

/** Frontend APIs of the portal (`/proxies`), e.g. to find the `apiId` of an API by name. */
export function getPortalApis(args: GetPortalApisArgs = {}) {
  const fn = "getPortalApis";
  const { name } = parseArgs(fn, GetPortalApisArgs, args);
  const client = withSettings(fn, () => axwayClient(programConfig));
  return client.listApis(name);
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
    fail(fn, "arguments must be plain values, not Outputs (call it inside .apply())");
  }
  // undefined is "not given", as in TypeScript.
  const given = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
  const r = schema.strict().safeParse(given);
  if (r.success) return r.data as z.output<S>;
  const names = Object.keys(schema.shape);
  const problems = r.error.issues.flatMap((i) =>
    i.code === "unrecognized_keys"
      ? i.keys.map((k) => `${label(k)}: ${unknownFieldMessage(k, names, "argument")}`)
      : [`${issuePath(i.path)}: ${i.message}`],
  );
  fail(fn, problems.join("; "));
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
