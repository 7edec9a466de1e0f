// The drift command's scan for objects that no resource of the stack manages. It uses what the
// refresh already listed (the provider's record of its listings, provider/http/listingRecord.ts)
// and lists only what is missing, so each listing is made once per run. Its own calls go through
// the provider's clients (retries, Retry-After, the connection pool), a bounded number at once.
import {
  AXWAY_SETTINGS,
  MissingSettingsError,
  VENTUS_SETTINGS,
  axwaySettings,
  ventusSettings,
  type ConfigSource,
  type SettingSpec,
} from "../provider/config";
import { providerContext, type ProviderContext } from "../provider/context";
import { axwayEndpoint, ventusEndpoint } from "../provider/clients";
import type { ListingRecord, RecordedItem } from "../provider/http/listingRecord";
import { orUndefinedOn404 } from "../provider/http/errors";
import { PACKAGE, faceOfType, registrationCodeId, resourceOfType } from "../provider/resources";
import { pluginSettings, propertyOf, providerConfigSource } from "../provider/plugin/settings";
import type { AxwayClient } from "../provider/clients/axway/client";
import type { VentusClient } from "../provider/clients/ventus/client";
import { regionFromDisplay } from "../provider/clients/ventus/schemas";
import type { DriftReport, UndeclaredObject } from "./report";

/** A resource as `pulumi stack export` records it (the fields used here). */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  outputs?: Record<string, unknown>;
}

export interface ScanOptions {
  /** Listings the refresh of this run recorded; what is not there is listed. */
  record?: ListingRecord;
  /** Calls at once (default 8). */
  parallel?: number;
  /** Called as the scan's own calls finish: how many so far, of how many started. */
  onProgress?: (done: number, total: number) => void;
  /**
   * The same contexts with their secrets: `contexts` may hold them masked (enough to know whose
   * listings were recorded), and these are built only when the scan makes a call of its own.
   */
  withSecrets?: (service: "ventus" | "axway") => Promise<ProviderContext[]>;
}

/**
 * The settings of each face the stack uses, as that face's provider reads them, the faces of
 * the state's resources first: the TypeScript SDK's `ventus:*`/`axway:*`, the plugin's
 * `ventus-axway:*`; the environment is the fallback of both. Messages name the face's settings.
 */
export function faceContexts(state: StateResource[], config: (key: string) => string | undefined): ProviderContext[] {
  const present = new Set(state.map((r) => faceOfType(r.type)).filter(Boolean));
  const sdk = providerContext({ get: config });
  const values = Object.fromEntries(pluginSettings().map(({ property }) => [property, config(`${PACKAGE}:${property}`)]));
  const plugin = providerContext(providerConfigSource(values));
  if (present.has("plugin") && !present.has("sdk")) return [plugin, sdk];
  return [sdk, plugin];
}

/** A service's secret settings, as either face keys them: its password. Only these are decrypted, and only for a call. */
export function secretSettingKeys(service: "ventus" | "axway"): Set<string> {
  return new Set(
    Object.values<SettingSpec>(service === "ventus" ? VENTUS_SETTINGS : AXWAY_SETTINGS)
      .filter((s) => "secret" in s && s.secret)
      .flatMap((s) => [s.key, `${PACKAGE}:${propertyOf(s.key)}`]),
  );
}

/** The resources of one kind (`VentusProject`), whichever face manages them. */
function ofType(state: StateResource[], name: string): StateResource[] {
  return state.filter((r) => r.id && resourceOfType(r.type)?.name === name);
}

/** The first context with credentials for the service; settings that are set but wrong are an error, named as its face names them. */
export function withCredentials<T>(
  contexts: ProviderContext[],
  client: (ctx: ProviderContext) => T,
): { ctx: ProviderContext; client: T } | undefined {
  for (const ctx of contexts) {
    try {
      return { ctx, client: client(ctx) };
    } catch (err) {
      if (!(err instanceof MissingSettingsError)) throw err;
    }
  }
  return undefined;
}

/** Runs tasks at most `limit` at a time, counting them for the progress line. */
class Pool {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private started = 0;
  private done = 0;

