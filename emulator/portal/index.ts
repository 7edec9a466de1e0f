// Axway API Manager portal API v1.3 (`/api/portal/v1.3/...`), as described in
// shared/seeds/004_b42e427b93ed9fe0.txt and the Swagger document
// shared/specs/api-manager-V_1_3-swagger.json; see shared/API-NOTES.md.
//
// Where the documents disagree the emulator answers as the seed's tables say:
// PUT .../apis/{id} → 200 (the example shows 201), DELETE → 204 with no body (the example
// shows one), GET .../tokens/{token} → an array of one, GET .../image → 200 image/jpeg
// (both documents list only 204 and 404). New organizations default to `enabled: true`
// (Swagger's `default: false` notwithstanding: an organization one just created is expected
// to be usable). Authorization choices: see auth.ts.
//
// Choices the documents leave open follow ctx.behavior() (behavior.ts): PUT replace or merge,
// the range op's spelling, a cap on codes' quotas, text or empty answers, the session cookie's
// name, and listings that lag behind writes (history.ts).
//
// One file per entity (organizations, grants, codes, images, proxies, sessions) over a shared
// store; routes.ts lists every route once.
import type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "../types";
import { authenticate } from "./auth";
import { register } from "./codes";
import { parseCustomPropertiesConfig, type CustomPropertiesConfig } from "./customProperties";
import { FilterError } from "./filter";
import { FormError } from "./forms";
import { errorResponse, isObject, parseJson, PortalError } from "./request";
import { PORTAL_ROUTE_TABLE } from "./routes";
import { seedStore, type PortalSeed } from "./seed";
import { restoreStore, snapshotOf } from "./snapshot";
import { createStore, PORTAL_BASE, type PortalStore } from "./store";

export { CSRF_HEADER } from "./auth";
export {
  CUSTOM_PROPERTY_TYPES,
  parseCustomPropertiesConfig,
  type CustomPropertiesConfig,
  type CustomProperty,
  type CustomPropertyOption,
} from "./customProperties";
export { DEFAULT_PORTAL_APIS, type PortalApiSeed } from "./proxies";
export { NOT_FOUND_CODE, NOT_FOUND_MESSAGE } from "./request";
export { PORTAL_ROUTES } from "./routes";
export { DEFAULT_PORTAL_ADMIN, DEFAULT_PORTAL_ORG_ADMIN, DEFAULT_PORTAL_ORGANIZATION, type PortalUserSeed } from "./seed";
export { SESSION_COOKIE } from "./sessions";
export type { PortalSnapshot } from "./snapshot";
export { PORTAL_BASE, stableUuid, type VirtualizedApi } from "./store";

export interface PortalOptions extends PortalSeed {
  /** Largest accepted organization picture; larger → 413. Default 1 MiB. */
  maxImageBytes?: number;
  /** Largest accepted JSON request body; larger → 413. Default 1 MiB. */
  maxJsonBytes?: number;
  /**
   * Custom property definitions (Swagger `CustomPropertiesConfig`, e.g. `{ organization: { costCenter:
   * { type: "custom", regex: "\\d{4}", required: true } } }`), served by `GET /config/customproperties`
   * and enforced on organization writes. Default none.
   */
  customProperties?: CustomPropertiesConfig;
}

export type PortalService = ServiceModule & {
  describe(): string[];
  control(method: string, path: string, body: Buffer): EmulatorResponse | undefined;
};

function isPortalPath(path: string): boolean {
  return path === PORTAL_BASE || path.startsWith(`${PORTAL_BASE}/`);
}

