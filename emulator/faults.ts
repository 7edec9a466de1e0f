// Injected faults: which requests they hit (route regex, method, a seeded probability, a count)
// and what they do (answer a status, drop the connection before or after the service applied the
// request, or only delay it). The core (server.ts) asks `take()` once per service request and
// plays the fault it gets back; nothing here touches sockets.

/** A fault as callers write it (`injectFault`, `POST /_emulator/faults`, `--faults`). */
export interface Fault {
  /** Regular expression tested against `"<METHOD> <route template>"`; every request when absent. */
  route?: string;
  /** Exact HTTP method (case-insensitive), in addition to `route`. */
  method?: string;
  /** Status to answer with; default 503 unless the fault only delays, resets or loses the answer. */
  status?: number;
  /**
   * How many requests this fault hits. Default 1 without `rate`; with `rate`, unlimited
   * (the fault stays until cleared) unless given.
   */
  count?: number;
  /** 0 < rate <= 1: each matching request is hit with this probability (seeded, see `faultSeed`). */
  rate?: number;
  /** Wait this long first; with no other effect the request is then served normally. */
  delayMs?: number;
  /** Destroy the connection before the service sees the request: nothing is applied. */
  reset?: boolean;
  /** Let the service apply the request (state changes, is persisted), then destroy the connection unanswered. */
  lostAnswer?: boolean;
  /** Seconds, sent as Retry-After with `status`. */
  retryAfter?: number;
}

/** Injected faults by effect; a fault with a delay and another effect counts under both. */
export interface FaultCounts {
  status: number;
  reset: number;
  lostAnswer: number;
  delay: number;
}

export function noFaultCounts(): FaultCounts {
  return { status: 0, reset: 0, lostAnswer: 0, delay: 0 };
}

/** A fault that fired on a request: what the core must do with it. */
export interface FiredFault {
  delayMs?: number;
  /** `none`: only a delay. */
  effect: "status" | "reset" | "lostAnswer" | "none";
  status?: number;
  retryAfter?: number;
}

/** A fault as `GET /_emulator/faults` lists it: as written, plus hits left when capped. */
export type ListedFault = Fault & { remaining?: number };

const FAULT_KEYS: ReadonlySet<string> = new Set([
  "route",
  "method",
  "status",
  "count",
  "rate",
  "delayMs",
  "reset",
  "lostAnswer",
  "retryAfter",
]);

interface ActiveFault {
  spec: Fault;
  match?: RegExp;
  method?: string;
  rate?: number;
  /** Undefined: unlimited (a rate without a count). */
  remaining?: number;
  fired: FiredFault;
}

