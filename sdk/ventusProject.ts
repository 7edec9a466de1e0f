import * as pulumi from "@pulumi/pulumi";
import provider = require("./providers/ventusProject");

/** The inputs of a {@link VentusProject}. */
export interface VentusProjectArgs {
  /** Organization that owns the project; defaults to `ventus:organizationId` / `VENTUS_ORGANIZATION_ID`. Changing it replaces the project. */
  organizationId?: pulumi.Input<string>;
  /** `eastern-switzerland`, `upper-austria` or `vienna`, in any case (kept lower case). Changing it replaces the project. */
  region: pulumi.Input<string>;
  /** Display name; renamed in place. Not blank, `.` or `..` (it travels as a URL path segment). */
  name: pulumi.Input<string>;
  /**
   * Adopt the existing project with this id instead of creating one; its name is then set to `name`.
   * Pulumi's own `import` option does not reach dynamic resources (pulumi/pulumi#3550).
   */
  importId?: pulumi.Input<string>;
}

/** A project of a Ventus Cloud organization in one region. */
export class VentusProject extends pulumi.dynamic.Resource {
  /** Organization that owns the project (the default recorded when none was declared). */
  declare readonly organizationId: pulumi.Output<string>;
  /** Region of the project, lower case, e.g. `vienna`. */
  declare readonly region: pulumi.Output<string>;
  /** Display name of the project. */
  declare readonly name: pulumi.Output<string>;
  /** The region as the service spells it, e.g. `Eastern-Switzerland`. */
  declare readonly regionName: pulumi.Output<string>;
  /** The adopted project's id, as declared. */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: VentusProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      { organizationId: undefined, importId: undefined, ...args, regionName: undefined },
      opts,
      "pulumi-ventus-axway",
      "VentusProject",
    );
  }
}
