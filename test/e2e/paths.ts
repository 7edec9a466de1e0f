import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const WORK = path.join(ROOT, ".work");
export const USERLAND = path.join(WORK, "userland");

/** The @pulumi/pulumi the package is built and tested with: the lockfile's, installed in node_modules. */
export const SDK_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
/** The oldest @pulumi/pulumi the package supports: the lower bound of its range in package.json. */
export const OLDEST_SDK_VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).dependencies[
  "@pulumi/pulumi"
].replace(/^[^0-9]*/, "");

/**
 * Installs the package as just built into `dir` (packed, as users install it) next to
 * @pulumi/pulumi `sdkVersion`, offline: scripts/setup.sh filled npm's cache (scripts/userland.sh).
 */
export function installUserland(dir: string, sdkVersion: string, options: { typescript?: boolean } = {}): void {
  execFileSync(
    "bash",
    [path.join(ROOT, "scripts/userland.sh"), dir, sdkVersion, "--offline", ...(options.typescript ? ["--with-typescript"] : [])],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
}

/** Directory holding `pulumi`, its Node.js language host and the dynamic-provider launcher. */
export function enginePath(): string {
  const bin = process.env.PVA_ENGINE_BIN;
  if (!bin || !bin.split(":").some((d) => fs.existsSync(path.join(d, "pulumi")))) {
    throw new Error("PVA_ENGINE_BIN does not point at a Pulumi engine: run the tests with `npm test` (scripts/test.sh sets it up)");
  }
  return bin;
}
