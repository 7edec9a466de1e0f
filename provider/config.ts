// Where credentials and endpoints come from: stack configuration (`ventus:*`, `axway:*`)
// handed to the dynamic provider's `configure`, falling back to environment variables.
// They live only in this process's memory: never in the serialized provider, never in state.
// Every setting is checked with the same zod rules as resource inputs (provider/rules.ts),
// and a problem names the setting the way a user fixes it: `ventus:apiUrl (or VENTUS_API_URL)`.
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import { z } from "zod";
import { isLoopbackHost } from "./http/loopback";
import { LISTING_RECORD_ENV } from "./http/listingRecord";
import { LIMITS, id, nonBlank, shown, text } from "./rules";

/** Where settings come from: the part of Pulumi's dynamic `Config` this module needs, and the face's names. */
export interface ConfigSource {
  get(key: string): string | undefined;
  /**
   * How the face that reads this source spells a setting in messages: the TypeScript SDK reads
   * `ventus:username`, the plugin `ventus-axway:ventusUsername`. Absent, the key itself.
   */
  label?(key: string): string;
}

export interface SettingSpec {
  /** Stack configuration key, e.g. `ventus:username`. */
  key: string;
  env: string;
  default?: string;
  secret?: boolean;
}

export const VENTUS_SETTINGS = {
  username: { key: "ventus:username", env: "VENTUS_USERNAME" },
  password: { key: "ventus:password", env: "VENTUS_PASSWORD", secret: true },
  organizationId: { key: "ventus:organizationId", env: "VENTUS_ORGANIZATION_ID" },
  authUrl: { key: "ventus:authUrl", env: "VENTUS_AUTH_URL", default: "https://auth.ventuscloud.eu" },
  apiUrl: { key: "ventus:apiUrl", env: "VENTUS_API_URL", default: "https://api.ventuscloud.eu" },
  caCertPath: { key: "ventus:caCertPath", env: "VENTUS_CA_CERT_PATH" },
  insecureSkipVerify: { key: "ventus:insecureSkipVerify", env: "VENTUS_INSECURE_SKIP_VERIFY" },
  allowInsecureHttp: { key: "ventus:allowInsecureHttp", env: "VENTUS_ALLOW_INSECURE_HTTP" },
  maxConnections: { key: "ventus:maxConnections", env: "VENTUS_MAX_CONNECTIONS" },
} satisfies Record<string, SettingSpec>;

export const AXWAY_SETTINGS = {
  url: { key: "axway:url", env: "AXWAY_URL" },
  username: { key: "axway:username", env: "AXWAY_USERNAME" },
  password: { key: "axway:password", env: "AXWAY_PASSWORD", secret: true },
  caCertPath: { key: "axway:caCertPath", env: "AXWAY_CA_CERT_PATH" },
  insecureSkipVerify: { key: "axway:insecureSkipVerify", env: "AXWAY_INSECURE_SKIP_VERIFY" },
  sessionLogin: { key: "axway:sessionLogin", env: "AXWAY_SESSION_LOGIN" },
  allowInsecureHttp: { key: "axway:allowInsecureHttp", env: "AXWAY_ALLOW_INSECURE_HTTP" },
  maxConnections: { key: "axway:maxConnections", env: "AXWAY_MAX_CONNECTIONS" },
} satisfies Record<string, SettingSpec>;

/** Resolves each setting: `source` first (none: the environment alone), then the environment, then the default. */
export function resolve<K extends string>(specs: Record<K, SettingSpec>, source: ConfigSource | undefined): Record<K, string | undefined> {
  const out = {} as Record<K, string | undefined>;
  for (const [name, spec] of Object.entries(specs) as Array<[K, SettingSpec]>) {
    const fromConfig = source?.get(spec.key);
    const fromEnv = process.env[spec.env];
    out[name] = nonEmpty(fromConfig) ?? nonEmpty(fromEnv) ?? spec.default;
  }
  return out;
}

/** A setting as a user of `source`'s face fixes it: `ventus:apiUrl (or VENTUS_API_URL)`. */
export function settingName(spec: SettingSpec, source?: ConfigSource): string {
  return `${source?.label?.(spec.key) ?? spec.key} (or ${spec.env})`;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}

// ---- errors ---------------------------------------------------------------------------

/** Settings that cannot be used; `problems` holds one `<setting>: <rule>` line each. */
export class SettingsError extends Error {
  override readonly name: string = "SettingsError";
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
  }
}

