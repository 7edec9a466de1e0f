import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/portalOrganization");
import { toTimeInput, type TimeInput } from "./time";

/** The inputs of a {@link PortalOrganization}. */
export interface PortalOrganizationArgs {
  /** Unique on the portal; renamed in place (the `dn` follows). */
  name: pulumi.Input<string>;
  /** Description of the organization: text of at most 4096 characters. */
  description?: pulumi.Input<string>;
  /** Contact address; must be an email address. */
  email?: pulumi.Input<string>;
  /** Contact phone number: text of at most 64 characters. */
  phone?: pulumi.Input<string>;
  /** Whether the organization is enabled; default true. */
  enabled?: pulumi.Input<boolean>;
  /** Whether the organization may develop APIs; default false. */
  development?: pulumi.Input<boolean>;
  /** Whether the organization is restricted; default false. */
  restricted?: pulumi.Input<boolean>;
  /** Virtual host of the organization: a host name of at most 253 characters, without spaces or `/`. */
  virtualHost?: pulumi.Input<string>;
  /** Whether the organization is on a trial; default false. */
  isTrial?: pulumi.Input<boolean>;
  /** Length of the trial in days, a whole number from 0 to 2147483647. */
  trialDuration?: pulumi.Input<number>;
  /** Start of the trial: an ISO 8601 date or date-time with its zone, a `Date`, or epoch milliseconds (see {@link TimeInput}). */
  startTrialDate?: pulumi.Input<TimeInput>;
  /** End of the trial, not before its start; written as `startTrialDate`. */
  endTrialDate?: pulumi.Input<TimeInput>;
  /** Path to a JPEG file (relative to the program), uploaded when its content changes. */
  image?: pulumi.Input<string>;
  /** Adopt the existing organization with this id instead of creating one. */
  importId?: pulumi.Input<string>;
  /**
   * Values of the installation's custom properties of organizations (`GET /config/customproperties`),
   * by name: text, a number or true/false, kept as text. Checked against the portal's definitions at
   * preview (type, pattern, options, bounds, required). Declared, every defined property is managed:
   * one left out takes the portal's default, and a change by hand is drift. Left out, they are the
   * portal's and kept as they are.
   */
  customProperties?: pulumi.Input<Record<string, pulumi.Input<string | number | boolean>>>;
}

/**
 * An organization of the Axway API Manager portal. Every field is managed: one left out
 * means the portal's default, so a change made by hand to any of them shows as drift.
 */
export class PortalOrganization extends pulumi.dynamic.Resource {
  /** Name of the organization. */
  declare readonly name: pulumi.Output<string>;
  /** Description of the organization. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Contact email address. */
  declare readonly email: pulumi.Output<string | undefined>;
  /** Contact phone number. */
  declare readonly phone: pulumi.Output<string | undefined>;
  /** Whether the organization is enabled. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** Whether the organization may develop APIs. */
  declare readonly development: pulumi.Output<boolean>;
  /** Whether the organization is restricted. */
  declare readonly restricted: pulumi.Output<boolean>;
  /** Virtual host of the organization. */
  declare readonly virtualHost: pulumi.Output<string | undefined>;
  /** Whether the organization is on a trial. */
  declare readonly isTrial: pulumi.Output<boolean>;
  /** Length of the trial in days. */
  declare readonly trialDuration: pulumi.Output<number | undefined>;
  /** Start of the trial (epoch milliseconds). */
  declare readonly startTrialDate: pulumi.Output<number | undefined>;
  /** End of the trial (epoch milliseconds). */
  declare readonly endTrialDate: pulumi.Output<number | undefined>;
  /** Path of the JPEG file, as declared. */
  declare readonly image: pulumi.Output<string | undefined>;
  /** SHA-256 of the image on the portal. */
  declare readonly imageHash: pulumi.Output<string | undefined>;
  /** Where the portal serves the image. */
  declare readonly imageUrl: pulumi.Output<string | undefined>;
  /** `o=<name>,ou=organizations,ou=APIPortal`. */
  declare readonly dn: pulumi.Output<string | undefined>;
  /** When the organization was created (epoch milliseconds). */
  declare readonly createdOn: pulumi.Output<number>;
  /** The adopted organization's id, as declared. */
  declare readonly importId: pulumi.Output<string | undefined>;
  /** Values of the organization's custom properties, by name, as the portal keeps them (text). */
  declare readonly customProperties: pulumi.Output<Record<string, string> | undefined>;

  constructor(name: string, args: PortalOrganizationArgs, opts?: pulumi.CustomResourceOptions) {
    const props = {
      description: undefined,
      email: undefined,
      phone: undefined,
      enabled: undefined,
      development: undefined,
      restricted: undefined,
      virtualHost: undefined,
      isTrial: undefined,
      trialDuration: undefined,
      image: undefined,
      importId: undefined,
      customProperties: undefined,
      ...args,
      startTrialDate: toTimeInput(args.startTrialDate),
      endTrialDate: toTimeInput(args.endTrialDate),
      imageHash: undefined,
      imageUrl: undefined,
      dn: undefined,
      createdOn: undefined,
    };
    super(provider, name, props, opts, "pulumi-ventus-axway", "PortalOrganization");
  }
}
