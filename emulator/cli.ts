#!/usr/bin/env node
// `npm run emulator`: serve Ventus Cloud and the Axway portal on one port.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { applyBehavior, BEHAVIOR_KEYS, DEFAULT_BEHAVIOR, parseBehaviorAssignment } from "./behavior";
import { isFaultSeed, parseFaultsArgument } from "./faults";
import { parseCustomPropertiesConfig, type CustomPropertiesConfig } from "./portal";
import { startEmulator, type EmulatorOptions } from "./server";

const USAGE = `Usage: node lib/emulator/cli.js [options]

  --port <n>             port to listen on (default 8080; 0 picks a free one)
  --host <addr>          address to bind (default 127.0.0.1)
  --data <file>          keep state in this JSON file across restarts
  --latency-ms <n>       delay every response by n milliseconds
  --token-ttl <s>        lifetime of Ventus tokens in seconds (default 3600)
  --listing-lag-ms <n>   listings show the state of n ms ago (default 0)
  --faults <json|file>   faults in force from the start: a JSON fault or array, inline or in a file,
                         e.g. '{"route":"^POST ","rate":0.2,"lostAnswer":true}'
                         fields: route (regex on "METHOD /template"), method, status, count, rate (0-1],
                         delayMs, reset, lostAnswer, retryAfter
  --fault-seed <n>       seed of the random draws of faults with a rate (default random, printed)
  --behavior <k=v>       set a behaviour, repeatable; v is JSON or a plain word, e.g.
                         --behavior organizationPut=merge --behavior tokenQuotaCap=10
                         --behavior 'ventusRegions={"zurich-west":"Zurich-West"}'
                         keys: ${BEHAVIOR_KEYS.join(", ")}
  --custom-properties <json|file>
                         custom property definitions of the portal (Swagger CustomPropertiesConfig),
                         inline or in a file, e.g. '{"organization":{"tier":{"type":"select",
                         "required":true,"options":[{"value":"gold"},{"value":"silver"}]}}}'
  --print-json           print one JSON line {"url","port",...} when ready
  -h, --help             show this help

Control endpoints (never counted nor faulted), under /_emulator/:
  GET health | GET stats | POST stats/reset
  GET|POST|DELETE faults | GET|POST faults/seed {"seed":n}
  GET|POST|DELETE behavior (POST merges a JSON object; DELETE restores the start behaviours)
  POST portal/register {"organizationId","token"}: a user joins with a registration code
  GET|POST|DELETE portal/customproperties: the portal's custom property definitions
`;

function number(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min) {
    throw new Error(`${flag} must be a number >= ${min}, got "${value}"`);
  }
  return n;
}

/** `--custom-properties`: JSON inline, or the name of a file holding it; checked before the start. */
function customPropertiesArgument(text: string): CustomPropertiesConfig {
  let json = text;
  if (!text.trim().startsWith("{")) {
    try {
      json = readFileSync(text, "utf8");
    } catch (err) {
      throw new Error(`--custom-properties is neither JSON nor a readable file: ${(err as Error).message}`, { cause: err });
    }
  }
  try {
    return parseCustomPropertiesConfig(JSON.parse(json));
  } catch (err) {
    throw new Error(`--custom-properties: ${(err as Error).message}`, { cause: err });
  }
}

async function main(argv: string[]): Promise<number> {
  let options: EmulatorOptions;
  let printJson: boolean;
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        data: { type: "string" },
        "latency-ms": { type: "string" },
        "token-ttl": { type: "string" },
        "listing-lag-ms": { type: "string" },
        faults: { type: "string" },
        "fault-seed": { type: "string" },
        behavior: { type: "string", multiple: true },
        "custom-properties": { type: "string" },
        "print-json": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const port = number(values.port, "--port", 0) ?? 8080;
    if (!Number.isInteger(port) || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`);
    options = {
      port,
      host: values.host,
      dataFile: values.data,
      latencyMs: number(values["latency-ms"], "--latency-ms", 0),
      tokenTtlSeconds: number(values["token-ttl"], "--token-ttl", 1),
      listingLagMs: number(values["listing-lag-ms"], "--listing-lag-ms", 0),
      faults: values.faults === undefined ? undefined : parseFaultsArgument(values.faults, (f) => readFileSync(f, "utf8")),
      faultSeed: number(values["fault-seed"], "--fault-seed", 0),
    };
    if (options.faultSeed !== undefined && !isFaultSeed(options.faultSeed)) {
      throw new Error(`--fault-seed must be an integer 0-4294967295, got "${values["fault-seed"]}"`);
    }
    let patch: Record<string, unknown> = {};
    for (const assignment of values.behavior ?? []) {
      const one = parseBehaviorAssignment(assignment);
      // ventusRegions given twice adds both; any other key: the last one wins.
      const [key, value] = Object.entries(one)[0];
      const earlier = patch[key];
      const both =
        key === "ventusRegions" && typeof earlier === "object" && earlier !== null && typeof value === "object" && value !== null;
      patch = { ...patch, [key]: both ? { ...earlier, ...value } : value };
    }
    if (values["custom-properties"] !== undefined) {
      options.portal = { customProperties: customPropertiesArgument(values["custom-properties"]) };
    }
    applyBehavior(DEFAULT_BEHAVIOR, patch); // reject a bad one before starting
    options.behavior = patch as EmulatorOptions["behavior"];
    printJson = values["print-json"] === true;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }

  const emulator = await startEmulator(options);
  if (printJson) {
    process.stdout.write(
      JSON.stringify({
        url: emulator.url,
        port: emulator.port,
        ventusAuthUrl: emulator.ventusAuthUrl,
        ventusApiUrl: emulator.ventusApiUrl,
        axwayUrl: emulator.axwayUrl,
        services: emulator.services,
        faultSeed: emulator.faultSeed,
      }) + "\n",
    );
  } else {
    const lines = [
      `Ventus auth URL:  ${emulator.ventusAuthUrl}/get-tokens`,
      `Ventus API URL:   ${emulator.ventusApiUrl}/v1.0/invoke/...`,
      `Axway portal URL: ${emulator.axwayUrl}/api/portal/v1.3`,
      ...emulator.describe(),
      ...(options.dataFile ? [`State file:       ${options.dataFile}`] : []),
      `Control:          ${emulator.url}/_emulator/{health,stats,faults,behavior}`,
      `Fault seed:       ${emulator.faultSeed}`,
      `emulator listening on ${emulator.url}`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      if (!printJson) process.stdout.write(`received ${signal}, stopping\n`);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await emulator.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`emulator failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
