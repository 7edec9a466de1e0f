// Service clients built from the resolved settings, one per process and settings, so every
// resource of a run shares one keep-alive pool and one token.
import { readFileSync } from "node:fs";
import { AxwayClient } from "./axway/client";
import { AXWAY_SETTINGS, VENTUS_SETTINGS, missing, resolve, type ConfigSource, type SettingSpec } from "./config";
import { VentusClient } from "./ventus/client";

let ventus: { key: string; client: VentusClient } | undefined;

/** Thrown when settings a call needs are absent; names each one the way a user sets it. */
export class MissingSettingsError extends Error {
  override readonly name = "MissingSettingsError";
  constructor(service: string, readonly settings: string[]) {
    super(`${service} credentials are not configured: set ${settings.join(", ")}`);
  }
}

/** Thrown when a setting is present but unusable (not a boolean, a file that cannot be read). */
export class InvalidSettingError extends Error {
  override readonly name = "InvalidSettingError";
  constructor(readonly setting: string, problem: string) {
    super(`${setting} ${problem}`);
  }
}

/** `source` defaults to the configuration the dynamic provider was configured with. */
export function ventusClient(source?: ConfigSource): VentusClient {
  const s = resolve(VENTUS_SETTINGS, source);
  const absent = missing(VENTUS_SETTINGS, s, ["username", "password", "authUrl", "apiUrl"]);
  if (absent.length) throw new MissingSettingsError("Ventus Cloud", absent);
  // The cache key holds the password only in memory, to notice a change of credentials.
  const key = JSON.stringify([s.username, s.password, s.authUrl, s.apiUrl]);
  if (!ventus || ventus.key !== key) {
    ventus?.client.close().catch(() => undefined); // a client already closed must not crash the provider
    ventus = {
      key,
      client: new VentusClient({ authUrl: s.authUrl!, apiUrl: s.apiUrl!, username: s.username!, password: s.password! }),
    };
  }
  return ventus.client;
}

export function ventusOrganizationDefault(source?: ConfigSource): string | undefined {
  return resolve(VENTUS_SETTINGS, source).organizationId;
}

let axway: { key: string; client: AxwayClient } | undefined;

/** `source` defaults to the configuration the dynamic provider was configured with. */
export function axwayClient(source?: ConfigSource): AxwayClient {
  const s = resolve(AXWAY_SETTINGS, source);
  const absent = missing(AXWAY_SETTINGS, s, ["url", "username", "password"]);
  if (absent.length) throw new MissingSettingsError("Axway API Manager", absent);
  const insecureSkipVerify = flag(AXWAY_SETTINGS.insecureSkipVerify, s.insecureSkipVerify);
  const sessionLogin = flag(AXWAY_SETTINGS.sessionLogin, s.sessionLogin);
  // Keyed by the CA file's path, not its contents: it is read when a client is built.
  const key = JSON.stringify([s.url, s.username, s.password, s.caCertPath, insecureSkipVerify, sessionLogin]);
  if (!axway || axway.key !== key) {
    const caCert = s.caCertPath === undefined ? undefined : readSettingFile(AXWAY_SETTINGS.caCertPath, s.caCertPath);
    // The replaced client finishes what it has in flight; a failure to log out is of no concern.
    axway?.client.close().catch(() => undefined);
    axway = {
      key,
      client: new AxwayClient({
        url: s.url!,
        username: s.username!,
        password: s.password!,
        caCert,
        insecureSkipVerify,
        sessionLogin,
      }),
    };
  }
  return axway.client;
}

function settingName(spec: SettingSpec): string {
  return `${spec.key} (or ${spec.env})`;
}

/** "true"/"false"/"1"/"0" (any case); absent is false; anything else names the setting. */
function flag(spec: SettingSpec, value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw new InvalidSettingError(settingName(spec), `must be true, false, 1 or 0, not ${JSON.stringify(value)}`);
}

function readSettingFile(spec: SettingSpec, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new InvalidSettingError(settingName(spec), `names a file that cannot be read: ${file}${code ? ` (${code})` : ""}`);
  }
}
