// Creates that survive lost answers. A POST whose connection dropped after sending, or that
// timed out or met a 500/502/504, may or may not have made the object (ApiError.outcomeUnknown).
// Retrying blindly makes a duplicate; failing leaves an orphan the next run duplicates. So
// the object is looked for first: found, it is the result; not found, the POST is tried again.
import { setTimeout as sleep } from "node:timers/promises";
import { ApiError } from "./errors";

export interface CreateOnceOptions<T> {
  /** One POST. */
  attempt: () => Promise<T>;
  /** Looks for what an attempt whose outcome is unknown may have made; undefined when nothing. */
  find: () => Promise<T | undefined>;
  /** POSTs at most (default 6). */
  maxAttempts?: number;
  /**
   * Waits before each look: listings may lag behind writes, so "not there" is believed only
   * after a few looks (default 0, 0.5, 1 and 2 s: 3.5 s at most).
   */
  lookDelaysMs?: number[];
}

/** Pauses between looks at a listing that may lag behind writes (3.5 s in all). */
export const LAG_PATIENCE_MS = [500, 1_000, 2_000];
const LOOK_DELAYS_MS = [0, ...LAG_PATIENCE_MS];

export async function createOnce<T>(opts: CreateOnceOptions<T>): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 6;
  let unknown: ApiError | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await opts.attempt();
    } catch (err) {
      // A conflict after an attempt that may have worked is that attempt's object.
      const conflictAfterUnknown = unknown !== undefined && err instanceof ApiError && err.status === 409;
      if (!(err instanceof ApiError) || !(err.outcomeUnknown || conflictAfterUnknown)) throw err;
      unknown = err.outcomeUnknown ? err : unknown;
      const found = await look(opts.find, opts.lookDelaysMs ?? LOOK_DELAYS_MS);
      if (found !== undefined) return found;
      if (conflictAfterUnknown || attempt >= maxAttempts) throw err;
    }
  }
}

async function look<T>(find: () => Promise<T | undefined>, delays: number[]): Promise<T | undefined> {
  for (const delay of delays) {
    if (delay > 0) await sleep(delay);
    const found = await find();
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Runs tasks with the same key one after another (tasks with other keys run freely): two
 * creates that could be mistaken for each other after a lost answer never overlap.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.tails.set(key, next);
    next
      .finally(() => {
        if (this.tails.get(key) === next) this.tails.delete(key);
      })
      .catch(() => undefined);
    return next;
  }
}
