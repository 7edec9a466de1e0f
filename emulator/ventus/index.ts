// Ventus Cloud, as described in shared/seeds/000_1231f6fee04a281a.txt:
// - auth.ventuscloud.eu: `GET /get-tokens` with a JSON body → id and access tokens;
// - api.ventuscloud.eu: Dapr-style `/v1.0/invoke/<app>/method/...` calls that need both tokens.
import { createHash, randomBytes } from "node:crypto";
import { DEFAULT_BEHAVIOR, DEFAULT_VENTUS_REGIONS, REGION_PATTERN, type Behavior } from "../behavior";
import { VersionedMap } from "../history";
import { signJwt, verifyJwt, type JwtPayload } from "../jwt";
import type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "../types";

export interface VentusUser {
  username: string;
  password: string;
  /** Organization IDs this user may manage. */
  organizations: string[];
}

export interface VentusOptions {
  users?: VentusUser[];
  /** Lifetime of issued tokens when the context has no behaviours; default 3600 (see Behavior.ventusTokenTtlSeconds). */
  tokenTtlSeconds?: number;
}

export const DEFAULT_VENTUS_USER: Readonly<VentusUser> = Object.freeze({
  username: "demo@ventus.example",
  password: "demo-password",
  organizations: Object.freeze(["c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50"]) as string[],
});

/**
 * The seed's regions: path segment (always lower case) → display name used in listings.
 * The regions served are Behavior.ventusRegions, these by default.
 */
export const VENTUS_REGIONS: Readonly<Record<string, string>> = DEFAULT_VENTUS_REGIONS;

export interface VentusProject {
  id: string;
  name: string;
  org: string;
  /** Lower-case path form, e.g. `eastern-switzerland`. */
  region: string;
  createdAt: string;
}

export interface VentusFlavor {
  id: string;
  name: string;
  price: { base: number; windows: number };
}

export type VentusPrices = Record<string, { storage: number; flavors: VentusFlavor[] }>;

// The seed shows VC-1 and VC-4 in CHF; the rest follow the same pattern
// (base price per vCPU step, Windows at 1.5x).
const CHF_FLAVORS: Array<[id: string, name: string, base: number]> = [
  ["0000-0020-vc-1", "VC-1", 0.0121],
  ["0000-0030-vc-2", "VC-2", 0.0242],
  ["0000-0040-vc-4", "VC-4", 0.0484],
  ["0000-0050-vc-8", "VC-8", 0.0968],
  ["0000-0060-vc-16", "VC-16", 0.1936],
];
const EUR_PER_CHF = 1.06;

function round(value: number): number {
  return Number(value.toFixed(6));
}

export function ventusPrices(): VentusPrices {
  const flavors = (rate: number): VentusFlavor[] =>
    CHF_FLAVORS.map(([id, name, base]) => ({
      id,
      name,
      price: { base: round(base * rate), windows: round(base * rate * 1.5) },
    }));
  return {
    chf: { storage: 0.0003, flavors: flavors(1) },
    eur: { storage: round(0.0003 * EUR_PER_CHF), flavors: flavors(EUR_PER_CHF) },
  };
}

export const VENTUS_ROUTES = {
  tokens: "GET /get-tokens",
  list: "GET /v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects",
  create: "POST /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{name}",
  get: "GET /v1.0/invoke/gotham-{region}-identity/method/projects/{id}",
  rename: "PUT /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}",
  delete: "DELETE /v1.0/invoke/gotham-{region}-identity/method/{org}/projects/{id}",
  prices: "GET /v1.0/invoke/gotham-bank/method/prices",
} as const;

type RouteName = keyof typeof VENTUS_ROUTES;

interface Matched {
  route: RouteName;
  /** Raw (still percent-encoded) path parameters. */
  params: Record<string, string>;
}

const INVOKE = "/v1.0/invoke/";

