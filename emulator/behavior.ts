// Behaviours: the choices the documents leave open (or real installations make differently),
// switchable at start (`behavior` option, `--behavior key=value`) and at runtime
// (`POST /_emulator/behavior`). Every default is the emulator's original answer, so nothing
// changes unless asked. Services read the live object through `ctx.behavior()` on each request.

export interface Behavior {
  /** PUT /organizations/{id}: `replace` resets fields absent from the body; `merge` keeps them. */
  organizationPut: "replace" | "merge";
  /** The range filter op: the seed spells it `gete`, Axway's Swagger `gele`; `both` accepts either. */
  rangeOp: "gete" | "gele" | "both";
  /** Registration codes never allow more users than this (the seed asks 15 and gets 10); null: no cap. */
  tokenQuotaCap: number | null;
  /** 2xx answers the documents show without a JSON body answer with text (or HTML for the login redirect). */
  nonJsonBodies: boolean;
  /** Portal PUTs answer 204 without a body: the client must read back. */
  emptyPutAnswers: boolean;
  /** Cookie set by POST /login; the documents do not name it and installations differ. */
  sessionCookie: string;
  /** Ventus regions served: lower-case path form → display name used in listings. */
  ventusRegions: Record<string, string>;
  /** Lifetime of Ventus tokens, seconds. */
  ventusTokenTtlSeconds: number;
  /** Listings answer from the state as it was this long ago (eventual consistency). */
  listingLagMs: number;
}

export const DEFAULT_VENTUS_REGIONS: Readonly<Record<string, string>> = Object.freeze({
  "eastern-switzerland": "Eastern-Switzerland",
  "upper-austria": "Upper-Austria",
  vienna: "Vienna",
});

export const DEFAULT_BEHAVIOR: Readonly<Behavior> = Object.freeze({
  organizationPut: "replace",
  rangeOp: "both",
  tokenQuotaCap: null,
  nonJsonBodies: false,
  emptyPutAnswers: false,
  sessionCookie: "APIMANAGERSESSION",
  ventusRegions: DEFAULT_VENTUS_REGIONS as Record<string, string>,
  ventusTokenTtlSeconds: 3600,
  listingLagMs: 0,
});

/** A behaviour patch the caller got wrong; answered with 400. */
export class BehaviorError extends TypeError {
  override readonly name = "BehaviorError";
}

/** The seed's only rule for regions: lower case in the path. */
export const REGION_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// RFC 6265 cookie-name (an RFC 7230 token).
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function oneOf<T extends string>(key: string, allowed: readonly T[]) {
  return (value: unknown): T => {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
      throw new BehaviorError(`behavior.${key} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
    }
    return value as T;
  };
}

function boolean(key: string) {
  return (value: unknown): boolean => {
    if (typeof value !== "boolean") throw new BehaviorError(`behavior.${key} must be true or false`);
    return value;
  };
}

function number(key: string, check: (n: number) => boolean, what: string) {
  return (value: unknown): number => {
    if (typeof value !== "number" || !Number.isFinite(value) || !check(value)) {
      throw new BehaviorError(`behavior.${key} must be ${what}`);
    }
    return value;
  };
}

type Validators = { [K in keyof Behavior]: (value: unknown, current: Behavior) => Behavior[K] };

const VALIDATORS: Validators = {
  organizationPut: oneOf("organizationPut", ["replace", "merge"] as const),
  rangeOp: oneOf("rangeOp", ["gete", "gele", "both"] as const),
  tokenQuotaCap: (value) =>
    value === null
      ? null
      : number("tokenQuotaCap", (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31, "null or an integer 0-2147483647")(value),
  nonJsonBodies: boolean("nonJsonBodies"),
  emptyPutAnswers: boolean("emptyPutAnswers"),
  sessionCookie: (value) => {
    if (typeof value !== "string" || !COOKIE_NAME.test(value)) {
      throw new BehaviorError("behavior.sessionCookie must be a cookie name (letters, digits, !#$%&'*+-.^_`|~)");
    }
    return value;
  },
  // Merged into the current map: a new region is added, `null` removes one.
  ventusRegions: (value, current) => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new BehaviorError('behavior.ventusRegions must be an object such as {"zurich-west":"Zurich-West"}');
    }
    const regions = { ...current.ventusRegions };
    for (const [region, display] of Object.entries(value as Record<string, unknown>)) {
      if (!REGION_PATTERN.test(region)) {
        throw new BehaviorError(`behavior.ventusRegions: '${region}' is not a lower-case region such as zurich-west`);
      }
      if (display === null) delete regions[region];
      else if (typeof display === "string" && display.trim() !== "") regions[region] = display;
      else throw new BehaviorError(`behavior.ventusRegions.${region} must be a display name or null`);
    }
    return regions;
  },
  ventusTokenTtlSeconds: number("ventusTokenTtlSeconds", (n) => n > 0 && n <= 10 * 365 * 86400, "a number of seconds > 0"),
  listingLagMs: number("listingLagMs", (n) => n >= 0 && n <= 86_400_000, "a number of milliseconds 0-86400000"),
};

export const BEHAVIOR_KEYS = Object.keys(VALIDATORS) as Array<keyof Behavior>;

/**
 * `base` with `patch` applied, as a JSON merge patch: a key present overwrites, `null` restores the
 * key's default (ventusRegions merges per region, `null` removing one). All or nothing: throws
 * BehaviorError on an unknown key or value and leaves `base` alone.
 */
export function applyBehavior(base: Readonly<Behavior>, patch: unknown): Behavior {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new BehaviorError("behavior must be a JSON object");
  }
  const next: Behavior = { ...base, ventusRegions: { ...base.ventusRegions } };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (!Object.hasOwn(VALIDATORS, key)) {
      throw new BehaviorError(`unknown behavior '${key}': expected one of ${BEHAVIOR_KEYS.join(", ")}`);
    }
    const k = key as keyof Behavior;
    if (value === null) {
      (next as unknown as Record<string, unknown>)[k] = k === "ventusRegions" ? { ...DEFAULT_VENTUS_REGIONS } : DEFAULT_BEHAVIOR[k];
    } else {
      (next as unknown as Record<string, unknown>)[k] = VALIDATORS[k](value, next);
    }
  }
  return next;
}

/**
 * `key=value` from the command line: the value is read as JSON when it parses (`10`, `true`,
 * `{"zurich-west":"Zurich-West"}`), as a plain string otherwise (`merge`).
 */
export function parseBehaviorAssignment(text: string): Record<string, unknown> {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new BehaviorError(`--behavior expects key=value, got "${text}"`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  return { [key]: value };
}

/** A successful DELETE: 204 as documented, or 200 with a short text under `nonJsonBodies`. */
export function deletedAnswer(behavior: Readonly<Behavior>, text: string): { status: number; body?: string } {
  return behavior.nonJsonBodies ? { status: 200, body: text } : { status: 204 };
}

/** A successful PUT: the entity as documented, or 204 without a body under `emptyPutAnswers`. */
export function putAnswer(behavior: Readonly<Behavior>, body: Record<string, unknown>): { status: number; body?: unknown } {
  return behavior.emptyPutAnswers ? { status: 204 } : { status: 200, body };
}
