// Contract between the emulator's HTTP core (server.ts) and each emulated service.
// One process serves every service on one port: the services' paths do not overlap
// (`/get-tokens`, `/v1.0/invoke/...`, `/api/portal/v1.3/...`), so a single base URL
// stands in for auth.ventuscloud.eu, api.ventuscloud.eu and an API Manager host.
import type { IncomingHttpHeaders } from "node:http";
import type { Behavior } from "./behavior";
import type { FaultCounts } from "./faults";

export interface EmulatorRequest {
  method: string;
  /** Raw path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  /** A Buffer is sent as is; a string as text; anything else as JSON. Omit for no body. */
  body?: unknown;
}

/** What every emulated service exposes to the core. */
export interface ServiceModule {
  readonly name: string;
  /**
   * Route template of a request this service owns (e.g. `GET /v1.0/invoke/gotham-{region}-identity/method/projects/{id}`),
   * or undefined when the request is not for this service. Used for the stats endpoint and fault matching.
   */
  route(req: EmulatorRequest): string | undefined;
  /** Handle a request whose route() was defined. */
  handle(req: EmulatorRequest): Promise<EmulatorResponse> | EmulatorResponse;
  /** JSON-serializable state, for `--data` persistence. */
  snapshot(): unknown;
  restore(data: unknown): void;
  /**
   * Service-specific control calls, `/_emulator/<service name>/<path>` (never counted nor faulted);
   * undefined when the path is not one of them.
   */
  control?(method: string, path: string, body: Buffer): EmulatorResponse | undefined;
}

export interface ServiceContext {
  /** Milliseconds since epoch; injectable so tests can move time. */
  now(): number;
  /** Called after every state change so the core can persist. */
  changed(): void;
  /** The behaviours in force (live: read it per request); absent means DEFAULT_BEHAVIOR. */
  behavior?(): Readonly<Behavior>;
}

/** What `/_emulator/stats` answers. */
export interface Stats {
  /** Requests routed to a service (faulted ones included). */
  total: number;
  byMethod: Record<string, number>;
  byRoute: Record<string, number>;
  /** Requests no service claimed (answered 404). */
  unrouted: number;
  /** Faults injected, by effect. */
  faults: FaultCounts;
}
