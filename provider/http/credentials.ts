// Credentials fetched once and shared (Ventus tokens, an Axway portal session): the engine
// runs many operations at once, and each of them fetching its own would hammer the auth
// endpoint, and on the portal leave a session per operation open.
import { ApiError } from "./errors";

export interface SingleFlightOptions<T> {
  /** When credentials just fetched should be renewed (epoch ms); without it they last until refused. */
  renewAt?: (value: T) => number;
  now?: () => number;
}

interface Entry<T> {
  value: T;
  renewAt: number;
  refused: boolean;
}

export class SingleFlightCredentials<T> {
  private entry?: Promise<Entry<T>>;
  /** The entry `entry` resolved to: what `invalidate` can mark refused without waiting. */
  private settled?: Entry<T>;
  private readonly now: () => number;

  constructor(
    private readonly fetch: () => Promise<T>,
    private readonly opts: SingleFlightOptions<T> = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** Valid credentials: the cached ones, the fetch already under way, or a new fetch that concurrent callers share. */
  async get(): Promise<T> {
    const cached = this.entry;
    if (cached) {
      // A caller that waited on a fetch shares its failure instead of starting one more.
      const e = await cached;
      if (!e.refused && e.renewAt > this.now()) return e.value;
      if (this.entry !== cached) return this.get(); // another caller renewed meanwhile: take theirs
    }
    const pending = this.fetch().then((value) => ({ value, renewAt: this.opts.renewAt?.(value) ?? Infinity, refused: false }));
    this.entry = pending;
    pending.then(
      (e) => {
        if (this.entry === pending) this.settled = e;
      },
      // A failed fetch is not cached: the next caller tries again.
      () => {
        if (this.entry === pending) this.entry = undefined;
      },
    );
    return (await pending).value;
  }

  /**
   * The service refused `stale`: the next get fetches anew, unless `stale` was already
   * replaced (another caller renewed them, and those are not to be thrown away).
   */
  invalidate(stale: T): void {
    if (this.settled?.value === stale) this.settled.refused = true;
  }

  /** Runs `call` with the credentials; when the service answers 401 they are renewed once and the call repeated. */
  async withRenewal<R>(call: (credentials: T) => Promise<R>): Promise<R> {
    const first = await this.get();
    try {
      return await call(first);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      this.invalidate(first);
      return call(await this.get());
    }
  }

  /** Forgets the credentials and hands back those there were, fetched or under way (to log out with); none when a fetch failed. */
  async take(): Promise<T | undefined> {
    const pending = this.entry;
    this.entry = undefined;
    this.settled = undefined;
    return (await pending?.catch(() => undefined))?.value;
  }
}
