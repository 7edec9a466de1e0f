// Axway API Manager portal client (`<url>/api/portal/v1.3`): organizations, their picture,
// their access to frontend APIs, and their registration codes. The one object callers use;
// each concern lives in its own file: auth.ts (the connection, Basic or session auth),
// organizations.ts (with filters.ts), grants.ts, codes.ts.
//
// The documents disagree with themselves about statuses and shapes (shared/API-NOTES.md), so
// any 2xx is success, a single object stands for an array of one and the other way round.
import { PortalConnection, type AxwayClientOptions } from "./auth";
import { RegistrationCodes, type TokenWrite } from "./codes";
import { Grants } from "./grants";
import type { CustomPropertyDefinitions } from "./customProperties";
import { Organizations, type CustomPropertyValues } from "./organizations";
import type { ApiAccess, FrontendApi, OrgFilter, Organization, OrganizationWrite, RegistrationToken } from "./schemas";

export { PORTAL_PATH, type AxwayClientOptions } from "./auth";

export class AxwayClient {
  private readonly portal: PortalConnection;
  private readonly organizations: Organizations;
  private readonly grants: Grants;
  private readonly codes: RegistrationCodes;

  constructor(opts: AxwayClientOptions) {
    this.portal = new PortalConnection(opts);
    const listCacheMs = opts.listCacheMs ?? 2_000;
    this.organizations = new Organizations(this.portal, listCacheMs, opts.listingRecord);
    this.grants = new Grants(this.portal, listCacheMs, opts.listingRecord);
    this.codes = new RegistrationCodes(this.portal, listCacheMs, (orgId) => this.organizations.createdHere(orgId), opts.listingRecord);
  }

  // ---- organizations and their picture (organizations.ts) --------------------------------

  /** Organizations visible to the user, filtered server-side; `logic` joins the filters (default AND). */
  listOrganizations(filters: OrgFilter[] = [], logic?: "AND" | "OR"): Promise<Organization[]> {
    return this.organizations.list(filters, logic);
  }

  /** The organization, or undefined when the portal says 404. */
  getOrganization(id: string): Promise<Organization | undefined> {
    return this.organizations.get(id);
  }

  /** The organization as a refresh reads it: from a shared listing where it agrees with `unchanged`, else by id. */
  readOrganization(id: string, unchanged?: (listed: Organization) => boolean): Promise<Organization | undefined> {
    return this.organizations.read(id, unchanged);
  }

  /** The enabled custom properties of organizations (`GET /config/customproperties`, once per client); none on 404. */
  organizationCustomProperties(): Promise<CustomPropertyDefinitions> {
    return this.organizations.customPropertyDefinitions();
  }

  /** Creates the organization once, even when an answer is lost; custom properties travel as top-level fields. */
  createOrganization(body: OrganizationWrite, customProperties?: CustomPropertyValues): Promise<Organization> {
    return this.organizations.create(body, customProperties);
  }

  /** Sets every writable field: one left out of `body` is sent as null; so are the custom properties given (null clears one). */
  updateOrganization(id: string, body: OrganizationWrite, customProperties?: CustomPropertyValues): Promise<Organization> {
    return this.organizations.update(id, body, customProperties);
  }

  /** Deletes the organization with its users, applications, API access and codes; false when already gone. */
  deleteOrganization(id: string): Promise<boolean> {
    // Its grants and codes go with it.
    return this.organizations.delete(id, (del) => this.grants.writing(id, () => this.codes.writing(id, del)));
  }

  /** The organization's JPEG, or undefined when it has none. */
  getOrganizationImage(id: string): Promise<Buffer | undefined> {
    return this.organizations.getImage(id);
  }

  /** Uploads a JPEG as the organization's picture. */
  setOrganizationImage(id: string, jpeg: Buffer): Promise<void> {
    return this.organizations.setImage(id, jpeg);
  }

  // ---- frontend APIs and API access (grants.ts) --------------------------------------------

  /** Frontend APIs (`GET /proxies`), optionally only those with exactly this name. */
  listApis(name?: string): Promise<FrontendApi[]> {
    return this.grants.listApis(name);
  }

  listApiAccess(orgId: string): Promise<ApiAccess[]> {
    return this.grants.list(orgId);
  }

  /** One grant, or undefined when it (or its organization) is gone; a listing's lag is waited out. */
  getApiAccess(orgId: string, accessId: string, unchanged?: (listed: ApiAccess) => boolean): Promise<ApiAccess | undefined> {
    return this.grants.get(orgId, accessId, unchanged);
  }

  /** Grants once, even when an answer is lost. */
  grantApiAccess(orgId: string, apiId: string, enabled?: boolean): Promise<ApiAccess> {
    return this.grants.grant(orgId, apiId, enabled);
  }

  /** Only `enabled` may change. */
  updateApiAccess(orgId: string, access: ApiAccess, enabled: boolean): Promise<ApiAccess> {
    return this.grants.update(orgId, access, enabled);
  }

  /** False when the access was already gone (404). */
  revokeApiAccess(orgId: string, accessId: string): Promise<boolean> {
    return this.grants.revoke(orgId, accessId);
  }

  // ---- registration codes (codes.ts) -------------------------------------------------------

  /** Creates one code, even when an answer is lost. */
  createToken(orgId: string, body: { userQuota?: number; expiry?: number; enabled?: boolean }): Promise<RegistrationToken> {
    return this.codes.create(orgId, body);
  }

  listTokens(orgId: string): Promise<RegistrationToken[]> {
    return this.codes.list(orgId);
  }

  /** The code as a refresh reads it: from a shared listing where it agrees with `unchanged`, else directly. */
  readToken(orgId: string, token: string, unchanged?: (listed: RegistrationToken) => boolean): Promise<RegistrationToken | undefined> {
    return this.codes.read(orgId, token, unchanged);
  }

  /** The code's details, or undefined on 404. */
  getToken(orgId: string, token: string): Promise<RegistrationToken | undefined> {
    return this.codes.get(orgId, token);
  }

  updateToken(orgId: string, token: string, body: TokenWrite): Promise<RegistrationToken> {
    return this.codes.update(orgId, token, body);
  }

  /** False when the code was already gone (404). */
  deleteToken(orgId: string, token: string): Promise<boolean> {
    return this.codes.delete(orgId, token);
  }

  // ---- connection (auth.ts) ------------------------------------------------------------------

  /** Logs out when a session exists, then closes the connection pool. Calling it again is harmless. */
  close(): Promise<void> {
    return this.portal.close();
  }
}