/** Thrown when settings a call needs are absent; names each one the way a user sets it. */
export class MissingSettingsError extends SettingsError {
  override readonly name = "MissingSettingsError";
  constructor(
    service: string,
    readonly settings: string[],
    others: string[] = [],
  ) {
    super([`${service} credentials are not configured: set ${settings.join(", ")}`, ...others]);
  }
}

/** Thrown when a setting is present but unusable (not a boolean, a file that cannot be read). */
export class InvalidSettingError extends SettingsError {
  override readonly name = "InvalidSettingError";
  constructor(
    readonly setting: string,
    problem: string,
  ) {
    super([`${setting}: ${problem}`]);
  }
}

// ---- rules ----------------------------------------------------------------------------

/** "true"/"false"/"1"/"0" (any case, spaces around ignored); absent is false. */
const flag = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return false;
      const s = v.trim().toLowerCase();
      if (s === "true" || s === "1") return true;
      if (s === "false" || s === "0") return false;
      ctx.addIssue({ code: "custom", message: `must be true, false, 1 or 0, not ${shown(v)}` });
      return z.NEVER;
    });

/** Connections to a service at most: a whole number from 1 to 1024; absent, the HTTP core's default. */
const connectionCount = () =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const n = Number(v.trim());
      if (!/^\d+$/.test(v.trim()) || n < 1 || n > 1024) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from 1 to 1024, not ${shown(v)}` });
        return z.NEVER;
      }
      return n;
    });

/** An http(s) base URL without credentials in it; plain http is checked with allowInsecureHttp, below. */
const serviceUrl = () =>
  text(LIMITS.url).transform((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v.trim());
    } catch {
      ctx.addIssue({ code: "custom", message: `must be a URL such as https://host:port, not ${shown(v)}` });
      return z.NEVER;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: `must be an https:// URL, not ${url.protocol}// (got ${shown(v)})` });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "must not contain credentials: set the username and password settings instead" });
      return z.NEVER;
    }
    if (url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: `must not have a query or fragment (got ${shown(v)})` });
      return z.NEVER;
    }
    return v.trim();
  });

/** A readable PEM file of one or more X.509 certificates; the bytes are what the client trusts. */
const pemCertificateFile = () =>
  nonBlank(LIMITS.path).transform((file, ctx) => {
    const name = shown(file, 120);
    let bytes: Buffer;
    try {
      if (fs.statSync(file).size > 1024 * 1024) {
        ctx.addIssue({ code: "custom", message: `names ${name}, larger than 1 MiB: not a PEM certificate` });
        return z.NEVER;
      }
      bytes = fs.readFileSync(file);
    } catch (err) {
      const code = (err as { code?: string }).code;
      ctx.addIssue({ code: "custom", message: `names a file that cannot be read: ${name}${code ? ` (${code})` : ""}` });
      return z.NEVER;
    }
    const blocks = bytes.toString("latin1").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
    if (blocks.length === 0) {
      ctx.addIssue({ code: "custom", message: `names ${name}, which is not a PEM certificate (no BEGIN CERTIFICATE block)` });
      return z.NEVER;
    }
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        ctx.addIssue({ code: "custom", message: `names ${name}, which holds a certificate that cannot be parsed` });
        return z.NEVER;
      }
    }
    return bytes;
  });

/** Plain http off this machine needs allowInsecureHttp: credentials would cross a network in clear. */
function insecureHttpIssue(url: string | undefined, allowed: boolean, allowSetting: string): string | undefined {
  if (url === undefined || allowed) return undefined;
  const u = new URL(url);
  if (u.protocol !== "http:" || isLoopbackHost(u.hostname)) return undefined;
  return (
    `uses plain http:// to ${shown(u.hostname)}, which is not this machine: credentials would travel unencrypted. ` +
    `Use https://, or set ${allowSetting} to true`
  );
}

const VentusSchema = z.object({
  username: nonBlank(LIMITS.name),
  password: z.string(),
  authUrl: serviceUrl(),
  apiUrl: serviceUrl(),
  caCertPath: pemCertificateFile().optional(),
  insecureSkipVerify: flag(),
  allowInsecureHttp: flag(),
  maxConnections: connectionCount(),
  listingRecord: z.string().optional(),
});

const AxwaySchema = z.object({
  url: serviceUrl(),
  username: nonBlank(LIMITS.name),
  password: z.string(),
  caCertPath: pemCertificateFile().optional(),
  insecureSkipVerify: flag(),
  sessionLogin: flag(),
  allowInsecureHttp: flag(),
  maxConnections: connectionCount(),
  listingRecord: z.string().optional(),
});