  constructor(
    private readonly limit: number,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.started++;
    this.onProgress?.(this.done, this.started);
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
      this.done++;
      this.onProgress?.(this.done, this.started);
      this.waiting.shift()?.();
    }
  }
}

/**
 * Objects on the services that no resource of the stack manages: every portal organization,
 * the grants and codes of the organizations the stack manages, and the projects of every
 * Ventus organization it has projects in (or the default organization setting). A service is
 * listed only when its credentials are set (config.ts says which are required). A candidate is
 * confirmed by a read of its own before it is reported, since listings (recorded or not) may
 * lag behind deletes.
 */
export async function findUndeclared(
  state: StateResource[],
  contexts: ProviderContext[] | ConfigSource,
  ignore: RegExp[],
  options: ScanOptions = {},
): Promise<{ undeclared: UndeclaredObject[]; scanned: DriftReport["scanned"] }> {
  const faces = Array.isArray(contexts) ? contexts : [providerContext(contexts)];
  const ignored = (name: string) => ignore.some((re) => re.test(name));
  const scanned = { portal: false, ventus: false };
  const pool = new Pool(Math.max(1, options.parallel ?? 8), options.onProgress);
  const scans: Array<Promise<UndeclaredObject[]>> = [];

  // The provider's own clients for these settings (shared, so not closed here: a later call reuses them).
  // The client of the same face with the service's secrets, made at its first call.
  const secretFaces = async (service: "ventus" | "axway") => (options.withSecrets ? await options.withSecrets(service) : faces);
  const portal = withCredentials(faces, (ctx) => ctx.axway());
  if (portal) {
    scanned.portal = true;
    const recorded = recordedBy(options.record, axwayEndpoint(axwaySettings(portal.ctx.source)));
    const client = once(async () => (await secretFaces("axway"))[faces.indexOf(portal.ctx)].axway());
    scans.push(portalUndeclared(client, state, ignored, pool, recorded));
  }

  const ventus = withCredentials(faces, (ctx) => ctx.ventus());
  if (ventus) {
    const orgs = new Set(
      ofType(state, "VentusProject")
        .map((r) => String(r.outputs?.organizationId ?? ""))
        .filter(Boolean),
    );
    const byDefault = ventus.ctx.ventusOrganizationDefault();
    if (byDefault) orgs.add(byDefault);
    if (orgs.size) {
      scanned.ventus = true;
      const recorded = recordedBy(options.record, ventusEndpoint(ventusSettings(ventus.ctx.source)));
      const client = once(async () => (await secretFaces("ventus"))[faces.indexOf(ventus.ctx)].ventus());
      scans.push(ventusUndeclared(client, [...orgs], state, ignored, pool, recorded));
    }
  }
  return { undeclared: (await Promise.all(scans)).flat(), scanned };
}

/** `f` run once, at its first call; the same promise afterwards. */
function once<T>(f: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= f());
}

type Recorded = (kind: string, scope: string) => RecordedItem[] | undefined;

function recordedBy(record: ListingRecord | undefined, endpoint: string): Recorded {
  return (kind, scope) => record?.get(endpoint, kind, scope);
}

