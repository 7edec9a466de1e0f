// The emulator's HTTP core: one node:http server for every emulated service.
// It routes each request to the service that claims it, counts it, applies injected
// faults (faults.ts) and latency, holds the behaviours in force (behavior.ts), and persists the
// services' state to a JSON file after each change.
// Control endpoints live under `/_emulator/` and are neither counted nor faulted.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { applyBehavior, DEFAULT_BEHAVIOR, type Behavior } from "./behavior";
import { FaultList, noFaultCounts, type Fault, type FaultCounts, type ListedFault } from "./faults";
import type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "./types";
import { createVentusService, type VentusUser } from "./ventus";

export type { Fault, FaultCounts, ListedFault } from "./faults";
export type { Behavior } from "./behavior";

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
  /** Opaque options handed to the portal service's factory, when that module is present. */
  portal?: unknown;
  /** Extra services, routed after the built-in ones (tests, experiments); a factory gets the context. */
  services?: Array<ServiceModule | ((ctx: ServiceContext) => ServiceModule)>;
  /** Called once per request with a one-line summary (never headers); silent by default. */
  log?: (line: string) => void;
}

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
}

const CONTROL = "/_emulator/";
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A service module that may also describe itself for the CLI banner. */
type DescribedService = ServiceModule & { describe?: () => string[] };

