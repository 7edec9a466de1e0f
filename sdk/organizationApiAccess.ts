import * as pulumi from "@pulumi/pulumi";
import { organizationApiAccess } from "../provider/resources/organizationApiAccess";
import { dynamicResource } from "./props";

/** The inputs of an {@link OrganizationApiAccess}. */
export interface OrganizationApiAccessArgs {
  /** Organization that gets the access. */
  organizationId: pulumi.Input<string>;
  /** Id of the frontend API (`/proxies`) the organization gets access to; getPortalApis finds it by name. */
  apiId: pulumi.Input<string>;
  /** Whether the access is enabled. Default true. */
  enabled?: pulumi.Input<boolean>;
  /** Adopt the organization's existing grant with this id instead of creating one (read at create only). */
  importId?: pulumi.Input<string>;
}

/** An organization's access to one frontend API of the portal. */
export class OrganizationApiAccess extends pulumi.CustomResource {
  /** Organization that gets the access. */
  declare readonly organizationId: pulumi.Output<string>;
  /** Id of the frontend API (`/proxies`) the organization gets access to; getPortalApis finds it by name. */
  declare readonly apiId: pulumi.Output<string>;
  /** Whether the access is enabled. Default true. */
  declare readonly enabled: pulumi.Output<boolean>;
  /** State of the grant as the portal reports it, e.g. `approved`. */
  declare readonly state: pulumi.Output<string | undefined>;
  /** Id of the portal user who granted the access. */
  declare readonly createdBy: pulumi.Output<string | undefined>;
  /** When the access was granted (epoch milliseconds). */
  declare readonly createdOn: pulumi.Output<number | undefined>;
  /** Adopt the organization's existing grant with this id instead of creating one (read at create only). */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: OrganizationApiAccessArgs, opts?: pulumi.CustomResourceOptions) {
    super(...dynamicResource(organizationApiAccess, name, args, opts));
  }
}
