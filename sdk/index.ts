// pulumi-ventus-axway: what Pulumi programs import.
export { VentusProject, type VentusProjectArgs } from "./ventusProject";
export {
  getPrices,
  getVentusProjects,
  type GetPricesResult,
  type GetVentusProjectsArgs,
  type VentusProjectInfo,
  type CurrencyPrices,
  type FlavorPrice,
} from "./functions";
