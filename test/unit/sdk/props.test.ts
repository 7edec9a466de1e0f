// What the SDK's resources register: `__provider` is one line that Pulumi's dynamic provider
// host can load from the installed package (require-from-string, then `handler()`).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { RESOURCES } from "../../../provider/resources";
import { providerModule } from "../../../sdk/props";

const ROOT = path.resolve(__dirname, "../../..");
const built = fs.existsSync(path.join(ROOT, "lib/sdk/index.js"));

test("each resource's __provider is one require of its shell module", () => {
  expect(RESOURCES.map(providerModule)).toEqual([
    'exports.handler = () => require("pulumi-ventus-axway/providers/ventusProject");',
    'exports.handler = () => require("pulumi-ventus-axway/providers/portalOrganization");',
    'exports.handler = () => require("pulumi-ventus-axway/providers/organizationApiAccess");',
    'exports.handler = () => require("pulumi-ventus-axway/providers/registrationToken");',
  ]);
});

(built ? test : test.skip)("the dynamic provider host loads each __provider into that resource's provider", () => {
  // What @pulumi/pulumi's cmd/dynamic-provider does with the string: require-from-string (a module
  // resolved from the working directory, here the package itself), then handler().
  const script = `
    const Module = require("node:module");
    const out = {};
    for (const [kind, code] of Object.entries(JSON.parse(process.argv[1]))) {
      const filename = require("node:path").join(process.cwd(), "[provider]");
      const m = new Module(filename, module);
      m.filename = filename;
      m.paths = Module._nodeModulePaths(process.cwd());
      m._compile(code, filename);
      const provider = m.exports.handler();
      out[kind] = Object.keys(provider).sort();
    }
    console.log(JSON.stringify(out));`;
  const codes = Object.fromEntries(RESOURCES.map((d) => [d.name, providerModule(d)]));
  const out = JSON.parse(execFileSync(process.execPath, ["-e", script, JSON.stringify(codes)], { cwd: ROOT }).toString());
  const methods = ["check", "configure", "create", "delete", "diff", "read", "update"];
  expect(out).toEqual(Object.fromEntries(RESOURCES.map((d) => [d.name, methods])));
});
