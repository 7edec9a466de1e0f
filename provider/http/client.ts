// The one HTTP core under both service clients: a keep-alive undici Agent, per-attempt
// timeouts, undici's RetryAgent for transient failures (429/5xx and dropped connections,
// idempotent methods only, honouring Retry-After), JSON in and out, zod validation of
// what servers answer, and ApiError for everything that goes wrong.
import { Agent, FormData, RetryAgent, type Dispatcher } from "undici";
import type { IncomingHttpHeaders } from "node:http";
import type { z } from "zod";
import { ApiError, InsecureTransportError, ResponseShapeError, type ServiceName } from "./errors";

export interface RetryPolicy {
  /** Retries after the first attempt (default 4). 0 turns retrying off. */
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
  userAgent?: string;
}

/** TLS settings shared by both services' clients. */
export interface TlsOptions {
  /** PEM of the CA(s) that signed the server's certificate, added to Node's own. */
  ca?: string | Buffer;
  /** false accepts any certificate: for test installations only. */
  rejectUnauthorized?: boolean;
}

/** A path with a second spelling for messages, where secret segments are masked. */
export interface RequestPath {
  path: string;
  display: string;
}

const SECRET = Symbol("secret path segment");
export interface SecretSegment {
  [SECRET]: string;
}
/** Marks a path segment (a registration code, say) that must never appear in errors or logs. */
export const secret = (value: string): SecretSegment => ({ [SECRET]: value });

/**
 * encodeURIComponent leaves `.` alone, so a value of `.` or `..` would become a dot-segment
 * that URL normalization removes (`/projects/..` is `/`): another resource entirely.
 */
function encodeSegment(value: string): string {
  return value === "." || value === ".." ? value.replace(/\./g, "%2E") : encodeURIComponent(value);
}

/** Builds a path from a template, percent-encoding each value: path`/projects/${id}`. */
export function path(strings: TemplateStringsArray, ...values: Array<string | number | SecretSegment>): RequestPath {
  let p = strings[0];
  let d = strings[0];
  values.forEach((v, i) => {
    if (typeof v === "object" && v !== null && SECRET in v) {
      p += encodeSegment(v[SECRET]);
      d += "***";
    } else {
      p += encodeSegment(String(v));
      d += encodeSegment(String(v));
    }
    p += strings[i + 1];
    d += strings[i + 1];
  });
  return { path: p, display: d };
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

const RETRY_STATUSES = [429, 500, 502, 503, 504];
const RETRY_METHODS: Dispatcher.HttpMethod[] = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"];
/** Transport failures worth another attempt (undici's own default list, spelled out to count attempts). */
const RETRY_CODES = ["ECONNRESET", "ECONNREFUSED", "ENOTFOUND", "ENETDOWN", "ENETUNREACH", "EHOSTDOWN", "EHOSTUNREACH", "EPIPE", "UND_ERR_SOCKET"];

export class HttpClient {
  readonly service: ServiceName;
  readonly baseUrl: string;
  private readonly agent: Agent;
  private readonly dispatcher: Dispatcher;
  private readonly maxRetries: number;
  private readonly userAgent: string;

  constructor(opts: HttpClientOptions) {
    this.service = opts.service;
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    // Before any connection is made: Basic credentials, the Ventus password and bearer
    // tokens must not cross a network in clear unless the user said so.
    assertSafeTransport(opts.service, this.baseUrl, opts.allowInsecureHttp ?? false);
    const timeout = opts.timeoutMs ?? 30_000;
    this.agent = new Agent({
      keepAliveTimeout: 10_000,
      connections: 8,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      connect: {
        timeout: opts.connectTimeoutMs ?? 10_000,
        ca: opts.tls?.ca,
        rejectUnauthorized: opts.tls?.rejectUnauthorized ?? true,
      },
    });
    this.maxRetries = opts.retry?.maxRetries ?? 4;
    this.dispatcher =
      this.maxRetries > 0
        ? new RetryAgent(this.agent, {
            maxRetries: this.maxRetries,
            minTimeout: opts.retry?.minDelayMs ?? 250,
            maxTimeout: opts.retry?.maxDelayMs ?? 8_000,
            timeoutFactor: 2,
            retryAfter: true,
            methods: RETRY_METHODS,
            statusCodes: RETRY_STATUSES,
            errorCodes: RETRY_CODES,
            // Give the last answer back rather than a bare RequestRetryError, so the
            // server's own message reaches the user.
            throwOnError: false,
          })
        : this.agent;
    this.userAgent = opts.userAgent ?? "pulumi-ventus-axway";
  }

  async request<T = unknown>(opts: RequestOptions<T>): Promise<HttpResponse<T>> {
    const p = typeof opts.path === "string" ? { path: opts.path, display: opts.path } : opts.path;
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

    let res: Dispatcher.ResponseData;
    try {
      res = await this.dispatcher.request({ origin: base.origin, path: target, method: opts.method, headers, body });
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw new ApiError({
        service: this.service,
        method: opts.method,
        path: p.display,
        code: e.code,
        serverMessage: e.message,
        // Only dropped connections are retried; a timeout, say, ends the call at once.
        attempts: this.isRetryable(opts.method) && RETRY_CODES.includes(e.code ?? "") ? this.maxRetries + 1 : 1,
      });
    }

    const raw = Buffer.from(await res.body.arrayBuffer());
    const ok = opts.ok ?? ((s: number) => s >= 200 && s < 300);
    if (!ok(res.statusCode)) {
      const retried = this.isRetryable(opts.method) && RETRY_STATUSES.includes(res.statusCode);
      throw new ApiError({
        service: this.service,
        method: opts.method,
        path: p.display,
        status: res.statusCode,
        serverMessage: serverMessage(raw),
        attempts: retried ? this.maxRetries + 1 : 1,
      });
    }

    if (opts.binary) {
      return { status: res.statusCode, headers: res.headers, data: raw as unknown as T, raw };
    }
    const parsed = raw.length === 0 ? undefined : parseJson(raw);
    if (parsed === PARSE_FAILED) {
      throw new ResponseShapeError(this.service, opts.method, p.display, "not JSON");
    }
    if (!opts.schema) {
      return { status: res.statusCode, headers: res.headers, data: parsed as T, raw };
    }
    const checked = opts.schema.safeParse(parsed);
    if (!checked.success) {
      const issues = checked.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
      throw new ResponseShapeError(this.service, opts.method, p.display, issues);
    }
    return { status: res.statusCode, headers: res.headers, data: checked.data, raw };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private isRetryable(method: string): boolean {
    return this.maxRetries > 0 && (RETRY_METHODS as string[]).includes(method);
  }
}

/** Loopback addresses and names: traffic to them never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

function assertSafeTransport(service: ServiceName, baseUrl: string, allowInsecureHttp: boolean): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InsecureTransportError(service, baseUrl, "is not a valid URL");
  }
  if (url.protocol === "https:") return;
  if (url.protocol !== "http:") throw new InsecureTransportError(service, baseUrl, `must be https:// (or http:// to a loopback address), not ${url.protocol}//`);
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
      return errors.map((e) => String(e?.message ?? "")).filter(Boolean).join("; ") || undefined;
    }
    for (const k of ["message", "error_description", "error"]) {
      if (typeof (json as Record<string, unknown>)[k] === "string") return (json as Record<string, string>)[k];
    }
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text.trim() || undefined;
}

export { FormData };
