// The portal's routes, listed once: the core's route templates, matching, the 405 `Allow`
// list and dispatch all come from this table.
import { RouteTable, type Route } from "../routeTable";
import type { EmulatorRequest, EmulatorResponse } from "../types";
import { getCustomPropertiesConfig } from "./customProperties";
import { createToken, deleteToken, getToken, listTokens, updateToken } from "./codes";
import { createGrant, deleteGrant, listGrants, updateGrant } from "./grants";
import { getImage, setImage } from "./images";
import { createOrganization, deleteOrganization, getOrganization, listOrganizations, updateOrganization } from "./organizations";
import { listProxies } from "./proxies";
import type { PortalCall } from "./request";
import { currentUser, login, logout } from "./sessions";
import { PORTAL_BASE, type PortalStore } from "./store";

export type PortalRoute = Route &
  (
    | { handle(s: PortalStore, call: PortalCall): EmulatorResponse }
    /** Answered before authentication. */
    | { open(s: PortalStore, req: EmulatorRequest): EmulatorResponse }
  );

const ORGANIZATION = `${PORTAL_BASE}/organizations/{id}`;

// Within a path, methods are listed in the order `Allow` names them.
export const PORTAL_ROUTE_TABLE = new RouteTable<PortalRoute>(
  [
    { method: "POST", path: `${PORTAL_BASE}/login`, open: login },
    { method: "DELETE", path: `${PORTAL_BASE}/login`, handle: logout },
    { method: "GET", path: `${PORTAL_BASE}/currentuser`, handle: currentUser },
    { method: "GET", path: `${PORTAL_BASE}/proxies`, handle: listProxies },
    { method: "GET", path: `${PORTAL_BASE}/config/customproperties`, handle: getCustomPropertiesConfig },
    { method: "GET", path: `${PORTAL_BASE}/organizations`, handle: listOrganizations },
    { method: "POST", path: `${PORTAL_BASE}/organizations`, handle: createOrganization },
    { method: "GET", path: ORGANIZATION, handle: getOrganization },
    { method: "PUT", path: ORGANIZATION, handle: updateOrganization },
    { method: "DELETE", path: ORGANIZATION, handle: deleteOrganization },
    { method: "GET", path: `${ORGANIZATION}/apis`, handle: listGrants },
    { method: "POST", path: `${ORGANIZATION}/apis`, handle: createGrant },
    { method: "PUT", path: `${ORGANIZATION}/apis/{apiAccessId}`, handle: updateGrant },
    { method: "DELETE", path: `${ORGANIZATION}/apis/{apiAccessId}`, handle: deleteGrant },
    { method: "GET", path: `${ORGANIZATION}/image`, handle: getImage },
    { method: "POST", path: `${ORGANIZATION}/image`, handle: setImage },
    { method: "GET", path: `${ORGANIZATION}/tokens`, handle: listTokens },
    { method: "POST", path: `${ORGANIZATION}/tokens`, handle: createToken },
    { method: "GET", path: `${ORGANIZATION}/tokens/{token}`, handle: getToken },
    { method: "PUT", path: `${ORGANIZATION}/tokens/{token}`, handle: updateToken },
    { method: "DELETE", path: `${ORGANIZATION}/tokens/{token}`, handle: deleteToken },
  ],
  { trailingSlash: true },
);

/** Every route template this service answers, e.g. `GET /api/portal/v1.3/organizations/{id}`. */
export const PORTAL_ROUTES: readonly string[] = PORTAL_ROUTE_TABLE.templates();
