// `npx pulumi-ventus-axway export`: the live estate as YAML declarations (the format
// loadDeclarations reads), so that a program that is only `declareFromFolder(dir)` adopts it with
// no write to either service. Every portal organization with every managed field and its custom
// properties, its picture as a JPEG file beside, its grants by API name and its registration
// codes; the Ventus projects of the configured organization. Every object carries what adopts it
// (`importId`): a code by its resource id `regcode-<hash>`, never the code itself.
//
// Calls: one listing per kind and scope (organizations, frontend APIs, custom property
// definitions, each organization's grants and codes, the Ventus organization's projects) and one
// picture per organization that has one. Nothing is written until everything was read.
import * as fs from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { customPropertiesOf, type CustomPropertyDefinitions } from "../provider/clients/axway/customProperties";
import type { ApiAccess, Organization, RegistrationToken } from "../provider/clients/axway/schemas";
import { regionFromDisplay } from "../provider/clients/ventus/schemas";
import { sha256 } from "../provider/rules";
import type { ProviderContext } from "../provider/context";
import { pluginToken, registrationCodeId, resources, type ResourceDescriptor } from "../provider/resources";
import { managedFromServer } from "../provider/resources/portalOrganization";
import { faceContexts, withCredentials } from "./undeclared";
import { KEY_PATTERN } from "./declarations";

export interface ExportOptions {
  /** The folder to write; it must be empty or absent unless `force`. */
  out: string;
  /** Where the settings come from (`axway:url`, `ventus:username`, …; each falls back to its environment variable). */
  config: { get(key: string): string | undefined };
  /** Only organizations whose name matches this glob (`*`, `?`). */
  organizations?: string;
  /** One service only. */
  only?: "portal" | "ventus";
  /** One file per organization (default), or all organizations in one file. */
  layout?: "per-organization" | "grouped";
  /** Write into a folder that is not empty (files of the same name are replaced). */
  force?: boolean;
  /** Also write `pulumi-import.json` for `pulumi import --file`, with the plugin's tokens. */
  pulumiImport?: boolean;
  /** Organizations read at once (default 16). */
  parallel?: number;
  /** Called as organizations are read. */
  onProgress?: (done: number, total: number) => void;
}

export interface ExportSummary {
  files: string[];
  organizations: number;
  grants: number;
  codes: number;
  images: number;
  projects: number;
  /** Objects left out, with the reason (e.g. a grant of an API that is no longer listed). */
  skipped: string[];
  /** What was exported otherwise than as it is, with the reason. */
  notes: string[];
}

/** A file to write, relative to the output folder. */
interface OutFile {
  name: string;
  data: string | Buffer;
}

/** A problem with how export was asked (the folder, missing settings): one line, no stack trace. */
export class ExportError extends Error {}

/**
 * Writes the live estate under `opts.out` as YAML declarations that `declareFromFolder` adopts.
 * Throws ExportError on a usage problem (one line), the clients' errors when a service fails;
 * nothing is written then.
 */
export async function exportEstate(opts: ExportOptions): Promise<ExportSummary> {
  const out = path.resolve(opts.out);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !opts.force) {
    throw new ExportError(`--out ${opts.out}: the folder is not empty (pass --force to write into it)`);
  }
  const summary: ExportSummary = { files: [], organizations: 0, grants: 0, codes: 0, images: 0, projects: 0, skipped: [], notes: [] };
  const files: OutFile[] = [];
  const imports: PulumiImportResource[] = [];
  // The stack's settings as either face spells them (`axway:*` or `ventus-axway:*`), else the environment.
  const faces = faceContexts([], (key) => opts.config?.get(key));
  const portal = withCredentials(faces, (ctx) => ctx.axway());
  const ventus = withCredentials(faces, (ctx) => ctx.ventus());
  const portalOn = opts.only !== "ventus";
  const ventusOn = opts.only !== "portal";
  let read = 0;
  if (portalOn && !portal) {
    if (opts.only === "portal")
      throw new ExportError("the portal's settings are missing: axway:url, axway:username, axway:password (or AXWAY_*)");
  } else if (portalOn && portal) {
    files.push(...(await exportPortal(portal.ctx, opts, summary, imports)));
    read++;
  }
  if (ventusOn) {
    const org = ventus?.ctx.ventusOrganizationDefault();
    if (!ventus || !org) {
      if (opts.only === "ventus")
        throw new ExportError("Ventus settings are missing: ventus:username, ventus:password, ventus:organizationId (or VENTUS_*)");
    } else {
      files.push(...(await exportVentus(ventus.ctx, org, summary, imports)));
      read++;
    }
  }
  if (read === 0) {
    throw new ExportError(
      "no service to read: set axway:url, axway:username, axway:password and/or ventus:username, ventus:password, ventus:organizationId (or AXWAY_*, VENTUS_*)",
    );
  }
  if (opts.pulumiImport) files.push({ name: "pulumi-import.json", data: `${JSON.stringify({ resources: imports }, null, 2)}\n` });
  // Everything was read: only now is anything written.
  fs.mkdirSync(out, { recursive: true });
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(out, f.name)), { recursive: true });
    fs.writeFileSync(path.join(out, f.name), f.data);
    summary.files.push(f.name);
  }
  return summary;
}

