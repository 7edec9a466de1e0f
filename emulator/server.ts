// The emulator's HTTP core: one node:http server for every emulated service.
// It routes each request to the service that claims it, counts it, applies injected
// faults (faults.ts) and latency, holds the behaviours in force (behavior.ts), and persists the
// services' state (persistence.ts) after each change.
// Control endpoints live under `/_emulator/` (control.ts) and are neither counted nor faulted.
import { randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { applyBehavior, DEFAULT_BEHAVIOR, type Behavior } from "./behavior";
import { control, CONTROL, type Controlled } from "./control";
import { FaultList, noFaultCounts, type Fault, type ListedFault } from "./faults";
import { persistence } from "./persistence";
import { createPortalService, type CustomPropertiesConfig, type PortalOptions, type PortalService } from "./portal";
import type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule, Stats } from "./types";

export type { Stats } from "./types";
import { createVentusService, type VentusUser } from "./ventus";
import { errorBody, readBody, send } from "./wire";

export type { Fault, FaultCounts, ListedFault } from "./faults";
export type { Behavior } from "./behavior";
export type { CustomPropertiesConfig, CustomProperty } from "./portal";
export { send } from "./wire";

export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persist every service's state here (JSON); loaded at start when present. */
  dataFile?: string;
  /** Delay before every service response. */
  latencyMs?: number;
  /** Lifetime of Ventus tokens; default 3600. Same as `behavior.ventusTokenTtlSeconds`. */
  tokenTtlSeconds?: number;
  /** Listings answer from the state as it was this long ago; default 0. Same as `behavior.listingLagMs`. */
  listingLagMs?: number;
  /** Behaviours at start (see behavior.ts); the rest keep their defaults. Wins over the two options above. */
  behavior?: Partial<Behavior>;
  /** Faults in force from the start. */
  faults?: Fault[];
  /** Seed of the random draws of faults with a `rate`; default random (see `RunningEmulator.faultSeed`). */
  faultSeed?: number;
  /** Ventus users; default one user, see DEFAULT_VENTUS_USER. */
  ventusUsers?: VentusUser[];
  /** Clock in milliseconds since epoch; default Date.now. */
  now?: () => number;
  /** The portal's seed and limits (see emulator/portal/). */
  portal?: PortalOptions;
  /** Extra services, routed after the built-in ones (tests, experiments); a factory gets the context. */
  services?: Array<ServiceModule | ((ctx: ServiceContext) => ServiceModule)>;
  /** Called once per request with a one-line summary (never headers); silent by default. */
  log?: (line: string) => void;
}

export interface RunningEmulator {
  /** Base URL of every service, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Stands in for https://auth.ventuscloud.eu. */
  ventusAuthUrl: string;
  /** Stands in for https://api.ventuscloud.eu. */
  ventusApiUrl: string;
  /** Stands in for an API Manager host (`/api/portal/v1.3` lives under it). */
  axwayUrl: string;
  port: number;
  /** Names of the services being served, e.g. `["ventus", "portal"]`. */
  services: string[];
  /** Lines describing how to log in to each service (for the CLI banner). */
  describe(): string[];
  stop(): Promise<void>;
  stats(): Stats;
  resetStats(): void;
  /** Adds a fault after those in force; throws TypeError when it is invalid. */
  injectFault(f: Fault): void;
  clearFaults(): void;
  /** The faults in force, with the hits left for capped ones. */
  faults(): ListedFault[];
  /** Seed the random draws of `rate` faults (re)started from. */
  readonly faultSeed: number;
  /** Restart the random draws from this seed. */
  seedFaults(seed: number): void;
  /** The behaviours in force (a copy). */
  behavior(): Behavior;
  /** Merge a patch into the behaviours (null restores a default); throws TypeError when invalid. */
  setBehavior(patch: Partial<Behavior> | Record<string, unknown>): Behavior;
  /** Back to the behaviours the emulator started with. */
  resetBehavior(): Behavior;
  /**
   * A user joins an organization with a registration code (as `POST /_emulator/portal/register`):
   * returns the code's RegistrationToken after the use; throws an Error with `status` when refused.
   */
  registerWithCode(organizationId: string, token: string): Record<string, unknown>;
  /**
   * Replaces the portal's custom property definitions (as `POST /_emulator/portal/customproperties`);
   * `undefined` restores those of the start. Throws TypeError when a definition is invalid.
   */
  setCustomProperties(config: CustomPropertiesConfig | undefined): void;
}

