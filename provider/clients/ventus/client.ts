// Ventus Cloud client: projects of an organization in a region, and prices.
// Auth is a username/password traded for an ID token and an access token at
// `GET <authUrl>/get-tokens` (a GET with a JSON body); every API call carries both as
// `Authorization: Bearer <id>` and `Access: Bearer <access>`.
import { HttpClient, path, type ServiceHttpOptions, type RequestOptions, type TlsOptions } from "../../http/client";
import { KeyedQueue, createOnce } from "../../http/createOnce";
import { SharedListings } from "../../http/sharedListings";
import type { ListingRecorder } from "../../http/listingRecord";
import { SingleFlightCredentials } from "../../http/credentials";
import { orUndefinedOn404, trueOr404 } from "../../http/errors";
import { Prices, Project, ProjectList, TokensResponse, regionFromDisplay, type ProjectListItem, type Tokens } from "./schemas";

export interface VentusClientOptions {
  authUrl: string;
  apiUrl: string;
  username: string;
  password: string;
  http?: ServiceHttpOptions;
  tls?: TlsOptions;
  /** Allow plain http:// to a host that is not loopback. */
  allowInsecureHttp?: boolean;
  /** How long before a token's `exp` it is renewed (default 60 s). */
  renewBeforeMs?: number;
  /** How long a project listing is shared between concurrent reads (default 2 s). */
  listCacheMs?: number;
  /** Where the shared listings are recorded for the drift command (listingRecord.ts); none by default. */
  listingRecord?: ListingRecorder;
  now?: () => number;
}

export class VentusClient {
  private readonly auth: HttpClient;
  private readonly api: HttpClient;
  /** Reused until shortly before they expire; concurrent callers share one fetch. */
  private readonly tokens: SingleFlightCredentials<Tokens>;
  private readonly listings: SharedListings<ProjectListItem>;
  private readonly now: () => number;
  /** Per organization: the project ids that existed before this process first created one there. */
  private readonly baselines = new Map<string, Promise<Set<string>>>();
  /** Ids of the projects this process created: never mistaken for another create's. */
  private readonly claimed = new Set<string>();
  private readonly creates = new KeyedQueue();

  constructor(private readonly opts: VentusClientOptions) {
    const transport = { tls: opts.tls, allowInsecureHttp: opts.allowInsecureHttp };
    this.auth = new HttpClient({ ...opts.http, ...transport, service: "ventus", baseUrl: opts.authUrl });
    this.api = new HttpClient({ ...opts.http, ...transport, service: "ventus", baseUrl: opts.apiUrl });
    this.now = opts.now ?? Date.now;
    this.tokens = new SingleFlightCredentials(() => this.fetchTokens(), { renewAt: (t) => this.renewAt(t), now: this.now });
    const list = (org: string) => this.freshList(org);
    const record = opts.listingRecord;
    this.listings = new SharedListings(
      record ? record.recording("projects", list, (p) => ({ id: p.id, name: p.name, region: p.region })) : list,
      opts.listCacheMs ?? 2_000,
      this.now,
    );
  }

  /** Every project of the organization, with the region display-cased (`Eastern-Switzerland`). */
  async listProjects(org: string): Promise<ProjectListItem[]> {
    // Concurrent reads of one refresh share one listing instead of one call each.
    return this.listings.get(org);
  }

  /**
   * Creates exactly one project, even when an answer is lost. Names are not unique, so after
   * an attempt whose outcome is unknown the project it made is the one with this name and
   * region that is neither in the listing taken before this process's first create in the
   * organization nor made by another create of this process; creates of the same name and
   * region run one at a time so that they cannot be mistaken for each other.
   */
  async createProject(org: string, region: string, name: string): Promise<Project> {
    return this.creates.run(JSON.stringify([org, region, name]), async () => {
      const before = await this.baseline(org);
      const project = await createOnce({
        attempt: () =>
          this.write(org, () =>
            this.call({
              method: "POST",
              path: path`/v1.0/invoke/gotham-${region}-identity/method/${org}/projects/${name}`,
              schema: Project,
            }),
          ),
        find: async () => {
          const made = (await this.freshList(org)).find(
            (p) => p.name === name && regionFromDisplay(p.region) === region && !before.has(p.id) && !this.claimed.has(p.id),
          );
          return made && { id: made.id, name: made.name };
        },
      });
      this.claimed.add(project.id);
      return project;
    });
  }

