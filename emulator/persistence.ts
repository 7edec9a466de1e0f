// Persistence (`--data`): every service's state in one JSON file, written after each change
// (to a temporary file renamed over it) and read back at start.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { ServiceModule } from "./types";

export interface Persistence {
  load(services: ServiceModule[]): void;
  save(): void;
}

export function persistence(file: string | undefined, services: () => ServiceModule[]): Persistence {
  // States of services not running now (e.g. a service a test started and this run did not) are kept as is.
  let carried: Record<string, unknown> = {};
  // A service may report a change while it is being built: saving then would overwrite the
  // file before it was read, so nothing is written until load() has run.
  let loaded = false;
  return {
    load(list) {
      loaded = true;
      if (!file || !existsSync(file)) return;
      const text = readFileSync(file, "utf8");
      let data: { services?: Record<string, unknown> };
      try {
        data = JSON.parse(text) as typeof data;
      } catch (err) {
        throw new Error(`emulator data file ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
      }
      carried = { ...(data.services ?? {}) };
      for (const s of list) {
        if (Object.hasOwn(carried, s.name)) s.restore(carried[s.name]);
      }
    },
    save() {
      if (!file || !loaded) return;
      const state: Record<string, unknown> = { ...carried };
      for (const s of services()) state[s.name] = s.snapshot();
      const tmp = `${file}.${process.pid}.tmp`;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(tmp, JSON.stringify({ version: 1, services: state }, null, 2) + "\n");
      renameSync(tmp, file);
    },
  };
}