/**
 * mulberry32: a tiny 32-bit PRNG, good enough to decide fault hits and, unlike Math.random,
 * replayable from a seed so a failing run can be repeated exactly.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function isFaultSeed(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

function nonNegative(value: unknown, name: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`fault.${name} must be a non-negative ${integer ? "integer" : "number"}`);
  }
  return value;
}

function flag(value: unknown, name: string): boolean {
  if (value !== undefined && typeof value !== "boolean") throw new TypeError(`fault.${name} must be a boolean`);
  return value === true;
}

/** Validates a fault; throws TypeError with a message fit for a 400. */
function compile(f: Fault): ActiveFault {
  if (typeof f !== "object" || f === null || Array.isArray(f)) throw new TypeError("fault must be an object");
  const unknown = Object.keys(f).filter((k) => !FAULT_KEYS.has(k));
  if (unknown.length > 0) throw new TypeError(`unknown fault field ${unknown.map((k) => `'${k}'`).join(", ")}`);
  let match: RegExp | undefined;
  if (f.route !== undefined) {
    if (typeof f.route !== "string") throw new TypeError("fault.route must be a string");
    try {
      match = new RegExp(f.route);
    } catch {
      throw new TypeError("fault.route is not a valid regular expression");
    }
  }
  if (f.method !== undefined && (typeof f.method !== "string" || !/^[A-Za-z]+$/.test(f.method))) {
    throw new TypeError("fault.method must be an HTTP method such as POST");
  }
  const status = nonNegative(f.status, "status", true);
  if (status !== undefined && (status < 100 || status > 599)) throw new TypeError("fault.status must be 100-599");
  const count = nonNegative(f.count, "count", true);
  if (count !== undefined && count < 1) throw new TypeError("fault.count must be at least 1");
  if (f.rate !== undefined && (typeof f.rate !== "number" || !(f.rate > 0 && f.rate <= 1))) {
    throw new TypeError("fault.rate must be a number with 0 < rate <= 1");
  }
  const delayMs = nonNegative(f.delayMs, "delayMs");
  const retryAfter = nonNegative(f.retryAfter, "retryAfter", true);
  const reset = flag(f.reset, "reset");
  const lostAnswer = flag(f.lostAnswer, "lostAnswer");
  // One request can end only one way.
  if ([reset, lostAnswer, status !== undefined].filter(Boolean).length > 1) {
    throw new TypeError("a fault has at most one of status, reset and lostAnswer");
  }
  const effect: FiredFault["effect"] = reset
    ? "reset"
    : lostAnswer
      ? "lostAnswer"
      : status !== undefined || delayMs === undefined
        ? "status"
        : "none";
  return {
    spec: { ...f },
    match,
    method: f.method?.toUpperCase(),
    rate: f.rate,
    remaining: count ?? (f.rate === undefined ? 1 : undefined),
    fired: {
      effect,
      ...(delayMs !== undefined ? { delayMs } : {}),
      ...(effect === "status" ? { status: status ?? 503 } : {}),
      ...(effect === "status" && retryAfter !== undefined ? { retryAfter } : {}),
    },
  };
}

/** The faults in force, in order; the first one that fires on a request wins. */
export class FaultList {
  private faults: ActiveFault[] = [];
  private random: () => number;
  private currentSeed: number;

  constructor(seed: number) {
    if (!isFaultSeed(seed)) throw new TypeError("faultSeed must be an integer 0-4294967295");
    this.currentSeed = seed;
    this.random = mulberry32(seed);
  }

  /** The seed the random sequence (re)started from. */
  get seed(): number {
    return this.currentSeed;
  }

  /** Restart the random sequence: the same requests then meet the same hits again. */
  reseed(seed: number): void {
    if (!isFaultSeed(seed)) throw new TypeError("seed must be an integer 0-4294967295");
    this.currentSeed = seed;
    this.random = mulberry32(seed);
  }

  /** Adds all or none: a list with one invalid fault throws and changes nothing. */
  add(faults: readonly Fault[]): void {
    const compiled = faults.map(compile);
    this.faults.push(...compiled);
  }

  clear(): void {
    this.faults = [];
  }

  list(): ListedFault[] {
    return this.faults.map((f) => ({ ...f.spec, ...(f.remaining !== undefined ? { remaining: f.remaining } : {}) }));
  }

  /**
   * The fault that fires on this request, if any; consumes one of its hits.
   * `template` is the service's route template, which starts with the method (`GET /get-tokens`).
   */
  take(method: string, template: string): FiredFault | undefined {
    for (const f of this.faults) {
      if (f.method !== undefined && f.method !== method) continue;
      if (f.match && !f.match.test(template)) continue;
      // Drawn only for matching faults with a rate, so the sequence depends on the requests alone.
      if (f.rate !== undefined && this.random() >= f.rate) continue;
      if (f.remaining !== undefined) {
        f.remaining -= 1;
        if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
      }
      return f.fired;
    }
    return undefined;
  }
}

/** Faults from CLI text: inline JSON (a fault or an array), or the path of a file holding it. */
export function parseFaultsArgument(text: string, readFile: (path: string) => string): Fault[] {
  const trimmed = text.trim();
  let json = trimmed;
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
    try {
      json = readFile(text);
    } catch (err) {
      throw new TypeError(`--faults is neither JSON nor a readable file: ${(err as Error).message}`, { cause: err });
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new TypeError(`--faults is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const list = (Array.isArray(parsed) ? parsed : [parsed]) as Fault[];
  // Validate now so a typo fails at start, not on the first request.
  new FaultList(0).add(list);
  return list;
}
