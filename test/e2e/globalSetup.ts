// Once per run: install the package into a "userland" folder the way users do (packed,
// not linked), next to @pulumi/pulumi, so that every test program resolves
// `pulumi-ventus-axway` from a real node_modules: the serialized providers in state then
// `require` the installed package, exactly as in a user's project. The install is offline
// (scripts/userland.sh): setup.sh, which the test command sources, filled npm's cache.
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, SDK_VERSION, USERLAND, enginePath, installUserland } from "./paths";

export default async function globalSetup(): Promise<void> {
  enginePath(); // fails early, with instructions, when the engine is not there
  if (!fs.existsSync(path.join(ROOT, "lib/sdk/index.js"))) {
    throw new Error("lib/ is not built: run the tests with `npm test`, which builds first");
  }
  fs.rmSync(path.join(USERLAND, "projects"), { recursive: true, force: true });
  // The SDK the package was built and is tested with (the lockfile's), and for the TypeScript
  // programs of examples/ (run by examples.test.ts) typescript, ts-node and @types/node.
  installUserland(USERLAND, SDK_VERSION, { typescript: true });
}
