// Drift detection on Pulumi's Automation API: a refresh preview of the stack (`pulumi refresh
// --preview-only`, which reads every resource through the provider and changes nothing),
// read from the engine's event stream, plus a listing of each service for objects that the
// stack does not manage. `pulumi-ventus-axway/drift`; the `drift` command is cli.ts.
import { LocalWorkspace, type EngineEvent, type Stack } from "@pulumi/pulumi/automation";
import { MissingSettingsError, type ConfigSource } from "../provider/config";
import { providerContext, type ProviderContext } from "../provider/context";
import { PACKAGE, faceOfType, registrationCodeId, resourceOfType } from "../provider/resources";
import { pluginSettings, providerConfigSource } from "../provider/plugin/settings";
import type { AxwayClient } from "../provider/clients/axway/client";
import type { VentusClient } from "../provider/clients/ventus/client";
import { regionFromDisplay } from "../provider/clients/ventus/schemas";
import { finish, fromRefreshEvents, isManaged, shortType, type DriftReport, type UndeclaredObject } from "./report";

export interface DriftOptions {
  /** The Pulumi project folder (default: the working directory). */
  cwd?: string;
  /** Default: the folder's selected stack. */
  stack?: string;
  /** Resource operations at once, as `pulumi refresh --parallel`. */
  parallel?: number;
  /** Undeclared objects whose name matches one of these globs (`*` for any run of characters) are not reported. */
  ignore?: string[];
  /** Called as resources are read: how many so far, of how many in state. */
  onProgress?: (read: number, total: number) => void;
  /** Extra environment for the Pulumi CLI. */
  envVars?: Record<string, string>;
}

/** A resource as `pulumi stack export` records it (the fields used here). */
interface StateResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  outputs?: Record<string, unknown>;
}

export async function detectDrift(opts: DriftOptions = {}): Promise<DriftReport> {
  const workDir = opts.cwd ?? process.cwd();
  // PULUMI_SKIP_CONFIRMATIONS (common in pipelines) acts as --yes, which the CLI refuses with --preview-only.
  const envVars = { ...opts.envVars, PULUMI_SKIP_CONFIRMATIONS: "false" };
  const ws = await LocalWorkspace.create({ workDir, envVars });
  const stackName = opts.stack ?? (await ws.stack())?.name;
  if (!stackName) throw new Error(`no stack is selected in ${workDir}: pass --stack <name>`);
  const stack = await LocalWorkspace.selectStack({ stackName, workDir }, { envVars });
  const project = (await ws.projectSettings()).name;

  const state = await stateResources(stack);
  const total = state.filter((r) => isManaged(r.type, r.custom)).length;
  const events: EngineEvent[] = [];
  let read = 0;
  opts.onProgress?.(0, total);
  await stack.previewRefresh({
    parallel: opts.parallel,
    onEvent: (e) => {
      events.push(e);
      const m = e.resOutputsEvent?.metadata;
      if (m && isManaged(m.type, m.old?.custom ?? m.new?.custom)) opts.onProgress?.(++read, total);
    },
  });
  const { resources, drifted, deleted } = fromRefreshEvents(events);

  // The stack's own settings (secrets decrypted), falling back to the environment as the provider does.
  const config = await stack.getAllConfig();
  const contexts = faceContexts(state, (key) => config[key]?.value);
  const { undeclared, scanned } = await findUndeclared(state, contexts, (opts.ignore ?? []).map(glob));
  return finish({ project, stack: stackName, resources: Math.max(resources, total), scanned, drifted, deleted, undeclared });
}

async function stateResources(stack: Stack): Promise<StateResource[]> {
  const exported = await stack.exportStack();
  return ((exported.deployment as { resources?: StateResource[] }).resources ?? []) as StateResource[];
}

