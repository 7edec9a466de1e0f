// Axway API Manager portal client (`<url>/api/portal/v1.3`): organizations, their picture,
// their access to frontend APIs, and their registration codes.
//
// Auth is HTTP Basic on every call by default. With `sessionLogin` it is the portal's browser
// flow instead: `POST /login` (form) → 303 with a session cookie (`APIMANAGERSESSION` on the
// installations seen; any name is kept), `GET /currentuser` for the `CSRF-Token` header (any
// case), both sent on every later call; a 401 logs in again once.
//
// The documents disagree with themselves about statuses and shapes (shared/API-NOTES.md), so
// any 2xx is success, a single object stands for an array of one and the other way round.
// Registration codes are secrets: they go into paths only as `secret()` segments, so errors
// show `***` in their place.
import { Blob } from "node:buffer";
import { FormData, HttpClient, path, secret, type ServiceHttpOptions, type RequestOptions, type RequestPath } from "../../http/client";
import { setTimeout as sleep } from "node:timers/promises";
import { KeyedQueue, LAG_PATIENCE_MS, createOnce } from "../../http/createOnce";
import { SingleFlightCredentials } from "../../http/credentials";
import { ApiError, orUndefinedOn404, trueOr404 } from "../../http/errors";
import { SharedListings } from "../../http/sharedListings";
import { portalError } from "./errors";
import { CustomPropertiesConfig, organizationDefinitions, type CustomPropertyDefinitions } from "./customProperties";
import { onShutdown } from "../../shutdown";
import {
  ApiAccess,
  ApiAccessList,
  FILTER_FIELDS,
  FILTER_OPS,
  FrontendApiList,
  RANGE_OPS,
  ORGANIZATION_WRITABLE_FIELDS,
  Organization,
  OrganizationList,
  RegistrationToken,
  RegistrationTokenList,
  oneOrArrayOfOne,
  type FrontendApi,
  type OrgFilter,
  type OrganizationWrite,
} from "./schemas";

export interface AxwayClientOptions {
  /** The API Manager host, e.g. `https://apimgr.example:8075` (a trailing `/api/portal/v1.3` is tolerated). */
  url: string;
  username: string;
  password: string;
  /** PEM of the CA that signed the API Manager's certificate. */
  caCert?: string | Buffer;
  /** Accept any certificate. For test installations only. */
  insecureSkipVerify?: boolean;
  /** Log in once and use the session cookie and CSRF token instead of Basic auth on each call. */
  sessionLogin?: boolean;
  /** Allow plain http:// to a host that is not loopback. */
  allowInsecureHttp?: boolean;
  /** How long a listing answers the reads of a refresh (default 2 s); 0 turns sharing off. */
  listCacheMs?: number;
  http?: ServiceHttpOptions;
}

export const PORTAL_PATH = "/api/portal/v1.3";

interface Session {
  cookie: string;
  csrf?: string;
}

const OrganizationAnswer = oneOrArrayOfOne(Organization);
const ApiAccessAnswer = oneOrArrayOfOne(ApiAccess);
const TokenAnswer = oneOrArrayOfOne(RegistrationToken);
// A PUT may answer with no body. Built here once: zod compiles each schema object on first use.
const OrganizationPutAnswer = OrganizationAnswer.optional();
const ApiAccessPutAnswer = ApiAccessAnswer.optional();
const TokenPutAnswer = TokenAnswer.optional();

export class AxwayClient {
  private readonly http: HttpClient;
  private readonly basic?: string;
  /** Session mode: one login shared by every call, kept until the portal refuses it. */
  private readonly session = new SingleFlightCredentials(() => this.login());
  private closing?: Promise<void>;
  private cancelShutdownHook?: () => void;
  /** Per organization: the registration codes it had before this process first created one there. */
  private readonly tokenBaselines = new Map<string, Promise<Set<string>>>();
  /** Organizations this process created. */
  private readonly createdOrganizations = new Set<string>();
  /** Codes this process created: never mistaken for another create's. */
  private readonly claimedTokens = new Set<string>();
  private readonly tokenCreates = new KeyedQueue();
  // Listings shared by the reads of a refresh: all organizations, and each one's grants and codes.
  private readonly organizations: SharedListings<Organization>;
  private readonly grants: SharedListings<ApiAccess>;
  private readonly tokens: SharedListings<RegistrationToken>;
  /** The spelling of the range filter op this portal took last. */
  private rangeOp?: RangeOp;
  /** The installation's custom properties of organizations: configuration, read once per client. */
  private customPropertyDefinitions?: Promise<CustomPropertyDefinitions>;

