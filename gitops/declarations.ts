// Declarations from YAML files: what a team keeps in Git instead of TypeScript. One file per
// team under a folder; each declares portal organizations (every field, an image, API grants
// by API name, registration codes) and Ventus projects, under keys the file states. The keys,
// not list positions or display names, name the Pulumi resources, so reordering entries or
// renaming an organization never replaces anything.
//
// Everything is checked here, before any API call: the fields with the provider's own rules
// (zod), the keys, image files, and names that must be unique across all files. Each problem
// is reported as `file:line:column: field: rule`.
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { z } from "zod";
import { PortalOrganizationInputs } from "../provider/resources/portalOrganization";
import { RegistrationTokenInputs } from "../provider/resources/registrationToken";
import { VentusProjectInputs } from "../provider/resources/ventusProject";

/** Keys of organizations, codes and projects: what the Pulumi resources are named after. */
export const KEY_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const KEY_RULE = "a key must be 1 to 63 lower-case letters, digits and dashes, starting and ending with a letter or digit";

const ApiGrant = z
  .object({
    enabled: z.boolean({ error: "enabled must be true or false" }).default(true),
    /** Adopt the organization's existing grant with this id. */
    importId: z.string({ error: "importId must be a string" }).min(1, "importId must not be empty").optional(),
  })
  .strict();

/** What adopts an existing code: its resource id, never the code itself (a secret must not sit in Git). */
export const CODE_REFERENCE = /^regcode-[0-9a-f]{20}$/;

const RegistrationCode = RegistrationTokenInputs.pick({ userQuota: true, expiry: true, enabled: true })
  .extend({
    /** Adopt the organization's existing code whose resource id this is (`regcode-<hash>`, as `export` writes it). */
    importId: z
      .string({ error: "importId must be a string" })
      .regex(CODE_REFERENCE, "importId of a registration code is its resource id, regcode-<20 hex digits> (never the code itself)")
      .optional(),
  })
  .strict();

const Organization = PortalOrganizationInputs.extend({
  /** A JPEG file, relative to the YAML file. */
  image: z.string({ error: "image must be a path to a JPEG file, relative to this file" }).min(1, "image must not be empty").optional(),
  /** Frontend APIs the organization may use, by API name; a grant may be left empty (`Petstore: {}` or `Petstore:`). */
  apis: z
    .record(
      z.string(),
      z.union([ApiGrant, z.null()]).transform((g) => g ?? ApiGrant.parse({})),
    )
    .optional(),
  registrationCodes: z.record(z.string(), RegistrationCode).optional(),
}).strict();

const Project = VentusProjectInputs.strict();

/** What one YAML file may hold. */
export const DeclarationFile = z
  .object({
    organizations: z.record(z.string(), Organization).optional(),
    ventusProjects: z.record(z.string(), Project).optional(),
  })
  .strict();

/** Where a declaration was written. */
export interface Origin {
  /** Absolute path of the YAML file. */
  file: string;
  line: number;
  column: number;
}

export interface ApiGrantDeclaration {
  /** The frontend API's name, as `getPortalApis({ name })` finds it; the grant's key. */
  apiName: string;
  enabled: boolean;
  importId?: string;
}

export interface RegistrationCodeDeclaration {
  key: string;
  userQuota?: number;
  /** Epoch milliseconds. */
  expiry?: number;
  enabled: boolean;
  /** The existing code's resource id (`regcode-<hash>`), to adopt it. */
  importId?: string;
}

export interface OrganizationDeclaration {
  key: string;
  origin: Origin;
  name: string;
  description?: string;
  email?: string;
  phone?: string;
  enabled: boolean;
  development: boolean;
  restricted: boolean;
  virtualHost?: string;
  isTrial: boolean;
  trialDuration?: number;
  /** Epoch milliseconds. */
  startTrialDate?: number;
  /** Epoch milliseconds. */
  endTrialDate?: number;
  /** Absolute path of the JPEG file. */
  image?: string;
  importId?: string;
  /** Values of the portal's custom properties, by name, as text. */
  customProperties?: Record<string, string>;
  apis: ApiGrantDeclaration[];
  registrationCodes: RegistrationCodeDeclaration[];
}

export interface VentusProjectDeclaration {
  key: string;
  origin: Origin;
  name: string;
  /** Lower case, as the provider keeps it. */
  region: string;
  /** Defaults to `ventus:organizationId`. */
  organizationId?: string;
  importId?: string;
}

export interface Declarations {
  /** The YAML files read, absolute, in the order read (sorted by name). */
  files: string[];
  organizations: OrganizationDeclaration[];
  ventusProjects: VentusProjectDeclaration[];
}

