import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/portalOrganization");
import { toTimeInput, type TimeInput } from "./time";

export interface PortalOrganizationArgs {
  /** Unique on the portal; renamed in place (the `dn` follows). */
  name: pulumi.Input<string>;
  description?: pulumi.Input<string>;
  /** Contact address; must be an email address. */
  email?: pulumi.Input<string>;
  phone?: pulumi.Input<string>;
  /** Default true. */
  enabled?: pulumi.Input<boolean>;
  /** Default false. */
  development?: pulumi.Input<boolean>;
  /** Default false. */
  restricted?: pulumi.Input<boolean>;
  virtualHost?: pulumi.Input<string>;
  /** Default false. */
  isTrial?: pulumi.Input<boolean>;
  /** Days. */
  trialDuration?: pulumi.Input<number>;
  startTrialDate?: pulumi.Input<TimeInput>;
  endTrialDate?: pulumi.Input<TimeInput>;
  /** Path to a JPEG file (relative to the program), uploaded when its content changes. */
  image?: pulumi.Input<string>;
  /** Adopt the existing organization with this id instead of creating one. */
  importId?: pulumi.Input<string>;
}

/**
 * An organization of the Axway API Manager portal. Every field is managed: one left out
 * means the portal's default, so a change made by hand to any of them shows as drift.
 */
export class PortalOrganization extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly email: pulumi.Output<string | undefined>;
  declare readonly phone: pulumi.Output<string | undefined>;
  declare readonly enabled: pulumi.Output<boolean>;
  declare readonly development: pulumi.Output<boolean>;
  declare readonly restricted: pulumi.Output<boolean>;
  declare readonly virtualHost: pulumi.Output<string | undefined>;
  declare readonly isTrial: pulumi.Output<boolean>;
  declare readonly trialDuration: pulumi.Output<number | undefined>;
  /** Epoch milliseconds. */
  declare readonly startTrialDate: pulumi.Output<number | undefined>;
  /** Epoch milliseconds. */
  declare readonly endTrialDate: pulumi.Output<number | undefined>;
  declare readonly image: pulumi.Output<string | undefined>;
  /** SHA-256 of the image on the portal. */
  declare readonly imageHash: pulumi.Output<string | undefined>;
  /** Where the portal serves the image. */
  declare readonly imageUrl: pulumi.Output<string | undefined>;
  /** `o=<name>,ou=organizations,ou=APIPortal`. */
  declare readonly dn: pulumi.Output<string | undefined>;
  /** Epoch milliseconds. */
  declare readonly createdOn: pulumi.Output<number>;
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: PortalOrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      description: undefined, email: undefined, phone: undefined, enabled: undefined, development: undefined,
      restricted: undefined, virtualHost: undefined, isTrial: undefined, trialDuration: undefined, image: undefined,
      importId: undefined,
      ...args,
      startTrialDate: toTimeInput(args.startTrialDate),
      endTrialDate: toTimeInput(args.endTrialDate),
      imageHash: undefined, imageUrl: undefined, dn: undefined, createdOn: undefined,
    };
    super(provider, name, props, opts, "pulumi-ventus-axway", "PortalOrganization");
  }
}
