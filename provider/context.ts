// What every resource operation and function is handed instead of reading settings from a
// module: where the settings come from (the stack's configuration for the TypeScript SDK, the
// provider's configuration for the plugin, the environment as the fallback of both), how that
// face names them in messages, and the service clients built from them.
import type { AxwayClient } from "./clients/axway/client";
import type { VentusClient } from "./clients/ventus/client";
import { VENTUS_SETTINGS, settingName, ventusOrganizationSetting, type ConfigSource, type SettingSpec } from "./config";

export interface ProviderContext {
  /** The settings as this face reads them. */
  readonly source: ConfigSource | undefined;
  /** The Ventus client; throws a SettingsError naming each missing or bad setting. */
  ventus(): VentusClient;
  /** The API Manager client; throws a SettingsError naming each missing or bad setting. */
  axway(): AxwayClient;
  /** The default Ventus organization (`ventus:organizationId`), checked like the input; undefined when unset. */
  ventusOrganizationDefault(): string | undefined;
  /** A setting as this face's users fix it, e.g. `ventus:organizationId (or VENTUS_ORGANIZATION_ID)`. */
  settingName(spec: SettingSpec): string;
}

/**
 * The clients' module (undici, the service clients), loaded at the first client asked for: a
 * program that only declares resources never makes a call, and loads about 110 modules fewer.
 */
const clients = (): typeof import("./clients") => require("./clients");

/** The context of one face's settings; cheap: settings and clients are cached by value (config.ts, clients/index.ts). */
export function providerContext(source: ConfigSource | undefined): ProviderContext {
  return {
    source,
    ventus: () => clients().ventusClient(source),
    axway: () => clients().axwayClient(source),
    ventusOrganizationDefault: () => ventusOrganizationSetting(source),
    settingName: (spec) => settingName(spec, source),
  };
}

/** `organizationId: not set …, and neither <setting> is set`: the default organization's setting in the face's words. */
export function organizationDefaultSetting(ctx: ProviderContext): string {
  return ctx.settingName(VENTUS_SETTINGS.organizationId).replace(" (or ", " nor ").replace(/\)$/, "");
}
