// Ventus routes, listed once: the core's route templates (VENTUS_ROUTES), matching and dispatch
// all come from this table. A known path asked with another method is no route at all (404 from
// the core), as a Dapr sidecar answers.
import { RouteTable, type Route } from "../routeTable";
import type { EmulatorRequest, EmulatorResponse } from "../types";
import { authenticate, issueTokens } from "./auth";
import { ventusPrices } from "./prices";
import { createProject, deleteProject, getProject, listProjects, renameProject } from "./projects";
import { decode, error } from "./request";
import type { VentusCall, VentusStore } from "./store";

type Handler = (s: VentusStore, req: EmulatorRequest, params: Record<string, string>) => EmulatorResponse;

export type VentusRouteName = "tokens" | "list" | "create" | "get" | "rename" | "delete" | "prices";

interface VentusRoute extends Route {
  name: VentusRouteName;
  handle: Handler;
}

/**
 * API calls: the region must be served (like an unknown Dapr app id otherwise), both tokens
 * valid, and an organization in the path one of the caller's.
 */
function authorized(handle: (s: VentusStore, call: VentusCall) => EmulatorResponse): Handler {
  return (s, req, params) => {
    const region = params.region;
    if (region !== undefined && !Object.hasOwn(s.behavior().ventusRegions, region)) {
      return error(404, `Unknown service gotham-${region}-identity`);
    }
    const user = authenticate(s, req);
    if (!("sub" in user)) return user;
    let org: string | undefined;
    if (params.org !== undefined) {
      org = decode(params.org);
      if (org === undefined || !user.organizations.includes(org)) {
        return error(403, "Access to this organization is forbidden");
      }
    }
    return handle(s, { req, params, user, region, org });
  };
}

const IDENTITY = "/v1.0/invoke/gotham-{region}-identity/method";

export const VENTUS_ROUTE_TABLE = new RouteTable<VentusRoute>(
  [
    { name: "tokens", method: "GET", path: "/get-tokens", handle: issueTokens },
    { name: "list", method: "GET", path: "/v1.0/invoke/gotham-enterprises/method/orgs/{org}/projects", handle: authorized(listProjects) },
    { name: "create", method: "POST", path: `${IDENTITY}/{org}/projects/{name}`, handle: authorized(createProject) },
    { name: "get", method: "GET", path: `${IDENTITY}/projects/{id}`, handle: authorized(getProject) },
    { name: "rename", method: "PUT", path: `${IDENTITY}/{org}/projects/{id}`, handle: authorized(renameProject) },
    { name: "delete", method: "DELETE", path: `${IDENTITY}/{org}/projects/{id}`, handle: authorized(deleteProject) },
    {
      name: "prices",
      method: "GET",
      path: "/v1.0/invoke/gotham-bank/method/prices",
      handle: authorized(() => ({ status: 200, body: ventusPrices() })),
    },
  ],
  // An empty organization or project name is the service's to answer (403, 400), not a missing route.
  { emptyParams: true },
);

/** Route template of each call, e.g. `GET /v1.0/invoke/gotham-{region}-identity/method/projects/{id}`. */
export const VENTUS_ROUTES = Object.fromEntries(VENTUS_ROUTE_TABLE.routes.map((r) => [r.name, `${r.method} ${r.path}`])) as Readonly<
  Record<VentusRouteName, string>
>;
