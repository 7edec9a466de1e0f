import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/organizationApiAccess");

export interface OrganizationApiAccessArgs {
  /** Changing it replaces the grant. */
  organizationId: pulumi.Input<string>;
  /** Id of a frontend API (see getPortalApis); changing it replaces the grant. */
  apiId: pulumi.Input<string>;
  /** Default true; changed in place. */
  enabled?: pulumi.Input<boolean>;
  /** Adopt the existing grant with this API access id instead of creating one. */
  importId?: pulumi.Input<string>;
}

/** An organization's access to one frontend API of the portal. */
export class OrganizationApiAccess extends pulumi.dynamic.Resource {
  declare readonly organizationId: pulumi.Output<string>;
  declare readonly apiId: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean>;
  /** As the portal reports it, e.g. `approved`. */
  declare readonly state: pulumi.Output<string | undefined>;
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /** Epoch milliseconds. */
  declare readonly createdOn: pulumi.Output<number | undefined>;
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: OrganizationApiAccessArgs, opts?: pulumi.CustomResourceOptions) {
    const props = { enabled: undefined, importId: undefined, ...args, state: undefined, createdBy: undefined, createdOn: undefined };
    super(provider, name, props, opts, "pulumi-ventus-axway", "OrganizationApiAccess");
  }
}
