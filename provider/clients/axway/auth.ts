// The connection to the portal (`<url>/api/portal/v1.3`) with its credentials: every call of
// the client goes through `call`, over the shared transport (provider/http/client.ts).
//
// Auth is HTTP Basic on every call by default. With `sessionLogin` it is the portal's browser
// flow instead: `POST /login` (form) → 303 with a session cookie (`APIMANAGERSESSION` on the
// installations seen; any name is kept), `GET /currentuser` for the `CSRF-Token` header (any
// case), both sent on every later call; a 401 logs in again once.
import { HttpClient, type RequestOptions, type ServiceHttpOptions } from "../../http/client";
import type { RequestPath } from "../../http/paths";
import { SingleFlightCredentials } from "../../http/credentials";
import { ApiError } from "../../http/errors";
import type { ListingRecorder } from "../../http/listingRecord";
import { onShutdown } from "../../shutdown";
import { portalError } from "./errors";

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
  /** Where the shared listings are recorded for the drift command (listingRecord.ts); none by default. */
  listingRecord?: ListingRecorder;
  http?: ServiceHttpOptions;
}

export const PORTAL_PATH = "/api/portal/v1.3";

interface Session {
  cookie: string;
  csrf?: string;
}

export class PortalConnection {
  private readonly http: HttpClient;
  private readonly basic?: string;
  /** Session mode: one login shared by every call, kept until the portal refuses it. */
  private readonly session = new SingleFlightCredentials(() => this.login());
  private closing?: Promise<void>;
  private cancelShutdownHook?: () => void;

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
    // Computed once; the header never reaches an error (the core keeps no request headers).
    if (!opts.sessionLogin) {
      this.basic = `Basic ${Buffer.from(`${opts.username}:${opts.password}`, "utf8").toString("base64")}`;
    }
  }

  /** A portal call; a 409 comes back as AlreadyExistsError. */
  async call<T>(req: RequestOptions<T>): Promise<T> {
    try {
      return await this.authenticated(req);
    } catch (err) {
      throw portalError(err, false);
    }
  }

  /** What only API administrators may do: a 403 comes back as NeedsApiAdministratorError, which says so. */
  async adminOnly<T>(op: Promise<T>): Promise<T> {
    try {
      return await op;
    } catch (err) {
      throw portalError(err, true);
    }
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

function sessionHeaders(s: Session): Record<string, string> {
  return s.csrf === undefined ? { cookie: s.cookie } : { cookie: s.cookie, "CSRF-Token": s.csrf };
}

/** `name=value` of each Set-Cookie header, cleared cookies left out. */
function cookiePairs(header: string | string[] | undefined): string[] {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.map((l) => l.split(";")[0].trim()).filter((pair) => /^[^=]+=.+$/.test(pair));
}

/** A read-back after an empty answer found nothing: report it as the 404 it is. */
export function notFound(p: RequestPath): never {
  throw new ApiError({ service: "axway", method: "GET", path: p.display, status: 404 });
}
