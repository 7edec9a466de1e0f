// Service clients built from the resolved and validated settings. Settings are parsed once per
// distinct set (config.ts), so the same settings object means the same settings, and every
// resource of a run that shares them shares one client: one keep-alive pool, one token, one
// session. This is a cache keyed by the settings' value, not a place that holds settings.
import { AxwayClient } from "./axway/client";
import { axwaySettings, ventusSettings, type AxwaySettings, type ConfigSource, type VentusSettings } from "../config";
import { VentusClient } from "./ventus/client";
import { userNotices } from "./notices";
import { ListingRecorder, listingEndpoint } from "../http/listingRecord";

export { InvalidSettingError, MissingSettingsError, SettingsError } from "../config";
export { InsecureTransportError } from "../http/errors";

// Few entries: one per service and distinct settings seen by this process.
const ventusClients = new Map<VentusSettings, VentusClient>();
const axwayClients = new Map<AxwaySettings, AxwayClient>();

/**
 * The Ventus client for the settings `source` gives (the environment alone when undefined).
 * Throws a SettingsError (naming each setting as the source's face does) before any connection
 * when settings are missing or bad.
 */
export function ventusClient(source: ConfigSource | undefined): VentusClient {
  const s = ventusSettings(source);
  let client = ventusClients.get(s);
  if (!client) {
    const tls =
      s.caCertPath !== undefined || s.insecureSkipVerify ? { ca: s.caCertPath, rejectUnauthorized: !s.insecureSkipVerify } : undefined;
    client = new VentusClient({
      authUrl: s.authUrl,
      apiUrl: s.apiUrl,
      username: s.username,
      password: s.password,
      tls,
      allowInsecureHttp: s.allowInsecureHttp,
      http: { connections: s.maxConnections, ...userNotices },
      listingRecord: s.listingRecord ? new ListingRecorder(s.listingRecord, ventusEndpoint(s)) : undefined,
    });
    ventusClients.set(s, client);
  }
  return client;
}

/** The Axway API Manager client for the settings `source` gives (the environment alone when undefined). */
export function axwayClient(source: ConfigSource | undefined): AxwayClient {
  const s = axwaySettings(source);
  let client = axwayClients.get(s);
  if (!client) {
    client = new AxwayClient({
      url: s.url,
      username: s.username,
      password: s.password,
      caCert: s.caCertPath,
      insecureSkipVerify: s.insecureSkipVerify,
      sessionLogin: s.sessionLogin,
      allowInsecureHttp: s.allowInsecureHttp,
      http: { connections: s.maxConnections, ...userNotices },
      listingRecord: s.listingRecord ? new ListingRecorder(s.listingRecord, axwayEndpoint(s)) : undefined,
    });
    axwayClients.set(s, client);
  }
  return client;
}

/** Whose listings these settings see (recorded listings are used only by the same endpoint and account). */
export const axwayEndpoint = (s: AxwaySettings): string => listingEndpoint("axway", s.url, s.username);
export const ventusEndpoint = (s: VentusSettings): string => listingEndpoint("ventus", s.apiUrl, s.username);
