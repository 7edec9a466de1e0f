// An organization's registration codes. Codes are secrets: they go into paths only as
// `secret()` segments, so errors show `***` in their place. The portal does not say which code
// a create made when its answer is lost, so this process keeps track of the codes it saw
// before creating and of those it created.
import { path, secret } from "../../http/paths";
import { KeyedQueue, createOnce } from "../../http/createOnce";
import { orUndefinedOn404, trueOr404 } from "../../http/errors";
import { SharedListings } from "../../http/sharedListings";
import type { ListingRecorder } from "../../http/listingRecord";
import { registrationCodeId } from "./codeId";
import { notFound, type PortalConnection } from "./auth";
import { RegistrationToken, RegistrationTokenList, oneOrArrayOfOne } from "./schemas";

const TokenAnswer = oneOrArrayOfOne(RegistrationToken);
// A PUT may answer with no body. Built here once: zod compiles each schema object on first use.
const TokenPutAnswer = TokenAnswer.optional();

export interface TokenWrite {
  userQuota?: number;
  expiry?: number | null;
  enabled?: boolean;
}

export class RegistrationCodes {
  /** Each organization's codes, one listing shared by the reads of a refresh. */
  private readonly listing: SharedListings<RegistrationToken>;
  /** Per organization: the registration codes it had before this process first created one there. */
  private readonly baselines = new Map<string, Promise<Set<string>>>();
  /** Codes this process created: never mistaken for another create's. */
  private readonly claimed = new Set<string>();
  private readonly creates = new KeyedQueue();

  constructor(
    private readonly portal: PortalConnection,
    listCacheMs: number,
    /** Whether this process created the organization: it then had no codes before. */
    private readonly createdHere: (orgId: string) => boolean,
    record?: ListingRecorder,
  ) {
    const list = (org: string) => this.list(org);
    // Recorded for drift as resource ids only: the codes themselves never leave this process.
    this.listing = new SharedListings(
      record ? record.recording("codes", list, (t) => ({ id: registrationCodeId(t.token) })) : list,
      listCacheMs,
    );
  }

  /** Runs a write that changes the organization's codes (deleting it does): no listing taken before is reused. */
  writing<R>(orgId: string, op: () => Promise<R>): Promise<R> {
    return this.listing.write(orgId, op);
  }

  /**
   * Creates one code, even when an answer is lost: after an attempt whose outcome is unknown,
   * the code it made is the one new code of the organization (not there before this process
   * first created one, not made by another create of this process). Creates in one
   * organization run one at a time so that "the one new code" is well defined.
   */
  async create(orgId: string, body: { userQuota?: number; expiry?: number; enabled?: boolean }): Promise<RegistrationToken> {
    return this.creates.run(orgId, async () => {
      const before = await this.baseline(orgId);
      const code = await createOnce({
        attempt: () =>
          this.listing.write(orgId, () =>
            this.portal.call({ method: "POST", path: path`/organizations/${orgId}/tokens`, json: tokenBody(body), schema: TokenAnswer }),
          ),
        find: async () => {
          const made = (await this.list(orgId)).filter((t) => !before.has(t.token) && !this.claimed.has(t.token));
          return made.length === 1 ? made[0] : undefined;
        },
      });
      this.claimed.add(code.token);
      return code;
    });
  }

  private baseline(orgId: string): Promise<Set<string>> {
    let known = this.baselines.get(orgId);
    if (!known) {
      // An organization this process created had no codes before: no call needed to know it.
      known = this.createdHere(orgId)
        ? Promise.resolve(new Set<string>())
        : this.list(orgId).then((list) => new Set(list.map((t) => t.token)));
      this.baselines.set(orgId, known);
      known.catch(() => this.baselines.delete(orgId));
    }
    return known;
  }

  async list(orgId: string): Promise<RegistrationToken[]> {
    return this.portal.call({ method: "GET", path: path`/organizations/${orgId}/tokens`, schema: RegistrationTokenList });
  }

  /**
   * The code as a refresh reads it: from the organization's listing of codes that concurrent
   * reads share, believed where it agrees with what the caller last saw (`unchanged`); one
   * missing from it or changed in it is read directly.
   */
  async read(
    orgId: string,
    token: string,
    unchanged: (listed: RegistrationToken) => boolean = () => true,
  ): Promise<RegistrationToken | undefined> {
    const list = await orUndefinedOn404(this.listing.get(orgId));
    if (list === undefined) return undefined; // the organization is gone, and its codes with it
    const listed = list.find((t) => t.token === token);
    return listed && unchanged(listed) ? listed : this.get(orgId, token);
  }

  /** The code's details (documented as an array of one; an object is accepted too), or undefined on 404. */
  async get(orgId: string, token: string): Promise<RegistrationToken | undefined> {
    const list = await orUndefinedOn404(
      this.portal.call({ method: "GET", path: path`/organizations/${orgId}/tokens/${secret(token)}`, schema: RegistrationTokenList }),
    );
    return list?.find((t) => t.token === token) ?? (list?.length === 1 ? list[0] : undefined);
  }

  async update(orgId: string, token: string, body: TokenWrite): Promise<RegistrationToken> {
    const updated = await this.listing.write(orgId, () =>
      this.portal.call({
        method: "PUT",
        path: path`/organizations/${orgId}/tokens/${secret(token)}`,
        json: tokenBody(body),
        schema: TokenPutAnswer,
      }),
    );
    // An empty 2xx: read the code back.
    return updated ?? (await this.get(orgId, token)) ?? notFound(path`/organizations/${orgId}/tokens/${secret(token)}`);
  }

  /** False when the code was already gone (404). */
  async delete(orgId: string, token: string): Promise<boolean> {
    return trueOr404(
      this.listing.write(orgId, () => this.portal.call({ method: "DELETE", path: path`/organizations/${orgId}/tokens/${secret(token)}` })),
    );
  }
}

function tokenBody(body: TokenWrite): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.userQuota !== undefined) out.userQuota = Number(body.userQuota);
  if (body.expiry !== undefined) out.expiry = body.expiry;
  if (body.enabled !== undefined) out.enabled = body.enabled;
  return out;
}
