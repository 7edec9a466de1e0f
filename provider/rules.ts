// The input rules, in one place: every resource input, every function argument and every
// setting is checked with these zod schemas before any API call. A rule's message says only
// the rule ("must not be empty"); whoever reports it puts the field or setting in front
// ("name: must not be empty"). Values are echoed only shortened (`shown`), so a 100 KB
// input or an escape sequence never reaches the terminal.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

// ---- limits (documented in the README) ------------------------------------------------

export const LIMITS = {
  /** Names: organization and project names, usernames. */
  name: 255,
  /** Free text: an organization's description. */
  description: 4096,
  /** Short text: phone numbers. */
  short: 64,
  /** RFC 5321's limit for an address. */
  email: 254,
  /** RFC 1035's limit for a host name. */
  host: 253,
  /** Ids of organizations, projects, APIs, grants, registration codes. */
  id: 255,
  /** File paths (image, CA certificate): Linux's PATH_MAX. */
  path: 4096,
  /** URLs of the services. */
  url: 2048,
  /** The organization picture, checked at preview: the portal answers 413 beyond about that. */
  imageBytes: 1024 * 1024,
  /** int32, the type the portal's API documents for counts and durations. */
  int32: 2 ** 31 - 1,
} as const;

/** 9999-12-31T23:59:59.999Z: the last instant with a four-digit year. */
export const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** What the SDK sends for a `Date` that holds no time (`new Date("garbage")`), so check names the field. */
export const INVALID_DATE = "Invalid Date";

// ---- showing values -------------------------------------------------------------------

/** A value as it may appear in a message: JSON, control characters escaped, cut to ~40 characters. */
export function shown(value: unknown, max = 40): string {
  if (typeof value === "string" && value.length > max) {
    return `${JSON.stringify(value.slice(0, max)).slice(0, -1)}…" (${value.length} characters)`;
  }
  let s: string;
  try {
    s = JSON.stringify(value) ?? String(value);
  } catch {
    s = String(value);
  }
  // JSON leaves U+007F–U+009F and the line separators alone; a terminal does not.
  s = s.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return s.length > max + 2 ? `${s.slice(0, max)}…` : s;
}

/** No longer than a name may be, and free of control characters: safe to print as it is. */
export function isPlain(s: string): boolean {
  return s.length <= LIMITS.name && !CONTROL.test(s);
}

/** A field's name for a message: as it is when plain, else shortened and escaped. */
export function label(name: string): string {
  return isPlain(name) ? name : shown(name);
}

// ---- text -----------------------------------------------------------------------------

/** C0 and C1 control characters (NUL, tab, newline, ESC…), DEL, and the Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

function controlMessage(s: string): string {
  const i = s.search(CONTROL);
  const code = s.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
  return `must not contain control characters (U+${code} at character ${i + 1})`;
}

const stringError = (iss: { input?: unknown }) => (iss.input === undefined ? "is required" : "must be a string");

/**
 * The one text rule: a string of at most `max` characters without control characters.
 * The length is checked first, so a huge value costs one comparison.
 */
export function text(max: number = LIMITS.name) {
  return z
    .string({ error: stringError })
    .max(max, { error: (iss) => `must be at most ${max} characters (got ${(iss.input as string).length})`, abort: true })
    .refine((s) => !CONTROL.test(s), { error: (iss) => controlMessage(iss.input as string), abort: true });
}

/** The one non-blank rule: text that is not empty or only spaces. */
export function nonBlank(max: number = LIMITS.name) {
  return text(max).refine((s) => s.trim().length > 0, { error: "must not be empty", abort: true });
}

/** The dot-segments, which URL normalization turns into another resource (`.` this one, `..` the parent). */
const DOT_SEGMENT = { error: 'must not be "." or ".."', abort: true } as const;
const notDotSegment = (s: string) => s !== "." && s !== "..";

/** A name that travels as a URL path segment (a Ventus project's, in `POST …/projects/{name}`): not `.` or `..`. */
export function segmentName(max: number = LIMITS.name) {
  return nonBlank(max).refine(notDotSegment, DOT_SEGMENT);
}

/**
 * The one id rule: ids travel as URL path segments, so `.` and `..` (which URL normalization
 * turns into another resource: the parent) and `/ \ ? #`, spaces and control characters are
 * refused, whatever the service.
 */
