// Public entry point of the emulator (`pulumi-ventus-axway/emulator`).
export { startEmulator } from "./server";
export type { EmulatorOptions, Fault, RunningEmulator, Stats } from "./server";
export { createVentusService, DEFAULT_VENTUS_USER, VENTUS_REGIONS, VENTUS_ROUTES, ventusPrices } from "./ventus";
export type { VentusOptions, VentusProject, VentusService, VentusUser } from "./ventus";
export type { EmulatorRequest, EmulatorResponse, ServiceContext, ServiceModule } from "./types";
