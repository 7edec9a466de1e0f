import * as pulumi from "@pulumi/pulumi";
import { portalOrganization } from "../provider/resources/portalOrganization";
import { dynamicResource } from "./props";
import { toTimeInput, type TimeInput } from "./time";

/** The inputs of a {@link PortalOrganization}. */
export interface PortalOrganizationArgs {
  /** Name of the organization, unique on the portal; a new name renames it (the `dn` follows). */
  name: pulumi.Input<string>;
  /** Description of the organization. */
  description?: pulumi.Input<string>;
  /** Contact email address. */
  email?: pulumi.Input<string>;
  /** Contact phone number. */
  phone?: pulumi.Input<string>;
  /** Whether the organization is enabled. Default true. */
  enabled?: pulumi.Input<boolean>;
  /** Whether the organization may develop APIs. Default false. */
  development?: pulumi.Input<boolean>;
  /** Whether the organization is restricted. Default false. */
  restricted?: pulumi.Input<boolean>;
  /** Virtual host of the organization: a host name, without spaces or `/`. */
  virtualHost?: pulumi.Input<string>;
  /** Whether the organization is on a trial. Default false. */
  isTrial?: pulumi.Input<boolean>;
  /** Length of the trial in days, 0 or more. */
  trialDuration?: pulumi.Input<number>;
  /**
   * Start of the trial: an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with its zone
   * (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as epoch
   * milliseconds. In TypeScript, a `Date` too (see {@link TimeInput}).
   */
  startTrialDate?: pulumi.Input<TimeInput>;
  /**
   * End of the trial, not before its start: an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with
   * its zone (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as
   * epoch milliseconds. In TypeScript, a `Date` too (see {@link TimeInput}).
   */
  endTrialDate?: pulumi.Input<TimeInput>;
  /**
   * Path of a JPEG file of at most 1 MiB, relative to the program's folder, uploaded as the organization's
   * picture and tracked by the SHA-256 of its content (`imageHash`). Left out, whatever picture the
   * organization has is kept (the portal cannot remove one).
   */
  image?: pulumi.Input<string>;
  /** Adopt the existing organization with this id instead of creating one (read at create only). */
  importId?: pulumi.Input<string>;
  /**
   * Values of the installation's custom properties of organizations (`GET /config/customproperties`), by
   * name: text, a number or true/false, kept as text. Checked against the definitions at preview (type,
   * pattern, options, bounds, required); declared, every defined property is managed (one left out takes the
   * portal's default) and a change by hand is drift. Left out, they are the portal's and kept as they are.
   */
  customProperties?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
}

/**
 * An organization of the Axway API Manager portal. Every field is managed: one left out
 * means the portal's default, so a change made by hand to any of them shows as drift.
 */
export class PortalOrganization extends pulumi.CustomResource {
  /** Name of the organization, unique on the portal; a new name renames it (the `dn` follows). */
  declare readonly name: pulumi.Output<string>;
  /** Description of the organization. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Contact email address. */
  declare readonly email: pulumi.Output<string | undefined>;
  /** Contact phone number. */
  declare readonly phone: pulumi.Output<string | undefined>;
  /** Whether the organization is enabled. Default true. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** Whether the organization may develop APIs. Default false. */
  declare readonly development: pulumi.Output<boolean>;
  /** Whether the organization is restricted. Default false. */
  declare readonly restricted: pulumi.Output<boolean>;
  /** Virtual host of the organization: a host name, without spaces or `/`. */
  declare readonly virtualHost: pulumi.Output<string | undefined>;
  /** Whether the organization is on a trial. Default false. */
  declare readonly isTrial: pulumi.Output<boolean>;
  /** Length of the trial in days, 0 or more. */
  declare readonly trialDuration: pulumi.Output<number | undefined>;
  /**
   * Start of the trial: an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with its zone
   * (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as epoch
   * milliseconds.
   */
  declare readonly startTrialDate: pulumi.Output<number | undefined>;
  /**
   * End of the trial, not before its start: an ISO 8601 date (`2031-01-01`, midnight UTC) or date-time with
   * its zone (`2031-01-01T00:00:00Z`, `2031-01-01T01:00:00+01:00`), or epoch milliseconds (a number); kept as
   * epoch milliseconds.
   */
  declare readonly endTrialDate: pulumi.Output<number | undefined>;
  /**
   * Path of a JPEG file of at most 1 MiB, relative to the program's folder, uploaded as the organization's
   * picture and tracked by the SHA-256 of its content (`imageHash`). Left out, whatever picture the
   * organization has is kept (the portal cannot remove one).
   */
  declare readonly image: pulumi.Output<string | undefined>;
  /** SHA-256 of the picture uploaded from `image`, as last seen on the portal. */
  declare readonly imageHash: pulumi.Output<string | undefined>;
  /** URI of the organization's picture on the portal. */
  declare readonly imageUrl: pulumi.Output<string | undefined>;
  /** Distinguished name the portal gives the organization. */
  declare readonly dn: pulumi.Output<string | undefined>;
  /** When the organization was created (epoch milliseconds). */
  declare readonly createdOn: pulumi.Output<number>;
  /** Adopt the existing organization with this id instead of creating one (read at create only). */
  declare readonly importId: pulumi.Output<string | undefined>;
  /**
   * Values of the installation's custom properties of organizations (`GET /config/customproperties`), by
   * name: text, a number or true/false, kept as text. Checked against the definitions at preview (type,
   * pattern, options, bounds, required); declared, every defined property is managed (one left out takes the
   * portal's default) and a change by hand is drift. Left out, they are the portal's and kept as they are.
   */
  declare readonly customProperties: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: PortalOrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    const times = { startTrialDate: toTimeInput(args.startTrialDate), endTrialDate: toTimeInput(args.endTrialDate) };
    super(...dynamicResource(portalOrganization, name, { ...args, ...times }, opts));
  }
}
