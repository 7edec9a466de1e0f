import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const WORK = path.join(ROOT, ".work");
export const USERLAND = path.join(WORK, "userland");

/** Directory holding `pulumi`, its Node.js language host and the dynamic-provider launcher. */
export function enginePath(): string {
  const bin = process.env.PVA_ENGINE_BIN;
  if (!bin || !bin.split(":").some((d) => fs.existsSync(path.join(d, "pulumi")))) {
    throw new Error("PVA_ENGINE_BIN does not point at a Pulumi engine: run the tests with `npm test` (scripts/test.sh sets it up)");
  }
  return bin;
}