// ---- portal --------------------------------------------------------------------------------

interface PortalRead {
  org: Organization;
  grants: ApiAccess[];
  codes: RegistrationToken[];
  image?: Buffer;
}

async function exportPortal(
  ctx: ProviderContext,
  opts: ExportOptions,
  summary: ExportSummary,
  imports: PulumiImportResource[],
): Promise<OutFile[]> {
  const client = ctx.axway();
  const match = opts.organizations === undefined ? () => true : globMatcher(opts.organizations);
  const [all, apis, defs] = await Promise.all([client.listOrganizations(), client.listApis(), client.organizationCustomProperties()]);
  const orgs = all.filter((o) => match(o.name));
  const apiNames = new Map(apis.map((a) => [a.id, a.name]));
  const ambiguous = new Set(apis.filter((a, i) => apis.findIndex((b) => b.name === a.name) !== i).map((a) => a.name));

  let done = 0;
  opts.onProgress?.(0, orgs.length);
  const read = await mapLimit(orgs, opts.parallel ?? 16, async (org): Promise<PortalRead> => {
    const [grants, codes, image] = await Promise.all([
      client.listApiAccess(org.id),
      client.listTokens(org.id),
      org.image ? client.getOrganizationImage(org.id) : Promise.resolve(undefined),
    ]);
    opts.onProgress?.(++done, orgs.length);
    return { org, grants, codes, image };
  });

  const keys = uniqueKeys(
    read.map((r) => r.org),
    (o) => slug(o.name, "org"),
    (o) => o.id,
  );
  const now = Date.now();
  const declared: Array<{ key: string; body: Record<string, unknown> }> = [];
  const files: OutFile[] = [];
  for (const r of read) {
    const key = keys.get(r.org)!;
    const body = organizationBody(r.org, defs, summary.notes);
    imports.push(importOf(resources.portalOrganization, key, r.org.id, {}));
    if (r.image) {
      files.push({ name: `images/${key}.jpg`, data: r.image });
      body.image = `images/${key}.jpg`;
      summary.images++;
    }
    const grants: Record<string, unknown> = {};
    for (const g of r.grants) {
      const name = apiNames.get(g.apiId);
      if (name === undefined || ambiguous.has(name)) {
        summary.skipped.push(
          `grant ${g.id} of "${r.org.name}": API ${g.apiId} ${name === undefined ? "is not listed by /proxies" : `shares its name "${name}" with another API`}`,
        );
        continue;
      }
      grants[name] = { enabled: g.enabled ?? true, importId: g.id };
      imports.push(importOf(resources.organizationApiAccess, `${key}-${slug(name, "api")}`, g.id, { organizationId: r.org.id }));
      summary.grants++;
    }
    if (Object.keys(grants).length) body.apis = grants;
    const codes: Record<string, unknown> = {};
    for (const c of r.codes) {
      const reference = registrationCodeId(c.token);
      const codeKey = `code-${reference.slice("regcode-".length, "regcode-".length + 10)}`;
      const limit = c.maxUsers ?? c.userQuota;
      // An expiry already past is left out: the portal's to keep, and not a declaration to refuse.
      const expiry = typeof c.expiry === "number" && c.expiry > now ? new Date(c.expiry).toISOString() : undefined;
      codes[codeKey] = compact({ userQuota: limit, expiry, enabled: c.enabled ?? true, importId: reference });
      imports.push(importOf(resources.registrationToken, `${key}-${codeKey}`, reference, { organizationId: r.org.id }));
      summary.codes++;
    }
    if (Object.keys(codes).length) body.registrationCodes = codes;
    declared.push({ key, body });
    summary.organizations++;
  }

  declared.sort((a, b) => a.key.localeCompare(b.key));
  const header = "# Exported by `npx pulumi-ventus-axway export`: adopted as they are by declareFromFolder (importId).\n";
  if (opts.layout === "grouped") {
    if (declared.length === 0) return files;
    const organizations = Object.fromEntries(declared.map((d) => [d.key, d.body]));
    return [...files, { name: "organizations.yaml", data: header + stringify({ organizations }, YAML_OPTIONS) }];
  }
  for (const d of declared) {
    files.push({ name: `${d.key}.yaml`, data: header + stringify({ organizations: { [d.key]: d.body } }, YAML_OPTIONS) });
  }
  return files;
}

