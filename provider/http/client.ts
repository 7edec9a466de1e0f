// The one HTTP core under both service clients: a keep-alive undici Agent, per-attempt
// timeouts, retries of transient failures (see retryDecision: every method where the server
// cannot have acted, idempotent ones on any 429/5xx or dropped connection; Retry-After
// honoured, bounded), JSON in and out, zod validation of what servers answer, and ApiError
// for everything that goes wrong.
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, FormData, type Dispatcher } from "undici";
import { isLoopbackHost } from "./loopback";
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { ApiError, InsecureTransportError, ResponseShapeError, type ServiceName } from "./errors";
import type { RequestPath } from "./paths";

export { path, secret, type RequestPath, type SecretSegment } from "./paths";

export interface RetryPolicy {
  /** Retries after the first attempt (default 6: about 16 s of backoff at most). 0 turns retrying off. */
  maxRetries?: number;
  /** First backoff delay; doubles each retry (default 250 ms). */
  minDelayMs?: number;
  /** Cap for one backoff delay, and for a server's Retry-After (default 8 s). */
  maxDelayMs?: number;
}

export interface HttpClientOptions {
  service: ServiceName;
  baseUrl: string;
  /** Per attempt: time to the response headers, and between body chunks (default 30 s). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  retry?: RetryPolicy;
  tls?: TlsOptions;
  /** Allow plain `http://` to a host that is not loopback (credentials would travel in clear). */
  allowInsecureHttp?: boolean;
  /**
   * Connections to the server at most (default 50, as the AWS SDK's). The engine runs
   * `--parallel` operations at once (4 per core by default, more when users raise it); a
   * smaller pool would queue them. Connections open only as concurrent calls need them.
   */
  connections?: number;
  /** Told before each retry, e.g. to show the user why a call is slow. */
  onRetry?: (e: RetryEvent) => void;
  /** Told once when a call (retries included) is still running after `slowCallMs`. */
  onSlowCall?: (e: SlowCallEvent) => void;
  /** Default 5 s: past the first few backoffs, before a user wonders whether anything is happening. */
  slowCallMs?: number;
  userAgent?: string;
}

/** What a service client passes on to its HTTP core. */
export type ServiceHttpOptions = Pick<
  HttpClientOptions,
  "timeoutMs" | "connectTimeoutMs" | "retry" | "userAgent" | "connections" | "onRetry" | "onSlowCall" | "slowCallMs"
>;

/** TLS settings shared by both services' clients. */
export interface TlsOptions {
  /** PEM of the CA(s) that signed the server's certificate, added to Node's own. */
  ca?: string | Buffer;
  /** false accepts any certificate: for test installations only. */
  rejectUnauthorized?: boolean;
}

export interface RequestOptions<T> {
  method: Dispatcher.HttpMethod;
  path: RequestPath | string;
  query?: URLSearchParams | Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** JSON body; sent whatever the method (Ventus' token endpoint is a GET with a body). */
  json?: unknown;
  /** Raw body: a url-encoded string, bytes, or multipart FormData. */
  body?: string | Buffer | FormData;
  /** Validates a 2xx JSON body. Without it the body is returned parsed but unchecked. */
  schema?: z.ZodType<T>;
  /** Statuses that count as success (default: any 2xx). */
  ok?: (status: number) => boolean;
  /** Return the body bytes as data instead of parsing JSON. */
  binary?: boolean;
}

export interface HttpResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  data: T;
  raw: Buffer;
}

/**
 * Whether another attempt may be made, and whether a failed request may have been applied.
 * Idempotent methods are retried on any transient failure. POST is not idempotent: it is
 * retried only where the server cannot have acted on it (429, 503, a connection that was
 * never made); where it may have (a reset or timeout after sending, 500/502/504) the
 * outcome is unknown and the caller must look the object up before trying again.
 */
export function retryDecision(method: string, failure: { status?: number; code?: string }): { retry: boolean; outcomeUnknown: boolean } {
  const idempotent = IDEMPOTENT.includes(method);
  if (failure.status !== undefined) {
    if (idempotent) return { retry: RETRY_STATUSES.includes(failure.status), outcomeUnknown: false };
    if (NOT_APPLIED_STATUSES.includes(failure.status)) return { retry: true, outcomeUnknown: false };
    return { retry: false, outcomeUnknown: UNKNOWN_OUTCOME_STATUSES.includes(failure.status) };
  }
  const code = failure.code ?? "";
  if (NOT_SENT_CODES.includes(code)) return { retry: true, outcomeUnknown: false };
  // A timeout ends the call at once: the server may still be working on it.
  if (TIMEOUT_CODES.includes(code)) return { retry: false, outcomeUnknown: !idempotent };
  if (idempotent) return { retry: DROPPED_CODES.includes(code), outcomeUnknown: false };
  return { retry: false, outcomeUnknown: true };
}

