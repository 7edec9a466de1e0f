import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/registrationToken");
import { toTimeInput, type TimeInput } from "./time";

/** The inputs of a {@link RegistrationToken}. */
export interface RegistrationTokenArgs {
  /** Organization the code lets people join (an id); changing it replaces the code. */
  organizationId: pulumi.Input<string>;
  /**
   * How many people may join with the code in all, a whole number from 0 to 2147483647. Left
   * out, the portal decides. Compared with the portal's limit (`maxUsers`) only when that limit
   * changed since last seen: a portal that caps the quota asked for plans nothing.
   */
  userQuota?: pulumi.Input<number>;
  /**
   * When the code stops working: an ISO 8601 date or date-time with its zone, a `Date`, or
   * epoch milliseconds (see {@link TimeInput}). Must be in the future when the code is created
   * or this value changed; a code whose declared expiry has since passed is left as it is.
   */
  expiry?: pulumi.Input<TimeInput>;
  /** Whether the code admits anyone; default true. */
  enabled?: pulumi.Input<boolean>;
  /** Adopt an existing registration code (the code itself; kept secret). */
  importId?: pulumi.Input<string>;
}

/** A registration code for self-service onboarding to an organization. `token` is always secret. */
export class RegistrationToken extends pulumi.dynamic.Resource {
  /** Organization the code lets people join. */
  declare readonly organizationId: pulumi.Output<string>;
  /** The code people type to join. Secret. */
  declare readonly token: pulumi.Output<string>;
  /** The declared quota as last applied (left undeclared: the limit the portal chose). */
  declare readonly userQuota: pulumi.Output<number | undefined>;
  /** How many people the code admits in all, as the portal reports it (it may cap the quota asked for). */
  declare readonly maxUsers: pulumi.Output<number | undefined>;
  /** How many more people may join with it: falls with every registration; never drift. */
  declare readonly remainingUsers: pulumi.Output<number | undefined>;
  /** When the code stops working (epoch milliseconds). */
  declare readonly expiry: pulumi.Output<number | undefined>;
  /** Whether the code admits anyone. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** When the code was created (epoch milliseconds). */
  declare readonly createdOn: pulumi.Output<number | undefined>;
  /** Id of the portal user who created the code. */
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /** The adopted code, as declared. Secret. */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: RegistrationTokenArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props = {
      userQuota: undefined,
      enabled: undefined,
      ...args,
      expiry: toTimeInput(args.expiry),
      // An input is stored in state as given: keep an adopted code encrypted there too.
      importId: args.importId === undefined ? undefined : pulumi.secret(args.importId),
      token: undefined,
      maxUsers: undefined,
      remainingUsers: undefined,
      createdOn: undefined,
      createdBy: undefined,
    };
    const secretOutputs = [...(opts.additionalSecretOutputs ?? []), "token", "importId"];
    super(provider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, "pulumi-ventus-axway", "RegistrationToken");
  }
}
