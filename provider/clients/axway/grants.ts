// Frontend APIs and the organizations' access to them (grants): an organization has one grant
// per API, the portal has no GET for one grant, and its listing of them may lag behind writes.
import { setTimeout as sleep } from "node:timers/promises";
import { path } from "../../http/paths";
import { LAG_PATIENCE_MS, createOnce } from "../../http/createOnce";
import { orUndefinedOn404, trueOr404 } from "../../http/errors";
import { SharedListings } from "../../http/sharedListings";
import type { ListingRecorder } from "../../http/listingRecord";
import type { PortalConnection } from "./auth";
import { ApiAccess, ApiAccessList, FrontendApiList, oneOrArrayOfOne, type FrontendApi } from "./schemas";

const ApiAccessAnswer = oneOrArrayOfOne(ApiAccess);
// A PUT may answer with no body. Built here once: zod compiles each schema object on first use.
const ApiAccessPutAnswer = ApiAccessAnswer.optional();

export class Grants {
  /** Each organization's grants, one listing shared by the reads of a refresh. */
  private readonly listing: SharedListings<ApiAccess>;

  constructor(
    private readonly portal: PortalConnection,
    listCacheMs: number,
    record?: ListingRecorder,
  ) {
    const list = (org: string) => this.list(org);
    this.listing = new SharedListings(record ? record.recording("grants", list, (g) => ({ id: g.id, apiId: g.apiId })) : list, listCacheMs);
  }

  /** Runs a write that changes the organization's grants (deleting it does): no listing taken before is reused. */
  writing<R>(orgId: string, op: () => Promise<R>): Promise<R> {
    return this.listing.write(orgId, op);
  }

  /** Frontend APIs (`GET /proxies`), optionally only those with exactly this name. */
  async listApis(name?: string): Promise<FrontendApi[]> {
    const query = name === undefined ? undefined : { field: "name", op: "eq", value: name };
    const apis = await this.portal.call({ method: "GET", path: "/proxies", query, schema: FrontendApiList });
    // A server that ignores the filter must not make another API look like the one asked for.
    return name === undefined ? apis : apis.filter((a) => a.name === name);
  }

  async list(orgId: string): Promise<ApiAccess[]> {
    return this.portal.call({ method: "GET", path: path`/organizations/${orgId}/apis`, schema: ApiAccessList });
  }

  /**
   * One grant, or undefined when it is gone (or its organization is). The portal has no GET
   * for one grant, and its listing may lag behind writes: a grant missing from the listing,
   * or changed in it (`unchanged` says what the caller last saw), is looked for again, as
   * createOnce does, before that is believed.
   */
  async get(orgId: string, accessId: string, unchanged: (listed: ApiAccess) => boolean = () => true): Promise<ApiAccess | undefined> {
    let found: ApiAccess | undefined;
    for (const delay of [0, ...LAG_PATIENCE_MS]) {
      if (delay > 0) await sleep(delay);
      // First from the listing concurrent reads share, then afresh.
      const list = await orUndefinedOn404(delay === 0 ? this.listing.get(orgId) : this.list(orgId));
      if (list === undefined) return undefined; // the organization itself is gone
      found = list.find((a) => a.id === accessId);
      // Changed, like missing, may be the lag: looked at again before it is believed.
      if (found && unchanged(found)) return found;
    }
    return found;
  }

  /** Grants once, even when an answer is lost: an organization has one grant per API. */
  async grant(orgId: string, apiId: string, enabled?: boolean): Promise<ApiAccess> {
    return this.portal.adminOnly(
      createOnce({
        attempt: () =>
          this.listing.write(orgId, () =>
            this.portal.call({
              method: "POST",
              path: path`/organizations/${orgId}/apis`,
              json: enabled === undefined ? { apiId } : { apiId, enabled },
              schema: ApiAccessAnswer,
            }),
          ),
        find: async () => (await this.list(orgId)).find((a) => a.apiId === apiId),
      }),
    );
  }

  /** Only `enabled` may change: the whole object is sent back with it changed. */
  async update(orgId: string, access: ApiAccess, enabled: boolean): Promise<ApiAccess> {
    const updated = await this.portal.adminOnly(
      this.listing.write(orgId, () =>
        this.portal.call({
          method: "PUT",
          path: path`/organizations/${orgId}/apis/${access.id}`,
          json: { ...access, enabled },
          schema: ApiAccessPutAnswer,
        }),
      ),
    );
    return updated ?? { ...access, enabled };
  }

  /** False when the access was already gone (404). */
  async revoke(orgId: string, accessId: string): Promise<boolean> {
    return this.portal.adminOnly(
      trueOr404(
        this.listing.write(orgId, () => this.portal.call({ method: "DELETE", path: path`/organizations/${orgId}/apis/${accessId}` })),
      ),
    );
  }
}