export function id() {
  return nonBlank(LIMITS.id)
    .refine(notDotSegment, DOT_SEGMENT)
    .refine((s) => !/[/\\?#\s]/.test(s), { error: "must not contain '/', '\\', '?', '#' or spaces" });
}

export const bool = () => z.boolean({ error: (iss) => (iss.input === undefined ? "is required" : "must be true or false") });

/** A whole number from 0 to int32's maximum. */
export function count(unit = "") {
  const what = unit ? ` ${unit}` : "";
  return z
    .number({ error: `must be a number${what}` })
    .int(`must be a whole number${what}`)
    .min(0, "must be 0 or more")
    .max(LIMITS.int32, `must be at most ${LIMITS.int32}`);
}

export function email() {
  return text(LIMITS.email).pipe(z.email({ error: "must be an email address such as support@example.com" }));
}

// ---- time -----------------------------------------------------------------------------

/** What a time written as text must be, and examples, for messages. */
const ISO = "an ISO 8601 date or date-time";
const ISO_EXAMPLES = "e.g. 2030-03-07 or 2030-03-07T12:00:00Z";

/**
 * ISO 8601's extended format: a calendar date, or a date and time (seconds and their fraction
 * optional) with its zone, `Z` or an offset. The zone is matched as optional only to say so.
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch milliseconds of an ISO 8601 date (midnight UTC) or date-time; else what is wrong, to follow the value in a message. */
function parseIso8601(s: string): number | { problem: string } {
  const m = ISO_8601.exec(s);
  if (!m) return { problem: /^\s*-?\d+\s*$/.test(s) ? "; digits alone are no time (epoch milliseconds are a number, not a string)" : "" };
  const [, y, mo, d, h, mi, sec = "0", frac = "", zone] = m;
  // Without a zone ISO 8601 means local time: the plan would depend on the machine's.
  if (h !== undefined && zone === undefined) return { problem: ", which has no time zone (add Z or an offset such as +01:00)" };
  const [year, month, day, hour, minute, second] = [y, mo, d, h ?? "0", mi ?? "0", sec].map(Number);
  const [zoneHours, zoneMinutes] =
    !zone || zone === "Z" ? [0, 0] : [Number(zone.slice(1, 3)), Number(zone.slice(3).replace(":", "") || "0")];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lastDay = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (!lastDay || day < 1 || day > lastDay || hour > 23 || minute > 59 || second > 59 || zoneHours > 23 || zoneMinutes > 59) {
    return { problem: ", which is no such date or time" };
  }
  const ms = Number(frac.padEnd(3, "0").slice(0, 3)); // finer than milliseconds is cut off
  // setUTCFullYear, as Date.UTC reads years 0 to 99 as 1900 to 1999.
  const local = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms)).setUTCFullYear(year);
  const offset = (zoneHours * 60 + zoneMinutes) * 60_000;
  return zone?.startsWith("-") ? local + offset : local - offset;
}

/** How a time is declared, in the descriptions of every face (the TypeScript SDK takes a `Date` too). */
export const TIME_INPUT =
  "an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with its zone (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as epoch milliseconds";

/**
 * A point in time as the README documents it: an ISO 8601 date or date-time string, a Date
 * (which the SDK sends as epoch milliseconds), or epoch milliseconds; kept as epoch
 * milliseconds, from 1970 to the end of year 9999. Any other string is refused, so
 * "March 7 2030" or "1900000000" never becomes some other time.
 */
export function epochMillis() {
  const kinds = `must be ${ISO} (${ISO_EXAMPLES}), a Date or epoch milliseconds`;
  return z.union([z.number(), z.string()], { error: kinds }).transform((v, ctx) => {
    const refuse = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (v === INVALID_DATE) return refuse("is an invalid Date (new Date(...) could not read its argument)");
    let ms: number;
    if (typeof v === "number") {
      if (!Number.isInteger(v)) return refuse(`must be whole epoch milliseconds (got ${shown(v)})`);
      ms = v;
    } else {
      const parsed = v.length > 64 ? { problem: "" } : parseIso8601(v);
      if (typeof parsed !== "number") return refuse(`must be ${ISO}, ${ISO_EXAMPLES} (got ${shown(v)}${parsed.problem})`);
      ms = parsed;
    }
    if (ms < 0) return refuse(`must not be before 1970-01-01 (got ${shown(v)})`);
    if (ms > MAX_TIME) return refuse(`must not be after 9999-12-31T23:59:59.999Z (got ${shown(v)})`);
    return ms;
  });
}

