// Axway API Manager portal API v1.3 (`/api/portal/v1.3/...`), as described in
// shared/seeds/004_b42e427b93ed9fe0.txt and the Swagger document
// shared/specs/api-manager-V_1_3-swagger.json; see shared/API-NOTES.md.
//
// Where the documents disagree the emulator answers as the seed's tables say:
// PUT .../apis/{id} → 200 (the example shows 201), DELETE → 204 with no body (the example
// shows one), GET .../tokens/{token} → an array of one, GET .../image → 200 image/jpeg
// (both documents list only 204 and 404). New organizations default to `enabled: true`
// (Swagger's `default: false` notwithstanding: an organization one just created is expected
// to be usable). Authorization choices: an organization administrator gets 403 for another
// organization that exists (404 when it does not), and for every admin-only call (create and
// delete organizations, grant/update/revoke API access) before any lookup.
//
// Choices the documents leave open follow ctx.behavior() (behavior.ts): PUT replace or merge,
// the range op's spelling, a cap on codes' quotas, text or empty answers, the session cookie's
// name, and listings that lag behind writes (history.ts).
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import { DEFAULT_BEHAVIOR, deletedAnswer, type Behavior } from "../behavior";
import { VersionedMap } from "../history";
import { quotaAtCreate, quotaAtUpdate, useCode } from "./codes";
import { buildFilter, FilterError, type FieldSpecs } from "./filter";
import { FormError, mediaType, parseCookies, parseMultipart, parseUrlEncoded } from "./forms";
import {
  apiAccessJson,
  DEFAULT_PORTAL_APIS,
  imageUri,
  organizationDn,
  organizationJson,
  parseSnapshot,
  PORTAL_BASE,
  stableUuid,
  tokenJson,
  userJson,
  virtualizedApi,
  type ApiAccessRecord,
  type OrganizationRecord,
  type PortalApiSeed,
  type PortalSnapshot,
  type RegistrationTokenRecord,
  type UserRecord,
  type VirtualizedApi,
} from "./store";
import {
  isObject,
  mergedOrganizationFields,
  optBoolean,
  optInteger,
  optString,
  organizationFields,
  PortalError,
  writableFields,
  type Json,
} from "./request";
import type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "../types";

export { PORTAL_BASE, DEFAULT_PORTAL_APIS, stableUuid };
export type { PortalApiSeed, PortalSnapshot, VirtualizedApi };

export interface PortalUserSeed {
  loginName: string;
  password: string;
  name?: string;
  email?: string;
}

export interface PortalOptions {
  /** The API administrator (role `admin`). Default `apiadmin` / `changeme`. */
  admin?: PortalUserSeed;
  /** The organization administrator (role `oadmin`) of the seeded organization. Default `orgadmin` / `orgadmin-password`. */
  orgAdmin?: PortalUserSeed;
  /** Name of the organization created at start for the organization administrator. Default "Seeded Partner". */
  seededOrganization?: string;
  /** Frontend APIs answered by `GET /proxies`. Default: Petstore, Weather, Payments v2, Inventory. */
  apis?: readonly PortalApiSeed[];
  /** Largest accepted organization picture; larger → 413. Default 1 MiB. */
  maxImageBytes?: number;
  /** Largest accepted JSON request body; larger → 413. Default 1 MiB. */
  maxJsonBytes?: number;
}

export const DEFAULT_PORTAL_ADMIN: Readonly<PortalUserSeed> = Object.freeze({
  loginName: "apiadmin",
  password: "changeme",
  name: "API Administrator",
  email: "apiadmin@localhost",
});

export const DEFAULT_PORTAL_ORG_ADMIN: Readonly<PortalUserSeed> = Object.freeze({
  loginName: "orgadmin",
  password: "orgadmin-password",
  name: "Organization Administrator",
  email: "orgadmin@partner.example",
});

export const DEFAULT_PORTAL_ORGANIZATION = "Seeded Partner";

/** The session cookie's default name (Behavior.sessionCookie). */
export const SESSION_COOKIE = DEFAULT_BEHAVIOR.sessionCookie;
export const CSRF_HEADER = "CSRF-Token";
export const NOT_FOUND_CODE = 102;
export const NOT_FOUND_MESSAGE = "The entity could not be found.  Please refresh your session.";

