// Once per run: install the package into a "userland" folder the way users do (packed,
// not linked), next to @pulumi/pulumi, so that every test program resolves
// `pulumi-ventus-axway` from a real node_modules: the serialized providers in state then
// `require` the installed package, exactly as in a user's project.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, USERLAND, enginePath } from "./paths";

export default async function globalSetup(): Promise<void> {
  enginePath(); // fails early, with instructions, when the engine is not there
  if (!fs.existsSync(path.join(ROOT, "lib/sdk/index.js"))) {
    throw new Error("lib/ is not built: run the tests with `npm test`, which builds first");
  }
  const rootPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  fs.rmSync(path.join(USERLAND, "projects"), { recursive: true, force: true });
  fs.mkdirSync(path.join(USERLAND, "projects"), { recursive: true });
  fs.writeFileSync(
    path.join(USERLAND, "package.json"),
    JSON.stringify(
      {
        name: "userland",
        private: true,
        dependencies: {
          "@pulumi/pulumi": rootPkg.dependencies["@pulumi/pulumi"],
          "pulumi-ventus-axway": `file:${ROOT}`,
          // For the TypeScript programs of examples/ (run by examples.test.ts).
          typescript: rootPkg.devDependencies.typescript,
          "ts-node": rootPkg.devDependencies["ts-node"],
          "@types/node": rootPkg.devDependencies["@types/node"],
        },
      },
      null,
      2,
    ),
  );
  // Always the package as just built: drop the previous copy, npm packs the tree anew.
  fs.rmSync(path.join(USERLAND, "node_modules/pulumi-ventus-axway"), { recursive: true, force: true });
  // The lockfile remembers the package as it was (its `bin` included): without it npm reads the new one.
  fs.rmSync(path.join(USERLAND, "package-lock.json"), { force: true });
  execFileSync("npm", ["install", "--install-links", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: USERLAND,
    stdio: ["ignore", "ignore", "inherit"],
  });
}
