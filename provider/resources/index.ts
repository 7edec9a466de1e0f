// The registry of resources: every consumer that needs "which resources are there" or "which
// resource is this" asks here (the SDK's shells, the plugin, the schema, drift, the contract tests).
import { dynamicType, pluginToken, type ResourceDescriptor } from "./descriptor";
import { organizationApiAccess } from "./organizationApiAccess";
import { portalOrganization } from "./portalOrganization";
import { registrationToken } from "./registrationToken";
import { ventusProject } from "./ventusProject";

/** Resource descriptors by the name the SDK's shells use. */
export const resources = { ventusProject, portalOrganization, organizationApiAccess, registrationToken };
export type ResourceKind = keyof typeof resources;

/** Every resource, in the order docs and schema list them. */
export const RESOURCES: readonly ResourceDescriptor[] = Object.values(resources);

/** The resource whose state type this is, on either face (`ventus-axway:index:X`, `pulumi-nodejs:dynamic/pulumi-ventus-axway:X`). */
export function resourceOfType(type: string): ResourceDescriptor | undefined {
  return RESOURCES.find((d) => type === pluginToken(d) || type === dynamicType(d));
}

/** Which face a state type belongs to: the plugin's (`plugin`), the SDK's dynamic resources (`sdk`), or neither. */
export function faceOfType(type: string): "plugin" | "sdk" | undefined {
  const d = resourceOfType(type);
  if (!d) return undefined;
  return type === pluginToken(d) ? "plugin" : "sdk";
}

export { registrationCodeId } from "./registrationToken";
export * from "./descriptor";
