// The package ships lib/ only, compiled with inlineSources: each map carries its TypeScript
// source, and the entries (provider/index.ts for the dynamic providers' process,
// provider/plugin/main.ts for the plugin, gitops/cli.ts for the command) turn Node's source maps
// on, so a stack trace a user sees names `.ts` lines whose source is in the package.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const built = fs.existsSync(path.join(ROOT, "lib/provider/index.js"));

(built ? test : test.skip)("an error thrown in lib/ code shows .ts frames, whose source the maps carry", () => {
  // A fresh process, as the dynamic provider's: it loads the package through lib/provider/index.js.
  const script = `
    const { findSourceMap } = require("node:module");
    const { ventusClient } = require(${JSON.stringify(path.join(ROOT, "lib/provider"))});
    try { ventusClient(); } catch (e) {
      const frame = /\\(([^()]+\\.ts):(\\d+):\\d+\\)/.exec(e.stack);
      const map = findSourceMap(${JSON.stringify(path.join(ROOT, "lib/provider/config.js"))});
      const i = map.payload.sources.findIndex((s) => s.endsWith("config.ts"));
      console.log(JSON.stringify({ stack: e.stack, frame: frame && [frame[1], +frame[2]], source: map.payload.sourcesContent[i] }));
    }`;
  const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env: { PATH: process.env.PATH } }).toString());
  expect(out.stack).toMatch(/^MissingSettingsError: Ventus Cloud credentials are not configured/);
  expect(out.frame[0]).toBe(path.join(ROOT, "provider/config.ts"));
  const line = out.source.split("\n")[out.frame[1] - 1];
  expect(line).toMatch(/throw new MissingSettingsError\(/);
  // Not read from provider/config.ts: the map holds the source, as in an installed package.
  expect(out.source).toBe(fs.readFileSync(path.join(ROOT, "provider/config.ts"), "utf8"));
});

(built ? test : test.skip)("every map in lib/ carries its source", () => {
  const maps: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      // (a map left by an earlier build of a source since moved is not the package's: prepack cleans lib/)
      else if (
        e.name.endsWith(".js.map") &&
        fs.existsSync(path.join(ROOT, path.relative(path.join(ROOT, "lib"), d), e.name.replace(/\.js\.map$/, ".ts")))
      )
        maps.push(path.join(d, e.name));
    }
  };
  walk(path.join(ROOT, "lib"));
  expect(maps.length).toBeGreaterThan(50);
  const without = maps.filter((m) => {
    const map = JSON.parse(fs.readFileSync(m, "utf8"));
    return !(map.sourcesContent?.length === map.sources.length && map.sourcesContent.every((s: unknown) => typeof s === "string"));
  });
  expect(without).toEqual([]);
});