/** Every field the provider manages, as the declarations take it; unset fields left out. */
function organizationBody(org: Organization, defs: CustomPropertyDefinitions, notes: string[]): Record<string, unknown> {
  // The fields as refresh compares them (the descriptor's), times written as ISO 8601.
  const time = (v: number | undefined) => (v === undefined ? undefined : new Date(v).toISOString());
  const managed = managedFromServer(org);
  const body: Record<string, unknown> = compact({
    ...managed,
    startTrialDate: time(managed.startTrialDate),
    endTrialDate: time(managed.endTrialDate),
    importId: org.id,
  });
  // Declared (even empty) where the installation defines any: then every one of them is managed.
  // An organization that lacks a required one (older than the rule) keeps them the portal's.
  if (Object.keys(defs).length) {
    const values = customPropertiesOf(org, defs);
    const lacking = Object.keys(defs).filter((k) => defs[k].required && values[k] === undefined && defs[k].defaultValue == null);
    if (lacking.length === 0) body.customProperties = values;
    else notes.push(`"${org.name}" lacks the required custom property ${lacking.join(", ")}: its custom properties are left undeclared`);
  }
  return body;
}

// ---- Ventus ----------------------------------------------------------------------------------

async function exportVentus(
  ctx: ProviderContext,
  org: string,
  summary: ExportSummary,
  imports: PulumiImportResource[],
): Promise<OutFile[]> {
  const projects = await ctx.ventus().listProjects(org);
  const keys = uniqueKeys(
    projects,
    (p) => slug(p.name, "project"),
    (p) => p.id,
    (p) => regionFromDisplay(p.region),
  );
  const declared: Record<string, unknown> = {};
  for (const p of [...projects].sort((a, b) => keys.get(a)!.localeCompare(keys.get(b)!))) {
    const key = keys.get(p)!;
    declared[key] = { name: p.name, region: regionFromDisplay(p.region), importId: p.id };
    imports.push(importOf(resources.ventusProject, key, p.id, { organizationId: org }));
    summary.projects++;
  }
  if (projects.length === 0) return [];
  const header = `# Exported by \`npx pulumi-ventus-axway export\`: the projects of Ventus organization ${org}, every region.\n`;
  return [{ name: "ventus-projects.yaml", data: header + stringify({ ventusProjects: declared }, YAML_OPTIONS) }];
}

// ---- keys, files ----------------------------------------------------------------------------------

const YAML_OPTIONS = { lineWidth: 0 } as const;

interface PulumiImportResource {
  type: string;
  name: string;
  id: string;
}

/** A `pulumi import --file` entry: the plugin's token and the import id, both from the resource's descriptor. */
function importOf(d: ResourceDescriptor, name: string, id: string, outputs: Record<string, unknown>): PulumiImportResource {
  return { type: pluginToken(d), name, id: d.importId.of(id, outputs) };
}

/** A key from a name: lower-case ASCII letters, digits and dashes (accents dropped), at most 50 characters. */
export function slug(name: string, fallback: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return base || fallback;
}

/**
 * Keys from names, unique and stable: a name whose key is taken by another object gets the
 * qualifier (a project's region) and, if still shared, a hash of the object's id, so the key of
 * each object depends on its own name and id, never on the order of the listing.
 */
export function uniqueKeys<T>(items: T[], base: (t: T) => string, id: (t: T) => string, qualifier?: (t: T) => string): Map<T, string> {
  const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const bases = items.map(base);
  const byBase = count(bases);
  const qualified = items.map((t, i) => (byBase.get(bases[i])! > 1 && qualifier ? trimKey(`${bases[i]}-${qualifier(t)}`) : bases[i]));
  const byQualified = count(qualified);
  const out = new Map<T, string>();
  items.forEach((t, i) => {
    const k =
      byQualified.get(qualified[i])! > 1 || (!qualifier && byBase.get(bases[i])! > 1)
        ? `${trimKey(qualified[i], 53)}-${sha256(id(t)).slice(0, 8)}`
        : qualified[i];
    if (!KEY_PATTERN.test(k)) throw new Error(`internal: key "${k}" is not a key`);
    out.set(t, k);
  });
  return out;
}

function trimKey(k: string, max = 63): string {
  return k.slice(0, max).replace(/-+$/, "");
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function globMatcher(pattern: string): (name: string) => boolean {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  const re = new RegExp(`^${body}$`, "s");
  return (name) => re.test(name);
}

/** `fn` over `items`, at most `limit` at once, results in order. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