// ---- files ----------------------------------------------------------------------------

export const JPEG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);

export interface ImageFile {
  /** Absolute path. */
  path: string;
  bytes: Buffer;
}

/** Thrown by readImage; its message is the rule, without the field. */
export class ImageRuleError extends Error {
  override readonly name = "ImageRuleError";
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * Reads a JPEG the program refers to (relative paths are from the program's folder, the
 * provider's cwd): a regular file of at most 1 MiB that starts like a JPEG. The size is
 * looked at before the file is read.
 */
export function readImage(file: string): ImageFile {
  const abs = path.resolve(file);
  const name = shown(file, 120);
  let size: number;
  try {
    const st = fs.statSync(abs);
    if (!st.isFile()) throw new ImageRuleError(`${name} is not a file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ImageRuleError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ImageRuleError(code === "ENOENT" ? `no such file: ${name}` : `cannot read ${name} (${code})`);
  }
  if (size > LIMITS.imageBytes) {
    throw new ImageRuleError(`${name} is ${mib(size)}; the portal takes images of at most 1 MiB (${LIMITS.imageBytes} bytes)`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (err) {
    throw new ImageRuleError(`cannot read ${name} (${(err as NodeJS.ErrnoException).code})`);
  }
  if (bytes.length < 3 || !bytes.subarray(0, 3).equals(JPEG_MAGIC)) {
    throw new ImageRuleError(`${name} is not a JPEG file (the portal takes JPEG images only)`);
  }
  return { path: abs, bytes };
}

/** SHA-256 in hex: how an image's content is tracked (and a registration code's id made). */
export function sha256(bytes: Buffer | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** A path to a JPEG image: text first (length, control characters), then the file itself. */
export function imagePath() {
  return nonBlank(LIMITS.path).superRefine((file, ctx) => {
    try {
      readImage(file);
    } catch (err) {
      if (!(err instanceof ImageRuleError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
    }
  });
}

// ---- unknown fields -------------------------------------------------------------------

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known name closest to `name`, when one is near enough to be a typo (or `name` begins it). */
export function closest(name: string, known: readonly string[]): string | undefined {
  if (name.length > 64) return undefined;
  const lower = name.toLowerCase();
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (!best || d < best.d) best = { k, d };
  }
  if (best && best.d <= Math.max(1, Math.min(3, Math.floor(best.k.length / 3)))) return best.k;
  return lower.length >= 3 ? known.find((k) => k.toLowerCase().startsWith(lower)) : undefined;
}

/** The message for an input (or argument) nobody declares: the closest known one, else all of them. */
export function unknownFieldMessage(name: string, known: readonly string[], noun = "input"): string {
  const a = /^[aeiou]/.test(noun) ? "an" : "a";
  if (known.length === 0) return `is not ${a} ${noun} (there are none)`;
  const near = closest(name, known);
  return near ? `is not ${a} ${noun}; did you mean ${near}?` : `is not ${a} ${noun} (${noun}s: ${known.join(", ")})`;
}

/** Where a zod issue points, as a user spells it: `filters[0].op`. */
export function issuePath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("");
}

// zod compiles a parser for each schema object on its first parse: deriving a new strict
// (or partial) schema on every check made each check pay that again (+17 MB of provider
// memory and most of check's time over 200 checks, see BENCHMARKS.md). Derive each once.
const derived = new WeakMap<z.ZodObject, Map<string, z.ZodObject>>();

/** `schema` refusing unknown keys, with `optionalKeys` made optional; built once per schema and keys. */
export function strictOf<S extends z.ZodObject>(schema: S, optionalKeys: readonly string[] = []): S {
  let bySchema = derived.get(schema);
  if (!bySchema) derived.set(schema, (bySchema = new Map()));
  const key = optionalKeys.join("\0");
  let s = bySchema.get(key);
  if (!s) {
    const mask = Object.fromEntries(optionalKeys.map((k) => [k, true])) as Record<string, true>;
    s = (optionalKeys.length ? schema.partial(mask as never) : schema).strict();
    bySchema.set(key, s);
  }
  return s as S;
}