/** The URL settings of each service, checked against its allowInsecureHttp once parsed. */
const URL_SETTINGS: Record<string, readonly string[]> = { "Ventus Cloud": ["authUrl", "apiUrl"], "Axway API Manager": ["url"] };

export type VentusSettings = z.output<typeof VentusSchema>;
export type AxwaySettings = z.output<typeof AxwaySchema>;

/**
 * Resolves and validates a service's settings; throws MissingSettingsError when required ones
 * are absent (naming each, and any other problem), InvalidSettingError for one bad setting,
 * SettingsError for several.
 */
function parseSettings<K extends string, S extends z.ZodType>(
  service: string,
  specs: Record<K, SettingSpec>,
  schema: S,
  required: K[],
  source: ConfigSource | undefined,
): z.output<S> {
  // Where the drift command collects this run's listings (listingRecord.ts): from the environment only, not a setting of users.
  const raw = { ...resolve(specs, source), listingRecord: nonEmpty(process.env[LISTING_RECORD_ENV]) };
  // Every check and call asks for the settings: parse each distinct set once (the key, with
  // the password in it, lives only in this process's memory). Messages name settings the
  // way the source's face does, so that is part of the key.
  const key = JSON.stringify([service, raw, settingName(specs[required[0]], source)]);
  const known = parsedSettings.get(key);
  if (known) {
    if (known.error) throw known.error;
    return known.value as z.output<S>;
  }
  try {
    const value = parseRaw(service, specs, schema, required, raw, source);
    parsedSettings.set(key, { value });
    return value;
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    parsedSettings.set(key, { error });
    throw error;
  }
}

// Few entries: one per service and distinct settings seen by this process.
const parsedSettings = new Map<string, { value?: unknown; error?: SettingsError }>();

function parseRaw<K extends string, S extends z.ZodType>(
  service: string,
  specs: Record<K, SettingSpec>,
  schema: S,
  required: K[],
  raw: Record<K, string | undefined>,
  source: ConfigSource | undefined,
): z.output<S> {
  const absent = required.filter((k) => !raw[k]);
  const values: Record<string, string | undefined> = { ...raw };
  const r = schema.safeParse(values);
  const problems: Array<[string, string]> = [];
  if (!r.success) {
    for (const issue of r.error.issues) {
      const k = String(issue.path[0]) as K;
      if (absent.includes(k) || !specs[k]) continue;
      problems.push([settingName(specs[k], source), issue.message]);
    }
  } else {
    const parsed = r.data as Record<string, unknown>;
    const allow = settingName((specs as Record<string, SettingSpec>).allowInsecureHttp, source);
    for (const k of URL_SETTINGS[service] ?? []) {
      const problem = insecureHttpIssue(parsed[k] as string | undefined, parsed.allowInsecureHttp === true, allow);
      if (problem) problems.push([settingName(specs[k as K], source), problem]);
    }
  }
  if (absent.length) {
    throw new MissingSettingsError(
      service,
      absent.map((k) => settingName(specs[k], source)),
      problems.map(([s, m]) => `${s}: ${m}`),
    );
  }
  if (problems.length === 1) throw new InvalidSettingError(problems[0][0], problems[0][1]);
  if (problems.length) throw new SettingsError(problems.map(([s, m]) => `${s}: ${m}`));
  return (r as { data: z.output<S> }).data;
}

export function ventusSettings(source: ConfigSource | undefined): VentusSettings {
  return parseSettings("Ventus Cloud", VENTUS_SETTINGS, VentusSchema, ["username", "password", "authUrl", "apiUrl"], source);
}

export function axwaySettings(source: ConfigSource | undefined): AxwaySettings {
  return parseSettings("Axway API Manager", AXWAY_SETTINGS, AxwaySchema, ["url", "username", "password"], source);
}

// Built once: a zod schema built per call costs its compilation on each (every check calls this).
const OrganizationIdSetting = id();

/**
 * `ventus:organizationId`, the default organization of projects, checked with the same id
 * rule as the resource input: undefined when unset, InvalidSettingError when unusable.
 */
export function ventusOrganizationSetting(source: ConfigSource | undefined): string | undefined {
  const value = resolve(VENTUS_SETTINGS, source).organizationId;
  if (value === undefined) return undefined;
  const r = OrganizationIdSetting.safeParse(value);
  if (!r.success) throw new InvalidSettingError(settingName(VENTUS_SETTINGS.organizationId, source), r.error.issues[0].message);
  return r.data;
}
