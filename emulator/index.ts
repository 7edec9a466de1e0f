// Public entry point of the emulator (`pulumi-ventus-axway/emulator`).
export { startEmulator } from "./server";
export type { CustomPropertiesConfig, CustomProperty, EmulatorOptions, RunningEmulator, Stats } from "./server";
export { FaultList, mulberry32 } from "./faults";
export type { Fault, FaultCounts, ListedFault } from "./faults";
export { applyBehavior, BEHAVIOR_KEYS, DEFAULT_BEHAVIOR, DEFAULT_VENTUS_REGIONS } from "./behavior";
export type { Behavior } from "./behavior";
export { VersionedMap } from "./history";
export { createVentusService, DEFAULT_VENTUS_USER, VENTUS_REGIONS, VENTUS_ROUTES, ventusPrices } from "./ventus";
export type { VentusOptions, VentusProject, VentusService, VentusUser } from "./ventus";
export type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "./types";
