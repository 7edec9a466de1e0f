// A program that only declares resources loads the SDK's classes and their descriptors, not the
// HTTP client: undici and the service clients load at the first client a context is asked for
// (a function call, a provider operation). About 110 modules fewer in every program's process.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const built = fs.existsSync(path.join(ROOT, "lib/sdk/index.js"));

(built ? test : test.skip)("loading the SDK loads no HTTP client; the first client asked for loads it", () => {
  const script = `
    const undici = () => Object.keys(require.cache).filter((f) => f.includes("/node_modules/undici/")).length;
    require(${JSON.stringify(path.join(ROOT, "lib/sdk"))});
    const atLoad = undici();
    const { providerContext } = require(${JSON.stringify(path.join(ROOT, "lib/provider/context"))});
    let error = "";
    try { providerContext({ get: () => undefined }).ventus(); } catch (e) { error = e.constructor.name; }
    console.log(JSON.stringify({ atLoad, afterCall: undici() > 0, error }));`;
  const env = { PATH: process.env.PATH ?? "" };
  const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env }).toString());
  expect(out).toEqual({ atLoad: 0, afterCall: true, error: "MissingSettingsError" });
});
