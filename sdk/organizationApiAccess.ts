import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/organizationApiAccess");

/** The inputs of an {@link OrganizationApiAccess}. */
export interface OrganizationApiAccessArgs {
  /** Organization that gets the access (an id); changing it replaces the grant. */
  organizationId: pulumi.Input<string>;
  /** Id of a frontend API (see getPortalApis); changing it replaces the grant. */
  apiId: pulumi.Input<string>;
  /** Whether the access is enabled; default true, changed in place. */
  enabled?: pulumi.Input<boolean>;
  /** Adopt the existing grant with this API access id instead of creating one. */
  importId?: pulumi.Input<string>;
}

/** An organization's access to one frontend API of the portal. */
export class OrganizationApiAccess extends pulumi.dynamic.Resource {
  /** Organization that has the access. */
  declare readonly organizationId: pulumi.Output<string>;
  /** Id of the frontend API the organization has access to. */
  declare readonly apiId: pulumi.Output<string>;
  /** Whether the access is enabled. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** As the portal reports it, e.g. `approved`. */
  declare readonly state: pulumi.Output<string | undefined>;
  /** Id of the portal user who granted the access. */
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /** When the access was granted (epoch milliseconds). */
  declare readonly createdOn: pulumi.Output<number | undefined>;
  /** The adopted grant's id, as declared. */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: OrganizationApiAccessArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { enabled: undefined, importId: undefined, ...args, state: undefined, createdBy: undefined, createdOn: undefined };
    super(provider, name, props, opts, "pulumi-ventus-axway", "OrganizationApiAccess");
  }
}
