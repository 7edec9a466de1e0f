// Registration codes (`/organizations/{id}/tokens`), with their user counts as Axway's Swagger
// defines them: `maxUsers` is how many users may ever join with the code, `userQuota` how many
// still may (it goes down as users join). A server may cap what is asked: the seed asks for "15"
// and gets 10 (Behavior.tokenQuotaCap). Joining is `POST /_emulator/portal/register`.
import { randomInt } from "node:crypto";
import { deletedAnswer, putAnswer } from "../behavior";
import type { EmulatorResponse } from "../types";
import { requireManager } from "./auth";
import {
  decodeParam,
  notFound,
  optBoolean,
  optInteger,
  PortalError,
  readObject,
  type Json,
  type PortalCall,
  findOrganization,
} from "./request";
import { type OrganizationRecord, type PortalStore, type RegistrationTokenRecord } from "./store";

export function tokenJson(token: RegistrationTokenRecord): Record<string, unknown> {
  return {
    token: token.token,
    organizationId: token.organizationId,
    expiry: token.expiry,
    createdOn: token.createdOn,
    createdBy: token.createdBy,
    userQuota: token.userQuota,
    maxUsers: token.maxUsers,
    enabled: token.enabled,
  };
}

function capped(requested: number, cap: number | null): number {
  return cap === null ? requested : Math.min(requested, cap);
}

/** A new code: nobody has used it yet. */
function quotaAtCreate(requested: number, cap: number | null): Pick<RegistrationTokenRecord, "maxUsers" | "userQuota"> {
  const maxUsers = capped(requested, cap);
  return { maxUsers, userQuota: maxUsers };
}

/** A PUT with `userQuota`: the new limit; what remains is the limit less the users who already joined. */
function quotaAtUpdate(
  token: RegistrationTokenRecord,
  requested: number,
  cap: number | null,
): Pick<RegistrationTokenRecord, "maxUsers" | "userQuota"> {
  const maxUsers = capped(requested, cap);
  return { maxUsers, userQuota: Math.max(0, maxUsers - (token.used ?? 0)) };
}

/** One user joins with the code: the code after that use, or a PortalError saying why not. */
function useCode(token: RegistrationTokenRecord, now: number): RegistrationTokenRecord {
  if (!token.enabled) throw new PortalError(400, "The registration code is disabled");
  if (token.expiry <= now) throw new PortalError(400, "The registration code has expired");
  if (token.userQuota <= 0) throw new PortalError(409, "The registration code has no uses left");
  return { ...token, userQuota: token.userQuota - 1, used: (token.used ?? 0) + 1 };
}

function findToken(s: PortalStore, org: OrganizationRecord, rawToken: string): RegistrationTokenRecord {
  const token = s.tokens.get(decodeParam(rawToken));
  if (!token || token.organizationId !== org.id) throw notFound();
  return token;
}

function newTokenCode(s: PortalStore): string {
  for (;;) {
    const code = String(randomInt(100000, 1000000));
    if (!s.tokens.has(code)) return code;
  }
}

function quotaOf(body: Json): number | undefined {
  const quota = optInteger(body, "userQuota");
  if (quota !== undefined && quota < 0) throw new PortalError(400, "'userQuota' must not be negative");
  return quota;
}

/** The organization of a codes call, once the caller may manage it. */
function managedOrganization(s: PortalStore, { params, auth }: PortalCall): OrganizationRecord {
  const org = findOrganization(s, params.id);
  requireManager(auth.user, org);
  return org;
}

export function createToken(s: PortalStore, call: PortalCall): EmulatorResponse {
  const org = managedOrganization(s, call);
  const body = readObject(call.req, s.limits.maxJsonBytes, "RegistrationToken");
  const userQuota = quotaOf(body);
  if (userQuota === undefined) throw new PortalError(400, "'userQuota' is required");
  const expiry = optInteger(body, "expiry");
  if (expiry === undefined) throw new PortalError(400, "'expiry' is required");
  const token: RegistrationTokenRecord = {
    token: newTokenCode(s),
    organizationId: org.id,
    expiry,
    createdOn: s.now(),
    createdBy: call.auth.user.id,
    ...quotaAtCreate(userQuota, s.behavior().tokenQuotaCap),
    enabled: optBoolean(body, "enabled") ?? true,
  };
  s.tokens.set(token.token, token);
  s.changed();
  return { status: 201, body: tokenJson(token) };
}

export function listTokens(s: PortalStore, call: PortalCall): EmulatorResponse {
  const org = managedOrganization(s, call);
  return {
    status: 200,
    body: s.tokens
      .listing()
      .filter((t) => t.organizationId === org.id)
      .map(tokenJson),
  };
}

export function getToken(s: PortalStore, call: PortalCall): EmulatorResponse {
  const org = managedOrganization(s, call);
  return { status: 200, body: [tokenJson(findToken(s, org, call.params.token))] }; // an array of one, as documented
}

export function updateToken(s: PortalStore, call: PortalCall): EmulatorResponse {
  const org = managedOrganization(s, call);
  const token = findToken(s, org, call.params.token);
  const body = readObject(call.req, s.limits.maxJsonBytes, "RegistrationToken");
  const userQuota = quotaOf(body);
  const expiry = optInteger(body, "expiry");
  const enabled = optBoolean(body, "enabled");
  const updated: RegistrationTokenRecord = {
    ...token,
    ...(userQuota !== undefined ? quotaAtUpdate(token, userQuota, s.behavior().tokenQuotaCap) : {}),
    ...(expiry !== undefined ? { expiry } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
  };
  s.tokens.set(token.token, updated);
  s.changed();
  return putAnswer(s.behavior(), tokenJson(updated));
}

export function deleteToken(s: PortalStore, call: PortalCall): EmulatorResponse {
  const org = managedOrganization(s, call);
  const token = findToken(s, org, call.params.token);
  s.tokens.delete(token.token);
  s.changed();
  return deletedAnswer(s.behavior(), "Registration code deleted");
}

/**
 * A user joins an organization with a code (the portal's self-registration, which the
 * documents do not describe as an API): one use less remains.
 */
export function register(s: PortalStore, organizationId: unknown, code: unknown): EmulatorResponse {
  if (typeof organizationId !== "string" || typeof code !== "string") {
    throw new PortalError(400, 'The body must be {"organizationId":"...","token":"..."}');
  }
  const token = s.tokens.get(code);
  if (!token || token.organizationId !== organizationId) throw notFound();
  const used = useCode(token, s.now());
  s.tokens.set(code, used);
  s.changed();
  return { status: 200, body: tokenJson(used) };
}
