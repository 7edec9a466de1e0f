// Frontend (virtualized) APIs (`GET /proxies`): seeded at start, never written through the API.
// The API administrator sees them all; others see those their organization may use.
import type { EmulatorResponse } from "../types";
import { buildFilter, type FieldSpecs } from "./filter";
import type { PortalCall } from "./request";
import { grantsOf, stableUuid, type PortalStore, type VirtualizedApi } from "./store";

/** What `options.apis` may say about a seeded frontend API; everything else gets a default. */
export interface PortalApiSeed {
  name: string;
  /** Default: derived from the name, stable across restarts. */
  id?: string;
  version?: string;
  path?: string;
  /** `published` (default), `unpublished` or `pending`. */
  state?: string;
  summary?: string;
  deprecated?: boolean;
  retired?: boolean;
}

export const DEFAULT_PORTAL_APIS: readonly PortalApiSeed[] = Object.freeze([
  { name: "Petstore", version: "1.0.0", path: "/petstore", summary: "The classic Swagger pet store." },
  { name: "Weather", version: "2.1", path: "/weather", summary: "Forecasts and current conditions." },
  { name: "Payments v2", version: "2.0", path: "/payments/v2", summary: "Card and SEPA payments." },
  { name: "Inventory", version: "1.4", path: "/inventory", summary: "Stock levels per warehouse." },
]);

/** Owner of the seeded frontend APIs: the product's "API Development" organization, which is not emulated. */
const API_DEVELOPMENT_ORG_ID = stableUuid("organization", "API Development");

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function virtualizedApi(seed: PortalApiSeed, createdOn: number, createdBy: string): VirtualizedApi {
  const id = seed.id ?? stableUuid("proxy", seed.name);
  const backendId = stableUuid("backend-api", seed.name);
  const path = seed.path ?? `/${slug(seed.name)}`;
  return {
    id,
    organizationId: API_DEVELOPMENT_ORG_ID,
    apiId: backendId,
    name: seed.name,
    version: seed.version ?? "1.0",
    apiRoutingKey: null,
    vhost: null,
    path,
    descriptionType: "original",
    descriptionManual: null,
    descriptionMarkdown: null,
    descriptionUrl: null,
    summary: seed.summary ?? seed.name,
    retired: seed.retired ?? false,
    expired: false,
    image: null,
    retirementDate: 0,
    deprecated: seed.deprecated ?? false,
    state: seed.state ?? "published",
    createdOn,
    createdBy,
    corsProfiles: [
      {
        name: "_default",
        isDefault: true,
        origins: ["*"],
        allowedHeaders: [],
        exposedHeaders: ["X-CorrelationID"],
        supportCredentials: false,
        maxAgeSeconds: 0,
      },
    ],
    securityProfiles: [
      {
        name: "_default",
        isDefault: true,
        devices: [
          {
            name: "Pass Through",
            type: "passThrough",
            order: 0,
            properties: { subjectIdFieldName: "Pass Through", removeCredentialsOnSuccess: "true" },
          },
        ],
      },
    ],
    authenticationProfiles: [{ name: "_default", isDefault: true, parameters: {}, type: "none" }],
    inboundProfiles: {
      _default: { securityProfile: "_default", corsProfile: "_default", monitorAPI: true, monitorSubject: "authentication.subject.id" },
    },
    outboundProfiles: {
      _default: { authenticationProfile: "_default", routeType: "proxy", apiId: backendId, parameters: [] },
    },
    serviceProfiles: { _default: { apiId: backendId, basePath: `https://backend.example${path}` } },
    caCerts: [],
    tags: {},
  };
}

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

export function listProxies(s: PortalStore, { req, auth }: PortalCall): EmulatorResponse {
  const filter = buildFilter(req.query, proxyFilter, { rangeOp: s.behavior().rangeOp });
  let visible = [...s.apis.values()];
  if (auth.user.role !== "admin") {
    const allowed = new Set(
      grantsOf(s, auth.user.organizationId ?? "")
        .filter((g) => g.enabled)
        .map((g) => g.apiId),
    );
    visible = visible.filter((api) => allowed.has(api.id));
  }
  return { status: 200, body: visible.filter(filter) };
}
