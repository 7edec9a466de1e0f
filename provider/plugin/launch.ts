// How the plugin entry (main.ts) knows it was started as a plugin.

/**
 * Whether the process's main module is @pulumi/pulumi's `cmd/run-plugin`, the entry the Node.js
 * language host runs for a plugin folder (its argv: node, run-plugin, the engine's arguments).
 */
export function startedByRunPlugin(mainFile: string | undefined): boolean {
  return mainFile !== undefined && /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run-plugin([\\/]index\.js)?$/.test(mainFile);
}
