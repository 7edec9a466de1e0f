// Organizations (`/organizations`, `/organizations/{id}`): the list with its filter, create,
// read, update under either PUT behaviour (Behavior.organizationPut) and delete, which takes the
// organization's grants, codes, picture, users and their sessions with it.
import { randomUUID } from "node:crypto";
import { deletedAnswer, putAnswer } from "../behavior";
import type { EmulatorResponse } from "../types";
import { requireAdmin, requireManager, requireVisible } from "./auth";
import { customPropertyValues } from "./customProperties";
import { buildFilter, type FieldSpecs } from "./filter";
import { optBoolean, optInteger, optString, PortalError, readObject, type Json, type PortalCall, findOrganization } from "./request";
import { grantsOf, PORTAL_BASE, type ApiAccessRecord, type OrganizationRecord, type PortalStore } from "./store";

export function organizationDn(name: string): string {
  return `o=${name},ou=organizations,ou=APIPortal`;
}

/**
 * Swagger `Organization` (plus `skypeId` when set), and the custom property values as top-level
 * fields. Absent optional fields are left out.
 */
export function organizationJson(org: OrganizationRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...org.customProperties,
    id: org.id,
    name: org.name,
    description: org.description,
    email: org.email,
    image: org.image,
    restricted: org.restricted,
    virtualHost: org.virtualHost,
    phone: org.phone,
    enabled: org.enabled,
    development: org.development,
    dn: org.dn,
    createdOn: org.createdOn,
    startTrialDate: org.startTrialDate,
    endTrialDate: org.endTrialDate,
    trialDuration: org.trialDuration,
    isTrial: org.isTrial,
    skypeId: org.skypeId,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

type OrganizationFields = Omit<OrganizationRecord, "id" | "image" | "dn" | "createdOn" | "customProperties">;

// The writable fields of a Swagger `Organization` by kind; server-made ones (id, createdOn, dn,
// image) are never read from a body.
const TEXT_FIELDS = ["description", "email", "virtualHost", "phone", "skypeId"] as const;
const INTEGER_FIELDS = ["startTrialDate", "endTrialDate", "trialDuration"] as const;
/** Flags and the value they take when not given (enabled: see index.ts on Swagger's default). */
const FLAG_DEFAULTS = { restricted: false, enabled: true, development: false, isTrial: false } as const;
type Flag = keyof typeof FLAG_DEFAULTS;
const FLAGS = Object.keys(FLAG_DEFAULTS) as Flag[];

function checkName(name: string | undefined): string {
  if (name === undefined || name.trim() === "") throw new PortalError(400, "'name' is required");
  return name;
}

function checkTrialDuration(fields: OrganizationFields): OrganizationFields {
  if (fields.trialDuration !== undefined && fields.trialDuration < 0) {
    throw new PortalError(400, "'trialDuration' must not be negative");
  }
  return fields;
}

/** POST, and PUT under `replace`: the body is the whole organization; what it leaves out takes its default. */
function organizationFields(body: Json): OrganizationFields {
  const fields: OrganizationFields = { name: checkName(optString(body, "name")), ...FLAG_DEFAULTS };
  for (const key of TEXT_FIELDS) {
    const v = optString(body, key);
    if (v !== undefined) fields[key] = v;
  }
  for (const key of FLAGS) fields[key] = optBoolean(body, key) ?? FLAG_DEFAULTS[key];
  for (const key of INTEGER_FIELDS) {
    const v = optInteger(body, key);
    if (v !== undefined) fields[key] = v;
  }
  return checkTrialDuration(fields);
}

/**
 * PUT under `merge`: fields absent from the body keep their value, present ones overwrite, and a
 * present `null` (or "" for text) clears the field (a flag goes back to its default). The name may
 * be left out but not cleared.
 */
function mergedOrganizationFields(current: OrganizationFields, body: Json): OrganizationFields {
  const fields: OrganizationFields = { ...current };
  const present = (key: string) => Object.hasOwn(body, key) && body[key] !== undefined;
  if (present("name")) fields.name = checkName(optString(body, "name"));
  for (const key of TEXT_FIELDS) {
    if (!present(key)) continue;
    const v = optString(body, key);
    if (v === undefined || v === "") delete fields[key];
    else fields[key] = v;
  }
  for (const key of FLAGS) {
    if (present(key)) fields[key] = optBoolean(body, key) ?? FLAG_DEFAULTS[key];
  }
  for (const key of INTEGER_FIELDS) {
    if (!present(key)) continue;
    const v = optInteger(body, key);
    if (v === undefined) delete fields[key];
    else fields[key] = v;
  }
  return checkTrialDuration(fields);
}

/** The writable fields of a stored organization (what a merge starts from). */
function writableFields(org: OrganizationRecord): OrganizationFields {
  const { id: _id, image: _image, dn: _dn, createdOn: _createdOn, customProperties: _custom, ...fields } = org;
  return fields;
}

function nameTaken(s: PortalStore, name: string, exceptId?: string): boolean {
  for (const org of s.organizations.values()) if (org.name === name && org.id !== exceptId) return true;
  return false;
}

/** `apiid` looks at the grants of the same moment as the organizations listed. */
function organizationFilter(s: PortalStore, listedGrants: readonly ApiAccessRecord[]): FieldSpecs<OrganizationRecord> {
  return {
    apiid: { kind: "set", get: (org) => grantsOf(s, org.id, listedGrants).map((g) => g.apiId) },
    description: { kind: "string", get: (org) => org.description },
    email: { kind: "string", get: (org) => org.email },
    enabled: {
      kind: "boolean",
      get: (org) => org.enabled,
      values: { enabled: true, disabled: false, true: true, false: false },
    },
    createdOn: { kind: "number", get: (org) => org.createdOn },
    name: { kind: "string", get: (org) => org.name },
    phone: { kind: "string", get: (org) => org.phone },
  };
}

export function listOrganizations(s: PortalStore, { req, auth }: PortalCall): EmulatorResponse {
  const filter = buildFilter(req.query, organizationFilter(s, s.grants.listing()), { rangeOp: s.behavior().rangeOp });
  const visible = s.organizations.listing().filter((org) => auth.user.role === "admin" || org.id === auth.user.organizationId);
  return { status: 200, body: visible.filter(filter).map(organizationJson) };
}

export function createOrganization(s: PortalStore, { req, auth }: PortalCall): EmulatorResponse {
  requireAdmin(auth.user, "create organizations");
  const body = readObject(req, s.limits.maxJsonBytes, "Organization");
  const fields = organizationFields(body);
  const customProperties = customPropertyValues(s, body, undefined, "create");
  if (nameTaken(s, fields.name)) throw new PortalError(409, "resource already exists");
  const org: OrganizationRecord = {
    ...fields,
    ...(customProperties ? { customProperties } : {}),
    id: randomUUID(),
    image: null,
    dn: organizationDn(fields.name),
    createdOn: s.now(),
  };
  s.organizations.set(org.id, org);
  s.changed();
  return {
    status: 201,
    headers: { Location: `${PORTAL_BASE}/organizations/${org.id}` },
    body: organizationJson(org),
  };
}

export function getOrganization(s: PortalStore, { params, auth }: PortalCall): EmulatorResponse {
  const org = findOrganization(s, params.id);
  requireVisible(auth.user, org);
  return { status: 200, body: organizationJson(org) };
}

export function updateOrganization(s: PortalStore, { req, params, auth }: PortalCall): EmulatorResponse {
  const org = findOrganization(s, params.id);
  requireManager(auth.user, org);
  const body = readObject(req, s.limits.maxJsonBytes, "Organization");
  const merge = s.behavior().organizationPut === "merge";
  const fields = merge ? mergedOrganizationFields(writableFields(org), body) : organizationFields(body);
  const customProperties = customPropertyValues(s, body, org.customProperties, merge ? "merge" : "replace");
  if (nameTaken(s, fields.name, org.id)) throw new PortalError(409, "resource already exists");
  const updated: OrganizationRecord = {
    ...fields,
    ...(customProperties ? { customProperties } : {}),
    id: org.id,
    image: org.image,
    dn: organizationDn(fields.name),
    createdOn: org.createdOn,
  };
  s.organizations.set(org.id, updated);
  s.changed();
  return putAnswer(s.behavior(), organizationJson(updated));
}

export function deleteOrganization(s: PortalStore, { params, auth }: PortalCall): EmulatorResponse {
  requireAdmin(auth.user, "delete organizations");
  const org = findOrganization(s, params.id);
  s.organizations.delete(org.id);
  s.images.delete(org.id);
  for (const [id, grant] of s.grants.entries()) if (grant.organizationId === org.id) s.grants.delete(id);
  for (const [code, token] of s.tokens.entries()) if (token.organizationId === org.id) s.tokens.delete(code);
  for (const [id, user] of s.users) {
    if (user.organizationId !== org.id) continue;
    s.users.delete(id);
    for (const [sid, session] of s.sessions) if (session.userId === id) s.sessions.delete(sid);
  }
  s.changed();
  return deletedAnswer(s.behavior(), "Organization deleted");
}
