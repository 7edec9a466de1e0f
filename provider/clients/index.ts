// Service clients built from the resolved and validated settings, one per process and
// settings, so every resource of a run shares one keep-alive pool and one token.
import { AxwayClient } from "./axway/client";
import {
  axwaySettings,
  ventusOrganizationSetting,
  ventusSettings,
  type AxwaySettings,
  type ConfigSource,
  type VentusSettings,
} from "../config";
import { VentusClient } from "./ventus/client";
import { userNotices } from "./notices";

export { InvalidSettingError, MissingSettingsError, SettingsError } from "../config";
export { InsecureTransportError } from "../http/errors";

// Settings come parsed once per distinct set (config.ts), so the same object means the same settings.
let ventus: { settings: VentusSettings; client: VentusClient } | undefined;

/**
 * `source` defaults to the configuration the dynamic provider was configured with.
 * Throws a SettingsError (naming each setting) before any connection when settings are missing or bad.
 */
export function ventusClient(source?: ConfigSource): VentusClient {
  const s = ventusSettings(source);
  const tls =
    s.caCertPath !== undefined || s.insecureSkipVerify ? { ca: s.caCertPath, rejectUnauthorized: !s.insecureSkipVerify } : undefined;
  if (ventus?.settings !== s) {
    ventus?.client.close().catch(() => undefined); // a client already closed must not crash the provider
    ventus = {
      settings: s,
      client: new VentusClient({
        authUrl: s.authUrl,
        apiUrl: s.apiUrl,
        username: s.username,
        password: s.password,
        tls,
        allowInsecureHttp: s.allowInsecureHttp,
        http: { connections: s.maxConnections, ...userNotices },
      }),
    };
  }
  return ventus.client;
}

/** `ventus:organizationId` / `VENTUS_ORGANIZATION_ID`, checked like the resource input; undefined when unset. */
export function ventusOrganizationDefault(source?: ConfigSource): string | undefined {
  return ventusOrganizationSetting(source);
}

let axway: { settings: AxwaySettings; client: AxwayClient } | undefined;

/** `source` defaults to the configuration the dynamic provider was configured with. */
export function axwayClient(source?: ConfigSource): AxwayClient {
  const s = axwaySettings(source);
  if (axway?.settings !== s) {
    // The replaced client finishes what it has in flight; a failure to log out is of no concern.
    axway?.client.close().catch(() => undefined);
    axway = {
      settings: s,
      client: new AxwayClient({
        url: s.url,
        username: s.username,
        password: s.password,
        caCert: s.caCertPath,
        insecureSkipVerify: s.insecureSkipVerify,
        sessionLogin: s.sessionLogin,
        allowInsecureHttp: s.allowInsecureHttp,
        http: { connections: s.maxConnections, ...userNotices },
      }),
    };
  }
  return axway.client;
}
