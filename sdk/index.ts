// pulumi-ventus-axway: what Pulumi programs import.
export { VentusProject, type VentusProjectArgs } from "./ventusProject";
export { PortalOrganization, type PortalOrganizationArgs } from "./portalOrganization";
export { OrganizationApiAccess, type OrganizationApiAccessArgs } from "./organizationApiAccess";
export { RegistrationToken, type RegistrationTokenArgs } from "./registrationToken";
export type { TimeInput } from "./time";
export {
  getPrices,
  getPricesOutput,
  getVentusProjects,
  getVentusProjectsOutput,
  getPortalOrganizations,
  getPortalOrganizationsOutput,
  getPortalApis,
  getPortalApisOutput,
  type GetPricesResult,
  type CurrencyPrices,
  type FlavorPrice,
  type GetVentusProjectsArgs,
  type GetVentusProjectsOutputArgs,
  type GetVentusProjectsResult,
  type VentusProjectInfo,
  type GetPortalOrganizationsArgs,
  type GetPortalOrganizationsOutputArgs,
  type GetPortalOrganizationsResult,
  type PortalOrganizationFilter,
  type PortalOrganizationFilterInput,
  type PortalOrganizationInfo,
  type GetPortalApisArgs,
  type GetPortalApisOutputArgs,
  type GetPortalApisResult,
  type PortalApi,
} from "../provider/functions";