function errorBody(status: number, message: string): { errors: Array<{ code: number; message: string }> } {
  return { errors: [{ code: status, message }] };
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

/**
 * The only coupling to the optional portal module (emulator/portal/, written separately):
 * use it when it exists and exports `createPortalService(ctx, options)`, skip it otherwise.
 */
async function optionalServices(ctx: ServiceContext, options: EmulatorOptions): Promise<ServiceModule[]> {
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require("./portal");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === "MODULE_NOT_FOUND" && /['"]\.\/portal['"]/.test(String(e.message))) return [];
    throw err;
  }
  const factory = (mod as { createPortalService?: unknown } | undefined)?.createPortalService;
  if (typeof factory !== "function") return [];
  const service = (await factory(ctx, options.portal ?? {})) as ServiceModule;
  return [service];
}

interface Persistence {
  load(services: ServiceModule[]): void;
  save(): void;
}

function persistence(file: string | undefined, services: () => ServiceModule[]): Persistence {
  // States of services not running now (e.g. portal state without the portal module) are kept as is.
  let carried: Record<string, unknown> = {};
  // A service may report a change while it is being built: saving then would overwrite the
  // file before it was read, so nothing is written until load() has run.
  let loaded = false;
  return {
    load(list) {
      loaded = true;
      if (!file || !existsSync(file)) return;
      const text = readFileSync(file, "utf8");
      let data: { services?: Record<string, unknown> };
      try {
        data = JSON.parse(text) as typeof data;
      } catch (err) {
        throw new Error(`emulator data file ${file} is not valid JSON: ${(err as Error).message}`);
      }
      carried = { ...(data.services ?? {}) };
      for (const s of list) {
        if (Object.hasOwn(carried, s.name)) s.restore(carried[s.name]);
      }
    },
    save() {
      if (!file || !loaded) return;
      const state: Record<string, unknown> = { ...carried };
      for (const s of services()) state[s.name] = s.snapshot();
      const tmp = `${file}.${process.pid}.tmp`;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ version: 1, services: state }, null, 2) + "\n");
      renameSync(tmp, file);
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error("request body too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Writes a service's answer: a Buffer as is, a string as text, anything else as JSON. */
export function send(res: ServerResponse, response: EmulatorResponse): void {
  const headers: Record<string, string | string[]> = {};
  let payload: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) {
    payload = response.body;
    headers["content-type"] = "application/octet-stream";
  } else if (typeof response.body === "string") {
    payload = Buffer.from(response.body, "utf8");
    headers["content-type"] = "text/plain; charset=utf-8";
  } else if (response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body), "utf8");
    headers["content-type"] = "application/json";
  }
  for (const [k, v] of Object.entries(response.headers ?? {})) headers[k.toLowerCase()] = v;
  headers["content-length"] = String(payload?.length ?? 0);
  res.writeHead(response.status, headers);
  res.end(payload);
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

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const latencyMs = options.latencyMs ?? 0;
  const log = options.log;
  const initialBehavior = startBehavior(options);
  let behavior: Behavior = initialBehavior;
  const faults = new FaultList(options.faultSeed ?? randomInt(0, 2 ** 32));
  faults.add(options.faults ?? []);

  let services: DescribedService[] = [];
  const store = persistence(options.dataFile, () => services);
  const ctx: ServiceContext = {
    now: options.now ?? Date.now,
    changed: () => store.save(),
    behavior: () => behavior,
  };

  services = [
    createVentusService(ctx, { users: options.ventusUsers }),
    ...(await optionalServices(ctx, options)),
    ...(options.services ?? []).map((s) => (typeof s === "function" ? s(ctx) : s)),
  ];
  store.load(services);
  store.save(); // fail fast on an unwritable path, and leave a file scripts can inspect

  let stats = freshStats();
  const resetStats = () => {
    stats = freshStats();
  };
  // Aborted by stop(): pending latency and fault delays end at once instead of holding timers.
  const stopping$ = new AbortController();
  const wait = (ms: number) => sleep(ms, undefined, { signal: stopping$.signal });

  const setBehavior = (patch: unknown): Behavior => {
    behavior = applyBehavior(behavior, patch);
    return structuredClone(behavior);
  };

  /** Runs a control action whose TypeErrors (faults' and BehaviorError) are the caller's mistakes: 400. */
  function guarded(action: () => EmulatorResponse): EmulatorResponse {
    try {
      return action();
    } catch (err) {
      if (err instanceof TypeError) {
        return { status: 400, body: errorBody(400, err.message) };
      }
      throw err;
    }
  }

  function jsonControl(body: Buffer, what: string, action: (value: unknown) => EmulatorResponse): EmulatorResponse {
    const parsed = parseJson(body);
    if (!parsed.ok) return { status: 400, body: errorBody(400, `Body must be ${what}`) };
    return guarded(() => action(parsed.value));
  }

  function control(method: string, path: string, body: Buffer): EmulatorResponse {
    const name = path.slice(CONTROL.length);
    const route = `${method} ${name}`;
    switch (route) {
      case "GET health":
        return { status: 200, body: { status: "ok", services: services.map((s) => s.name) } };
      case "GET stats":
        return { status: 200, body: stats };
      case "POST stats/reset":
        resetStats();
        return { status: 200, body: stats };
      case "GET faults":
        return { status: 200, body: faults.list() };
      case "DELETE faults":
        faults.clear();
        return { status: 200, body: { faults: [] } };
      case "POST faults":
        return jsonControl(body, "a JSON fault or an array of faults", (value) => {
          faults.add((Array.isArray(value) ? value : [value]) as Fault[]);
          return { status: 200, body: faults.list() };
        });
      case "GET faults/seed":
        return { status: 200, body: { seed: faults.seed } };
      case "POST faults/seed":
        return jsonControl(body, 'a JSON object {"seed": n}', (value) => {
          faults.reseed((value as { seed?: unknown } | null)?.seed as number);
          return { status: 200, body: { seed: faults.seed } };
        });
      case "GET behavior":
        return { status: 200, body: behavior };
      case "POST behavior":
        return jsonControl(body, "a JSON object of behaviours", (value) => ({ status: 200, body: setBehavior(value) }));
      case "DELETE behavior":
        behavior = initialBehavior;
        return { status: 200, body: behavior };
    }
    // `/_emulator/<service>/<rest>`: the service's own control calls.
    const slash = name.indexOf("/");
    const service = slash > 0 ? services.find((s) => s.name === name.slice(0, slash)) : undefined;
    const answer = service?.control?.(method, name.slice(slash + 1), body);
    return answer ?? { status: 404, body: errorBody(404, "No route") };
  }

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? "GET").toUpperCase();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
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
      finish(control(method, path, body), "control");
      return;
    }

    const request: EmulatorRequest = {
      method,
      path,
      query: new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1)),
      headers: req.headers,
      body,
    };

    let service: ServiceModule | undefined;
    let template: string | undefined;
    for (const s of services) {
      template = s.route(request);
      if (template !== undefined) {
        service = s;
        break;
      }
    }
    if (!service || template === undefined) {
      stats.unrouted += 1;
      finish({ status: 404, body: errorBody(404, "No route") }, "unrouted");
      return;
    }

    stats.total += 1;
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    stats.byRoute[template] = (stats.byRoute[template] ?? 0) + 1;

    const fault = faults.take(method, template);
    if (fault?.delayMs !== undefined) {
      stats.faults.delay += 1;
      if (fault.delayMs > 0) await wait(fault.delayMs);
    }
    if (fault?.effect === "reset") {
      stats.faults.reset += 1;
      log?.(`${method} ${path} -> reset (fault)`);
      req.socket.destroy();
      return;
    }
    if (latencyMs > 0) await wait(latencyMs);
    if (fault?.effect === "status" && fault.status !== undefined) {
      stats.faults.status += 1;
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
      stats.faults.lostAnswer += 1;
      log?.(`${method} ${path} -> ${response.status} lost (fault)`);
      req.socket.destroy();
      return;
    }
    finish(response, template);
  }

  const server = createServer((req, res) => {
    dispatch(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, body: errorBody(500, "Internal emulator error") });
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  let stopping: Promise<void> | undefined;
  return {
    url,
    ventusAuthUrl: url,
    ventusApiUrl: url,
    axwayUrl: url,
    port,
    services: services.map((s) => s.name),
    describe: () => services.flatMap((s) => s.describe?.() ?? []),
    stop() {
      stopping ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        stopping$.abort();
        server.closeAllConnections();
      });
      return stopping;
    },
    stats: () => structuredClone(stats),
    resetStats,
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
    setBehavior,
    resetBehavior() {
      behavior = initialBehavior;
      return structuredClone(behavior);
    },
    registerWithCode(organizationId, token) {
      const portal = services.find((s) => s.name === "portal");
      const answer = portal?.control?.("POST", "register", Buffer.from(JSON.stringify({ organizationId, token })));
      if (!answer) throw Object.assign(new Error("the portal service is not running"), { status: 404 });
      if (answer.status >= 300) {
        const message = (answer.body as { errors?: Array<{ message?: string }> })?.errors?.[0]?.message;
        throw Object.assign(new Error(message ?? `registration refused (${answer.status})`), { status: answer.status });
      }
      return answer.body as Record<string, unknown>;
    },
  };
}