/** A service module that may also describe itself for the CLI banner. */
type DescribedService = ServiceModule & { describe?: () => string[] };

/** The core's live state: what requests, control calls and the returned API act on. */
interface Core extends Controlled {
  readonly services: DescribedService[];
  readonly latencyMs: number;
  readonly log?: (line: string) => void;
  /** Sleeps, unless stop() came first. */
  wait(ms: number): Promise<void>;
}

/** The behaviours the options ask for at start; throws TypeError on an invalid one. */
function startBehavior(options: EmulatorOptions): Behavior {
  const fromOptions: Record<string, unknown> = {};
  if (options.tokenTtlSeconds !== undefined) fromOptions.ventusTokenTtlSeconds = options.tokenTtlSeconds;
  if (options.listingLagMs !== undefined) fromOptions.listingLagMs = options.listingLagMs;
  return applyBehavior(applyBehavior(DEFAULT_BEHAVIOR, fromOptions), options.behavior ?? {});
}

function freshStats(): Stats {
  return { total: 0, byMethod: {}, byRoute: {}, unrouted: 0, faults: noFaultCounts() };
}

/**
 * Ventus, the portal, then the extra services, with their saved state loaded; the portal is also
 * returned on its own, for registerWithCode.
 */
function startServices(options: EmulatorOptions, behavior: () => Behavior): { services: DescribedService[]; portal: PortalService } {
  const services: DescribedService[] = [];
  const store = persistence(options.dataFile, () => services);
  const ctx: ServiceContext = { now: options.now ?? Date.now, changed: () => store.save(), behavior };
  const ventus = createVentusService(ctx, { users: options.ventusUsers });
  const portal = createPortalService(ctx, options.portal);
  services.push(ventus, portal, ...(options.services ?? []).map((s) => (typeof s === "function" ? s(ctx) : s)));
  store.load(services);
  store.save(); // fail fast on an unwritable path, and leave a file scripts can inspect
  return { services, portal };
}

function parseRequest(req: IncomingMessage, body: Buffer): EmulatorRequest {
  const rawUrl = req.url ?? "/";
  const q = rawUrl.indexOf("?");
  return {
    method: (req.method ?? "GET").toUpperCase(),
    path: q === -1 ? rawUrl : rawUrl.slice(0, q),
    query: new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1)),
    headers: req.headers,
    body,
  };
}

/** The first service that claims the request, with the route template it names. */
function routeOf(services: readonly ServiceModule[], request: EmulatorRequest): { service: ServiceModule; template: string } | undefined {
  for (const service of services) {
    const template = service.route(request);
    if (template !== undefined) return { service, template };
  }
  return undefined;
}

function count(stats: Stats, method: string, template: string): void {
  stats.total += 1;
  stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
  stats.byRoute[template] = (stats.byRoute[template] ?? 0) + 1;
}

