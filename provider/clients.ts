// Service clients built from the resolved settings, one per process and settings, so every
// resource of a run shares one keep-alive pool and one token.
import { VENTUS_SETTINGS, missing, resolve, type ConfigSource } from "./config";
import { VentusClient } from "./ventus/client";

let ventus: { key: string; client: VentusClient } | undefined;

/** Thrown when settings a call needs are absent; names each one the way a user sets it. */
export class MissingSettingsError extends Error {
  override readonly name = "MissingSettingsError";
  constructor(service: string, readonly settings: string[]) {
    super(`${service} credentials are not configured: set ${settings.join(", ")}`);
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
    void ventus?.client.close();
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
