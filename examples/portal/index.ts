import { OrganizationApiAccess, PortalOrganization, RegistrationToken, getPortalApis } from "pulumi-ventus-axway";

// Connection settings come from stack configuration:
//   pulumi config set axway:url https://apim.example.com:8075
//   pulumi config set axway:username apiadmin
//   pulumi config set --secret axway:password ...
const partner = new PortalOrganization("acme", {
  name: "Acme Partner",
  description: "Resells our payment APIs in the DACH region",
  email: "api-team@acme.example",
  phone: "+41 44 555 01 00",
  virtualHost: "acme.api.example.com",
  image: "logo.jpg",
});

// Find the frontend APIs by name, and grant the organization access to each.
const grants = ["Petstore", "Weather"].map((apiName) => {
  const apiId = getPortalApis({ name: apiName }).then((apis) => {
    if (apis.length !== 1) throw new Error(`expected one frontend API named "${apiName}", found ${apis.length}`);
    return apis[0].id;
  });
  return new OrganizationApiAccess(`acme-${apiName.toLowerCase()}`, { organizationId: partner.id, apiId });
});

// A code for the partner's developers to join with; a fixed expiry keeps the plan stable.
const onboarding = new RegistrationToken("acme-onboarding", {
  organizationId: partner.id,
  userQuota: 25,
  expiry: "2030-12-31T23:59:59Z",
});

export const organizationId = partner.id;
export const organizationDn = partner.dn;
export const imageUrl = partner.imageUrl;
export const grantedApis = grants.map((g) => g.apiId);
export const registrationCode = onboarding.token; // secret: `pulumi stack output --show-secrets`
