import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/registrationToken");
import { toTimeInput, type TimeInput } from "./time";

export interface RegistrationTokenArgs {
  /** Changing it replaces the code. */
  organizationId: pulumi.Input<string>;
  /** How many people may join with the code; 0 or more. Left out, the portal decides. */
  userQuota?: pulumi.Input<number>;
  /**
   * When the code stops working. Must be in the future when the code is created or this
   * value changed; a code whose declared expiry has since passed is left as it is.
   */
  expiry?: pulumi.Input<TimeInput>;
  /** Default true. */
  enabled?: pulumi.Input<boolean>;
  /** Adopt an existing registration code (the code itself; kept secret). */
  importId?: pulumi.Input<string>;
}

/** A registration code for self-service onboarding to an organization. `token` is always secret. */
export class RegistrationToken extends pulumi.dynamic.Resource {
  declare readonly organizationId: pulumi.Output<string>;
  /** The code people type to join. Secret. */
  declare readonly token: pulumi.Output<string>;
  /** The declared quota as last applied (left undeclared: the limit the portal chose). */
  declare readonly userQuota: pulumi.Output<number | undefined>;
  /** How many people the code admits in all, as the portal reports it (it may cap the quota asked for). */
  declare readonly maxUsers: pulumi.Output<number | undefined>;
  /** How many more people may join with it: falls with every registration; never drift. */
  declare readonly remainingUsers: pulumi.Output<number | undefined>;
  /** Epoch milliseconds. */
  declare readonly expiry: pulumi.Output<number | undefined>;
  declare readonly enabled: pulumi.Output<boolean>;
  /** Epoch milliseconds. */
  declare readonly createdOn: pulumi.Output<number | undefined>;
  declare readonly createdBy: pulumi.Output<string | undefined>;
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: RegistrationTokenArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props = {
      userQuota: undefined, enabled: undefined,
      ...args,
      expiry: toTimeInput(args.expiry),
      // An input is stored in state as given: keep an adopted code encrypted there too.
      importId: args.importId === undefined ? undefined : pulumi.secret(args.importId),
      token: undefined, maxUsers: undefined, remainingUsers: undefined, createdOn: undefined, createdBy: undefined,
    };
    const secretOutputs = [...(opts.additionalSecretOutputs ?? []), "token", "importId"];
    super(provider, name, props, { ...opts, additionalSecretOutputs: secretOutputs }, "pulumi-ventus-axway", "RegistrationToken");
  }
}
