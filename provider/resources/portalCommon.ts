// Shared by the three portal resources. (Their input rules are in rules.ts.)
import { ApiError } from "../http/errors";

/**
 * The portal answers 403 when an organization administrator attempts what only API
 * administrators may do (create or delete organizations, grant API access): say so.
 */
export async function adminOnly<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) {
      throw new Error(
        `${err.message}. The portal allows this to API administrators only: ` +
          `axway:username must be an API administrator, not an organization administrator.`,
      );
    }
    throw err;
  }
}

