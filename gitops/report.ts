// The drift report: its shape (the JSON written by `drift --json`, described by
// schemas/drift-report.schema.json), how it is built from the engine's refresh-preview
// events, and how it is shown (a terminal table, Markdown for a pull request or
// $GITHUB_STEP_SUMMARY).
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";

export const REPORT_SCHEMA_VERSION = 1;

/** What a secret value is shown as, before and after alike. */
export const SECRET = "[secret]";

/** The engine's marker of a secret value in event payloads (`sig.Secret`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export interface FieldChange {
  /** The input's name, e.g. `email`. */
  field: string;
  /** As last applied (recorded in state); null when it was not set. */
  before: unknown;
  /** As the service has it now; null when it is not set. */
  after: unknown;
}

export interface DriftedResource {
  urn: string;
  /** Short type, e.g. `PortalOrganization`. */
  type: string;
  /** The Pulumi resource name (a declaration's key). */
  name: string;
  id: string;
  changes: FieldChange[];
}

export interface DeletedResource {
  urn: string;
  type: string;
  name: string;
  id: string;
}

export interface UndeclaredObject {
  service: "portal" | "ventus";
  /** The resource type that would manage it. */
  type: "PortalOrganization" | "OrganizationApiAccess" | "RegistrationToken" | "VentusProject";
  id: string;
  /** Organization or project name; the API's name for a grant; `registration code` for a code. */
  name: string;
  /** The portal organization a grant or code belongs to, or the Ventus organization of a project. */
  organizationId?: string;
  organizationName?: string;
  /** Ventus projects: the region as the service spells it. */
  region?: string;
}

export interface DriftReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  project: string;
  stack: string;
  /** ISO 8601. */
  generatedAt: string;
  /** True when any of drifted, deleted or undeclared is not empty: `drift` then exits 2. */
  drift: boolean;
  summary: { resources: number; drifted: number; deleted: number; undeclared: number };
  /** The services whose objects were listed to find undeclared ones (those with credentials). */
  scanned: { portal: boolean; ventus: boolean };
  drifted: DriftedResource[];
  deleted: DeletedResource[];
  undeclared: UndeclaredObject[];
}

/** Resources the report speaks of: custom resources, not the stack nor providers. */
export function isManaged(type: string, custom: boolean | undefined): boolean {
  return custom !== false && type !== "pulumi:pulumi:Stack" && !type.startsWith("pulumi:providers:");
}

export function shortType(type: string): string {
  return type.slice(type.lastIndexOf(":") + 1);
}

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** A value as reported: secrets masked, absent as null. */
export function shown(v: unknown): unknown {
  if (v === undefined) return null;
  if (isSecret(v)) return SECRET;
  if (Array.isArray(v)) return v.map(shown);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shown(x)]));
  return v;
}

function isSecret(v: unknown): boolean {
  return !!v && typeof v === "object" && SECRET_SIG in (v as object);
}

function same(a: unknown, b: unknown): boolean {
  return stable(a) === stable(b);
}

