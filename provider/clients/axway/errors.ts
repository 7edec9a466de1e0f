// What the portal's statuses mean for the resources, so that they need not read HTTP statuses:
// both are ApiErrors still (status, path and server message kept), with a domain name.
import { ApiError } from "../../http/errors";

/** 409: the object exists already (an organization's name is taken, an API is already granted). */
export class AlreadyExistsError extends ApiError {
  override readonly name = "AlreadyExistsError";
}

/** 403 on what only API administrators may do (create or delete organizations, grant API access). */
export class NeedsApiAdministratorError extends ApiError {
  override readonly name = "NeedsApiAdministratorError";
  constructor(cause: ApiError) {
    super({ ...detailsOf(cause), serverMessage: cause.serverMessage }, { cause });
    this.message =
      `${cause.message}. The portal allows this to API administrators only: ` +
      `axway:username must be an API administrator, not an organization administrator.`;
  }
}

/** Gives a 409 its domain name; with `adminOnly`, a 403 too. Anything else passes unchanged. */
export function portalError(err: unknown, adminOnly: boolean): unknown {
  if (!(err instanceof ApiError) || err instanceof AlreadyExistsError || err instanceof NeedsApiAdministratorError) return err;
  if (err.status === 409) return new AlreadyExistsError(detailsOf(err), { cause: err });
  if (err.status === 403 && adminOnly) return new NeedsApiAdministratorError(err);
  return err;
}

function detailsOf(e: ApiError) {
  return {
    service: e.service,
    method: e.method,
    path: e.path,
    status: e.status,
    serverMessage: e.serverMessage,
    code: e.code,
    attempts: e.attempts,
    outcomeUnknown: e.outcomeUnknown,
  };
}