  constructor(private readonly opts: AxwayClientOptions) {
    const base = opts.url.replace(/\/+$/, "");
    const tls =
      opts.caCert !== undefined || opts.insecureSkipVerify ? { ca: opts.caCert, rejectUnauthorized: !opts.insecureSkipVerify } : undefined;
    this.http = new HttpClient({
      ...opts.http,
      service: "axway",
      baseUrl: base.endsWith(PORTAL_PATH) ? base : base + PORTAL_PATH,
      tls,
      allowInsecureHttp: opts.allowInsecureHttp,
    });
    const maxAge = opts.listCacheMs ?? 2_000;
    this.organizations = new SharedListings(() => this.listOrganizations(), maxAge);
    this.grants = new SharedListings((org) => this.listApiAccess(org), maxAge);
    this.tokens = new SharedListings((org) => this.listTokens(org), maxAge);
    // Computed once; the header never reaches an error (the core keeps no request headers).
    if (!opts.sessionLogin) {
      this.basic = `Basic ${Buffer.from(`${opts.username}:${opts.password}`, "utf8").toString("base64")}`;
    }
  }

  // ---- organizations --------------------------------------------------------------------

  /**
   * Organizations visible to the user, filtered server-side; `logic` joins the filters (default AND).
   * The range op is spelled `gete` by the seed and `gele` by Axway's Swagger: either is taken,
   * and a portal that refuses one spelling (400) is asked once more with the other, which is
   * then used from the start.
   */
  async listOrganizations(filters: OrgFilter[] = [], logic?: "AND" | "OR"): Promise<Organization[]> {
    for (const f of filters) {
      if (!(FILTER_FIELDS as readonly string[]).includes(f.field)) {
        throw new TypeError(`unknown organization filter field '${f.field}': expected one of ${FILTER_FIELDS.join(", ")}`);
      }
      if (!(FILTER_OPS as readonly string[]).includes(f.op)) {
        throw new TypeError(`unknown organization filter op '${f.op}': expected one of ${FILTER_OPS.join(", ")}`);
      }
    }
    const ranged = filters.some((f) => isRangeOp(f.op));
    const list = (rangeOp?: RangeOp) => {
      const query = new URLSearchParams();
      for (const f of filters) {
        query.append("field", f.field);
        query.append("op", isRangeOp(f.op) && rangeOp ? rangeOp : f.op);
        query.append("value", f.value);
      }
      if (logic !== undefined) query.set("lop", logic);
      return this.call({ method: "GET", path: "/organizations", query, schema: OrganizationList });
    };
    if (!ranged) return list();
    const first = this.rangeOp ?? (filters.find((f) => isRangeOp(f.op))!.op as RangeOp);
    try {
      const result = await list(first);
      this.rangeOp = first;
      return result;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      const other: RangeOp = first === "gete" ? "gele" : "gete";
      const result = await list(other);
      this.rangeOp = other;
      return result;
    }
  }

  /** The enabled custom properties of organizations (`GET /config/customproperties`, once); none on 404. */
  organizationCustomProperties(): Promise<CustomPropertyDefinitions> {
    if (!this.customPropertyDefinitions) {
      const config = orUndefinedOn404(this.call({ method: "GET", path: "/config/customproperties", schema: CustomPropertiesConfig }));
      this.customPropertyDefinitions = config.then(organizationDefinitions);
      this.customPropertyDefinitions.catch(() => (this.customPropertyDefinitions = undefined)); // a failure is not kept
    }
    return this.customPropertyDefinitions;
  }

  /** The organization, or undefined when the portal says 404. */
  async getOrganization(id: string): Promise<Organization | undefined> {
    return orUndefinedOn404(this.call({ method: "GET", path: path`/organizations/${id}`, schema: OrganizationAnswer }));
  }

  /**
   * The organization as a refresh reads it: from the listing that concurrent reads share (one
   * call for all of them). A listing may lag behind writes, so it is believed only where it
   * agrees with what the caller last saw (`unchanged`); an organization missing from it, or
   * changed in it, is read by id: drift is reported from fresh data only.
   */
  async readOrganization(id: string, unchanged: (listed: Organization) => boolean = () => true): Promise<Organization | undefined> {
    const listed = (await this.organizations.get("")).find((o) => o.id === id);
    return listed && unchanged(listed) ? listed : this.getOrganization(id);
  }

