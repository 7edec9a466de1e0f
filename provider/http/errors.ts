// One error type for every failed call, in the manner of octokit's RequestError:
// callers branch on `status` (or `code` for transport failures), never on message text.
// It carries what was asked (service, method, path) and what the server said, never
// credentials: headers are not kept, and secret path segments are masked by the caller.

export type ServiceName = "ventus" | "axway";

export interface ApiErrorDetails {
  service: ServiceName;
  method: string;
  /** Path as shown to people: secret segments already replaced by `***`. */
  path: string;
  /** HTTP status, or undefined when no response arrived (timeout, refused, reset). */
  status?: number;
  /** The server's own message, taken from its error body when it sent one. */
  serverMessage?: string;
  /** Transport error code such as `UND_ERR_CONNECT_TIMEOUT` or `ECONNREFUSED`. */
  code?: string;
  /** How many attempts were made (more than 1 when retries happened). */
  attempts?: number;
  /**
   * A non-idempotent request (POST) that may have been applied although no success came
   * back (connection dropped after sending, timeout, 500/502/504): look before retrying.
   */
  outcomeUnknown?: boolean;
}

export class ApiError extends Error {
  override readonly name: string = "ApiError";
  readonly service: ServiceName;
  readonly method: string;
  readonly path: string;
  readonly status?: number;
  readonly serverMessage?: string;
  readonly code?: string;
  readonly attempts?: number;
  readonly outcomeUnknown: boolean;

  constructor(details: ApiErrorDetails, options?: { cause?: unknown }) {
    super(describe(details), options);
    this.outcomeUnknown = details.outcomeUnknown ?? false;
    this.service = details.service;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.serverMessage = details.serverMessage;
    this.code = details.code;
    this.attempts = details.attempts;
  }

  /** Whose fault it is, in the AWS SDK's terms: a 4xx is the caller's, everything else the server's. */
  get fault(): "client" | "server" {
    return this.status !== undefined && this.status >= 400 && this.status < 500 ? "client" : "server";
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

function describe(d: ApiErrorDetails): string {
  const what = `${d.service}: ${d.method} ${d.path}`;
  const said = d.serverMessage ? oneLine(d.status === undefined ? transportMessage(d.serverMessage) : d.serverMessage) : "";
  const why =
    d.status !== undefined
      ? `failed with HTTP ${d.status}${said ? `: ${said}` : ""}`
      : `failed without a response${d.code ? ` (${d.code})` : ""}${said ? `: ${said}` : ""}`;
  const tries = d.attempts && d.attempts > 1 ? ` after ${d.attempts} attempts` : "";
  return `${what} ${why}${tries}`;
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL_RUNS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Text from elsewhere (a server's body, OpenSSL's multi-line messages) as one line: control
 * characters, line breaks included, become spaces, and it is cut at 300 characters.
 */
export function oneLine(text: string, max = 300): string {
  const flat = text.replace(CONTROL_RUNS, " ").replace(/ {2,}/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * A transport error's text without what only its authors can use: OpenSSL's error queue
 * (`…:error:0A00010B:SSL routines:tls_validate_record_header:wrong version number:../ssl/….c:77:`)
 * becomes its reason, and Node's advice on a flag of its own goes (the settings are the way here).
 */
function transportMessage(text: string): string {
  const ssl = /^[0-9A-F]+:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):/.exec(text);
  return (ssl ? `SSL: ${ssl[1]}` : text).replace(/;? ?if the root CA is installed locally, try running Node\.js with --use-system-ca/, "");
}

/** What went wrong, as far as what to check goes. */
export type FailureKind = "credentials" | "forbidden" | "notFound" | "unreachable" | "tls" | "server" | "other";

/** A connection that was never made: no such host, nothing listening, no route. */
const UNREACHABLE_CODES = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETDOWN",
  "ENETUNREACH",
  "EHOSTDOWN",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
];
/** TLS handshakes that failed: a certificate not trusted or not for this host, or no TLS at all on that port. */
const TLS_CODE =
  /^(EPROTO|ERR_SSL_.*|ERR_TLS_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_.*|CERT_.*|HOSTNAME_MISMATCH)$/;

export function failureKind(err: ApiError): FailureKind {
  if (err.status === 401) return "credentials";
  if (err.status === 403) return "forbidden";
  if (err.status === 404) return "notFound";
  if (err.status !== undefined) return err.status >= 500 ? "server" : "other";
  if (UNREACHABLE_CODES.includes(err.code ?? "")) return "unreachable";
  return TLS_CODE.test(err.code ?? "") ? "tls" : "other";
}

/** A base URL the client refuses before connecting: not http(s), or plain http off this machine. */
export class InsecureTransportError extends Error {
  override readonly name = "InsecureTransportError";
  constructor(
    readonly service: ServiceName,
    readonly url: string,
    problem: string,
  ) {
    super(`${service}: ${url} ${problem}`);
  }
}

/** A response that arrived but does not have the shape the client expects. */
export class ResponseShapeError extends Error {
  override readonly name = "ResponseShapeError";
  constructor(
    readonly service: ServiceName,
    readonly method: string,
    readonly path: string,
    readonly issues: string,
  ) {
    super(`${service}: ${method} ${path} answered with an unexpected body: ${issues}`);
  }
}

/** Resolves undefined when the service answers 404: for reads, where "not there" is an answer. */
export async function orUndefinedOn404<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

/** Resolves false when the service answers 404: for deletes, where "already gone" is success. */
export async function trueOr404(p: Promise<unknown>): Promise<boolean> {
  return (await orUndefinedOn404(p.then(() => true))) ?? false;
}