const ROUTE_PATTERNS = {
  login: "/login",
  currentUser: "/currentuser",
  proxies: "/proxies",
  organizations: "/organizations",
  organization: "/organizations/{id}",
  apis: "/organizations/{id}/apis",
  api: "/organizations/{id}/apis/{apiAccessId}",
  image: "/organizations/{id}/image",
  tokens: "/organizations/{id}/tokens",
  token: "/organizations/{id}/tokens/{token}",
} as const;

type RouteKey = keyof typeof ROUTE_PATTERNS;

/** Methods per route; the route template is `<METHOD> /api/portal/v1.3<pattern>`. */
const ROUTE_METHODS: Readonly<Record<RouteKey, readonly string[]>> = {
  login: ["POST", "DELETE"],
  currentUser: ["GET"],
  proxies: ["GET"],
  organizations: ["GET", "POST"],
  organization: ["GET", "PUT", "DELETE"],
  apis: ["GET", "POST"],
  api: ["PUT", "DELETE"],
  image: ["GET", "POST"],
  tokens: ["GET", "POST"],
  token: ["GET", "PUT", "DELETE"],
};

/** Every route template this service answers, e.g. `GET /api/portal/v1.3/organizations/{id}`. */
export const PORTAL_ROUTES: readonly string[] = (Object.keys(ROUTE_PATTERNS) as RouteKey[]).flatMap((key) =>
  ROUTE_METHODS[key].map((method) => `${method} ${PORTAL_BASE}${ROUTE_PATTERNS[key]}`),
);

function errorResponse(status: number, message: string, code = status, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers: { ...headers }, body: { errors: [{ code, message }] } };
}

const UNAUTHORIZED_HEADERS = { "WWW-Authenticate": 'Basic realm="API Manager"' };

interface Session {
  userId: string;
  csrf: string;
}

interface Auth {
  user: UserRecord;
  session?: Session;
  sessionId?: string;
}

interface Match {
  key: RouteKey;
  template: string;
  params: Record<string, string>;
}

