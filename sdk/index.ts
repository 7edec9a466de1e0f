// pulumi-ventus-axway: what Pulumi programs import.
export { VentusProject, type VentusProjectArgs } from "./ventusProject";
export { PortalOrganization, type PortalOrganizationArgs } from "./portalOrganization";
export { OrganizationApiAccess, type OrganizationApiAccessArgs } from "./organizationApiAccess";
export { RegistrationToken, type RegistrationTokenArgs } from "./registrationToken";
export type { TimeInput } from "./time";
export {
  getPrices,
  getVentusProjects,
  getPortalOrganizations,
  getPortalApis,
  type GetPricesResult,
  type GetVentusProjectsArgs,
  type VentusProjectInfo,
  type CurrencyPrices,
  type FlavorPrice,
  type GetPortalOrganizationsArgs,
  type PortalOrganizationFilter,
  type GetPortalApisArgs,
} from "./functions";
