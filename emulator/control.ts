// Control endpoints, `/_emulator/...`: health, stats, faults, behaviours, and each service's own
// (`/_emulator/<service>/<path>`). Never counted nor faulted.
import type { Behavior } from "./behavior";
import type { Fault, FaultList } from "./faults";
import type { EmulatorResponse, ServiceModule, Stats } from "./types";
import { errorBody } from "./wire";

export const CONTROL = "/_emulator/";

/** What the control endpoints act on: the core's live state. */
export interface Controlled {
  readonly services: readonly ServiceModule[];
  readonly faults: FaultList;
  /** The live counters; a reset replaces them, so read them again after every wait. */
  stats(): Stats;
  resetStats(): void;
  behavior(): Behavior;
  setBehavior(patch: unknown): Behavior;
  resetBehavior(): Behavior;
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

/** Runs a control action whose TypeErrors (faults' and BehaviorError) are the caller's mistakes: 400. */
function guarded(action: () => EmulatorResponse): EmulatorResponse {
  try {
    return action();
  } catch (err) {
    if (err instanceof TypeError) {
      return { status: 400, body: errorBody(400, err.message) };
    }
    throw err;
  }
}

function jsonControl(body: Buffer, what: string, action: (value: unknown) => EmulatorResponse): EmulatorResponse {
  const parsed = parseJson(body);
  if (!parsed.ok) return { status: 400, body: errorBody(400, `Body must be ${what}`) };
  return guarded(() => action(parsed.value));
}

/** The core's own control calls; undefined when `name` is none of them. */
function coreControl(core: Controlled, route: string, body: Buffer): EmulatorResponse | undefined {
  const { faults } = core;
  switch (route) {
    case "GET health":
      return { status: 200, body: { status: "ok", services: core.services.map((s) => s.name) } };
    case "GET stats":
      return { status: 200, body: core.stats() };
    case "POST stats/reset":
      core.resetStats();
      return { status: 200, body: core.stats() };
    case "GET faults":
      return { status: 200, body: faults.list() };
    case "DELETE faults":
      faults.clear();
      return { status: 200, body: { faults: [] } };
    case "POST faults":
      return jsonControl(body, "a JSON fault or an array of faults", (value) => {
        faults.add((Array.isArray(value) ? value : [value]) as Fault[]);
        return { status: 200, body: faults.list() };
      });
    case "GET faults/seed":
      return { status: 200, body: { seed: faults.seed } };
    case "POST faults/seed":
      return jsonControl(body, 'a JSON object {"seed": n}', (value) => {
        faults.reseed((value as { seed?: unknown } | null)?.seed as number);
        return { status: 200, body: { seed: faults.seed } };
      });
    case "GET behavior":
      return { status: 200, body: core.behavior() };
    case "POST behavior":
      return jsonControl(body, "a JSON object of behaviours", (value) => ({ status: 200, body: core.setBehavior(value) }));
    case "DELETE behavior":
      return { status: 200, body: core.resetBehavior() };
  }
  return undefined;
}

export function control(core: Controlled, method: string, path: string, body: Buffer): EmulatorResponse {
  const name = path.slice(CONTROL.length);
  const answer = coreControl(core, `${method} ${name}`, body);
  if (answer) return answer;
  // `/_emulator/<service>/<rest>`: the service's own control calls.
  const slash = name.indexOf("/");
  const service = slash > 0 ? core.services.find((s) => s.name === name.slice(0, slash)) : undefined;
  return service?.control?.(method, name.slice(slash + 1), body) ?? { status: 404, body: errorBody(404, "No route") };
}