export const DEFAULT_CONNECTIONS = 50;
const IDEMPOTENT = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
/** Answers that say the server did not act on the request. */
const NOT_APPLIED_STATUSES = [429, 503];
const UNKNOWN_OUTCOME_STATUSES = [500, 502, 504];
/** The connection was never made: nothing was sent. */
const NOT_SENT_CODES = ["ECONNREFUSED", "ENOTFOUND", "ENETDOWN", "ENETUNREACH", "EHOSTDOWN", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"];
/** The connection dropped, possibly after the request was sent. */
const DROPPED_CODES = ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED"];
const TIMEOUT_CODES = ["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"];

/** The call a retry or slow-call event is about. */
export interface CallEvent {
  service: ServiceName;
  method: string;
  /** From the host on (the base URL's path included), secret segments masked, no query. */
  path: string;
  /** The attempt that failed (retry), or is under way (slow call). */
  attempt: number;
}

/** What a caller may want to tell its user about a retry (the provider logs it). */
export interface RetryEvent extends CallEvent {
  maxAttempts: number;
  delayMs: number;
  reason: string;
}

/** A call still running after `slowCallMs`. */
export interface SlowCallEvent extends CallEvent {
  elapsedMs: number;
}

// Retries are decided here rather than by undici's RetryAgent: the decision depends on
// whether the method is idempotent, and callers need the attempt count and whether a
// POST's outcome is unknown, which RetryAgent does not report.
export class HttpClient {
  readonly service: ServiceName;
  readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly maxRetries: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly userAgent: string;
  private readonly onRetry?: (e: RetryEvent) => void;
  private readonly onSlowCall?: (e: SlowCallEvent) => void;
  private readonly slowCallMs: number;

  constructor(opts: HttpClientOptions) {
    this.service = opts.service;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    // Before any connection is made: Basic credentials, the Ventus password and bearer
    // tokens must not cross a network in clear unless the user said so.
    assertSafeTransport(opts.service, this.baseUrl, opts.allowInsecureHttp ?? false);
    const timeout = opts.timeoutMs ?? 30_000;
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connections: opts.connections ?? DEFAULT_CONNECTIONS,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connect: {
        timeout: opts.connectTimeoutMs ?? 10_000,
        ca: opts.tls?.ca,
        rejectUnauthorized: opts.tls?.rejectUnauthorized ?? true,
      },
    });
    this.maxRetries = opts.retry?.maxRetries ?? 6;
    this.minDelayMs = opts.retry?.minDelayMs ?? 250;
    this.maxDelayMs = opts.retry?.maxDelayMs ?? 8_000;
    this.userAgent = opts.userAgent ?? "pulumi-ventus-axway";
    this.onRetry = opts.onRetry;
    this.onSlowCall = opts.onSlowCall;
    this.slowCallMs = opts.slowCallMs ?? 5_000;
  }

  async request<T = unknown>(opts: RequestOptions<T>): Promise<HttpResponse<T>> {
    const p = typeof opts.path === "string" ? { path: opts.path, display: opts.path } : opts.path;
    const call: CallEvent = {
      service: this.service,
      method: opts.method,
      path: new URL(this.baseUrl).pathname.replace(/\/+$/, "") + p.display,
      attempt: 1,
    };
    const onSlowCall = this.onSlowCall;
    const slow = onSlowCall && setTimeout(() => onSlowCall({ ...call, elapsedMs: this.slowCallMs }), this.slowCallMs);
    slow?.unref(); // a notice never keeps the process alive
    try {
      return await this.attempts(opts, p, call);
    } finally {
      clearTimeout(slow);
    }
  }

  private async attempts<T>(opts: RequestOptions<T>, p: RequestPath, call: CallEvent): Promise<HttpResponse<T>> {
    // Not `new URL(base + path)`: WHATWG URL parsing resolves dot-segments, even encoded
    // ones (`%2E%2E`), so the path is sent exactly as built.
    const base = new URL(this.baseUrl);
    let target = base.pathname.replace(/\/+$/, "") + sendable(p.path);
    const query = (opts.query instanceof URLSearchParams ? opts.query : toSearchParams(opts.query)).toString();
    if (query) target += (target.includes("?") ? "&" : "?") + query;

    const headers: Record<string, string> = { "user-agent": this.userAgent, accept: "application/json", ...opts.headers };
    let body: string | Buffer | FormData | undefined = opts.body;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] = "application/json";
    }
    const ok = opts.ok ?? ((s: number) => s >= 200 && s < 300);

    for (let attempt = 1; ; attempt++) {
      call.attempt = attempt;
      let res: Dispatcher.ResponseData;
      let raw: Buffer;
      try {
        res = await this.agent.request({ origin: base.origin, path: target, method: opts.method, headers, body });
        raw = Buffer.from(await res.body.arrayBuffer());
      } catch (err) {
        const e = err as { code?: string; message?: string };
        const decision = retryDecision(opts.method, { code: e.code });
        if (decision.retry && attempt <= this.maxRetries) {
          await this.pause(call, e.code ?? "connection failed", undefined);
          continue;
        }
        throw new ApiError(
          {
            service: this.service,
            method: opts.method,
            path: p.display,
            code: e.code,
            serverMessage: e.message,
            attempts: attempt,
            outcomeUnknown: decision.outcomeUnknown,
          },
          { cause: err },
        );
      }

      if (!ok(res.statusCode)) {
        const decision = retryDecision(opts.method, { status: res.statusCode });
        if (decision.retry && attempt <= this.maxRetries) {
          await this.pause(call, `HTTP ${res.statusCode}`, res.headers["retry-after"]);
          continue;
        }
        throw new ApiError({
          service: this.service,
          method: opts.method,
          path: p.display,
          status: res.statusCode,
          serverMessage: serverMessage(raw),
          attempts: attempt,
          outcomeUnknown: decision.outcomeUnknown,
        });
      }
      return this.parse(res, raw, opts, p);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private parse<T>(res: Dispatcher.ResponseData, raw: Buffer, opts: RequestOptions<T>, p: RequestPath): HttpResponse<T> {
    if (opts.binary) {
      return { status: res.statusCode, headers: res.headers, data: raw as unknown as T, raw };
    }
    // A 2xx whose body is not JSON (`Project deleted`, an HTML page after a login) says
    // nothing the client reads: it counts as no body, and the schema decides if one was needed.
    const parsed = raw.length === 0 ? undefined : parseJson(raw);
    const data = parsed === PARSE_FAILED ? undefined : parsed;
    if (!opts.schema) {
      return { status: res.statusCode, headers: res.headers, data: data as T, raw };
    }
    const checked = opts.schema.safeParse(data);
    if (!checked.success) {
      const issues =
        parsed === PARSE_FAILED ? "not JSON" : checked.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
      throw new ResponseShapeError(this.service, opts.method, p.display, issues);
    }
    return { status: res.statusCode, headers: res.headers, data: checked.data, raw };
  }

  /** Waits before the next attempt: the server's Retry-After if it sent one, else doubling backoff; both capped. */
  private async pause(call: CallEvent, reason: string, retryAfter: string | string[] | undefined): Promise<void> {
    const backoff = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** (call.attempt - 1));
    const asked = retryAfterMs(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    const delayMs = asked === undefined ? backoff : Math.min(this.maxDelayMs, Math.max(asked, 0));
    this.onRetry?.({ ...call, maxAttempts: this.maxRetries + 1, delayMs, reason });
    await sleep(delayMs);
  }
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : at - Date.now();
}

