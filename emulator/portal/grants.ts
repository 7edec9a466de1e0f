// API access (`/organizations/{id}/apis`): which frontend APIs an organization may use.
// Granting, changing (only `enabled` may change) and revoking are the API administrator's.
import { randomUUID } from "node:crypto";
import { deletedAnswer, putAnswer } from "../behavior";
import type { EmulatorResponse } from "../types";
import { requireAdmin, requireVisible } from "./auth";
import {
  decodeParam,
  notFound,
  optBoolean,
  optString,
  PortalError,
  readJson,
  readObject,
  isObject,
  type PortalCall,
  findOrganization,
} from "./request";
import { grantsOf, type ApiAccessRecord, type OrganizationRecord, type PortalStore } from "./store";

export function apiAccessJson(grant: ApiAccessRecord): Record<string, unknown> {
  return {
    id: grant.id,
    apiId: grant.apiId,
    createdBy: grant.createdBy,
    state: grant.state,
    createdOn: grant.createdOn,
    enabled: grant.enabled,
  };
}

function findGrant(s: PortalStore, org: OrganizationRecord, rawId: string): ApiAccessRecord {
  const grant = s.grants.get(decodeParam(rawId));
  if (!grant || grant.organizationId !== org.id) throw notFound();
  return grant;
}

export function listGrants(s: PortalStore, { params, auth }: PortalCall): EmulatorResponse {
  const org = findOrganization(s, params.id);
  requireVisible(auth.user, org);
  return { status: 200, body: grantsOf(s, org.id, s.grants.listing()).map(apiAccessJson) };
}

export function createGrant(s: PortalStore, { req, params, auth }: PortalCall): EmulatorResponse {
  requireAdmin(auth.user, "grant API access");
  const org = findOrganization(s, params.id);
  const body = readObject(req, s.limits.maxJsonBytes, "APIAccess");
  const apiId = optString(body, "apiId");
  if (apiId === undefined || apiId === "") throw new PortalError(400, "'apiId' is required");
  const enabled = optBoolean(body, "enabled") ?? true;
  // An apiId that names no frontend API is a reference to a missing entity: 404, not 400.
  if (!s.apis.has(apiId)) throw new PortalError(404, `The frontend API '${apiId}' could not be found`);
  if (grantsOf(s, org.id).some((g) => g.apiId === apiId)) throw new PortalError(409, "resource already exists");
  const grant: ApiAccessRecord = {
    id: randomUUID(),
    organizationId: org.id,
    apiId,
    state: "approved",
    enabled,
    createdBy: auth.user.id,
    createdOn: s.now(),
  };
  s.grants.set(grant.id, grant);
  s.changed();
  return { status: 201, body: apiAccessJson(grant) };
}

export function updateGrant(s: PortalStore, { req, params, auth }: PortalCall): EmulatorResponse {
  requireAdmin(auth.user, "change API access");
  const org = findOrganization(s, params.id);
  const grant = findGrant(s, org, params.apiAccessId);
  const body = readJson(req, s.limits.maxJsonBytes);
  if (body !== undefined && !isObject(body)) throw new PortalError(400, "The request body must be a JSON APIAccess object");
  // Only `enabled` may change; every other field of the body is ignored.
  const enabled = body === undefined ? undefined : optBoolean(body, "enabled");
  let current = grant;
  if (enabled !== undefined && enabled !== grant.enabled) {
    current = { ...grant, enabled };
    s.grants.set(grant.id, current);
    s.changed();
  }
  return putAnswer(s.behavior(), apiAccessJson(current));
}

export function deleteGrant(s: PortalStore, { params, auth }: PortalCall): EmulatorResponse {
  requireAdmin(auth.user, "revoke API access");
  const org = findOrganization(s, params.id);
  const grant = findGrant(s, org, params.apiAccessId);
  s.grants.delete(grant.id);
  s.changed();
  return deletedAnswer(s.behavior(), "API access deleted");
}
