// Work to do before this process ends, such as logging out of a portal session. A dynamic
// provider gets no shutdown call: the engine ends its plugins by sending SIGINT to their process
// group and killing them 5 s later (sdk/go/common/resource/plugin/plugin.go). A program's own
// process ends when its event loop empties. Both are caught here, once. An engine killed
// outright sends nothing: watchdog.ts notices it is gone and runs the cleanups too.

type Cleanup = () => Promise<unknown>;

const cleanups = new Set<Cleanup>();
let installed = false;
let running: Promise<void> | undefined;

/** Bound on the cleanups, well inside the engine's 5 s grace. */
const CLEANUP_TIMEOUT_MS = 3_000;

/** Runs `cleanup` when the process is asked to stop or runs out of work; returns a function that cancels it. */
export function onShutdown(cleanup: Cleanup): () => void {
  cleanups.add(cleanup);
  install();
  return () => cleanups.delete(cleanup);
}

/** Runs every registered cleanup once (also what the signal handlers do); later calls share the run. */
export function runCleanups(): Promise<void> {
  running ??= (async () => {
    const all = [...cleanups];
    cleanups.clear();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, CLEANUP_TIMEOUT_MS).unref());
    await Promise.race([Promise.allSettled(all.map((c) => c())), timeout]);
  })();
  return running;
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      // After the cleanups, die of the same signal, as the process would have without us.
      void runCleanups().finally(() => process.kill(process.pid, signal));
    });
  }
  // A process with nothing left to do; the cleanups give it work, so it comes back here once more.
  process.on("beforeExit", () => {
    if (cleanups.size > 0) void runCleanups();
  });
}
