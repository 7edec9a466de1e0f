// Who is calling and what they may do: Basic credentials or a session cookie (whose writes need
// the CSRF token), then the role checks. An organization administrator gets 403 for another
// organization that exists (404 when it does not), and for every admin-only call.
import { timingSafeEqual } from "node:crypto";
import type { EmulatorRequest } from "../types";
import { parseCookies } from "./forms";
import { PortalError } from "./request";
import type { Auth, OrganizationRecord, PortalStore, UserRecord } from "./store";

export const CSRF_HEADER = "CSRF-Token";
export const UNAUTHORIZED_HEADERS: Readonly<Record<string, string>> = { "WWW-Authenticate": 'Basic realm="API Manager"' };

function unauthorized(message: string): PortalError {
  return new PortalError(401, message, 401, { ...UNAUTHORIZED_HEADERS });
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function findUserByLogin(s: PortalStore, loginName: string, password: string): UserRecord | undefined {
  for (const user of s.users.values()) {
    if (user.loginName === loginName && sameSecret(user.password, password) && user.enabled) return user;
  }
  return undefined;
}

export function authenticate(s: PortalStore, req: EmulatorRequest): Auth {
  const authorization = req.headers.authorization;
  if (authorization && /^basic\s/i.test(authorization)) {
    const decoded = Buffer.from(authorization.replace(/^basic\s+/i, ""), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const user = colon < 0 ? undefined : findUserByLogin(s, decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!user) throw unauthorized("Invalid username or password");
    return { user };
  }
  const sessionId = parseCookies(req.headers.cookie).get(s.behavior().sessionCookie);
  if (sessionId === undefined) throw unauthorized("Authentication required");
  const session = s.sessions.get(sessionId);
  const user = session ? s.users.get(session.userId) : undefined;
  if (!session || !user || !user.enabled) throw unauthorized("The session is not valid; please log in again");
  const method = req.method.toUpperCase();
  if (method !== "GET" && method !== "HEAD") {
    const sent = req.headers["csrf-token"];
    const token = Array.isArray(sent) ? sent[0] : sent;
    if (token === undefined || !sameSecret(token, session.csrf)) {
      throw new PortalError(403, `Missing or invalid ${CSRF_HEADER} header`);
    }
  }
  return { user, session, sessionId };
}

export function requireAdmin(user: UserRecord, what: string): void {
  if (user.role !== "admin") throw new PortalError(403, `Only API administrators may ${what}`);
}

/** Org admins and users see their own organization only; other organizations answer 403. */
export function requireVisible(user: UserRecord, org: OrganizationRecord): void {
  if (user.role !== "admin" && user.organizationId !== org.id) {
    throw new PortalError(403, "You are not allowed to access this organization");
  }
}

/** Changing an organization, its picture and its registration codes: API admins, or the org's own admin. */
export function requireManager(user: UserRecord, org: OrganizationRecord): void {
  requireVisible(user, org);
  if (user.role !== "admin" && user.role !== "oadmin") {
    throw new PortalError(403, "Only administrators may change this organization");
  }
}