/** Matches a request to one of the documented calls; undefined when it is none of them. */
function match(method: string, path: string): Matched | undefined {
  if (path === "/get-tokens") return method === "GET" ? { route: "tokens", params: {} } : undefined;
  if (!path.startsWith(INVOKE)) return undefined;
  const segments = path.slice(INVOKE.length).split("/");
  const [app, methodWord, ...rest] = segments;
  if (methodWord !== "method" || app === undefined) return undefined;

  if (app === "gotham-enterprises") {
    if (method === "GET" && rest.length === 3 && rest[0] === "orgs" && rest[2] === "projects") {
      return { route: "list", params: { org: rest[1]! } };
    }
    return undefined;
  }
  if (app === "gotham-bank") {
    return method === "GET" && rest.length === 1 && rest[0] === "prices"
      ? { route: "prices", params: {} }
      : undefined;
  }
  const identity = /^gotham-(.+)-identity$/.exec(app);
  if (!identity) return undefined;
  const region = identity[1]!;
  if (rest.length === 2 && rest[0] === "projects" && method === "GET") {
    return { route: "get", params: { region, id: rest[1]! } };
  }
  if (rest.length === 3 && rest[1] === "projects") {
    const route: RouteName | undefined =
      method === "POST" ? "create" : method === "PUT" ? "rename" : method === "DELETE" ? "delete" : undefined;
    if (!route) return undefined;
    const key = route === "create" ? "name" : "id";
    return { route, params: { region, org: rest[0]!, [key]: rest[2]! } };
  }
  return undefined;
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, body };
}

