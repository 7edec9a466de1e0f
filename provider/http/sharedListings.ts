// Listings shared by concurrent reads. A refresh reads every resource at once; where the
// service lists what the resources belong to (a Ventus organization's projects, the portal's
// organizations, an organization's grants and codes), one listing answers them all instead of
// one call per resource. Single-flight, briefly kept, and never reused across a write.

export class SharedListings<T> {
  private readonly cache = new Map<string, { at: number; generation: number; list: Promise<T[]>; settled: boolean }>();
  /** Per key, bumped when a write starts and when it ends. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly fetch: (key: string) => Promise<T[]>,
    /** How long a listing answers later reads (default 2 s); 0 turns sharing off. */
    private readonly maxAgeMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<T[]> {
    const generation = this.generations.get(key) ?? 0;
    const hit = this.cache.get(key);
    // A listing in flight answers every read; a settled one only while it is fresh.
    if (this.maxAgeMs > 0 && hit && hit.generation === generation && (!hit.settled || this.now() - hit.at < this.maxAgeMs)) return hit.list;
    const list = this.fetch(key);
    const entry = { at: this.now(), generation, list, settled: false };
    this.cache.set(key, entry);
    list.then(
      () => {
        entry.settled = true;
        entry.at = this.now();
      },
      () => this.forget(key, list),
    );
    return list;
  }

  /**
   * A write to the objects listed under `key`: a listing taken before it or while it was in
   * flight may not show it, so none of them is reused.
   */
  async write<R>(key: string, op: () => Promise<R>): Promise<R> {
    const bump = () => this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    bump();
    try {
      return await op();
    } finally {
      bump();
    }
  }

  private forget(key: string, list: Promise<T[]>): void {
    if (this.cache.get(key)?.list === list) this.cache.delete(key);
  }
}
