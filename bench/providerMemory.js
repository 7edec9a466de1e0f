// Run by bench/run.ts in a process of its own (the emulator lives in the bench's): where the
// provider process's memory goes. Plain JS on lib/, like the provider process itself.
//   node --expose-gc bench/providerMemory.js load
//   node --expose-gc bench/providerMemory.js <ours|raw> <emulator url> <n>
// Prints one JSON line.
"use strict";
const path = require("node:path");
const { setInterval, clearInterval } = require("node:timers");
require("@pulumi/pulumi");
require("@pulumi/pulumi/cmd/dynamic-provider/config");
const MB = 1048576;
const usage = () => (global.gc(), global.gc(), process.memoryUsage());
const [mode, url, n = "200"] = process.argv.slice(2);
const lib = path.join(__dirname, "..", "lib", "provider");

async function load() {
  const before = new Set(Object.keys(require.cache));
  const a = usage();
  require(lib);
  const b = usage();
  const files = {};
  for (const k of Object.keys(require.cache).filter((k) => !before.has(k))) {
    const m = /node_modules[\\/]((@[^\\/]+[\\/])?[^\\/]+)/.exec(k);
    const key = m ? m[1] : "pulumi-ventus-axway";
    files[key] = (files[key] ?? 0) + 1;
  }
  return { rssMb: (b.rss - a.rss) / MB, heapUsedMb: (b.heapUsed - a.heapUsed) / MB, files };
}

/** n creates, 8 at a time (the engine's default on 2 cores): through the resource, or as bare undici POSTs. */
async function creates() {
  const org = "c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50";
  Object.assign(process.env, {
    VENTUS_USERNAME: "demo@ventus.example",
    VENTUS_PASSWORD: "demo-password",
    VENTUS_ORGANIZATION_ID: org,
    VENTUS_AUTH_URL: url,
    VENTUS_API_URL: url,
  });
  const project = require(lib).resources.ventusProject;
  const { request } = require("undici");
  const tokens = await (
    await request(`${url}/get-tokens`, {
      method: "GET",
      body: JSON.stringify({ username: "demo@ventus.example", password: "demo-password" }),
      headers: { "content-type": "application/json" },
    })
  ).body.json();
  const headers = { authorization: `Bearer ${tokens.id_token}`, access: `Bearer ${tokens.access_token}`, accept: "application/json" };
  const start = usage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  let next = 0;
  const worker = async () => {
    while (next < Number(n)) {
      const k = next++;
      if (mode === "ours") await project.create((await project.check({}, { region: "vienna", name: `memory ${k}` })).inputs);
      else
        await (
          await request(`${url}/v1.0/invoke/gotham-vienna-identity/method/${org}/projects/memory%20${k}`, { method: "POST", headers })
        ).body.json();
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  clearInterval(timer);
  return { growthMb: (Math.max(peak, process.memoryUsage().rss) - start) / MB };
}

(mode === "load" ? load() : creates()).then(
  (r) => {
    console.log(JSON.stringify(r));
    process.exit(0);
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
