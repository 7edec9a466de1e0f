// The portal's persisted state (`--data`): a snapshot of the store, validated when read back.
import { z } from "zod";
import type { PortalStore, VirtualizedApi } from "./store";

const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  email: z.string().optional(),
  image: z.string().nullable(),
  restricted: z.boolean(),
  virtualHost: z.string().optional(),
  phone: z.string().optional(),
  enabled: z.boolean(),
  development: z.boolean(),
  dn: z.string(),
  createdOn: z.number(),
  startTrialDate: z.number().optional(),
  endTrialDate: z.number().optional(),
  trialDuration: z.number().optional(),
  isTrial: z.boolean(),
  skypeId: z.string().optional(),
  customProperties: z.record(z.string(), z.string()).optional(),
});

const snapshotSchema = z.object({
  version: z.literal(1),
  organizations: z.array(organizationSchema),
  /** Organization id → JPEG bytes, base64. */
  images: z.record(z.string(), z.string()),
  grants: z.array(
    z.object({
      id: z.string(),
      organizationId: z.string(),
      apiId: z.string(),
      state: z.literal("approved"),
      enabled: z.boolean(),
      createdBy: z.string(),
      createdOn: z.number(),
    }),
  ),
  tokens: z.array(
    z.object({
      token: z.string(),
      organizationId: z.string(),
      expiry: z.number(),
      createdOn: z.number(),
      createdBy: z.string(),
      userQuota: z.number(),
      maxUsers: z.number(),
      enabled: z.boolean(),
      used: z.number().optional(),
    }),
  ),
  users: z.array(
    z.object({
      id: z.string(),
      organizationId: z.string().optional(),
      name: z.string(),
      loginName: z.string(),
      password: z.string(),
      email: z.string(),
      role: z.enum(["admin", "oadmin", "user"]),
      enabled: z.boolean(),
      createdOn: z.number(),
    }),
  ),
  apis: z.array(
    z
      .object({
        id: z.string(),
        apiId: z.string(),
        name: z.string(),
        version: z.string(),
        path: z.string(),
        state: z.string(),
        createdOn: z.number(),
        deprecated: z.boolean(),
        retired: z.boolean(),
      })
      .catchall(z.unknown()),
  ),
});

export type PortalSnapshot = z.infer<typeof snapshotSchema>;

/** Validate persisted state; throws with the first problem when it is not a portal snapshot. */
function parseSnapshot(data: unknown): PortalSnapshot {
  const result = snapshotSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`portal snapshot is invalid at ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return result.data;
}

export function snapshotOf(s: PortalStore): PortalSnapshot {
  return {
    version: 1,
    organizations: [...s.organizations.values()].map((org) => structuredClone(org)),
    images: Object.fromEntries([...s.images].map(([id, data]) => [id, data.toString("base64")])),
    grants: [...s.grants.values()].map((g) => ({ ...g })),
    tokens: [...s.tokens.values()].map((t) => ({ ...t })),
    users: [...s.users.values()].map((u) => ({ ...u })),
    apis: [...s.apis.values()].map((a) => structuredClone(a)),
  };
}

/** Replaces the store's state (sessions end); nothing to restore is a no-op. */
export function restoreStore(s: PortalStore, data: unknown): void {
  if (data === undefined || data === null) return;
  const snapshot = parseSnapshot(data);
  for (const map of [s.organizations, s.images, s.grants, s.tokens, s.users, s.apis, s.sessions]) map.clear();
  // Restored state predates the clock: lagged listings show it at once.
  for (const org of snapshot.organizations) s.organizations.seed(org.id, { ...org });
  for (const [id, b64] of Object.entries(snapshot.images)) s.images.set(id, Buffer.from(b64, "base64"));
  for (const grant of snapshot.grants) s.grants.seed(grant.id, { ...grant });
  for (const token of snapshot.tokens) s.tokens.seed(token.token, { ...token });
  for (const user of snapshot.users) s.users.set(user.id, { ...user });
  for (const api of snapshot.apis) s.apis.set(api.id, structuredClone(api) as VirtualizedApi);
}
