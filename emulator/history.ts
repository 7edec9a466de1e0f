// A map that remembers, for a while, what it held: each write adds a timestamped version, so a
// listing can answer from the state as it was `lag` milliseconds ago (eventual consistency of
// listings) while reads by key and writes stay current. Versions older than the lag are pruned.
//
// Values are versions: never mutate one in place, `set` a changed copy instead.

interface Version<V> {
  /** Clock time (ms) the version was written; -Infinity for state that predates the clock (seed, restore). */
  at: number;
  /** Undefined: deleted. */
  value: V | undefined;
}

export class VersionedMap<K, V> {
  /** Key → versions, oldest first; the last one is current. Keys keep their first-write order. */
  private readonly versions = new Map<K, Array<Version<V>>>();

  constructor(
    private readonly now: () => number,
    /** How far back listings look; read on every call so it can change at runtime. */
    private readonly lagMs: () => number,
  ) {}

  get(key: K): V | undefined {
    const list = this.versions.get(key);
    return list?.[list.length - 1].value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): void {
    this.write(key, value, this.now());
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.write(key, undefined, this.now());
    return true;
  }

  /** State that was there "all along" (seeded or restored): visible to lagged listings at once. */
  seed(key: K, value: V): void {
    this.versions.set(key, [{ at: -Infinity, value }]);
  }

  clear(): void {
    this.versions.clear();
  }

  /** Current values, in first-write order. */
  values(): V[] {
    return this.valuesAsOf(Infinity);
  }

  /** Current entries, as an array (safe to delete while walking it). */
  entries(): Array<[K, V]> {
    const out: Array<[K, V]> = [];
    for (const [key, list] of this.versions) {
      const value = list[list.length - 1].value;
      if (value !== undefined) out.push([key, value]);
    }
    return out;
  }

  /** What a listing sees now: the values as they were `lagMs` ago. */
  listing(): V[] {
    const lag = this.lagMs();
    return lag > 0 ? this.valuesAsOf(this.now() - lag) : this.values();
  }

  /** The values as they were at time `t`: the latest version of each key written at or before `t`. */
  valuesAsOf(t: number): V[] {
    const out: V[] = [];
    for (const list of this.versions.values()) {
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].at <= t) {
          if (list[i].value !== undefined) out.push(list[i].value as V);
          break;
        }
      }
    }
    return out;
  }

  private write(key: K, value: V | undefined, now: number): void {
    const list = this.versions.get(key);
    // A clock that steps back (tests move it freely) must not reorder versions.
    const at = list ? Math.max(now, list[list.length - 1].at) : now;
    if (list) list.push({ at, value });
    else this.versions.set(key, [{ at, value }]);
    this.prune(now);
  }

  /**
   * Forget what no listing can see any more: versions older than the newest one at or before
   * `now - lag`, and keys whose only remaining version is a deletion that old. The version kept
   * then stands for all the time before it, so a lag raised at runtime shows the oldest state
   * remembered rather than hiding entities that have long existed.
   */
  private prune(now: number): void {
    const cutoff = now - Math.max(0, this.lagMs());
    for (const [key, list] of this.versions) {
      let base = -1;
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i].at <= cutoff) {
          base = i;
          break;
        }
      }
      if (base < 0) continue;
      if (base > 0) list.splice(0, base);
      if (list[0].value === undefined && list.length === 1) this.versions.delete(key);
      else list[0] = { at: -Infinity, value: list[0].value };
    }
  }
}
