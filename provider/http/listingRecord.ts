// A record of the listings a provider process made, for the drift command of the same run: drift
// runs the refresh (the provider lists organizations, grants, codes and projects to read the
// resources), then needs the same listings to find objects no resource manages. Drift hands the
// refresh a private folder in LISTING_RECORD_ENV (the provider's settings read it, config.ts);
// the provider's shared listings append what they listed there, and drift lists only what is
// missing. Nothing secret is written: callers pass a projection (a registration code as its
// resource id, never the code). Best effort: a listing that cannot be recorded is listed again.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The environment variable naming the folder; set by the drift command only. */
export const LISTING_RECORD_ENV = "PULUMI_VENTUS_AXWAY_LISTING_RECORD";

/** Items as recorded: plain values, no secrets. */
export type RecordedItem = Record<string, string | number | boolean | undefined>;

export interface RecordedListing {
  /** Which service and account listed it (a hash of the URL and user name): another account may see other objects. */
  endpoint: string;
  /** `organizations`, `grants`, `codes`, `projects`. */
  kind: string;
  /** The organization listed ("" for all organizations). */
  scope: string;
  items: RecordedItem[];
}

/** A stable name for a service endpoint and account, revealing neither. */
export function listingEndpoint(service: string, url: string, username: string): string {
  return createHash("sha256")
    .update(JSON.stringify([service, url, username]))
    .digest("hex")
    .slice(0, 16);
}

/** Where one client's listings go: a file of JSON lines per process in the folder. */
export class ListingRecorder {
  private readonly file: string;

  constructor(
    dir: string,
    readonly endpoint: string,
  ) {
    this.file = path.join(dir, `listings-${process.pid}.jsonl`);
  }

  /** `fetch` that records each listing it answers, as `project` shapes each item. */
  recording<T>(kind: string, fetch: (scope: string) => Promise<T[]>, project: (item: T) => RecordedItem): (scope: string) => Promise<T[]> {
    return async (scope) => {
      const list = await fetch(scope);
      this.record({ endpoint: this.endpoint, kind, scope, items: list.map(project) });
      return list;
    };
  }

  private record(entry: RecordedListing): void {
    try {
      // One append per listing, in this process's own file: lines of two processes never interleave.
      fs.appendFileSync(this.file, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    } catch {
      // The reader lists what it does not find.
    }
  }
}

/** The listings recorded in `dir` so far, by endpoint, kind and scope (the latest of each). */
export class ListingRecord {
  private readonly offsets = new Map<string, number>();
  private readonly listings = new Map<string, RecordedItem[]>();

  constructor(readonly dir: string) {}

  /** Reads what was appended since the last look; complete lines only. */
  refresh(): void {
    let files: string[];
    try {
      files = fs.readdirSync(this.dir).filter((f) => /^listings-\d+\.jsonl$/.test(f));
    } catch {
      return;
    }
    for (const f of files) {
      const file = path.join(this.dir, f);
      const from = this.offsets.get(file) ?? 0;
      let text: string;
      try {
        const fd = fs.openSync(file, "r");
        try {
          const size = fs.fstatSync(fd).size;
          if (size <= from) continue;
          const buf = Buffer.alloc(size - from);
          fs.readSync(fd, buf, 0, buf.length, from);
          text = buf.toString("utf8");
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        continue;
      }
      const end = text.lastIndexOf("\n") + 1;
      this.offsets.set(file, from + Buffer.byteLength(text.slice(0, end)));
      for (const line of text.slice(0, end).split("\n")) {
        if (!line) continue;
        try {
          const e = JSON.parse(line) as RecordedListing;
          this.listings.set(key(e.endpoint, e.kind, e.scope), e.items);
        } catch {
          // A damaged line: that listing is made again.
        }
      }
    }
  }

  /** The items of a recorded listing, or undefined when none was recorded. */
  get(endpoint: string, kind: string, scope: string): RecordedItem[] | undefined {
    return this.listings.get(key(endpoint, kind, scope));
  }
}

const key = (endpoint: string, kind: string, scope: string) => JSON.stringify([endpoint, kind, scope]);
