// Ventus Cloud, as described in shared/seeds/000_1231f6fee04a281a.txt:
// - auth.ventuscloud.eu: `GET /get-tokens` with a JSON body → id and access tokens (auth.ts);
// - api.ventuscloud.eu: Dapr-style `/v1.0/invoke/<app>/method/...` calls that need both tokens
//   (projects.ts, prices.ts). routes.ts lists every call once.
import { DEFAULT_BEHAVIOR, DEFAULT_VENTUS_REGIONS, type Behavior } from "../behavior";
import type { ServiceContext, ServiceModule } from "../types";
import { error } from "./request";
import { VENTUS_ROUTE_TABLE } from "./routes";
import { createStore, DEFAULT_VENTUS_USER, restoreStore, snapshotOf, type VentusUser } from "./store";

export { ventusPrices, type VentusFlavor, type VentusPrices } from "./prices";
export { VENTUS_ROUTES } from "./routes";
export { DEFAULT_VENTUS_USER, type VentusProject, type VentusUser } from "./store";

export interface VentusOptions {
  users?: VentusUser[];
  /** Lifetime of issued tokens when the context has no behaviours; default 3600 (see Behavior.ventusTokenTtlSeconds). */
  tokenTtlSeconds?: number;
}

/**
 * The seed's regions: path segment (always lower case) → display name used in listings.
 * The regions served are Behavior.ventusRegions, these by default.
 */
export const VENTUS_REGIONS: Readonly<Record<string, string>> = DEFAULT_VENTUS_REGIONS;

export interface VentusService extends ServiceModule {
  /** Human-readable lines for the CLI banner: the credentials to log in with. */
  describe(): string[];
}

export function createVentusService(ctx: ServiceContext, options: VentusOptions = {}): VentusService {
  if (options.tokenTtlSeconds !== undefined && !(options.tokenTtlSeconds > 0)) {
    throw new Error("tokenTtlSeconds must be positive");
  }
  const behavior = (): Readonly<Behavior> =>
    ctx.behavior?.() ?? { ...DEFAULT_BEHAVIOR, ventusTokenTtlSeconds: options.tokenTtlSeconds ?? 3600 };
  const store = createStore(ctx, behavior, options.users ?? [DEFAULT_VENTUS_USER]);

  return {
    name: "ventus",
    route(req) {
      const route = VENTUS_ROUTE_TABLE.match(req.method, req.path)?.route;
      return route && `${route.method} ${route.path}`;
    },
    handle(req) {
      const m = VENTUS_ROUTE_TABLE.match(req.method, req.path);
      if (!m?.route) return error(404, "No route");
      return m.route.handle(store, req, m.params);
    },
    snapshot: () => snapshotOf(store),
    restore: (data) => restoreStore(store, data),
    describe() {
      return store.users.map(
        (u) =>
          `Ventus user: ${u.username} / password: ${u.password} / organization${u.organizations.length === 1 ? "" : "s"}: ${u.organizations.join(", ")}`,
      );
    },
  };
}
