import { VentusProject, getPrices } from "pulumi-ventus-axway";

// Credentials and the organization come from stack configuration:
//   pulumi config set ventus:username you@company.example
//   pulumi config set --secret ventus:password ...
//   pulumi config set ventus:organizationId c19...e50
const zurich = new VentusProject("analytics", { region: "eastern-switzerland", name: "analytics" });
const vienna = new VentusProject("web", { region: "Vienna", name: "web-frontend" });

export const analyticsProjectId = zurich.id;
export const webProjectId = vienna.id;
export const webRegion = vienna.regionName;
export const vc1PricePerHourChf = getPrices().then((p) => p.chf?.flavors.find((f) => f.name === "VC-1")?.base);
