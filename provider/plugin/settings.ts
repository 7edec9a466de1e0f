// The provider's configuration as a resource provider plugin: every setting of provider/config.ts
// (`ventus:username`, `axway:url`, …) becomes one property of the `ventus-axway` provider,
// `ventusUsername`, `axwayUrl`, …: set in stack configuration (`ventus-axway:ventusUsername`) for
// the default provider, or as the properties of an explicit provider resource. The engine hands
// them to Configure; they are then read through the same `resolve` as the dynamic provider's
// stack configuration, so the environment variables keep working as the fallback.
import { AXWAY_SETTINGS, VENTUS_SETTINGS, type ConfigSource, type SettingSpec } from "../config";

/** What the schema says of each setting, by its stack configuration key. */
export const SETTING_DOCS: Record<string, { description: string; type?: "boolean" | "integer" }> = {
  "ventus:username": { description: "Ventus Cloud user name (an email address)." },
  "ventus:password": { description: "Ventus Cloud password." },
  "ventus:organizationId": {
    description:
      "Ventus Cloud organization (the id in the console's URL): the default `organizationId` of projects and of getVentusProjects.",
  },
  "ventus:authUrl": { description: "Base URL of Ventus Cloud's authentication service." },
  "ventus:apiUrl": { description: "Base URL of Ventus Cloud's API." },
  "ventus:allowInsecureHttp": {
    description:
      "Allow a plain `http://` URL to a host that is not loopback for Ventus Cloud (credentials would cross the network in clear).",
    type: "boolean",
  },
  "ventus:caCertPath": { description: "PEM file of the CA that signed Ventus Cloud's certificates." },
  "ventus:insecureSkipVerify": { description: "Do not verify Ventus Cloud's TLS certificates.", type: "boolean" },
  "ventus:maxConnections": {
    description: "Connections to Ventus Cloud at most, a whole number from 1 to 1024; left out, the HTTP client's default.",
    type: "integer",
  },
  "axway:url": {
    description: "Base URL of the Axway API Manager, e.g. `https://apim.example.com:8075` (the client adds `/api/portal/v1.3`).",
  },
  "axway:username": { description: "API Manager user name: an API administrator to create organizations and grant API access." },
  "axway:password": { description: "API Manager password." },
  "axway:caCertPath": { description: "PEM file of the CA that signed the API Manager's certificate." },
  "axway:insecureSkipVerify": { description: "Do not verify the API Manager's TLS certificate.", type: "boolean" },
  "axway:sessionLogin": {
    description: "Log in once (`POST /login`, session cookie and CSRF token) instead of sending HTTP Basic on every call.",
    type: "boolean",
  },
  "axway:allowInsecureHttp": {
    description:
      "Allow a plain `http://` URL to a host that is not loopback for the API Manager (credentials would cross the network in clear).",
    type: "boolean",
  },
  "axway:maxConnections": {
    description: "Connections to the API Manager at most, a whole number from 1 to 1024; left out, the HTTP client's default.",
    type: "integer",
  },
};

export interface PluginSetting {
  /** Property of the provider, e.g. `ventusUsername`. */
  property: string;
  spec: SettingSpec;
}

/** Every setting config.ts knows, as provider properties. */
export function pluginSettings(): PluginSetting[] {
  const all: SettingSpec[] = [...Object.values(VENTUS_SETTINGS), ...Object.values(AXWAY_SETTINGS)];
  return all.map((spec) => ({ spec, property: propertyOf(spec.key) }));
}

/** `ventus:username` → `ventusUsername`. */
export function propertyOf(key: string): string {
  const [ns, name] = key.split(":");
  return ns + name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The provider's configuration as config.ts reads it: `get("ventus:username")` answers the
 * provider's `ventusUsername`. Values that are not strings (booleans from a YAML provider
 * resource) are given as config.ts parses them, in text.
 */
export function providerConfigSource(values: Record<string, unknown>, pkg = "ventus-axway"): ConfigSource {
  const byKey: Record<string, string> = {};
  for (const { spec, property } of pluginSettings()) {
    const v = values[property];
    if (v === undefined || v === null || v === "") continue;
    byKey[spec.key] = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  // Messages name the settings as plugin users set them: `ventus-axway:ventusUsername`.
  return { get: (key) => byKey[key], label: (key) => `${pkg}:${propertyOf(key)}` };
}

/**
 * The provider properties from a Configure request: its `args` (typed, secrets unwrapped by
 * the caller) when the engine sent them, else the older `variables` map keyed
 * `ventus-axway:config:ventusUsername`, with values in text.
 */
export function fromVariables(pkg: string, variables: Map<string, string> | Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of variables instanceof Map ? variables.entries() : variables) {
    for (const prefix of [`${pkg}:config:`, `${pkg}:`]) {
      if (k.startsWith(prefix)) {
        out[k.slice(prefix.length)] = v;
        break;
      }
    }
  }
  return out;
}