/** Thrown errors become the portal's `{"errors":[...]}` answers. */
function answerError(err: unknown): EmulatorResponse {
  if (err instanceof PortalError) return errorResponse(err.status, err.message, err.code, err.headers);
  if (err instanceof FilterError || err instanceof FormError) return errorResponse(400, err.message);
  return errorResponse(500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`);
}

function dispatch(s: PortalStore, req: EmulatorRequest): EmulatorResponse {
  const method = req.method.toUpperCase();
  const m = PORTAL_ROUTE_TABLE.match(method, req.path);
  const route = m?.route;
  if (route && "open" in route) return route.open(s, req);
  // Authentication comes first: an anonymous caller learns nothing about paths and methods.
  const auth = authenticate(s, req);
  if (!m) throw new PortalError(404, "Not Found");
  if (!route) throw new PortalError(405, `Method ${req.method} is not allowed here`, 405, { Allow: m.allow.join(", ") });
  return route.handle(s, { req, params: m.params, auth });
}

/**
 * `/_emulator/portal/customproperties`: GET the definitions, POST replaces them (a
 * `CustomPropertiesConfig`), DELETE restores those of the start.
 */
function customPropertiesControl(s: PortalStore, initial: CustomPropertiesConfig, method: string, body: Buffer): EmulatorResponse {
  switch (method) {
    case "GET":
      return { status: 200, body: s.customProperties() };
    case "DELETE":
      s.setCustomProperties(initial);
      return { status: 200, body: s.customProperties() };
    case "POST":
      try {
        s.setCustomProperties(parseCustomPropertiesConfig(JSON.parse(body.toString("utf8"))));
      } catch (err) {
        return errorResponse(400, err instanceof SyntaxError ? "The request body is not valid JSON" : (err as Error).message);
      }
      return { status: 200, body: s.customProperties() };
  }
  return errorResponse(405, `Method ${method} is not allowed here`, 405, { Allow: "GET, POST, DELETE" });
}

/** `POST /_emulator/portal/register` {"organizationId","token"}: a user joins with a registration code. */
function control(
  s: PortalStore,
  initial: CustomPropertiesConfig,
  method: string,
  path: string,
  body: Buffer,
): EmulatorResponse | undefined {
  if (path === "customproperties") return customPropertiesControl(s, initial, method, body);
  if (path !== "register") return undefined;
  try {
    if (method !== "POST") throw new PortalError(405, `Method ${method} is not allowed here`, 405, { Allow: "POST" });
    const parsed = parseJson(body.toString("utf8"));
    const b = isObject(parsed) ? parsed : {};
    return register(s, b.organizationId, b.token);
  } catch (err) {
    if (err instanceof PortalError) return errorResponse(err.status, err.message, err.code, err.headers);
    throw err;
  }
}

function describe(s: PortalStore): string[] {
  const lines: string[] = [];
  for (const user of s.users.values()) {
    if (user.role === "admin") {
      lines.push(`portal API admin: ${user.loginName} / ${user.password}`);
    } else if (user.role === "oadmin") {
      const org = user.organizationId ? s.organizations.get(user.organizationId) : undefined;
      lines.push(`portal org admin of "${org?.name ?? "?"}": ${user.loginName} / ${user.password}`);
    }
  }
  for (const api of s.apis.values()) lines.push(`portal frontend API "${api.name}": ${api.id}`);
  for (const [name, def] of Object.entries(s.customProperties().organization ?? {})) {
    lines.push(`portal organization custom property "${name}": ${def.type ?? "custom"}${def.required ? ", required" : ""}`);
  }
  return lines;
}

export function createPortalService(ctx: ServiceContext, options: PortalOptions = {}): PortalService {
  // Checked at start: a bad definition fails here, not on the first write.
  const customProperties = parseCustomPropertiesConfig(options.customProperties ?? {});
  const store = createStore(
    ctx,
    {
      maxImageBytes: options.maxImageBytes ?? 1024 * 1024,
      maxJsonBytes: options.maxJsonBytes ?? 1024 * 1024,
    },
    customProperties,
  );
  seedStore(store, options);
  return {
    name: "portal",
    route(req) {
      if (!isPortalPath(req.path)) return undefined;
      const method = req.method.toUpperCase();
      const m = PORTAL_ROUTE_TABLE.match(method, req.path);
      return `${method} ${m?.path ?? `${PORTAL_BASE}/*`}`;
    },
    handle(req) {
      try {
        return dispatch(store, req);
      } catch (err) {
        return answerError(err);
      }
    },
    snapshot: () => snapshotOf(store),
    restore: (data) => restoreStore(store, data),
    describe: () => describe(store),
    control: (method, path, body) => control(store, customProperties, method, path, body),
  };
}
