#!/usr/bin/env node
// `npm run emulator`: serve Ventus Cloud (and the Axway portal, when built in) on one port.
import { parseArgs } from "node:util";
import { startEmulator, type EmulatorOptions } from "./server";

const USAGE = `Usage: node lib/emulator/cli.js [options]

  --port <n>           port to listen on (default 8080; 0 picks a free one)
  --host <addr>        address to bind (default 127.0.0.1)
  --data <file>        keep state in this JSON file across restarts
  --latency-ms <n>     delay every response by n milliseconds
  --token-ttl <s>      lifetime of Ventus tokens in seconds (default 3600)
  --print-json         print one JSON line {"url","port",...} when ready
  -h, --help           show this help
`;

function number(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min) {
    throw new Error(`${flag} must be a number >= ${min}, got "${value}"`);
  }
  return n;
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
    };
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
      }) + "\n",
    );
  } else {
    const lines = [
      `Ventus auth URL:  ${emulator.ventusAuthUrl}/get-tokens`,
      `Ventus API URL:   ${emulator.ventusApiUrl}/v1.0/invoke/...`,
      ...(emulator.services.includes("portal") ? [`Axway portal URL: ${emulator.axwayUrl}/api/portal/v1.3`] : []),
      ...emulator.describe(),
      ...(options.dataFile ? [`State file:       ${options.dataFile}`] : []),
      `Control:          ${emulator.url}/_emulator/{health,stats,faults}`,
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
