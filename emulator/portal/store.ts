// State of the emulated API Manager portal: records, their JSON shapes (Swagger
// `Organization`, `APIAccess`, `RegistrationToken`, `VirtualizedAPI`, `User`),
// the seeded users and frontend APIs, and the persisted snapshot format.
import { createHash } from "node:crypto";
import { z } from "zod";

export const PORTAL_BASE = "/api/portal/v1.3";

export type PortalRole = "admin" | "oadmin" | "user";

export interface OrganizationRecord {
  id: string;
  name: string;
  description?: string;
  email?: string;
  /** URI of the picture (`/api/portal/v1.3/organizations/{id}/image`) or null. */
  image: string | null;
  restricted: boolean;
  virtualHost?: string;
  phone?: string;
  enabled: boolean;
  development: boolean;
  dn: string;
  createdOn: number;
  startTrialDate?: number;
  endTrialDate?: number;
  trialDuration?: number;
  isTrial: boolean;
  /** Not in the Swagger definition; the seed's example shows it. */
  skypeId?: string;
}

export interface ApiAccessRecord {
  id: string;
  organizationId: string;
  apiId: string;
  state: "approved";
  enabled: boolean;
  createdBy: string;
  createdOn: number;
}

export interface RegistrationTokenRecord {
  token: string;
  organizationId: string;
  expiry: number;
  createdOn: number;
  createdBy: string;
  /** Users who may still join (Swagger: "the remaining number of users"). */
  userQuota: number;
  /** Users who may ever join (Swagger: "the total number ... since the code has been created"). */
  maxUsers: number;
  enabled: boolean;
  /** Users who joined with it (POST /_emulator/portal/register); absent: none. Not in the answers. */
  used?: number;
}

export interface UserRecord {
  id: string;
  /** Absent for the API administrator, who belongs to no emulated organization. */
  organizationId?: string;
  name: string;
  loginName: string;
  password: string;
  email: string;
  role: PortalRole;
  enabled: boolean;
  createdOn: number;
}

/** A frontend (virtualized) API as `GET /proxies` answers it; stored as JSON. */
export type VirtualizedApi = Record<string, unknown> & {
  id: string;
  apiId: string;
  name: string;
  version: string;
  path: string;
  state: string;
  createdOn: number;
  deprecated: boolean;
  retired: boolean;
};

/** A name-derived UUID (v5 layout over SHA-1), so seeded ids stay the same across restarts. */
export function stableUuid(kind: string, name: string): string {
  const h = createHash("sha1").update(`pulumi-ventus-axway:${kind}:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function organizationDn(name: string): string {
  return `o=${name},ou=organizations,ou=APIPortal`;
}

export function imageUri(organizationId: string): string {
  return `${PORTAL_BASE}/organizations/${encodeURIComponent(organizationId)}/image`;
}

/** Swagger `Organization` (plus `skypeId` when set). Absent optional fields are left out. */
export function organizationJson(org: OrganizationRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: org.id,
    name: org.name,
    description: org.description,
    email: org.email,
    image: org.image,
    restricted: org.restricted,
    virtualHost: org.virtualHost,
    phone: org.phone,
    enabled: org.enabled,
    development: org.development,
    dn: org.dn,
    createdOn: org.createdOn,
    startTrialDate: org.startTrialDate,
    endTrialDate: org.endTrialDate,
    trialDuration: org.trialDuration,
    isTrial: org.isTrial,
    skypeId: org.skypeId,
  };
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

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

/** Swagger `User`; never the password. */
export function userJson(user: UserRecord): Record<string, unknown> {
  return {
    id: user.id,
    ...(user.organizationId !== undefined ? { organizationId: user.organizationId } : {}),
    name: user.name,
    loginName: user.loginName,
    email: user.email,
    role: user.role,
    enabled: user.enabled,
    createdOn: user.createdOn,
    state: "approved",
    type: "internal",
  };
}

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
export const API_DEVELOPMENT_ORG_ID = stableUuid("organization", "API Development");

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
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
        devices: [{ name: "Pass Through", type: "passThrough", order: 0, properties: { subjectIdFieldName: "Pass Through", removeCredentialsOnSuccess: "true" } }],
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

// ---- persistence -------------------------------------------------------------------------

const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  email: z.string().optional(),
  image: z.string().nullable(),
  restricted: z.boolean(),
  virtualHost: z.string().optional(),
  phone: z.string().optional(),
  enabled: z.boolean(),
  development: z.boolean(),
  dn: z.string(),
  createdOn: z.number(),
  startTrialDate: z.number().optional(),
  endTrialDate: z.number().optional(),
  trialDuration: z.number().optional(),
  isTrial: z.boolean(),
  skypeId: z.string().optional(),
});

const snapshotSchema = z.object({
  version: z.literal(1),
  organizations: z.array(organizationSchema),
  /** Organization id → JPEG bytes, base64. */
  images: z.record(z.string(), z.string()),
  grants: z.array(
    z.object({
      id: z.string(),
      organizationId: z.string(),
      apiId: z.string(),
      state: z.literal("approved"),
      enabled: z.boolean(),
      createdBy: z.string(),
      createdOn: z.number(),
    }),
  ),
  tokens: z.array(
    z.object({
      token: z.string(),
      organizationId: z.string(),
      expiry: z.number(),
      createdOn: z.number(),
      createdBy: z.string(),
      userQuota: z.number(),
      maxUsers: z.number(),
      enabled: z.boolean(),
      used: z.number().optional(),
    }),
  ),
  users: z.array(
    z.object({
      id: z.string(),
      organizationId: z.string().optional(),
      name: z.string(),
      loginName: z.string(),
      password: z.string(),
      email: z.string(),
      role: z.enum(["admin", "oadmin", "user"]),
      enabled: z.boolean(),
      createdOn: z.number(),
    }),
  ),
  apis: z.array(
    z
      .object({
        id: z.string(),
        apiId: z.string(),
        name: z.string(),
        version: z.string(),
        path: z.string(),
        state: z.string(),
        createdOn: z.number(),
        deprecated: z.boolean(),
        retired: z.boolean(),
      })
      .catchall(z.unknown()),
  ),
});

export type PortalSnapshot = z.infer<typeof snapshotSchema>;

/** Validate persisted state; throws with the first problem when it is not a portal snapshot. */
export function parseSnapshot(data: unknown): PortalSnapshot {
  const result = snapshotSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`portal snapshot is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data;
}
