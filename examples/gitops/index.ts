import { declareFromFolder } from "pulumi-ventus-axway/gitops";

// Every team keeps its organizations and Ventus projects in its own YAML file under teams/.
// The files are checked first (fields, keys, image files, organization names unique across
// teams): a mistake stops the program with file:line:column before any API call.
//
// Credentials come from the environment (the pipeline's repository secrets) or stack
// configuration: AXWAY_URL, AXWAY_USERNAME, AXWAY_PASSWORD, VENTUS_USERNAME, VENTUS_PASSWORD,
// VENTUS_ORGANIZATION_ID (or axway:url, ..., ventus:organizationId).
const declared = declareFromFolder("teams");

const ids = <T extends { id: unknown }>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.id]));

export const organizationIds = ids(declared.organizations);
export const apiAccessIds = ids(declared.apiAccess);
export const ventusProjectIds = ids(declared.ventusProjects);
// Secret: `pulumi stack output registrationCodes --show-secrets`.
export const registrationCodes = Object.fromEntries(Object.entries(declared.registrationCodes).map(([k, c]) => [k, c.token]));
