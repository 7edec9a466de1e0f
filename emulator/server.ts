// The emulator's HTTP core: one node:http server for every emulated service.
// It routes each request to the service that claims it, counts it, applies injected
// faults and latency, and persists the services' state to a JSON file after each change.
// Control endpoints live under `/_emulator/` and are neither counted nor faulted.
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "./types";
import { createVentusService, type VentusUser } from "./ventus";

export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persist every service's state here (JSON); loaded at start when present. */
  dataFile?: string;
  /** Delay before every service response. */
  latencyMs?: number;
  /** Lifetime of Ventus tokens; default 3600. */
  tokenTtlSeconds?: number;
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

export interface Fault {
  /** Regular expression tested against `"<METHOD> <route template>"`; every request when absent. */
  route?: string;
  /** Status to answer with; default 503 unless the fault only delays or resets. */
  status?: number;
  /** How many matching requests this fault hits; default 1. */
  count?: number;
  /** Wait this long first; with neither status nor reset the request is then served normally. */
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
}

export interface Stats {
  /** Requests routed to a service (faulted ones included). */
  total: number;
  byMethod: Record<string, number>;
  byRoute: Record<string, number>;
  /** Requests no service claimed (answered 404). */
  unrouted: number;
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
  injectFault(f: Fault): void;
  clearFaults(): void;
}

const CONTROL = "/_emulator/";
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A service module that may also describe itself for the CLI banner. */
type DescribedService = ServiceModule & { describe?: () => string[] };

interface PendingFault {
  match?: RegExp;
  status?: number;
  remaining: number;
  delayMs?: number;
  reset: boolean;
  retryAfter?: number;
  spec: Fault;
}

function errorBody(status: number, message: string): { errors: Array<{ code: number; message: string }> } {
  return { errors: [{ code: status, message }] };
}

function nonNegative(value: unknown, name: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`fault.${name} must be a non-negative ${integer ? "integer" : "number"}`);
  }
  return value;
}

/** Validates a fault; throws TypeError with a message fit for a 400. */
function compileFault(f: Fault): PendingFault {
  if (typeof f !== "object" || f === null || Array.isArray(f)) throw new TypeError("fault must be an object");
  let match: RegExp | undefined;
  if (f.route !== undefined) {
    if (typeof f.route !== "string") throw new TypeError("fault.route must be a string");
    try {
      match = new RegExp(f.route);
    } catch {
      throw new TypeError("fault.route is not a valid regular expression");
    }
  }
  const status = nonNegative(f.status, "status", true);
  if (status !== undefined && (status < 100 || status > 599)) throw new TypeError("fault.status must be 100-599");
  const count = nonNegative(f.count, "count", true) ?? 1;
  if (count < 1) throw new TypeError("fault.count must be at least 1");
  const delayMs = nonNegative(f.delayMs, "delayMs");
  const retryAfter = nonNegative(f.retryAfter, "retryAfter", true);
  if (f.reset !== undefined && typeof f.reset !== "boolean") throw new TypeError("fault.reset must be a boolean");
  const reset = f.reset === true;
  return {
    match,
    status: status ?? (reset || delayMs !== undefined ? undefined : 503),
    remaining: count,
    delayMs,
    reset,
    retryAfter,
    spec: { ...f },
  };
}

/**
 * The only coupling to the optional portal module (emulator/portal.ts, written separately):
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

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  const latencyMs = options.latencyMs ?? 0;
  const log = options.log;
  let services: DescribedService[] = [];
  const store = persistence(options.dataFile, () => services);
  const ctx: ServiceContext = {
    now: options.now ?? Date.now,
    changed: () => store.save(),
  };

  services = [
    createVentusService(ctx, { users: options.ventusUsers, tokenTtlSeconds: options.tokenTtlSeconds }),
    ...(await optionalServices(ctx, options)),
    ...(options.services ?? []).map((s) => (typeof s === "function" ? s(ctx) : s)),
  ];
  store.load(services);
  store.save(); // fail fast on an unwritable path, and leave a file scripts can inspect

  let stats: Stats = { total: 0, byMethod: {}, byRoute: {}, unrouted: 0 };
  const resetStats = () => {
    stats = { total: 0, byMethod: {}, byRoute: {}, unrouted: 0 };
  };
  let faults: PendingFault[] = [];
  // Aborted by stop(): pending latency and fault delays end at once instead of holding timers.
  const stopping$ = new AbortController();
  const wait = (ms: number) => sleep(ms, undefined, { signal: stopping$.signal });

  function takeFault(key: string): PendingFault | undefined {
    const f = faults.find((x) => !x.match || x.match.test(key));
    if (!f) return undefined;
    f.remaining -= 1;
    if (f.remaining <= 0) faults = faults.filter((x) => x !== f);
    return f;
  }

  function control(method: string, path: string, body: Buffer): EmulatorResponse {
    const name = path.slice(CONTROL.length);
    if (name === "health" && method === "GET") {
      return { status: 200, body: { status: "ok", services: services.map((s) => s.name) } };
    }
    if (name === "stats" && method === "GET") return { status: 200, body: stats };
    if (name === "stats/reset" && method === "POST") {
      resetStats();
      return { status: 200, body: stats };
    }
    if (name === "faults" && method === "GET") {
      return { status: 200, body: faults.map((f) => ({ ...f.spec, remaining: f.remaining })) };
    }
    if (name === "faults" && method === "DELETE") {
      faults = [];
      return { status: 200, body: { faults: [] } };
    }
    if (name === "faults" && method === "POST") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        return { status: 400, body: errorBody(400, "Body must be a JSON fault or an array of faults") };
      }
      try {
        const compiled = (Array.isArray(parsed) ? parsed : [parsed]).map((f) => compileFault(f as Fault));
        faults.push(...compiled);
      } catch (err) {
        return { status: 400, body: errorBody(400, (err as Error).message) };
      }
      return { status: 200, body: faults.map((f) => ({ ...f.spec, remaining: f.remaining })) };
    }
    return { status: 404, body: errorBody(404, "No route") };
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

    const fault = takeFault(template);
    if (fault?.delayMs) await wait(fault.delayMs);
    if (fault?.reset) {
      log?.(`${method} ${path} -> reset (fault)`);
      req.socket.destroy();
      return;
    }
    if (latencyMs > 0) await wait(latencyMs);
    if (fault?.status !== undefined) {
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
      faults.push(compileFault(f));
    },
    clearFaults() {
      faults = [];
    },
  };
}