function error(status: number, message: string, headers?: Record<string, string>): EmulatorResponse {
  return { status, headers, body: { errors: [{ code: status, message }] } };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function bearer(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(value);
  return m ? m[1] : undefined;
}

/** Stable subject for a user, shaped like the UUIDs identity providers hand out. */
function subjectOf(username: string): string {
  const h = createHash("sha256").update(`ventus-user:${username}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function isProject(value: unknown): value is VentusProject {
  const p = value as VentusProject;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.id === "string" &&
    typeof p.name === "string" &&
    typeof p.org === "string" &&
    typeof p.region === "string" &&
    // Any lower-case region: one added at runtime (Behavior.ventusRegions) may not be configured yet.
    REGION_PATTERN.test(p.region)
  );
}

export interface VentusService extends ServiceModule {
  /** Human-readable lines for the CLI banner: the credentials to log in with. */
  describe(): string[];
}

export function createVentusService(ctx: ServiceContext, options: VentusOptions = {}): VentusService {
  const users = (options.users ?? [DEFAULT_VENTUS_USER]).map((u) => ({
    ...u,
    organizations: [...u.organizations],
    sub: subjectOf(u.username),
  }));
  if (options.tokenTtlSeconds !== undefined && !(options.tokenTtlSeconds > 0)) {
    throw new Error("tokenTtlSeconds must be positive");
  }
  const behavior = (): Readonly<Behavior> =>
    ctx.behavior?.() ?? { ...DEFAULT_BEHAVIOR, ventusTokenTtlSeconds: options.tokenTtlSeconds ?? 3600 };
  // Per process: tokens do not survive a restart, a client re-authenticates on 401.
  const secret = randomBytes(32);
  // Versioned: the listing may lag behind (Behavior.listingLagMs); reads by id never do.
  const projects = new VersionedMap<string, VentusProject>(ctx.now, () => behavior().listingLagMs);

  type User = (typeof users)[number];

  function issueTokens(body: Buffer): EmulatorResponse {
    const creds = parseJsonObject(body);
    if (!creds || typeof creds.username !== "string" || typeof creds.password !== "string") {
      return error(400, 'Request body must be JSON: {"username":"...","password":"..."}');
    }
    const user = users.find((u) => u.username === creds.username && u.password === creds.password);
    if (!user) return error(401, "Invalid credentials");
    const now = ctx.now();
    const iat = Math.floor(now / 1000);
    // Rounded up: a token lives at least the configured time, which matters for TTLs of a few seconds.
    const exp = Math.ceil((now + behavior().ventusTokenTtlSeconds * 1000) / 1000);
    const base = { sub: user.sub, iat, exp, iss: "ventus-emulator" };
    const jti = () => randomBytes(8).toString("hex");
    const idToken = signJwt(secret, { ...base, typ: "id", email: user.username, jti: jti() } as JwtPayload);
    const accessToken = signJwt(secret, { ...base, typ: "access", jti: jti() } as JwtPayload);
    return json(200, { id_token: idToken, access_token: accessToken });
  }

  /** The user both tokens belong to, or the 401 to answer. */
  function authenticate(req: EmulatorRequest): User | EmulatorResponse {
    const unauthorized = (message: string) => error(401, message, { "www-authenticate": "Bearer" });
    const idToken = bearer(req.headers.authorization);
    const accessToken = bearer(req.headers.access);
    if (!idToken) return unauthorized("Missing Authorization: Bearer <id_token>");
    if (!accessToken) return unauthorized("Missing Access: Bearer <access_token>");
    const now = ctx.now();
    const id = verifyJwt(secret, idToken, now);
    const access = verifyJwt(secret, accessToken, now);
    if (!id.ok) return unauthorized(id.reason === "expired" ? "ID token expired" : "Invalid ID token");
    if (!access.ok) {
      return unauthorized(access.reason === "expired" ? "Access token expired" : "Invalid access token");
    }
    if (id.payload.typ !== "id") return unauthorized("Authorization must carry the ID token");
    if (access.payload.typ !== "access") return unauthorized("Access must carry the access token");
    if (id.payload.sub !== access.payload.sub) return unauthorized("Tokens belong to different users");
    const user = users.find((u) => u.sub === id.payload.sub);
    return user ?? unauthorized("Unknown user");
  }

  function view(p: VentusProject): { id: string; name: string } {
    return { id: p.id, name: p.name };
  }

  function newId(): string {
    let id: string;
    do id = randomBytes(12).toString("hex");
    while (projects.has(id));
    return id;
  }

  function handleApi(m: Matched, req: EmulatorRequest): EmulatorResponse {
    const region = m.params.region;
    const regions = behavior().ventusRegions;
    if (region !== undefined && !Object.hasOwn(regions, region)) {
      // Like an unknown Dapr app id: the region must be one of the lower-case names.
      return error(404, `Unknown service gotham-${region}-identity`);
    }
    const auth = authenticate(req);
    if (!("sub" in auth)) return auth;
    const user = auth;

    let org: string | undefined;
    if (m.params.org !== undefined) {
      org = decode(m.params.org);
      if (org === undefined || !user.organizations.includes(org)) {
        return error(403, "Access to this organization is forbidden");
      }
    }

    switch (m.route) {
      case "prices":
        return json(200, ventusPrices());

      case "list":
        return json(
          200,
          projects
            .listing()
            .filter((p) => p.org === org)
            // A project of a region no longer configured keeps its path form.
            .map((p) => ({ id: p.id, name: p.name, region: regions[p.region] ?? p.region })),
        );

      case "create": {
        const name = decode(m.params.name!);
        if (name === undefined) return error(400, "Project name is not valid percent-encoding");
        if (name.trim() === "") return error(400, "Project name must not be empty");
        const project: VentusProject = {
          id: newId(),
          name,
          org: org!,
          region: region!,
          createdAt: new Date(ctx.now()).toISOString(),
        };
        projects.set(project.id, project);
        ctx.changed();
        return json(200, view(project));
      }

      case "get": {
        const p = projects.get(decode(m.params.id!) ?? "");
        if (!p || p.region !== region || !user.organizations.includes(p.org)) {
          return error(404, "Project not found");
        }
        return json(200, view(p));
      }

      case "rename": {
        const p = projects.get(decode(m.params.id!) ?? "");
        if (!p || p.region !== region || p.org !== org) return error(404, "Project not found");
        const body = parseJsonObject(req.body);
        if (!body || typeof body.name !== "string") {
          return error(400, 'Request body must be JSON: {"name":"..."}');
        }
        if (body.name.trim() === "") return error(400, "Project name must not be empty");
        const renamed = { ...p, name: body.name };
        projects.set(p.id, renamed);
        ctx.changed();
        return json(200, view(renamed));
      }

      case "delete": {
        const p = projects.get(decode(m.params.id!) ?? "");
        if (!p || p.region !== region || p.org !== org) return error(404, "Project not found");
        projects.delete(p.id);
        ctx.changed();
        // The seed shows only `HTTP/2 200`; some gateways put a word in the body.
        return behavior().nonJsonBodies ? { status: 200, body: "Project deleted" } : { status: 200 };
      }

      case "tokens":
        throw new Error("unreachable: tokens are not an API call");
    }
  }

  return {
    name: "ventus",

    route(req) {
      const m = match(req.method, req.path);
      return m && VENTUS_ROUTES[m.route];
    },

    handle(req) {
      const m = match(req.method, req.path);
      if (!m) return error(404, "No route");
      if (m.route === "tokens") return issueTokens(req.body);
      return handleApi(m, req);
    },

    snapshot() {
      return { projects: [...projects.values()] };
    },

    restore(data) {
      projects.clear();
      const list = (data as { projects?: unknown } | null)?.projects;
      if (!Array.isArray(list)) return;
      for (const p of list) {
        if (isProject(p)) {
          projects.seed(p.id, {
            id: p.id,
            name: p.name,
            org: p.org,
            region: p.region,
            createdAt: typeof p.createdAt === "string" ? p.createdAt : new Date(ctx.now()).toISOString(),
          });
        }
      }
    },

    describe() {
      return users.map(
        (u) =>
          `Ventus user: ${u.username} / password: ${u.password} / organization${u.organizations.length === 1 ? "" : "s"}: ${u.organizations.join(", ")}`,
      );
    },
  };
}
