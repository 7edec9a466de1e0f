// State of the emulated Ventus Cloud: its users, the token secret and the projects, which are
// the only persisted state.
import { createHash, randomBytes } from "node:crypto";
import { REGION_PATTERN, type Behavior } from "../behavior";
import { VersionedMap } from "../history";
import type { EmulatorRequest } from "../types";

export interface VentusUser {
  username: string;
  password: string;
  /** Organization IDs this user may manage. */
  organizations: string[];
}

export const DEFAULT_VENTUS_USER: Readonly<VentusUser> = Object.freeze({
  username: "demo@ventus.example",
  password: "demo-password",
  organizations: Object.freeze(["c19a5b1e-7d1f-4c43-9a51-0f6b2d1e8e50"]) as string[],
});

/** A user with the subject its tokens carry. */
export type StoredUser = VentusUser & { sub: string };

export interface VentusProject {
  id: string;
  name: string;
  org: string;
  /** Lower-case path form, e.g. `eastern-switzerland`. */
  region: string;
  createdAt: string;
}

export interface VentusStore {
  now(): number;
  /** Called after every state change (persistence). */
  changed(): void;
  behavior(): Readonly<Behavior>;
  readonly users: readonly StoredUser[];
  /** Per process: tokens do not survive a restart, a client re-authenticates on 401. */
  readonly secret: Buffer;
  /** Versioned: the listing may lag behind (Behavior.listingLagMs); reads by id never do. */
  readonly projects: VersionedMap<string, VentusProject>;
}

/** Stable subject for a user, shaped like the UUIDs identity providers hand out. */
function subjectOf(username: string): string {
  const h = createHash("sha256").update(`ventus-user:${username}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function createStore(
  clock: { now(): number; changed(): void },
  behavior: () => Readonly<Behavior>,
  users: readonly VentusUser[],
): VentusStore {
  return {
    now: () => clock.now(),
    changed: () => clock.changed(),
    behavior,
    users: users.map((u) => ({ ...u, organizations: [...u.organizations], sub: subjectOf(u.username) })),
    secret: randomBytes(32),
    projects: new VersionedMap(
      () => clock.now(),
      () => behavior().listingLagMs,
    ),
  };
}

function isProject(value: unknown): value is VentusProject {
  const p = value as VentusProject;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.id === "string" &&
    typeof p.name === "string" &&
    typeof p.org === "string" &&
    typeof p.region === "string" &&
    // Any lower-case region: one added at runtime (Behavior.ventusRegions) may not be configured yet.
    REGION_PATTERN.test(p.region)
  );
}

export function snapshotOf(s: VentusStore): unknown {
  return { projects: [...s.projects.values()] };
}

/** Replaces the projects with those of a snapshot; entries that are not projects are skipped. */
export function restoreStore(s: VentusStore, data: unknown): void {
  s.projects.clear();
  const list = (data as { projects?: unknown } | null)?.projects;
  if (!Array.isArray(list)) return;
  for (const p of list) {
    if (isProject(p)) {
      s.projects.seed(p.id, {
        id: p.id,
        name: p.name,
        org: p.org,
        region: p.region,
        createdAt: typeof p.createdAt === "string" ? p.createdAt : new Date(s.now()).toISOString(),
      });
    }
  }
}

/** An authenticated API call: the caller, and the region and organization of the path when it has them. */
export interface VentusCall {
  req: EmulatorRequest;
  /** Raw (still percent-encoded) path parameters. */
  params: Record<string, string>;
  user: StoredUser;
  region?: string;
  /** Decoded, and one of the caller's organizations. */
  org?: string;
}
