// The implementation behind the SDK's resources. The dynamic provider stored in state is a
// thin shell that requires this module at run time (see sdk/shell.ts), so state holds no
// implementation and no credentials.

import { enableCompileCache } from "node:module";

// Every provider process compiles zod, undici and this package anew (about 225 files): Node's
// on-disk compile cache (in the OS's temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
// off) makes the next process's load about a third faster (BENCHMARKS.md). A read-only
// temporary folder only means no cache.
enableCompileCache?.();

// Stack traces of errors thrown in the modules loaded from here on (the dynamic providers' process
// loads the package through this file) name the TypeScript sources, which lib/'s maps carry.
process.setSourceMapsEnabled(true);

import { providerContext, type ProviderContext } from "./context";
import type { ConfigSource } from "./config";
import { dropServiceFailureEchoes } from "./failures";
import { exitWithEngine, startedAsDynamicProvider } from "./watchdog";

// In the dynamic provider's process (the engine starts it; this module loads at its first call):
// the process ends with its engine, even one killed outright, and a service failure is one line.
if (startedAsDynamicProvider(require.main?.filename)) {
  exitWithEngine();
  dropServiceFailureEchoes();
}

export { resolve, VENTUS_SETTINGS, AXWAY_SETTINGS, type ConfigSource } from "./config";
export { providerContext, type ProviderContext } from "./context";
export { ventusClient, axwayClient, MissingSettingsError, InvalidSettingError } from "./clients";
export { ApiError, InsecureTransportError, ResponseShapeError } from "./http/errors";
export { HttpClient } from "./http/client";
export { VentusClient } from "./clients/ventus/client";
export * as ventusSchemas from "./clients/ventus/schemas";
export { AxwayClient, type AxwayClientOptions } from "./clients/axway/client";
export * as axwaySchemas from "./clients/axway/schemas";
export { resources, RESOURCES, resourceOfType, type ResourceKind } from "./resources";

/**
 * The context of the TypeScript SDK's dynamic resources: the stack configuration that the
 * dynamic provider's `configure` receives (`ventus:*`, `axway:*`), else the environment alone.
 */
export function dynamicContext(config: ConfigSource | undefined): ProviderContext {
  return providerContext(config ? { get: (key) => config.get(key) } : undefined);
}