  /**
   * Creates the organization once, even when an answer is lost: names are unique, so after
   * an attempt whose outcome is unknown the organization of that name is the one it made.
   */
  async createOrganization(body: OrganizationWrite, customProperties: CustomPropertyValues = {}): Promise<Organization> {
    const org = await this.adminOnly(
      createOnce({
        attempt: () =>
          this.organizations.write("", () =>
            this.call({
              method: "POST",
              path: "/organizations",
              json: { ...writable(body), ...customProperties },
              schema: OrganizationAnswer,
            }),
          ),
        find: async () => (await this.listOrganizations([{ field: "name", op: "eq", value: body.name }])).find((o) => o.name === body.name),
      }),
    );
    this.createdOrganizations.add(org.id);
    return org;
  }

  /**
   * Sets every writable field: one left out of `body` is sent as null. Neither document says
   * whether the portal's PUT replaces the object or merges into it; sent whole, with nulls
   * for what is unset, the result is the same either way. Custom properties travel as top-level
   * fields (null clears one).
   */
  async updateOrganization(id: string, body: OrganizationWrite, customProperties: CustomPropertyValues = {}): Promise<Organization> {
    const whole = Object.fromEntries(ORGANIZATION_WRITABLE_FIELDS.map((k) => [k, body[k] ?? null]));
    const updated = await this.adminOnly(
      this.organizations.write("", () =>
        this.call({
          method: "PUT",
          path: path`/organizations/${id}`,
          json: { id, ...whole, ...customProperties },
          schema: OrganizationPutAnswer,
        }),
      ),
    );
    return updated ?? this.mustGet(id);
  }

  /** Deletes the organization with its users, applications, API access and codes; false when already gone. */
  async deleteOrganization(id: string): Promise<boolean> {
    // Its grants and codes go with it.
    const del = () => this.organizations.write("", () => this.call({ method: "DELETE", path: path`/organizations/${id}` }));
    return this.adminOnly(trueOr404(this.grants.write(id, () => this.tokens.write(id, del))));
  }

  // ---- picture --------------------------------------------------------------------------

  /** The organization's JPEG, or undefined when it has none (404, or an empty answer). */
  async getOrganizationImage(id: string): Promise<Buffer | undefined> {
    const data = await orUndefinedOn404(
      this.call<Buffer>({
        method: "GET",
        path: path`/organizations/${id}/image`,
        headers: { accept: "image/jpeg, image/*;q=0.9, */*;q=0.1" },
        binary: true,
      }),
    );
    return data && data.length > 0 ? data : undefined;
  }