function matchPath(path: string): { key: RouteKey; params: Record<string, string> } | undefined {
  if (path !== PORTAL_BASE && !path.startsWith(`${PORTAL_BASE}/`)) return undefined;
  let rest = path.slice(PORTAL_BASE.length);
  if (rest.length > 1 && rest.endsWith("/")) rest = rest.slice(0, -1); // `/image/`, `/tokens/`
  const segments = rest.split("/");
  for (const key of Object.keys(ROUTE_PATTERNS) as RouteKey[]) {
    const pattern = ROUTE_PATTERNS[key].split("/");
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i];
      if (p.startsWith("{")) {
        if (segments[i] === "") ok = false;
        else params[p.slice(1, -1)] = segments[i];
      } else if (p !== segments[i]) {
        ok = false;
      }
    }
    if (ok) return { key, params };
  }
  return undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function isJpeg(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// ---- the service ------------------------------------------------------------------------

export type PortalService = ServiceModule & {
  describe(): string[];
  control(method: string, path: string, body: Buffer): EmulatorResponse | undefined;
};

export function createPortalService(
  ctx: ServiceContext,
  options: PortalOptions = {},
): PortalService {
  const maxImageBytes = options.maxImageBytes ?? 1024 * 1024;
  const maxJsonBytes = options.maxJsonBytes ?? 1024 * 1024;

  const behavior = (): Readonly<Behavior> => ctx.behavior?.() ?? DEFAULT_BEHAVIOR;
  // Versioned: listings may lag behind writes (Behavior.listingLagMs); reads by id never do.
  // Records are versions: change a copy and set it, never mutate one in place.
  const lag = () => behavior().listingLagMs;
  const organizations = new VersionedMap<string, OrganizationRecord>(ctx.now, lag);
  const images = new Map<string, Buffer>();
  const grants = new VersionedMap<string, ApiAccessRecord>(ctx.now, lag);
  const tokens = new VersionedMap<string, RegistrationTokenRecord>(ctx.now, lag);
  const users = new Map<string, UserRecord>();
  const apis = new Map<string, VirtualizedApi>();
  /** Session id → session. Not persisted: a restart logs everybody out, as the product does. */
  const sessions = new Map<string, Session>();

  // -- seed ------------------------------------------------------------------------------
  {
    const now = ctx.now();
    const adminSeed = { ...DEFAULT_PORTAL_ADMIN, ...options.admin };
    const orgAdminSeed = { ...DEFAULT_PORTAL_ORG_ADMIN, ...options.orgAdmin };
    const orgName = options.seededOrganization ?? DEFAULT_PORTAL_ORGANIZATION;
    const org: OrganizationRecord = {
      id: stableUuid("organization", orgName),
      name: orgName,
      description: "Organization created by the emulator at start, administered by its organization administrator",
      email: "contact@partner.example",
      image: null,
      restricted: false,
      phone: "+41 44 000 00 00",
      enabled: true,
      development: false,
      dn: organizationDn(orgName),
      createdOn: now,
      isTrial: false,
    };
    organizations.seed(org.id, org);
    const admin: UserRecord = {
      id: stableUuid("user", adminSeed.loginName),
      name: adminSeed.name ?? adminSeed.loginName,
      loginName: adminSeed.loginName,
      password: adminSeed.password,
      email: adminSeed.email ?? `${adminSeed.loginName}@localhost`,
      role: "admin",
      enabled: true,
      createdOn: now,
    };
    const orgAdmin: UserRecord = {
      id: stableUuid("user", orgAdminSeed.loginName),
      organizationId: org.id,
      name: orgAdminSeed.name ?? orgAdminSeed.loginName,
      loginName: orgAdminSeed.loginName,
      password: orgAdminSeed.password,
      email: orgAdminSeed.email ?? `${orgAdminSeed.loginName}@localhost`,
      role: "oadmin",
      enabled: true,
      createdOn: now,
    };
    users.set(admin.id, admin);
    users.set(orgAdmin.id, orgAdmin);
    for (const seed of options.apis ?? DEFAULT_PORTAL_APIS) {
      const api = virtualizedApi(seed, now, admin.id);
      apis.set(api.id, api);
    }
  }

  // -- helpers ---------------------------------------------------------------------------

  function match(req: EmulatorRequest): Match | undefined {
    const m = matchPath(req.path);
    if (!m) return undefined;
    return { key: m.key, params: m.params, template: `${req.method.toUpperCase()} ${PORTAL_BASE}${ROUTE_PATTERNS[m.key]}` };
  }

  function findUserByLogin(loginName: string, password: string): UserRecord | undefined {
    for (const user of users.values()) {
      if (user.loginName === loginName && sameSecret(user.password, password) && user.enabled) return user;
    }
    return undefined;
  }

  function authenticate(req: EmulatorRequest): Auth {
    const authorization = req.headers.authorization;
    if (authorization && /^basic\s/i.test(authorization)) {
      const decoded = Buffer.from(authorization.replace(/^basic\s+/i, ""), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = colon < 0 ? undefined : findUserByLogin(decoded.slice(0, colon), decoded.slice(colon + 1));
      if (!user) throw new PortalError(401, "Invalid username or password", 401, UNAUTHORIZED_HEADERS);
      return { user };
    }
    const sessionId = parseCookies(req.headers.cookie).get(behavior().sessionCookie);
    if (sessionId !== undefined) {
      const session = sessions.get(sessionId);
      const user = session ? users.get(session.userId) : undefined;
      if (!session || !user || !user.enabled) {
        throw new PortalError(401, "The session is not valid; please log in again", 401, UNAUTHORIZED_HEADERS);
      }
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
    throw new PortalError(401, "Authentication required", 401, UNAUTHORIZED_HEADERS);
  }

  function readJson(req: EmulatorRequest): unknown {
    if (req.body.length > maxJsonBytes) throw new PortalError(413, "Request Entity Too Large");
    const text = req.body.toString("utf8").trim();
    if (text === "") return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new PortalError(400, "The request body is not valid JSON");
    }
  }

  function decodeParam(value: string): string {
    try {
      return decodeURIComponent(value);
    } catch {
      throw new PortalError(400, `Malformed path segment '${value}'`);
    }
  }

  function findOrganization(rawId: string): OrganizationRecord {
    const org = organizations.get(decodeParam(rawId));
    if (!org) throw new PortalError(404, NOT_FOUND_MESSAGE, NOT_FOUND_CODE);
    return org;
  }

  function requireAdmin(user: UserRecord, what: string): void {
    if (user.role !== "admin") throw new PortalError(403, `Only API administrators may ${what}`);
  }

  /** Org admins and users see their own organization only; other organizations answer 403. */
  function requireVisible(user: UserRecord, org: OrganizationRecord): void {
    if (user.role !== "admin" && user.organizationId !== org.id) {
      throw new PortalError(403, "You are not allowed to access this organization");
    }
  }

  /** Changing an organization, its picture and its registration codes: API admins, or the org's own admin. */
  function requireManager(user: UserRecord, org: OrganizationRecord): void {
    requireVisible(user, org);
    if (user.role !== "admin" && user.role !== "oadmin") {
      throw new PortalError(403, "Only administrators may change this organization");
    }
  }

  function nameTaken(name: string, exceptId?: string): boolean {
    for (const org of organizations.values()) if (org.name === name && org.id !== exceptId) return true;
    return false;
  }

  function grantsOf(orgId: string, among: readonly ApiAccessRecord[] = grants.values()): ApiAccessRecord[] {
    return among.filter((g) => g.organizationId === orgId);
  }

  function findGrant(org: OrganizationRecord, rawId: string): ApiAccessRecord {
    const grant = grants.get(decodeParam(rawId));
    if (!grant || grant.organizationId !== org.id) throw new PortalError(404, NOT_FOUND_MESSAGE, NOT_FOUND_CODE);
    return grant;
  }

  function findToken(org: OrganizationRecord, rawToken: string): RegistrationTokenRecord {
    const token = tokens.get(decodeParam(rawToken));
    if (!token || token.organizationId !== org.id) throw new PortalError(404, NOT_FOUND_MESSAGE, NOT_FOUND_CODE);
    return token;
  }

  function newTokenCode(): string {
    for (;;) {
      const code = String(randomInt(100000, 1000000));
      if (!tokens.has(code)) return code;
    }
  }

  /** `apiid` looks at the grants of the same moment as the organizations listed. */
  const organizationFilter = (listedGrants: readonly ApiAccessRecord[]): FieldSpecs<OrganizationRecord> => ({
    apiid: { kind: "set", get: (org) => grantsOf(org.id, listedGrants).map((g) => g.apiId) },
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
  });

  const proxyFilter: FieldSpecs<VirtualizedApi> = {
    name: { kind: "string", get: (api) => api.name },
    apiid: { kind: "string", get: (api) => api.apiId },
    createdOn: { kind: "number", get: (api) => api.createdOn },
    deprecated: { kind: "boolean", get: (api) => api.deprecated, values: { true: true, false: false } },
    retired: { kind: "boolean", get: (api) => api.retired, values: { true: true, false: false } },
    state: { kind: "string", get: (api) => api.state },
    path: { kind: "string", get: (api) => api.path },
    version: { kind: "string", get: (api) => api.version },
  };

  // -- handlers --------------------------------------------------------------------------

  function login(req: EmulatorRequest): EmulatorResponse {
    const type = mediaType(req.headers["content-type"]);
    let form: URLSearchParams;
    if (type === "multipart/form-data") {
      form = new URLSearchParams();
      for (const part of parseMultipart(req.body, String(req.headers["content-type"]))) {
        if (part.filename === undefined) form.append(part.name, part.data.toString("utf8"));
      }
    } else if (type === "application/json") {
      const body = readJson(req);
      form = new URLSearchParams();
      if (isObject(body)) for (const [k, v] of Object.entries(body)) if (typeof v === "string") form.set(k, v);
    } else {
      form = parseUrlEncoded(req.body);
    }
    const user = findUserByLogin(form.get("username") ?? "", form.get("password") ?? "");
    if (!user) {
      const failure = form.get("failure");
      if (failure) return { status: 303, headers: { Location: failure } };
      return errorResponse(401, "Invalid username or password", 401, UNAUTHORIZED_HEADERS);
    }
    const sessionId = randomBytes(24).toString("base64url");
    sessions.set(sessionId, { userId: user.id, csrf: randomBytes(24).toString("hex") });
    const location = form.get("success") || "/home";
    const headers: Record<string, string> = {
      Location: location,
      "Set-Cookie": `${behavior().sessionCookie}=${sessionId}; Path=/; HttpOnly`,
    };
    if (!behavior().nonJsonBodies) return { status: 303, headers };
    // What servlet containers put in a redirect's body.
    const html = `<html><head><title>303 See Other</title></head><body><h1>See Other</h1><p>The document has moved <a href="${escapeHtml(location)}">here</a>.</p></body></html>`;
    return { status: 303, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" }, body: html };
  }

  function logout(auth: Auth): EmulatorResponse {
    if (auth.sessionId !== undefined) sessions.delete(auth.sessionId);
    return { status: 204, headers: { "Set-Cookie": `${behavior().sessionCookie}=; Path=/; HttpOnly; Max-Age=0` } };
  }

  function currentUser(auth: Auth): EmulatorResponse {
    return {
      status: 200,
      headers: auth.session ? { [CSRF_HEADER]: auth.session.csrf } : {},
      body: userJson(auth.user),
    };
  }

  function listProxies(req: EmulatorRequest, auth: Auth): EmulatorResponse {
    const filter = buildFilter(req.query, proxyFilter, { rangeOp: behavior().rangeOp });
    let visible = [...apis.values()];
    if (auth.user.role !== "admin") {
      // Others see the APIs their organization may use.
      const allowed = new Set(
        grantsOf(auth.user.organizationId ?? "")
          .filter((g) => g.enabled)
          .map((g) => g.apiId),
      );
      visible = visible.filter((api) => allowed.has(api.id));
    }
    return { status: 200, body: visible.filter(filter) };
  }

  function listOrganizations(req: EmulatorRequest, auth: Auth): EmulatorResponse {
    const filter = buildFilter(req.query, organizationFilter(grants.listing()), { rangeOp: behavior().rangeOp });
    const visible = organizations.listing().filter(
      (org) => auth.user.role === "admin" || org.id === auth.user.organizationId,
    );
    return { status: 200, body: visible.filter(filter).map(organizationJson) };
  }

  function createOrganization(req: EmulatorRequest, auth: Auth): EmulatorResponse {
    requireAdmin(auth.user, "create organizations");
    const fields = organizationFields(readJson(req));
    if (nameTaken(fields.name)) throw new PortalError(409, "resource already exists");
    const org: OrganizationRecord = {
      ...fields,
      id: randomUUID(),
      image: null,
      dn: organizationDn(fields.name),
      createdOn: ctx.now(),
    };
    organizations.set(org.id, org);
    ctx.changed();
    return {
      status: 201,
      headers: { Location: `${PORTAL_BASE}/organizations/${org.id}` },
      body: organizationJson(org),
    };
  }

  function getOrganization(params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireVisible(auth.user, org);
    return { status: 200, body: organizationJson(org) };
  }

  function updateOrganization(req: EmulatorRequest, params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    const body = readJson(req);
    const fields =
      behavior().organizationPut === "merge" ? mergedOrganizationFields(writableFields(org), body) : organizationFields(body);
    if (nameTaken(fields.name, org.id)) throw new PortalError(409, "resource already exists");
    const updated: OrganizationRecord = {
      ...fields,
      id: org.id,
      image: org.image,
      dn: organizationDn(fields.name),
      createdOn: org.createdOn,
    };
    organizations.set(org.id, updated);
    ctx.changed();
    return putAnswer(organizationJson(updated));
  }

  function deleteOrganization(params: Record<string, string>, auth: Auth): EmulatorResponse {
    requireAdmin(auth.user, "delete organizations");
    const org = findOrganization(params.id);
    organizations.delete(org.id);
    images.delete(org.id);
    for (const [id, grant] of grants.entries()) if (grant.organizationId === org.id) grants.delete(id);
    for (const [code, token] of tokens.entries()) if (token.organizationId === org.id) tokens.delete(code);
    for (const [id, user] of users) {
      if (user.organizationId !== org.id) continue;
      users.delete(id);
      for (const [sid, session] of sessions) if (session.userId === id) sessions.delete(sid);
    }
    ctx.changed();
    return deletedAnswer(behavior(), "Organization deleted");
  }

  function listGrants(params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireVisible(auth.user, org);
    return { status: 200, body: grantsOf(org.id, grants.listing()).map(apiAccessJson) };
  }

  function createGrant(req: EmulatorRequest, params: Record<string, string>, auth: Auth): EmulatorResponse {
    requireAdmin(auth.user, "grant API access");
    const org = findOrganization(params.id);
    const body = readJson(req);
    if (!isObject(body)) throw new PortalError(400, "The request body must be a JSON APIAccess object");
    const apiId = optString(body, "apiId");
    if (apiId === undefined || apiId === "") throw new PortalError(400, "'apiId' is required");
    const enabled = optBoolean(body, "enabled") ?? true;
    // An apiId that names no frontend API is a reference to a missing entity: 404, not 400.
    if (!apis.has(apiId)) throw new PortalError(404, `The frontend API '${apiId}' could not be found`);
    if (grantsOf(org.id).some((g) => g.apiId === apiId)) throw new PortalError(409, "resource already exists");
    const grant: ApiAccessRecord = {
      id: randomUUID(),
      organizationId: org.id,
      apiId,
      state: "approved",
      enabled,
      createdBy: auth.user.id,
      createdOn: ctx.now(),
    };
    grants.set(grant.id, grant);
    ctx.changed();
    return { status: 201, body: apiAccessJson(grant) };
  }

  function updateGrant(req: EmulatorRequest, params: Record<string, string>, auth: Auth): EmulatorResponse {
    requireAdmin(auth.user, "change API access");
    const org = findOrganization(params.id);
    const grant = findGrant(org, params.apiAccessId);
    const body = readJson(req);
    if (body !== undefined && !isObject(body)) throw new PortalError(400, "The request body must be a JSON APIAccess object");
    // Only `enabled` may change; every other field of the body is ignored.
    const enabled = body === undefined ? undefined : optBoolean(body, "enabled");
    let current = grant;
    if (enabled !== undefined && enabled !== grant.enabled) {
      current = { ...grant, enabled };
      grants.set(grant.id, current);
      ctx.changed();
    }
    return putAnswer(apiAccessJson(current));
  }

  function deleteGrant(params: Record<string, string>, auth: Auth): EmulatorResponse {
    requireAdmin(auth.user, "revoke API access");
    const org = findOrganization(params.id);
    const grant = findGrant(org, params.apiAccessId);
    grants.delete(grant.id);
    ctx.changed();
    return deletedAnswer(behavior(), "API access deleted");
  }

  function getImage(params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireVisible(auth.user, org);
    const data = images.get(org.id);
    if (!data) throw new PortalError(404, "The organization has no image");
    return { status: 200, headers: { "Content-Type": "image/jpeg" }, body: data };
  }

  function setImage(req: EmulatorRequest, params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    // Multipart framing adds little; a body far beyond the limit is refused before parsing.
    if (req.body.length > maxImageBytes + 64 * 1024) throw new PortalError(413, "Request Entity Too Large");
    const contentType = String(req.headers["content-type"] ?? "");
    let data: Buffer;
    if (mediaType(contentType) === "multipart/form-data") {
      const file = parseMultipart(req.body, contentType).find((part) => part.name === "file");
      if (!file) throw new PortalError(400, "The form has no 'file' part");
      data = file.data;
    } else if (mediaType(contentType) === "image/jpeg") {
      data = req.body; // lenient: a bare JPEG body
    } else {
      throw new PortalError(400, "Expected multipart/form-data with a 'file' part");
    }
    if (data.length > maxImageBytes) throw new PortalError(413, "Request Entity Too Large");
    if (!isJpeg(data)) throw new PortalError(400, "The image must be a JPEG");
    images.set(org.id, Buffer.from(data));
    organizations.set(org.id, { ...org, image: imageUri(org.id) });
    ctx.changed();
    return behavior().nonJsonBodies ? { status: 200, body: "OK" } : { status: 204 };
  }

  /** A successful PUT: the entity as documented, or 204 without a body under `emptyPutAnswers`. */
  function putAnswer(body: Json): EmulatorResponse {
    return behavior().emptyPutAnswers ? { status: 204 } : { status: 200, body };
  }

  function tokenBody(req: EmulatorRequest): Json {
    const body = readJson(req);
    if (!isObject(body)) throw new PortalError(400, "The request body must be a JSON RegistrationToken object");
    return body;
  }

  function quotaOf(body: Json): number | undefined {
    const quota = optInteger(body, "userQuota");
    if (quota !== undefined && quota < 0) throw new PortalError(400, "'userQuota' must not be negative");
    return quota;
  }

  function createToken(req: EmulatorRequest, params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    const body = tokenBody(req);
    const userQuota = quotaOf(body);
    if (userQuota === undefined) throw new PortalError(400, "'userQuota' is required");
    const expiry = optInteger(body, "expiry");
    if (expiry === undefined) throw new PortalError(400, "'expiry' is required");
    const token: RegistrationTokenRecord = {
      token: newTokenCode(),
      organizationId: org.id,
      expiry,
      createdOn: ctx.now(),
      createdBy: auth.user.id,
      ...quotaAtCreate(userQuota, behavior().tokenQuotaCap),
      enabled: optBoolean(body, "enabled") ?? true,
    };
    tokens.set(token.token, token);
    ctx.changed();
    return { status: 201, body: tokenJson(token) };
  }

  function listTokens(params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    return { status: 200, body: tokens.listing().filter((t) => t.organizationId === org.id).map(tokenJson) };
  }

  function getToken(params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    return { status: 200, body: [tokenJson(findToken(org, params.token))] }; // an array of one, as documented
  }

  function updateToken(req: EmulatorRequest, params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    const token = findToken(org, params.token);
    const body = tokenBody(req);
    const userQuota = quotaOf(body);
    const expiry = optInteger(body, "expiry");
    const enabled = optBoolean(body, "enabled");
    const updated: RegistrationTokenRecord = {
      ...token,
      ...(userQuota !== undefined ? quotaAtUpdate(token, userQuota, behavior().tokenQuotaCap) : {}),
      ...(expiry !== undefined ? { expiry } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
    };
    tokens.set(token.token, updated);
    ctx.changed();
    return putAnswer(tokenJson(updated));
  }

  function deleteToken(params: Record<string, string>, auth: Auth): EmulatorResponse {
    const org = findOrganization(params.id);
    requireManager(auth.user, org);
    const token = findToken(org, params.token);
    tokens.delete(token.token);
    ctx.changed();
    return deletedAnswer(behavior(), "Registration code deleted");
  }

  /**
   * A user joins an organization with a code (the portal's self-registration, which the
   * documents do not describe as an API): one use less remains. Reached through
   * `POST /_emulator/portal/register` {"organizationId","token"}.
   */
  function register(organizationId: unknown, code: unknown): EmulatorResponse {
    if (typeof organizationId !== "string" || typeof code !== "string") {
      throw new PortalError(400, 'The body must be {"organizationId":"...","token":"..."}');
    }
    const token = tokens.get(code);
    if (!token || token.organizationId !== organizationId) throw new PortalError(404, NOT_FOUND_MESSAGE, NOT_FOUND_CODE);
    const used = useCode(token, ctx.now());
    tokens.set(code, used);
    ctx.changed();
    return { status: 200, body: tokenJson(used) };
  }

  function control(method: string, path: string, body: Buffer): EmulatorResponse | undefined {
    if (path !== "register") return undefined;
    try {
      if (method !== "POST") throw new PortalError(405, `Method ${method} is not allowed here`, 405, { Allow: "POST" });
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        throw new PortalError(400, "The request body is not valid JSON");
      }
      const b = isObject(parsed) ? parsed : {};
      return register(b.organizationId, b.token);
    } catch (err) {
      if (err instanceof PortalError) return errorResponse(err.status, err.message, err.code, err.headers);
      throw err;
    }
  }

  function dispatch(req: EmulatorRequest, m: Match, auth: Auth): EmulatorResponse {
    const p = m.params;
    switch (`${req.method.toUpperCase()} ${m.key}`) {
      case "DELETE login":
        return logout(auth);
      case "GET currentUser":
        return currentUser(auth);
      case "GET proxies":
        return listProxies(req, auth);
      case "GET organizations":
        return listOrganizations(req, auth);
      case "POST organizations":
        return createOrganization(req, auth);
      case "GET organization":
        return getOrganization(p, auth);
      case "PUT organization":
        return updateOrganization(req, p, auth);
      case "DELETE organization":
        return deleteOrganization(p, auth);
      case "GET apis":
        return listGrants(p, auth);
      case "POST apis":
        return createGrant(req, p, auth);
      case "PUT api":
        return updateGrant(req, p, auth);
      case "DELETE api":
        return deleteGrant(p, auth);
      case "GET image":
        return getImage(p, auth);
      case "POST image":
        return setImage(req, p, auth);
      case "GET tokens":
        return listTokens(p, auth);
      case "POST tokens":
        return createToken(req, p, auth);
      case "GET token":
        return getToken(p, auth);
      case "PUT token":
        return updateToken(req, p, auth);
      case "DELETE token":
        return deleteToken(p, auth);
      default:
        throw new PortalError(405, `Method ${req.method} is not allowed here`, 405, {
          Allow: ROUTE_METHODS[m.key].join(", "),
        });
    }
  }

  // -- snapshot --------------------------------------------------------------------------

  function snapshot(): PortalSnapshot {
    return {
      version: 1,
      organizations: [...organizations.values()].map((org) => ({ ...org })),
      images: Object.fromEntries([...images].map(([id, data]) => [id, data.toString("base64")])),
      grants: [...grants.values()].map((g) => ({ ...g })),
      tokens: [...tokens.values()].map((t) => ({ ...t })),
      users: [...users.values()].map((u) => ({ ...u })),
      apis: [...apis.values()].map((a) => structuredClone(a)),
    };
  }

  function restore(data: unknown): void {
    if (data === undefined || data === null) return;
    const s = parseSnapshot(data);
    organizations.clear();
    images.clear();
    grants.clear();
    tokens.clear();
    users.clear();
    apis.clear();
    sessions.clear();
    // Restored state predates the clock: lagged listings show it at once.
    for (const org of s.organizations) organizations.seed(org.id, { ...org });
    for (const [id, b64] of Object.entries(s.images)) images.set(id, Buffer.from(b64, "base64"));
    for (const grant of s.grants) grants.seed(grant.id, { ...grant });
    for (const token of s.tokens) tokens.seed(token.token, { ...token });
    for (const user of s.users) users.set(user.id, { ...user });
    for (const api of s.apis) apis.set(api.id, structuredClone(api) as VirtualizedApi);
  }

  function describe(): string[] {
    const lines: string[] = [];
    for (const user of users.values()) {
      if (user.role === "admin") {
        lines.push(`portal API admin: ${user.loginName} / ${user.password}`);
      } else if (user.role === "oadmin") {
        const org = user.organizationId ? organizations.get(user.organizationId) : undefined;
        lines.push(`portal org admin of "${org?.name ?? "?"}": ${user.loginName} / ${user.password}`);
      }
    }
    for (const api of apis.values()) lines.push(`portal frontend API "${api.name}": ${api.id}`);
    return lines;
  }

  return {
    name: "portal",
    route(req: EmulatorRequest): string | undefined {
      if (req.path !== PORTAL_BASE && !req.path.startsWith(`${PORTAL_BASE}/`)) return undefined;
      return match(req)?.template ?? `${req.method.toUpperCase()} ${PORTAL_BASE}/*`;
    },
    handle(req: EmulatorRequest): EmulatorResponse {
      try {
        const m = match(req);
        if (m && m.key === "login" && req.method.toUpperCase() === "POST") return login(req);
        const auth = authenticate(req);
        if (!m) throw new PortalError(404, "Not Found");
        return dispatch(req, m, auth);
      } catch (err) {
        if (err instanceof PortalError) return errorResponse(err.status, err.message, err.code, err.headers);
        if (err instanceof FilterError || err instanceof FormError) return errorResponse(400, err.message);
        return errorResponse(500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    snapshot,
    restore,
    describe,
    control,
  };
}