async function portalUndeclared(
  client: () => Promise<AxwayClient>,
  state: StateResource[],
  ignored: (name: string) => boolean,
  pool: Pool,
  recorded: Recorded,
): Promise<UndeclaredObject[]> {
  const managedOrgs = new Set(ofType(state, "PortalOrganization").map((r) => r.id!));
  const managedGrants = new Set(ofType(state, "OrganizationApiAccess").map((r) => r.id!));
  const managedCodes = new Set(ofType(state, "RegistrationToken").map((r) => r.id!));
  const orgs =
    (recorded("organizations", "") as Array<{ id: string; name: string }> | undefined) ??
    (await pool.run(async () => (await client()).listOrganizations())).map((o) => ({ id: o.id, name: o.name }));
  // API names only for grants that are candidates: one listing, at most, when the first needs it.
  let apis: Promise<Map<string, string>> | undefined;
  const apiName = async (apiId: string) => {
    apis ??= pool.run(async () => (await client()).listApis()).then((list) => new Map(list.map((a) => [a.id, a.name])));
    return (await apis).get(apiId) ?? apiId;
  };

  const unmanagedOrgs = orgs
    .filter((o) => !managedOrgs.has(o.id) && !ignored(o.name))
    .map(async (o): Promise<UndeclaredObject[]> => {
      // A lagging listing's ghost is not reported.
      if (!(await pool.run(async () => (await client()).getOrganization(o.id)))) return [];
      return [{ service: "portal", type: "PortalOrganization", id: o.id, name: o.name }];
    });

  const inManaged = [...managedOrgs].map(async (orgId): Promise<UndeclaredObject[]> => {
    const listed = orgs.find((o) => o.id === orgId);
    const org = listed ?? (await pool.run(async () => (await client()).getOrganization(orgId)));
    if (!org) return []; // deleted: the refresh reports it
    const where = { organizationId: orgId, organizationName: org.name };
    const [grants, codes] = await Promise.all([
      recorded("grants", orgId) ??
        pool.run(async () => (await orUndefinedOn404((await client()).listApiAccess(orgId)))?.map((g) => ({ id: g.id, apiId: g.apiId }))),
      recorded("codes", orgId) ??
        pool.run(async () =>
          (await orUndefinedOn404((await client()).listTokens(orgId)))?.map((t) => ({ id: registrationCodeId(t.token), token: t.token })),
        ),
    ]);
    const out: UndeclaredObject[] = [];
    for (const g of grants ?? []) {
      if (managedGrants.has(String(g.id))) continue;
      const name = await apiName(String(g.apiId));
      if (ignored(name)) continue;
      out.push({ service: "portal", type: "OrganizationApiAccess", id: String(g.id), name, ...where });
    }
    if (ignored("registration code")) return out;
    const candidates = (codes ?? []).filter((c) => !managedCodes.has(String(c.id)));
    const confirmed = await Promise.all(
      candidates.map((c) => confirmCode(client, pool, orgId, String(c.id), c.token as string | undefined)),
    );
    for (const id of confirmed) {
      if (id) out.push({ service: "portal", type: "RegistrationToken", id, name: "registration code", ...where });
    }
    return out;
  });
  return (await Promise.all([...unmanagedOrgs, ...inManaged])).flat();
}

/**
 * A code candidate read on its own. A recorded listing holds only the code's id, so the code
 * needed for the read comes from a listing of this process first (rare: an undeclared code).
 */
async function confirmCode(
  client: () => Promise<AxwayClient>,
  pool: Pool,
  orgId: string,
  id: string,
  token?: string,
): Promise<string | undefined> {
  const code =
    token ?? (await pool.run(async () => (await client()).listTokens(orgId))).find((t) => registrationCodeId(t.token) === id)?.token;
  if (code === undefined) return undefined;
  return (await pool.run(async () => (await client()).getToken(orgId, code))) ? id : undefined;
}

async function ventusUndeclared(
  client: () => Promise<VentusClient>,
  orgs: string[],
  state: StateResource[],
  ignored: (name: string) => boolean,
  pool: Pool,
  recorded: Recorded,
): Promise<UndeclaredObject[]> {
  const managed = new Set(ofType(state, "VentusProject").map((r) => r.id!));
  const perOrg = orgs.map(async (org): Promise<UndeclaredObject[]> => {
    const projects =
      (recorded("projects", org) as Array<{ id: string; name: string; region: string }> | undefined) ??
      (await pool.run(async () => (await client()).listProjects(org)));
    const found = await Promise.all(
      projects
        .filter((p) => !managed.has(p.id) && !ignored(p.name))
        .map(async (p): Promise<UndeclaredObject[]> => {
          // A lagging listing's ghost is not reported.
          if (!(await pool.run(async () => (await client()).getProject(regionFromDisplay(p.region), p.id)))) return [];
          return [{ service: "ventus", type: "VentusProject", id: p.id, name: p.name, organizationId: org, region: p.region }];
        }),
    );
    return found.flat();
  });
  return (await Promise.all(perOrg)).flat();
}