/** The resources of one kind (`VentusProject`), whichever face manages them. */
function ofType(state: StateResource[], name: string): StateResource[] {
  return state.filter((r) => r.id && resourceOfType(r.type)?.name === name);
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

/**
 * Objects on the services that no resource of the stack manages: every portal organization,
 * the grants and codes of the organizations the stack manages, and the projects of every
 * Ventus organization it has projects in (or the default organization setting). A service is
 * listed only when its credentials are set (config.ts says which are required). A candidate is
 * confirmed by a read of its own before it is reported, since listings may lag behind deletes.
 */
export async function findUndeclared(
  state: StateResource[],
  contexts: ProviderContext[] | ConfigSource,
  ignore: RegExp[],
): Promise<{ undeclared: UndeclaredObject[]; scanned: DriftReport["scanned"] }> {
  const faces = Array.isArray(contexts) ? contexts : [providerContext(contexts)];
  const undeclared: UndeclaredObject[] = [];
  const ignored = (name: string) => ignore.some((re) => re.test(name));
  const scanned = { portal: false, ventus: false };

  // The provider's own clients for these settings (shared, so not closed here: a later call reuses them).
  const portal = withCredentials(faces, (ctx) => ctx.axway());
  if (portal) {
    scanned.portal = true;
    undeclared.push(...(await portalUndeclared(portal.client, state, ignored)));
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
      undeclared.push(...(await ventusUndeclared(ventus.client, [...orgs], state, ignored)));
    }
  }
  return { undeclared, scanned };
}

async function portalUndeclared(
  client: AxwayClient,
  state: StateResource[],
  ignored: (name: string) => boolean,
): Promise<UndeclaredObject[]> {
  const out: UndeclaredObject[] = [];
  const managedOrgs = new Set(ofType(state, "PortalOrganization").map((r) => r.id!));
  const managedGrants = new Set(ofType(state, "OrganizationApiAccess").map((r) => r.id!));
  const managedCodes = new Set(ofType(state, "RegistrationToken").map((r) => r.id!));
  const orgs = await client.listOrganizations();
  for (const o of orgs) {
    if (managedOrgs.has(o.id) || ignored(o.name)) continue;
    if (!(await client.getOrganization(o.id))) continue; // a lagging listing's ghost
    out.push({ service: "portal", type: "PortalOrganization", id: o.id, name: o.name });
  }
  const apiNames = new Map((await client.listApis()).map((a) => [a.id, a.name]));
  for (const orgId of managedOrgs) {
    const org = orgs.find((o) => o.id === orgId) ?? (await client.getOrganization(orgId));
    if (!org) continue; // deleted: the refresh reports it
    for (const g of await client.listApiAccess(orgId)) {
      const name = apiNames.get(g.apiId) ?? g.apiId;
      if (managedGrants.has(g.id) || ignored(name)) continue;
      out.push({ service: "portal", type: "OrganizationApiAccess", id: g.id, name, organizationId: orgId, organizationName: org.name });
    }
    for (const t of await client.listTokens(orgId)) {
      const id = registrationCodeId(t.token);
      if (managedCodes.has(id) || ignored("registration code")) continue;
      if (!(await client.getToken(orgId, t.token))) continue;
      out.push({
        service: "portal",
        type: "RegistrationToken",
        id,
        name: "registration code",
        organizationId: orgId,
        organizationName: org.name,
      });
    }
  }
  return out;
}

async function ventusUndeclared(
  client: VentusClient,
  orgs: string[],
  state: StateResource[],
  ignored: (name: string) => boolean,
): Promise<UndeclaredObject[]> {
  const out: UndeclaredObject[] = [];
  const managed = new Set(ofType(state, "VentusProject").map((r) => r.id!));
  for (const org of orgs) {
    for (const p of await client.listProjects(org)) {
      if (managed.has(p.id) || ignored(p.name)) continue;
      if (!(await client.getProject(regionFromDisplay(p.region), p.id))) continue; // a lagging listing's ghost
      out.push({ service: "ventus", type: "VentusProject", id: p.id, name: p.name, organizationId: org, region: p.region });
    }
  }
  return out;
}

/** `*` matches any run of characters, `?` one; the whole name must match; case-sensitive. */
export function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

export { shortType, registrationCodeId };
export {
  fromRefreshEvents,
  inputChanges,
  renderMarkdown,
  renderText,
  REPORT_SCHEMA_VERSION,
  type DriftReport,
  type DriftedResource,
  type DeletedResource,
  type FieldChange,
  type UndeclaredObject,
} from "./report";