function assertSafeTransport(service: ServiceName, baseUrl: string, allowInsecureHttp: boolean): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InsecureTransportError(service, baseUrl, "is not a valid URL");
  }
  if (url.protocol === "https:") return;
  if (url.protocol !== "http:")
    throw new InsecureTransportError(service, baseUrl, `must be https:// (or http:// to a loopback address), not ${url.protocol}//`);
  if (!allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new InsecureTransportError(
      service,
      baseUrl,
      "uses plain http:// to a host that is not loopback: credentials would travel unencrypted. Use https://, or allow it explicitly (allowInsecureHttp)",
    );
  }
}

/** Percent-encodes what undici refuses in a request line (spaces, non-ASCII), as URL parsing did. */
function sendable(p: string): string {
  return p.replace(/[^\x21-\x7e]+/g, (s) => encodeURIComponent(s));
}

function toSearchParams(q?: Record<string, string | number | boolean | undefined>): URLSearchParams {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q ?? {})) if (v !== undefined) s.append(k, String(v));
  return s;
}

const PARSE_FAILED = Symbol("parse failed");
function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return PARSE_FAILED;
  }
}

/** The server's message from the error bodies both services send (`{"errors":[{message}]}` and kin). */
export function serverMessage(raw: Buffer): string | undefined {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  const json = parseJson(raw) as Record<string, unknown> | typeof PARSE_FAILED;
  if (json !== PARSE_FAILED && json && typeof json === "object") {
    const errors = (json as { errors?: Array<{ message?: unknown }> }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      return (
        errors
          .map((e) => String(e?.message ?? ""))
          .filter(Boolean)
          .join("; ") || undefined
      );
    }
    for (const k of ["message", "error_description", "error"]) {
      if (typeof (json as Record<string, unknown>)[k] === "string") return (json as Record<string, string>)[k];
    }
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text.trim() || undefined;
}

export { FormData };
