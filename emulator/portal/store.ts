// State of the emulated API Manager portal: the records (Swagger `Organization`, `APIAccess`,
// `RegistrationToken`, `VirtualizedAPI`, `User`), the store that holds them, and the lookups
// every handler shares. Records are versions: change a copy and set it, never mutate one in place.
import { createHash } from "node:crypto";
import { DEFAULT_BEHAVIOR, type Behavior } from "../behavior";
import { VersionedMap } from "../history";
import type { ServiceContext } from "../types";
import type { CustomPropertiesConfig } from "./customProperties";

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
  /** Values of the installation's custom properties (customProperties.ts), by name; served as top-level fields. */
  customProperties?: Record<string, string>;
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

export interface Session {
  userId: string;
  csrf: string;
}

/** Who is calling: a user, with the session when it came through a cookie. */
export interface Auth {
  user: UserRecord;
  session?: Session;
  sessionId?: string;
}

export interface PortalLimits {
  /** Largest accepted organization picture; larger → 413. */
  maxImageBytes: number;
  /** Largest accepted JSON request body; larger → 413. */
  maxJsonBytes: number;
}

export interface PortalStore {
  now(): number;
  /** Called after every state change (persistence). */
  changed(): void;
  behavior(): Readonly<Behavior>;
  readonly limits: PortalLimits;
  /** The installation's custom property definitions (its app.config): configuration, not state. */
  customProperties(): Readonly<CustomPropertiesConfig>;
  setCustomProperties(config: CustomPropertiesConfig): void;
  // Versioned: listings may lag behind writes (Behavior.listingLagMs); reads by id never do.
  readonly organizations: VersionedMap<string, OrganizationRecord>;
  readonly grants: VersionedMap<string, ApiAccessRecord>;
  readonly tokens: VersionedMap<string, RegistrationTokenRecord>;
  /** Organization id → JPEG bytes. */
  readonly images: Map<string, Buffer>;
  readonly users: Map<string, UserRecord>;
  readonly apis: Map<string, VirtualizedApi>;
  /** Session id → session. Not persisted: a restart logs everybody out, as the product does. */
  readonly sessions: Map<string, Session>;
}

export function createStore(ctx: ServiceContext, limits: PortalLimits, customProperties: CustomPropertiesConfig = {}): PortalStore {
  const behavior = (): Readonly<Behavior> => ctx.behavior?.() ?? DEFAULT_BEHAVIOR;
  const lag = () => behavior().listingLagMs;
  let definitions = customProperties;
  return {
    now: () => ctx.now(),
    changed: () => ctx.changed(),
    behavior,
    limits,
    customProperties: () => definitions,
    setCustomProperties: (config) => {
      definitions = config;
    },
    organizations: new VersionedMap(ctx.now, lag),
    grants: new VersionedMap(ctx.now, lag),
    tokens: new VersionedMap(ctx.now, lag),
    images: new Map(),
    users: new Map(),
    apis: new Map(),
    sessions: new Map(),
  };
}

/** The grants of an organization, among all current ones or those of a listing. */
export function grantsOf(s: PortalStore, orgId: string, among: readonly ApiAccessRecord[] = s.grants.values()): ApiAccessRecord[] {
  return among.filter((g) => g.organizationId === orgId);
}