async function serveRequest(core: Core, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const method = (req.method ?? "GET").toUpperCase();
  const path = (req.url ?? "/").split("?")[0];
  const { log } = core;
  const finish = (response: EmulatorResponse, label: string) => {
    if (res.destroyed) return;
    send(res, response);
    log?.(`${method} ${path} -> ${response.status} (${label}, ${Date.now() - started} ms)`);
  };

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    const status = (err as { status?: number }).status ?? 400;
    finish({ status, body: errorBody(status, "Could not read request body") }, "body");
    return;
  }

  if (path.startsWith(CONTROL)) {
    finish(control(core, method, path, body), "control");
    return;
  }

  const request = parseRequest(req, body);
  const routed = routeOf(core.services, request);
  if (!routed) {
    core.stats().unrouted += 1;
    finish({ status: 404, body: errorBody(404, "No route") }, "unrouted");
    return;
  }
  const { service, template } = routed;
  count(core.stats(), method, template);

  const fault = core.faults.take(method, template);
  if (fault?.delayMs !== undefined) {
    core.stats().faults.delay += 1;
    if (fault.delayMs > 0) await core.wait(fault.delayMs);
  }
  if (fault?.effect === "reset") {
    core.stats().faults.reset += 1;
    log?.(`${method} ${path} -> reset (fault)`);
    req.socket.destroy();
    return;
  }
  if (core.latencyMs > 0) await core.wait(core.latencyMs);
  if (fault?.effect === "status" && fault.status !== undefined) {
    core.stats().faults.status += 1;
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
    finish({ status: fault.status, headers, body: errorBody(fault.status, "Injected fault") }, "fault");
    return;
  }

  let response: EmulatorResponse;
  try {
    response = await service.handle(request);
  } catch (err) {
    // The error may quote anything the service saw (headers, tokens): keep it out of the answer.
    log?.(`${method} ${path}: ${service.name} threw ${(err as Error)?.name ?? "error"}`);
    response = { status: 500, body: errorBody(500, "Internal emulator error") };
  }
  if (fault?.effect === "lostAnswer") {
    // Applied (and persisted by the service's ctx.changed()), but the client never hears of it.
    core.stats().faults.lostAnswer += 1;
    log?.(`${method} ${path} -> ${response.status} lost (fault)`);
    req.socket.destroy();
    return;
  }
  finish(response, template);
}

async function listen(core: Core, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    serveRequest(core, req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, body: errorBody(500, "Internal emulator error") });
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return server;
}

/**
 * A user joins an organization with a registration code through the portal's control call;
 * throws an Error with `status` when the portal refuses.
 */
function registerWithCode(portal: PortalService, organizationId: string, token: string): Record<string, unknown> {
  // "register" is always one of the portal's control calls: it answers, never undefined.
  const answer = portal.control("POST", "register", Buffer.from(JSON.stringify({ organizationId, token })))!;
  if (answer.status >= 300) {
    const message = (answer.body as { errors?: Array<{ message?: string }> })?.errors?.[0]?.message;
    throw Object.assign(new Error(message ?? `registration refused (${answer.status})`), { status: answer.status });
  }
  return answer.body as Record<string, unknown>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const initialBehavior = startBehavior(options);
  let behavior: Behavior = initialBehavior;
  let stats = freshStats();
  const faults = new FaultList(options.faultSeed ?? randomInt(0, 2 ** 32));
  faults.add(options.faults ?? []);
  // Aborted by stop(): pending latency and fault delays end at once instead of holding timers.
  const stopping$ = new AbortController();

  const { services, portal } = startServices(options, () => behavior);
  const core: Core = {
    services,
    faults,
    latencyMs: options.latencyMs ?? 0,
    log: options.log,
    wait: (ms) => sleep(ms, undefined, { signal: stopping$.signal }),
    stats: () => stats,
    resetStats: () => {
      stats = freshStats();
    },
    behavior: () => behavior,
    setBehavior(patch) {
      behavior = applyBehavior(behavior, patch);
      return structuredClone(behavior);
    },
    resetBehavior() {
      behavior = initialBehavior;
      return structuredClone(behavior);
    },
  };

  const server = await listen(core, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    ventusAuthUrl: url,
    ventusApiUrl: url,
    axwayUrl: url,
    port,
    services: core.services.map((s) => s.name),
    describe: () => core.services.flatMap((s) => s.describe?.() ?? []),
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        stopping$.abort();
        server.closeAllConnections();
      });
      return stopping;
    },
    stats: () => structuredClone(stats),
    resetStats: core.resetStats,
    injectFault(f) {
      faults.add([f]);
    },
    clearFaults() {
      faults.clear();
    },
    faults: () => faults.list(),
    get faultSeed() {
      return faults.seed;
    },
    seedFaults(seed) {
      faults.reseed(seed);
    },
    behavior: () => structuredClone(behavior),
    setBehavior: core.setBehavior,
    resetBehavior: core.resetBehavior,
    registerWithCode: (organizationId, token) => registerWithCode(portal, organizationId, token),
    setCustomProperties(config) {
      const answer = portal.control(
        config === undefined ? "DELETE" : "POST",
        "customproperties",
        Buffer.from(JSON.stringify(config ?? {})),
      )!;
      if (answer.status >= 300) throw new TypeError((answer.body as { errors: Array<{ message: string }> }).errors[0].message);
    },
  };
}
