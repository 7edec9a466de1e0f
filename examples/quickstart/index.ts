import * as pulumi from "@pulumi/pulumi";
import { getPrices } from "pulumi-ventus-axway";
import { declareFromFolder } from "pulumi-ventus-axway/gitops";

// The main job: a platform team's declarations in YAML, one file per team (the GitOps example's
// teams/: organizations on the Axway portal with their API grants and registration codes, and
// Ventus projects), deployed and then kept as declared.
//
// Credentials come from stack configuration (or the environment):
//   pulumi config set ventus:username you@company.example
//   pulumi config set --secret ventus:password ...
//   pulumi config set ventus:organizationId c19...e50
//   pulumi config set axway:url https://apim.example.com:8075
//   pulumi config set axway:username apiadmin
//   pulumi config set --secret axway:password ...
const teams = new pulumi.Config().get("teams") ?? "../gitops/teams";
const declared = declareFromFolder(teams);

const ids = <T extends { id: unknown }>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.id]));

export const organizationIds = ids(declared.organizations);
export const apiAccessIds = ids(declared.apiAccess);
export const ventusProjectIds = ids(declared.ventusProjects);
// Secret: `pulumi stack output registrationCodes --show-secrets`.
export const registrationCodes = Object.fromEntries(Object.entries(declared.registrationCodes).map(([k, c]) => [k, c.token]));
export const vc1PricePerHourChf = getPrices().then((p) => p.chf?.flavors.find((f) => f.name === "VC-1")?.base);