  private baseline(org: string): Promise<Set<string>> {
    let known = this.baselines.get(org);
    if (!known) {
      // A cached listing is fine: it was taken before any write of this process since.
      known = this.listProjects(org).then((list) => new Set(list.map((p) => p.id)));
      this.baselines.set(org, known);
      known.catch(() => this.baselines.delete(org));
    }
    return known;
  }

  /** The listing as the service has it now, bypassing the cache shared by reads. */
  private freshList(org: string): Promise<ProjectListItem[]> {
    return this.call({ method: "GET", path: path`/v1.0/invoke/gotham-enterprises/method/orgs/${org}/projects`, schema: ProjectList });
  }

  /** The project, or undefined when the service says 404. */
  async getProject(region: string, id: string): Promise<Project | undefined> {
    return orUndefinedOn404(
      this.call({ method: "GET", path: path`/v1.0/invoke/gotham-${region}-identity/method/projects/${id}`, schema: Project }),
    );
  }

  async renameProject(org: string, region: string, id: string, name: string): Promise<Project> {
    return this.write(org, () =>
      this.call({
        method: "PUT",
        path: path`/v1.0/invoke/gotham-${region}-identity/method/${org}/projects/${id}`,
        json: { name },
        schema: Project,
      }),
    );
  }

  /** Deletes; resolves false when the project was already gone (404). */
  async deleteProject(org: string, region: string, id: string): Promise<boolean> {
    return trueOr404(
      this.write(org, () =>
        this.call({ method: "DELETE", path: path`/v1.0/invoke/gotham-${region}-identity/method/${org}/projects/${id}` }),
      ),
    );
  }

  async getPrices(): Promise<Prices> {
    return this.call({ method: "GET", path: `/v1.0/invoke/gotham-bank/method/prices`, schema: Prices });
  }

  async close(): Promise<void> {
    await Promise.all([this.auth.close(), this.api.close()]);
  }

  /** A call that changes the organization's projects: no listing taken across it is reused. */
  private write<T>(org: string, op: () => Promise<T>): Promise<T> {
    return this.listings.write(org, op);
  }

  /** An API call with both tokens; on 401 the tokens are fetched anew once and the call repeated. */
  private async call<T>(req: RequestOptions<T>): Promise<T> {
    return this.tokens.withRenewal(async (t) => (await this.api.request({ ...req, headers: authHeaders(t) })).data);
  }

  private async fetchTokens(): Promise<Tokens> {
    const res = await this.auth.request({
      method: "GET",
      path: "/get-tokens",
      json: { username: this.opts.username, password: this.opts.password },
      schema: TokensResponse,
    });
    return res.data;
  }

  private renewAt({ id_token: id, access_token: access }: Tokens): number {
    const now = this.now();
    // Lifetime from the tokens' own exp - iat, counted from now on this machine's clock:
    // a clock that differs from the server's does not make fresh tokens look expired.
    const exp = Math.min(jwtExpiry(id), jwtExpiry(access));
    const iat = Math.max(jwtClaimMs(id, "iat"), jwtClaimMs(access, "iat"));
    const lifetime = !Number.isFinite(exp) ? 5 * 60_000 : Number.isFinite(iat) ? exp - iat : exp - now;
    // Tokens that live shorter than renewBeforeMs would never count as fresh, and every
    // caller waiting on a fetch would start another: renew at half their life at the earliest.
    const margin = Math.min(this.opts.renewBeforeMs ?? 60_000, Math.max(0, lifetime / 2));
    return now + lifetime - margin;
  }
}

function authHeaders(t: Tokens): Record<string, string> {
  return { authorization: `Bearer ${t.id_token}`, access: `Bearer ${t.access_token}` };
}

/** `exp` of a JWT in epoch milliseconds, or Infinity when the token carries none. */
export function jwtExpiry(token: string): number {
  return jwtClaimMs(token, "exp", Infinity);
}

/** A numeric date claim (seconds in the token) in epoch milliseconds, or `absent`. */
function jwtClaimMs(token: string, claim: "exp" | "iat", absent = -Infinity): number {
  const payload = token.split(".")[1];
  if (!payload) return absent;
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))[claim];
    return typeof value === "number" ? value * 1000 : absent;
  } catch {
    return absent;
  }
}
