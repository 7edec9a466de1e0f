// What the portal holds at start: the API administrator, one organization administered by its
// organization administrator, and the frontend APIs. Seeded ids are name-derived, so they stay
// the same across restarts.
import { organizationDn } from "./organizations";
import { DEFAULT_PORTAL_APIS, virtualizedApi, type PortalApiSeed } from "./proxies";
import { stableUuid, type OrganizationRecord, type PortalRole, type PortalStore, type UserRecord } from "./store";

export interface PortalUserSeed {
  loginName: string;
  password: string;
  name?: string;
  email?: string;
}

export interface PortalSeed {
  /** The API administrator (role `admin`). Default `apiadmin` / `changeme`. */
  admin?: PortalUserSeed;
  /** The organization administrator (role `oadmin`) of the seeded organization. Default `orgadmin` / `orgadmin-password`. */
  orgAdmin?: PortalUserSeed;
  /** Name of the organization created at start for the organization administrator. Default "Seeded Partner". */
  seededOrganization?: string;
  /** Frontend APIs answered by `GET /proxies`. Default: Petstore, Weather, Payments v2, Inventory. */
  apis?: readonly PortalApiSeed[];
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

function seededOrganization(name: string, now: number): OrganizationRecord {
  return {
    id: stableUuid("organization", name),
    name,
    description: "Organization created by the emulator at start, administered by its organization administrator",
    email: "contact@partner.example",
    image: null,
    restricted: false,
    phone: "+41 44 000 00 00",
    enabled: true,
    development: false,
    dn: organizationDn(name),
    createdOn: now,
    isTrial: false,
  };
}

function seededUser(seed: PortalUserSeed, role: PortalRole, now: number, organizationId?: string): UserRecord {
  return {
    id: stableUuid("user", seed.loginName),
    ...(organizationId !== undefined ? { organizationId } : {}),
    name: seed.name ?? seed.loginName,
    loginName: seed.loginName,
    password: seed.password,
    email: seed.email ?? `${seed.loginName}@localhost`,
    role,
    enabled: true,
    createdOn: now,
  };
}

export function seedStore(s: PortalStore, options: PortalSeed): void {
  const now = s.now();
  const org = seededOrganization(options.seededOrganization ?? DEFAULT_PORTAL_ORGANIZATION, now);
  s.organizations.seed(org.id, org);
  const admin = seededUser({ ...DEFAULT_PORTAL_ADMIN, ...options.admin }, "admin", now);
  const orgAdmin = seededUser({ ...DEFAULT_PORTAL_ORG_ADMIN, ...options.orgAdmin }, "oadmin", now, org.id);
  s.users.set(admin.id, admin);
  s.users.set(orgAdmin.id, orgAdmin);
  for (const seed of options.apis ?? DEFAULT_PORTAL_APIS) {
    const api = virtualizedApi(seed, now, admin.id);
    s.apis.set(api.id, api);
  }
}