function stable(v: unknown): string {
  if (v === undefined || v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(stable).join(",")}]`;
  if (typeof v === "object") {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * Field-level changes between the inputs recorded in state and the inputs the provider read
 * back from the service: what `pulumi up --refresh` would put back. Outputs that only the service
 * moves (a code's remaining places, timestamps) are not inputs and never count. Two secret
 * values cannot be compared (both are masked) and count as equal.
 */
export function inputChanges(before: Record<string, unknown> = {}, after: Record<string, unknown> = {}): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => f !== "__provider").sort();
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const b = before[field];
    const a = after[field];
    if (isSecret(b) && isSecret(a)) continue;
    if (!same(b, a)) changes.push({ field, before: shown(b), after: shown(a) });
  }
  return changes;
}

/** Drifted and deleted resources from the events of a refresh preview (`pulumi refresh --preview-only`). */
export function fromRefreshEvents(events: EngineEvent[]): { resources: number; drifted: DriftedResource[]; deleted: DeletedResource[] } {
  const drifted: DriftedResource[] = [];
  const deleted: DeletedResource[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const m: StepEventMetadata | undefined = e.resOutputsEvent?.metadata;
    if (!m || !isManaged(m.type, m.old?.custom ?? m.new?.custom)) continue;
    seen.add(m.urn);
    const base = { urn: m.urn, type: shortType(m.type), name: nameOf(m.urn), id: String(m.old?.id ?? m.new?.id ?? "") };
    if (m.op === "delete") {
      deleted.push(base);
    } else if (m.op === "update") {
      const changes = inputChanges(m.old?.inputs, m.new?.inputs);
      if (changes.length) drifted.push({ ...base, changes });
    }
  }
  const byUrn = (a: { urn: string }, b: { urn: string }) => a.urn.localeCompare(b.urn);
  return { resources: seen.size, drifted: drifted.sort(byUrn), deleted: deleted.sort(byUrn) };
}

export function finish(
  parts: Omit<DriftReport, "schemaVersion" | "drift" | "summary" | "generatedAt"> & { resources: number; generatedAt?: Date },
): DriftReport {
  const { resources, generatedAt, ...rest } = parts;
  const undeclared = [...rest.undeclared].sort(
    (a, b) =>
      a.service.localeCompare(b.service) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    project: rest.project,
    stack: rest.stack,
    generatedAt: (generatedAt ?? new Date()).toISOString(),
    drift: rest.drifted.length + rest.deleted.length + undeclared.length > 0,
    summary: { resources, drifted: rest.drifted.length, deleted: rest.deleted.length, undeclared: undeclared.length },
    scanned: rest.scanned,
    drifted: rest.drifted,
    deleted: rest.deleted,
    undeclared,
  };
}

// ---- rendering ----

/** A value on one line: strings quoted, absent as `(not set)`. */
export function formatValue(v: unknown): string {
  if (v === SECRET) return SECRET;
  if (v === null || v === undefined) return "(not set)";
  return JSON.stringify(v);
}

function describeUndeclared(u: UndeclaredObject): string {
  switch (u.type) {
    case "PortalOrganization":
      return `portal organization ${JSON.stringify(u.name)} (id ${u.id})`;
    case "OrganizationApiAccess":
      return `access of ${JSON.stringify(u.organizationName ?? u.organizationId)} to API ${JSON.stringify(u.name)} (id ${u.id})`;
    case "RegistrationToken":
      return `registration code ${SECRET} of ${JSON.stringify(u.organizationName ?? u.organizationId)} (id ${u.id})`;
    case "VentusProject":
      return `Ventus project ${JSON.stringify(u.name)} in ${u.region} (id ${u.id})`;
  }
}

function table(rows: string[][], indent = "  "): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map(
    (r) =>
      indent +
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join("  ")
        .trimEnd(),
  );
}

/** What `drift` prints on a terminal. */
export function renderText(r: DriftReport): string {
  const head = `Stack ${r.stack} (project ${r.project}): ${r.summary.resources} resources read`;
  if (!r.drift) {
    return `${head}. No drift: everything declared is as declared on the services${scannedNote(r)}.\n`;
  }
  const out = [`${head}. Drift found:`, ""];
  if (r.drifted.length) {
    out.push(`Changed outside Pulumi (${r.drifted.length}):`);
    const rows = [["RESOURCE", "FIELD", "LAST APPLIED", "NOW ON THE SERVICE"]];
    for (const d of r.drifted) {
      d.changes.forEach((c, i) => rows.push([i === 0 ? `${d.type} ${d.name}` : "", c.field, formatValue(c.before), formatValue(c.after)]));
    }
    out.push(...table(rows), "");
  }
  if (r.deleted.length) {
    out.push(`Deleted outside Pulumi (${r.deleted.length}):`);
    out.push(...table([["RESOURCE", "ID"], ...r.deleted.map((d) => [`${d.type} ${d.name}`, d.id])]), "");
  }
  if (r.undeclared.length) {
    out.push(`On the service but not declared (${r.undeclared.length}):`);
    for (const u of r.undeclared) out.push(`  ${describeUndeclared(u)}`);
    out.push("");
  }
  out.push(
    "`pulumi up --refresh` puts back what is declared (changed fields, deleted resources). Objects that are not declared are left alone:",
    "declare them (with importId to adopt them) or delete them.",
  );
  return `${out.join("\n")}\n`;
}

function scannedNote(r: DriftReport): string {
  const not = (["portal", "ventus"] as const).filter((s) => !r.scanned[s]);
  return not.length ? ` (not listed for undeclared objects, no credentials: ${not.join(", ")})` : "";
}

function md(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function mdCode(v: unknown): string {
  const s = formatValue(v);
  return s === SECRET || s === "(not set)" ? md(s) : `\`${md(s).replace(/`/g, "'")}\``;
}

/** A Markdown summary for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function renderMarkdown(r: DriftReport): string {
  const out = [`## Drift: stack \`${md(r.stack)}\``, ""];
  if (!r.drift) {
    out.push(`No drift: ${r.summary.resources} resources read, all as declared${md(scannedNote(r))}.`, "");
    return out.join("\n");
  }
  out.push(
    `**${r.summary.drifted} changed, ${r.summary.deleted} deleted, ${r.summary.undeclared} not declared** ` +
      `(${r.summary.resources} resources read, project \`${md(r.project)}\`).`,
    "",
  );
  if (r.drifted.length) {
    out.push("### Changed outside Pulumi", "", "| Resource | Field | Last applied | Now on the service |", "|---|---|---|---|");
    for (const d of r.drifted) {
      for (const c of d.changes)
        out.push(`| ${md(`${d.type} ${d.name}`)} | \`${md(c.field)}\` | ${mdCode(c.before)} | ${mdCode(c.after)} |`);
    }
    out.push("");
  }
  if (r.deleted.length) {
    out.push("### Deleted outside Pulumi", "", "| Resource | Id |", "|---|---|");
    for (const d of r.deleted) out.push(`| ${md(`${d.type} ${d.name}`)} | \`${md(d.id)}\` |`);
    out.push("");
  }
  if (r.undeclared.length) {
    out.push("### On the service but not declared", "");
    for (const u of r.undeclared) out.push(`- ${md(describeUndeclared(u))}`);
    out.push("");
  }
  out.push("`pulumi up --refresh` puts back what is declared; objects that are not declared are left alone.", "");
  return out.join("\n");
}

/** Line shown while the refresh runs (on a terminal only); the total when known. */
export function progressLine(read: number, total?: number): string {
  return `drift: reading resources ${read}${total === undefined ? "" : `/${total}`}`;
}

/** Line shown while the scan for undeclared objects makes its own calls (on a terminal only). */
export function scanProgressLine(done: number, total: number): string {
  return `drift: looking for undeclared objects, calls ${done}/${total}`;
}

export type { EngineEvent };