export interface DeclarationProblem extends Origin {
  /** The field, as a dotted path from the top of the file (`organizations.acme.email`); empty for the file itself. */
  field: string;
  message: string;
}

/** Every problem found in a folder of declarations; the message lists them, one `file:line:column: field: rule` a line. */
export class DeclarationError extends Error {
  override readonly name = "DeclarationError";
  constructor(readonly problems: DeclarationProblem[]) {
    super(problems.map(formatProblem).join("\n"));
  }
}

/** `file:line:column: field: message`, the file relative to the working directory when it is below it. */
export function formatProblem(p: DeclarationProblem): string {
  const rel = path.relative(process.cwd(), p.file);
  const file = rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p.file;
  return `${file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ""}${p.message}`;
}

/**
 * Reads every `*.yaml` / `*.yml` file of `dir` (not its subfolders), validates them and
 * returns the declarations, sorted by file then key. Throws a DeclarationError listing
 * every problem, with file, line, column and field; makes no network call.
 */
export function loadDeclarations(dir: string): Declarations {
  const root = path.resolve(dir);
  let names: string[];
  try {
    names = fs
      .readdirSync(root)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort();
  } catch (err) {
    throw new DeclarationError([
      { file: root, line: 1, column: 1, field: "", message: `cannot read the folder (${(err as NodeJS.ErrnoException).code})` },
    ]);
  }
  if (names.length === 0) {
    throw new DeclarationError([{ file: root, line: 1, column: 1, field: "", message: "no .yaml or .yml file in this folder" }]);
  }
  const problems: DeclarationProblem[] = [];
  const identities: Identity[] = [];
  const result: Declarations = { files: [], organizations: [], ventusProjects: [] };
  for (const name of names) {
    const file = path.join(root, name);
    result.files.push(file);
    const parsed = parseFile(file, fs.readFileSync(file, "utf8"), problems);
    identities.push(...parsed.identities);
    if (!parsed.declarations) continue;
    result.organizations.push(...parsed.declarations.organizations);
    result.ventusProjects.push(...parsed.declarations.ventusProjects);
  }
  // Also across files with other problems: every mistake is reported in one go.
  crossFileChecks(identities, problems);
  if (problems.length) {
    problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    throw new DeclarationError(problems);
  }
  return result;
}

/** What must be unique across files: keys, and organization names. */
export interface Identity {
  kind: "organization" | "ventusProject";
  key: string;
  /** An organization's name, when it is a string. */
  name?: string;
  origin: Origin;
}

/**
 * One file: its problems are added to `problems`; `declarations` only when it has none.
 * `identities` (keys and names) are given whenever the YAML parses, for the checks across files.
 */
