// Registration codes' user counts, as Axway's Swagger defines them: `maxUsers` is how many users
// may ever join with the code, `userQuota` how many still may (it goes down as users join).
// A server may cap what is asked: the seed asks for "15" and gets 10 (Behavior.tokenQuotaCap).
import type { RegistrationTokenRecord } from "./store";
import { PortalError } from "./request";

function capped(requested: number, cap: number | null): number {
  return cap === null ? requested : Math.min(requested, cap);
}

/** A new code: nobody has used it yet. */
export function quotaAtCreate(requested: number, cap: number | null): Pick<RegistrationTokenRecord, "maxUsers" | "userQuota"> {
  const maxUsers = capped(requested, cap);
  return { maxUsers, userQuota: maxUsers };
}

/** A PUT with `userQuota`: the new limit; what remains is the limit less the users who already joined. */
export function quotaAtUpdate(
  token: RegistrationTokenRecord,
  requested: number,
  cap: number | null,
): Pick<RegistrationTokenRecord, "maxUsers" | "userQuota"> {
  const maxUsers = capped(requested, cap);
  return { maxUsers, userQuota: Math.max(0, maxUsers - (token.used ?? 0)) };
}

/** One user joins with the code: the code after that use, or a PortalError saying why not. */
export function useCode(token: RegistrationTokenRecord, now: number): RegistrationTokenRecord {
  if (!token.enabled) throw new PortalError(400, "The registration code is disabled");
  if (token.expiry <= now) throw new PortalError(400, "The registration code has expired");
  if (token.userQuota <= 0) throw new PortalError(409, "The registration code has no uses left");
  return { ...token, userQuota: token.userQuota - 1, used: (token.used ?? 0) + 1 };
}
