// The package's "main", and the entry of the `ventus-axway` provider plugin.
//
// Programs never load this file: `require("pulumi-ventus-axway")` resolves through package.json
// "exports" to the SDK. What loads the package by its folder is Pulumi's Node.js language host
// starting a plugin folder that holds PulumiPlugin.yaml (`pulumi package add`, `packages:`, or
// `plugins: providers: path:` in Pulumi.yaml): it runs @pulumi/pulumi's `cmd/run-plugin`, which
// `require`s the folder, i.e. this file. Then it serves the provider and prints its port.
// Anything else that loads the folder by path gets the SDK, as "main" always gave.
import * as path from "node:path";
import { exitWithEngine } from "../watchdog";
import { startedByRunPlugin } from "./launch";

if (startedByRunPlugin(require.main?.filename)) {
  // Stack traces name the TypeScript sources (lib/'s maps carry them): the modules loaded from here on.
  process.setSourceMapsEnabled(true);
  // The process ends with its engine, even one killed outright (the engine's address is the last argument).
  exitWithEngine();
  const { version } = require(path.join(__dirname, "../../../package.json")) as { version: string };
  require("./server")
    .serve({ version })
    .then(({ port }: { port: number }) => {
      // The engine reads the port from the first line of stdout.
      process.stdout.write(`${port}\n`);
    });
} else {
  module.exports = require("../../sdk");
}
