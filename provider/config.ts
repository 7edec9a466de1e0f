// Where credentials and endpoints come from: stack configuration (`ventus:*`, `axway:*`)
// handed to the dynamic provider's `configure`, falling back to environment variables.
// They live only in this process's memory: never in the serialized provider, never in state.

/** The part of Pulumi's dynamic `Config` this module needs. */
export interface ConfigSource {
  get(key: string): string | undefined;
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
} satisfies Record<string, SettingSpec>;

export const AXWAY_SETTINGS = {
  url: { key: "axway:url", env: "AXWAY_URL" },
  username: { key: "axway:username", env: "AXWAY_USERNAME" },
  password: { key: "axway:password", env: "AXWAY_PASSWORD", secret: true },
  caCertPath: { key: "axway:caCertPath", env: "AXWAY_CA_CERT_PATH" },
  insecureSkipVerify: { key: "axway:insecureSkipVerify", env: "AXWAY_INSECURE_SKIP_VERIFY" },
  sessionLogin: { key: "axway:sessionLogin", env: "AXWAY_SESSION_LOGIN" },
} satisfies Record<string, SettingSpec>;

let stackConfig: ConfigSource | undefined;

/** Called from the dynamic provider's `configure` with the whole stack configuration. */
export function configure(config: ConfigSource | undefined): void {
  stackConfig = config;
}

/** Resolves each setting: stack config first, then the environment, then the default. */
export function resolve<K extends string>(
  specs: Record<K, SettingSpec>,
  source: ConfigSource | undefined = undefined,
): Record<K, string | undefined> {
  source ??= stackConfig;
  const out = {} as Record<K, string | undefined>;
  for (const [name, spec] of Object.entries(specs) as Array<[K, SettingSpec]>) {
    const fromConfig = source?.get(spec.key);
    const fromEnv = process.env[spec.env];
    out[name] = nonEmpty(fromConfig) ?? nonEmpty(fromEnv) ?? spec.default;
  }
  return out;
}

/** Names of the required settings that are missing, spelled as a user fixes them. */
export function missing<K extends string>(
  specs: Record<K, SettingSpec>,
  values: Record<K, string | undefined>,
  required: K[],
): string[] {
  return required.filter((k) => !values[k]).map((k) => `${specs[k].key} (or ${specs[k].env})`);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
