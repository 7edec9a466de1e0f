// No provider process outlives its engine. An engine that stops its plugins sends them SIGINT
// (shutdown.ts runs the cleanups then); an engine that is killed outright (SIGKILL at a job's
// timeout, a lost runner) sends nothing, and its dynamic providers, in process groups of their
// own, ran on for good with their pools and portal sessions. What tells a provider its engine is
// gone, measured through the real CLI after SIGKILL of `pulumi` (issue 16): not its parent pid
// (the dynamic provider's parent is its launcher shell, which lives on too; the plugin's is the
// language host, which lives on for up to 5 minutes); not stdin (the dynamic provider's is a pipe
// from the engine, but the plugin's is /dev/null); but both faces get the engine's gRPC address as
// their last argument, and nothing listens there from the moment the engine is gone (refused
// within 250 ms). Only a refused connection counts: a slow or busy engine never does.
import * as net from "node:net";
import { runCleanups } from "./shutdown";

/** How often the engine's address is tried; a gone engine is noticed within about this long. */
export const WATCH_INTERVAL_MS = 1_000;

export interface EngineAddress {
  host: string;
  port: number;
}

/** The engine's address among a provider's arguments: the last one, `host:port` (`127.0.0.1:40123`, `[::1]:40123`). */
export function engineAddress(argv: readonly string[]): EngineAddress | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(argv.at(-1) ?? "");
  if (!m) return undefined;
  const port = Number(m[3]);
  return port > 0 && port < 65536 ? { host: m[1] ?? m[2], port } : undefined;
}

/** `gone` when the connection is refused (nothing listens), `alive` when it is accepted, `unknown` otherwise. */
export function probe(address: EngineAddress, timeoutMs: number): Promise<"alive" | "gone" | "unknown"> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    socket.unref(); // the watch never keeps a process alive
    const done = (answer: "alive" | "gone" | "unknown") => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done("unknown"));
    socket.once("connect", () => done("alive"));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code === "ECONNREFUSED" ? "gone" : "unknown"));
  });
}

/** Tries the address every `intervalMs` and calls `onGone` once, when nothing listens there. Returns a function that stops the watch. */
export function watchEngine(address: EngineAddress, onGone: () => void, intervalMs = WATCH_INTERVAL_MS): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(async () => {
      const answer = await probe(address, intervalMs);
      if (stopped) return;
      if (answer === "gone") {
        stopped = true;
        onGone();
      } else next();
    }, intervalMs);
    timer.unref();
  };
  next();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

let watching = false;

/**
 * Installed by both faces of the provider (provider/index.ts in the dynamic provider's process,
 * plugin/main.ts in the plugin's): when the engine named by the last argument is gone, the
 * cleanups run (bounded, shutdown.ts) and the process exits. Without such an argument, nothing.
 */
export function exitWithEngine(argv: readonly string[] = process.argv): void {
  const address = engineAddress(argv);
  if (watching || !address) return;
  watching = true;
  watchEngine(address, () => {
    // Nobody reads our stdout and stderr any more: a write there fails (EPIPE), which must not
    // turn into an uncaught exception before the cleanups are done.
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
    void runCleanups().finally(() => process.exit(0));
  });
}

/** Whether the process's main module is @pulumi/pulumi's dynamic provider (`cmd/dynamic-provider`). */
export function startedAsDynamicProvider(mainFile: string | undefined): boolean {
  return mainFile !== undefined && /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(mainFile);
}
