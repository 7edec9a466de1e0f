import * as pulumi from "@pulumi/pulumi";
import { ventusProject } from "../provider/resources/ventusProject";
import { dynamicResource } from "./props";

/** The inputs of a {@link VentusProject}. */
export interface VentusProjectArgs {
  /**
   * Ventus organization that owns the project; defaults to `ventus:organizationId` (or
   * `VENTUS_ORGANIZATION_ID`), and the default is recorded, so changing that setting later replaces the
   * project too.
   */
  organizationId?: pulumi.Input<string>;
  /**
   * Region of the project: a name of letters, digits and dashes such as `eastern-switzerland`,
   * `upper-austria` or `vienna` (or any region the service adds), in any case; kept lower case.
   */
  region: pulumi.Input<string>;
  /**
   * Display name of the project; renamed in place. Not blank, `.` or `..` (it travels as a URL path segment).
   */
  name: pulumi.Input<string>;
  /**
   * Adopt the existing project with this id instead of creating one (read at create only); its name is then
   * set to `name`.
   */
  importId?: pulumi.Input<string>;
}

/** A project of a Ventus Cloud organization in one region. */
export class VentusProject extends pulumi.CustomResource {
  /**
   * Ventus organization that owns the project; defaults to `ventus:organizationId` (or
   * `VENTUS_ORGANIZATION_ID`), and the default is recorded, so changing that setting later replaces the
   * project too.
   */
  declare readonly organizationId: pulumi.Output<string>;
  /**
   * Region of the project: a name of letters, digits and dashes such as `eastern-switzerland`,
   * `upper-austria` or `vienna` (or any region the service adds), in any case; kept lower case.
   */
  declare readonly region: pulumi.Output<string>;
  /**
   * Display name of the project; renamed in place. Not blank, `.` or `..` (it travels as a URL path segment).
   */
  declare readonly name: pulumi.Output<string>;
  /** The region as the service spells it, e.g. `Eastern-Switzerland`. */
  declare readonly regionName: pulumi.Output<string>;
  /**
   * Adopt the existing project with this id instead of creating one (read at create only); its name is then
   * set to `name`.
   */
  declare readonly importId: pulumi.Output<string | undefined>;

  constructor(name: string, args: VentusProjectArgs, opts?: pulumi.CustomResourceOptions) {
    super(...dynamicResource(ventusProject, name, args, opts));
  }
}