export function parseFile(
  file: string,
  source: string,
  problems: DeclarationProblem[],
): { identities: Identity[]; declarations?: { organizations: OrganizationDeclaration[]; ventusProjects: VentusProjectDeclaration[] } } {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number, field: string, message: string): DeclarationProblem => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col, field, message };
  };
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push(at(e.pos[0], "", e.message.split("\n")[0]));
    return { identities: [] };
  }
  const before = problems.length;
  const parsed = DeclarationFile.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const key of issue.keys) {
          const p = [...issue.path, key];
          problems.push(at(locate(doc, p, "key"), dotted(p), `unknown field "${key}"${hint(issue.path)}`));
        }
      } else if (issue.code === "invalid_type" && valueAt(doc.toJS(), issue.path) === undefined) {
        // A missing field: the rule's own word for it when it has one ("is required"), else "is required".
        const message = /required/.test(issue.message) ? issue.message : `is required (${issue.message})`;
        problems.push(at(locate(doc, issue.path, "value"), dotted(issue.path), message));
      } else {
        problems.push(at(locate(doc, issue.path, "value"), dotted(issue.path), issue.message));
      }
    }
  }
  const raw = (doc.toJS() ?? {}) as Record<string, Record<string, unknown> | undefined>;
  // Keys are checked apart from the fields: they are what the resources are named after.
  const keyed: Array<[string, ...PropertyKey[]]> = [];
  for (const k of Object.keys(raw.organizations ?? {})) {
    keyed.push(["organizations", k]);
    const codes = (raw.organizations?.[k] as { registrationCodes?: object } | null)?.registrationCodes;
    for (const c of Object.keys(codes ?? {})) keyed.push(["organizations", k, "registrationCodes", c]);
  }
  for (const k of Object.keys(raw.ventusProjects ?? {})) keyed.push(["ventusProjects", k]);
  for (const p of keyed) {
    const key = String(p[p.length - 1]);
    if (!KEY_PATTERN.test(key)) problems.push(at(locate(doc, p, "key"), dotted(p), `${KEY_RULE} (got "${key}")`));
  }
  const origin = (p: PropertyKey[]): Origin => {
    const { line, col } = lines.linePos(locate(doc, p, "key"));
    return { file, line, column: col };
  };
  const identities: Identity[] = [];
  if (raw.organizations && typeof raw.organizations === "object") {
    for (const [key, o] of Object.entries(raw.organizations)) {
      const name = (o as { name?: unknown } | null)?.name;
      identities.push({ kind: "organization", key, origin: origin(["organizations", key]), ...(typeof name === "string" ? { name } : {}) });
    }
  }
  if (raw.ventusProjects && typeof raw.ventusProjects === "object") {
    for (const key of Object.keys(raw.ventusProjects))
      identities.push({ kind: "ventusProject", key, origin: origin(["ventusProjects", key]) });
  }
  if (!parsed.success || problems.length > before) return { identities };

  const organizations: OrganizationDeclaration[] = [];
  for (const [key, o] of Object.entries(parsed.data.organizations ?? {})) {
    const where = ["organizations", key];
    let image: string | undefined;
    if (o.image !== undefined) {
      image = path.resolve(path.dirname(file), o.image);
      if (!fs.existsSync(image))
        problems.push(at(locate(doc, [...where, "image"], "value"), dotted([...where, "image"]), `no such file: ${image}`));
    }
    const { apis, registrationCodes, image: _image, ...fields } = o;
    organizations.push({
      key,
      origin: origin(where),
      ...(fields as Omit<OrganizationDeclaration, "key" | "origin" | "apis" | "registrationCodes" | "image">),
      ...(image === undefined ? {} : { image }),
      apis: Object.entries(apis ?? {}).map(([apiName, g]) => ({ apiName, ...g })),
      registrationCodes: Object.entries(registrationCodes ?? {}).map(([k, c]) => ({ key: k, ...c })),
    });
  }
  const ventusProjects: VentusProjectDeclaration[] = Object.entries(parsed.data.ventusProjects ?? {}).map(([key, p]) => ({
    key,
    origin: origin(["ventusProjects", key]),
    ...p,
  }));
  if (problems.length > before) return { identities };
  return { identities, declarations: { organizations, ventusProjects } };
}

/** Names and keys that must be unique across every file, with both places named. */
function crossFileChecks(identities: Identity[], problems: DeclarationProblem[]): void {
  const where = (o: Origin) => formatProblem({ ...o, field: "", message: "" }).replace(/: $/, "");
  const first = new Map<string, Identity>();
  for (const id of identities) {
    const section = id.kind === "organization" ? "organizations" : "ventusProjects";
    const byKey = first.get(`${id.kind} key ${id.key}`);
    if (byKey) {
      problems.push({
        ...id.origin,
        field: `${section}.${id.key}`,
        message: `the key "${id.key}" is already declared at ${where(byKey.origin)}`,
      });
    } else {
      first.set(`${id.kind} key ${id.key}`, id);
    }
    if (id.name === undefined) continue;
    // The portal's names are unique: two declarations of one name would fight over one organization.
    const byName = first.get(`name ${id.name}`);
    if (byName) {
      problems.push({
        ...id.origin,
        field: `${section}.${id.key}.name`,
        message: `the organization name "${id.name}" is already declared at ${where(byName.origin)} (organizations.${byName.key})`,
      });
    } else {
      first.set(`name ${id.name}`, id);
    }
  }
}

/**
 * The offset in the source of the node at `p` (its key, or its value), or of the deepest
 * part of `p` that exists: a missing field is reported where its object starts.
 */
function locate(doc: Document, p: PropertyKey[], want: "key" | "value"): number {
  let node: unknown = doc.contents;
  let best = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < p.length; i++) {
    const seg = p[i];
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(seg));
      if (!pair) break;
      const keyStart = (pair.key as Node).range?.[0] ?? best;
      const value = pair.value as Node | null;
      const last = i === p.length - 1;
      best = last && want === "value" && value?.range ? value.range[0] : keyStart;
      node = value;
    } else if (isSeq(node) && typeof seg === "number" && node.items[seg]) {
      node = node.items[seg];
      best = (node as Node).range?.[0] ?? best;
    } else {
      break;
    }
  }
  return best;
}

function valueAt(root: unknown, p: PropertyKey[]): unknown {
  let v = root;
  for (const seg of p) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function dotted(p: PropertyKey[]): string {
  return p.map(String).join(".");
}

function hint(parent: PropertyKey[]): string {
  if (parent.length === 0) return " (a file holds organizations and ventusProjects)";
  return "";
}
