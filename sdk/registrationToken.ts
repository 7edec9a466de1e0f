import * as pulumi from "@pulumi/pulumi";
import { registrationToken } from "../provider/resources/registrationToken";
import { dynamicResource } from "./props";
import { toTimeInput, type TimeInput } from "./time";

/** The inputs of a {@link RegistrationToken}. */
export interface RegistrationTokenArgs {
  /** Organization the code lets people join. */
  organizationId: pulumi.Input<string>;
  /**
   * How many people may join with the code in all, 0 or more. Left out, the portal decides. It is compared
   * with the portal's limit (`maxUsers`) only when that limit changed since last seen: a portal that caps the
   * quota asked for plans nothing.
   */
  userQuota?: pulumi.Input<number>;
  /**
   * When the code stops working: an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with its zone
   * (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as epoch
   * milliseconds. Must be in the future when the code is created or this value changed; a declared expiry
   * that has since passed is left as it is. In TypeScript, a `Date` too (see {@link TimeInput}).
   */
  expiry?: pulumi.Input<TimeInput>;
  /** Whether the code admits anyone. Default true. */
  enabled?: pulumi.Input<boolean>;
  /**
   * Adopt an existing registration code: the code itself, kept secret. Prefer the `import` resource option
   * with the code's resource id, which keeps the code out of the program.
   */
  importId?: pulumi.Input<string>;
}

/** A registration code for self-service onboarding to an organization. `token` is always secret. */
export class RegistrationToken extends pulumi.CustomResource {
  /** Organization the code lets people join. */
  declare readonly organizationId: pulumi.Output<string>;
  /** The code people type to join. Always secret. */
  declare readonly token: pulumi.Output<string>;
  /**
   * How many people may join with the code in all, 0 or more. Left out, the portal decides. It is compared
   * with the portal's limit (`maxUsers`) only when that limit changed since last seen: a portal that caps the
   * quota asked for plans nothing.
   */
  declare readonly userQuota: pulumi.Output<number | undefined>;
  /** How many people the code admits in all, as the portal reports it (it may cap the quota asked for). */
  declare readonly maxUsers: pulumi.Output<number | undefined>;
  /** How many more people may join with the code: falls with every registration, never drift. */
  declare readonly remainingUsers: pulumi.Output<number | undefined>;
  /**
   * When the code stops working: an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with its zone
   * (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as epoch
   * milliseconds. Must be in the future when the code is created or this value changed; a declared expiry
   * that has since passed is left as it is.
   */
  declare readonly expiry: pulumi.Output<number | undefined>;
  /** Whether the code admits anyone. Default true. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** When the code was created (epoch milliseconds). */
  declare readonly createdOn: pulumi.Output<number | undefined>;
  /** Id of the portal user who created the code. */
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /**
   * Adopt an existing registration code: the code itself, kept secret. Prefer the `import` resource option
   * with the code's resource id, which keeps the code out of the program.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: RegistrationTokenArgs, opts: pulumi.CustomResourceOptions = {}) {
    super(...dynamicResource(registrationToken, name, { ...args, expiry: toTimeInput(args.expiry) }, opts));
  }
}