  /** Uploads a JPEG as the multipart field `file`. */
  async setOrganizationImage(id: string, jpeg: Buffer): Promise<void> {
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "image.jpg");
    await this.organizations.write("", () => this.call({ method: "POST", path: path`/organizations/${id}/image`, body: form }));
  }

  // ---- frontend APIs and API access -----------------------------------------------------

  /** Frontend APIs (`GET /proxies`), optionally only those with exactly this name. */
  async listApis(name?: string): Promise<FrontendApi[]> {
    const query = name === undefined ? undefined : { field: "name", op: "eq", value: name };
    const apis = await this.call({ method: "GET", path: "/proxies", query, schema: FrontendApiList });
    // A server that ignores the filter must not make another API look like the one asked for.
    return name === undefined ? apis : apis.filter((a) => a.name === name);
  }

  async listApiAccess(orgId: string): Promise<ApiAccess[]> {
    return this.call({ method: "GET", path: path`/organizations/${orgId}/apis`, schema: ApiAccessList });
  }

  /**
   * One grant, or undefined when it is gone (or its organization is). The portal has no GET
   * for one grant, and its listing may lag behind writes: a grant missing from the listing,
   * or changed in it (`unchanged` says what the caller last saw), is looked for again, as
   * createOnce does, before that is believed.
   */
  async getApiAccess(
    orgId: string,
    accessId: string,
    unchanged: (listed: ApiAccess) => boolean = () => true,
  ): Promise<ApiAccess | undefined> {
    let found: ApiAccess | undefined;
    for (const delay of [0, ...LAG_PATIENCE_MS]) {
      if (delay > 0) await sleep(delay);
      // First from the listing concurrent reads share, then afresh.
      const list = await orUndefinedOn404(delay === 0 ? this.grants.get(orgId) : this.listApiAccess(orgId));
      if (list === undefined) return undefined; // the organization itself is gone
      found = list.find((a) => a.id === accessId);
      // Changed, like missing, may be the lag: looked at again before it is believed.
      if (found && unchanged(found)) return found;
    }
    return found;
  }

  /** Grants once, even when an answer is lost: an organization has one grant per API. */
  async grantApiAccess(orgId: string, apiId: string, enabled?: boolean): Promise<ApiAccess> {
    return this.adminOnly(
      createOnce({
        attempt: () =>
          this.grants.write(orgId, () =>
            this.call({
              method: "POST",
              path: path`/organizations/${orgId}/apis`,
              json: enabled === undefined ? { apiId } : { apiId, enabled },
              schema: ApiAccessAnswer,
            }),
          ),
        find: async () => (await this.listApiAccess(orgId)).find((a) => a.apiId === apiId),
      }),
    );
  }

  /** Only `enabled` may change: the whole object is sent back with it changed. */
  async updateApiAccess(orgId: string, access: ApiAccess, enabled: boolean): Promise<ApiAccess> {
    const updated = await this.adminOnly(
      this.grants.write(orgId, () =>
        this.call({
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
  async revokeApiAccess(orgId: string, accessId: string): Promise<boolean> {
    return this.adminOnly(
      trueOr404(this.grants.write(orgId, () => this.call({ method: "DELETE", path: path`/organizations/${orgId}/apis/${accessId}` }))),
    );
  }

  // ---- registration codes -----------------------------------------------------------------

  /**
   * Creates one code, even when an answer is lost: after an attempt whose outcome is unknown,
   * the code it made is the one new code of the organization (not there before this process
   * first created one, not made by another create of this process). Creates in one
   * organization run one at a time so that "the one new code" is well defined.
   */
  async createToken(orgId: string, body: { userQuota?: number; expiry?: number; enabled?: boolean }): Promise<RegistrationToken> {
    return this.tokenCreates.run(orgId, async () => {
      const before = await this.tokenBaseline(orgId);
      const code = await createOnce({
        attempt: () =>
          this.tokens.write(orgId, () =>
            this.call({ method: "POST", path: path`/organizations/${orgId}/tokens`, json: tokenBody(body), schema: TokenAnswer }),
          ),
        find: async () => {
          const made = (await this.listTokens(orgId)).filter((t) => !before.has(t.token) && !this.claimedTokens.has(t.token));
          return made.length === 1 ? made[0] : undefined;
        },
      });
      this.claimedTokens.add(code.token);
      return code;
    });
  }

  private tokenBaseline(orgId: string): Promise<Set<string>> {
    let known = this.tokenBaselines.get(orgId);
    if (!known) {
      // An organization this process created had no codes before: no call needed to know it.
      known = this.createdOrganizations.has(orgId)
        ? Promise.resolve(new Set<string>())
        : this.listTokens(orgId).then((list) => new Set(list.map((t) => t.token)));
      this.tokenBaselines.set(orgId, known);
      known.catch(() => this.tokenBaselines.delete(orgId));
    }
    return known;
  }

  async listTokens(orgId: string): Promise<RegistrationToken[]> {
    return this.call({ method: "GET", path: path`/organizations/${orgId}/tokens`, schema: RegistrationTokenList });
  }

  /**
   * The code as a refresh reads it: from the organization's listing of codes that concurrent
   * reads share, believed where it agrees with what the caller last saw (`unchanged`); one
   * missing from it or changed in it is read directly.
   */
  async readToken(
    orgId: string,
    token: string,
    unchanged: (listed: RegistrationToken) => boolean = () => true,
  ): Promise<RegistrationToken | undefined> {
    const list = await orUndefinedOn404(this.tokens.get(orgId));
    if (list === undefined) return undefined; // the organization is gone, and its codes with it
    const listed = list.find((t) => t.token === token);
    return listed && unchanged(listed) ? listed : this.getToken(orgId, token);
  }

  /** The code's details (documented as an array of one; an object is accepted too), or undefined on 404. */
  async getToken(orgId: string, token: string): Promise<RegistrationToken | undefined> {
    const list = await orUndefinedOn404(
      this.call({ method: "GET", path: path`/organizations/${orgId}/tokens/${secret(token)}`, schema: RegistrationTokenList }),
    );
    return list?.find((t) => t.token === token) ?? (list?.length === 1 ? list[0] : undefined);
  }

  async updateToken(
    orgId: string,
    token: string,
    body: { userQuota?: number; expiry?: number | null; enabled?: boolean },
  ): Promise<RegistrationToken> {
    const updated = await this.tokens.write(orgId, () =>
      this.call({
        method: "PUT",
        path: path`/organizations/${orgId}/tokens/${secret(token)}`,
        json: tokenBody(body),
        schema: TokenPutAnswer,
      }),
    );
    // An empty 2xx: read the code back.
    return updated ?? (await this.getToken(orgId, token)) ?? notFound(path`/organizations/${orgId}/tokens/${secret(token)}`);
  }

  /** False when the code was already gone (404). */
  async deleteToken(orgId: string, token: string): Promise<boolean> {
    return trueOr404(
      this.tokens.write(orgId, () => this.call({ method: "DELETE", path: path`/organizations/${orgId}/tokens/${secret(token)}` })),
    );
  }

  /** Logs out when a session exists, then closes the connection pool. Calling it again is harmless. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.cancelShutdownHook?.();
    const session = await this.session.take();
    if (session) {
      await this.http.request({ method: "DELETE", path: "/login", headers: sessionHeaders(session) }).catch(() => undefined);
    }
    await this.http.close();
  }

  // ---- plumbing ---------------------------------------------------------------------------

  private async mustGet(id: string): Promise<Organization> {
    return (await this.getOrganization(id)) ?? notFound(path`/organizations/${id}`);
  }

  /** A portal call; a 409 comes back as AlreadyExistsError. */
  private async call<T>(req: RequestOptions<T>): Promise<T> {
    try {
      return await this.authenticated(req);
    } catch (err) {
      throw portalError(err, false);
    }
  }

  /** What only API administrators may do: a 403 comes back as NeedsApiAdministratorError, which says so. */
  private async adminOnly<T>(op: Promise<T>): Promise<T> {
    try {
      return await op;
    } catch (err) {
      throw portalError(err, true);
    }
  }

  /** A portal call with the credentials of the mode; in session mode a 401 logs in again once. */
  private async authenticated<T>(req: RequestOptions<T>): Promise<T> {
    if (this.basic) {
      return (await this.http.request({ ...req, headers: { ...req.headers, authorization: this.basic } })).data;
    }
    return this.session.withRenewal(
      async (s) => (await this.http.request({ ...req, headers: { ...req.headers, ...sessionHeaders(s) } })).data,
    );
  }

  private async login(): Promise<Session> {
    // Sessions left open pile up on the portal, and nobody tells a provider process it is done:
    // log out when the process is asked to stop or runs out of work.
    this.cancelShutdownHook ??= onShutdown(() => this.close());
    const form = new URLSearchParams({ username: this.opts.username, password: this.opts.password });
    const res = await this.http.request({
      method: "POST",
      path: "/login",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      // 303 to the portal's home page is success; the redirect is not followed.
      ok: (s) => s === 303 || (s >= 200 && s < 300),
    });
    // Whatever cookies the login sets make the session (the documents name none; Axway's
    // APIM-CLI keeps them all): one at least, or there is no session to speak of.
    const cookies = cookiePairs(res.headers["set-cookie"]);
    if (cookies.length === 0) {
      throw new ApiError({
        service: "axway",
        method: "POST",
        path: "/login",
        status: res.status,
        serverMessage: "login answered without a session cookie (check axway:username and axway:password)",
      });
    }
    const cookie = cookies.join("; ");
    const me = await this.http.request({ method: "GET", path: "/currentuser", headers: { cookie } });
    const csrf = me.headers["csrf-token"];
    return { cookie, csrf: Array.isArray(csrf) ? csrf[0] : csrf };
  }
}

type RangeOp = (typeof RANGE_OPS)[number];
/** Custom property values by name, sent as top-level fields of the Organization; null clears one. */
type CustomPropertyValues = Record<string, string | null>;
const isRangeOp = (op: string): op is RangeOp => (RANGE_OPS as readonly string[]).includes(op);

function sessionHeaders(s: Session): Record<string, string> {
  return s.csrf === undefined ? { cookie: s.cookie } : { cookie: s.cookie, "CSRF-Token": s.csrf };
}

/** `name=value` of each Set-Cookie header, cleared cookies left out. */
function cookiePairs(header: string | string[] | undefined): string[] {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((l) => l.split(";")[0].trim()).filter((pair) => /^[^=]+=.+$/.test(pair));
}

/** Only the writable fields: a whole `Organization` passed in must not send `image`, `dn` or `createdOn`. */
function writable(body: OrganizationWrite): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ORGANIZATION_WRITABLE_FIELDS) if (body[k] !== undefined) out[k] = body[k];
  return out;
}

function tokenBody(body: { userQuota?: number; expiry?: number | null; enabled?: boolean }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.userQuota !== undefined) out.userQuota = Number(body.userQuota);
  if (body.expiry !== undefined) out.expiry = body.expiry;
  if (body.enabled !== undefined) out.enabled = body.enabled;
  return out;
}

/** A read-back after an empty answer found nothing: report it as the 404 it is. */
function notFound(p: RequestPath): never {
  throw new ApiError({ service: "axway", method: "GET", path: p.display, status: 404 });
}
